"""Reads of programmes: calls, applications and their eligibility, the conflict rules, reviewer
affinity, review results and projects. Everything a user reads goes through a policy queryset."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.accounts.choices import PlatformRole
from kechuang.accounts.models import Membership
from kechuang.achievements.choices import AchievementStatus
from kechuang.achievements.models import Achievement, Completer
from kechuang.core.language import join_items
from kechuang.core.search import tokenize
from kechuang.core.selectors import gate
from kechuang.experts.choices import Sector, SpecialistKind
from kechuang.experts.models import DeclaredConflict, SpecialistProfile
from kechuang.matching.selectors import expert_affinities
from kechuang.programs import policies, scoring
from kechuang.programs.choices import (
    ACTIVE_ASSIGNMENTS,
    COUNTED_STATUSES,
    ApplicationStatus,
    AssignmentStatus,
    MilestoneStatus,
    ProjectStatus,
)
from kechuang.programs.models import (
    Application,
    Call,
    Programme,
    Project,
    ReviewAssignment,
)

CONFLICT_YEARS = 3

# -- calls -----------------------------------------------------------------------------------------


def programme_list():
    return Programme.objects.select_related("sponsor").prefetch_related("contributions")


def programme_for(user, pk, *, may=None) -> Programme:
    return gate(user, programme_list(), may=may, pk=pk)


def call_list(user, *, kind: str = ""):
    calls = policies.calls_visible_to(user).select_related("programme__sponsor").prefetch_related(
        "programme__contributions")
    return calls.filter(programme__kind=kind) if kind else calls


def call_for(user, pk, *, may=None) -> Call:
    return gate(user, call_list(user), may=may, pk=pk)


# -- applications ----------------------------------------------------------------------------------


def applications_of_call(user, call, *, status: str = ""):
    applications = policies.applications_visible_to(user).filter(call=call).select_related(
        "organization", "applicant", "tech_field").order_by("reference", "pk")
    return applications.filter(status=status) if status else applications


def my_applications(user):
    return policies.applications_visible_to(user).filter(
        Q(applicant=user) | Q(organization_id=getattr(user.organization, "pk", None))
    ).select_related("call__programme", "organization")


def application_for(user, pk, *, may=None) -> Application:
    return gate(user, policies.applications_visible_to(user).select_related(
        "call__programme__sponsor", "organization__district", "applicant", "tech_field"), may=may, pk=pk)


def has_overdue_project(organization) -> bool:
    """An active project past its end date, or with a milestone report overdue."""
    today = timezone.localdate()
    projects = Project.objects.filter(application__organization=organization, status=ProjectStatus.ACTIVE)
    return projects.filter(Q(ends_on__lt=today) | Q(
        milestones__due_on__lt=today,
        milestones__status__in=[MilestoneStatus.PENDING, MilestoneStatus.NEEDS_WORK])).exists()


def eligibility_problems(application: Application) -> list[str]:
    """The call's rules that the application breaks, as sentences for the applicant."""
    call, organization = application.call, application.organization
    problems = []
    if call.eligible_kinds and organization.kind not in call.eligible_kinds:
        problems.append(_("Organisations of the kind “%(kind)s” may not apply to this call.")
                        % {"kind": organization.get_kind_display()})
    districts = list(call.eligible_districts.all())
    if districts and organization.district_id not in {district.pk for district in districts}:
        problems.append(_("This call is open to organisations in %(districts)s only.")
                        % {"districts": join_items(district.label for district in districts)})
    if call.require_verified and not organization.is_verified:
        problems.append(_("The organisation has not been verified by the bureau."))
    if call.exclude_overdue and has_overdue_project(organization):
        problems.append(_("The organisation has an overdue project (a late milestone report or a project past its "
                          "end date)."))
    others = call.applications.filter(status__in=COUNTED_STATUSES).exclude(pk=application.pk)
    if call.max_per_organization and others.filter(organization=organization).count() >= call.max_per_organization:
        problems.append(_("The organisation has reached the limit of %(n)d applications to this call.")
                        % {"n": call.max_per_organization})
    if call.max_per_person and others.filter(applicant=application.applicant).count() >= call.max_per_person:
        problems.append(_("The project lead has reached the limit of %(n)d applications to this call.")
                        % {"n": call.max_per_person})
    topics = list(call.programme.topic_fields.all())
    if topics:
        allowed = {field.pk for field in topics} | {field.parent_id for field in topics if field.parent_id}
        chosen = application.tech_field
        if chosen is None or not ({chosen.pk, chosen.parent_id} & allowed):
            problems.append(_("The project's technology field is outside the topics of this joint fund: %(topics)s.")
                            % {"topics": join_items(field.label for field in topics)})
    return problems


