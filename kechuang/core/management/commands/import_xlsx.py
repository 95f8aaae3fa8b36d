from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from kechuang.core.importing import SHEETS, error_report_workbook


class Command(BaseCommand):
    help = "Import a library sheet (the layout of its template). All rows or none are written."

    def add_arguments(self, parser):
        parser.add_argument("library", choices=sorted(SHEETS))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--errors", help="write the row/column error report to this xlsx file")

    def handle(self, *args, library, file, dry_run, errors=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        uploaded = SimpleUploadedFile(path.name, path.read_bytes())
        try:
            result = SHEETS[library].import_file(uploaded=uploaded, by=None, dry_run=dry_run,
                                                 progress=lambda done, total=None: self.stderr.write(f"{done} rows"))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if result.errors:
            for problem in result.errors[:50]:
                self.stderr.write(f"row {problem.row}, {problem.column}: {problem.message}")
            if errors:
                Path(errors).write_bytes(error_report_workbook(result.errors))
            raise CommandError(f"{len(result.errors)} problems in {result.rows} rows: nothing was imported")
        if dry_run:
            self.stdout.write(f"{result.rows} rows are valid (dry run: nothing was imported)")
        else:
            self.stdout.write(self.style.SUCCESS(f"{result.created} {library} imported"))
