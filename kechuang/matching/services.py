"""Writes of matching: the index kept in step with the libraries, matchmaking cases, feedback and
the nightly announcement of new strong matches."""

from datetime import date, datetime

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.accounts.choices import PlatformRole
from kechuang.accounts.models import Membership, User
from kechuang.core.errors import DomainError
from kechuang.core.search import notify_index_change
from kechuang.core.services import audit_record, notify
from kechuang.core.validators import field_errors, parse_whole
from kechuang.experts.models import SpecialistProfile
from kechuang.matching import index, policies, selectors
from kechuang.matching.choices import EventKind
from kechuang.matching.models import Matchmaking, MatchmakingEvent, NotifiedMatch, RecommendationFeedback
from kechuang.matching.workflow import CASE_WORKFLOW

# -- the index -----------------------------------------------------------------------------------


def index_sync(table: str, pks: list[int]) -> dict:
    """Brings the index in line with the current state of some rows: publishable rows are
    (re)written, the others removed. Returns counts."""
    kind = index.TABLE_KINDS.get(table)
    if kind is None:
        return {}
    if kind == "achievement":
        live = list(index.indexable_achievements().filter(pk__in=pks))
        records = [index.achievement_record(row) for row in live]
        keys = [index.record_key("achievement", pk) for pk in pks]
    elif kind == "demand":
        live = list(index.indexable_demands().filter(pk__in=pks))
        records = [index.demand_record(row) for row in live]
        keys = [index.record_key("demand", pk) for pk in pks]
    else:
        live = list(index.indexable_specialists().filter(pk__in=pks))
        records = [index.specialist_record(row, selectors.past_case_titles(row)) for row in live]
        keys = [index.record_key(profile.kind, profile.pk) for profile in SpecialistProfile.objects.filter(pk__in=pks)]
    target = index.backend()
    kept = {record.id for record in records}
    gone = sorted(target.known([key for key in keys if key not in kept]))
    target.upsert(records)
    target.remove(gone)
    return {"upserted": len(records), "removed": len(gone)}


def all_records() -> list:
    records = [index.achievement_record(row) for row in index.indexable_achievements().iterator(chunk_size=500)]
    records += [index.demand_record(row) for row in index.indexable_demands().iterator(chunk_size=500)]
    records += [index.specialist_record(row, selectors.past_case_titles(row)) for row in index.indexable_specialists()]
    return records


def index_rebuild(progress=None) -> int:
    """Encodes every record afresh into a new index; `progress(done, total)` follows it."""
    records = all_records()
    index.backend().rebuild(records, progress=progress)
    audit_record("matching.index_rebuilt", changes={"records": len(records)}, actor_label="system")
    return len(records)


# -- cases ---------------------------------------------------------------------------------------


def _event(case, *, kind, by, text="", **extra) -> MatchmakingEvent:
    return MatchmakingEvent.objects.create(case=case, kind=kind, author=by, text=text, **extra)


def _case_url(case) -> str:
    return reverse("matching:case_detail", args=[case.pk])


def _notify_parties(case, *, title: str, body: str = "", exclude=None) -> None:
    recipients = set(User.objects.filter(
        pk__in=Membership.objects.filter(organization_id__in=[case.demand.owner_id, case.achievement.owner_id])
        .values("user_id")))
    if case.broker_id:
        recipients.add(case.broker)
    for user in recipients:
        if exclude is None or user.pk != exclude.pk:
            notify(user, title=title, body=body, url=_case_url(case))


