"""Cost of the SM3 audit chain, against a plain insert measured in the same run.

Usage: .venv/bin/python benchmarks/audit_chain.py [--events 2000] [--rounds 5]
Runs on a throwaway SQLite database (or DATABASE_URL) and prints a Markdown table:
median microseconds per append (chain vs. a Notification insert of similar size, each in its own
transaction, as services write them) and verification throughput.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("KECHUANG_VAR_DIR", tempfile.mkdtemp(prefix="kechuang-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from kechuang.accounts.models import User  # noqa: E402
from kechuang.core.models import Notification  # noqa: E402
from kechuang.core.selectors import audit_chain_verify  # noqa: E402
from kechuang.core.services import audit_record  # noqa: E402


def timed_per_item(function, count):
    started = time.perf_counter()
    for index in range(count):
        with transaction.atomic():
            function(index)
    return (time.perf_counter() - started) / count * 1e6


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench@example.cn", "Bench-Mark-2026", name="基准")
    chain, plain, verify = [], [], []
    for _round in range(options.rounds):
        chain.append(timed_per_item(lambda i: audit_record(
            "bench.step", by=user, changes={"step": i, "字段": "成果名称"}), options.events))
        plain.append(timed_per_item(lambda i: Notification.objects.create(
            recipient=user, title="bench.step", body=f'{{"step": {i}, "字段": "成果名称"}}'), options.events))
        started = time.perf_counter()
        report = audit_chain_verify()
        assert report.ok
        verify.append(report.checked / (time.perf_counter() - started))
    chain_us, plain_us = statistics.median(chain), statistics.median(plain)
    print(f"database: {connection.vendor}; {options.events} appends x {options.rounds} rounds; "
          f"chain length at the end {report.checked}")
    print()
    print("| measure | median | ratio |")
    print("|---|---|---|")
    print(f"| audit_record append (µs) | {chain_us:.0f} | {chain_us / plain_us:.2f}x the peer |")
    print(f"| peer: plain Notification insert (µs) | {plain_us:.0f} | 1.00x |")
    print(f"| audit_verify (events/s) | {statistics.median(verify):,.0f} | |")


if __name__ == "__main__":
    main()
