"""Demo records: real listings of a provincial online technology market and ChinaXiv
preprints from ../shared/data/ (read where they lie, never copied into the project)."""

import json
import zlib
from datetime import datetime, time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from kechuang.achievements.choices import AchievementForm, AchievementSource, TransferMode
from kechuang.achievements.models import Achievement, FacetKeys, FundedProject
from kechuang.achievements.services import achievements_bulk_create, clean_achievement
from kechuang.core.models import IndustryChain, IndustryClass, ReadinessLevel, TechField

DATA_DIR = Path(settings.BASE_DIR).parent / "shared" / "data"

MATURITY_TO_TRL = {"正在研发": 3, "已有样品": 4, "通过小试": 5, "通过中试": 6, "可以量产": 8}
PATENT_STATUS_TO_FORM = {"发明专利": AchievementForm.INVENTION_PATENT, "实用新型专利": AchievementForm.UTILITY_MODEL,
                         "非专利技术": AchievementForm.PROCESS}
COOPERATION_TO_MODE = {
    "完全转让": TransferMode.ASSIGNMENT, "许可转让": TransferMode.LICENCE, "技术入股": TransferMode.EQUITY,
    "合作生产": TransferMode.JOINT, "合作开发": TransferMode.JOINT, "其他": TransferMode.OTHER,
}
FIELD_PREFIX_TO_CODE = {
    "电子信息": "F1", "生物医药": "F2", "医药": "F2", "医疗": "F2", "航空航天": "F3", "新材料": "F4", "化工": "F4",
    "新能源": "F6", "节能": "F6", "资源环保": "F7", "环保": "F7", "装备制造": "F8", "先进制造": "F8", "交通运输": "F8",
}
CHAIN_HINTS = [("人工智能", "C02"), ("机器人", "C10"), ("无人机", "C09"), ("超硬", "C04"), ("金刚石", "C04"),
               ("电池", "C06"), ("新能源", "C06"), ("光伏", "C06"), ("环保", "C07"), ("节能", "C07"), ("医", "C08"),
               ("生物", "C08"), ("种", "C01"), ("材料", "C03"), ("装备", "C05"), ("机械", "C05")]


def read_jsonl(name: str, limit: int | None = None) -> list[dict]:
    path = DATA_DIR / name
    if not path.exists():
        return []
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            rows.append(json.loads(line))
            if limit and len(rows) >= limit:
                break
    return rows


def _plain(name: str) -> str:
    return (name or "").replace("、", "").replace(" ", "")


class ReferenceLookup:
    def __init__(self):
        self.industries = {_plain(item.name): item for item in IndustryClass.objects.all()}
        self.fields = {item.code: item for item in TechField.objects.filter(parent=None)}
        self.chains = {item.code: item for item in IndustryChain.objects.all()}
        self.levels = {item.level: item for item in ReadinessLevel.objects.all()}

    def industry(self, division: str, section: str):
        return self.industries.get(_plain(division)) or self.industries.get(_plain(section))

    def tech_field(self, label: str):
        prefix = (label or "").split("-")[0]
        for key, code in FIELD_PREFIX_TO_CODE.items():
            if key in prefix:
                return self.fields.get(code)
        return None

    def chain(self, *texts: str):
        text = " ".join(texts)
        for hint, code in CHAIN_HINTS:
            if hint in text:
                return self.chains.get(code)
        return None


def pick(owners: list, key: str):
    return owners[zlib.crc32(key.encode()) % len(owners)]


def summary_of(text: str, limit: int = 200) -> str:
    text = (text or "").strip()
    cut = text.find("。", 40, limit)
    return text[: cut + 1] if cut > 0 else text[:limit]


