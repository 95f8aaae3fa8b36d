"""Creates the first bureau admin of a new deployment (seed_demo is refused in production)."""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kechuang.accounts.services import bureau_admin_bootstrap


class Command(BaseCommand):
    help = "Create a bureau admin. The password is read from KECHUANG_ADMIN_PASSWORD or asked for."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--mobile", required=True)

    def handle(self, *args, email, name, mobile, **options):
        password = os.environ.get("KECHUANG_ADMIN_PASSWORD") or getpass.getpass("Password: ")
        try:
            user = bureau_admin_bootstrap(name=name, email=email, mobile=mobile, password=password)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"bureau admin created: {user.email}"))
