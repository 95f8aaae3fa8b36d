"""The instruments' list pages make the same number of queries for 3 rows as for 25."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

from django.urls import reverse
from django.utils import timezone

from kechuang.core.testing import assert_queries_flat
from kechuang.instruments import services
from kechuang.instruments.models import Booking, ServiceOrder
from kechuang.instruments.tests.factories import category, make_instrument

MARKER = "查询计数仪器"
numbers = count()


def instruments(world):
    def add(n):
        for _ in range(n):
            make_instrument(world, name=f"{MARKER}{next(numbers)}号")
    return add


def services_of(world, booking_status, order_status):
    """Per row one booking and one testing order of the enterprise, on an instrument of its own."""
    def add(n):
        for _ in range(n):
            instrument = make_instrument(world, name=f"{MARKER}{next(numbers)}号")
            start = timezone.now() + timedelta(days=3)
            booking = services.booking_request(by=world.users.org_admin, instrument=instrument, starts_at=start,
                                               ends_at=start + timedelta(hours=2), purpose="检测")
            order = services.order_request(by=world.users.org_admin, instrument=instrument, samples=2,
                                           description="样品检测")
            Booking.objects.filter(pk=booking.pk).update(status=booking_status)
            ServiceOrder.objects.filter(pk=order.pk).update(status=order_status)
    return add


def test_catalogue(client, world):
    assert_queries_flat(client, reverse("instruments:catalogue"), instruments(world), marker=MARKER)


def test_mine(client_for, world):
    assert_queries_flat(client_for("org_admin"), reverse("instruments:mine"),
                        services_of(world, "completed", "completed"), marker=MARKER)


def test_queue(client_for, world):
    assert_queries_flat(client_for("provider"), reverse("instruments:queue"),
                        services_of(world, "confirmed", "accepted"), marker=MARKER)


def test_purchases(client_for, world):
    def add(n):
        for _ in range(n):
            services.purchase_apply(by=world.users.org_admin, data={
                "name": f"{MARKER}{next(numbers)}号", "category": category(), "specifications": "分辨率70000",
                "value": Decimal("300"), "justification": "需要专用设备"})

    assert_queries_flat(client_for("bureau_officer"), reverse("instruments:purchases"), add, marker=MARKER)


def test_utilisation(client_for, world):
    def add(n):
        services_of(world, "completed", "completed")(n)
        Booking.objects.update(completed_on=timezone.localdate(), effective_hours=Decimal("2"))

    assert_queries_flat(client_for("bureau_officer"), reverse("instruments:utilisation"), add, marker=MARKER)