def partner_names(application) -> list[str]:
    return list(application.partners.values_list("name", flat=True))


# -- experts, conflicts, affinity -------------------------------------------------------------------


def expert_pool():
    """Experts who may review: the expert role, an available expert profile."""
    return (SpecialistProfile.objects.filter(kind=SpecialistKind.EXPERT, available=True,
                                             user__role_grants__role=PlatformRole.EXPERT, user__is_active=True)
            .select_related("user", "tech_field").distinct())


def open_load(expert_ids) -> dict[int, int]:
    """Reviews each expert already carries in calls still in review."""
    rows = (ReviewAssignment.objects.filter(expert_id__in=expert_ids, status__in=[
        AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED], application__status=ApplicationStatus.IN_REVIEW)
        .values("expert_id").annotate(n=Count("pk")))
    return {row["expert_id"]: row["n"] for row in rows}


def _organisations_of(applications) -> dict[int, set[int]]:
    involved = {application.pk: {application.organization_id} for application in applications}
    for application_id, organization_id in Application.partners.through.objects.filter(
            application_id__in=involved).values_list("application_id", "organization_id"):
        involved[application_id].add(organization_id)
    return involved


def conflicted_pairs(applications, expert_ids) -> dict[tuple[int, int], str]:
    """(application pk, expert user pk) -> the rule that forbids the pair:
    the expert belongs to the applying or a co-applying organisation; has declared a conflict
    with one of them; or in the last three years was the lead of an awarded project with one of
    them, or is a completer of an achievement that one of them owns or that lists the project lead."""
    applications = list(applications)
    involved = _organisations_of(applications)
    since = timezone.now() - timedelta(days=365 * CONFLICT_YEARS)
    member_of = dict(Membership.objects.filter(user_id__in=expert_ids).values_list("user_id", "organization_id"))
    declared: dict[int, set[int]] = {}
    for expert_id, organization_id in DeclaredConflict.objects.filter(expert_id__in=expert_ids).values_list(
            "expert_id", "organization_id"):
        declared.setdefault(expert_id, set()).add(organization_id)
    joint_projects: dict[int, set[int]] = {}
    past = (Application.objects.filter(applicant_id__in=expert_ids, status=ApplicationStatus.AWARDED,
                                       decided_at__gte=since).prefetch_related("partners"))
    for awarded in past:
        joint_projects.setdefault(awarded.applicant_id, set()).update(
            {awarded.organization_id, *(partner.pk for partner in awarded.partners.all())})
    names = dict(SpecialistProfile.objects.filter(
        user_id__in=expert_ids, kind=SpecialistKind.EXPERT).values_list("user_id", "display_name"))
    recent = Completer.objects.filter(achievement__created_at__gte=since).exclude(
        achievement__status=AchievementStatus.DRAFT)
    achievements_of_name: dict[str, set[int]] = {}
    for name, achievement_id in recent.filter(name__in=set(names.values())).values_list("name", "achievement_id"):
        achievements_of_name.setdefault(name, set()).add(achievement_id)
    owner_of = dict(Achievement.objects.filter(
        pk__in={pk for pks in achievements_of_name.values() for pk in pks}).values_list("pk", "owner_id"))
    lead_names = {application.pk: application.applicant.name for application in applications}
    with_lead: dict[str, set[int]] = {}
    for name, achievement_id in recent.filter(name__in=set(lead_names.values())).values_list(
            "name", "achievement_id"):
        with_lead.setdefault(name, set()).add(achievement_id)

    found = {}
    for application in applications:
        orgs = involved[application.pk]
        for expert_id in expert_ids:
            if member_of.get(expert_id) in orgs:
                found[(application.pk, expert_id)] = _("same organisation")
            elif declared.get(expert_id, set()) & orgs:
                found[(application.pk, expert_id)] = _("declared conflict")
            elif joint_projects.get(expert_id, set()) & orgs:
                found[(application.pk, expert_id)] = _("joint project in the last three years")
            else:
                shared = achievements_of_name.get(names.get(expert_id, ""), set())
                if any(owner_of.get(pk) in orgs for pk in shared) or shared & with_lead.get(
                        lead_names[application.pk], set()):
                    found[(application.pk, expert_id)] = _("joint achievement in the last three years")
    return found


def application_text(application) -> str:
    return f"{application.title}\n{application.keywords}\n{application.summary}"


def keyword_overlap(left: set[str], right: set[str]) -> float:
    """Share of the smaller side's words found on the other side (0-1)."""
    if not left or not right:
        return 0.0
    return len(left & right) / min(len(left), len(right))


