"""The finance officer's review of a voucher settlement (vouchers:settlements, settlement_detail):
the line items of each settlement (service, hours, the voucher's and the enterprise's share), the
flags in words with a link to the service, and a payment that needs its confirmation.

The services are real instrument bookings paid partly by voucher, so the vouchers app learns what
each order was through the registry the instruments app fills at start-up."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.accounts.models import Organization
from kechuang.instruments import services
from kechuang.instruments.models import Booking
from kechuang.instruments.tests.factories import make_instrument
from kechuang.vouchers import selectors as voucher_selectors
from kechuang.vouchers import services as voucher_services
from kechuang.vouchers.models import Movement, Settlement
from kechuang.vouchers.tests.factories import issued_voucher, make_scheme


def completed_booking(world, instrument, voucher, *, hours, cost, days_ago=3):
    """A booking of the enterprise paid partly by voucher, held last week and completed."""
    start = timezone.now() + timedelta(days=1)
    booking = services.booking_request(by=world.users.org_admin, instrument=instrument, starts_at=start,
                                       ends_at=start + timedelta(hours=4), purpose="正极材料成分分析",
                                       voucher=voucher)
    services.booking_answer(by=world.users.provider, booking=booking, confirm=True)
    held = timezone.now() - timedelta(days=days_ago)
    Booking.objects.filter(pk=booking.pk).update(created_at=held - timedelta(days=2), starts_at=held,
                                                 ends_at=held + timedelta(hours=4))
    booking.refresh_from_db()
    return services.booking_complete(by=world.users.provider, booking=booking, hours=Decimal(hours),
                                     cost=Decimal(cost))


@pytest.fixture
def settlement(world):
    """Two bookings of the institute's mass spectrometer (600 yuan an hour outside), half paid by
    the enterprise's voucher, in one settlement the provider requested."""
    instrument = make_instrument(world)
    voucher = issued_voucher(world, make_scheme(world), amount=Decimal("20000"))
    first = completed_booking(world, instrument, voucher, hours="3", cost="1800")
    second = completed_booking(world, instrument, voucher, hours="2.5", cost="1500")
    requested = voucher_services.settlement_request(by=world.users.provider, provider=world.orgs.institute)
    return requested, instrument, first, second


def cells(html: str, testid: str) -> list[list[str]]:
    table = re.search(rf'data-testid="{testid}">(.*?)</table>', html, re.S).group(1)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in rows]


def test_the_settlement_shows_its_line_items(world, client_for, settlement):
    _requested, instrument, first, second = settlement
    html = client_for("finance_officer").get(reverse("vouchers:settlements")).content.decode()
    assert cells(html, "settlement-lines") == [
        [f"机时预约 #{first.pk}（高分辨液相色谱质谱联用仪）", "测试智能装备有限公司", timezone.localdate().isoformat(),
         "3.00", "1,800.00", "900.00", "900.00"],
        [f"机时预约 #{second.pk}（高分辨液相色谱质谱联用仪）", "测试智能装备有限公司", timezone.localdate().isoformat(),
         "2.50", "1,500.00", "750.00", "750.00"]]
    assert f'href="{reverse("instruments:detail", args=[instrument.pk])}"' in html
    assert "1,650.00" in html and "booking:" not in html


def test_the_flags_name_the_service_in_words(world, client_for, settlement):
    requested, instrument, first, _second = settlement
    Organization.objects.filter(pk__in=[world.orgs.institute.pk, world.orgs.enterprise.pk]).update(
        legal_representative="赵六")
    html = client_for("finance_officer").get(reverse("vouchers:settlement_detail", args=[requested.pk])).content
    flags = re.findall(r'data-testid="flags">(.*?)</ul>', html.decode(), re.S)
    first_flag = re.sub(r"<[^>]+>", "", flags[0]).strip()
    assert first_flag == f"机时预约 #{first.pk}（高分辨液相色谱质谱联用仪）：服务机构与企业的法定代表人相同。"
    assert f'<a class="link-danger" href="{reverse("instruments:detail", args=[instrument.pk])}">' in flags[0]
    assert "booking:" not in html.decode()


def test_without_a_shared_representative_nothing_is_flagged(world, client_for, settlement):
    requested, *_ = settlement
    html = client_for("finance_officer").get(reverse("vouchers:settlement_detail", args=[requested.pk]))
    assert 'data-testid="flags"' not in html.content.decode()


def test_paying_needs_the_confirmation(world, client_for, settlement):
    requested, *_ = settlement
    client = client_for("finance_officer")
    movements = Movement.objects.count()
    pay = reverse("vouchers:settlement_review", args=[requested.pk, "pay"])
    # the one-click post of old, and a confirmation of another amount, pay nothing
    for data in ({}, {"confirm_total": "1650"}, {"confirm_total": "999.00"}):
        response = client.post(pay, data)
        assert response["Location"] == reverse("vouchers:settlement_detail", args=[requested.pk])
    assert Settlement.objects.get(pk=requested.pk).status == "requested" and Movement.objects.count() == movements
    page = client.get(reverse("vouchers:settlement_detail", args=[requested.pk])).content.decode()
    confirmation = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(
        r'data-testid="confirm-payment">(.*?)</form>', page, re.S).group(1)))
    assert "向测试材料研究院拨付 1,650.00 元，即 2 笔订单中由创新券承担的部分。" in confirmation
    assert "拨付 1,650.00 元" in confirmation
    assert 'name="confirm_total" value="1650.00"' in page
    assert client.post(pay, {"confirm_total": "1650.00"}).status_code == 302
    assert Settlement.objects.get(pk=requested.pk).status == "paid"
    assert voucher_selectors.ledger_problems() == []


def test_only_the_finance_officer_is_asked_to_pay(world, client_for, settlement):
    requested, *_ = settlement
    for persona in ("provider", "bureau_officer"):
        page = client_for(persona).get(reverse("vouchers:settlement_detail", args=[requested.pk])).content.decode()
        assert "1,650.00" in page and 'data-testid="confirm-payment"' not in page
    refused = client_for("provider").post(reverse("vouchers:settlement_review", args=[requested.pk, "pay"]),
                                          {"confirm_total": "1650.00"})
    assert refused.status_code == 403 and Settlement.objects.get(pk=requested.pk).status == "requested"


def test_a_reference_no_app_describes_keeps_its_key(world):
    scheme = make_scheme(world)
    voucher = issued_voucher(world, scheme)
    voucher_services.voucher_redeem(voucher=voucher, provider=world.orgs.institute, order_ref="o-7",
                                    order_cost=Decimal("100"))
    requested = voucher_services.settlement_request(by=world.users.provider, provider=world.orgs.institute)
    settlement = voucher_selectors.settlement_for(world.users.finance_officer, requested.pk)
    [line] = voucher_selectors.settlement_with_lines(settlement).lines
    assert (line.order.title, line.order.url, line.order.hours) == ("订单 o-7", "", None)
    assert (line.paid_by_voucher, line.paid_by_enterprise) == (Decimal("50.00"), Decimal("50.00"))
