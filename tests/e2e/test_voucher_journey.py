"""An enterprise applies for a voucher and is approved, books an instrument with it; the provider
confirms and completes the booking; the voucher pays its share; the provider requests settlement
and the finance officer pays."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from kechuang.accounts.choices import OrganizationKind, OrgRole, PlatformRole
from kechuang.accounts.tests.factories import OrganizationFactory, grant, member_of
from kechuang.instruments import services as instrument_services
from kechuang.instruments.models import Booking, InstrumentCategory
from kechuang.instruments.tests.factories import slot_begun
from kechuang.vouchers import selectors, services
from kechuang.vouchers.models import LedgerAccount, Settlement, Voucher
from tests.e2e.test_achievement_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def new_page(browser, live_server, email):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    sign_in(page, live_server, email)
    return page


def test_voucher_from_application_to_settlement(live_server, browser, screenshot_dir):
    bureau = OrganizationFactory(name="示范市科学技术局", kind=OrganizationKind.GOVERNMENT)
    officer = grant(member_of(bureau, name="科员李明", email="li@example.cn"), PlatformRole.BUREAU_OFFICER)
    finance = grant(member_of(bureau, name="财务赵敏", email="zhao@example.cn"), PlatformRole.FINANCE_OFFICER)
    enterprise = OrganizationFactory(name="示范储能科技有限公司", kind=OrganizationKind.ENTERPRISE)
    manager = member_of(enterprise, OrgRole.ADMIN, name="张经理", email="zhang@example.cn")
    testing = OrganizationFactory(name="示范市分析测试研究所", kind=OrganizationKind.INSTITUTE)
    provider = grant(member_of(testing, OrgRole.ADMIN, name="吴老师", email="wu@example.cn"), PlatformRole.PROVIDER)
    category, _created = InstrumentCategory.objects.get_or_create(code="0101", defaults={"name": "质谱仪器"})
    instrument_services.instrument_save(by=provider, data={
        "name": "高分辨液相色谱质谱联用仪", "category": category, "original_value": Decimal("420"),
        "internal_price": Decimal("400"), "external_price": Decimal("800")})
    today = timezone.localdate()
    services.scheme_create(by=officer, data={
        "name": "示范市科技创新券", "year": today.year, "total_budget": Decimal("1000000"),
        "per_enterprise_cap": Decimal("100000"), "share": Decimal("0.5"), "valid_from": today - timedelta(days=1),
        "valid_until": today + timedelta(days=200)})

    # The enterprise applies for a voucher.
    page = new_page(browser, live_server, manager.email)
    page.goto(f"{live_server.url}/vouchers/")
    form = page.get_by_test_id("apply-form")
    form.locator("#id_amount").fill("20000")
    form.locator("#id_purpose").fill("委托检测电池正极材料")
    form.get_by_role("button", name="申领").click()
    assert "已申领" in page.get_by_test_id("my-vouchers").inner_text()
    page.close()

    # The bureau officer issues it.
    page = new_page(browser, live_server, officer.email)
    page.goto(f"{live_server.url}/vouchers/manage/")
    page.get_by_test_id("voucher-application").get_by_test_id("issue").click()
    assert page.get_by_test_id("voucher-application").count() == 0
    page.close()
    voucher = Voucher.objects.get()

    # The enterprise books the instrument and chooses the voucher.
    page = new_page(browser, live_server, manager.email)
    page.goto(f"{live_server.url}/instruments/")
    page.get_by_test_id("instruments").get_by_role("link").first.click()
    start = (timezone.localtime() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    form = page.get_by_test_id("booking-form")
    form.locator("#id_starts_at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    form.locator("#id_ends_at").fill((start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    form.locator("#id_purpose").fill("正极材料成分分析")
    form.locator("#id_voucher").select_option(str(voucher.pk))
    page.screenshot(path=screenshot_dir / "instruments-booking-zh.png", full_page=True)
    form.get_by_role("button", name="提交预约").click()
    assert "待确认" in page.get_by_test_id("my-bookings").inner_text()
    page.close()

    # The provider confirms it; once the slot has begun (two days pass) the provider completes it:
    # 3 hours at 800 yuan; the voucher pays half.
    page = new_page(browser, live_server, provider.email)
    page.goto(f"{live_server.url}/instruments/queue/")
    page.get_by_test_id("confirm").click()
    assert page.get_by_test_id("complete-form").count() == 0
    slot_begun(Booking.objects.get())
    page.reload()
    form = page.get_by_test_id("complete-form")
    form.locator("input[name=hours]").fill("3")
    form.locator("input[name=cost]").fill("2400")
    form.get_by_role("button", name="已完成").click()
    assert "暂无待处理事项" in page.get_by_test_id("queue-bookings").inner_text()
    assert LedgerAccount.objects.get(pk=voucher.account_id).balance == Decimal("18800.00")
    page.goto(f"{live_server.url}/vouchers/settlements/")
    assert "1,200.00" in page.get_by_test_id("pending").inner_text()
    page.get_by_test_id("request-settlement").click()
    assert "已申请" in page.get_by_test_id("settlement").inner_text()
    page.screenshot(path=screenshot_dir / "vouchers-settlement-requested-zh.png", full_page=True)
    page.close()

    # The finance officer reads the line items and pays on the confirmation.
    page = new_page(browser, live_server, finance.email)
    page.goto(f"{live_server.url}/vouchers/settlements/")
    lines = page.get_by_test_id("settlement-lines").inner_text()
    assert "机时预约 #" in lines and "高分辨液相色谱质谱联用仪" in lines and "2,400.00" in lines
    page.get_by_test_id("review").click()
    confirmation = page.get_by_test_id("confirm-payment")
    assert "向示范市分析测试研究所拨付 1,200.00 元" in confirmation.inner_text()
    page.screenshot(path=screenshot_dir / "vouchers-settlement-confirm-zh.png", full_page=True)
    confirmation.get_by_test_id("pay").click()
    assert "已拨付" in page.get_by_test_id("settlement").inner_text()
    page.screenshot(path=screenshot_dir / "vouchers-settlement-paid-zh.png", full_page=True)
    page.close()

    page = new_page(browser, live_server, manager.email)
    page.goto(f"{live_server.url}/vouchers/")
    assert page.get_by_test_id("balance").inner_text() == "18,800.00"
    page.screenshot(path=screenshot_dir / "vouchers-balance-zh.png", full_page=True)
    page.close()
    assert Settlement.objects.get().status == "paid" and selectors.ledger_problems() == []
