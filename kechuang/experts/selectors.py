from kechuang.experts.models import SpecialistProfile
from kechuang.experts.policies import profiles_visible_to


def profile_get(user, pk: int) -> SpecialistProfile:
    return profiles_visible_to(user).select_related("tech_field", "industry", "district").get(pk=pk)


def own_profile(user, kind: str) -> SpecialistProfile | None:
    return SpecialistProfile.objects.filter(user=user, kind=kind).first()


def available_profiles(kinds=None):
    profiles = SpecialistProfile.objects.filter(available=True).select_related("tech_field", "industry", "district")
    return profiles.filter(kind__in=kinds) if kinds else profiles
