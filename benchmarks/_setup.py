"""Shared by the benchmark scripts: a throwaway database and records resampled from the real
S&T texts in ../shared/data (synthetic Chinese text when the folder is absent)."""

import os
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def django_setup():
    os.environ.setdefault("KECHUANG_VAR_DIR", tempfile.mkdtemp(prefix="kechuang-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kechuang.accounts import demo

    return demo.seed(log=lambda *_: None)


def source_texts() -> list[tuple[str, str, str]]:
    """(name, summary, keywords) of the real records, or synthetic ones."""
    from kechuang.achievements.demo import read_jsonl, summary_of

    texts = [(row["name"], summary_of(row.get("description")), (row.get("tech_field") or "").replace("-", ","))
             for row in read_jsonl("techmarket_achievements.jsonl")]
    texts += [(row.get("title") or row["id"], summary_of(row.get("abstract")), "")
              for row in read_jsonl("chinaxiv_docs.jsonl")]
    if not texts:
        words = ["锂电池", "正极", "材料", "污水", "处理", "无人机", "巡检", "图像",
                 "识别", "石墨烯", "机器人", "光伏", "储能", "传感器", "催化剂", "复合材料"]
        rng = random.Random(1)
        texts = [("".join(rng.sample(words, 3)), "".join(rng.sample(words, 8)), ",".join(rng.sample(words, 2)))
                 for _ in range(2000)]
    return texts


def resampled(count: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """`count` records drawn with replacement; a numbered suffix keeps the names distinct."""
    rng = random.Random(seed)
    texts = source_texts()
    return [(f"{name[:180]}（{index}）", summary, keywords)
            for index, (name, summary, keywords) in enumerate(rng.choices(texts, k=count))]


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]
