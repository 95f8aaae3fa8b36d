"""Writes of the specialist pool."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kechuang.core.search import notify_index_change
from kechuang.core.services import audit_record
from kechuang.experts import policies
from kechuang.experts.models import SpecialistProfile

PROFILE_FIELDS = ("display_name", "title", "employer", "sector", "tech_field", "industry", "district", "keywords",
                  "expertise", "available", "max_load")


@transaction.atomic
def profile_save(*, by, kind: str, data: dict) -> SpecialistProfile:
    if kind not in policies.specialist_kinds_of(by):
        raise PermissionDenied
    profile = SpecialistProfile.objects.select_for_update().filter(user=by, kind=kind).first()
    created = profile is None
    profile = profile or SpecialistProfile(user=by, kind=kind)
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(profile, field, data[field])
    profile.updated_at = timezone.now()
    profile.full_clean(exclude=["user"])
    profile.save()
    audit_record("specialist_profile.created" if created else "specialist_profile.updated", by=by, obj=profile,
                 changes={"kind": kind, "available": profile.available})
    notify_index_change(SpecialistProfile._meta.db_table, [profile.pk])
    return profile
