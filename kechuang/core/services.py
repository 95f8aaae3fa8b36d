"""Writes of the core: the audit chain, notifications and job status."""

import json
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.models import AuditChainHead, AuditEvent, Job, JobState, Notification, SubmissionKey
from kechuang.core.request_context import current_ip

SUBMISSION_KEYS_KEPT_DAYS = 30


class KeyOfAnotherUser(PermissionDenied):
    """A one-time submission key that another user's post claimed."""


class _NothingCreated(Exception):
    def __init__(self, result):
        super().__init__()
        self.result = result


def create_once(*, key, by, create, url_of) -> tuple[object, str | None, bool]:
    """Runs `create` once per one-time submission key: the key is claimed (unique) in the same
    transaction as the create and recorded with `url_of(result)`, the page of what it made (None:
    it made nothing, the claim is undone with the rest). A post that comes again with the key,
    even while the first is still running (it waits for the first to commit), creates nothing.
    Returns what `create` returned (None for a replay), that page, and whether this was a replay."""
    actor = by if by is not None and by.is_authenticated else None
    first = SubmissionKey.objects.filter(key=key).first()
    if first is None:
        try:
            with transaction.atomic():
                claim = SubmissionKey.objects.create(key=key, actor=actor)
                result = create()
                claim.url = url_of(result)
                if claim.url is None:
                    raise _NothingCreated(result)
                claim.save(update_fields=["url"])
            return result, claim.url, False
        except _NothingCreated as nothing:
            return nothing.result, None, False
        except IntegrityError:
            first = SubmissionKey.objects.filter(key=key).first()
            if first is None:  # the create's own constraint, not a concurrent claim of the key
                raise
    # A key is rendered into one user's form; an anonymous sign-up's key goes on with the new account.
    if first.actor_id is not None and first.actor_id != getattr(actor, "pk", None):
        raise KeyOfAnotherUser
    return None, first.url, True


def submission_keys_prune(*, days: int = SUBMISSION_KEYS_KEPT_DAYS) -> int:
    """Forgets the keys of forms posted more than `days` ago (a replay that late creates again)."""
    return SubmissionKey.objects.filter(created_at__lt=timezone.now() - timedelta(days=days)).delete()[0]


def object_label(obj) -> str:
    return obj._meta.label_lower if obj is not None else ""


@transaction.atomic
def audit_record(action: str, *, by=None, obj=None, changes: dict | None = None, actor_label: str = "") -> AuditEvent:
    """Append one event to the chain. The head row is locked, so events get consecutive ids."""
    head = AuditChainHead.objects.select_for_update().get(pk=1)
    if by is not None and getattr(by, "is_authenticated", False):
        actor, actor_label = by, actor_label or by.display_name
    else:
        actor = None
    event = AuditEvent(
        id=head.last_event_id + 1,
        created_at=timezone.now(),
        actor=actor,
        actor_label=actor_label[:200],
        action=action,
        object_type=object_label(obj),
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        # A JSON round trip now makes the hashed form equal to what the database returns later.
        changes=json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder)),
        ip=current_ip.get(),
        prev_hash=head.last_hash,
    )
    event.hash = event.compute_hash()
    event.save(force_insert=True)
    AuditChainHead.objects.filter(pk=1).update(
        last_event_id=event.id, last_hash=event.hash, length=head.length + 1
    )
    return event


def notify(recipient, *, title: str, body: str = "", url: str = "", email: bool = True) -> Notification:
    """An in-app notification; the e-mail copy is sent by a task once the transaction commits."""
    from kechuang.core.tasks import send_notification_email

    notification = Notification.objects.create(recipient=recipient, title=title, body=body, url=url)
    if email and recipient.email:
        transaction.on_commit(lambda: send_notification_email.enqueue(notification.pk))
    return notification


def notifications_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=notification_ids)
    return rows.update(read_at=timezone.now())


def job_create(*, kind: str, title: str, owner, details: dict | None = None) -> Job:
    return Job.objects.create(kind=kind, title=title, owner=owner, details=details or {})


def job_progress(job: Job, *, progress: int, message: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, progress=max(0, min(progress, 100)), message=message)


def job_finish(job: Job, *, message: str = "", attachment=None, failed: bool = False,
               details: dict | None = None) -> None:
    if details is not None:
        Job.objects.filter(pk=job.pk).update(details={**job.details, **details})
    Job.objects.filter(pk=job.pk).update(
        state=JobState.FAILED if failed else JobState.SUCCEEDED,
        progress=100,
        message=message[:300],
        result_attachment=attachment,
        finished_at=timezone.now(),
    )


@transaction.atomic
def reference_item_save(*, form, by):
    """Saves a bureau admin's edit of reference data (a validated ModelForm) with an audit event."""
    created = form.instance.pk is None
    item = form.save()
    audit_record(
        "reference.created" if created else "reference.changed",
        by=by,
        obj=item,
        changes={field: form.cleaned_data[field] for field in form.changed_data},
    )
    return item


def import_job_start(*, library: str, by, dry_run: bool, language: str, uploaded=None, upload_uuid: str = ""):
    """Stores the upload (or reuses the one a dry run checked) and runs the import as a job."""
    from kechuang.core.files import SPREADSHEETS, attachment_store
    from kechuang.core.importing import SHEETS
    from kechuang.core.tasks import import_sheet

    sheet = SHEETS[library]
    title = (_("Check of %(name)s") if dry_run else _("Import of %(name)s")) % {"name": sheet.title or library}
    job = job_create(kind="import", title=title, owner=by, details={"library": library, "dry_run": dry_run})
    if uploaded is not None:
        upload = attachment_store(uploaded=uploaded, owner=job, purpose="upload", by=by, allowed=SPREADSHEETS)
        upload_uuid = upload.uuid.hex
    Job.objects.filter(pk=job.pk).update(details={**job.details, "upload": upload_uuid})
    audit_record("import.started", by=by, obj=job, changes={"library": library, "dry_run": dry_run})
    transaction.on_commit(lambda: import_sheet.enqueue(job.pk, library, upload_uuid, dry_run, language))
    return job


def export_job_start(*, library: str, params: dict, by, language: str):
    from kechuang.core.importing import SHEETS
    from kechuang.core.tasks import export_sheet

    title = _("Export of %(name)s") % {"name": SHEETS[library].title or library}
    job = job_create(kind="export", title=title, owner=by, details={"library": library, "params": params})
    audit_record("export.started", by=by, obj=job, changes={"library": library, "params": params})
    transaction.on_commit(lambda: export_sheet.enqueue(job.pk, library, params, language))
    return job
