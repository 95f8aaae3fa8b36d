"""Expert review: the conflict rules, the proposal through the solver, invitations, declines and
their replacement, what a reviewer sees, blind review, the results and their exports."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from kechuang.achievements.choices import AchievementStatus
from kechuang.achievements.tests.factories import make_achievement
from kechuang.core.errors import DomainError
from kechuang.experts.models import DeclaredConflict
from kechuang.experts.services import conflict_declare
from kechuang.programs import selectors, services
from kechuang.programs.choices import ApplicationStatus, AssignmentStatus
from kechuang.programs.models import Application, ReviewAssignment
from kechuang.programs.tests.factories import make_application, make_call, make_experts

SCORES = {"novelty": 80, "feasibility": 70, "team": 90}


@pytest.fixture
def eligible(world, call):
    """Two applications past the eligibility check: the enterprise's and the institute's."""
    applications = [make_application(call, world.users.enterprise_user, submit=True),
                    make_application(call, world.users.institute_user, submit=True, title="固态电解质界面稳定性研究")]
    for application in applications:
        services.application_check(by=world.users.bureau_officer, application=application, action="pass")
        application.refresh_from_db()
    return applications


def panel(application):
    return set(application.assignments.exclude(status=AssignmentStatus.DECLINED).values_list("expert_id", flat=True))


# -- conflicts -----------------------------------------------------------------------------------


def test_each_conflict_rule_is_found(world, eligible):
    enterprise_app, institute_app = eligible
    experts = make_experts(5)
    colleague, declarer, partner, coauthor, _unrelated = experts
    # same organisation: a colleague of the enterprise applicant
    colleague.membership.organization = world.orgs.enterprise
    colleague.membership.save()
    # declared conflict with the institute
    conflict_declare(by=declarer, organization=world.orgs.institute, reason="曾任职")
    # joint project: the partner led an awarded project with the enterprise as co-applicant, this year
    own = make_call(title="往年批次", year=2025)
    past = make_application(own, partner, title="合作项目")
    past.partners.set([world.orgs.enterprise])
    Application.objects.filter(pk=past.pk).update(status=ApplicationStatus.AWARDED, awarded_amount=5,
                                                  decided_at=timezone.now())
    # joint achievement: the coauthor is a completer of an achievement the institute owns
    achievement = make_achievement(world, status=AchievementStatus.PUBLISHED)
    achievement.completers.create(order=9, name=coauthor.name)
    found = selectors.conflicted_pairs(eligible, [expert.pk for expert in experts])
    assert found == {(enterprise_app.pk, colleague.pk): "同一单位",
                     (institute_app.pk, declarer.pk): "本人声明回避",
                     (enterprise_app.pk, partner.pk): "近三年有合作项目",
                     (institute_app.pk, coauthor.pk): "近三年有合作成果"}


def test_old_joint_work_no_longer_conflicts(world, eligible):
    enterprise_app = eligible[0]
    partner = make_experts(1)[0]
    own = make_call(title="四年前", year=2022)
    past = make_application(own, partner, title="老合作")
    past.partners.set([world.orgs.enterprise])
    Application.objects.filter(pk=past.pk).update(status=ApplicationStatus.AWARDED, awarded_amount=5,
                                                  decided_at=timezone.now() - timezone.timedelta(days=4 * 365))
    assert selectors.conflicted_pairs([enterprise_app], [partner.pk]) == {}


def test_a_co_applicant_organisation_counts_too(world, eligible):
    enterprise_app = eligible[0]
    expert = make_experts(1)[0]
    enterprise_app.partners.set([expert.organization])
    assert selectors.conflicted_pairs([enterprise_app], [expert.pk]) == {
        (enterprise_app.pk, expert.pk): "同一单位"}


# -- proposal and invitations --------------------------------------------------------------------


def test_the_proposal_fills_every_panel_without_conflicts_and_with_an_enterprise_expert(world, eligible):
    experts = make_experts(7, enterprise=2)
    conflict_declare(by=experts[0], organization=world.orgs.enterprise, reason="股东")
    seats = services.review_propose(by=world.users.bureau_officer, call=eligible[0].call)
    assert seats == 6
    conflicts = selectors.conflicted_pairs(eligible, [e.pk for e in experts])
    for application in eligible:
        members = application.assignments.all()
        assert members.count() == 3
        assert any(seat.enterprise_expert for seat in members)
        assert not any((application.pk, seat.expert_id) in conflicts for seat in members)
    assert not eligible[0].assignments.filter(expert=experts[0]).exists()


def test_a_randomised_proposal_also_keeps_the_rules(world, eligible):
    import random

    make_experts(8, enterprise=3)
    services.review_propose(by=world.users.bureau_officer, call=eligible[0].call, randomised=True, cap=0.5,
                            rng=random.Random(3))
    for application in eligible:
        members = list(application.assignments.all())
        assert len(members) == 3 and len({seat.expert_id for seat in members}) == 3
        assert any(seat.enterprise_expert for seat in members)


def test_too_few_experts_is_a_clear_error_and_proposes_nothing(world, eligible):
    make_experts(2, enterprise=1)
    with pytest.raises(DomainError, match="无法满足分配规则"):
        services.review_propose(by=world.users.bureau_officer, call=eligible[0].call)
    assert not ReviewAssignment.objects.exists()


def test_officers_adjust_but_never_add_a_conflict(world, eligible):
    experts = make_experts(7, enterprise=2)
    call = eligible[0].call
    services.review_propose(by=world.users.bureau_officer, call=call)
    seat = eligible[0].assignments.first()
    services.assignment_remove(by=world.users.bureau_officer, assignment=seat)
    conflicted = experts[-1]
    conflict_declare(by=conflicted, organization=world.orgs.enterprise, reason="亲属")
    eligible[0].assignments.filter(expert=conflicted).delete()
    with pytest.raises(DomainError, match="需回避：本人声明回避"):
        services.assignment_add(by=world.users.bureau_officer, application=eligible[0], expert=conflicted)
    with pytest.raises(DomainError, match="的专家组只有"):   # incomplete panels cannot be sent
        services.review_invite(by=world.users.bureau_officer, call=call)
    replacement = next(e for e in experts if e.pk not in panel(eligible[0]) and e != conflicted
                       and e.pk != seat.expert_id)
    services.assignment_add(by=world.users.bureau_officer, application=eligible[0], expert=replacement)
    assert services.review_invite(by=world.users.bureau_officer, call=call) == 6
    eligible[0].refresh_from_db()
    assert eligible[0].status == ApplicationStatus.IN_REVIEW
    assert set(eligible[0].assignments.values_list("status", flat=True)) == {AssignmentStatus.INVITED}


def test_a_decline_brings_in_a_replacement_with_the_enterprise_rule(world, eligible):
    make_experts(8, enterprise=1)
    call = eligible[0].call
    services.review_propose(by=world.users.bureau_officer, call=call)
    services.review_invite(by=world.users.bureau_officer, call=call)
    # a second enterprise expert joins the pool, with a weaker profile than the idle academics
    late = make_experts(1, enterprise=1, keywords="机械加工")[0]
    application = eligible[0]
    enterprise_seat = application.assignments.get(enterprise_expert=True)
    before = panel(application)
    services.assignment_respond(by=enterprise_seat.expert, assignment=enterprise_seat, accept=False, reason="出差")
    after = panel(application)
    assert len(after) == 3 and enterprise_seat.expert_id not in after
    newcomer = application.assignments.exclude(expert_id__in=before).get()
    assert newcomer.status == AssignmentStatus.INVITED and newcomer.expert == late
    assert not selectors.conflicted_pairs([application], [newcomer.expert_id])


def test_declining_needs_a_reason_and_changes_nothing_without_one(world, eligible):
    make_experts(7, enterprise=2)
    call = eligible[0].call
    services.review_propose(by=world.users.bureau_officer, call=call)
    services.review_invite(by=world.users.bureau_officer, call=call)
    seat = eligible[0].assignments.first()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.assignment_respond(by=seat.expert, assignment=seat, accept=False, reason=" ")
    seat.refresh_from_db()
    assert seat.status == AssignmentStatus.INVITED and ReviewAssignment.objects.count() == 6


# -- reviewers' view -----------------------------------------------------------------------------


@pytest.fixture
def in_review(world, eligible):
    make_experts(7, enterprise=2)
    call = eligible[0].call
    services.review_propose(by=world.users.bureau_officer, call=call)
    services.review_invite(by=world.users.bureau_officer, call=call)
    return eligible


def test_reviewers_see_only_their_own_assignments(client, world, in_review):
    mine = in_review[0].assignments.first()
    other = ReviewAssignment.objects.exclude(expert=mine.expert).exclude(application=in_review[0]).first()
    client.force_login(mine.expert)
    assert client.get(reverse("programs:review", args=[mine.pk])).status_code == 200
    assert client.get(reverse("programs:review", args=[other.pk])).status_code == 404
    assert client.get(reverse("programs:application_detail", args=[in_review[0].pk])).status_code == 404
    listing = client.get(reverse("programs:my_reviews")).content.decode()
    assert in_review[0].title in listing
    assert all(application.title not in listing for application in in_review[1:]
               if not application.assignments.filter(expert=mine.expert).exists())


def test_blind_review_hides_the_applicant(client, world, in_review):
    seat = in_review[0].assignments.first()
    client.force_login(seat.expert)
    page = client.get(reverse("programs:review", args=[seat.pk])).content.decode()
    assert world.orgs.enterprise.name not in page and world.users.enterprise_user.name not in page
    assert 'data-testid="blind"' in page
    call = in_review[0].call
    call.blind_review = False
    call.save()
    page = client.get(reverse("programs:review", args=[seat.pk])).content.decode()
    assert world.orgs.enterprise.name in page


def test_a_review_is_scored_with_the_weights_and_only_once(world, in_review):
    seat = in_review[0].assignments.first()
    services.assignment_respond(by=seat.expert, assignment=seat, accept=True)
    seat.refresh_from_db()
    services.review_submit(by=seat.expert, assignment=seat, scores=SCORES, comment="创新性较强，方案可行。")
    seat.refresh_from_db()
    assert seat.weighted_score == Decimal("79.00")    # 0.4*80 + 0.35*70 + 0.25*90
    with pytest.raises(PermissionDenied):   # already submitted
        services.review_submit(by=seat.expert, assignment=seat, scores=SCORES, comment="改主意了，重新打分。")
    seat.refresh_from_db()
    assert seat.weighted_score == Decimal("79.00") and seat.comment == "创新性较强，方案可行。"


def test_scores_out_of_range_are_refused(world, in_review):
    from django.core.exceptions import ValidationError

    seat = in_review[0].assignments.first()
    services.assignment_respond(by=seat.expert, assignment=seat, accept=True)
    with pytest.raises(ValidationError) as error:
        services.review_submit(by=seat.expert, assignment=seat, scores=SCORES | {"team": 101},
                               comment="十个字以上的意见。")
    assert error.value.messages == ["团队基础：请填写0到100的整数。"]
    seat.refresh_from_db()
    assert seat.status == AssignmentStatus.ACCEPTED and seat.weighted_score is None


@pytest.mark.parametrize(("score", "message"), [
    ("NaN", "请输入有限的数值：NaN、Infinity 不是有效数字。"), (1e30, "请输入不超过 100 的数值。"),
    ("1E+999999999", "请输入不超过 100 的数值。"), (-1, "请输入不小于 0 的数值。"), (80.5, "请输入整数。")])
def test_scores_out_of_range_through_the_api_are_a_422(client, world, in_review, score, message):
    seat = in_review[0].assignments.first()
    services.assignment_respond(by=seat.expert, assignment=seat, accept=True)
    client.force_login(seat.expert)
    response = client.post(f"/api/v1/reviews/{seat.pk}/submit", {
        "scores": SCORES | {"team": score}, "comment": "十个字以上的意见。"}, content_type="application/json")
    assert response.status_code == 422 and [item["msg"] for item in response.json()["detail"]] == [message]
    seat.refresh_from_db()
    assert seat.status == AssignmentStatus.ACCEPTED and seat.weighted_score is None


def complete_reviews(applications, scores_by_rank=((85, 80), (60, 55))):
    for application, (high, low) in zip(applications, scores_by_rank, strict=True):
        for number, seat in enumerate(application.assignments.all()):
            services.assignment_respond(by=seat.expert, assignment=seat, accept=True)
            value = high if number else low
            services.review_submit(by=seat.expert, assignment=seat, comment=f"评审意见{number}：研究基础扎实。",
                                   scores={"novelty": value, "feasibility": value, "team": value})


def test_results_rank_export_to_excel_and_summarise_in_a_pdf(client_for, world, in_review):
    complete_reviews(in_review)
    call = in_review[0].call
    rows = selectors.review_results(call)
    assert [row.application.pk for row in rows] == [in_review[0].pk, in_review[1].pk]
    client = client_for("bureau_officer")
    url = reverse("programs:call_results", args=[call.pk])
    workbook = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    sheet = workbook.active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][1] == in_review[0].reference and values[1][0] == 1
    assert values[1][5] == pytest.approx((80 + 85 + 85) / 3, abs=0.01)
    pdf = client.get(url, {"format": "pdf"})
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).replace("\n", "")
    assert "评审意见汇总表" in text
    assert in_review[0].title in text and "评审意见2：研究基础扎实" in text


def test_applicants_read_anonymised_comments_after_the_decision(client_for, world, in_review):
    complete_reviews(in_review)
    application = in_review[0]
    client = client_for("enterprise_user")
    page = client.get(reverse("programs:application_detail", args=[application.pk])).content.decode()
    assert "研究基础扎实" not in page
    services.application_decide(by=world.users.bureau_officer, application=application, award=True,
                                amount=Decimal("30"))
    page = client.get(reverse("programs:application_detail", args=[application.pk])).content.decode()
    assert page.count('data-testid="review-comment"') == 3 and "研究基础扎实" in page
    for seat in application.assignments.all():
        assert seat.expert.name not in page


def test_declared_conflicts_page(client_for, world):
    client = client_for("expert")
    response = client.post(reverse("experts:conflicts"), {"organization": world.orgs.enterprise.pk,
                                                          "reason": "前雇主"}, follow=True)
    assert "测试智能装备有限公司" in response.content.decode()
    declaration = DeclaredConflict.objects.get()
    assert declaration.expert == world.users.expert
    response = client.post(reverse("experts:conflicts"), {"organization": world.orgs.enterprise.pk,
                                                          "reason": "再次"})
    assert "您已声明对该单位回避" in response.content.decode() and DeclaredConflict.objects.count() == 1
    other = client_for("bureau_officer")
    assert other.post(reverse("experts:conflict_withdraw", args=[declaration.pk])).status_code == 403
    client = client_for("expert")
    client.post(reverse("experts:conflict_withdraw", args=[declaration.pk]))
    assert not DeclaredConflict.objects.exists()
