"""Every number and date has a range, declared once on its model field (core.fields): the
validator, the CHECK constraint, the form field, the API type and the import cell all follow it."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from ninja import Schema
from pydantic import ValidationError as SchemaError

from kechuang.achievements.models import Achievement, FundedProject
from kechuang.core.fields import BoundedMixin, RangeCheck, bounded_fields
from kechuang.core.forms import model_form_field
from kechuang.core.importing import Column
from kechuang.core.schemas import AwareDateTime, field_type
from kechuang.core.search import QueryParams
from kechuang.core.validators import parse_number
from kechuang.instruments.models import Booking, ServiceOrder
from kechuang.vouchers.models import Voucher

# Numbers and dates that no user enters: counters, positions and keys the platform keeps itself,
# figures it computes, and the voucher ledger (its own constraints: docs/vouchers.md).
UNBOUNDED = {
    "core.AuditChainHead.last_event_id", "core.AuditChainHead.length", "core.Attachment.size", "core.Job.progress",
    "core.District.sort_order", "core.IndustryChain.sort_order", "core.TechField.sort_order",
    "core.IndustryClass.sort_order", "core.ReadinessLevel.level", "accounts.SignInThrottle.failures",
    "achievements.Achievement.version", "achievements.Achievement.facet_trl", "achievements.Completer.order",
    "achievements.AchievementVersion.number", "vouchers.LedgerAccount.balance", "vouchers.Movement.amount",
    "vouchers.Redemption.booked_on", "vouchers.Redemption.completed_on", "matching.Matchmaking.match_score",
    "matching.RecommendationFeedback.strength", "instruments.Booking.completed_on",
    "instruments.ServiceOrder.completed_on", "instruments.WarningEntry.instruments", "instruments.WarningEntry.low_use",
    "instruments.WarningEntry.average_hours", "programs.ReviewAssignment.affinity",
}
NUMBERS_AND_DATES = (models.DecimalField, models.IntegerField, models.FloatField, models.DateField)

REFUSED = [
    ("NaN", "请输入有限的数值：NaN、Infinity 不是有效数字。"),
    ("sNaN", "请输入有限的数值：NaN、Infinity 不是有效数字。"),
    ("Infinity", "请输入有限的数值：NaN、Infinity 不是有效数字。"),
    ("-inf", "请输入有限的数值：NaN、Infinity 不是有效数字。"),
    ("1E+999999999", "请输入不超过 1,000,000 万元 的数值。"),
    ("1e30", "请输入不超过 1,000,000 万元 的数值。"),
    ("1000000.01", "请输入不超过 1,000,000 万元 的数值。"),
    ("-0.01", "请输入不小于 0 万元 的数值。"),
    ("0.001", "最多保留 2 位小数。"),
    ("abc", "请输入数字，例如 12.5。"),
]


def test_every_number_and_date_a_user_enters_has_a_range():
    """A new number or date column without a range fails here: give it a bounded field (or, if
    no user ever enters it, add it to UNBOUNDED with the reason)."""
    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("kechuang."):
            continue
        for field in model._meta.concrete_fields:
            label = f"{model._meta.label}.{field.name}"
            if not isinstance(field, NUMBERS_AND_DATES) or field.is_relation or field.primary_key:
                continue
            # Unbounded date-times are the server's own time stamps (created_at, decided_at...).
            stamped = isinstance(field, models.DateTimeField)
            if not isinstance(field, BoundedMixin) and not stamped and label not in UNBOUNDED:
                missing.append(label)
    assert missing == []


def test_each_range_is_a_check_constraint_of_its_model():
    fields = bounded_fields()
    assert {(Achievement, "price"), (ServiceOrder, "samples"), (Booking, "starts_at")} <= {
        (model, field.name) for model, field in fields}
    for model, field in fields:
        [check] = [c for c in model._meta.constraints if c.name == f"{model._meta.app_label}_"
                   f"{model._meta.model_name}_{field.name}_range"]
        assert isinstance(check, RangeCheck) and check.condition == field.range_condition()
        low, high = field.limits()
        assert high is not None and (low is not None or field.positive)


@pytest.mark.parametrize(("text", "message"), REFUSED)
def test_a_bad_price_is_refused_with_one_chinese_message(text, message):
    price = Achievement._meta.get_field("price")
    with pytest.raises(ValidationError) as error:
        price.run_validators(parse_number(text))
    assert error.value.messages == [message]


def test_the_price_bounds_and_whole_units_are_accepted():
    price = Achievement._meta.get_field("price")
    for text in ("0", "0.01", "1000000", "1,000,000.00", "１２.５"):
        price.run_validators(parse_number(text))
    assert parse_number("１２.５") == Decimal("12.5")


def test_counts_years_shares_and_dates_have_their_own_bounds():
    samples, year = ServiceOrder._meta.get_field("samples"), FundedProject._meta.get_field("year")
    assert (samples.limits(), year.limits()) == ((1, 10000), (1990, 2100))
    with pytest.raises(ValidationError, match="请输入不超过 10,000 的数值"):
        samples.run_validators(2 ** 63 - 1)
    with pytest.raises(ValidationError, match="请输入不小于 1 的数值"):
        samples.run_validators(0)
    share = apps.get_model("vouchers", "VoucherScheme")._meta.get_field("share")
    share.run_validators(Decimal("1"))
    with pytest.raises(ValidationError, match="请输入大于 0 的数值"):
        share.run_validators(Decimal("0"))
    deadline = apps.get_model("demands", "Demand")._meta.get_field("deadline")
    with pytest.raises(ValidationError, match="日期不能早于 1950-01-01"):
        deadline.run_validators(date(1900, 1, 1))
    with pytest.raises(ValidationError, match="日期不能晚于 2100-12-31"):
        deadline.run_validators(date(2101, 1, 1))
    with pytest.raises(ValidationError, match="请给出带时区的时间"):
        Booking._meta.get_field("starts_at").run_validators(datetime(2027, 1, 1, 9))


def test_the_database_refuses_what_the_validator_refuses(world):
    from kechuang.achievements.tests.factories import make_achievement

    achievement = make_achievement(world)
    for value in (Decimal("1000000.01"), Decimal("-1")):
        with pytest.raises(IntegrityError), transaction.atomic():
            Achievement.objects.filter(pk=achievement.pk).update(price=value)
    Achievement.objects.filter(pk=achievement.pk).update(price=Decimal("1000000"))
    assert Achievement.objects.get(pk=achievement.pk).price == Decimal("1000000")


def test_a_form_field_reads_like_the_import_and_shows_the_bounds():
    field = model_form_field(Voucher, "requested_amount")
    assert (field.widget.attrs["min"], field.widget.attrs["max"]) == ("0.01", "10000000000")
    for text, message in (("NaN", "请输入有限的数值：NaN、Infinity 不是有效数字。"),
                          ("0.001", "最多保留 2 位小数。"), ("0", "请输入大于 0 元 的数值。"),
                          ("1E+999999999", "请输入不超过 10,000,000,000 元 的数值。")):
        with pytest.raises(ValidationError) as error:
            field.clean(text)
        assert error.value.messages == [message]
    assert field.clean("0.01") == Decimal("0.01")


class Body(Schema):
    price: field_type(Achievement, "price") | None = None
    samples: field_type(ServiceOrder, "samples") = 1
    at: AwareDateTime | None = None


@pytest.mark.parametrize(("body", "message"), [
    ({"price": "NaN"}, "请输入有限的数值：NaN、Infinity 不是有效数字。"),
    ({"price": float("inf")}, "请输入有限的数值：NaN、Infinity 不是有效数字。"),
    ({"price": 1e30}, "请输入不超过 1,000,000 万元 的数值。"),
    ({"price": "1E+999999999"}, "请输入不超过 1,000,000 万元 的数值。"),
    ({"price": True}, "请输入数字，例如 12.5。"),
    ({"samples": 2 ** 63 - 1}, "请输入不超过 10,000 的数值。"),
    ({"samples": "1E+999999999"}, "请输入不超过 10,000 的数值。"),
    ({"samples": 2.5}, "请输入整数。"),
    ({"at": "2027-01-01T09:00:00"}, "请给出带时区的时间，例如 2026-05-01T09:00:00+08:00。"),
])
def test_an_api_type_refuses_with_the_same_message(body, message):
    with pytest.raises(SchemaError) as error:
        Body(**body)
    assert [item["msg"] for item in error.value.errors()] == [message]


def test_an_api_type_takes_the_bounds_and_publishes_them():
    assert Body(price="1000000", samples="10000").price == Decimal("1000000")
    schema = Body.model_json_schema()["properties"]
    assert schema["samples"]["minimum"] == 1 and schema["samples"]["maximum"] == 10000
    assert {"type": "number", "minimum": 0.0, "maximum": 1000000.0} in schema["price"]["anyOf"]


@pytest.mark.parametrize(("cell", "message"), [
    ("NaN", "请输入有限的数值：NaN、Infinity 不是有效数字。"),
    (float("nan"), "请输入有限的数值：NaN、Infinity 不是有效数字。"), ("abc", "请输入数字，例如 12.5。")])
def test_an_import_cell_that_is_no_number(cell, message):
    with pytest.raises(ValidationError) as error:
        Column("price", "转化价格（万元）", kind="decimal").parse(cell, None)
    assert error.value.messages == [message]


def test_an_integer_cell_too_large_for_any_column():
    column = Column("year", "立项年度", kind="integer")
    assert column.parse(2025.0, None) == 2025
    with pytest.raises(ValidationError, match="数值过大"):
        column.parse("1E+999999999", None)


def test_a_query_string_number_is_left_out_with_its_reason():
    class Params(QueryParams):
        price_min = "NaN"
        price_max = "2e6"
        other = "12.5"

    params, price = Params(), Achievement._meta.get_field("price")
    assert [params.number(name, price) for name in ("price_min", "price_max", "other")] == [
        None, None, Decimal("12.5")]
    assert params.ignored == {
        "price_min": "筛选条件“NaN”已忽略：请输入有限的数值：NaN、Infinity 不是有效数字。",
        "price_max": "筛选条件“2e6”已忽略：请输入不超过 1,000,000 万元 的数值。"}


def test_date_windows_relative_to_today():
    from kechuang.core.validators import validate_not_future, validate_not_past

    today = date.today()
    validate_not_past(today)
    validate_not_future(today)
    with pytest.raises(ValidationError, match="日期不能早于今天"):
        validate_not_past(today - timedelta(days=1))
    with pytest.raises(ValidationError, match="日期不能晚于今天"):
        validate_not_future(today + timedelta(days=1))
