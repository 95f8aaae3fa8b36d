"""Reads of the core, each through its policy."""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils.translation import gettext as _

from kechuang.core.models import GENESIS_HASH, Attachment, AuditChainHead, AuditEvent, JobState
from kechuang.core.policies import attachments_visible_to, jobs_visible_to, notifications_visible_to


def gate(user, visible, *, may=None, **lookup):
    """The access gate behind every app's `<noun>_for(user, pk, may=...)`: the one object of
    `visible` (the user's visibility queryset) that `lookup` names, if the policy `may(user, obj)`
    allows the action (when one is given). Anything else is a 404, so what a user may not see, or
    may see but not act on, cannot be told apart from what does not exist."""
    try:
        obj = visible.get(**lookup)
    except ObjectDoesNotExist as error:
        raise Http404 from error
    if may is not None and not may(user, obj):
        raise Http404
    return obj


def audit_event_list(*, action: str = "", object_type: str = "", actor: str = "", date_from=None, date_to=None):
    events = AuditEvent.objects.select_related("actor").order_by("-id")
    if action:
        events = events.filter(action__startswith=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    if date_from:
        events = events.filter(created_at__date__gte=date_from)
    if date_to:
        events = events.filter(created_at__date__lte=date_to)
    return events


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    bad_event_id: int | None = None
    reason: str = ""


def audit_chain_verify() -> ChainReport:
    """Recomputes the chain. Names the first event that was edited, deleted, inserted or moved."""
    expected_prev, expected_id, checked = GENESIS_HASH, 1, 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.id != expected_id:
            if event.id > expected_id:
                reason = _("events #%(first)d to #%(last)d are missing before this event (deleted)") % {
                    "first": expected_id,
                    "last": event.id - 1,
                }
            else:
                reason = _("the event id is out of sequence (inserted)")
            return ChainReport(False, checked, event.id, reason)
        if event.prev_hash != expected_prev:
            reason = _("its link to the previous event is broken (inserted, deleted or reordered)")
            return ChainReport(False, checked, event.id, reason)
        if event.compute_hash() != event.hash:
            return ChainReport(False, checked, event.id, _("its content does not match its hash (edited)"))
        expected_prev, expected_id, checked = event.hash, event.id + 1, checked + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None or head.last_hash != expected_prev or head.length != checked:
        last_recorded = head.last_event_id if head else 0
        reason = _("the chain ends at #%(found)d but the head records #%(recorded)d (events removed or appended)") % {
            "found": expected_id - 1,
            "recorded": last_recorded,
        }
        return ChainReport(False, checked, last_recorded or None, reason)
    return ChainReport(True, checked)


def notification_list(user):
    return notifications_visible_to(user)


def unread_notification_count(user) -> int:
    return notifications_visible_to(user).filter(read_at__isnull=True).count()


def job_for(user, job_uuid, *, may=None):
    return gate(user, jobs_visible_to(user).select_related("result_attachment"), may=may, uuid=job_uuid)


def dry_run_for(user, upload_uuid):
    """The user's clean dry run of an upload: the import then commits the file it checked."""
    return gate(user, jobs_visible_to(user), details__upload=upload_uuid, details__dry_run=True,
                state=JobState.SUCCEEDED)


def attachment_for(user, attachment_uuid):
    return gate(user, Attachment.objects.all(), may=attachments_visible_to, uuid=attachment_uuid)
