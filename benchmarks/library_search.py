"""Search latency of the achievements library at scale, against a naive substring scan.

Usage: .venv/bin/python benchmarks/library_search.py [--records 100000] [--repeat 5]
       scripts/with-postgres.sh .venv/bin/python benchmarks/library_search.py   (PostgreSQL)

Loads --records published achievements resampled from the real records into a fresh database,
then times 20 typical Chinese searches through `achievement_search` (the portal's selector:
full-text ranking, facet counts and the first page), each --repeat times, as an anonymous
visitor. The peer answers the same queries with `name__contains OR summary__contains` on every
word (what a plain ORM search would do), counting matches and fetching the first page.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_DEBUG", "0")
from _setup import django_setup, median, percentile, resampled

QUERIES = [
    "锂电池", "正极材料", "污水处理", "无人机 巡检", "深度学习 图像识别", "石墨烯", "新能源汽车 电机", "中药 提取工艺",
    "土壤修复", "智能制造 机器人", "5G 通信 天线", "光伏 组件", "抗体 药物", "精密加工", "纳米材料 制备",
    "农作物 种植 技术", "物联网 传感器", "催化剂", "复合材料 轻量化", "储能 电池管理",
]


def load(records: int, organizations: dict) -> None:
    from kechuang.achievements.models import Achievement
    from kechuang.achievements.services import achievements_bulk_create

    owners = [organizations[key] for key in ("institute", "university", "enterprise", "materials", "testing")]
    rows = resampled(records)
    for start in range(0, records, 20_000):
        batch = [(Achievement(name=name, summary=summary or name, keywords=keywords[:200],
                              owner=owners[index % len(owners)], price_negotiable=True), [])
                 for index, (name, summary, keywords) in enumerate(rows[start:start + 20_000], start=start)]
        achievements_bulk_create(by=None, records=batch, source_label="benchmark")
    from django.db import connection

    with connection.cursor() as cursor:  # what autovacuum (PostgreSQL) or an optimize would do after a load
        cursor.execute("ANALYZE")


def naive(query: str):
    from django.db.models import Q

    from kechuang.achievements.models import Achievement

    condition = Q()
    for word in query.split():
        condition |= Q(name__contains=word) | Q(summary__contains=word)
    matches = Achievement.objects.filter(condition, status="published")
    return matches.count(), list(matches.order_by("-published_at", "-id")[:20])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    demo = django_setup()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from kechuang.achievements.selectors import SearchParams, achievement_search

    started = time.perf_counter()
    load(options.records, demo["organizations"])
    print(f"database: {connection.vendor}; {options.records} published achievements loaded in "
          f"{time.perf_counter() - started:.0f} s; {len(QUERIES)} queries x {options.repeat}")
    visitor = AnonymousUser()
    ours, peer, hits = [], [], []
    for _round in range(options.repeat):
        for query in QUERIES:
            started = time.perf_counter()
            result = achievement_search(visitor, SearchParams(query=query))
            ours.append(time.perf_counter() - started)
            hits.append(result.page.paginator.count)
            started = time.perf_counter()
            naive(query)
            peer.append(time.perf_counter() - started)
    ms = 1000
    print()
    print("| measure | p50 (ms) | p95 (ms) | ratio of p95 |")
    print("|---|---|---|---|")
    print(f"| achievement_search: ranked full text + facets + page 1 | {median(ours) * ms:.1f} | "
          f"{percentile(ours, 0.95) * ms:.1f} | {percentile(ours, 0.95) / percentile(peer, 0.95):.2f}x the peer |")
    print(f"| peer: substring scan, count + page 1 | {median(peer) * ms:.1f} | {percentile(peer, 0.95) * ms:.1f} "
          f"| 1.00x |")
    print(f"\nmedian matches per query: {median(hits)}")


if __name__ == "__main__":
    main()
