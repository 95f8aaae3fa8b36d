import time
from datetime import datetime, timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from kechuang.core.scheduling import DAILY_TASKS

RUN_AT_HOUR = 2  # local time, when the platform is quiet


class Command(BaseCommand):
    help = "Enqueue the daily tasks now; with --loop, also every night at 02:00 local time."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")

    def handle(self, *args, loop=False, **options):
        self.enqueue_all()
        while loop:
            now = timezone.localtime()
            next_run = (now + timedelta(days=1)).replace(hour=RUN_AT_HOUR, minute=0, second=0, microsecond=0)
            if now.hour < RUN_AT_HOUR:
                next_run = now.replace(hour=RUN_AT_HOUR, minute=0, second=0, microsecond=0)
            time.sleep(max(1.0, (next_run - now).total_seconds()))
            self.enqueue_all()

    def enqueue_all(self):
        for task in DAILY_TASKS:
            result = task.enqueue()
            self.stdout.write(f"{datetime.now():%Y-%m-%d %H:%M} enqueued {task.name} ({result.id})")
