"""Writes of the core: the audit chain, notifications and job status."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.models import AuditChainHead, AuditEvent, Job, JobState, Notification
from kechuang.core.request_context import current_ip


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
