"""A create form posted four times (a quadruple click on "save") makes one record: every create
form carries a one-time key ({% submission_key %}) that core.web.run_service records with the
create, and the three replays go to the first one's page."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.achievements.models import Achievement
from kechuang.achievements.tests.factories import make_achievement
from kechuang.core.models import Attachment, SubmissionKey
from kechuang.demands.models import Demand
from kechuang.demands.tests.factories import make_demand

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
KEY = re.compile(r'name="submission_key" value="([0-9a-f-]{36})"')


@dataclass
class CreateForm:
    """`prepare(world)` returns the page showing the form, the URL it posts to, a function giving
    the posted data (called for every post: an upload is read once) and one counting the records
    the form makes."""

    name: str
    persona: str
    prepare: Callable


def form(page: str, data: dict | Callable, count: Callable, post: str | None = None):
    return SimpleNamespace(page=page, post=post or page, data=data if callable(data) else lambda: dict(data),
                           count=count)


def upload():
    return {"file": SimpleUploadedFile("说明.pdf", PDF, content_type="application/pdf")}


def achievement_create(world):
    return form(reverse("achievements:create"), {
        "name": "智能巡检无人机", "summary": "基于视觉的电力线路巡检无人机。", "form": "product",
        "transfer_modes": ["licence"], "price_negotiable": "on", "source": "self",
        "completers": "张三 项目负责人"}, Achievement.objects.count)


def achievement_attach(world):
    achievement = make_achievement(world)
    return form(reverse("achievements:detail", args=[achievement.pk]), upload,
                Attachment.objects.count,
                post=reverse("achievements:attach", args=[achievement.pk]))


def demand_create(world):
    return form(reverse("demands:create"), {
        "title": "锂电池热失控预警技术需求", "public_summary": "需要一种电池组热失控早期预警方案。",
        "description": "现有BMS无法提前预警。", "keywords": "锂电池,热失控", "cooperation_modes": ["joint"],
        "contact_name": "张经理", "contact_phone": "13612345678"}, Demand.objects.count)


def demand_attach(world):
    demand = make_demand(world)
    return form(reverse("demands:detail", args=[demand.pk]), upload,
                Attachment.objects.count,
                post=reverse("demands:attach", args=[demand.pk]))


def organization_register(world):
    """A visitor's registration, from the link sent to their address."""
    from django.core import signing

    from kechuang.accounts.models import Organization
    from kechuang.accounts.services import REGISTRATION_SALT
    from kechuang.accounts.tests.test_organizations import registration

    token = signing.dumps("wang@newco.cn", salt=REGISTRATION_SALT)
    return form(reverse("accounts:register_continue", args=[token]), registration(), Organization.objects.count)


def organization_register_signed_in(world):
    """A signed-in user without an organisation registers one (replays come after they have it)."""
    from kechuang.accounts.models import Organization
    from kechuang.accounts.tests.test_organizations import registration

    data = {key: value for key, value in registration().items()
            if key not in ("name", "mobile", "password1", "password2")}
    return form(reverse("accounts:register"), data, Organization.objects.count)


def invitation_create(world):
    from kechuang.accounts.models import Invitation

    return form(reverse("accounts:members", args=[world.orgs.enterprise.pk]),
                {"email": "new@example.cn", "role": "member"}, Invitation.objects.count)


def conflict_declare(world):
    from kechuang.experts.models import DeclaredConflict

    return form(reverse("experts:conflicts"), {"organization": world.orgs.enterprise.pk, "reason": "曾在该单位任职"},
                DeclaredConflict.objects.count)


def instrument_create(world):
    from kechuang.instruments.models import Instrument
    from kechuang.instruments.tests.factories import category

    return form(reverse("instruments:new"), {
        "name": "场发射扫描电子显微镜", "category": category().pk, "original_value": "320", "price_unit": "hour",
        "internal_price": "200", "external_price": "400", "status": "available"}, Instrument.objects.count)


