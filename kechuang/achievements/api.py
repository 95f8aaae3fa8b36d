from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from kechuang.accounts.authentication import OPTIONAL
from kechuang.achievements import policies, selectors, services
from kechuang.achievements.choices import AchievementForm, TransferMode
from kechuang.achievements.importers import import_achievements
from kechuang.achievements.models import Achievement
from kechuang.core.models import IndustryChain, IndustryClass, ReadinessLevel, TechField
from kechuang.core.reference import reference_by_code
from kechuang.core.schemas import ImportOut, ReasonIn, field_type, import_out

router = Router(tags=["achievements"])


class AchievementOut(Schema):
    id: int
    name: str
    summary: str
    description: str
    keywords: str
    owner: str
    status: str
    version: int
    form: str
    tech_field: str | None
    industry: str | None
    chain: str | None
    readiness: int | None
    patent_numbers: list[str]
    transfer_modes: list[str]
    price: Decimal | None
    price_negotiable: bool
    contact_name: str
    contact_phone: str
    published_at: datetime | None


class AchievementIn(Schema):
    name: str
    summary: str
    description: str = ""
    keywords: str = ""
    form: AchievementForm = AchievementForm.OTHER
    tech_field: str | None = None
    industry: str | None = None
    chain: str | None = None
    readiness: int | None = None
    patent_numbers: list[str] = []
    transfer_modes: list[TransferMode] = []
    price: field_type(Achievement, "price") | None = None
    price_negotiable: bool | None = None    # left out: negotiable exactly when no price is given
    contact_name: str = ""
    contact_phone: str = ""
    completers: list[tuple[str, str]] = []


class AchievementSearchOut(Schema):
    count: int
    page: int
    pages: int
    items: list[AchievementOut]
    facets: dict


def achievement_out(user, achievement) -> dict:
    return {
        "id": achievement.pk, "name": achievement.name, "summary": achievement.summary,
        "description": achievement.description, "keywords": achievement.keywords, "owner": achievement.owner.name,
        "status": achievement.status, "version": achievement.version, "form": achievement.form,
        "tech_field": achievement.tech_field.code if achievement.tech_field else None,
        "industry": achievement.industry.code if achievement.industry else None,
        "chain": achievement.chain.code if achievement.chain else None,
        "readiness": achievement.readiness.level if achievement.readiness else None,
        "patent_numbers": achievement.patent_number_list, "transfer_modes": achievement.transfer_modes,
        "price": achievement.price, "price_negotiable": achievement.price_negotiable,
        "contact_name": achievement.contact_name,
        "contact_phone": achievement.contact_phone if policies.can_view_contact(user, achievement)
        else achievement.contact_phone_masked,
        "published_at": achievement.published_at,
    }


def service_data(payload: AchievementIn) -> dict:
    data = payload.dict(exclude={"completers", "patent_numbers"})
    if payload.price_negotiable is None:
        data["price_negotiable"] = payload.price is None
    data["tech_field"] = reference_by_code(TechField, payload.tech_field, "tech_field")
    data["industry"] = reference_by_code(IndustryClass, payload.industry, "industry")
    data["chain"] = reference_by_code(IndustryChain, payload.chain, "chain")
    data["readiness"] = (ReadinessLevel.objects.filter(level=payload.readiness).first()
                         if payload.readiness is not None else None)
    data["patent_numbers"] = "\n".join(payload.patent_numbers)
    data["transfer_modes"] = [str(mode) for mode in payload.transfer_modes]
    return data


@router.get("/achievements", response=AchievementSearchOut, auth=OPTIONAL, url_name="achievement_search")
def achievement_search(request, query: str = "", tech_field: str = "", industry: str = "", chain: str = "",
                       district: str = "", readiness: str = "", form: str = "", transfer_mode: str = "",
                       price_min: str = "", price_max: str = "", published: str = "", sort: str = "", page: int = 1):
    """Published achievements, with the same query, facets and sorting as the portal. Public."""
    params = selectors.SearchParams(query=query, tech_field=tech_field, industry=industry, chain=chain,
                                    district=district, readiness=readiness, form=form, transfer_mode=transfer_mode,
                                    price_min=price_min, price_max=price_max, published=published, sort=sort,
                                    page=str(page))
    result = selectors.achievement_search(request.user, params)
    if params.ignored:  # a page leaves such a filter out with a warning; an API client is told
        raise ValidationError(params.ignored)
    return {"count": result.page.paginator.count, "page": result.page.number,
            "pages": result.page.paginator.num_pages, "facets": result.facets,
            "items": [achievement_out(request.user, item) for item in result.page]}


@router.get("/achievements/{int:pk}", response=AchievementOut, auth=OPTIONAL, url_name="achievement_detail")
def achievement_detail(request, pk: int):
    return achievement_out(request.user, selectors.achievement_for(request.user, pk))


@router.post("/achievements", response={201: AchievementOut}, url_name="achievement_create")
def achievement_create(request, payload: AchievementIn):
    achievement = services.achievement_create(by=request.user, data=service_data(payload),
                                              completers=payload.completers)
    return 201, achievement_out(request.user, selectors.achievement_for(request.user, achievement.pk))


@router.put("/achievements/{int:pk}", response=AchievementOut, url_name="achievement_update")
def achievement_update(request, pk: int, payload: AchievementIn):
    achievement = selectors.achievement_for(request.user, pk)
    services.achievement_update(achievement=achievement, by=request.user, data=service_data(payload),
                                completers=payload.completers)
    return achievement_out(request.user, selectors.achievement_for(request.user, pk))


ACTIONS = {"submit": services.achievement_submit, "publish": services.achievement_publish,
           "withdraw": services.achievement_withdraw, "reopen": services.achievement_reopen}


@router.post("/achievements/{int:pk}/return", response=AchievementOut, url_name="achievement_return")
def achievement_return(request, pk: int, payload: ReasonIn):
    achievement = selectors.achievement_for(request.user, pk)
    # The result of the caller's own action, even if the new status takes it out of their view.
    return achievement_out(request.user, services.achievement_return(achievement=achievement, by=request.user,
                                                                      reason=payload.reason))


@router.post("/achievements/{int:pk}/actions/{action}", response=AchievementOut, url_name="achievement_transition")
def achievement_transition(request, pk: int, action: str):
    """Lifecycle actions without a body: submit, publish, withdraw, reopen."""
    achievement = selectors.achievement_for(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    return achievement_out(request.user, ACTIONS[action](achievement=achievement, by=request.user))


@router.post("/achievements/import", response=ImportOut, url_name="achievement_import")
def achievement_import(request, file: File[UploadedFile], dry_run: Form[bool] = True):
    """An xlsx in the template's layout; every row is checked, then all rows or none are written."""
    if not policies.can_import_achievements(request.user):
        raise PermissionDenied
    result = import_achievements(uploaded=file, by=request.user, dry_run=dry_run)
    return import_out(result)
