from django.core.management.base import BaseCommand, CommandError

from kechuang.core.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Recompute the SM3 audit chain; exit 1 and name the first bad event if any was altered."

    def handle(self, *args, **options):
        report = audit_chain_verify()
        if not report.ok:
            raise CommandError(f"audit chain broken at event #{report.bad_event_id}: {report.reason} "
                               f"({report.checked} events before it are intact)")
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {report.checked} events"))
