from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from kechuang.accounts.authentication import OPTIONAL
from kechuang.core.models import District, IndustryChain, IndustryClass, TechField
from kechuang.core.reference import reference_by_code
from kechuang.core.schemas import ImportOut, ReasonIn, field_type, import_out
from kechuang.demands import policies, selectors, services
from kechuang.demands.choices import CooperationMode
from kechuang.demands.importers import import_demands
from kechuang.demands.models import Demand

router = Router(tags=["demands"])


class DemandOut(Schema):
    id: int
    title: str
    public_summary: str
    description: str | None
    keywords: str
    enterprise: str
    status: str
    industry: str | None
    tech_field: str | None
    chain: str | None
    district: str | None
    budget_min: Decimal | None
    budget_max: Decimal | None
    deadline: date | None
    cooperation_modes: list[str]
    confidential: bool
    challenge_candidate: bool
    contact_name: str
    contact_phone: str
    published_at: datetime | None


class DemandIn(Schema):
    title: str
    public_summary: str
    description: str = ""
    keywords: str = ""
    industry: str | None = None
    tech_field: str | None = None
    chain: str | None = None
    district: str | None = None
    budget_min: field_type(Demand, "budget_min") | None = None
    budget_max: field_type(Demand, "budget_max") | None = None
    deadline: field_type(Demand, "deadline") | None = None
    cooperation_modes: list[CooperationMode] = []
    confidential: bool = False
    contact_name: str = ""
    contact_phone: str = ""


class DemandSearchOut(Schema):
    count: int
    page: int
    pages: int
    items: list[DemandOut]
    facets: dict


def demand_out(user, demand) -> dict:
    return {
        "id": demand.pk, "title": demand.title, "public_summary": demand.public_summary,
        "description": demand.description if policies.can_view_full_demand(user, demand) else None,
        "keywords": demand.keywords, "enterprise": demand.owner.name, "status": demand.status,
        "industry": demand.industry.code if demand.industry else None,
        "tech_field": demand.tech_field.code if demand.tech_field else None,
        "chain": demand.chain.code if demand.chain else None,
        "district": demand.district.code if demand.district else None,
        "budget_min": demand.budget_min, "budget_max": demand.budget_max, "deadline": demand.deadline,
        "cooperation_modes": demand.cooperation_modes, "confidential": demand.confidential,
        "challenge_candidate": demand.challenge_candidate, "contact_name": demand.contact_name,
        "contact_phone": demand.contact_phone if policies.can_view_contact(user, demand)
        else demand.contact_phone_masked,
        "published_at": demand.published_at,
    }


def service_data(payload: DemandIn) -> dict:
    data = payload.dict()
    for key, model in (("industry", IndustryClass), ("tech_field", TechField), ("chain", IndustryChain),
                       ("district", District)):
        data[key] = reference_by_code(model, data[key], key)
    data["cooperation_modes"] = [str(mode) for mode in payload.cooperation_modes]
    return data


@router.get("/demands", response=DemandSearchOut, auth=OPTIONAL, url_name="demand_search")
def demand_search(request, query: str = "", tech_field: str = "", industry: str = "", chain: str = "",
                  district: str = "", cooperation: str = "", budget_min: str = "", budget_max: str = "",
                  published: str = "", status: str = "", sort: str = "", page: int = 1):
    """Published demands with the same query, facets and sorting as the portal. Public."""
    params = selectors.DemandSearchParams(query=query, tech_field=tech_field, industry=industry, chain=chain,
                                          district=district, cooperation=cooperation, budget_min=budget_min,
                                          budget_max=budget_max, published=published, status=status, sort=sort,
                                          page=str(page))
    result = selectors.demand_search(request.user, params)
    if params.ignored:  # a page leaves such a filter out with a warning; an API client is told
        raise ValidationError(params.ignored)
    return {"count": result.page.paginator.count, "page": result.page.number,
            "pages": result.page.paginator.num_pages, "facets": result.facets,
            "items": [demand_out(request.user, demand) for demand in result.page]}


@router.get("/demands/{int:pk}", response=DemandOut, auth=OPTIONAL, url_name="demand_detail")
def demand_detail(request, pk: int):
    return demand_out(request.user, selectors.demand_for(request.user, pk))


@router.post("/demands", response={201: DemandOut}, url_name="demand_create")
def demand_create(request, payload: DemandIn):
    demand = services.demand_create(by=request.user, data=service_data(payload))
    return 201, demand_out(request.user, selectors.demand_for(request.user, demand.pk))


@router.put("/demands/{int:pk}", response=DemandOut, url_name="demand_update")
def demand_update(request, pk: int, payload: DemandIn):
    services.demand_update(demand=selectors.demand_for(request.user, pk), by=request.user,
                           data=service_data(payload))
    return demand_out(request.user, selectors.demand_for(request.user, pk))


REASONED = {"return": services.demand_return, "challenge-candidate": services.demand_mark_challenge_candidate}
ACTIONS = {"submit": services.demand_submit, "publish": services.demand_publish,
           "start-matchmaking": services.demand_start_matchmaking, "solve": services.demand_solve,
           "withdraw": services.demand_withdraw}


@router.post("/demands/{int:pk}/reasoned/{action}", response=DemandOut, url_name="demand_reasoned_action")
def demand_reasoned_action(request, pk: int, action: str, payload: ReasonIn):
    """Actions that need a reason: return, challenge-candidate."""
    if action not in REASONED:
        raise Http404
    demand = REASONED[action](demand=selectors.demand_for(request.user, pk), by=request.user, reason=payload.reason)
    return demand_out(request.user, demand)


@router.post("/demands/{int:pk}/actions/{action}", response=DemandOut, url_name="demand_transition")
def demand_transition(request, pk: int, action: str):
    """Lifecycle actions: submit, publish, start-matchmaking, solve, withdraw."""
    if action not in ACTIONS:
        raise Http404
    return demand_out(request.user, ACTIONS[action](demand=selectors.demand_for(request.user, pk), by=request.user))


@router.post("/demands/import", response=ImportOut, url_name="demand_import")
def demand_import(request, file: File[UploadedFile], dry_run: Form[bool] = True):
    if not policies.can_import_demands(request.user):
        raise PermissionDenied
    result = import_demands(uploaded=file, by=request.user, dry_run=dry_run)
    return import_out(result)
