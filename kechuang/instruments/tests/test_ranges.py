"""Bookings that cannot block an instrument for everyone, usage records within range, sample
counts with a ceiling, and instrument records held to clean_instrument whichever way they come."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kechuang.achievements.tests.test_import import sheet, upload
from kechuang.core.errors import DomainError
from kechuang.instruments import services
from kechuang.instruments.importers import import_instruments
from kechuang.instruments.models import Booking, Instrument, ServiceOrder
from kechuang.instruments.tests.factories import category, make_instrument, slot_begun
from kechuang.instruments.tests.test_import import HEADERS, row

NOT_FINITE = "请输入有限的数值：NaN、Infinity 不是有效数字。"
JSON = "application/json"


def later(**delta):
    return timezone.now().replace(microsecond=0) + timedelta(**delta)


def book(world, start, end, by=None):
    return services.booking_request(by=by or world.users.org_admin, instrument=make_instrument(world),
                                    starts_at=start, ends_at=end, purpose="检测")


def test_a_booking_lasts_at_most_the_configured_days(world, settings):
    assert settings.KECHUANG_BOOKING_MAX_DAYS == 14
    start = later(days=1)
    with pytest.raises(ValidationError) as error:
        book(world, start, start + timedelta(days=14, seconds=1))
    assert error.value.message_dict == {"ends_at": ["一次预约最长占用仪器 14 天。"]}
    assert book(world, start, start + timedelta(days=14)).ends_at == start + timedelta(days=14)
    settings.KECHUANG_BOOKING_MAX_DAYS = 2
    with pytest.raises(ValidationError, match="一次预约最长占用仪器 2 天"):
        book(world, later(days=20), later(days=22, seconds=1))


def test_a_booking_starts_at_most_the_configured_days_ahead(world, settings):
    assert settings.KECHUANG_BOOKING_MAX_AHEAD_DAYS == 180
    with pytest.raises(ValidationError) as error:
        book(world, later(days=181), later(days=181, hours=2))
    assert error.value.message_dict == {"starts_at": ["最多可提前 180 天预约。"]}
    # The report of the probe: 2027 to 2099 held the instrument for everyone.
    with pytest.raises(ValidationError) as error:
        book(world, later(days=365), later(days=365 * 70))
    assert set(error.value.message_dict) == {"starts_at", "ends_at"}
    assert not Booking.objects.exists()
    assert book(world, later(days=179), later(days=179, hours=2)).pk


def test_a_booking_needs_a_time_zone(world):
    start = later(days=1).replace(tzinfo=None)
    with pytest.raises(ValidationError) as error:
        book(world, start, start + timedelta(hours=2))
    assert error.value.message_dict["starts_at"] == ["请给出带时区的时间，例如 2026-05-01T09:00:00+08:00。"]


@pytest.mark.parametrize(("starts_at", "ends_at", "field", "message"), [
    ("2027-03-01T09:00:00", "2027-03-01T11:00:00+08:00", "starts_at",
     "请给出带时区的时间，例如 2026-05-01T09:00:00+08:00。"),
    ("2027-03-01T09:00:00+08:00", "2027-03-01T11:00:00", "ends_at",
     "请给出带时区的时间，例如 2026-05-01T09:00:00+08:00。"),
])
def test_a_naive_datetime_in_the_api_is_a_422(world, client_for, starts_at, ends_at, field, message):
    instrument = make_instrument(world)
    response = client_for("org_admin").post(f"/api/v1/instruments/{instrument.pk}/bookings", {
        "starts_at": starts_at, "ends_at": ends_at, "purpose": "检测"}, content_type=JSON)
    assert response.status_code == 422
    assert [(item["loc"][-1], item["msg"]) for item in response.json()["detail"]] == [(field, message)]
    assert not Booking.objects.exists()


def test_the_api_books_far_ahead_no_more_than_the_setting(world, client_for):
    instrument = make_instrument(world)
    start = later(days=200)
    response = client_for("org_admin").post(f"/api/v1/instruments/{instrument.pk}/bookings", {
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat(), "purpose": "检测"},
        content_type=JSON)
    assert response.status_code == 422 and response.json()["detail"] == {"starts_at": ["最多可提前 180 天预约。"]}


def confirmed(world, start, end):
    booking = book(world, start, end)
    return services.booking_answer(by=world.users.provider, booking=booking, confirm=True)


def test_a_booking_is_completed_only_once_its_slot_has_begun(world):
    booking = confirmed(world, later(days=7), later(days=7, hours=2))
    with pytest.raises(DomainError, match="预约时段开始后才能登记完成"):
        services.booking_complete(by=world.users.provider, booking=booking, hours=Decimal("1"), cost=Decimal("100"))
    booking.refresh_from_db()
    assert (booking.status, booking.effective_hours) == ("confirmed", None)
    slot_begun(booking, ago=timedelta(0))
    services.booking_complete(by=world.users.provider, booking=booking, hours=Decimal("2"), cost=Decimal("100"))
    booking.refresh_from_db()
    assert (booking.status, booking.effective_hours) == ("completed", Decimal("2"))


@pytest.mark.parametrize(("hours", "cost", "errors"), [
    (Decimal("2.01"), Decimal("0"), {"hours": ["有效机时不能超过预约的 2.00 小时。"]}),
    (Decimal("-1"), Decimal("0"), {"hours": ["请输入不小于 0 小时 的数值。"]}),
    (Decimal("1e30"), Decimal("1e30"), {"hours": ["请输入不超过 8784 小时 的数值。"],
                                        "cost": ["请输入不超过 100,000,000 元 的数值。"]}),
    (Decimal("NaN"), Decimal("0.001"), {"hours": [NOT_FINITE], "cost": ["最多保留 2 位小数。"]}),
    (None, None, {"hours": ["这个字段是必填项。"], "cost": ["这个字段是必填项。"]}),
])
def test_usage_out_of_range_is_refused_and_nothing_is_stored(world, hours, cost, errors):
    booking = slot_begun(confirmed(world, later(days=1), later(days=1, hours=2)))
    with pytest.raises(ValidationError) as error:
        services.booking_complete(by=world.users.provider, booking=booking, hours=hours, cost=cost)
    assert error.value.message_dict == errors
    booking.refresh_from_db()
    assert (booking.status, booking.effective_hours, booking.cost) == ("confirmed", None, None)


@pytest.mark.parametrize(("body", "message"), [
    ({"hours": 1e30, "cost": "100"}, "请输入不超过 8784 小时 的数值。"),
    ({"hours": "NaN", "cost": "100"}, NOT_FINITE),
    ({"hours": "1", "cost": "1E+999999999"}, "请输入不超过 100,000,000 元 的数值。"),
])
def test_the_complete_api_refuses_out_of_range_usage(world, client_for, body, message):
    booking = slot_begun(confirmed(world, later(days=1), later(days=1, hours=2)))
    response = client_for("provider").post(f"/api/v1/instruments/bookings/{booking.pk}/complete", body,
                                           content_type=JSON)
    assert response.status_code == 422 and [item["msg"] for item in response.json()["detail"]] == [message]
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_the_utilisation_page_survives_any_year(world, client_for):
    for year in ("99999999999999999999", "0", "-5", "²", "abc"):
        assert client_for("provider").get(reverse("instruments:utilisation"), {"year": year}).status_code == 200


@pytest.mark.parametrize(("samples", "message"), [
    (2 ** 63 - 1, "请输入不超过 10,000 的数值。"), (0, "请输入不小于 1 的数值。"),
    ("1E+999999999", "请输入不超过 10,000 的数值。"), (2.5, "请输入整数。")])
def test_sample_counts_have_a_ceiling(world, client_for, samples, message):
    instrument = make_instrument(world)
    response = client_for("org_admin").post(f"/api/v1/instruments/{instrument.pk}/orders", {
        "samples": samples, "description": "成分分析"}, content_type=JSON)
    assert response.status_code == 422 and [item["msg"] for item in response.json()["detail"]] == [message]
    page = client_for("org_admin").post(reverse("instruments:request", args=[instrument.pk, "order"]), {
        "samples": str(samples), "description": "成分分析"}, follow=True)
    assert message in page.content.decode() and not ServiceOrder.objects.exists()
    assert services.order_request(by=world.users.org_admin, instrument=instrument, samples=10000,
                                  description="成分分析").samples == 10000


def test_an_instrument_import_is_held_to_clean_instrument(world):
    category()
    rows = [row(world, **{"原值（万元）": "NaN"}), row(world, "贵仪器", **{"原值（万元）": 1e30}),
            row(world, "免费仪器", **{"原值（万元）": 0}), row(world, "高价", **{"对外收费（元）": "1000000.01"})]
    result = import_instruments(uploaded=upload(sheet(rows, HEADERS)), by=world.users.provider, dry_run=False)
    assert sorted((e.row, e.column, e.message) for e in result.errors) == [
        (2, "原值（万元）", NOT_FINITE), (3, "原值（万元）", "请输入不超过 1,000,000 万元 的数值。"),
        (4, "原值（万元）", "请输入大于 0 万元 的数值。"), (5, "对外收费（元）", "请输入不超过 1,000,000 元 的数值。")]
    assert not Instrument.objects.exists()


def test_an_instrument_bought_tomorrow_is_refused(world):
    with pytest.raises(ValidationError) as error:
        make_instrument(world, purchased_on=timezone.localdate() + timedelta(days=1))
    assert error.value.message_dict == {"purchased_on": ["日期不能晚于今天。"]}
