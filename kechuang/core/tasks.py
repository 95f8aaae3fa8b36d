"""Background work of the core: e-mail and the audit log export."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import send_mail
from django.tasks import task
from django.utils.translation import gettext as _
from django.utils.translation import override

from kechuang.core.models import Job, Notification


@task()
def send_notification_email(notification_id: int) -> None:
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or not notification.recipient.email:
        return
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{notification.url}"
    send_mail(notification.title, body, None, [notification.recipient.email])


@task()
def prune_submission_keys() -> int:
    """Daily: forgets the one-time keys of create forms posted a month ago."""
    from kechuang.core.services import submission_keys_prune

    return submission_keys_prune()


@task()
def send_plain_email(to: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [to])


@task()
def export_audit_log(job_id: int, filters: dict, language: str) -> None:
    from kechuang.core.excel import workbook_bytes
    from kechuang.core.files import attachment_store_bytes
    from kechuang.core.selectors import audit_event_list
    from kechuang.core.services import job_finish, job_progress

    job = Job.objects.select_related("owner").get(pk=job_id)
    with override(language):
        try:
            events = audit_event_list(**filters)
            total = events.count()
            headers = [_("No."), _("time (UTC)"), _("actor"), _("action"), _("object type"), _("object"),
                       _("summary of the change"), _("IP address"), _("hash")]

            def rows():
                for index, event in enumerate(events.iterator(chunk_size=1000), start=1):
                    if index % 500 == 0:
                        job_progress(job, progress=int(index * 95 / max(total, 1)), message=f"{index}/{total}")
                    yield [event.id, event.created_at.strftime("%Y-%m-%d %H:%M:%S"), event.actor_label, event.action,
                           event.object_type, event.object_repr, event.changes, event.ip or "", event.hash]

            data = workbook_bytes(title=_("Audit log"), headers=headers, rows=rows())
            attachment = attachment_store_bytes(
                data=data, kind="xlsx", owner=job, purpose="export", by=job.owner, filename="audit-log.xlsx"
            )
            job_finish(job, message=_("%(count)d events exported.") % {"count": total}, attachment=attachment)
        except Exception as error:
            job_finish(job, message=_("The export failed: %(error)s") % {"error": error}, failed=True)
            raise


@task()
def import_sheet(job_id: int, library: str, upload_uuid: str, dry_run: bool, language: str) -> None:
    """Checks (and unless dry_run, imports) an uploaded sheet; the job shows progress, the
    counts, and an error report workbook when any row is wrong."""
    from django.core.exceptions import ValidationError

    from kechuang.core.files import attachment_store_bytes
    from kechuang.core.importing import SHEETS, error_report_workbook
    from kechuang.core.models import Attachment
    from kechuang.core.services import job_finish, job_progress

    job = Job.objects.select_related("owner").get(pk=job_id)
    upload = Attachment.objects.get(uuid=upload_uuid)
    with upload.file.open("rb") as handle:
        uploaded = SimpleUploadedFile(upload.original_name, handle.read())
    with override(language):
        try:
            result = SHEETS[library].import_file(
                uploaded=uploaded, by=job.owner, dry_run=dry_run,
                progress=lambda done, total=None: job_progress(
                    job, progress=int(done * 90 / total) if total else 10,
                    message=_("%(count)d rows processed") % {"count": done}))
        except ValidationError as error:
            job_finish(job, message=" ".join(error.messages), failed=True, details={"errors": 1, "rows": 0})
            return
        details = {"rows": result.rows, "created": result.created, "errors": len(result.errors),
                   "preview": result.preview}
        if result.errors:
            report = attachment_store_bytes(data=error_report_workbook(result.errors), kind="xlsx", owner=job,
                                            purpose="error_report", by=job.owner, filename="导入错误报告.xlsx")
            job_finish(job, failed=True, attachment=report, details=details,
                       message=_("%(errors)d problems in %(rows)d rows: nothing was imported. Download the report, "
                                 "correct the sheet and upload it again.") % {"errors": len(result.errors),
                                                                               "rows": result.rows})
        elif dry_run:
            job_finish(job, details=details, message=_("All %(rows)d rows are valid. Nothing has been imported "
                                                       "yet.") % {"rows": result.rows})
        else:
            job_finish(job, details=details, message=_("%(created)d records imported.") % {"created": result.created})


@task()
def export_sheet(job_id: int, library: str, params: dict, language: str) -> None:
    from kechuang.core.files import attachment_store_bytes
    from kechuang.core.importing import SHEETS, template_workbook
    from kechuang.core.services import job_finish, job_progress

    job = Job.objects.select_related("owner").get(pk=job_id)
    sheet = SHEETS[library]
    with override(language):
        job_progress(job, progress=5, message=_("Collecting the records"))
        rows = list(sheet.export_for(job.owner, params))
        job_progress(job, progress=60, message=_("%(count)d rows") % {"count": len(rows)})
        data = template_workbook(sheet.spec(), rows)
        attachment = attachment_store_bytes(data=data, kind="xlsx", owner=job, purpose="export", by=job.owner,
                                            filename=f"{sheet.spec().sheet_title}导出.xlsx")
        job_finish(job, attachment=attachment, message=_("%(count)d records exported.") % {"count": len(rows)})
