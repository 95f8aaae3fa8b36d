"""The instrument registry, bookings that never overlap, testing orders, completion paid partly by
voucher, utilisation and ratings."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kechuang.core.errors import DomainError, TransitionNotAllowed
from kechuang.instruments import selectors, services
from kechuang.instruments.choices import BookingStatus
from kechuang.instruments.models import Booking, Rating
from kechuang.instruments.tests.factories import category, make_instrument, slot_begun
from kechuang.vouchers import selectors as voucher_selectors
from kechuang.vouchers.models import LedgerAccount, Redemption
from kechuang.vouchers.tests.factories import issued_voucher, make_scheme


def slot(start_hours, length=2):
    start = timezone.now().replace(microsecond=0) + timedelta(days=1, hours=start_hours)
    return start, start + timedelta(hours=length)


@pytest.fixture(autouse=True)
def ledger_holds(db):
    yield
    assert voucher_selectors.ledger_problems() == []


def test_providers_register_their_own_instruments_and_the_catalogue_finds_them(world):
    instrument = make_instrument(world)
    assert instrument.owner == world.orgs.institute
    with pytest.raises(PermissionDenied):
        services.instrument_save(by=world.users.institute_user, data={"name": "无权登记"})
    make_instrument(world, name="场发射扫描电子显微镜", specifications="分辨率1纳米",
                    category=category("0105", "电子光学仪器"))
    found = selectors.instrument_search(world.users.org_admin, "质谱")
    assert [item.name for item in found.page.object_list] == ["高分辨液相色谱质谱联用仪"]


def test_bookings_never_overlap(world):
    instrument = make_instrument(world)
    start, end = slot(0)
    first = services.booking_request(by=world.users.org_admin, instrument=instrument, starts_at=start, ends_at=end,
                                     purpose="检测电池电解液成分")
    with pytest.raises(DomainError, match="重叠"):
        services.booking_request(by=world.users.enterprise_user, instrument=instrument,
                                 starts_at=start + timedelta(hours=1), ends_at=end + timedelta(hours=1), purpose="二")
    adjacent = services.booking_request(by=world.users.enterprise_user, instrument=instrument, starts_at=end,
                                        ends_at=end + timedelta(hours=1), purpose="紧接着的时段")
    assert Booking.objects.count() == 2 and adjacent.starts_at == first.ends_at
    services.booking_answer(by=world.users.provider, booking=first, confirm=False, reason="设备维护")
    again = services.booking_request(by=world.users.institute_user, instrument=instrument, starts_at=start,
                                      ends_at=end, purpose="取消后再约")
    assert again.status == BookingStatus.PENDING


def test_a_booking_needs_a_future_slot_that_ends_after_it_starts(world):
    instrument = make_instrument(world)
    start, end = slot(0)
    with pytest.raises(ValidationError):
        services.booking_request(by=world.users.org_admin, instrument=instrument, starts_at=end, ends_at=start,
                                 purpose="倒置")
    with pytest.raises(ValidationError):
        services.booking_request(by=world.users.org_admin, instrument=instrument,
                                 starts_at=start - timedelta(days=3), ends_at=end - timedelta(days=3), purpose="过去")
    assert not Booking.objects.exists()


def test_completion_pays_the_voucher_share(world):
    instrument = make_instrument(world)
    voucher = issued_voucher(world, make_scheme(world, share=Decimal("0.5")), amount=Decimal("1000"))
    start, end = slot(0)
    booking = services.booking_request(by=world.users.org_admin, instrument=instrument, starts_at=start,
                                       ends_at=end, purpose="检测", voucher=voucher)
    with pytest.raises(TransitionNotAllowed):       # not confirmed yet
        services.booking_complete(by=world.users.provider, booking=booking, hours=Decimal("2"), cost=Decimal("1200"))
    services.booking_answer(by=world.users.provider, booking=booking, confirm=True)
    with pytest.raises(PermissionDenied):     # not the owner's provider
        services.booking_answer(by=world.users.org_admin, booking=booking, confirm=True)
    slot_begun(booking)
    services.booking_complete(by=world.users.provider, booking=booking, hours=Decimal("2"), cost=Decimal("1200"))
    redemption = Redemption.objects.get(order_ref=f"booking:{booking.pk}")
    assert redemption.amount == Decimal("600.00") and redemption.provider == world.orgs.institute
    assert LedgerAccount.objects.get(pk=voucher.account_id).balance == Decimal("400.00")


def test_another_organisation_s_voucher_is_refused(world):
    instrument = make_instrument(world)
    voucher = issued_voucher(world, make_scheme(world))
    start, end = slot(0)
    with pytest.raises(ValidationError):
        services.booking_request(by=world.users.broker, instrument=instrument, starts_at=start, ends_at=end,
                                 purpose="借用别家的券", voucher=voucher)
    assert not Booking.objects.exists()


def test_testing_orders_utilisation_and_ratings(world):
    instrument = make_instrument(world)
    voucher = issued_voucher(world, make_scheme(world), amount=Decimal("5000"))
    order = services.order_request(by=world.users.org_admin, instrument=instrument, samples=4,
                                   description="电池正极材料元素分析", voucher=voucher)
    services.order_answer(by=world.users.provider, order=order, accept=True)
    services.order_complete(by=world.users.provider, order=order, hours=Decimal("3"), cost=Decimal("2400"))
    assert Redemption.objects.get(order_ref=f"order:{order.pk}").amount == Decimal("1200.00")
    start, end = slot(0)
    internal = services.booking_request(by=world.users.institute_user, instrument=instrument, starts_at=start,
                                        ends_at=end, purpose="本单位使用")
    services.booking_answer(by=world.users.provider, booking=internal, confirm=True)
    slot_begun(internal)
    services.booking_complete(by=world.users.provider, booking=internal, hours=Decimal("1.5"), cost=Decimal("450"))
    year = timezone.localdate().year
    [row] = selectors.utilisation(year, owner=world.orgs.institute)
    assert (row["hours"], row["external"]) == (Decimal("4.5"), Decimal("3"))
    [per_org] = [r for r in selectors.utilisation_by_organisation(year) if r["organization"] == "测试材料研究院"]
    assert (per_org["hours"], per_org["external"], per_org["instruments"]) == (Decimal("4.5"), Decimal("3"), 1)
    services.rating_add(by=world.users.org_admin, service=order, score=5, comment="出报告很快")
    with pytest.raises(DomainError):
        services.rating_add(by=world.users.org_admin, service=order, score=4)
    with pytest.raises(PermissionDenied):
        services.rating_add(by=world.users.enterprise_user, service=internal, score=1)
    assert selectors.average_rating(instrument) == {"average": 5.0, "count": 1}
    assert Rating.objects.count() == 1


def test_a_scheme_pays_only_its_kinds_of_service(world):
    instrument = make_instrument(world)
    voucher = issued_voucher(world, make_scheme(world, eligible_services=["sample_testing"]))
    start, end = slot(0)
    with pytest.raises(ValidationError) as error:
        services.booking_request(by=world.users.org_admin, instrument=instrument, starts_at=start, ends_at=end,
                                 purpose="机时", voucher=voucher)
    assert error.value.message_dict == {"voucher": ["该创新券所属方案不支付此类服务。"]}
    order = services.order_request(by=world.users.org_admin, instrument=instrument, samples=1,
                                   description="送样检测", voucher=voucher)
    assert order.voucher == voucher and not Booking.objects.exists()


def test_the_catalogue_counts_each_facet(client_for, world):
    from django.urls import reverse

    make_instrument(world)
    make_instrument(world, name="场发射扫描电镜", category=category("0105", "电子光学仪器"))
    make_instrument(world, name="电化学工作站", category=category("02", "物理性能测试仪器"), status="maintenance")
    facets = selectors.catalogue_facets(world.users.org_admin)
    assert facets == {"category": {"01": 2, "02": 1}, "status": {"available": 2, "maintenance": 1}}
    assert selectors.catalogue_facets(world.users.org_admin, "质谱")["category"] == {"01": 1}
    page = client_for("public").get(reverse("instruments:catalogue")).content.decode()
    assert "分析仪器 (2)" in page and "维护中 (1)" in page


def test_every_default_category_has_an_english_name(db):
    from django.utils import translation

    from kechuang.instruments.models import InstrumentCategory

    assert list(InstrumentCategory.objects.filter(name_en="").values_list("code", flat=True)) == []
    with translation.override("en"):
        assert str(InstrumentCategory.objects.get(code="0101")) == "Mass spectrometry instruments"

