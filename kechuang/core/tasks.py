"""Background work of the core: e-mail and the audit log export."""

from django.conf import settings
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