@transaction.atomic
def case_open(*, by, demand, achievement, message: str = "", strength: float | None = None) -> Matchmaking:
    """One side expresses intent on a match."""
    if not policies.can_express_intent(by, demand, achievement):
        raise PermissionDenied
    if selectors.open_case_for(demand, achievement) is not None:
        raise DomainError(_("A matchmaking case for this demand and achievement is already open."))
    side = policies.side_of(by, demand, achievement)
    try:
        with transaction.atomic():
            case = Matchmaking.objects.create(demand=demand, achievement=achievement, initiated_by=by,
                                              initiator_side=side, message=message.strip(), match_score=strength)
    except IntegrityError as error:
        raise DomainError(_("A matchmaking case for this demand and achievement is already open.")) from error
    _event(case, kind=EventKind.INTENT, by=by, text=case.message)
    audit_record("matchmaking.intent", by=by, obj=case, changes={"side": side, "demand": demand.pk,
                                                                   "achievement": achievement.pk})
    _notify_parties(case, title=_("New matchmaking intent: %(demand)s ↔ %(achievement)s") % {
        "demand": demand.title, "achievement": achievement.name}, body=case.message, exclude=by)
    return case


def _lock(case) -> Matchmaking:
    return Matchmaking.objects.select_for_update().select_related("demand", "achievement").get(pk=case.pk)


def _move(case, *, by, action, allowed, event_kind, text="", **changes) -> Matchmaking:
    case = _lock(case)
    if not allowed(by, case):
        raise PermissionDenied
    old = case.status
    case.status = CASE_WORKFLOW.target(case.status, action)
    case.updated_at = timezone.now()
    for field, value in changes.items():
        setattr(case, field, value)
    case.save()
    _event(case, kind=event_kind, by=by, text=text)
    audit_record(f"matchmaking.{action}", by=by, obj=case,
                 changes={"from": old, "to": case.status} | {key: str(value) for key, value in changes.items()})
    _notify_parties(case, title=_("Matchmaking case %(status)s: %(demand)s") % {
        "status": case.get_status_display(), "demand": case.demand.title}, body=text, exclude=by)
    return case


@transaction.atomic
def case_accept(*, case, by, text: str = "") -> Matchmaking:
    return _move(case, by=by, action="accept", allowed=policies.can_answer_case, event_kind=EventKind.ACCEPTED,
                 text=text)


def _required_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


@transaction.atomic
def case_decline(*, case, by, reason: str) -> Matchmaking:
    reason = _required_reason(reason, _("Say why you decline."))
    return _move(case, by=by, action="decline", allowed=policies.can_answer_case, event_kind=EventKind.DECLINED,
                 text=reason, close_reason=reason)


@transaction.atomic
def case_assign(*, case, by, broker: User | None = None, officer: User | None = None) -> Matchmaking:
    """The bureau assigns a broker and/or an officer; a broker may claim an accepted case."""
    case = _lock(case)
    claiming = broker is not None and broker.pk == by.pk and officer is None
    if not (policies.can_assign_case(by, case) or (claiming and policies.can_claim_case(by, case))):
        raise PermissionDenied
    if broker is not None and not broker.has_role(PlatformRole.BROKER):
        raise ValidationError({"broker": _("This user is not a registered technology broker.")})
    if officer is not None and not officer.is_bureau_staff:
        raise ValidationError({"officer": _("This user is not bureau staff.")})
    if broker is None and officer is None:
        raise ValidationError({"broker": _("Choose a broker or an officer.")})
    names = []
    if broker is not None:
        case.broker = broker
        names.append(broker.display_name)
    if officer is not None:
        case.officer = officer
        names.append(officer.display_name)
    case.updated_at = timezone.now()
    case.save(update_fields=["broker", "officer", "updated_at"])
    _event(case, kind=EventKind.ASSIGNED, by=by, text="、".join(names))
    audit_record("matchmaking.assigned", by=by, obj=case,
                 changes={"broker": case.broker_id, "officer": case.officer_id})
    if broker is not None:
        # The broker is matched with the titles of their cases: this one now counts.
        notify_index_change(SpecialistProfile._meta.db_table,
                            SpecialistProfile.objects.filter(user=broker).values_list("pk", flat=True))
    if broker is not None and broker.pk != by.pk:
        notify(broker, title=_("You are the broker of a matchmaking case: %(demand)s") % {
            "demand": case.demand.title}, url=_case_url(case))
    return case


