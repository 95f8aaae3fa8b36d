"""A signed contract's amount and date, and a meeting's time, within range whichever way they come:
the case page, the API or the service."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kechuang.matching import services
from kechuang.matching.choices import CaseStatus
from kechuang.matching.models import Matchmaking, MatchmakingEvent

NOT_FINITE = "请输入有限的数值：NaN、Infinity 不是有效数字。"
TOO_HIGH = "请输入不超过 1,000,000 万元 的数值。"
JSON = "application/json"


@pytest.fixture
def accepted(world, market):
    case = services.case_open(by=world.users.org_admin, demand=market.demand, achievement=market.battery)
    return services.case_accept(case=case, by=world.users.institute_user)


def unsigned(case):
    case.refresh_from_db()
    return case.status == CaseStatus.ACCEPTED and case.contract_amount is None


@pytest.mark.parametrize(("amount", "message"), [
    ("NaN", NOT_FINITE), ("Infinity", NOT_FINITE), ("1e30", TOO_HIGH), (1e30, TOO_HIGH), ("1E+999999999", TOO_HIGH),
    ("1000000.01", TOO_HIGH), ("12.345", "最多保留 2 位小数。"), ("-1", "请输入不小于 0 万元 的数值。")])
def test_the_sign_api_refuses_an_amount_out_of_range(world, client_for, accepted, amount, message):
    response = client_for("org_admin").post(f"/api/v1/matching/cases/{accepted.pk}/sign", {
        "amount": amount, "signed_on": date.today().isoformat()}, content_type=JSON)
    assert response.status_code == 422 and [item["msg"] for item in response.json()["detail"]] == [message]
    page = client_for("org_admin").post(f"/matching/cases/{accepted.pk}/sign/", {
        "amount": str(amount), "signed_on": date.today().isoformat()}, follow=True)
    assert message in page.content.decode()
    assert unsigned(accepted)


@pytest.mark.parametrize(("signed_on", "message"), [
    (date(1900, 1, 1), "日期不能早于 1950-01-01。"), (date.today() + timedelta(days=1), "签约日期不能晚于今天。")])
def test_the_contract_date_is_in_the_past_and_in_the_window(world, accepted, signed_on, message):
    with pytest.raises(ValidationError) as error:
        services.case_sign(case=accepted, by=world.users.org_admin, amount=Decimal("10"), signed_on=signed_on)
    assert error.value.message_dict == {"signed_on": [message]}
    assert unsigned(accepted)


def test_zero_is_no_contract_and_the_ceiling_is_one(world, client_for, accepted):
    with pytest.raises(ValidationError) as error:
        services.case_sign(case=accepted, by=world.users.org_admin, amount=Decimal("0"), signed_on=date.today())
    assert error.value.message_dict == {"amount": ["请填写大于零的合同金额。"]}
    response = client_for("org_admin").post(f"/api/v1/matching/cases/{accepted.pk}/sign", {
        "amount": "1000000", "signed_on": date.today().isoformat()}, content_type=JSON)
    assert response.status_code == 200 and Decimal(response.json()["contract_amount"]) == Decimal("1000000")
    assert Matchmaking.objects.get().contract_amount == Decimal("1000000")


def test_a_meeting_time_needs_a_time_zone_and_a_plausible_year(world, client_for, accepted):
    response = client_for("org_admin").post(f"/api/v1/matching/cases/{accepted.pk}/notes", {
        "text": "面谈", "meeting_at": "2027-03-01T09:00:00"}, content_type=JSON)
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "请给出带时区的时间，例如 2026-05-01T09:00:00+08:00。"
    response = client_for("org_admin").post(f"/api/v1/matching/cases/{accepted.pk}/notes", {
        "text": "面谈", "meeting_at": "2999-03-01T09:00:00+08:00"}, content_type=JSON)
    assert response.status_code == 422 and response.json()["detail"][0]["msg"].startswith("日期不能晚于 2100-12-31")
    assert not MatchmakingEvent.objects.filter(kind="meeting").exists()
