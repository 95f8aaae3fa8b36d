"""Who may see and change achievements (docs/roles.md has the matrix)."""

from django.db.models import Q

from kechuang.accounts.choices import PlatformRole
from kechuang.accounts.policies import is_library_reviewer, is_member_of, verified_organization
from kechuang.achievements.choices import INDEXED
from kechuang.achievements.choices import AchievementStatus as Status
from kechuang.achievements.models import Achievement, FundedProject
from kechuang.achievements.workflow import ACHIEVEMENT_WORKFLOW, EDITABLE


def is_owner_member(user, achievement) -> bool:
    return is_member_of(user, achievement.owner_id)


is_reviewer = is_library_reviewer


def achievements_visible_to(user):
    published = Q(status=Status.PUBLISHED)
    if not user.is_authenticated:
        return Achievement.objects.filter(published)
    rule = published
    if user.organization is not None:
        rule |= Q(owner=user.organization)
    if user.is_bureau_staff:
        rule |= ~Q(status=Status.DRAFT)
    elif is_reviewer(user):
        rule |= Q(status=Status.SUBMITTED)
    return Achievement.objects.filter(rule)


def can_create_achievement(user) -> bool:
    return verified_organization(user) is not None


def can_edit_achievement(user, achievement) -> bool:
    return (is_owner_member(user, achievement) and achievement.status in EDITABLE
            and verified_organization(user) is not None)


def can_submit_achievement(user, achievement) -> bool:
    return is_owner_member(user, achievement) and ACHIEVEMENT_WORKFLOW.allows(achievement.status, "submit")


def can_review_achievement(user, achievement) -> bool:
    return (is_reviewer(user) and not is_owner_member(user, achievement)
            and ACHIEVEMENT_WORKFLOW.allows(achievement.status, "publish"))


def can_withdraw_achievement(user, achievement) -> bool:
    return ((is_owner_member(user, achievement) or (user.is_authenticated and user.is_bureau_staff))
            and ACHIEVEMENT_WORKFLOW.allows(achievement.status, "withdraw"))


def can_reopen_achievement(user, achievement) -> bool:
    return is_owner_member(user, achievement) and ACHIEVEMENT_WORKFLOW.allows(achievement.status, "reopen")


def can_view_history(user, achievement) -> bool:
    return is_owner_member(user, achievement) or (user.is_authenticated and user.is_bureau_staff)


def can_view_contact(user, achievement) -> bool:
    """The public sees the contact masked; signed-in members of verified organisations see it."""
    return is_owner_member(user, achievement) or verified_organization(user) is not None


def can_view_achievement_files(user, achievement) -> bool:
    return achievements_visible_to(user).filter(pk=achievement.pk).exists()


def can_view_registration_report(user) -> bool:
    return user.is_authenticated and user.is_bureau_staff


def funded_projects_visible_to(user):
    if not user.is_authenticated:
        return FundedProject.objects.none()
    if user.is_bureau_staff:
        return FundedProject.objects.all()
    if user.organization is None:
        return FundedProject.objects.none()
    return FundedProject.objects.filter(organization=user.organization)


def can_import_achievements(user) -> bool:
    """Members of verified organisations import their own records (to be reviewed); the bureau
    imports for any organisation, naming each row's owner by its credit code."""
    return can_create_achievement(user) or (user.is_authenticated and user.is_bureau_staff)


def can_view_matches(user, achievement) -> bool:
    """The demands a published achievement could serve (kechuang.matching): its owner, the
    bureau, brokers."""
    return achievement.status in INDEXED and (is_member_of(user, achievement.owner_id) or (
        user.is_authenticated and (user.is_bureau_staff or user.has_role(PlatformRole.BROKER))))
