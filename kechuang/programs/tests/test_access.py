import pytest

from kechuang.core.testing import SIGNED_IN_PERSONAS, AccessCase, access_params, check_access
from kechuang.programs.choices import ApplicationStatus, AssignmentStatus
from kechuang.programs.models import Application, Call, ReviewAssignment
from kechuang.programs.tests.factories import make_application, make_call, make_programme


def call(world):
    return [make_call().pk]


def draft(world):
    """The enterprise user's draft."""
    return [make_application(make_call(), world.users.enterprise_user).pk]


def submitted(world):
    return [make_application(make_call(), world.users.enterprise_user, submit=True).pk]


def seat(world):
    """The world's expert invited to review the enterprise's application (blind)."""
    application = Application.objects.get(pk=submitted(world)[0])
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.IN_REVIEW)
    return [ReviewAssignment.objects.create(application=application, expert=world.users.expert,
                                            status=AssignmentStatus.INVITED).pk]


def accepted_seat(world):
    pk = seat(world)[0]
    ReviewAssignment.objects.filter(pk=pk).update(status=AssignmentStatus.ACCEPTED)
    return [pk]


def project(world):
    from decimal import Decimal

    from kechuang.programs import services

    application = Application.objects.get(pk=submitted(world)[0])
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.IN_REVIEW)
    application.refresh_from_db()
    services.application_decide(by=world.users.bureau_officer, application=application, award=True,
                                amount=Decimal("20"))
    return [application.project.pk]


JSON = "application/json"

STAFF = {"bureau_officer": 200, "bureau_admin": 200}
NOT_STAFF = {"public": 302, "org_admin": 403, "expert": 403, "broker": 403}
APPLICANT_SIDE = {"enterprise_user": 200, "org_admin": 200}
OUTSIDERS = {"institute_user": 404, "expert": 404, "broker": 404}

ACCESS_CASES = [
    AccessCase("programs:call_list", allowed={"public": 200, "org_admin": 200}, denied={}),
    AccessCase("programs:call_detail", args=call, allowed={"public": 200, "bureau_officer": 200}, denied={}),
    AccessCase("programs:apply", method="post", args=call, allowed={"enterprise_user": 302, "institute_user": 302},
               denied={"public": 302}),
    AccessCase("programs:manage", allowed=STAFF, denied=NOT_STAFF),
    AccessCase("programs:programme_new", allowed=STAFF, denied=NOT_STAFF),
    AccessCase("programs:programme_detail", args=lambda w: [make_programme().pk], allowed=STAFF, denied=NOT_STAFF),
    AccessCase("programs:programme_edit", args=lambda w: [make_programme().pk], allowed=STAFF, denied=NOT_STAFF),
    AccessCase("programs:call_new", allowed=STAFF, denied=NOT_STAFF),
    AccessCase("programs:call_edit", args=call, allowed=STAFF, denied=NOT_STAFF),
    AccessCase("programs:call_form", args=call, allowed=STAFF, denied=NOT_STAFF),
    AccessCase("programs:call_publish", method="post", args=call, allowed={"bureau_officer": 302},
               denied=NOT_STAFF),
    AccessCase("programs:call_applications", args=call, allowed=STAFF, denied=NOT_STAFF),
    AccessCase("programs:call_review", args=call, allowed=STAFF, denied=NOT_STAFF),
    AccessCase("programs:call_results", args=call, allowed=STAFF, denied=NOT_STAFF),
    AccessCase("programs:unregistered", allowed=STAFF, denied=NOT_STAFF),
    AccessCase("programs:my_applications", allowed=dict.fromkeys(SIGNED_IN_PERSONAS, 200), denied={"public": 302}),
    AccessCase("programs:application_detail", args=submitted, allowed=APPLICANT_SIDE | STAFF,
               denied={"public": 302, **OUTSIDERS}),
    # a draft is its author's: the bureau and outsiders do not see it
    AccessCase("programs:application_edit", args=draft, allowed={"enterprise_user": 200},
               denied={"public": 302, "org_admin": 404, "bureau_officer": 404, **OUTSIDERS}),
    AccessCase("programs:application_pdf", args=submitted, allowed=APPLICANT_SIDE | STAFF,
               denied={"public": 302, **OUTSIDERS}),
    AccessCase("programs:application_action", method="post", args=lambda w: [*submitted(w), "pass"],
               allowed={"bureau_officer": 302}, denied={"public": 302, "enterprise_user": 404, **OUTSIDERS}),
    AccessCase("programs:my_reviews", allowed={"expert": 200, "org_admin": 200}, denied={"public": 302}),
    AccessCase("programs:review", args=seat, allowed={"expert": 200},
               denied={"public": 302, "enterprise_user": 404, "bureau_officer": 404, "broker": 404}),
    AccessCase("programs:project_list", allowed=dict.fromkeys(SIGNED_IN_PERSONAS, 200), denied={"public": 302}),
    AccessCase("programs:project_detail", args=project, allowed=APPLICANT_SIDE | STAFF,
               denied={"public": 302, **OUTSIDERS}),
    AccessCase("programs:award_letter", args=lambda w: [*project(w), "docx"], allowed=APPLICANT_SIDE | STAFF,
               denied={"public": 302, **OUTSIDERS}),
    AccessCase("programs:project_action", method="post", args=lambda w: [*project(w), "taskbook"],
               allowed={"bureau_officer": 302}, denied={"public": 302, **OUTSIDERS}),
    AccessCase("api:programs_calls", allowed={"public": 200}, denied={}),
    AccessCase("api:programs_call", args=call, allowed={"public": 200}, denied={}),
    AccessCase("api:programs_application_start", method="post", args=call, content_type=JSON,
               data=lambda w: {"title": "接口申报", "summary": "摘要", "requested_amount": "12",
                               "answers": {"background": "依据"}},
               allowed={"enterprise_user": 201}, denied={"public": 401, "bureau_officer": 403}),
    AccessCase("api:programs_applications", allowed={"org_admin": 200}, denied={"public": 401}),
    AccessCase("api:programs_application", args=submitted, allowed={"enterprise_user": 200, "bureau_officer": 200},
               denied={"public": 401, "institute_user": 404, "expert": 404}),
    AccessCase("api:programs_application_save", method="patch", args=draft, content_type=JSON,
               data=lambda w: {"title": "改过的标题"}, allowed={"enterprise_user": 200},
               denied={"public": 401, "institute_user": 404, "bureau_officer": 404}),
    AccessCase("api:programs_application_submit", method="post", args=draft, allowed={"enterprise_user": 200},
               denied={"public": 401, "institute_user": 404}),
    AccessCase("api:programs_application_withdraw", method="post", args=submitted, allowed={"org_admin": 200},
               denied={"public": 401, "institute_user": 404, "bureau_officer": 403}),
    AccessCase("api:programs_reviews", allowed={"expert": 200}, denied={"public": 401}),
    AccessCase("api:programs_review_accept", method="post", args=seat, allowed={"expert": 200},
               denied={"public": 401, "enterprise_user": 404, "bureau_officer": 404}),
    AccessCase("api:programs_review_decline", method="post", args=seat, content_type=JSON,
               data=lambda w: {"reason": "时间冲突"}, allowed={"expert": 200},
               denied={"public": 401, "enterprise_user": 404}),
    AccessCase("api:programs_review_submit", method="post", args=seat, content_type=JSON,
               data=lambda w: {"scores": {"novelty": 80}, "comment": "尚未接受邀请就评审"},
               allowed={}, denied={"public": 401, "expert": 403, "enterprise_user": 404}),
    AccessCase("api:programs_review_submit", method="post", args=accepted_seat, content_type=JSON,
               data=lambda w: {"scores": {"novelty": 80, "feasibility": 70, "team": 90},
                               "comment": "方案可行，团队基础扎实。"},
               allowed={"expert": 200}, denied={"public": 401, "bureau_officer": 404}),
    AccessCase("experts:conflicts", allowed={"expert": 200}, denied={"public": 302, "org_admin": 403,
                                                                       "bureau_officer": 403}),
    AccessCase("experts:conflict_withdraw", method="post", args=lambda w: [declaration(w)],
               allowed={"expert": 302}, denied={"public": 302, "org_admin": 403}),
]


