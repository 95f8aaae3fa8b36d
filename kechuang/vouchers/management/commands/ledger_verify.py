from django.core.management.base import BaseCommand

from kechuang.vouchers.selectors import ledger_problems


class Command(BaseCommand):
    help = ("Recompute every voucher ledger balance from its movements and check every invariant. "
            "Exit status 0 only when all hold.")

    def handle(self, *args, **options):
        problems = ledger_problems()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise SystemExit(1)
        self.stdout.write("ledger ok")