def booking_request(world):
    from datetime import timedelta

    from django.utils import timezone

    from kechuang.instruments.models import Booking
    from kechuang.instruments.tests.factories import make_instrument

    instrument = make_instrument(world)
    start = timezone.localtime() + timedelta(days=3)
    slot = {"starts_at": start.strftime("%Y-%m-%dT%H:00"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:00"), "purpose": "样品形貌观察"}
    return form(reverse("instruments:detail", args=[instrument.pk]), slot, Booking.objects.count,
                post=reverse("instruments:request", args=[instrument.pk, "booking"]))


def order_request(world):
    from kechuang.instruments.models import ServiceOrder
    from kechuang.instruments.tests.factories import make_instrument

    instrument = make_instrument(world)
    return form(reverse("instruments:detail", args=[instrument.pk]), {"samples": 3, "description": "成分分析"},
                ServiceOrder.objects.count, post=reverse("instruments:request", args=[instrument.pk, "order"]))


def purchase_apply(world):
    from kechuang.instruments.models import PurchaseApplication
    from kechuang.instruments.tests.factories import category

    return form(reverse("instruments:purchases"), {
        "name": "质谱仪", "category": category().pk, "specifications": "分辨率70000", "value": "300",
        "justification": "需要专用设备"}, PurchaseApplication.objects.count)


def case_note(world):
    from kechuang.achievements.choices import AchievementStatus
    from kechuang.demands.choices import DemandStatus
    from kechuang.matching import services
    from kechuang.matching.models import MatchmakingEvent

    case = services.case_open(by=world.users.org_admin, demand=make_demand(world, status=DemandStatus.PUBLISHED),
                              achievement=make_achievement(world, status=AchievementStatus.PUBLISHED))
    return form(reverse("matching:case_detail", args=[case.pk]), {"text": "双方约定下周面谈", "location": ""},
                MatchmakingEvent.objects.count, post=reverse("matching:case_action", args=[case.pk, "note"]))


def programme_create(world):
    from kechuang.programs.models import Programme

    return form(reverse("programs:programme_new"), {"name": "市自然科学基金青年项目", "kind": "nsf_talent",
                                                    "naming_threshold": "1000"},
                Programme.objects.count)


def contribution_record(world):
    from kechuang.programs.models import JointFundContribution
    from kechuang.programs.tests.factories import make_programme

    programme = make_programme(kind="joint_fund", sponsor=world.orgs.enterprise)
    return form(reverse("programs:programme_detail", args=[programme.pk]),
                {"amount": "100", "received_on": "2026-11-01", "reference": "HK-2026-001"},
                JointFundContribution.objects.count)


def call_create(world):
    from kechuang.programs.models import Call
    from kechuang.programs.tests.factories import make_programme

    return form(reverse("programs:call_new"), {
        "programme": make_programme().pk, "title": "2028年度面上项目", "year": 2028, "opens_at": "2028-01-01T09:00",
        "closes_at": "2028-02-01T17:00", "budget": "500", "max_award": "50", "require_verified": "on",
        "exclude_overdue": "on", "max_per_organization": 0, "max_per_person": 1, "reviewers_per_application": 3,
        "enterprise_reviewers": 0, "blind_review": "on"}, Call.objects.count)


def application_start(world):
    from kechuang.programs.models import Application
    from kechuang.programs.tests.factories import make_call

    call = make_call()
    return form(reverse("programs:call_detail", args=[call.pk]), {}, Application.objects.count,
                post=reverse("programs:apply", args=[call.pk]))


def challenge_list_build(world):
    from kechuang.challenges.models import Challenge
    from kechuang.demands.choices import DemandStatus
    from kechuang.demands.models import Demand

    demand = make_demand(world, status=DemandStatus.PUBLISHED)
    Demand.objects.filter(pk=demand.pk).update(challenge_candidate=True)
    return form(reverse("challenges:manage"), {"year": 2027, "quarter": 1}, Challenge.objects.count)


def awarded_project(world):
    from datetime import date
    from decimal import Decimal

    from kechuang.programs import services
    from kechuang.programs.choices import ApplicationStatus
    from kechuang.programs.models import Application, Project
    from kechuang.programs.tests.factories import make_application, make_call

    application = make_application(make_call(), world.users.enterprise_user, submit=True)
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.IN_REVIEW)
    application.refresh_from_db()
    services.application_decide(by=world.users.bureau_officer, application=application, award=True,
                                amount=Decimal("40"), note="同意立项", starts_on=date(2027, 1, 1))
    return Project.objects.get(application=application)


def disbursement_add(world):
    from kechuang.programs.models import Disbursement

    project = awarded_project(world)
    return form(reverse("programs:project_detail", args=[project.pk]),
                {"stage": "首期", "planned_on": "2027-02-01", "amount": "20"}, Disbursement.objects.count,
                post=reverse("programs:project_action", args=[project.pk, "disbursement"]))


def milestone_add(world):
    from kechuang.programs.models import Milestone

    project = awarded_project(world)
    return form(reverse("programs:project_detail", args=[project.pk]), {"title": "中期检查", "due_on": "2027-12-31"},
                Milestone.objects.count, post=reverse("programs:project_action", args=[project.pk, "milestone"]))


def voucher_apply(world):
    from kechuang.vouchers.models import Voucher
    from kechuang.vouchers.tests.factories import make_scheme

    scheme = make_scheme(world)
    return form(reverse("vouchers:overview"), {"amount": "1000", "purpose": "委托检测新材料样品"},
                Voucher.objects.count, post=reverse("vouchers:apply", args=[scheme.pk]))


def scheme_create(world):
    from datetime import timedelta

    from django.utils import timezone

    from kechuang.vouchers.models import VoucherScheme

    today = timezone.localdate()
    return form(reverse("vouchers:manage"), {
        "name": "2028年度创新券", "year": 2028, "total_budget": "100000", "per_enterprise_cap": "50000",
        "share": "0.5", "valid_from": today.isoformat(), "valid_until": (today + timedelta(days=180)).isoformat()},
        VoucherScheme.objects.count)


def settlement_request(world):
    from decimal import Decimal

    from kechuang.vouchers import services
    from kechuang.vouchers.models import Settlement
    from kechuang.vouchers.tests.factories import issued_voucher, make_scheme

    voucher = issued_voucher(world, make_scheme(world))
    services.voucher_redeem(voucher=voucher, provider=world.orgs.institute, order_ref="order-1",
                            order_cost=Decimal("300"))
    return form(reverse("vouchers:settlements"), {}, Settlement.objects.count,
                post=reverse("vouchers:settlement_request"))


def reference_create(world):
    from kechuang.core.models import District

    return form(reverse("core:reference_create", args=["districts"]), {"code": "D99", "name": "新区", "sort_order": 99,
                                                                        "is_active": "on"}, District.objects.count)


def achievements_sheet(world):
    from kechuang.achievements.tests.test_import import good_row, sheet

    return {"file": SimpleUploadedFile("成果.xlsx", sheet([good_row(world)])), "dry_run": "on"}


def import_check(world):
    from kechuang.core.models import Job

    return form(reverse("core:import", args=["achievements"]), lambda: achievements_sheet(world), Job.objects.count)


def import_commit(world):
    from kechuang.core.models import Job
    from kechuang.core.services import import_job_start
    from kechuang.core.tasks import import_sheet

    check = import_job_start(library="achievements", by=world.users.bureau_officer, dry_run=True, language="zh-hans",
                             uploaded=achievements_sheet(world)["file"])
    check.refresh_from_db()
    import_sheet.call(check.pk, "achievements", check.details["upload"], True, "zh-hans")
    return form(reverse("core:job", args=[check.uuid]), {"upload": check.details["upload"]}, Job.objects.count,
                post=reverse("core:import", args=["achievements"]))


CREATE_FORMS = [
    CreateForm("achievements:create", "institute_user", achievement_create),
    CreateForm("achievements:attach", "institute_user", achievement_attach),
    CreateForm("demands:create", "org_admin", demand_create),
    CreateForm("demands:attach", "org_admin", demand_attach),
    CreateForm("accounts:register_continue", "public", organization_register),
    CreateForm("accounts:register[signed in]", "applicant_without_organisation", organization_register_signed_in),
    CreateForm("accounts:members", "org_admin", invitation_create),
    CreateForm("experts:conflicts", "expert", conflict_declare),
    CreateForm("instruments:new", "provider", instrument_create),
    CreateForm("instruments:request[booking]", "org_admin", booking_request),
    CreateForm("instruments:request[order]", "org_admin", order_request),
    CreateForm("instruments:purchases", "org_admin", purchase_apply),
    CreateForm("matching:case_action[note]", "org_admin", case_note),
    CreateForm("programs:programme_new", "bureau_officer", programme_create),
    CreateForm("programs:programme_detail[contribution]", "bureau_officer", contribution_record),
    CreateForm("programs:call_new", "bureau_officer", call_create),
    CreateForm("programs:apply", "enterprise_user", application_start),
    CreateForm("challenges:manage", "bureau_officer", challenge_list_build),
    CreateForm("programs:project_action[disbursement]", "bureau_officer", disbursement_add),
    CreateForm("programs:project_action[milestone]", "bureau_officer", milestone_add),
    CreateForm("vouchers:apply", "org_admin", voucher_apply),
    CreateForm("vouchers:manage", "bureau_officer", scheme_create),
    CreateForm("vouchers:settlement_request", "provider", settlement_request),
    CreateForm("core:reference_create", "bureau_admin", reference_create),
    CreateForm("core:import[check]", "bureau_officer", import_check),
    CreateForm("core:import[commit]", "bureau_officer", import_commit),
]


def key_of(client, page: str) -> str:
    response = client.get(page)
    assert response.status_code == 200
    found = KEY.findall(response.content.decode())
    assert found, "the page shows no form with a submission key"
    return found[-1]


@pytest.fixture
def client_as(client, client_for):
    """client_for, and a signed-in user without an organisation."""

    def make(persona):
        if persona != "applicant_without_organisation":
            return client_for(persona)
        from kechuang.accounts.tests.factories import UserFactory

        client.force_login(UserFactory(name="无单位用户"))
        return client

    return make


@pytest.mark.parametrize("create", CREATE_FORMS, ids=lambda create: create.name)
def test_a_create_form_posted_four_times_makes_one_record(client_as, world, create):
    client = client_as(create.persona)
    target = create.prepare(world)
    key = key_of(client, target.page)
    before = target.count()
    responses = [client.post(target.post, {**target.data(), "submission_key": key}) for _ in range(4)]
    assert [response.status_code for response in responses] == [302] * 4
    assert len({response["Location"] for response in responses}) == 1
    assert target.count() == before + 1
    assert SubmissionKey.objects.filter(key=key).count() == 1


def test_without_a_key_every_post_creates(client_for, world):
    """What the key prevents (and what an API client without one still gets)."""
    client, target = client_for("institute_user"), achievement_create(world)
    for _ in range(2):
        assert client.post(target.post, target.data()).status_code == 302
    assert target.count() == 2


def test_a_refused_post_leaves_the_key_for_the_corrected_one(client_for, world):
    client, target = client_for("institute_user"), achievement_create(world)
    key = key_of(client, target.page)
    refused = client.post(target.post, {**target.data(), "name": "", "submission_key": key})
    assert refused.status_code == 200 and target.count() == 0
    saved = client.post(target.post, {**target.data(), "submission_key": key})
    assert saved.status_code == 302 and target.count() == 1


def test_another_user_replaying_a_key_gets_a_404(client_for, world):
    target = achievement_create(world)
    client = client_for("institute_user")
    key = key_of(client, target.page)
    first = client.post(target.post, {**target.data(), "submission_key": key})
    assert first.status_code == 302
    other = client_for("expert").post(target.post, {**target.data(), "submission_key": key})
    assert other.status_code == 404 and target.count() == 1