def declaration(world):
    from kechuang.experts.services import conflict_declare

    return conflict_declare(by=world.users.expert, organization=world.orgs.enterprise, reason="前雇主").pk


@pytest.mark.parametrize(("case", "persona", "status"), access_params(ACCESS_CASES))
def test_access(case, persona, status, world, client_for):
    check_access(client_for, world, case, persona, status)


def test_a_draft_call_is_invisible_to_the_public(client_for, world):
    draft_call = make_call(status="draft")
    from django.urls import reverse

    assert client_for("public").get(reverse("programs:call_detail", args=[draft_call.pk])).status_code == 404
    assert client_for("bureau_officer").get(reverse("programs:call_detail", args=[draft_call.pk])).status_code == 200
    assert Call.objects.count() == 1


def test_the_api_takes_a_draft_to_submission_and_refuses_bad_answers(client_for, world):
    import json

    from django.urls import reverse

    call_pk = call(world)[0]
    client = client_for("enterprise_user")
    created = client.post(reverse("api:programs_application_start", args=[call_pk]), json.dumps(
        {"title": "接口申报", "summary": "摘要", "requested_amount": "12", "answers": {"months": "半年"}}),
        content_type=JSON)
    assert created.status_code == 422
    assert not Application.objects.exists()
    created = client.post(reverse("api:programs_application_start", args=[call_pk]), json.dumps(
        {"title": "接口申报", "summary": "摘要", "requested_amount": "12", "answers": {"months": "6"}}),
        content_type=JSON)
    pk = created.json()["id"]
    refused = client.post(reverse("api:programs_application_submit", args=[pk]))
    assert refused.status_code == 422 and refused.json()["detail"]["__all__"] == ["立项依据：必填。"]
    client.patch(reverse("api:programs_application_save", args=[pk]), json.dumps(
        {"answers": {"background": "补充依据"}}), content_type=JSON)
    submitted_now = client.post(reverse("api:programs_application_submit", args=[pk])).json()
    assert submitted_now["status"] == "submitted" and submitted_now["answers"] == {"months": "6",
                                                                                   "background": "补充依据"}
