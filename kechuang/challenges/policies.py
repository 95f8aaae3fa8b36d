"""Who may see and do what with open challenges (docs/roles.md has the matrix).

A challenge runs on its own call, so its rules build on the programmes' rules: the bureau runs
challenge lists as it runs programmes, and solver teams apply through the call."""

from kechuang.challenges.choices import ChallengeStatus
from kechuang.challenges.models import Challenge
from kechuang.core.policies import is_bureau_staff
from kechuang.programs.policies import can_apply, can_manage_programmes


def challenges_visible_to(user):
    """Published challenges are public; drafts are the bureau's."""
    if is_bureau_staff(user):
        return Challenge.objects.all()
    return Challenge.objects.exclude(status__in=[ChallengeStatus.DRAFT, ChallengeStatus.CANCELLED])


def can_manage_challenges(user) -> bool:
    return can_manage_programmes(user)


def can_apply_to_challenge(user, challenge) -> bool:
    return can_apply(user, challenge.call)


def can_edit_challenge(user, challenge) -> bool:
    return is_bureau_staff(user) and challenge.status == ChallengeStatus.DRAFT


def can_run_race(user, challenge) -> bool:
    return is_bureau_staff(user) and challenge.status in (ChallengeStatus.OPEN, ChallengeStatus.RACING)
