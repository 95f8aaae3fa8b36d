"""Writes of instruments: the registry, bookings and orders from request to completion (where a
voucher pays its share), ratings."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.errors import DomainError
from kechuang.core.search import index_text
from kechuang.core.services import audit_record, notify
from kechuang.core.validators import (
    field_errors,
    mark_clean,
    model_errors,
    normalize_mobile,
    require_clean,
    validate_aware,
    validate_mobile,
    validate_not_future,
)
from kechuang.instruments import policies, selectors
from kechuang.instruments.models import INSTRUMENT_INDEX, Booking, Instrument, Rating, ServiceOrder
from kechuang.instruments.workflow import BOOKING_WORKFLOW, ORDER_WORKFLOW
from kechuang.vouchers.choices import ServiceKind, VoucherStatus
from kechuang.vouchers.services import voucher_redeem

INSTRUMENT_FIELDS = ("name", "model_number", "manufacturer", "category", "original_value", "purchased_on", "lab",
                     "location", "specifications", "sample_requirements", "price_unit", "internal_price",
                     "external_price", "contact_name", "contact_phone", "status")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def instrument_tokens(instrument: Instrument) -> str:
    return index_text(instrument.name, instrument.model_number, instrument.manufacturer, instrument.category.name,
                      instrument.specifications[:2000], instrument.lab)


def clean_instrument(instrument: Instrument) -> None:
    """The rules of an instrument record, for the form and the sheet import: its value, prices
    and purchase date within their ranges (bought already, so not in the future), a mobile
    contact number."""
    errors = model_errors(instrument, exclude=["owner", "created_by", "search_vector"])
    if "purchased_on" not in errors:
        try:
            validate_not_future(instrument.purchased_on)
        except ValidationError as error:
            errors["purchased_on"] = error.messages
    if instrument.contact_phone:
        try:
            validate_mobile(instrument.contact_phone)
            instrument.contact_phone = normalize_mobile(instrument.contact_phone)
        except ValidationError as error:
            errors["contact_phone"] = error.messages
    if errors:
        raise ValidationError(errors)
    mark_clean(instrument, INSTRUMENT_FIELDS)


@transaction.atomic
def instrument_save(*, by, data: dict, instrument: Instrument | None = None) -> Instrument:
    """A provider registers or edits an instrument of their own organisation."""
    if instrument is not None:
        instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    _require(policies.can_manage_instrument(by, instrument))
    creating = instrument is None
    instrument = instrument or Instrument(owner=by.organization, created_by=by)
    for name in INSTRUMENT_FIELDS:
        if name in data:
            setattr(instrument, name, data[name])
    clean_instrument(instrument)
    instrument.search_tokens = instrument_tokens(instrument)
    instrument.save()
    INSTRUMENT_INDEX.store([(instrument.pk, instrument.search_tokens)])
    audit_record("instrument.created" if creating else "instrument.updated", by=by, obj=instrument,
                 changes={"status": instrument.status})
    return instrument


def _check_voucher(voucher, organization, *, instrument, kind: str):
    """The voucher must be the requester's own, issued, and its scheme must pay this provider and
    this kind of service (checked again when the voucher pays, at completion)."""
    if voucher is None:
        return
    if voucher.enterprise_id != organization.pk or voucher.status != VoucherStatus.ISSUED:
        raise ValidationError({"voucher": _("Choose a valid voucher of your own organisation.")})
    scheme = voucher.scheme
    providers = scheme.eligible_providers.all()
    if (scheme.eligible_services and kind not in scheme.eligible_services) or (
            providers and instrument.owner not in providers):
        raise ValidationError({"voucher": _("This voucher's scheme does not pay for this service.")})


def _notify_owner(instrument, title: str, url: str = "") -> None:
    for membership in instrument.owner.memberships.select_related("user"):
        if membership.user.has_role("provider"):
            notify(membership.user, title=title, url=url)


def clean_slot(starts_at: datetime, ends_at: datetime) -> None:
    """A booking's time: with its time zone, in the future, ending after it starts, no longer
    than KECHUANG_BOOKING_MAX_DAYS and starting within KECHUANG_BOOKING_MAX_AHEAD_DAYS, so that no
    one booking holds an instrument for everyone else."""
    errors = {}
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        try:
            validate_aware(value)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    longest, ahead = settings.KECHUANG_BOOKING_MAX_DAYS, settings.KECHUANG_BOOKING_MAX_AHEAD_DAYS
    now = timezone.now()
    if ends_at <= starts_at:
        errors["ends_at"] = [_("The booking must end after it starts.")]
    elif ends_at - starts_at > timedelta(days=longest):
        errors["ends_at"] = [_("A booking holds the instrument for at most %(days)d days.") % {"days": longest}]
    if starts_at < now:
        errors["starts_at"] = [_("Book a time in the future.")]
    elif starts_at > now + timedelta(days=ahead):
        errors["starts_at"] = [_("Book at most %(days)d days ahead.") % {"days": ahead}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def booking_request(*, by, instrument: Instrument, starts_at: datetime, ends_at: datetime, purpose: str,
                    voucher=None) -> Booking:
    """A time slot on the instrument. A slot held by a pending or confirmed booking is refused:
    checked here inside the transaction (SQLite takes the write lock when the transaction begins,
    so the check and the insert are atomic there) and by the exclusion constraint on PostgreSQL,
    which decides between concurrent requests."""
    _require(policies.can_request(by, instrument))
    organization = by.organization  # verified: can_request says so
    clean_slot(starts_at, ends_at)
    _check_voucher(voucher, organization, instrument=instrument, kind=ServiceKind.INSTRUMENT_TIME)
    taken = DomainError(_("This time overlaps a booking already made; choose another slot."), code="slot_taken")
    if selectors.overlapping(instrument, starts_at, ends_at).exists():
        raise taken
    try:
        with transaction.atomic():
            booking = Booking.objects.create(instrument=instrument, requester=by, organization=organization,
                                             starts_at=starts_at, ends_at=ends_at, purpose=purpose.strip(),
                                             voucher=voucher)
    except IntegrityError as error:
        raise taken from error
    audit_record("booking.requested", by=by, obj=booking, changes={"from": starts_at, "until": ends_at})
    _notify_owner(instrument, _("New booking request: %(instrument)s") % {"instrument": instrument.name})
    return booking


def _lock_booking(booking) -> Booking:
    return Booking.objects.select_for_update(of=("self",)).select_related("instrument__owner", "voucher").get(
        pk=booking.pk)


@transaction.atomic
def booking_answer(*, by, booking: Booking, confirm: bool, reason: str = "") -> Booking:
    booking = _lock_booking(booking)
    _require(policies.can_serve(by, booking))
    if not confirm and not reason.strip():
        raise ValidationError({"reason": _("Tell the requester why.")})
    booking.status = BOOKING_WORKFLOW.target(booking.status, "confirm" if confirm else "decline")
    booking.reason = reason.strip()
    booking.save(update_fields=["status", "reason"])
    audit_record("booking.confirmed" if confirm else "booking.declined", by=by, obj=booking)
    notify(booking.requester, title=_("Booking %(status)s: %(instrument)s") % {
        "status": booking.get_status_display(), "instrument": booking.instrument.name}, body=booking.reason)
    return booking


@transaction.atomic
def booking_cancel(*, by, booking: Booking) -> Booking:
    booking = _lock_booking(booking)
    _require(policies.can_cancel(by, booking))
    booking.status = BOOKING_WORKFLOW.target(booking.status, "cancel")
    booking.save(update_fields=["status"])
    audit_record("booking.cancelled", by=by, obj=booking)
    return booking


def _complete(service, *, by, hours: Decimal, cost: Decimal, ref: str, kind: str):
    """The usage record: the effective hours and the cost within their columns' ranges; a
    booking is completed once its slot has begun, with at most the hours it held."""
    errors = field_errors(type(service), {"hours": ("effective_hours", hours), "cost": ("cost", cost)},
                          required=("hours", "cost"))
    if isinstance(service, Booking):
        booked = Decimal((service.ends_at - service.starts_at).total_seconds()) / 3600
        if not service.has_started:
            raise DomainError(_("A booking can be completed once its slot has begun (%(start)s).") % {
                "start": f"{timezone.localtime(service.starts_at):%Y-%m-%d %H:%M}"}, code="not_started")
        if "hours" not in errors and hours > booked:
            errors["hours"] = [_("At most the %(hours)s hours booked.") % {"hours": booked.quantize(Decimal("0.01"))}]
    if errors:
        raise ValidationError(errors)
    service.effective_hours, service.cost, service.completed_on = hours, cost, timezone.localdate()
    if service.voucher_id and cost > 0:
        redemption = voucher_redeem(voucher=service.voucher, provider=service.instrument.owner, order_ref=ref,
                                    order_cost=cost, by=by, service=kind,
                                    booked_on=timezone.localtime(service.created_at).date(),
                                    completed_on=service.completed_on)
        return redemption
    return None


@transaction.atomic
def booking_complete(*, by, booking: Booking, hours: Decimal, cost: Decimal) -> Booking:
    """The usage record: effective hours and the cost; a voucher pays its share of the cost."""
    booking = _lock_booking(booking)
    _require(policies.can_serve(by, booking))
    booking.status = BOOKING_WORKFLOW.target(booking.status, "complete")
    redemption = _complete(booking, by=by, hours=hours, cost=cost, ref=f"booking:{booking.pk}",
                           kind=ServiceKind.INSTRUMENT_TIME)
    booking.save()
    audit_record("booking.completed", by=by, obj=booking, changes={
        "hours": str(hours), "cost": str(cost), "voucher_paid": str(redemption.amount) if redemption else None})
    return booking


@transaction.atomic
def order_request(*, by, instrument: Instrument, samples: int, description: str, voucher=None) -> ServiceOrder:
    _require(policies.can_request(by, instrument))
    organization = by.organization  # verified: can_request says so
    _check_voucher(voucher, organization, instrument=instrument, kind=ServiceKind.SAMPLE_TESTING)
    order = ServiceOrder(instrument=instrument, requester=by, organization=organization, samples=samples,
                         description=description.strip(), voucher=voucher)
    order.full_clean()
    order.save()
    audit_record("service_order.requested", by=by, obj=order, changes={"samples": samples})
    _notify_owner(instrument, _("New testing order: %(instrument)s") % {"instrument": instrument.name})
    return order


def _lock_order(order) -> ServiceOrder:
    return ServiceOrder.objects.select_for_update(of=("self",)).select_related("instrument__owner", "voucher").get(
        pk=order.pk)


@transaction.atomic
def order_answer(*, by, order: ServiceOrder, accept: bool, reason: str = "") -> ServiceOrder:
    order = _lock_order(order)
    _require(policies.can_serve(by, order))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Tell the requester why.")})
    order.status = ORDER_WORKFLOW.target(order.status, "accept" if accept else "decline")
    order.reason = reason.strip()
    order.save(update_fields=["status", "reason"])
    audit_record("service_order.accepted" if accept else "service_order.declined", by=by, obj=order)
    notify(order.requester, title=_("Testing order %(status)s: %(instrument)s") % {
        "status": order.get_status_display(), "instrument": order.instrument.name}, body=order.reason)
    return order


@transaction.atomic
def order_complete(*, by, order: ServiceOrder, hours: Decimal, cost: Decimal) -> ServiceOrder:
    order = _lock_order(order)
    _require(policies.can_serve(by, order))
    order.status = ORDER_WORKFLOW.target(order.status, "complete")
    redemption = _complete(order, by=by, hours=hours, cost=cost, ref=f"order:{order.pk}",
                           kind=ServiceKind.SAMPLE_TESTING)
    order.save()
    audit_record("service_order.completed", by=by, obj=order, changes={
        "hours": str(hours), "cost": str(cost), "voucher_paid": str(redemption.amount) if redemption else None})
    return order


@transaction.atomic
def rating_add(*, by, service, score: int, comment: str = "") -> Rating:
    service = type(service).objects.select_for_update(of=("self",)).select_related("instrument").get(pk=service.pk)
    _require(policies.can_rate(by, service))
    if not 1 <= int(score) <= 5:
        raise ValidationError({"score": _("Give 1 to 5 stars.")})
    field = "booking" if isinstance(service, Booking) else "order"
    if Rating.objects.filter(**{field: service}).exists():
        raise DomainError(_("You have already rated this service."))
    rating = Rating.objects.create(**{field: service}, instrument=service.instrument, score=int(score),
                                   comment=comment.strip(), created_by=by)
    audit_record("instrument.rated", by=by, obj=service.instrument, changes={"score": rating.score})
    return rating


# -- purchase early warning --------------------------------------------------------------------


@transaction.atomic
def catalogue_build(*, by, year: int, threshold_hours: int = 1200, min_instruments: int = 3):
    """Builds (or rebuilds) the year's early-warning catalogue from the previous year's use."""
    from kechuang.instruments.models import WarningCatalogue, WarningEntry

    _require(policies.can_build_catalogue(by))
    errors = field_errors(WarningCatalogue, {name: (name, value) for name, value in (
        ("year", year), ("threshold_hours", threshold_hours), ("min_instruments", min_instruments))},
        required=("year", "threshold_hours", "min_instruments"))
    if errors:
        raise ValidationError(errors)
    catalogue, _created = WarningCatalogue.objects.update_or_create(year=year, defaults={
        "threshold_hours": threshold_hours, "min_instruments": min_instruments, "created_by": by,
        "published_at": timezone.now()})
    catalogue.entries.all().delete()
    rows = selectors.catalogue_rows(year - 1, threshold_hours, min_instruments)
    WarningEntry.objects.bulk_create([WarningEntry(catalogue=catalogue, **row) for row in rows])
    audit_record("instrument.warning_catalogue", by=by, obj=catalogue, changes={"categories": len(rows)})
    return catalogue


@transaction.atomic
def purchase_apply(*, by, data: dict):
    """A purchase justification: refused below the value threshold; lists the similar instruments
    already in the city and flags a category on the latest early-warning catalogue."""
    from kechuang.instruments.models import PurchaseApplication

    _require(policies.can_apply_for_purchase(by))
    errors = field_errors(PurchaseApplication, {"value": ("value", data.get("value"))}, required=("value",))
    if errors:
        raise ValidationError(errors)
    threshold = Decimal(settings.KECHUANG_PURCHASE_REVIEW_THRESHOLD)
    if data["value"] < threshold:
        raise ValidationError({"value": _("Purchases below %(threshold)s (10,000 yuan) need no duplication review.")
                               % {"threshold": threshold}})
    catalogue = selectors.latest_catalogue()
    category = data["category"]
    flagged = catalogue is not None and catalogue.entries.filter(
        Q(category=category) | Q(category=category.parent_id)).exists()
    application = PurchaseApplication.objects.create(
        organization=by.organization, applicant=by, flagged=flagged,
        similar=selectors.similar_instruments(category, data["specifications"], data["name"],
                                              year=timezone.localdate().year - 1), **data)
    audit_record("purchase.applied", by=by, obj=application, changes={"value": str(application.value),
                                                                      "flagged": flagged})
    return application


@transaction.atomic
def purchase_review(*, by, application, opinion: str, comment: str):
    from kechuang.instruments.models import PurchaseApplication, PurchaseReview

    application = PurchaseApplication.objects.select_for_update().get(pk=application.pk)
    _require(policies.can_review_purchase(by, application))
    if len(comment.strip()) < 10:
        raise ValidationError({"comment": _("Write an opinion of at least 10 characters.")})
    if application.reviews.filter(expert=by).exists():
        raise DomainError(_("You have already reviewed this application."))
    review = PurchaseReview.objects.create(application=application, expert=by, opinion=opinion,
                                           comment=comment.strip())
    application.status = "in_review"
    application.save(update_fields=["status"])
    audit_record("purchase.reviewed", by=by, obj=application, changes={"opinion": opinion})
    return review


@transaction.atomic
def purchase_decide(*, by, application, approve: bool, note: str):
    from kechuang.instruments.models import PurchaseApplication

    application = PurchaseApplication.objects.select_for_update().get(pk=application.pk)
    _require(policies.can_decide_purchase(by, application))
    if not note.strip():
        raise ValidationError({"note": _("Write the decision note.")})
    application.status = "approved" if approve else "rejected"
    application.decision_note, application.decided_at = note.strip(), timezone.now()
    application.save()
    audit_record("purchase.decided", by=by, obj=application, changes={"approved": approve})
    notify(application.applicant, title=_("Purchase review: %(name)s — %(status)s") % {
        "name": application.name, "status": application.get_status_display()}, body=application.decision_note)
    return application


@transaction.atomic
def instruments_bulk_create(*, by, instruments: list[Instrument]) -> int:
    """Instruments that passed `clean_instrument` (the importer's rows), written in one
    transaction and indexed."""
    require_clean(instruments, INSTRUMENT_FIELDS, clean_instrument)
    for instrument in instruments:
        instrument.search_tokens = instrument_tokens(instrument)
    created = Instrument.objects.bulk_create(instruments)
    INSTRUMENT_INDEX.store([(instrument.pk, instrument.search_tokens) for instrument in created])
    audit_record("instrument.imported", by=by, changes={"count": len(created)})
    return len(created)
