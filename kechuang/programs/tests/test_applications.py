"""Calls and applications: eligibility rules, deadlines, the frozen form, every transition allowed
and denied (a denied one changes nothing)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from kechuang.accounts.choices import OrganizationKind, OrganizationStatus
from kechuang.accounts.tests.factories import member_of
from kechuang.core.errors import DomainError, TransitionNotAllowed
from kechuang.core.models import AuditEvent, District, TechField
from kechuang.programs import selectors, services
from kechuang.programs.choices import ApplicationStatus, ProgrammeKind
from kechuang.programs.models import Application, Call, Project
from kechuang.programs.tests.factories import make_application, make_call, make_programme


def snapshot(application):
    application.refresh_from_db()
    return (application.status, application.reference, application.return_reason, application.updated_at,
            AuditEvent.objects.count())


# -- calls ---------------------------------------------------------------------------------------


def test_the_form_is_frozen_once_the_call_opens(world, call):
    with pytest.raises(DomainError, match="不能再修改"):
        services.call_set_form(by=world.users.bureau_officer, call=call, schema=[], criteria=call.criteria)
    call.refresh_from_db()
    assert len(call.form_schema) == 4


def test_a_draft_call_takes_a_form_then_publishes(world):
    call = make_call(status="draft", form_schema=[], criteria=[])
    officer = world.users.bureau_officer
    with pytest.raises(ValidationError):
        services.call_publish(by=officer, call=call)
    services.call_set_form(by=officer, call=call, schema=[{"key": "plan", "label": "研究方案", "type": "long_text",
                                                           "required": True}],
                           criteria=[{"key": "merit", "label": "学术价值", "weight": 100}])
    services.call_publish(by=officer, call=call)
    call.refresh_from_db()
    assert call.status == "published" and call.is_open and call.form_schema[0]["key"] == "plan"


def test_only_the_bureau_edits_calls(world, call):
    with pytest.raises(PermissionDenied):
        services.call_save(by=world.users.org_admin, data={"title": "改"}, call=call)
    call.refresh_from_db()
    assert call.title == "2027年度市自然科学基金面上项目"


def test_a_call_must_close_after_it_opens(world):
    now = timezone.now()
    with pytest.raises(ValidationError):
        services.call_save(by=world.users.bureau_officer, data={
            "programme": make_programme(), "title": "倒置", "year": 2027, "budget": Decimal("10"),
            "opens_at": now, "closes_at": now - timedelta(hours=1)})
    assert not Call.objects.filter(title="倒置").exists()


# -- deadlines -----------------------------------------------------------------------------------


def test_no_draft_before_the_call_opens(world):
    call = make_call(open_now=False)
    with pytest.raises(PermissionDenied):
        make_application(call, world.users.enterprise_user)
    assert not Application.objects.exists()


def test_submission_after_the_closing_time_is_refused(world, call):
    application = make_application(call, world.users.enterprise_user)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    application.refresh_from_db()
    before = snapshot(application)
    with pytest.raises(PermissionDenied):
        services.application_submit(by=world.users.enterprise_user, application=application)
    assert snapshot(application) == before
    assert application.status == ApplicationStatus.DRAFT


def test_a_returned_application_may_be_corrected_after_the_closing_time(world, call):
    application = make_application(call, world.users.enterprise_user, submit=True)
    services.application_check(by=world.users.bureau_officer, application=application, action="return",
                               reason="预算表不完整")
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    application.refresh_from_db()
    services.application_submit(by=world.users.enterprise_user, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.return_reason == ""


# -- eligibility ---------------------------------------------------------------------------------


def test_submission_needs_the_required_answers(world, call):
    application = services.application_start(by=world.users.enterprise_user, call=call, data={
        "title": "空白申请", "summary": "摘要", "requested_amount": Decimal("10")})
    with pytest.raises(ValidationError) as error:
        services.application_submit(by=world.users.enterprise_user, application=application)
    assert error.value.messages == ["立项依据：必填。"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT and application.reference is None


def test_organisation_kind_rule(world):
    call = make_call(eligible_kinds=[OrganizationKind.UNIVERSITY, OrganizationKind.INSTITUTE])
    with pytest.raises(ValidationError) as error:
        make_application(call, world.users.enterprise_user, submit=True)
    assert error.value.messages == ["“企业”类单位不能申报本批次。"]
    make_application(call, world.users.institute_user, submit=True)


def test_district_rule(world):
    other = District.objects.exclude(pk=world.orgs.enterprise.district_id).order_by("pk").first()
    call = make_call()
    call.eligible_districts.set([other])
    with pytest.raises(ValidationError) as error:
        make_application(call, world.users.enterprise_user, submit=True)
    assert other.name in error.value.messages[0]


def test_verified_rule_and_the_overdue_project_rule(world, call):
    application = make_application(call, world.users.enterprise_user)
    world.orgs.enterprise.status = OrganizationStatus.REJECTED
    world.orgs.enterprise.save()
    application.organization.refresh_from_db()
    assert selectors.eligibility_problems(application) == ["单位尚未通过科技局认证。"]
    world.orgs.enterprise.status = OrganizationStatus.VERIFIED
    world.orgs.enterprise.save()
    # an earlier project of the organisation, past its end and never accepted
    old_call = make_call(title="旧批次", year=2023)
    old = make_application(old_call, world.users.org_admin, title="旧项目")
    Application.objects.filter(pk=old.pk).update(status=ApplicationStatus.AWARDED, awarded_amount=10,
                                                 reference="2023-OLD-1")
    from kechuang.achievements.models import FundedProject
    funded = FundedProject.objects.create(reference="2023-OLD-1", title="旧项目", organization=world.orgs.enterprise,
                                          year=2023)
    today = timezone.localdate()
    Project.objects.create(application=old, funded_project=funded, amount=10, starts_on=today - timedelta(days=800),
                           ends_on=today - timedelta(days=1))
    application.organization.refresh_from_db()
    assert selectors.eligibility_problems(application) == [
        "单位有逾期项目（节点报告逾期或项目超过执行期未验收）。"]


def test_limits_per_person_and_per_organisation(world):
    call = make_call(max_per_person=1, max_per_organization=2)
    make_application(call, world.users.enterprise_user, submit=True)
    second = make_application(call, world.users.enterprise_user, title="同一人的第二项")
    with pytest.raises(ValidationError) as error:
        services.application_submit(by=world.users.enterprise_user, application=second)
    assert error.value.messages == ["项目负责人在本批次的申报数已达上限 1 项。"]
    make_application(call, world.users.org_admin, submit=True)
    third = make_application(call, member_of(world.orgs.enterprise, name="第三人"))
    with pytest.raises(ValidationError) as error:
        services.application_submit(by=third.applicant, application=third)
    assert error.value.messages == ["单位在本批次的申报数已达上限 2 项。"]
    # a withdrawn application no longer counts
    services.application_withdraw(by=world.users.org_admin, application=call.applications.get(
        applicant=world.users.org_admin))
    services.application_submit(by=third.applicant, application=third)


def test_joint_fund_calls_restrict_topics_to_the_sponsor_areas(world):
    field = TechField.objects.exclude(parent=None).order_by("pk").first()
    elsewhere = TechField.objects.exclude(parent=None).exclude(parent=field.parent).order_by("pk").first()
    fund = make_programme(ProgrammeKind.JOINT_FUND, name="新能源联合基金", sponsor=world.orgs.enterprise)
    fund.topic_fields.set([field.parent])
    call = make_call(fund, title="联合基金2027")
    outside = make_application(call, world.users.institute_user, tech_field=None)
    services.application_save(by=world.users.institute_user, application=outside, data={"tech_field": elsewhere},
                              answers={})
    with pytest.raises(ValidationError) as error:
        services.application_submit(by=world.users.institute_user, application=outside)
    assert field.parent.name in error.value.messages[0]
    services.application_save(by=world.users.institute_user, application=outside, data={"tech_field": field},
                              answers={})
    services.application_submit(by=world.users.institute_user, application=outside)


# -- transitions ---------------------------------------------------------------------------------


def test_submission_numbers_applications_within_the_call(world, call):
    first = make_application(call, world.users.enterprise_user, submit=True)
    second = make_application(call, world.users.institute_user, submit=True)
    assert (first.reference, second.reference) == (f"2027-{call.pk:03d}-0001", f"2027-{call.pk:03d}-0002")


@pytest.mark.parametrize("action", ["pass", "return", "reject"])
def test_eligibility_check_outcomes(world, call, action):
    application = make_application(call, world.users.enterprise_user, submit=True)
    services.application_check(by=world.users.bureau_officer, application=application, action=action,
                               reason="" if action == "pass" else "材料缺失")
    application.refresh_from_db()
    assert application.status == {"pass": "eligible", "return": "returned", "reject": "ineligible"}[action]


def test_denied_transitions_change_nothing(world, call):
    application = make_application(call, world.users.enterprise_user, submit=True)
    before = snapshot(application)
    with pytest.raises(PermissionDenied):        # not bureau staff
        services.application_check(by=world.users.org_admin, application=application, action="pass")
    with pytest.raises(ValidationError):          # a return needs a reason
        services.application_check(by=world.users.bureau_officer, application=application, action="return")
    with pytest.raises(PermissionDenied):         # no decision before review
        services.application_decide(by=world.users.bureau_officer, application=application, award=True,
                                    amount=Decimal("10"))
    with pytest.raises(PermissionDenied):         # another organisation's member
        services.application_withdraw(by=world.users.institute_user, application=application)
    with pytest.raises(PermissionDenied):         # a submitted application is not editable
        services.application_save(by=world.users.enterprise_user, application=application, data={"title": "改"},
                                  answers={})
    assert snapshot(application) == before
    services.application_withdraw(by=world.users.org_admin, application=application)  # the org admin may
    with pytest.raises(PermissionDenied):
        services.application_withdraw(by=world.users.org_admin, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_the_workflow_table_refuses_what_it_does_not_list(world, call):
    from kechuang.programs.workflow import APPLICATION_WORKFLOW

    with pytest.raises(TransitionNotAllowed):
        APPLICATION_WORKFLOW.target(ApplicationStatus.AWARDED, "withdraw")
    assert APPLICATION_WORKFLOW.actions_from(ApplicationStatus.SUBMITTED) == ["pass", "return", "reject", "withdraw"]


def test_a_bad_answer_is_refused_and_the_draft_keeps_its_data(world, call):
    application = make_application(call, world.users.enterprise_user)
    with pytest.raises(ValidationError) as error:
        services.application_save(by=world.users.enterprise_user, application=application, data={"title": "新标题"},
                                  answers={"months": "十二个月"})
    assert error.value.message_dict == {"months": ["不是数字。"]}
    application.refresh_from_db()
    assert application.title == "基于深度学习的锂电池健康状态估计"
    assert application.answers["background"].startswith("锂电池")


# -- pages ---------------------------------------------------------------------------------------


def test_autosave_stores_the_draft_and_answers(client_for, world, call):
    application = make_application(call, world.users.enterprise_user)
    client = client_for("enterprise_user")
    response = client.post(reverse("programs:application_edit", args=[application.pk]), {
        "title": "自动保存的标题", "summary": "摘要", "keywords": "", "requested_amount": "20",
        "answer-background": "新的依据", "answer-budget-0-0": "材料费", "answer-budget-0-1": "5",
        "answer-stage": "应用研究"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"autosaved" in response.content
    application.refresh_from_db()
    assert application.title == "自动保存的标题"
    assert application.answers["budget"] == [["材料费", "5"]]
    assert application.answers["stage"] == "应用研究" and application.answers["background"] == "新的依据"


def test_the_edit_page_submits_and_lists_what_is_missing(client_for, world, call):
    application = services.application_start(by=world.users.enterprise_user, call=call, data={
        "title": "缺材料", "summary": "摘要", "requested_amount": Decimal("10")})
    client = client_for("enterprise_user")
    url = reverse("programs:application_edit", args=[application.pk])
    data = {"title": "缺材料", "summary": "摘要", "requested_amount": "10", "then": "submit"}
    response = client.post(url, data, follow=True)
    assert "立项依据：必填。" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    response = client.post(url, data | {"answer-background": "补充的立项依据"}, follow=True)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_application_pdf_renders_chinese(client_for, world, call):
    import io

    from pypdf import PdfReader

    application = make_application(call, world.users.enterprise_user, submit=True)
    response = client_for("enterprise_user").get(reverse("programs:application_pdf", args=[application.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "基于深度学习的锂电池健康状态估计" in text and "立项依据" in text and "设备费" in text


ACTIONS = {
    "submit": ("enterprise_user", lambda by, a: services.application_submit(by=by, application=a)),
    "withdraw": ("enterprise_user", lambda by, a: services.application_withdraw(by=by, application=a)),
    "pass": ("bureau_officer", lambda by, a: services.application_check(by=by, application=a, action="pass")),
    "return": ("bureau_officer", lambda by, a: services.application_check(by=by, application=a, action="return",
                                                                            reason="补充材料")),
    "reject": ("bureau_officer", lambda by, a: services.application_check(by=by, application=a, action="reject",
                                                                            reason="不符合条件")),
    "award": ("bureau_officer", lambda by, a: services.application_decide(by=by, application=a, award=True,
                                                                            amount=Decimal("10"))),
    "decline": ("bureau_officer", lambda by, a: services.application_decide(by=by, application=a, award=False)),
}


@pytest.mark.parametrize("status", ApplicationStatus.values)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_transition_is_allowed_exactly_as_the_table_says(world, call, status, action):
    """Each service against each status: what the table lists happens, anything else is refused
    and leaves the application, its project and the audit log as they were."""
    from kechuang.programs.workflow import APPLICATION_WORKFLOW

    application = make_application(call, world.users.enterprise_user)
    Application.objects.filter(pk=application.pk).update(
        status=status, awarded_amount=Decimal("5") if status == ApplicationStatus.AWARDED else None,
        reference=None if status == ApplicationStatus.DRAFT else "2027-T-0001")
    application.refresh_from_db()
    persona, act = ACTIONS[action]
    before = snapshot(application)
    if APPLICATION_WORKFLOW.allows(status, action):
        act(getattr(world.users, persona), application)
        application.refresh_from_db()
        assert application.status == APPLICATION_WORKFLOW.target(status, action)
    else:
        with pytest.raises((PermissionDenied, TransitionNotAllowed)):
            act(getattr(world.users, persona), application)
        assert snapshot(application) == before
        assert Project.objects.filter(application=application).exists() is False
