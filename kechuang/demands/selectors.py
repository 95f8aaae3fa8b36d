"""Reads of the demand library, always through `demands_visible_to`."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from kechuang.core.models import District, IndustryChain, IndustryClass, TechField
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
from kechuang.demands.choices import INDEXED, PUBLIC_STATUSES, CooperationMode, DemandStatus
from kechuang.demands.models import DEMAND_INDEX, Demand
from kechuang.demands.policies import demands_visible_to, is_library_reviewer

PAGE_SIZE = 20
DATE_RANGES = {"30d": 30, "1y": 365, "3y": 3 * 365}
FACET_COLUMNS = ("facet_field", "facet_section", "chain_id", "district_id")


@dataclass
class DemandSearchParams(QueryParams):
    query: str = ""
    tech_field: str = ""
    industry: str = ""
    chain: str = ""
    district: str = ""
    cooperation: str = ""
    budget_min: str = ""
    budget_max: str = ""
    published: str = ""
    status: str = ""
    sort: str = ""
    page: str = "1"



def apply_filters(queryset, params: DemandSearchParams):
    queryset = filter_reference_facets(queryset, params)
    if params.district:
        queryset = queryset.filter(district__code=params.district)
    if params.cooperation in CooperationMode.values:
        queryset = queryset.filter(cooperation_modes__contains=f",{params.cooperation},")
    budget = Demand._meta.get_field("budget_max")
    budget_min, budget_max = params.number("budget_min", budget), params.number("budget_max", budget)
    if budget_min is not None:  # demands that may pay at least this much
        queryset = queryset.filter(Q(budget_max__gte=budget_min)
                                   | Q(budget_max__isnull=True, budget_min__gte=budget_min))
    if budget_max is not None:
        queryset = queryset.filter(budget_min__lte=budget_max)
    if params.published in DATE_RANGES:
        queryset = queryset.filter(published_at__gte=timezone.now() - timedelta(days=DATE_RANGES[params.published]))
    if params.status in PUBLIC_STATUSES:
        queryset = queryset.filter(status=params.status)
    return queryset


def _facets(queryset, matched) -> dict:
    counts = count_facets(queryset, matched, FACET_COLUMNS)
    return {
        "tech_field": [(i.code, i.label, counts["facet_field"][i.code]) for i in TechField.objects.filter(parent=None)],
        "industry": [(i.code, i.label, counts["facet_section"][i.code])
                     for i in IndustryClass.objects.filter(parent=None)],
        "chain": [(i.code, i.label, counts["chain_id"][i.pk]) for i in IndustryChain.objects.filter(is_active=True)],
        "district": [(i.code, i.label, counts["district_id"][i.pk]) for i in District.objects.filter(is_active=True)],
    }


def demand_search(user, params: DemandSearchParams, *, with_facets: bool = True,
                  page_size: int = PAGE_SIZE) -> LibrarySearchResult:
    base = demands_visible_to(user).filter(status__in=PUBLIC_STATUSES)
    filtered = apply_filters(base, params)
    found = search_page(filtered, DEMAND_INDEX, params.query, sort=params.sort, page_number=params.page,
                        page_size=page_size, related=("owner", "district"),
                        extra_columns=FACET_COLUMNS if with_facets else ())
    facets = _facets(filtered, found.matched) if with_facets else {}
    return LibrarySearchResult(page=found.page, words=found.words, facets=facets, truncated=found.truncated,
                               ignored=list(params.ignored.values()))


def demand_matches(user, params: DemandSearchParams):
    """Every demand the search would list (for exports)."""
    base = apply_filters(demands_visible_to(user).filter(status__in=PUBLIC_STATUSES), params)
    return all_matches(base, DEMAND_INDEX, params.query)


def demand_for(user, pk, *, may=None) -> Demand:
    return gate(user, demands_visible_to(user).select_related(
        "owner", "district", "industry", "tech_field", "tech_field__parent", "chain"), may=may, pk=pk)


def similar_demands(user, demand: Demand, limit: int = 5) -> list[Demand]:
    ranked = [pk for pk, _ in DEMAND_INDEX.ranked_ids(query_words(f"{demand.title} {demand.keywords}"), limit * 4)
              if pk != demand.pk]
    visible = demands_visible_to(user).filter(status__in=PUBLIC_STATUSES).in_bulk(ranked)
    return [visible[pk] for pk in ranked if pk in visible][:limit]


def my_demands(user, *, status: str = ""):
    if not user.is_authenticated or user.organization is None:
        return Demand.objects.none()
    demands = Demand.objects.filter(owner=user.organization).order_by("-updated_at", "-id")
    return demands.filter(status=status) if status else demands


def review_queue(user):
    if not is_library_reviewer(user):
        return Demand.objects.none()
    queue = demands_visible_to(user).filter(status=DemandStatus.SUBMITTED).select_related("owner")
    if user.organization is not None:
        queue = queue.exclude(owner=user.organization)
    return queue.order_by("updated_at", "id")


def challenge_candidates(user):
    if not (user.is_authenticated and user.is_bureau_staff):
        return Demand.objects.none()
    return demands_visible_to(user).filter(challenge_candidate=True).select_related("owner", "challenge_marked_by")


def listed_demands_by_id(user, pks) -> dict[int, Demand]:
    """The demands among `pks` in the library that the user may see (for lists assembled
    elsewhere, such as matches)."""
    return demands_visible_to(user).filter(status__in=INDEXED).select_related("owner").in_bulk(pks)
