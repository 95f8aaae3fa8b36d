"""The matching index of the platform: which records it holds, in what form, and where.

Records enter as engine `Record`s keyed `<kind>:<pk>` (achievement:12, demand:7, expert:3,
broker:4). Only what anybody may read goes in: published records, and for a confidential demand
only its public parts. Two backends hold them (settings.KECHUANG_MATCHING["BACKEND"]):

- "local" (default): `engine.store.IndexStore` in a folder on disk; each process keeps the index in
  memory and replays the change log other processes append;
- "postgres": the `matching_entry` table with a tsvector and a pgvector column (HNSW), shared by
  every node of a multi-machine deployment (pgindex.py).
"""

import os
import re
import threading
from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kechuang.achievements.choices import INDEXED as ACHIEVEMENT_INDEXED
from kechuang.achievements.models import Achievement
from kechuang.core.models import District, IndustryChain, IndustryClass, TechField
from kechuang.demands.choices import INDEXED as DEMAND_INDEXED
from kechuang.demands.models import Demand
from kechuang.experts.models import SpecialistProfile
from kechuang.matching.engine import (
    BUNDLED_ENCODERS,
    Matcher,
    Record,
    SentenceTransformerEncoder,
    Tokenizer,
    weights_for,
)
from kechuang.matching.engine.store import IndexStore

TABLE_KINDS = {
    Achievement._meta.db_table: "achievement",
    Demand._meta.db_table: "demand",
    SpecialistProfile._meta.db_table: "specialist",
}


def option(name: str, default=None):
    return settings.KECHUANG_MATCHING.get(name, default)


@cache
def encoder():
    folder = option("ENCODER_FOLDER")
    if folder:
        return SentenceTransformerEncoder(folder)
    name = option("ENCODER") or "use"
    if name not in BUNDLED_ENCODERS:
        raise ImproperlyConfigured(f"KECHUANG_MATCHING_ENCODER={name}: the bundled encoders are "
                                   f"{', '.join(BUNDLED_ENCODERS)}")
    try:
        return BUNDLED_ENCODERS[name](threads=os.cpu_count())
    except ModuleNotFoundError as error:
        raise ImproperlyConfigured(f"KECHUANG_MATCHING_ENCODER={name} needs the package {error.name}: "
                                   f"pip install -e '.[{name}]' (docs/deploy.md)") from error