def affinities(applications, profiles) -> dict[tuple[int, int], float]:
    """(application pk, expert user pk) -> affinity: the matching engine's strength where it
    ranks the expert among an application's best 50, else the keyword overlap of the application
    with the expert's profile (scaled down so that an engine match always ranks first)."""
    applications = list(applications)
    engine = expert_affinities({str(application.pk): (application_text(application), application.tech_field)
                                for application in applications})
    profile_words = {profile.user_id: set(tokenize(f"{profile.keywords} {profile.expertise}")) for profile in profiles}
    result = {}
    for application in applications:
        words = set(tokenize(application_text(application)))
        for profile in profiles:
            strength = engine.get((str(application.pk), profile.user_id))
            if strength is None:
                strength = 0.5 * keyword_overlap(words, profile_words[profile.user_id])
            result[(application.pk, profile.user_id)] = round(float(strength), 4)
    return result


def enterprise_experts(profiles) -> set[int]:
    return {profile.user_id for profile in profiles if profile.sector == Sector.ENTERPRISE}


# -- review ----------------------------------------------------------------------------------------


def panel_of_call(call):
    return (ReviewAssignment.objects.filter(application__call=call).exclude(status=AssignmentStatus.DECLINED)
            .select_related("application", "expert").order_by("application__reference", "application_id", "pk"))


def my_assignments(user, *, status: str = ""):
    assignments = policies.assignments_visible_to(user).select_related("application__call__programme")
    return assignments.filter(status=status) if status else assignments.order_by("status", "-invited_at")


def assignment_for(user, pk, *, may=None) -> ReviewAssignment:
    return gate(user, policies.assignments_visible_to(user).select_related(
        "application__call__programme", "application__organization", "application__applicant",
        "application__tech_field"), may=may, pk=pk)


@dataclass
class ResultRow:
    application: Application
    ranked: scoring.Ranked | None
    reviews: list[ReviewAssignment]


def review_results(call) -> list[ResultRow]:
    """Every application in review or decided, ranked by the mean of its normalised scores."""
    submitted = list(ReviewAssignment.objects.filter(application__call=call, status=AssignmentStatus.SUBMITTED)
                     .select_related("expert"))
    ranked = {int(item.application): item for item in scoring.aggregate(
        [scoring.Review(str(review.application_id), str(review.expert_id), float(review.weighted_score))
         for review in submitted])}
    by_application: dict[int, list[ReviewAssignment]] = {}
    for review in submitted:
        by_application.setdefault(review.application_id, []).append(review)
    applications = call.applications.filter(status__in=[
        ApplicationStatus.IN_REVIEW, ApplicationStatus.AWARDED, ApplicationStatus.NOT_AWARDED]).select_related(
        "organization", "applicant")
    rows = [ResultRow(application, ranked.get(application.pk), by_application.get(application.pk, []))
            for application in applications]
    rows.sort(key=lambda row: (row.ranked is None, row.ranked.rank if row.ranked else 0, row.application.pk))
    return rows


def review_comments(application) -> list[dict]:
    """The submitted reviews without the reviewers' names: 'Expert 1', 'Expert 2', ..."""
    reviews = application.assignments.filter(status=AssignmentStatus.SUBMITTED).order_by("pk")
    return [{"label": _("Expert %(n)d") % {"n": number}, "score": review.weighted_score,
             "comment": review.comment, "scores": review.scores}
            for number, review in enumerate(reviews, start=1)]


def active_panel(application) -> list[ReviewAssignment]:
    return list(application.assignments.filter(status__in=ACTIVE_ASSIGNMENTS).select_related("expert"))


# -- projects --------------------------------------------------------------------------------------


def project_list(user, *, status: str = ""):
    projects = policies.projects_visible_to(user).select_related(
        "application__call__programme", "application__organization", "funded_project")
    return projects.filter(status=status) if status else projects


def project_for(user, pk, *, may=None) -> Project:
    return gate(user, project_list(user), may=may, pk=pk)


def unregistered_projects():
    """Accepted projects whose results are not yet registered in the achievements database
    (a submitted or published achievement filed against the project counts)."""
    registered = Q(funded_project__achievements__status__in=[AchievementStatus.SUBMITTED,
                                                              AchievementStatus.PUBLISHED])
    return (Project.objects.filter(status__in=[ProjectStatus.ACCEPTED, ProjectStatus.CLOSED])
            .annotate(registered=Count("funded_project__achievements", filter=registered)).filter(registered=0)
            .select_related("application__organization", "funded_project").order_by("accepted_on", "pk"))


def acceptance_vote_of(project, user):
    """The user's own seat on the project's acceptance panel, if any."""
    return project.acceptance_votes.filter(expert_id=user.pk).first() if user.is_authenticated else None
