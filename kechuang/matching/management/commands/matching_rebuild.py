"""Re-encodes every published record into a new matching index, with a progress bar."""

import sys
import time

from django.core.management.base import BaseCommand

from kechuang.matching import services


class Command(BaseCommand):
    help = "Rebuild the matching index from the database (achievements, demands, experts, brokers)."

    def handle(self, *args, **options):
        started = time.monotonic()
        interactive = sys.stdout.isatty()

        def progress(done, total):
            width = 30
            filled = int(width * done / max(total, 1))
            line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} records encoded"
            if interactive:
                self.stdout.write("\r" + line, ending="")
            else:
                self.stdout.write(line)
            self.stdout.flush()

        count = services.index_rebuild(progress=progress)
        if interactive:
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(
            f"matching index rebuilt: {count} records in {time.monotonic() - started:.1f} s"))
