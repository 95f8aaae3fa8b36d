"""On PostgreSQL, with real threads: concurrent redemptions against one voucher succeed exactly as
far as the balance allows; one idempotency key replayed concurrently moves money once. (SQLite
serialises writers, so these run in the PostgreSQL pass of `make test-all`.)"""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from kechuang.core.errors import DomainError
from kechuang.vouchers import selectors, services
from kechuang.vouchers.models import Movement, Redemption
from kechuang.vouchers.tests.factories import issued_voucher, make_scheme

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
CLIENTS = 50


@pytest.fixture(autouse=True)
def postgres_only(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises writers)")


def run_concurrently(work, count):
    """Runs work(i) in `count` threads released together; returns each result or exception."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def client(number):
        from django.db import connection as own

        try:
            barrier.wait()
            results[number] = work(number)
        except Exception as error:
            results[number] = error
        finally:
            own.close()

    threads = [threading.Thread(target=client, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_redemptions_stop_exactly_at_the_balance(world):
    voucher = issued_voucher(world, make_scheme(world), amount=Decimal("1000"))
    provider = world.orgs.institute
    results = run_concurrently(lambda n: services.voucher_redeem(
        voucher=voucher, provider=provider, order_ref=f"order-{n}", order_cost=Decimal("200")), CLIENTS)
    paid = [result for result in results if isinstance(result, Redemption)]
    refused = [result for result in results if not isinstance(result, Redemption)]
    assert len(paid) == 10 and all(redemption.amount == Decimal("100.00") for redemption in paid)
    assert len(refused) == 40 and all(isinstance(error, DomainError) and error.code == "insufficient_balance"
                                      for error in refused)
    assert Redemption.objects.count() == 10
    assert selectors.ledger_problems() == []


def test_one_key_replayed_concurrently_moves_money_once(world):
    """100 replays of one completion: 20 concurrent clients (within PostgreSQL's connection limit)
    sending 5 each."""
    voucher = issued_voucher(world, make_scheme(world), amount=Decimal("1000"))

    def replay(_client):
        return [services.voucher_redeem(voucher=voucher, provider=world.orgs.institute, order_ref="order-same",
                                        order_cost=Decimal("300")) for _ in range(5)]

    batches = run_concurrently(replay, 20)
    assert all(isinstance(batch, list) for batch in batches), [b for b in batches if isinstance(b, Exception)]
    results = [result for batch in batches for result in batch]
    assert len(results) == 100
    assert {result.pk for result in results} == {results[0].pk}
    assert {(result.amount, result.order_ref) for result in results} == {(Decimal("150.00"), "order-same")}
    assert Movement.objects.filter(kind="redeem").count() == 1
    assert selectors.ledger_problems() == []
