"""Programmes over the API: the same selectors, policies and services as the pages."""

from datetime import datetime
from decimal import Decimal

from ninja import Router, Schema

from kechuang.accounts.authentication import OPTIONAL
from kechuang.core.schemas import ReasonIn, field_type, whole_number_type
from kechuang.programs import selectors, services
from kechuang.programs.models import Application

router = Router(tags=["programmes"])


class CallOut(Schema):
    id: int
    title: str
    programme: str
    kind: str
    year: int
    opens_at: datetime
    closes_at: datetime
    is_open: bool
    budget: Decimal
    max_award: Decimal | None
    form_schema: list[dict]
    criteria: list[dict]


class ApplicationIn(Schema):
    title: str | None = None
    summary: str | None = None
    keywords: str | None = None
    requested_amount: field_type(Application, "requested_amount") | None = None
    answers: dict = {}


class ApplicationOut(Schema):
    id: int
    call_id: int
    reference: str | None
    title: str
    summary: str
    keywords: str
    requested_amount: Decimal
    answers: dict
    status: str
    return_reason: str
    awarded_amount: Decimal | None
    review_comments: list[dict] | None


class AssignmentOut(Schema):
    id: int
    application_id: int
    title: str
    status: str
    criteria: list[dict]
    weighted_score: Decimal | None


class ReviewIn(Schema):
    scores: dict[str, whole_number_type(0, 100)]
    comment: str


def call_out(call) -> dict:
    return {"id": call.pk, "title": call.title, "programme": call.programme.display_name,
            "kind": call.programme.kind, "year": call.year, "opens_at": call.opens_at, "closes_at": call.closes_at,
            "is_open": call.is_open, "budget": call.budget, "max_award": call.max_award,
            "form_schema": call.form_schema, "criteria": call.criteria}


def application_out(application, user) -> dict:
    from kechuang.programs.policies import can_read_review_comments

    comments = selectors.review_comments(application) if can_read_review_comments(user, application) else None
    return {"id": application.pk, "call_id": application.call_id, "reference": application.reference,
            "title": application.title, "summary": application.summary, "keywords": application.keywords,
            "requested_amount": application.requested_amount, "answers": application.answers,
            "status": application.status, "return_reason": application.return_reason,
            "awarded_amount": application.awarded_amount,
            "review_comments": [{"label": c["label"], "score": str(c["score"]), "comment": c["comment"]}
                                for c in comments] if comments is not None else None}


def assignment_out(seat) -> dict:
    return {"id": seat.pk, "application_id": seat.application_id, "title": seat.application.title,
            "status": seat.status, "criteria": seat.application.call.criteria, "weighted_score": seat.weighted_score}


@router.get("/programmes/calls", response=list[CallOut], auth=OPTIONAL, url_name="programs_calls")
def calls(request, kind: str = ""):
    """Published calls, newest first. Public."""
    return [call_out(call) for call in selectors.call_list(request.user, kind=kind)[:200]]


@router.get("/programmes/calls/{int:pk}", response=CallOut, auth=OPTIONAL, url_name="programs_call")
def call_detail(request, pk: int):
    return call_out(selectors.call_for(request.user, pk))


@router.post("/programmes/calls/{int:pk}/applications", response={201: ApplicationOut},
             url_name="programs_application_start")
def application_start(request, pk: int, payload: ApplicationIn):
    """Starts a draft while the call is open; the answers are checked against the call's form."""
    call = selectors.call_for(request.user, pk)
    application = services.application_create(by=request.user, call=call, answers=payload.answers, data={
        "title": payload.title or "", "summary": payload.summary or "", "keywords": payload.keywords or "",
        "requested_amount": payload.requested_amount or Decimal("0")})
    return 201, application_out(application, request.user)


@router.get("/applications", response=list[ApplicationOut], url_name="programs_applications")
def applications(request):
    return [application_out(a, request.user) for a in selectors.my_applications(request.user)[:200]]


@router.get("/applications/{int:pk}", response=ApplicationOut, url_name="programs_application")
def application_detail(request, pk: int):
    return application_out(selectors.application_for(request.user, pk), request.user)


@router.patch("/applications/{int:pk}", response=ApplicationOut, url_name="programs_application_save")
def application_save(request, pk: int, payload: ApplicationIn):
    """Saves a draft: only the fields sent change."""
    application = selectors.application_for(request.user, pk)
    data = {name: value for name, value in payload.dict(exclude={"answers"}).items() if value is not None}
    return application_out(services.application_save(by=request.user, application=application, data=data,
                                                     answers=payload.answers), request.user)


@router.post("/applications/{int:pk}/submit", response=ApplicationOut, url_name="programs_application_submit")
def application_submit(request, pk: int):
    application = services.application_submit(by=request.user,
                                              application=selectors.application_for(request.user, pk))
    return application_out(application, request.user)


@router.post("/applications/{int:pk}/withdraw", response=ApplicationOut, url_name="programs_application_withdraw")
def application_withdraw(request, pk: int):
    application = services.application_withdraw(by=request.user,
                                                application=selectors.application_for(request.user, pk))
    return application_out(application, request.user)


@router.get("/reviews", response=list[AssignmentOut], url_name="programs_reviews")
def reviews(request):
    """The signed-in expert's invitations and reviews (applicants stay hidden in blind review)."""
    return [assignment_out(seat) for seat in selectors.my_assignments(request.user)[:200]]


@router.post("/reviews/{int:pk}/accept", response=AssignmentOut, url_name="programs_review_accept")
def review_accept(request, pk: int):
    seat = services.assignment_respond(by=request.user, assignment=selectors.assignment_for(request.user, pk),
                                       accept=True)
    return assignment_out(seat)


@router.post("/reviews/{int:pk}/decline", response=AssignmentOut, url_name="programs_review_decline")
def review_decline(request, pk: int, payload: ReasonIn):
    seat = services.assignment_respond(by=request.user, assignment=selectors.assignment_for(request.user, pk),
                                       accept=False, reason=payload.reason)
    return assignment_out(seat)


@router.post("/reviews/{int:pk}/submit", response=AssignmentOut, url_name="programs_review_submit")
def review_submit(request, pk: int, payload: ReviewIn):
    seat = services.review_submit(by=request.user, assignment=selectors.assignment_for(request.user, pk),
                                  scores=payload.scores, comment=payload.comment)
    return assignment_out(seat)
