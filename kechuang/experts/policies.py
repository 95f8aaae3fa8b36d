"""Who may see and edit specialist profiles (docs/roles.md)."""

from kechuang.accounts.choices import PlatformRole
from kechuang.experts.choices import SpecialistKind
from kechuang.experts.models import DeclaredConflict, SpecialistProfile

ROLE_OF_KIND = {SpecialistKind.EXPERT: PlatformRole.EXPERT, SpecialistKind.BROKER: PlatformRole.BROKER}


def profiles_visible_to(user):
    """Signed-in users see available specialists; each specialist sees their own profiles."""
    if not user.is_authenticated:
        return SpecialistProfile.objects.none()
    if user.is_bureau_staff:
        return SpecialistProfile.objects.all()
    return SpecialistProfile.objects.filter(available=True) | SpecialistProfile.objects.filter(user=user)


def specialist_kinds_of(user) -> list[str]:
    return [kind for kind, role in ROLE_OF_KIND.items() if user.is_authenticated and user.has_role(role)]


def can_edit_own_profile(user) -> bool:
    return bool(specialist_kinds_of(user))


def can_declare_conflicts(user) -> bool:
    return user.is_authenticated and user.has_role(PlatformRole.EXPERT)


def declarations_visible_to(user):
    """An expert's own declarations; the bureau sees every one."""
    if not user.is_authenticated:
        return DeclaredConflict.objects.none()
    if user.is_bureau_staff:
        return DeclaredConflict.objects.all()
    return DeclaredConflict.objects.filter(expert=user)