@transaction.atomic
def case_add_note(*, case, by, text: str, meeting_at: datetime | None = None, location: str = "") -> MatchmakingEvent:
    case = _lock(case)
    if not policies.can_add_note(by, case):
        raise PermissionDenied
    text = (text or "").strip()
    errors = field_errors(MatchmakingEvent, {"meeting_at": ("meeting_at", meeting_at)})
    if not text:
        errors["text"] = [_("Write the note.")]
    if errors:
        raise ValidationError(errors)
    kind = EventKind.MEETING if meeting_at else EventKind.NOTE
    event = _event(case, kind=kind, by=by, text=text, meeting_at=meeting_at, location=location.strip())
    case.updated_at = timezone.now()
    case.save(update_fields=["updated_at"])
    audit_record(f"matchmaking.{kind}", by=by, obj=case, changes={"event": event.pk})
    return event


@transaction.atomic
def case_sign(*, case, by, amount, signed_on: date, text: str = "") -> Matchmaking:
    errors = field_errors(Matchmaking, {"amount": ("contract_amount", amount),
                                        "signed_on": ("contract_date", signed_on)})
    if amount is None or ("amount" not in errors and amount <= 0):
        errors["amount"] = [_("Enter the contract amount, more than zero.")]
    if signed_on is None:
        errors["signed_on"] = [_("Enter the date the contract was signed.")]
    elif "signed_on" not in errors and signed_on > timezone.localdate():
        errors["signed_on"] = [_("The signing date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    return _move(case, by=by, action="sign", allowed=policies.can_record_outcome, event_kind=EventKind.SIGNED,
                 text=text, contract_amount=amount, contract_date=signed_on)


@transaction.atomic
def case_close(*, case, by, reason: str) -> Matchmaking:
    reason = _required_reason(reason, _("Say why the case is closed."))
    return _move(case, by=by, action="close", allowed=policies.can_record_outcome, event_kind=EventKind.CLOSED,
                 text=reason, close_reason=reason)


# -- feedback and announcements -------------------------------------------------------------------


@transaction.atomic
def feedback_record(*, by, source: str, target: str, useful: bool, strength: float | None = None):
    if not policies.can_give_feedback(by):
        raise PermissionDenied
    for key in (source, target):
        kind, _colon, pk = key.partition(":")
        if kind not in selectors.LOADERS or parse_whole(pk) is None:
            raise ValidationError({"target": _("Unknown record.")})
    feedback, _created = RecommendationFeedback.objects.update_or_create(
        user=by, source=source, target=target, defaults={"useful": useful, "strength": strength})
    audit_record("matching.feedback", by=by, obj=feedback, changes={"source": source, "target": target,
                                                                  "useful": useful})
    return feedback


def announce_new_strong_matches() -> int:
    """For every published demand, the strong achievement matches not announced before go to the
    demand's enterprise, in the app and by e-mail. Returns how many were announced."""
    announced = 0
    if not index.backend().kind_counts().get("achievement"):
        return 0
    for demand in index.indexable_demands().filter(status__in=["published", "matchmaking"]):
        source = index.record_key("demand", demand.pk)
        # What anybody may see: the announcement lists published achievements only.
        strong = selectors.achievements_for_demand(AnonymousUser(), demand, k=5).strong
        known = set(NotifiedMatch.objects.filter(source=source).values_list("target", flat=True))
        fresh = [item for item in strong if item.key not in known]
        if not fresh:
            continue
        with transaction.atomic():
            NotifiedMatch.objects.bulk_create([NotifiedMatch(source=source, target=item.key) for item in fresh],
                                              ignore_conflicts=True)
            titles = "\n".join(f"· {item.obj.name}（{item.match.explanation.text_zh()}）" for item in fresh)
            for membership in Membership.objects.filter(organization=demand.owner).select_related("user"):
                notify(membership.user, title=_("New strong matches for your demand: %(title)s") % {
                    "title": demand.title}, body=titles, url=reverse("matching:demand_matches", args=[demand.pk]))
        announced += len(fresh)
    return announced

