"""Voucher redemptions and instrument booking requests per second on PostgreSQL, through the
platform's services (kechuang.vouchers, kechuang.instruments), with the ledger check afterwards.

    scripts/with-postgres.sh .venv/bin/python benchmarks/vouchers/run.py [--operations N] [--json FILE]

The database comes from DATABASE_URL (with-postgres.sh starts a throwaway PostgreSQL 15 with fsync
off). Each figure is the median of 3 runs; the peer is the same work done by one client, so the
ratio shows how the locks and constraints let 8 clients scale.
"""

import argparse
import json
import os
import statistics
import sys
import threading
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from kechuang.accounts.choices import OrganizationKind, PlatformRole  # noqa: E402
from kechuang.accounts.tests.factories import OrganizationFactory, grant, member_of  # noqa: E402
from kechuang.instruments import services as instruments  # noqa: E402
from kechuang.instruments.models import InstrumentCategory  # noqa: E402
from kechuang.vouchers import selectors, services  # noqa: E402

CLIENTS = 8


def run_clients(count: int, work) -> float:
    """Runs work(client) in `count` threads released together; returns the wall time."""
    barrier = threading.Barrier(count + 1)
    errors = []

    def client(number):
        from django.db import connection as own

        barrier.wait()
        try:
            work(number)
        except Exception as error:
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - started


def setup():
    bureau = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
    officer = grant(member_of(bureau), PlatformRole.BUREAU_OFFICER)
    testing = OrganizationFactory(kind=OrganizationKind.INSTITUTE)
    provider = grant(member_of(testing), PlatformRole.PROVIDER)
    enterprises = [member_of(OrganizationFactory(kind=OrganizationKind.ENTERPRISE)) for _ in range(CLIENTS)]
    today = timezone.localdate()
    scheme = services.scheme_create(by=officer, data={
        "name": "基准测试创新券", "year": today.year, "total_budget": Decimal("100000000"),
        "per_enterprise_cap": Decimal("10000000"), "share": Decimal("0.5"),
        "valid_from": today - timedelta(days=1), "valid_until": today + timedelta(days=30)})
    category, _created = InstrumentCategory.objects.get_or_create(code="0101", defaults={"name": "质谱仪器"})
    instrument = instruments.instrument_save(by=provider, data={
        "name": "基准测试质谱仪", "category": category, "original_value": Decimal("400")})
    return officer, testing, enterprises, scheme, instrument


def fresh_vouchers(officer, enterprises, scheme, count):
    vouchers = []
    for user in enterprises[:count]:
        voucher = services.voucher_apply(by=user, scheme=scheme, amount=Decimal("1000000"), purpose="基准")
        vouchers.append(services.voucher_issue(by=officer, voucher=voucher))
    return vouchers


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--operations", type=int, default=400, help="operations per measurement")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("run under scripts/with-postgres.sh: the figures are for PostgreSQL")
    call_command("migrate", verbosity=0)
    officer, provider_org, enterprises, scheme, instrument = setup()
    ops, counter = args.operations, iter(range(10**9))
    slot_start = timezone.now().replace(microsecond=0) + timedelta(days=1)

    def redeem_many(vouchers, clients):
        def work(client):
            voucher = vouchers[client % len(vouchers)]
            for _ in range(ops // clients):
                services.voucher_redeem(voucher=voucher, provider=provider_org, order_ref=f"o-{next(counter)}",
                                        order_cost=Decimal("100"))
        return run_clients(clients, work)

    def book_many(clients):
        def work(client):
            for _ in range(ops // clients):
                n = next(counter)
                instruments.booking_request(by=enterprises[client], instrument=instrument,
                                            starts_at=slot_start + timedelta(hours=n),
                                            ends_at=slot_start + timedelta(hours=n, minutes=50), purpose="基准")
        return run_clients(clients, work)

    cases = {
        "redeem, 1 client": lambda: redeem_many(fresh_vouchers(officer, enterprises, scheme, 1), 1),
        "redeem, 8 clients, 8 vouchers": lambda: redeem_many(fresh_vouchers(officer, enterprises, scheme, 8), 8),
        "redeem, 8 clients, 1 voucher": lambda: redeem_many(fresh_vouchers(officer, enterprises, scheme, 1), 8),
        "book, 1 client": lambda: book_many(1),
        "book, 8 clients, 1 instrument": lambda: book_many(CLIENTS),
    }
    results = {}
    for name, case in cases.items():
        rates = [ops / case() for _ in range(3)]
        results[name] = round(statistics.median(rates), 1)
    problems = selectors.ledger_problems()
    print(f"| case | operations/s (median of 3, {ops} operations each) | ratio to 1 client |")
    print("|---|---|---|")
    for name, rate in results.items():
        peer = results["redeem, 1 client"] if name.startswith("redeem") else results["book, 1 client"]
        print(f"| {name} | {rate} | {rate / peer:.2f} |")
    print(f"ledger check after the run: {problems if problems else 'ok'}")
    if args.json:
        args.json.write_text(json.dumps({"rates": results, "ledger_problems": problems}, indent=2,
                                        ensure_ascii=False) + "\n")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
