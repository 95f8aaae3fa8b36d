"""Writes of instruments: the registry, bookings and orders from request to completion (where a
voucher pays its share), ratings."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.accounts.policies import verified_organization
from kechuang.core.errors import DomainError
from kechuang.core.search import index_text
from kechuang.core.services import audit_record, notify
from kechuang.instruments import policies, selectors
from kechuang.instruments.models import INSTRUMENT_INDEX, Booking, Instrument, Rating, ServiceOrder
from kechuang.instruments.workflow import BOOKING_WORKFLOW, ORDER_WORKFLOW
from kechuang.vouchers.choices import VoucherStatus
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
    instrument.full_clean()
    instrument.search_tokens = instrument_tokens(instrument)
    instrument.save()
    INSTRUMENT_INDEX.store([(instrument.pk, instrument.search_tokens)])
    audit_record("instrument.created" if creating else "instrument.updated", by=by, obj=instrument,
                 changes={"status": instrument.status})
    return instrument


def _check_voucher(voucher, organization):
    if voucher is None:
        return
    if voucher.enterprise_id != organization.pk or voucher.status != VoucherStatus.ISSUED:
        raise ValidationError({"voucher": _("Choose a valid voucher of your own organisation.")})


def _notify_owner(instrument, title: str, url: str = "") -> None:
    for membership in instrument.owner.memberships.select_related("user"):
        if membership.user.has_role("provider"):
            notify(membership.user, title=title, url=url)


@transaction.atomic
def booking_request(*, by, instrument: Instrument, starts_at: datetime, ends_at: datetime, purpose: str,
                    voucher=None) -> Booking:
    """A time slot on the instrument. A slot held by a pending or confirmed booking is refused:
    checked here inside the transaction (SQLite takes the write lock when the transaction begins,
    so the check and the insert are atomic there) and by the exclusion constraint on PostgreSQL,
    which decides between concurrent requests."""
    _require(policies.can_request(by, instrument))
    organization = verified_organization(by)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The booking must end after it starts.")})
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": _("Book a time in the future.")})
    _check_voucher(voucher, organization)
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


def _complete(service, *, by, hours: Decimal, cost: Decimal, ref: str):
    if hours is None or hours < 0 or cost is None or cost < 0:
        raise ValidationError(_("Give the effective hours and the cost (zero or more)."))
    service.effective_hours, service.cost, service.completed_on = hours, cost, timezone.localdate()
    if service.voucher_id and cost > 0:
        redemption = voucher_redeem(voucher=service.voucher, provider=service.instrument.owner, order_ref=ref,
                                    order_cost=cost, by=by, booked_on=timezone.localtime(service.created_at).date(),
                                    completed_on=service.completed_on)
        return redemption
    return None


@transaction.atomic
def booking_complete(*, by, booking: Booking, hours: Decimal, cost: Decimal) -> Booking:
    """The usage record: effective hours and the cost; a voucher pays its share of the cost."""
    booking = _lock_booking(booking)
    _require(policies.can_serve(by, booking))
    booking.status = BOOKING_WORKFLOW.target(booking.status, "complete")
    redemption = _complete(booking, by=by, hours=hours, cost=cost, ref=f"booking:{booking.pk}")
    booking.save()
    audit_record("booking.completed", by=by, obj=booking, changes={
        "hours": str(hours), "cost": str(cost), "voucher_paid": str(redemption.amount) if redemption else None})
    return booking


@transaction.atomic
def order_request(*, by, instrument: Instrument, samples: int, description: str, voucher=None) -> ServiceOrder:
    _require(policies.can_request(by, instrument))
    organization = verified_organization(by)
    _check_voucher(voucher, organization)
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
    redemption = _complete(order, by=by, hours=hours, cost=cost, ref=f"order:{order.pk}")
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
