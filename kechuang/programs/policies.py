"""Who may see and do what in programmes (docs/roles.md has the matrix).

Applications are seen by their project lead and, once submitted, by the applying organisation's
admins and the bureau (a draft, or a draft withdrawn unsubmitted, is its author's alone); experts
reach applications only through their own review assignments, which hide the applicant in blind
review. Anything else is a 404."""

from django.db.models import Q

from kechuang.accounts.policies import is_member_of, verified_organization
from kechuang.core.policies import is_bureau_staff
from kechuang.programs.choices import (
    DECIDED_STATUSES,
    ApplicationStatus,
    AssignmentStatus,
    CallStatus,
    ChallengeStatus,
    ProjectStatus,
)
from kechuang.programs.models import AcceptanceVote, Application, Call, Challenge, Project, ReviewAssignment
from kechuang.programs.workflow import (
    APPLICATION_WORKFLOW,
    ASSIGNMENT_WORKFLOW,
    EDITABLE,
    MILESTONE_WORKFLOW,
    PROJECT_WORKFLOW,
)


def calls_visible_to(user):
    if is_bureau_staff(user):
        return Call.objects.all()
    return Call.objects.filter(status=CallStatus.PUBLISHED)


def can_manage_programmes(user) -> bool:
    return is_bureau_staff(user)


def can_edit_call(user, call) -> bool:
    return is_bureau_staff(user) and call.status != CallStatus.CANCELLED


def can_apply(user, call) -> bool:
    """Start a draft: a member of a verified organisation while the call is open (the call's own
    eligibility rules are checked on submission, with the reasons shown). The bureau's staff run
    the calls and do not apply to them."""
    return call.is_open and verified_organization(user) is not None and not user.is_bureau_staff


# What anyone besides the author may see: an application that was submitted at least once.
SUBMITTED = ~Q(status=ApplicationStatus.DRAFT) & ~Q(status=ApplicationStatus.WITHDRAWN, submitted_at__isnull=True)


def was_submitted(application) -> bool:
    return application.status != ApplicationStatus.DRAFT and not (
        application.status == ApplicationStatus.WITHDRAWN and application.submitted_at is None)


def is_applicant_side(user, application) -> bool:
    return user.is_authenticated and (application.applicant_id == user.pk or (
        user.is_org_admin and is_member_of(user, application.organization_id) and was_submitted(application)))


def applications_visible_to(user):
    if not user.is_authenticated:
        return Application.objects.none()
    rule = Q(applicant=user)
    if user.is_org_admin and user.organization is not None:
        rule |= Q(organization=user.organization) & SUBMITTED
    if user.is_bureau_staff:
        rule |= SUBMITTED
    return Application.objects.filter(rule)


def can_edit_application(user, application) -> bool:
    return (application.applicant_id == user.pk and application.status in EDITABLE
            and (application.status == ApplicationStatus.RETURNED or application.call.is_open))


def can_submit_application(user, application) -> bool:
    return can_edit_application(user, application)


def can_withdraw_application(user, application) -> bool:
    return is_applicant_side(user, application) and APPLICATION_WORKFLOW.allows(application.status, "withdraw")


def can_check_eligibility(user, application) -> bool:
    return is_bureau_staff(user) and application.status == ApplicationStatus.SUBMITTED


def can_decide(user, application) -> bool:
    return is_bureau_staff(user) and APPLICATION_WORKFLOW.allows(application.status, "award")


def can_read_review_comments(user, application) -> bool:
    """The applicant side reads the anonymised comments once the panel has decided."""
    return application.status in DECIDED_STATUSES and (is_applicant_side(user, application) or is_bureau_staff(user))


def can_manage_review(user, call) -> bool:
    return is_bureau_staff(user)


# -- experts ---------------------------------------------------------------------------------------

INVITED_OR_LATER = (AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED, AssignmentStatus.SUBMITTED)


def assignments_visible_to(user):
    """An expert sees their own invitations and reviews (a proposal is not yet theirs to see)."""
    if not user.is_authenticated:
        return ReviewAssignment.objects.none()
    return ReviewAssignment.objects.filter(expert=user, status__in=INVITED_OR_LATER)


def can_respond(user, assignment) -> bool:
    return assignment.expert_id == user.pk and ASSIGNMENT_WORKFLOW.allows(assignment.status, "accept")


def can_review(user, assignment) -> bool:
    return (assignment.expert_id == user.pk and ASSIGNMENT_WORKFLOW.allows(assignment.status, "submit")
            and assignment.application.status == ApplicationStatus.IN_REVIEW)


def sees_applicant(user, assignment) -> bool:
    return not assignment.application.call.blind_review


# -- projects --------------------------------------------------------------------------------------


def projects_visible_to(user):
    if not user.is_authenticated:
        return Project.objects.none()
    if user.is_bureau_staff:
        return Project.objects.all()
    rule = Q(application__applicant=user) | Q(acceptance_votes__expert=user)
    if user.is_org_admin and user.organization is not None:
        rule |= Q(application__organization=user.organization)
    return Project.objects.filter(rule).distinct()


def can_report_milestone(user, project, milestone) -> bool:
    return (is_applicant_side(user, project.application) and project.status == ProjectStatus.ACTIVE
            and MILESTONE_WORKFLOW.allows(milestone.status, "report"))


def can_assess_milestone(user, milestone) -> bool:
    return is_bureau_staff(user) and MILESTONE_WORKFLOW.allows(milestone.status, "pass")


def can_manage_project(user, project) -> bool:
    return is_bureau_staff(user) and project.status == ProjectStatus.ACTIVE


def can_start_acceptance(user, project) -> bool:
    return is_bureau_staff(user) and PROJECT_WORKFLOW.allows(project.status, "start_acceptance")


def can_conclude_acceptance(user, project) -> bool:
    return is_bureau_staff(user) and PROJECT_WORKFLOW.allows(project.status, "accept")


def can_close_project(user, project) -> bool:
    return is_bureau_staff(user) and PROJECT_WORKFLOW.allows(project.status, "close")


def can_vote(user, vote: AcceptanceVote) -> bool:
    return vote.expert_id == user.pk and not vote.verdict and vote.project.status == ProjectStatus.ACCEPTANCE


def can_download_award_letter(user, project) -> bool:
    return is_bureau_staff(user) or is_applicant_side(user, project.application)


def can_view_application_files(user, application) -> bool:
    """The applicant side, the bureau (not drafts) and the application's invited reviewers."""
    return (applications_visible_to(user).filter(pk=application.pk).exists()
            or assignments_visible_to(user).filter(application=application).exists())


# -- open challenges -------------------------------------------------------------------------------


def challenges_visible_to(user):
    """Published challenges are public; drafts are the bureau's."""
    if is_bureau_staff(user):
        return Challenge.objects.all()
    return Challenge.objects.exclude(status__in=[ChallengeStatus.DRAFT, ChallengeStatus.CANCELLED])


def can_edit_challenge(user, challenge) -> bool:
    return is_bureau_staff(user) and challenge.status == ChallengeStatus.DRAFT


def can_run_race(user, challenge) -> bool:
    return is_bureau_staff(user) and challenge.status in (ChallengeStatus.OPEN, ChallengeStatus.RACING)
