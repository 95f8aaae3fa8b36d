"""Writes of the specialist pool."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.search import notify_index_change
from kechuang.core.services import audit_record
from kechuang.experts import policies
from kechuang.experts.models import DeclaredConflict, SpecialistProfile

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


@transaction.atomic
def conflict_declare(*, by, organization, reason: str) -> DeclaredConflict:
    """An expert declares a conflict of interest with an organisation (回避)."""
    if not policies.can_declare_conflicts(by):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the conflict.")})
    declaration, created = DeclaredConflict.objects.get_or_create(
        expert=by, organization=organization, defaults={"reason": reason.strip()})
    if not created:
        raise ValidationError({"organization": _("You have already declared a conflict with this organisation.")})
    audit_record("expert.conflict_declared", by=by, obj=declaration,
                 changes={"organization": organization.pk, "reason": declaration.reason})
    return declaration


@transaction.atomic
def conflict_withdraw(*, by, declaration: DeclaredConflict) -> None:
    if declaration.expert_id != by.pk:
        raise PermissionDenied
    audit_record("expert.conflict_withdrawn", by=by, obj=declaration, changes={
        "organization": declaration.organization_id})
    declaration.delete()
