"""Programme money, counts and dates within range: the requested funding over the API, an
award, a sponsor's contribution, a disbursement and the call's panel sizes."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kechuang.programs import services
from kechuang.programs.choices import ProgrammeKind
from kechuang.programs.models import Application, JointFundContribution
from kechuang.programs.tests.factories import make_application, make_call, make_programme

NOT_FINITE = "请输入有限的数值：NaN、Infinity 不是有效数字。"
TOO_HIGH = "请输入不超过 1,000,000 万元 的数值。"


@pytest.mark.parametrize(("amount", "message"), [
    ("NaN", NOT_FINITE), (1e30, TOO_HIGH), ("1E+999999999", TOO_HIGH), ("0", "请输入大于 0 万元 的数值。"),
    ("30.001", "最多保留 2 位小数。")])
def test_requested_funding_out_of_range_is_a_422(world, client_for, call, amount, message):
    response = client_for("enterprise_user").post(f"/api/v1/programmes/calls/{call.pk}/applications", {
        "title": "锂电池健康状态估计", "requested_amount": amount}, content_type="application/json")
    assert response.status_code == 422 and [item["msg"] for item in response.json()["detail"]] == [message]
    assert not Application.objects.exists()


def test_an_award_amount_out_of_range_awards_nothing(world, call):
    application = make_application(call, world.users.enterprise_user, submit=True)
    Application.objects.filter(pk=application.pk).update(status="in_review")
    for amount, message in ((Decimal("NaN"), NOT_FINITE), (Decimal("1e30"), TOO_HIGH)):
        with pytest.raises(ValidationError) as error:
            services.application_decide(by=world.users.bureau_officer, application=application, award=True,
                                        amount=amount)
        assert error.value.message_dict == {"amount": [message]}
    application.refresh_from_db()
    assert (application.status, application.awarded_amount) == ("in_review", None)


def test_a_contribution_is_an_amount_received_already(world):
    fund = make_programme(ProgrammeKind.JOINT_FUND, sponsor=world.orgs.enterprise, name="联合基金")
    officer = world.users.bureau_officer
    cases = [(Decimal("1e30"), date.today(), {"amount": [TOO_HIGH]}),
             (Decimal("10"), date.today() + timedelta(days=1), {"received_on": ["日期不能晚于今天。"]}),
             (Decimal("10"), date(1900, 1, 1), {"received_on": ["日期不能早于 1950-01-01。"]})]
    for number, (amount, received_on, errors) in enumerate(cases):
        with pytest.raises(ValidationError) as error:
            services.contribution_record(by=officer, programme=fund, amount=amount, received_on=received_on,
                                         reference=f"BANK-{number}")
        assert error.value.message_dict == errors
    assert not JointFundContribution.objects.exists()


@pytest.mark.parametrize(("data", "errors"), [
    ({"reviewers_per_application": 0}, {"reviewers_per_application": ["请输入不小于 1 的数值。"]}),
    ({"reviewers_per_application": 51}, {"reviewers_per_application": ["请输入不超过 50 的数值。"]}),
    ({"reviewers_per_application": 3, "enterprise_reviewers": 4},
     {"enterprise_reviewers": ["企业专家人数不能超过每份申请的评审专家人数。"]}),
    ({"year": 2101}, {"year": ["请输入不超过 2100 的数值。"]}),
    ({"budget": Decimal("1000000.01")}, {"budget": [TOO_HIGH]}),
])
def test_a_call_keeps_its_panel_and_money_in_range(world, data, errors):
    call = make_call(open_now=False, created_by=world.users.bureau_officer)
    with pytest.raises(ValidationError) as error:
        services.call_save(by=world.users.bureau_officer, call=call, data=data)
    assert error.value.message_dict == errors
