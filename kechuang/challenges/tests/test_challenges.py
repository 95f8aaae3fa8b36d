"""Open challenges (揭榜挂帅) and the parallel track (赛马制): the quarter's list from the candidate
demands, solver teams, phase-one funding for up to K teams, staged assessments with continue,
eliminate and merge, and the rest of the budget to the winners."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kechuang.accounts.choices import OrganizationKind
from kechuang.accounts.tests.factories import OrganizationFactory, member_of
from kechuang.achievements.models import FundedProject
from kechuang.challenges import services
from kechuang.challenges.choices import ChallengeStatus
from kechuang.challenges.models import Challenge, ChallengeList, StageAssessment
from kechuang.core.errors import DomainError
from kechuang.core.models import Notification
from kechuang.demands.choices import DemandStatus
from kechuang.demands.models import Demand
from kechuang.demands.tests.factories import make_demand
from kechuang.programs.choices import ApplicationStatus, ProjectStatus
from kechuang.programs.models import Application, Call
from kechuang.programs.services import application_create, application_submit

ANSWERS = {"approach": "多传感器融合与边缘计算相结合的技术路线。", "team": [["王工", "高工", "本单位", "负责人"]],
           "milestones": [["一", "样机", "2027-06"]]}


@pytest.fixture
def candidate(world):
    demand = make_demand(world, status=DemandStatus.PUBLISHED, budget_max=Decimal("500"),
                         deadline=timezone.localdate() + timedelta(days=30))
    Demand.objects.filter(pk=demand.pk).update(challenge_candidate=True, challenge_reason="行业共性难题")
    make_demand(world, title="未发布的候选", status=DemandStatus.DRAFT)
    Demand.objects.filter(title="未发布的候选").update(challenge_candidate=True)
    return demand


@pytest.fixture
def published(world, candidate):
    officer = world.users.bureau_officer
    challenge_list = services.challenge_list_build(by=officer, year=2027, quarter=1)
    challenge = challenge_list.challenges.get()
    services.challenge_save(by=officer, challenge=challenge, data={
        "max_teams": 2, "phase_one_amount": Decimal("100"), "phases": 2})
    services.challenge_list_publish(by=officer, challenge_list=challenge_list)
    challenge.refresh_from_db()
    return challenge


def test_the_list_is_built_from_published_candidates_once(world, candidate):
    officer = world.users.bureau_officer
    challenge_list = services.challenge_list_build(by=officer, year=2027, quarter=1)
    challenge = challenge_list.challenges.get()
    assert challenge.demand == candidate and challenge.setter == world.orgs.enterprise
    assert (challenge.budget, challenge.phase_one_amount, challenge.status) == (Decimal("500"), Decimal("100"),
                                                                                ChallengeStatus.DRAFT)
    assert challenge.call.status == "draft" and challenge.call.closes_at.date() == candidate.deadline
    services.challenge_list_build(by=officer, year=2027, quarter=1)
    assert Challenge.objects.count() == 1 and ChallengeList.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services.challenge_list_build(by=world.users.org_admin, year=2027, quarter=2)
    assert ChallengeList.objects.count() == 1


def test_phase_one_must_fit_the_budget(world, candidate):
    officer = world.users.bureau_officer
    challenge = services.challenge_list_build(by=officer, year=2027, quarter=1).challenges.get()
    with pytest.raises(ValidationError) as error:
        services.challenge_save(by=officer, challenge=challenge, data={"max_teams": 6, "phase_one_amount": 100})
    assert "phase_one_amount" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.challenge_save(by=officer, challenge=challenge, data={"deadline": timezone.localdate()})
    challenge.refresh_from_db()
    assert challenge.max_teams == 3


def test_publication_opens_the_challenge_and_tells_the_setter(world, published):
    assert published.status == ChallengeStatus.OPEN and published.call.is_open
    assert Notification.objects.filter(recipient=world.users.org_admin, title__contains="揭榜挂帅").exists()
    with pytest.raises(DomainError):
        services.challenge_list_publish(by=world.users.bureau_officer, challenge_list=published.challenge_list)


def solver_teams(world, challenge, count=3):
    teams = []
    for number in range(count):
        organization = OrganizationFactory(name=f"揭榜单位{number}", kind=OrganizationKind.INSTITUTE)
        lead = member_of(organization, name=f"挂帅人{number}")
        application = application_create(by=lead, call=challenge.call, answers=ANSWERS, data={
            "title": f"揭榜方案{number}", "summary": "技术方案摘要", "requested_amount": Decimal("100")})
        application_submit(by=lead, application=application)
        teams.append(application)
    Call.objects.filter(pk=challenge.call_id).update(opens_at=timezone.now() - timedelta(days=30),
                                                     closes_at=timezone.now() - timedelta(minutes=1))
    Application.objects.filter(pk__in=[team.pk for team in teams]).update(status=ApplicationStatus.IN_REVIEW)
    challenge.call.refresh_from_db()
    for team in teams:
        team.refresh_from_db()
    return teams


def test_the_parallel_track_from_phase_one_to_the_winner(world, published):
    officer = world.users.bureau_officer
    first, second, third = solver_teams(world, published)
    with pytest.raises(ValidationError):      # K = 2
        services.challenge_select(by=officer, challenge=published, teams=[first, second, third])
    assert not FundedProject.objects.exists()
    services.challenge_select(by=officer, challenge=published, teams=[first, second])
    for team in (first, second, third):
        team.refresh_from_db()
    assert (first.status, second.status, third.status) == ("awarded", "awarded", "not_awarded")
    assert first.project.amount == Decimal("100") and first.project.disbursements.get().amount == Decimal("100")
    published.refresh_from_db()
    assert (published.status, published.current_phase) == (ChallengeStatus.RACING, 1)

    # phase 1: the second team merges into the first
    services.challenge_assess(by=officer, challenge=published, decisions={
        first.pk: ("continue", None), second.pk: ("merge", first.pk)}, note="二队并入一队")
    second.project.refresh_from_db()
    assert second.project.status == ProjectStatus.CLOSED
    assert list(first.partners.all()) == [second.organization]
    published.refresh_from_db()
    assert published.current_phase == 2

    # phase 2, the last: the first team wins the rest of the budget (500 - 2 x 100)
    services.challenge_assess(by=officer, challenge=published, decisions={first.pk: ("continue", None)})
    published.refresh_from_db()
    first.refresh_from_db()
    project = first.project
    project.refresh_from_db()
    assert published.status == ChallengeStatus.FINISHED
    assert project.amount == Decimal("400") and first.awarded_amount == Decimal("400")
    assert sum(d.amount for d in project.disbursements.all()) == Decimal("400")
    assert FundedProject.objects.get(pk=project.funded_project_id).amount == Decimal("400")
    assert StageAssessment.objects.filter(challenge=published).count() == 3


def test_bad_assessments_change_nothing(world, published):
    officer = world.users.bureau_officer
    first, second, _third = solver_teams(world, published)
    services.challenge_select(by=officer, challenge=published, teams=[first, second])
    bad = [
        {first.pk: ("continue", None)},                                       # a team without a decision
        {first.pk: ("eliminate", None), second.pk: ("eliminate", None)},      # nobody continues
        {first.pk: ("continue", None), second.pk: ("merge", second.pk)},      # merge into a non-continuing team
        {first.pk: ("continue", None), second.pk: ("promote", None)},         # unknown decision
    ]
    for decisions in bad:
        with pytest.raises(ValidationError):
            services.challenge_assess(by=officer, challenge=published, decisions=decisions)
    published.refresh_from_db()
    assert published.current_phase == 1 and not StageAssessment.objects.exists()
    assert len(services.racing_teams(published)) == 2
    with pytest.raises(PermissionDenied):
        services.challenge_assess(by=world.users.org_admin, challenge=published,
                                  decisions={first.pk: ("continue", None), second.pk: ("continue", None)})


def test_teams_are_selected_only_after_the_deadline(world, published):
    lead = member_of(OrganizationFactory(name="早到的单位", kind=OrganizationKind.INSTITUTE), name="早到者")
    application = application_create(by=lead, call=published.call, answers=ANSWERS, data={
        "title": "提前方案", "summary": "摘要", "requested_amount": Decimal("50")})
    with pytest.raises(DomainError):
        services.challenge_select(by=world.users.bureau_officer, challenge=published, teams=[application])
    published.refresh_from_db()
    assert published.status == ChallengeStatus.OPEN
