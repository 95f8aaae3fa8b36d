"""Matching over the API: the same selectors, policies and services as the pages."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from kechuang.accounts.authentication import OPTIONAL
from kechuang.accounts.models import User
from kechuang.achievements.selectors import achievement_get
from kechuang.core.schemas import ReasonIn
from kechuang.demands.selectors import demand_get
from kechuang.matching import policies, selectors, services

router = Router(tags=["matching"])


class ExplanationOut(Schema):
    shared_terms: list[str]
    matched_signals: list[str]
    similarity: float
    text: str


class MatchOut(Schema):
    key: str
    kind: str
    id: int
    title: str
    organization: str | None
    score: float
    strength: float
    strong: bool
    explanation: ExplanationOut


class MatchesOut(Schema):
    has_strong: bool
    items: list[MatchOut]


class SolutionsOut(Schema):
    achievements: MatchesOut
    specialists: MatchesOut


class CaseEventOut(Schema):
    kind: str
    author: str
    text: str
    meeting_at: datetime | None
    location: str
    created_at: datetime


class CaseOut(Schema):
    id: int
    demand_id: int
    achievement_id: int
    status: str
    initiator_side: str
    broker_id: int | None
    officer_id: int | None
    contract_amount: Decimal | None
    contract_date: date | None
    close_reason: str
    events: list[CaseEventOut]


class IntentIn(Schema):
    demand_id: int
    achievement_id: int
    message: str = ""


class NoteIn(Schema):
    text: str
    meeting_at: datetime | None = None
    location: str = ""


class SignIn(Schema):
    amount: Decimal
    signed_on: date
    text: str = ""


class AssignIn(Schema):
    broker_id: int | None = None
    officer_id: int | None = None


class FeedbackIn(Schema):
    source: str
    target: str
    useful: bool
    strength: float | None = None


def match_out(item) -> dict:
    obj, record = item.obj, item.match.record
    title = {"achievement": "name", "demand": "title"}.get(record.kind, "display_name")
    title = getattr(obj, title)
    explanation = item.match.explanation
    return {"key": item.key, "kind": record.kind, "id": obj.pk, "title": title,
            "organization": obj.owner.name if hasattr(obj, "owner") else getattr(obj, "employer", None),
            "score": item.match.score, "strength": item.match.strength, "strong": item.strong,
            "explanation": {"shared_terms": explanation.shared_terms, "matched_signals": explanation.matched_signals,
                            "similarity": explanation.similarity, "text": explanation.text_zh()}}


def matches_out(found) -> dict:
    return {"has_strong": found.has_strong, "items": [match_out(item) for item in found.items]}


def case_out(case) -> dict:
    return {"id": case.pk, "demand_id": case.demand_id, "achievement_id": case.achievement_id,
            "status": case.status, "initiator_side": case.initiator_side, "broker_id": case.broker_id,
            "officer_id": case.officer_id, "contract_amount": case.contract_amount,
            "contract_date": case.contract_date, "close_reason": case.close_reason,
            "events": [{"kind": event.kind, "author": event.author.display_name, "text": event.text,
                        "meeting_at": event.meeting_at, "location": event.location, "created_at": event.created_at}
                       for event in case.events.select_related("author")]}


@router.get("/matching/demands/{int:pk}/achievements", response=MatchesOut, url_name="matching_demand")
def demand_matches(request, pk: int, k: int = 10):
    """Achievements ranked for a demand, with explanations: its enterprise, brokers, the bureau."""
    demand = demand_get(request.user, pk)
    if not policies.can_see_matches_of_demand(request.user, demand):
        raise Http404
    return matches_out(selectors.achievements_for_demand(request.user, demand, k=min(max(k, 1), 50)))


@router.get("/matching/demands/{int:pk}/specialists", response=MatchesOut, url_name="matching_demand_specialists")
def demand_specialists(request, pk: int):
    demand = demand_get(request.user, pk)
    if not policies.can_see_matches_of_demand(request.user, demand):
        raise Http404
    return matches_out(selectors.specialists_for_demand(request.user, demand))


@router.get("/matching/achievements/{int:pk}/demands", response=MatchesOut, url_name="matching_achievement")
def achievement_matches(request, pk: int, k: int = 10):
    achievement = achievement_get(request.user, pk)
    if not policies.can_see_matches_of_achievement(request.user, achievement):
        raise Http404
    return matches_out(selectors.demands_for_achievement(request.user, achievement, k=min(max(k, 1), 50)))


@router.get("/matching/solutions", response=SolutionsOut, auth=OPTIONAL, url_name="matching_solutions")
def solutions(request, q: str):
    """The 'find a solution' box: a problem in the user's own words. Public."""
    text = q.strip()[:2000]
    if len(text) < 4:
        raise ValidationError({"q": [_("Describe the problem in at least a few words.")]})
    achievements, specialists = selectors.solutions_for_text(request.user, text)
    return {"achievements": matches_out(achievements), "specialists": matches_out(specialists)}


