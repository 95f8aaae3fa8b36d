from pathlib import Path

from django.core.management.base import BaseCommand

from kechuang.core.importing import SHEETS, template_workbook


class Command(BaseCommand):
    help = "Export a whole library in the layout of its import template (with contact details)."

    def add_arguments(self, parser):
        parser.add_argument("library", choices=sorted(SHEETS))
        parser.add_argument("file")

    def handle(self, *args, library, file, **options):
        sheet = SHEETS[library]
        rows = list(sheet.export_all())
        Path(file).write_bytes(template_workbook(sheet.spec(), rows))
        self.stdout.write(self.style.SUCCESS(f"{len(rows)} {library} written to {file}"))
