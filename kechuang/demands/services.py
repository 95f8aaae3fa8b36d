"""Writes of the demand library: one transaction each, locked, audited, indexed."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.accounts.choices import OrgRole
from kechuang.core.bulk import insert_objects
from kechuang.core.files import DOCUMENTS, attachment_store
from kechuang.core.search import index_text
from kechuang.core.services import audit_record, notify
from kechuang.core.validators import (
    mark_clean,
    model_errors,
    normalize_mobile,
    require_clean,
    validate_mobile,
    validate_not_past,
)
from kechuang.demands import policies
from kechuang.demands.choices import INDEXED
from kechuang.demands.choices import DemandStatus as Status
from kechuang.demands.models import DEMAND_INDEX, Demand
from kechuang.demands.workflow import DEMAND_WORKFLOW

EDITABLE_FIELDS = (
    "title", "public_summary", "description", "keywords", "industry", "tech_field", "chain", "district",
    "readiness_needed", "budget_min", "budget_max", "deadline", "cooperation_modes", "confidential", "contact_name",
    "contact_phone",
)


def demand_tokens(demand: Demand) -> str:
    # Confidential details stay out of the index, so a search never reveals them.
    details = "" if demand.confidential else demand.description[:3000]
    return index_text(demand.title, demand.public_summary, demand.keywords, details)


def reindex(demands: list[Demand]) -> None:
    indexed = []
    for demand in demands:
        if demand.status in INDEXED:
            demand.search_tokens = demand_tokens(demand)
            indexed.append(demand)
        else:
            DEMAND_INDEX.remove(demand.pk)
    if indexed:
        Demand.objects.bulk_update(indexed, ["search_tokens"])
        DEMAND_INDEX.store([(demand.pk, demand.search_tokens) for demand in indexed])


def clean_demand(demand: Demand) -> None:
    """The rules of a demand, for every way in: the edit form, the API and the sheet import.
    Raises ValidationError by field; on success the demand is normalised, has its facet keys and
    may go to `demands_bulk_publish`."""
    # The model's one CHECK besides the ranges, the budget's order, is the rule below.
    errors = model_errors(demand, exclude=["owner", "created_by", "search_vector", "challenge_marked_by"],
                          constraints=False)
    low, high = demand.budget_min, demand.budget_max
    if "budget_min" not in errors and "budget_max" not in errors and low is not None and high is not None \
            and low > high:
        errors["budget_max"] = [_("The upper end of the budget is below the lower end.")]
    if "deadline" not in errors:
        try:
            validate_not_past(demand.deadline)
        except ValidationError as error:
            errors["deadline"] = error.messages
    if demand.contact_phone:
        try:
            validate_mobile(demand.contact_phone)
            demand.contact_phone = normalize_mobile(demand.contact_phone)
        except ValidationError as error:
            errors["contact_phone"] = error.messages
    if errors:
        raise ValidationError(errors)
    if demand.district_id is None and demand.owner_id is not None:
        demand.district = demand.owner.district  # a demand is placed where its enterprise is
    demand.set_facet_keys()
    mark_clean(demand, EDITABLE_FIELDS)


@transaction.atomic
def demand_create(*, by, data: dict, owner=None, status: str = Status.DRAFT,
                  external_id: str | None = None) -> Demand:
    if owner is None:
        if not policies.can_create_demand(by):
            raise PermissionDenied
        owner = by.organization
    demand = Demand(owner=owner, created_by=by if getattr(by, "is_authenticated", False) else None,
                    external_id=external_id, **{field: data[field] for field in EDITABLE_FIELDS if field in data})
    clean_demand(demand)
    demand.status = status
    if status in INDEXED:
        demand.published_at = timezone.now()
    demand.save()
    reindex([demand])
    audit_record("demand.created", by=by, obj=demand, changes={"status": status})
    return demand


def _lock(demand) -> Demand:
    return Demand.objects.select_for_update().get(pk=demand.pk)


@transaction.atomic
def demand_update(*, demand: Demand, by, data: dict) -> Demand:
    demand = _lock(demand)
    if not policies.can_edit_demand(by, demand):
        raise PermissionDenied
    old = model_to_dict(demand, fields=EDITABLE_FIELDS)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(demand, field, data[field])
    clean_demand(demand)
    new = model_to_dict(demand, fields=EDITABLE_FIELDS)
    changed = [field for field in EDITABLE_FIELDS if old.get(field) != new.get(field)]
    if changed:
        demand.updated_at = timezone.now()
        demand.save()
        audit_record("demand.updated", by=by, obj=demand, changes={"fields": changed})
    return demand


def _move(demand, *, by, action, allowed, fields=("status", "updated_at"), **changes):
    demand = _lock(demand)
    if allowed is not None and not allowed(by, demand):
        raise PermissionDenied
    old = demand.status
    demand.status = DEMAND_WORKFLOW.target(demand.status, action)
    demand.updated_at = timezone.now()
    for field, value in changes.items():
        setattr(demand, field, value)
    demand.save(update_fields=[*fields, *changes])
    reindex([demand])
    audit_record(f"demand.{action}", by=by, obj=demand,
                 changes={"from": old, "to": demand.status} | {k: str(v) for k, v in changes.items()})
    return demand


@transaction.atomic
def demand_submit(*, demand: Demand, by) -> Demand:
    return _move(demand, by=by, action="submit", allowed=policies.can_submit_demand, return_reason="")


@transaction.atomic
def demand_publish(*, demand: Demand, by) -> Demand:
    demand = _move(demand, by=by, action="publish", allowed=policies.can_review_demand, published_at=timezone.now())
    _notify_owner(demand, _("Your demand is published: %(title)s") % {"title": demand.title}, "")
    return demand


@transaction.atomic
def demand_return(*, demand: Demand, by, reason: str) -> Demand:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the enterprise a reason for returning the demand.")})
    demand = _move(demand, by=by, action="return", allowed=policies.can_review_demand, return_reason=reason)
    _notify_owner(demand, _("Your demand was returned: %(title)s") % {"title": demand.title}, reason)
    return demand


@transaction.atomic
def demand_start_matchmaking(*, demand: Demand, by) -> Demand:
    return _move(demand, by=by, action="start_matchmaking", allowed=policies.can_start_matchmaking)


@transaction.atomic
def demand_solve(*, demand: Demand, by) -> Demand:
    return _move(demand, by=by, action="solve", allowed=policies.can_solve_demand)


@transaction.atomic
def demand_withdraw(*, demand: Demand, by) -> Demand:
    return _move(demand, by=by, action="withdraw", allowed=policies.can_withdraw_demand)


@transaction.atomic
def demand_mark_challenge_candidate(*, demand: Demand, by, reason: str) -> Demand:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this demand suits the open-challenge list.")})
    demand = _lock(demand)
    if not policies.can_mark_challenge_candidate(by, demand):
        raise PermissionDenied
    demand.challenge_candidate, demand.challenge_reason, demand.challenge_marked_by = True, reason, by
    demand.save(update_fields=["challenge_candidate", "challenge_reason", "challenge_marked_by"])
    audit_record("demand.challenge_candidate", by=by, obj=demand, changes={"reason": reason})
    return demand


@transaction.atomic
def demands_expire(*, today: date) -> int:
    """The daily task: published demands whose deadline has passed become expired."""
    overdue = list(Demand.objects.select_for_update().filter(
        status__in=[Status.PUBLISHED, Status.MATCHMAKING], deadline__lt=today).order_by("pk"))
    for demand in overdue:
        _move(demand, by=None, action="expire", allowed=None)
        _notify_owner(demand, _("Your demand has expired: %(title)s") % {"title": demand.title},
                      _("Its deadline has passed. Publish a new demand if you still need a solution."))
    return len(overdue)


@transaction.atomic
def demand_attach(*, demand: Demand, by, uploaded):
    demand = _lock(demand)
    if not policies.can_edit_demand(by, demand):
        raise PermissionDenied
    attachment = attachment_store(uploaded=uploaded, owner=demand, purpose="demand", by=by, allowed=DOCUMENTS)
    audit_record("demand.attachment_added", by=by, obj=demand, changes={"file": attachment.original_name})
    return attachment


def _notify_owner(demand, title, body):
    url = reverse("demands:detail", args=[demand.pk])
    recipients = {m.user for m in demand.owner.memberships.filter(role=OrgRole.ADMIN).select_related("user")}
    if demand.created_by_id:
        recipients.add(demand.created_by)
    for user in recipients:
        notify(user, title=title, body=body, url=url)


BULK_BATCH = 1000


@transaction.atomic
def demands_bulk_publish(*, by, demands: list[Demand], source_label: str, status: str = Status.PUBLISHED,
                         progress=None) -> int:
    """Creates many demands that passed `clean_demand` (imports, demo data) with one audit event;
    those published are indexed."""
    require_clean(demands, EDITABLE_FIELDS, clean_demand)
    now, created = timezone.now(), 0
    for start in range(0, len(demands), BULK_BATCH):
        chunk = demands[start:start + BULK_BATCH]
        for demand in chunk:
            demand.status = status
            if status in INDEXED:
                demand.published_at = demand.published_at or now
                demand.search_tokens = demand_tokens(demand)
            demand.created_by = by if getattr(by, "is_authenticated", False) else None
        if status in INDEXED:
            DEMAND_INDEX.prepare_bulk(chunk)
        insert_objects(chunk)
        if status in INDEXED:
            DEMAND_INDEX.store_bulk(chunk)
        created += len(chunk)
        if progress:
            progress(created, len(demands))
    audit_record("demand.bulk_published", by=by, changes={"count": created, "source": source_label})
    return created
