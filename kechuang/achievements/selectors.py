"""Reads of the achievements library, always through `achievements_visible_to`."""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.achievements.choices import INDEXED, AchievementForm, AchievementStatus, TransferMode
from kechuang.achievements.models import ACHIEVEMENT_INDEX, Achievement, FundedProject
from kechuang.achievements.policies import (
    achievements_visible_to,
    can_view_history,
    funded_projects_visible_to,
    is_reviewer,
)
from kechuang.core.fields import contains_choice
from kechuang.core.models import District, IndustryChain, IndustryClass, ReadinessLevel, TechField
from kechuang.core.search import (
    LibrarySearchResult,
    QueryParams,
    all_matches,
    count_facets,
    filter_reference_facets,
    query_words,
    search_page,
)
from kechuang.core.selectors import gate

PAGE_SIZE = 20
READINESS_LEVELS = tuple(str(level) for level in range(1, 10))
DATE_RANGES = {"30d": (_("Last 30 days"), 30), "1y": (_("Last year"), 365), "3y": (_("Last 3 years"), 3 * 365)}


@dataclass
class SearchParams(QueryParams):
    query: str = ""
    tech_field: str = ""
    industry: str = ""
    chain: str = ""
    district: str = ""
    readiness: str = ""
    form: str = ""
    transfer_mode: str = ""
    price_min: str = ""
    price_max: str = ""
    published: str = ""
    sort: str = ""
    page: str = "1"



def apply_filters(queryset, params: SearchParams):
    queryset = filter_reference_facets(queryset, params)
    if params.district:
        queryset = queryset.filter(facet_district=params.district)
    if params.readiness in READINESS_LEVELS:
        queryset = queryset.filter(facet_trl=int(params.readiness))
    if params.form in AchievementForm.values:
        queryset = queryset.filter(form=params.form)
    if params.transfer_mode in TransferMode.values:
        queryset = queryset.filter(**contains_choice("transfer_modes", params.transfer_mode))
    price = Achievement._meta.get_field("price")
    price_min, price_max = params.number("price_min", price), params.number("price_max", price)
    if price_min is not None:
        queryset = queryset.filter(price__gte=price_min, price_negotiable=False)
    if price_max is not None:
        queryset = queryset.filter(price__lte=price_max, price_negotiable=False)
    if params.published in DATE_RANGES:
        queryset = queryset.filter(published_at__gte=timezone.now() - timedelta(days=DATE_RANGES[params.published][1]))
    return queryset


FACET_COLUMNS = ("facet_field", "facet_section", "chain_id", "facet_district", "facet_trl", "form")


def _facet_labels() -> dict:
    return {
        "tech_field": [(item.code, item.label) for item in TechField.objects.filter(parent=None)],
        "industry": [(item.code, item.label) for item in IndustryClass.objects.filter(parent=None)],
        "chain": [(item.pk, item.code, item.label) for item in IndustryChain.objects.filter(is_active=True)],
        "district": [(item.code, item.label) for item in District.objects.filter(is_active=True)],
        "readiness": [(item.level, str(item)) for item in ReadinessLevel.objects.all()],
    }


def _facets(counts: dict[str, Counter]) -> dict:
    labels = _facet_labels()
    return {
        "tech_field": [(code, name, counts["facet_field"][code]) for code, name in labels["tech_field"]],
        "industry": [(code, name, counts["facet_section"][code]) for code, name in labels["industry"]],
        "chain": [(code, name, counts["chain_id"][pk]) for pk, code, name in labels["chain"]],
        "district": [(code, name, counts["facet_district"][code]) for code, name in labels["district"]],
        "readiness": [(str(level), name, counts["facet_trl"][level]) for level, name in labels["readiness"]],
        "form": [(value, label, counts["form"][value]) for value, label in AchievementForm.choices],
    }


def achievement_search(user, params: SearchParams, *, with_facets: bool = True,
                       page_size: int = PAGE_SIZE) -> LibrarySearchResult:
    """Published records matching the query and the facets (see core.search.search_page)."""
    base = achievements_visible_to(user).filter(status=AchievementStatus.PUBLISHED)
    filtered = apply_filters(base, params)
    found = search_page(filtered, ACHIEVEMENT_INDEX, params.query, sort=params.sort, page_number=params.page,
                        page_size=page_size, related=("owner", "tech_field", "readiness"),
                        extra_columns=FACET_COLUMNS if with_facets else ())
    facets = _facets(count_facets(filtered, found.matched, FACET_COLUMNS)) if with_facets else {}
    return LibrarySearchResult(page=found.page, words=found.words, facets=facets, truncated=found.truncated,
                               ignored=list(params.ignored.values()))


def achievement_matches(user, params: SearchParams):
    """Every published record the search would list (for exports), in the search's order."""
    base = apply_filters(achievements_visible_to(user).filter(status=AchievementStatus.PUBLISHED), params)
    return all_matches(base, ACHIEVEMENT_INDEX, params.query)


def achievement_for(user, pk, *, may=None) -> Achievement:
    return gate(user, achievements_visible_to(user).select_related(
        "owner", "owner__district", "tech_field", "tech_field__parent", "industry", "chain", "readiness",
        "funded_project").prefetch_related("completers"), may=may, pk=pk)


def similar_achievements(user, achievement: Achievement, limit: int = 5) -> list[Achievement]:
    words = query_words(" ".join([achievement.name, achievement.keywords]))
    ranked = [pk for pk, _score in ACHIEVEMENT_INDEX.ranked_ids(words, limit * 4) if pk != achievement.pk]
    visible = achievements_visible_to(user).filter(status=AchievementStatus.PUBLISHED).in_bulk(ranked)
    return [visible[pk] for pk in ranked if pk in visible][:limit]


def my_achievements(user, *, status: str = ""):
    if not user.is_authenticated or user.organization is None:
        return Achievement.objects.none()
    records = Achievement.objects.filter(owner=user.organization).order_by("-updated_at", "-id")
    return records.filter(status=status) if status else records


def review_queue(user):
    if not is_reviewer(user):
        return Achievement.objects.none()
    queue = achievements_visible_to(user).filter(status=AchievementStatus.SUBMITTED).select_related("owner")
    if user.organization is not None:
        queue = queue.exclude(owner=user.organization)
    return queue.order_by("updated_at", "id")


def registration_report(user):
    """Funded projects with no registered achievement (a submitted or published record counts),
    and the counts per organisation."""
    registered = Q(achievements__status__in=[AchievementStatus.SUBMITTED, AchievementStatus.PUBLISHED])
    projects = funded_projects_visible_to(user).annotate(registered=Count("achievements", filter=registered))
    missing = projects.filter(registered=0).select_related("organization").order_by("organization__name", "reference")
    per_org = (funded_projects_visible_to(user).values("organization__id", "organization__name")
               .annotate(total=Count("pk", distinct=True),
                         missing=Count("pk", filter=~Q(pk__in=FundedProject.objects.filter(registered).values("pk")),
                                       distinct=True))
               .order_by("-missing", "organization__name"))
    return missing, per_org


def version_history(user, achievement):
    if not can_view_history(user, achievement):
        return achievement.versions.none()
    return achievement.versions.select_related("created_by")


def published_achievements_by_id(user, pks) -> dict[int, Achievement]:
    """The published records among `pks` that the user may see (for lists assembled elsewhere,
    such as matches)."""
    return (achievements_visible_to(user).filter(status__in=INDEXED)
            .select_related("owner", "tech_field", "readiness").in_bulk(pks))
