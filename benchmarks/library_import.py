"""Import speed and peak memory of the achievements sheet, against reading the same sheet.

Usage: .venv/bin/python benchmarks/library_import.py [--rows 100000] [--rounds 1]

Builds an xlsx of --rows achievements resampled from the real records, then for each round runs,
each in a fresh child process on a fresh database: the peer (calamine reading every cell of the
sheet, no validation) and the full import (`import_xlsx achievements FILE`: read, validate every
row, insert, index). Prints rows/s and the child's peak resident memory.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, django_setup, median, resampled


def build_sheet(rows: int, path: Path) -> None:
    from kechuang.achievements.importers import achievement_spec
    from kechuang.core.importing import template_workbook

    owners = ["示范市先进材料研究院", "示范大学", "示范智能装备有限公司"]
    from kechuang.accounts.models import Organization

    codes = list(Organization.objects.filter(name__in=owners).values_list("uscc", flat=True))
    records = []
    for index, (name, summary, keywords) in enumerate(resampled(rows)):
        records.append([name, summary or name, "", keywords, codes[index % len(codes)], "发明专利", None, None, None,
                        None, None, "许可、合作开发", None, "是", None, "联系人", "13912345678", "张三:负责人、李四"])
    path.write_bytes(template_workbook(achievement_spec(), records))


def child(mode: str, sheet: str) -> None:
    """Runs in a fresh process: prints seconds and the peak RSS in MB."""
    if mode == "read":
        from python_calamine import CalamineWorkbook

        started = time.perf_counter()
        count = sum(1 for _row in CalamineWorkbook.from_path(sheet).get_sheet_by_index(0).iter_rows()) - 1
    else:
        django_setup()
        from django.core.files.uploadedfile import SimpleUploadedFile

        from kechuang.achievements.importers import import_achievements

        data = Path(sheet).read_bytes()
        started = time.perf_counter()
        result = import_achievements(uploaded=SimpleUploadedFile("bench.xlsx", data), by=None, dry_run=False)
        assert not result.errors, result.errors[:3]
        count = result.created
    seconds = time.perf_counter() - started
    print(count, seconds, peak_rss_mb())


def peak_rss_mb() -> float:
    """VmHWM: the peak resident memory of this process image (ru_maxrss would carry over the
    parent's peak across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(mode: str, sheet: Path) -> tuple[int, float, float]:
    # A 100,000-row sheet is about 21 MB: above the default upload limit of 20 MB, so the
    # benchmark raises it as an operator would for a large city-wide import.
    env = {**os.environ, "KECHUANG_VAR_DIR": tempfile.mkdtemp(prefix="kechuang-bench-"), "DJANGO_DEBUG": "0",
           "KECHUANG_UPLOAD_MAX_BYTES": str(200 * 1024 * 1024),
           "KECHUANG_UPLOAD_MAX_UNPACKED_BYTES": str(2 * 1024 * 1024 * 1024)}
    completed = subprocess.run([sys.executable, __file__, "--child", mode, str(sheet)], env=env, cwd=ROOT,
                               capture_output=True, text=True)
    if completed.returncode:
        raise SystemExit(completed.stderr[-2000:])
    output = completed.stdout.split()
    return int(output[0]), float(output[1]), float(output[2])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--child", nargs=2)
    options = parser.parse_args()
    if options.child:
        child(*options.child)
        return
    django_setup()
    sheet = Path(tempfile.mkdtemp()) / "achievements.xlsx"
    started = time.perf_counter()
    build_sheet(options.rows, sheet)
    print(f"sheet: {options.rows} rows, {sheet.stat().st_size / 1e6:.1f} MB, written in "
          f"{time.perf_counter() - started:.0f} s; database: {os.environ.get('DATABASE_URL', 'SQLite')[:10]}")
    reads, imports = [], []
    for _round in range(options.rounds):
        reads.append(run_child("read", sheet))
        imports.append(run_child("import", sheet))
    read_rate = median([count / seconds for count, seconds, _mb in reads])
    import_rate = median([count / seconds for count, seconds, _mb in imports])
    print()
    print("| measure | median | ratio |")
    print("|---|---|---|")
    print(f"| import_xlsx achievements (rows/s) | {import_rate:,.0f} | {import_rate / read_rate:.2f}x the peer |")
    print(f"| peer: calamine reads the sheet (rows/s) | {read_rate:,.0f} | 1.00x |")
    print(f"| import peak memory (MB RSS) | {median([mb for *_rest, mb in imports]):,.0f} | |")
    print(f"| peer peak memory (MB RSS) | {median([mb for *_rest, mb in reads]):,.0f} | |")


if __name__ == "__main__":
    main()