def record_key(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def parse_key(key: str) -> tuple[str, int]:
    kind, _, pk = key.partition(":")
    return kind, int(pk)


def _section(industry: IndustryClass | None) -> str | None:
    if industry is None:
        return None
    return industry.parent.code if industry.parent_id else industry.code


def field_code(tech_field: TechField | None) -> str | None:
    if tech_field is None:
        return None
    return tech_field.parent.code if tech_field.parent_id else tech_field.code


def _day(moment) -> date | None:
    return moment.date() if moment else None


def achievement_record(achievement: Achievement) -> Record:
    return Record(
        id=record_key("achievement", achievement.pk), kind="achievement", title=achievement.name,
        text=f"{achievement.summary}\n{achievement.description[:2000]}", keywords=achievement.keyword_list,
        field=field_code(achievement.tech_field), industry=_section(achievement.industry),
        chain=achievement.chain.code if achievement.chain_id else None,
        district=achievement.owner.district.code if achievement.owner.district_id else None,
        readiness=achievement.readiness.level if achievement.readiness_id else None,
        price=float(achievement.price) if achievement.price is not None else None,
        published=_day(achievement.published_at))


def demand_text(demand: Demand) -> str:
    # A confidential demand is matched on what it shows the public; its details stay out.
    details = "" if demand.confidential else demand.description[:2000]
    return f"{demand.public_summary}\n{details}"


def demand_record(demand: Demand) -> Record:
    return Record(
        id=record_key("demand", demand.pk), kind="demand", title=demand.title, text=demand_text(demand),
        keywords=demand.keyword_list, field=field_code(demand.tech_field), industry=_section(demand.industry),
        chain=demand.chain.code if demand.chain_id else None,
        district=demand.district.code if demand.district_id else None,
        readiness=demand.readiness_needed.level if demand.readiness_needed_id else None,
        price=float(demand.budget_max) if demand.budget_max is not None else None,
        published=_day(demand.published_at))


def specialist_record(profile: SpecialistProfile, past_cases: list[str] = ()) -> Record:
    """An expert or broker, described by their profile and the titles of their past cases."""
    history = "\n".join(past_cases)
    return Record(
        id=record_key(profile.kind, profile.pk), kind=profile.kind, title=profile.display_name,
        text=f"{profile.title} {profile.employer}\n{profile.expertise}\n{history}", keywords=profile.keyword_list,
        field=field_code(profile.tech_field), industry=_section(profile.industry),
        district=profile.district.code if profile.district_id else None, published=_day(profile.updated_at))


def indexable_achievements():
    return Achievement.objects.filter(status__in=ACHIEVEMENT_INDEXED).select_related(
        "tech_field__parent", "industry__parent", "chain", "readiness", "owner__district")


def indexable_demands():
    return Demand.objects.filter(status__in=DEMAND_INDEXED).select_related(
        "tech_field__parent", "industry__parent", "chain", "district", "readiness_needed")


def indexable_specialists():
    return SpecialistProfile.objects.filter(available=True).select_related(
        "tech_field__parent", "industry__parent", "district")


REFERENCE_SEPARATORS = re.compile(r"[、，,（）()／/及与和]+")


def reference_words() -> list[str]:
    """Names from the reference data (high-tech fields, industries, chains, districts), split into
    phrases, for the tokeniser's dictionary: 水污染控制与水资源利用技术 gives 水污染控制 and
    水资源利用技术."""
    names = [name for model in (TechField, IndustryClass, IndustryChain, District)
             for name in model.objects.values_list("name", flat=True)]
    return sorted({part for name in names for part in REFERENCE_SEPARATORS.split(name) if len(part) >= 2})


def make_matcher() -> Matcher:
    chosen = encoder()
    return Matcher(chosen, Tokenizer(reference_words()), weights_for(chosen.name), today=date.today())


class LocalIndex:
    """The embedded backend: `engine.store.IndexStore` in a folder on disk."""

    def __init__(self, folder: str):
        self.store = IndexStore(folder, make_matcher)

    def matcher(self) -> Matcher:
        matcher = self.store.current()
        matcher.today = date.today()
        return matcher

    def match(self, need, k: int = 10) -> list:
        return self.matcher().match(need, k)

    def upsert(self, records: list[Record]) -> None:
        self.store.upsert(records)

    def remove(self, keys: list[str]) -> None:
        self.store.remove(keys)

    def rebuild(self, records: list[Record], progress=None) -> None:
        self.store.rebuild(records, progress=progress)

    def known(self, keys: list[str]) -> set[str]:
        records = self.matcher().records
        return {key for key in keys if key in records}

    def record(self, key: str) -> Record | None:
        return self.matcher().records.get(key)

    def kind_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for record in self.matcher().records.values():
            counts[record.kind] = counts.get(record.kind, 0) + 1
        return dict(sorted(counts.items()))


_backends: dict[str, object] = {}
_lock = threading.Lock()


def backend():
    """The configured backend, one per process (and per folder, so tests can use their own)."""
    kind = option("BACKEND", "local")
    key = kind if kind == "postgres" else f"local:{Path(option('DIR'))}"
    with _lock:
        if key not in _backends:
            if kind == "postgres":
                from kechuang.matching.pgindex import PostgresIndex

                _backends[key] = PostgresIndex(make_matcher)
            elif kind == "local":
                _backends[key] = LocalIndex(str(Path(option("DIR"))))
            else:
                raise ValueError(f"unknown KECHUANG_MATCHING_BACKEND {kind!r}: use local or postgres")
        return _backends[key]


def strong_threshold() -> float:
    return weights_for(encoder().name).strong_threshold
