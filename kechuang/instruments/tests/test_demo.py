from decimal import Decimal

from kechuang.accounts import demo as accounts_demo
from kechuang.instruments import demo
from kechuang.instruments.models import Booking, Instrument, ServiceOrder
from kechuang.vouchers import selectors as voucher_selectors
from kechuang.vouchers.models import Redemption, Settlement


def test_the_demo_shows_every_voucher_step_and_loads_once(db):
    accounts_demo.seed(log=lambda *_: None)
    assert demo.seed(log=lambda *_: None) == 5
    assert demo.seed(log=lambda *_: None) == 0
    assert Instrument.objects.count() == 5
    assert Booking.objects.filter(status="completed").count() == 3 and Booking.objects.filter(
        status="confirmed").count() == 1
    assert ServiceOrder.objects.get().status == "requested"
    assert list(Settlement.objects.order_by("pk").values_list("status", "total")) == [
        ("paid", Decimal("2500.00")), ("requested", Decimal("1350.00"))]
    assert list(Redemption.objects.order_by("pk").values_list("status", "amount")) == [
        ("paid", Decimal("1600.00")), ("paid", Decimal("900.00")), ("in_settlement", Decimal("1350.00"))]
    assert voucher_selectors.ledger_problems() == []


def test_the_demo_settlements_are_not_flagged(db):
    """Every demo organisation has its own representative and phone, and the demo bookings were
    booked days before they were completed: the finance officer sees clean settlements."""
    accounts_demo.seed(log=lambda *_: None)
    demo.seed(log=lambda *_: None)
    redemptions = Redemption.objects.select_related("provider", "voucher__enterprise")
    assert redemptions.count() == 3
    assert voucher_selectors.settlement_flags(redemptions) == []
    assert all(r.booked_on < r.completed_on for r in redemptions)