@router.post("/matching/feedback", response={204: None}, url_name="matching_feedback")
def feedback(request, payload: FeedbackIn):
    services.feedback_record(by=request.user, source=payload.source, target=payload.target, useful=payload.useful,
                             strength=payload.strength)
    return 204, None


@router.get("/matching/cases", response=list[CaseOut], url_name="matching_cases")
def cases(request, status: str = ""):
    return [case_out(case) for case in selectors.my_cases(request.user, status)[:200]]


@router.post("/matching/cases", response={201: CaseOut}, url_name="matching_case_open")
def case_open(request, payload: IntentIn):
    demand = demand_get(request.user, payload.demand_id)
    achievement = achievement_get(request.user, payload.achievement_id)
    case = services.case_open(by=request.user, demand=demand, achievement=achievement, message=payload.message)
    return 201, case_out(case)


@router.get("/matching/cases/{int:pk}", response=CaseOut, url_name="matching_case")
def case_detail(request, pk: int):
    return case_out(selectors.case_get(request.user, pk))


@router.post("/matching/cases/{int:pk}/accept", response=CaseOut, url_name="matching_case_accept")
def case_accept(request, pk: int):
    return case_out(services.case_accept(case=selectors.case_get(request.user, pk), by=request.user))


@router.post("/matching/cases/{int:pk}/decline", response=CaseOut, url_name="matching_case_decline")
def case_decline(request, pk: int, payload: ReasonIn):
    return case_out(services.case_decline(case=selectors.case_get(request.user, pk), by=request.user,
                                          reason=payload.reason))


@router.post("/matching/cases/{int:pk}/assign", response=CaseOut, url_name="matching_case_assign")
def case_assign(request, pk: int, payload: AssignIn):
    broker = User.objects.filter(pk=payload.broker_id).first() if payload.broker_id else None
    officer = User.objects.filter(pk=payload.officer_id).first() if payload.officer_id else None
    return case_out(services.case_assign(case=selectors.case_get(request.user, pk), by=request.user, broker=broker,
                                         officer=officer))


@router.post("/matching/cases/{int:pk}/notes", response={201: CaseOut}, url_name="matching_case_note")
def case_note(request, pk: int, payload: NoteIn):
    case = selectors.case_get(request.user, pk)
    services.case_add_note(case=case, by=request.user, text=payload.text, meeting_at=payload.meeting_at,
                           location=payload.location)
    return 201, case_out(selectors.case_get(request.user, pk))


@router.post("/matching/cases/{int:pk}/sign", response=CaseOut, url_name="matching_case_sign")
def case_sign(request, pk: int, payload: SignIn):
    return case_out(services.case_sign(case=selectors.case_get(request.user, pk), by=request.user,
                                       amount=payload.amount, signed_on=payload.signed_on, text=payload.text))


@router.post("/matching/cases/{int:pk}/close", response=CaseOut, url_name="matching_case_close")
def case_close(request, pk: int, payload: ReasonIn):
    return case_out(services.case_close(case=selectors.case_get(request.user, pk), by=request.user,
                                        reason=payload.reason))
