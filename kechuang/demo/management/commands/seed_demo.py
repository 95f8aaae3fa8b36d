"""Loads the demo city. Idempotent: a second run finds what exists and adds nothing twice."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kechuang.accounts import demo as accounts_demo
from kechuang.achievements import demo as achievements_demo
from kechuang.challenges import demo as challenges_demo
from kechuang.core.services import audit_record
from kechuang.demands import demo as demands_demo
from kechuang.experts import demo as experts_demo
from kechuang.instruments import demo as instruments_demo
from kechuang.matching import demo as matching_demo
from kechuang.programs import demo as programs_demo


class Command(BaseCommand):
    help = "Load the demo city (organisations of every kind and one user per role). Refused in production."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="only when the database has no user yet")

    def handle(self, *args, if_empty=False, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo refuses to run with DJANGO_ENV=production: it creates accounts with "
                               "published passwords.")
        from kechuang.accounts.models import User

        if if_empty and User.objects.exists():
            self.stdout.write("the database already has users: demo data not loaded")
            return
        demo_city = accounts_demo.seed(log=self.stdout.write)
        achievements_demo.seed(demo_city["organizations"], log=self.stdout.write)
        demands_demo.seed(demo_city["organizations"], achievements_demo.read_jsonl, log=self.stdout.write)
        experts_demo.seed(log=self.stdout.write)
        matching_demo.seed(log=self.stdout.write)
        programs_demo.seed(log=self.stdout.write)
        challenges_demo.seed(log=self.stdout.write)
        instruments_demo.seed(log=self.stdout.write)
        audit_record("demo.seeded", actor_label="seed_demo")
