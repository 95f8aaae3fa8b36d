"""Writes of the achievements library: one transaction each, locked, audited, indexed."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.accounts.choices import OrgRole
from kechuang.achievements import policies
from kechuang.achievements.choices import AchievementSource
from kechuang.achievements.choices import AchievementStatus as Status
from kechuang.achievements.models import (
    ACHIEVEMENT_INDEX,
    Achievement,
    AchievementVersion,
    Completer,
    FacetKeys,
    FundedProject,
)
from kechuang.achievements.workflow import ACHIEVEMENT_WORKFLOW
from kechuang.core.bulk import insert_objects
from kechuang.core.files import DOCUMENTS, attachment_store
from kechuang.core.search import index_text
from kechuang.core.services import audit_record, notify
from kechuang.core.validators import (
    mark_clean,
    model_errors,
    normalize_mobile,
    normalize_patent_number,
    require_clean,
    validate_mobile,
    validate_patent_number,
)

EDITABLE_FIELDS = (
    "name", "summary", "description", "keywords", "tech_field", "industry", "chain", "readiness", "form",
    "patent_numbers", "transfer_modes", "price", "price_negotiable", "source", "funded_project", "contact_name",
    "contact_phone",
)
SNAPSHOT_EXCLUDE = ("search_tokens", "search_vector", "contact_phone")


def achievement_tokens(achievement: Achievement) -> str:
    return index_text(achievement.name, achievement.summary, achievement.keywords, achievement.description[:3000])


def reindex(achievements: list[Achievement]) -> None:
    """Published records are in the full-text index; others are taken out of it."""
    published = []
    for achievement in achievements:
        if achievement.status == Status.PUBLISHED:
            achievement.search_tokens = achievement_tokens(achievement)
            published.append(achievement)
        else:
            ACHIEVEMENT_INDEX.remove(achievement.pk)
    if published:
        Achievement.objects.bulk_update(published, ["search_tokens"])
        ACHIEVEMENT_INDEX.store([(achievement.pk, achievement.search_tokens) for achievement in published])


def clean_achievement(achievement: Achievement, completers: list[tuple[str, str]], *,
                      keys: FacetKeys | None = None) -> None:
    """The rules of an achievement record, for every way in: the edit form, the API and the sheet
    import (which passes its batch's FacetKeys). Raises ValidationError by field; on success the
    record is normalised, has its facet keys and may go to `achievements_bulk_create`."""
    errors = {}
    numbers = []
    for line in achievement.patent_number_list:
        try:
            validate_patent_number(line)
            numbers.append(normalize_patent_number(line))
        except ValidationError as error:
            errors.setdefault("patent_numbers", []).extend(error.messages)
    achievement.patent_numbers = "\n".join(numbers)
    if achievement.source == AchievementSource.FUNDED:
        if achievement.funded_project is None:
            errors["funded_project"] = [_("Name the funded project whose result this is.")]
        elif achievement.owner_id and achievement.funded_project.organization_id != achievement.owner_id:
            errors["funded_project"] = [_("The funded project belongs to another organisation.")]
    if not achievement.price_negotiable and achievement.price is None:
        errors["price"] = [_("Give an asking price or mark the price as negotiable.")]
    if any(not name.strip() for name, _role in completers):
        errors["completers"] = [_("Every completer needs a name.")]
    if achievement.contact_phone:
        try:
            validate_mobile(achievement.contact_phone)
            achievement.contact_phone = normalize_mobile(achievement.contact_phone)
        except ValidationError as error:
            errors["contact_phone"] = error.messages
    # The model's CHECK besides the ranges (a funded record names its project) is the rule above.
    for field, messages in model_errors(achievement, exclude=["owner", "created_by", "search_vector",
                                                              "funded_project"], constraints=False).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    achievement.set_facet_keys(keys)
    mark_clean(achievement, EDITABLE_FIELDS)


def _set_completers(achievement, completers):
    Completer.objects.filter(achievement=achievement).delete()
    Completer.objects.bulk_create([
        Completer(achievement=achievement, order=position, name=name.strip()[:60], role=role.strip()[:60])
        for position, (name, role) in enumerate(completers, start=1)
    ])


def _snapshot(achievement, by, changed_fields):
    data = model_to_dict(achievement, exclude=SNAPSHOT_EXCLUDE)
    data["completers"] = list(achievement.completers.values_list("name", "role"))
    data = {key: (str(value) if not isinstance(value, int | float | bool | str | list | type(None)) else value)
            for key, value in data.items()}
    AchievementVersion.objects.create(achievement=achievement, number=achievement.version, data=data,
                                      changed_fields=sorted(changed_fields), created_by=by)


@transaction.atomic
def achievement_create(*, by, data: dict, completers: list[tuple[str, str]] = (), owner=None,
                       status: str = Status.DRAFT, external_id: str | None = None) -> Achievement:
    if owner is None:
        if not policies.can_create_achievement(by):
            raise PermissionDenied
        owner = by.organization
    achievement = Achievement(owner=owner, created_by=by if getattr(by, "is_authenticated", False) else None,
                              external_id=external_id, **{field: data[field] for field in EDITABLE_FIELDS
                                                          if field in data})
    clean_achievement(achievement, list(completers))
    achievement.status = status
    if status == Status.PUBLISHED:
        achievement.published_at = timezone.now()
    achievement.save()
    _set_completers(achievement, completers)
    if status == Status.PUBLISHED:
        _snapshot(achievement, by, [])
        reindex([achievement])
    audit_record("achievement.created", by=by, obj=achievement, changes={"status": status})
    return achievement


def _lock(achievement) -> Achievement:
    return Achievement.objects.select_for_update().get(pk=achievement.pk)


@transaction.atomic
def achievement_update(*, achievement: Achievement, by, data: dict,
                       completers: list[tuple[str, str]] | None = None) -> Achievement:
    """Edits a draft or returned record in place; an edit of a published record becomes a new
    version whose snapshot the owner and the bureau see in the history."""
    achievement = _lock(achievement)
    if not policies.can_edit_achievement(by, achievement):
        raise PermissionDenied
    if achievement.status == Status.PUBLISHED and not achievement.versions.exists():
        # Bulk-imported records have no snapshot yet: the history starts with their imported state.
        _snapshot(achievement, None, [])
    old = model_to_dict(achievement, fields=EDITABLE_FIELDS)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(achievement, field, data[field])
    current_completers = list(achievement.completers.values_list("name", "role"))
    new_completers = current_completers if completers is None else [(n.strip(), r.strip()) for n, r in completers]
    clean_achievement(achievement, new_completers)
    new = model_to_dict(achievement, fields=EDITABLE_FIELDS)
    changed = [field for field in EDITABLE_FIELDS if old.get(field) != new.get(field)]
    if new_completers != current_completers:
        changed.append("completers")
    if not changed:
        return achievement
    achievement.updated_at = timezone.now()
    if achievement.status == Status.PUBLISHED:
        achievement.version += 1
    achievement.save()
    if completers is not None:
        _set_completers(achievement, new_completers)
    if achievement.status == Status.PUBLISHED:
        _snapshot(achievement, by, changed)
        reindex([achievement])
    audit_record("achievement.updated", by=by, obj=achievement,
                 changes={"fields": changed, "version": achievement.version})
    return achievement


def _transition(achievement, *, by, action, allowed, reason=""):
    achievement = _lock(achievement)
    if not allowed(by, achievement):
        raise PermissionDenied
    old_status = achievement.status
    achievement.status = ACHIEVEMENT_WORKFLOW.target(achievement.status, action)
    achievement.updated_at = timezone.now()
    return achievement, old_status


@transaction.atomic
def achievement_submit(*, achievement: Achievement, by) -> Achievement:
    achievement, old = _transition(achievement, by=by, action="submit", allowed=policies.can_submit_achievement)
    achievement.return_reason = ""
    achievement.save(update_fields=["status", "return_reason", "updated_at"])
    audit_record("achievement.submitted", by=by, obj=achievement, changes={"from": old, "to": achievement.status})
    return achievement


@transaction.atomic
def achievement_publish(*, achievement: Achievement, by) -> Achievement:
    achievement, old = _transition(achievement, by=by, action="publish", allowed=policies.can_review_achievement)
    achievement.published_at = timezone.now()
    achievement.save(update_fields=["status", "published_at", "updated_at"])
    _snapshot(achievement, by, [])
    reindex([achievement])
    audit_record("achievement.published", by=by, obj=achievement, changes={"from": old, "to": achievement.status})
    _notify_owner(achievement, _("Your achievement is published: %(name)s") % {"name": achievement.name}, "")
    return achievement


@transaction.atomic
def achievement_return(*, achievement: Achievement, by, reason: str) -> Achievement:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the owner a reason for returning the record.")})
    achievement, old = _transition(achievement, by=by, action="return", allowed=policies.can_review_achievement)
    achievement.return_reason = reason
    achievement.save(update_fields=["status", "return_reason", "updated_at"])
    audit_record("achievement.returned", by=by, obj=achievement,
                 changes={"from": old, "to": achievement.status, "reason": reason})
    _notify_owner(achievement, _("Your achievement was returned: %(name)s") % {"name": achievement.name}, reason)
    return achievement


@transaction.atomic
def achievement_withdraw(*, achievement: Achievement, by) -> Achievement:
    achievement, old = _transition(achievement, by=by, action="withdraw", allowed=policies.can_withdraw_achievement)
    achievement.save(update_fields=["status", "updated_at"])
    reindex([achievement])
    audit_record("achievement.withdrawn", by=by, obj=achievement, changes={"from": old, "to": achievement.status})
    return achievement


@transaction.atomic
def achievement_reopen(*, achievement: Achievement, by) -> Achievement:
    achievement, old = _transition(achievement, by=by, action="reopen", allowed=policies.can_reopen_achievement)
    achievement.save(update_fields=["status", "updated_at"])
    audit_record("achievement.reopened", by=by, obj=achievement, changes={"from": old, "to": achievement.status})
    return achievement


def _notify_owner(achievement, title, body):
    url = reverse("achievements:detail", args=[achievement.pk])
    for membership in achievement.owner.memberships.filter(role=OrgRole.ADMIN).select_related("user"):
        notify(membership.user, title=title, body=body, url=url)
    if achievement.created_by_id and not achievement.owner.memberships.filter(
            user_id=achievement.created_by_id, role=OrgRole.ADMIN).exists():
        notify(achievement.created_by, title=title, body=body, url=url)


@transaction.atomic
def achievement_attach(*, achievement: Achievement, by, uploaded):
    achievement = _lock(achievement)
    if not policies.can_edit_achievement(by, achievement):
        raise PermissionDenied
    attachment = attachment_store(uploaded=uploaded, owner=achievement, purpose="achievement", by=by,
                                  allowed=DOCUMENTS)
    audit_record("achievement.attachment_added", by=by, obj=achievement,
                 changes={"file": attachment.original_name, "size": attachment.size})
    return attachment


BULK_BATCH = 1000


@transaction.atomic
def achievements_bulk_create(*, by, records: list[tuple[Achievement, list[tuple[str, str]]]], source_label: str,
                             status: str = Status.PUBLISHED, progress=None) -> int:
    """Creates many records at once (imports and demo data) with one audit event for the whole
    batch; published ones are indexed. `records` pairs an unsaved Achievement (owner set) that
    passed `clean_achievement` with its completers."""
    require_clean([achievement for achievement, _completers in records], EDITABLE_FIELDS, clean_achievement)
    now = timezone.now()
    created = 0
    keys = FacetKeys()
    for start in range(0, len(records), BULK_BATCH):
        chunk = records[start:start + BULK_BATCH]
        achievements = []
        for achievement, _completers in chunk:
            achievement.status = status
            if status == Status.PUBLISHED:
                achievement.published_at = achievement.published_at or now
                achievement.search_tokens = achievement_tokens(achievement)
            achievement.set_facet_keys(keys)
            if getattr(by, "is_authenticated", False):
                achievement.created_by = by
            achievements.append(achievement)
        if status == Status.PUBLISHED:
            ACHIEVEMENT_INDEX.prepare_bulk(achievements)
        insert_objects(achievements)
        insert_objects([
            Completer(achievement=achievement, order=position, name=name[:60], role=role[:60])
            for achievement, (_a, completers) in zip(achievements, chunk, strict=True)
            for position, (name, role) in enumerate(completers, start=1)
        ])
        if status == Status.PUBLISHED:
            ACHIEVEMENT_INDEX.store_bulk(achievements)
        created += len(achievements)
        if progress:
            progress(created, len(records))
    audit_record("achievement.bulk_created", by=by, changes={"count": created, "source": source_label,
                                                            "status": status})
    return created


FUNDED_PROJECT_FIELDS = ("reference", "title", "organization", "programme", "year", "amount", "accepted_on")


def clean_funded_project(project: FundedProject) -> None:
    """The rules of a funded project: its year, amount and acceptance date within their ranges
    and a reference not loaded before."""
    errors = model_errors(project)
    if errors:
        raise ValidationError(errors)
    mark_clean(project, FUNDED_PROJECT_FIELDS)


@transaction.atomic
def funded_projects_create(*, by, projects: list[FundedProject]) -> int:
    """The bureau loads funded projects (each passed `clean_funded_project`) in one transaction."""
    require_clean(projects, FUNDED_PROJECT_FIELDS, clean_funded_project)
    FundedProject.objects.bulk_create(projects)
    audit_record("funded_project.imported", by=by, changes={"count": len(projects),
                                                             "references": [p.reference for p in projects[:50]]})
    return len(projects)