def techmarket_achievement(row: dict, owner, lookup: ReferenceLookup) -> Achievement:
    cooperation = row.get("cooperation") or ""
    modes = sorted({mode for label, mode in COOPERATION_TO_MODE.items() if label in cooperation})
    level = MATURITY_TO_TRL.get(row.get("maturity"))
    published = row.get("post_date")
    description = row.get("description") or ""
    if row.get("application_scope"):
        description = f"{description}\n\n应用范围：{row['application_scope']}"
    return Achievement(
        name=row["name"][:200], summary=summary_of(row.get("description")), description=description,
        keywords=(row.get("tech_field") or "").replace("-", ",")[:200], owner=owner,
        tech_field=lookup.tech_field(row.get("tech_field")),
        industry=lookup.industry(row.get("industry_division"), row.get("industry_section")),
        chain=lookup.chain(row.get("tech_field") or "", row["name"]), readiness=lookup.levels.get(level),
        form=PATENT_STATUS_TO_FORM.get(row.get("patent_status"), AchievementForm.OTHER), transfer_modes=modes,
        price_negotiable=True, source=AchievementSource.IMPORT, external_id=row["id"],
        published_at=timezone.make_aware(datetime.combine(datetime.fromisoformat(published).date(), time(9)))
        if published else None,
    )


def chinaxiv_achievement(row: dict, owner, lookup: ReferenceLookup) -> Achievement:
    keywords = row.get("keywords") or []
    if isinstance(keywords, str):
        keywords = [keywords]
    keywords = [word for word in keywords if word and not word[:1].isascii()]
    return Achievement(
        name=(row.get("title") or row["id"])[:200], summary=summary_of(row.get("abstract")),
        description=f"{row.get('abstract') or ''}\n\n来源：ChinaXiv {row.get('chinaxiv_id', '')}（CC BY 4.0）",
        keywords=",".join(keywords)[:200], owner=owner, chain=lookup.chain(row.get("title") or ""),
        form=AchievementForm.OTHER, source=AchievementSource.IMPORT, external_id=row["id"],
        readiness=lookup.levels.get(2), price_negotiable=True, transfer_modes=[TransferMode.JOINT],
        published_at=_month_of(row.get("chinaxiv_id", "")),
    )


def _month_of(chinaxiv_id: str):
    """ChinaXiv ids begin with the year and month of submission (201601.00051)."""
    try:
        return timezone.make_aware(datetime(int(chinaxiv_id[:4]), int(chinaxiv_id[4:6]), 1, 9))
    except ValueError:
        return None


def seed(organizations: dict, log=print, *, chinaxiv_limit: int | None = None) -> int:
    existing = set(Achievement.objects.exclude(external_id=None).values_list("external_id", flat=True))
    lookup = ReferenceLookup()
    market_owners = [organizations[key] for key in ("enterprise", "materials", "institute", "university", "testing",
                                                    "hospital", "incubator")]
    universities = [organizations[key] for key in ("university", "university2")]
    records = [(techmarket_achievement(row, pick(market_owners, row["id"]), lookup), [])
               for row in read_jsonl("techmarket_achievements.jsonl") if row["id"] not in existing]
    records += [(chinaxiv_achievement(row, pick(universities, row["id"]), lookup), [])
                for row in read_jsonl("chinaxiv_docs.jsonl", chinaxiv_limit) if row["id"] not in existing]
    keys, valid = FacetKeys(), []
    for achievement, completers in records:
        try:
            clean_achievement(achievement, completers, keys=keys)
        except ValidationError:
            continue
        valid.append((achievement, completers))
    created = achievements_bulk_create(by=None, records=valid, source_label="demo") if valid else 0
    _seed_funded_projects(organizations)
    skipped = len(records) - len(valid)
    log(f"demo achievements: {created} new, {len(existing)} already loaded"
        + (f", {skipped} left out (they break a rule of clean_achievement)" if skipped else "")
        + ("" if DATA_DIR.exists() else f" ({DATA_DIR} not found: no real records loaded)"))
    return created


def _seed_funded_projects(organizations):
    projects = [
        ("SZKJ-2024-001", "高性能锂离子电池正极材料关键技术", "institute", 2024),
        ("SZKJ-2024-002", "工业机器人视觉定位系统", "enterprise", 2024),
        ("SZKJ-2024-003", "超硬材料精密加工刀具", "materials", 2024),
        ("SZKJ-2025-004", "智能农机导航与作业监测", "university", 2025),
        ("SZKJ-2025-005", "医用影像人工智能辅助诊断", "hospital", 2025),
    ]
    for reference, title, key, year in projects:
        FundedProject.objects.get_or_create(reference=reference, defaults={
            "title": title, "organization": organizations[key], "programme": "市重点研发专项", "year": year})
