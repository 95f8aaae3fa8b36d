"""Writes of open challenges (揭榜挂帅) and the parallel track (赛马制). A challenge runs on its
own call of the programme engine: solver teams are the call's applications, and the phase-one
funding and the winners' shares are programme projects. Each service checks its policy and the
transition table, locks what it changes and writes an audit event."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.achievements.models import FundedProject
from kechuang.challenges import policies
from kechuang.challenges.choices import ChallengeStatus, StageDecision
from kechuang.challenges.models import Challenge, ChallengeList, StageAssessment
from kechuang.challenges.workflow import CHALLENGE_WORKFLOW
from kechuang.core.errors import DomainError
from kechuang.core.services import audit_record, notify
from kechuang.core.validators import field_errors
from kechuang.demands.choices import INDEXED as DEMAND_INDEXED
from kechuang.demands.models import Demand
from kechuang.programs.choices import ApplicationStatus, CallStatus, ProgrammeKind, ProjectStatus
from kechuang.programs.models import Application, Call, Disbursement, Milestone, Programme, Project
from kechuang.programs.services import applicant_notify, application_decide, project_lock, project_stop


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# The platform's built-in challenge form, in both languages (formspec: "label_en", "columns_en").
CHALLENGE_SCHEMA = [
    {"key": "approach", "label": "技术方案与路线", "label_en": "Technical approach and route", "type": "long_text",
     "required": True},
    {"key": "team", "label": "团队成员", "label_en": "Team members", "type": "table", "required": True,
     "columns": ["姓名", "职称", "单位", "分工"], "columns_en": ["Name", "Title", "Organisation", "Role"],
     "rows": 10},
    {"key": "milestones", "label": "阶段目标", "label_en": "Milestones", "type": "table", "required": True,
     "columns": ["阶段", "目标", "完成时间"], "columns_en": ["Stage", "Goal", "Due"], "rows": 6},
    {"key": "track_record", "label": "相关研究基础", "label_en": "Track record", "type": "long_text",
     "required": False},
]
CHALLENGE_CRITERIA = [
    {"key": "approach", "label": "技术方案先进性与可行性", "label_en": "Soundness and feasibility of the approach",
     "weight": 40},
    {"key": "team", "label": "团队能力与研究基础", "label_en": "Team capability and track record", "weight": 35},
    {"key": "delivery", "label": "阶段目标与交付可信度", "label_en": "Credibility of the milestones and delivery",
     "weight": 25},
]
PHASE_ONE_SHARE = Decimal("0.2")
# The programme the platform opens for the challenge lists: a record like those the bureau
# creates (and may rename), named in the bureau's language whatever the language of the page.
CHALLENGE_PROGRAMME_NAME = "揭榜挂帅专项"


def _challenge_programme(by) -> Programme:
    programme = Programme.objects.filter(kind=ProgrammeKind.CHALLENGE).order_by("pk").first()
    return programme or Programme.objects.create(name=CHALLENGE_PROGRAMME_NAME, kind=ProgrammeKind.CHALLENGE,
                                                 created_by=by)


def _day_end(day: date):
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


@transaction.atomic
def challenge_list_build(*, by, year: int, quarter: int) -> ChallengeList:
    """The quarter's list from the demands the bureau marked as candidates; each becomes a draft
    challenge (with its own call) for the bureau to complete before publication."""
    _require(policies.can_manage_challenges(by))
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("The quarter is 1, 2, 3 or 4.")})
    errors = field_errors(ChallengeList, {"year": ("year", year)}, required=("year",))
    if errors:
        raise ValidationError(errors)
    challenge_list, _created = ChallengeList.objects.get_or_create(year=year, quarter=quarter,
                                                                  defaults={"created_by": by})
    if challenge_list.published_at is not None:
        raise DomainError(_("This quarter's list is already published."))
    candidates = (Demand.objects.filter(challenge_candidate=True, status__in=DEMAND_INDEXED, challenge__isnull=True)
                  .select_related("owner").order_by("pk"))
    programme = _challenge_programme(by)
    now = timezone.now()
    added = 0
    for demand in candidates:
        budget = demand.budget_max or Decimal("100")
        deadline = demand.deadline if demand.deadline and demand.deadline > timezone.localdate() else (
            timezone.localdate() + timedelta(days=60))
        call = Call.objects.create(
            programme=programme, title=(_("Challenge: %(title)s") % {"title": demand.title})[:160], year=year,
            guide=demand.public_summary, opens_at=now, closes_at=_day_end(deadline), budget=budget,
            form_schema=CHALLENGE_SCHEMA, criteria=CHALLENGE_CRITERIA, max_per_organization=1, max_per_person=1,
            reviewers_per_application=3, enterprise_reviewers=1, blind_review=False, created_by=by)
        Challenge.objects.create(challenge_list=challenge_list, demand=demand, call=call, setter=demand.owner,
                                 goals=demand.public_summary, budget=budget, deadline=deadline,
                                 phase_one_amount=(budget * PHASE_ONE_SHARE).quantize(Decimal("0.01")))
        added += 1
    audit_record("challenge_list.built", by=by, obj=challenge_list, changes={"added": added})
    return challenge_list


@transaction.atomic
def challenge_save(*, by, challenge: Challenge, data: dict) -> Challenge:
    challenge = Challenge.objects.select_for_update().select_related("call").get(pk=challenge.pk)
    _require(policies.can_edit_challenge(by, challenge))
    for name, value in data.items():
        setattr(challenge, name, value)
    challenge.full_clean()
    if challenge.max_teams * challenge.phase_one_amount > challenge.budget:
        raise ValidationError({"phase_one_amount": _(
            "Phase one for %(k)d teams would cost more than the budget.") % {"k": challenge.max_teams}})
    if challenge.deadline <= timezone.localdate():
        raise ValidationError({"deadline": _("The deadline must be in the future.")})
    challenge.save()
    call = challenge.call
    call.budget, call.closes_at, call.guide = challenge.budget, _day_end(challenge.deadline), challenge.goals
    call.save(update_fields=["budget", "closes_at", "guide"])
    audit_record("challenge.updated", by=by, obj=challenge, changes={key: str(value) for key, value in data.items()})
    return challenge


@transaction.atomic
def challenge_list_publish(*, by, challenge_list: ChallengeList) -> ChallengeList:
    """Publishes the list: every draft challenge opens to solver teams until its deadline."""
    challenge_list = ChallengeList.objects.select_for_update().get(pk=challenge_list.pk)
    _require(policies.can_manage_challenges(by))
    drafts = list(challenge_list.challenges.select_related("call", "setter").filter(status=ChallengeStatus.DRAFT))
    if challenge_list.published_at is not None or not drafts:
        raise DomainError(_("Nothing to publish: the list is published or has no draft challenge."))
    now = timezone.now()
    for challenge in drafts:
        challenge.status = CHALLENGE_WORKFLOW.target(challenge.status, "publish")
        challenge.save(update_fields=["status"])
        call = challenge.call
        call.opens_at, call.status = now, CallStatus.PUBLISHED
        call.save(update_fields=["opens_at", "status"])
        for member in challenge.setter.memberships.select_related("user"):
            notify(member.user, title=_("Your demand is on the challenge list: %(title)s") % {"title": call.title},
                   url=reverse("challenges:detail", args=[challenge.pk]))
    challenge_list.published_at = now
    challenge_list.save(update_fields=["published_at"])
    audit_record("challenge_list.published", by=by, obj=challenge_list, changes={"challenges": len(drafts)})
    return challenge_list


def racing_teams(challenge: Challenge) -> list[Application]:
    """The teams still in the race: awarded, their project running."""
    return list(challenge.call.applications.filter(status=ApplicationStatus.AWARDED,
                                                   project__status=ProjectStatus.ACTIVE)
                .select_related("project", "organization", "applicant").order_by("pk"))


@transaction.atomic
def challenge_select(*, by, challenge: Challenge, teams: list[Application]) -> Challenge:
    """Phase one of the parallel track: up to K reviewed teams are funded; the others are not."""
    challenge = Challenge.objects.select_for_update().select_related("call").get(pk=challenge.pk)
    _require(policies.can_run_race(by, challenge))
    if challenge.status != ChallengeStatus.OPEN or challenge.call.is_open:
        raise DomainError(_("Teams are selected after the deadline, once the call has closed."))
    reviewed = {application.pk: application for application in
                challenge.call.applications.filter(status=ApplicationStatus.IN_REVIEW)}
    chosen = [reviewed.get(team.pk) for team in teams]
    if not chosen or None in chosen or len({team.pk for team in teams}) != len(teams):
        raise ValidationError(_("Choose teams whose applications are in review."))
    if len(chosen) > challenge.max_teams:
        raise ValidationError(_("At most %(k)d teams may race.") % {"k": challenge.max_teams})
    for team in chosen:
        application_decide(by=by, application=team, award=True, amount=challenge.phase_one_amount,
                           note=_("Selected for phase one of the parallel track."))
        project = Project.objects.get(application=team)
        Disbursement.objects.create(project=project, stage=_("Phase 1"), planned_on=timezone.localdate(),
                                    amount=challenge.phase_one_amount)
    for other in reviewed.values():
        if other not in chosen:
            application_decide(by=by, application=other, award=False, note=_("Not selected for the parallel track."))
    challenge.status = CHALLENGE_WORKFLOW.target(challenge.status, "select")
    challenge.current_phase = 1
    challenge.save(update_fields=["status", "current_phase"])
    audit_record("challenge.teams_selected", by=by, obj=challenge, changes={"teams": [t.pk for t in chosen]})
    return challenge


def _split(amount: Decimal, parts: int) -> list[Decimal]:
    share = (amount / parts).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    return [amount - share * (parts - 1)] + [share] * (parts - 1)


@transaction.atomic
def challenge_assess(*, by, challenge: Challenge, decisions: dict[int, tuple[str, int | None]],
                     note: str = "") -> Challenge:
    """The staged assessment at the end of the current phase: each racing team continues, is
    eliminated or merges into a continuing team. After the last phase the continuing teams are the
    winners and share the rest of the budget, paid in two instalments by milestone."""
    challenge = Challenge.objects.select_for_update().select_related("call").get(pk=challenge.pk)
    _require(policies.can_run_race(by, challenge))
    if challenge.status != ChallengeStatus.RACING:
        raise DomainError(_("The parallel track has not started."))
    teams = {team.pk: team for team in racing_teams(challenge)}
    if set(decisions) != set(teams):
        raise ValidationError(_("Give a decision for every team in the race."))
    continuing = {pk for pk, (decision, _target) in decisions.items() if decision == StageDecision.CONTINUE}
    if not continuing:
        raise ValidationError(_("At least one team must continue."))
    for decision, target in decisions.values():
        if decision not in StageDecision.values:
            raise ValidationError(_("Unknown decision."))
        if decision == StageDecision.MERGE and target not in continuing:
            raise ValidationError(_("A team can only merge into a team that continues."))
    for pk, (decision, target) in sorted(decisions.items()):
        team = teams[pk]
        StageAssessment.objects.create(challenge=challenge, phase=challenge.current_phase, application=team,
                                       decision=decision, merged_into_id=target if decision == "merge" else None,
                                       note=note, assessed_by=by)
        if decision != StageDecision.CONTINUE:
            project_stop(by=by, project=team.project)
        if decision == StageDecision.MERGE:
            teams[target].partners.add(team.organization, *team.partners.all())
        applicant_notify(team, _("Parallel track, phase %(phase)d: %(decision)s") % {
            "phase": challenge.current_phase, "decision": StageDecision(decision).label}, note)
    if challenge.current_phase < challenge.phases:
        challenge.current_phase += 1
        challenge.save(update_fields=["current_phase"])
    else:
        _pay_winners(challenge, [teams[pk] for pk in sorted(continuing)], by)
    audit_record("challenge.assessed", by=by, obj=challenge, changes={
        "phase": challenge.current_phase, "decisions": {str(pk): d for pk, (d, _t) in decisions.items()}})
    return challenge


def _pay_winners(challenge: Challenge, winners: list[Application], by) -> None:
    spent = (Project.objects.filter(application__call=challenge.call).aggregate(total=Sum("amount"))["total"]
             or Decimal("0"))
    remaining = challenge.budget - spent
    for team, share in zip(winners, _split(remaining, len(winners)), strict=True):
        project = project_lock(team.project)
        if share > 0:
            project.amount += share
            project.save(update_fields=["amount"])
            Application.objects.filter(pk=team.pk).update(awarded_amount=project.amount)
            FundedProject.objects.filter(pk=project.funded_project_id).update(amount=project.amount)
            first = (share / 2).quantize(Decimal("0.01"))
            Disbursement.objects.create(project=project, stage=_("Final phase, on the winning decision"),
                                        planned_on=timezone.localdate(), amount=first)
            Disbursement.objects.create(project=project, stage=_("Final phase, after acceptance"),
                                        planned_on=project.ends_on, amount=share - first)
        Milestone.objects.create(project=project, title=_("Challenge goals reached"), due_on=project.ends_on)
        applicant_notify(team, _("Your team won the challenge: %(title)s") % {"title": challenge.call.title},
                          _("%(share)s (10,000 yuan) more, paid in two instalments.") % {"share": share})
    challenge.status = CHALLENGE_WORKFLOW.target(challenge.status, "finish")
    challenge.save(update_fields=["status"])
    audit_record("challenge.finished", by=by, obj=challenge, changes={
        "winners": [team.pk for team in winners], "remaining": str(remaining)})
