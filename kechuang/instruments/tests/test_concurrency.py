"""On PostgreSQL, with real threads: 50 clients booking the same slot produce exactly one booking
(the exclusion constraint decides), the others a clear error."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from kechuang.core.errors import DomainError
from kechuang.instruments import services
from kechuang.instruments.models import Booking
from kechuang.instruments.tests.factories import make_instrument
from kechuang.vouchers.tests.test_concurrency import run_concurrently

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises writers)")


def test_fifty_clients_booking_one_slot_make_one_booking(world):
    instrument = make_instrument(world)
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    people = [world.users.org_admin, world.users.enterprise_user, world.users.institute_user, world.users.expert,
              world.users.broker]
    results = run_concurrently(lambda n: services.booking_request(
        by=people[n % len(people)], instrument=instrument, starts_at=start + timedelta(minutes=n % 7),
        ends_at=start + timedelta(hours=2), purpose=f"并发预约{n}"), 50)
    made = [result for result in results if isinstance(result, Booking)]
    refused = [result for result in results if not isinstance(result, Booking)]
    assert len(made) == 1 and Booking.objects.count() == 1
    assert len(refused) == 49 and all(isinstance(error, DomainError) and error.code == "slot_taken"
                                      for error in refused)
