from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kechuang.core.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Recompute the SM3 audit chain; exit 1 and name the first bad event if any was altered."

    def handle(self, *args, **options):
        report = audit_chain_verify()
        if not report.ok:
            raise CommandError(_("audit chain broken at event #%(id)s: %(reason)s (%(checked)d events before it are "
                                 "intact)") % {"id": report.bad_event_id, "reason": report.reason,
                                              "checked": report.checked})
        self.stdout.write(self.style.SUCCESS(_("audit chain intact: %(count)d events") % {"count": report.checked}))
