from kechuang.core.selectors import gate
from kechuang.experts.models import SpecialistProfile
from kechuang.experts.policies import declarations_visible_to, profiles_visible_to


def profile_for(user, pk: int, *, may=None) -> SpecialistProfile:
    return gate(user, profiles_visible_to(user).select_related("tech_field", "industry", "district"), may=may, pk=pk)


def own_profile(user, kind: str) -> SpecialistProfile | None:
    return SpecialistProfile.objects.filter(user=user, kind=kind).first()


def available_profiles_by_id(user, pks) -> dict[int, SpecialistProfile]:
    """The available specialists among `pks` that the user may see (signed-in users only)."""
    return profiles_visible_to(user).filter(available=True).in_bulk(pks)


def own_declarations(user):
    return declarations_visible_to(user).filter(expert=user).select_related("organization")


def own_declaration_for(user, pk: int, *, may=None):
    return gate(user, own_declarations(user), may=may, pk=pk)
