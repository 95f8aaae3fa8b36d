"""Demo demands: real enterprise technology demands of a provincial online technology market
(../shared/data/techmarket_demands.jsonl, read where it lies)."""

import ast
import zlib
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils import timezone

from kechuang.accounts.choices import OrganizationKind
from kechuang.accounts.models import Organization
from kechuang.core.models import IndustryClass
from kechuang.core.search import tokenize
from kechuang.demands.choices import CooperationMode
from kechuang.demands.models import Demand
from kechuang.demands.services import clean_demand, demands_bulk_publish

COOPERATION = {"技术转让": CooperationMode.ASSIGNMENT, "技术许可": CooperationMode.LICENCE,
               "委托开发": CooperationMode.COMMISSIONED, "合作开发": CooperationMode.JOINT,
               "技术入股": CooperationMode.EQUITY, "技术咨询": CooperationMode.CONSULTING,
               "技术服务": CooperationMode.CONSULTING}


def _modes(value) -> list[str]:
    if isinstance(value, str):
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            value = [value]
    return sorted({COOPERATION[item] for item in value or [] if item in COOPERATION})


def _keywords(text: str) -> str:
    words = [word for word in tokenize(text) if len(word) >= 2]
    return ",".join(list(dict.fromkeys(words))[:5])


def seed(organizations: dict, read_jsonl, log=print) -> int:
    existing = set(Demand.objects.exclude(external_id=None).values_list("external_id", flat=True))
    enterprises = list(Organization.objects.filter(kind=OrganizationKind.ENTERPRISE, status="verified")
                       .select_related("district").order_by("pk"))
    sections = {item.name.replace("、", ""): item for item in IndustryClass.objects.filter(parent=None)}
    today = timezone.localdate()
    demands, skipped = [], 0
    for row in read_jsonl("techmarket_demands.jsonl"):
        if row["id"] in existing:
            continue
        owner = enterprises[zlib.crc32(row["id"].encode()) % len(enterprises)]
        description = row.get("description") or ""
        posted = date.fromisoformat(row["post_date"]) if row.get("post_date") else today
        # The listings are from 2019-2020; the demo keeps their order but moves them to the present.
        shift = today - date(2020, 3, 31)
        valid_to = date.fromisoformat(row["valid_to"]) + shift if row.get("valid_to") else None
        demand = Demand(
            title=row["name"][:200], public_summary=description[:200] or row["name"][:200], description=description,
            keywords=_keywords(row["name"]), owner=owner, district=owner.district,
            industry=sections.get((row.get("industry_section") or "").replace("、", "")),
            cooperation_modes=_modes(row.get("cooperation")),
            deadline=valid_to if valid_to and valid_to >= today else None, external_id=row["id"],
            published_at=timezone.make_aware(datetime.combine(posted + shift, time(9))),
        )
        try:
            clean_demand(demand)
        except ValidationError:
            skipped += 1
            continue
        demands.append(demand)
    created = demands_bulk_publish(by=None, demands=demands, source_label="demo") if demands else 0
    log(f"demo demands: {created} new, {len(existing)} already loaded"
        + (f", {skipped} left out (they break a rule of clean_demand)" if skipped else ""))
    return created
