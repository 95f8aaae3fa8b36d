"""Reads of instruments: the catalogue, bookings and orders, utilisation."""

from decimal import Decimal

from django.db.models import Avg, Count, Q
from django.db.models.functions import ExtractYear

from kechuang.core.search import search_page
from kechuang.instruments import policies
from kechuang.instruments.choices import HOLDING, BookingStatus, OrderStatus
from kechuang.instruments.models import INSTRUMENT_INDEX, Booking, Instrument, InstrumentCategory, ServiceOrder


def instrument_search(user, query: str = "", *, category: str = "", district: str = "", status: str = "",
                      page: str = "1"):
    instruments = policies.instruments_visible_to(user)
    if category:
        instruments = instruments.filter(Q(category__code=category) | Q(category__parent__code=category))
    if district:
        instruments = instruments.filter(owner__district__code=district)
    if status:
        instruments = instruments.filter(status=status)
    return search_page(instruments, INSTRUMENT_INDEX, query, page_number=page,
                       related=("category", "owner__district"))


def instrument_get(user, pk) -> Instrument:
    return policies.instruments_visible_to(user).select_related("category__parent", "owner__district").get(pk=pk)


def categories():
    return InstrumentCategory.objects.select_related("parent")


def upcoming_slots(instrument, since):
    """The instrument's calendar: bookings that hold a slot from `since` on."""
    return instrument.bookings.filter(status__in=HOLDING, ends_at__gte=since).order_by("starts_at")


def overlapping(instrument, starts_at, ends_at):
    return Booking.objects.filter(instrument=instrument, status__in=HOLDING, starts_at__lt=ends_at,
                                  ends_at__gt=starts_at)


def my_bookings(user):
    return policies.bookings_visible_to(user).filter(requester=user).select_related("instrument__owner")


def my_orders(user):
    return policies.orders_visible_to(user).filter(requester=user).select_related("instrument__owner")


def provider_queue(user):
    """The provider's organisation's bookings and orders that need an answer or a completion."""
    if not policies.is_provider(user):
        return Booking.objects.none(), ServiceOrder.objects.none()
    owner = user.organization
    return (Booking.objects.filter(instrument__owner=owner, status__in=HOLDING).select_related(
        "instrument", "organization", "voucher"),
            ServiceOrder.objects.filter(instrument__owner=owner, status__in=[
                OrderStatus.REQUESTED, OrderStatus.ACCEPTED]).select_related("instrument", "organization"))


def booking_get(user, pk) -> Booking:
    return policies.bookings_visible_to(user).select_related("instrument__owner", "organization", "voucher").get(
        pk=pk)


def order_get(user, pk) -> ServiceOrder:
    return policies.orders_visible_to(user).select_related("instrument__owner", "organization", "voucher").get(
        pk=pk)


def _usage(year: int):
    """Completed bookings and orders of a year as (instrument, owner, hours, external) rows."""
    rows = []
    for model in (Booking, ServiceOrder):
        done = model.objects.annotate(year=ExtractYear("completed_on")).filter(
            status=BookingStatus.COMPLETED, year=year)
        rows += list(done.values_list("instrument_id", "instrument__owner_id", "effective_hours", "organization_id"))
    return [(instrument, owner, hours, organization != owner) for instrument, owner, hours, organization in rows]


def utilisation(year: int, *, owner=None) -> list[dict]:
    """Per instrument: effective hours in the year and the external service hours."""
    totals: dict[int, dict] = {}
    for instrument, instrument_owner, hours, external in _usage(year):
        if owner is not None and instrument_owner != owner.pk:
            continue
        row = totals.setdefault(instrument, {"hours": Decimal("0"), "external": Decimal("0")})
        row["hours"] += hours
        row["external"] += hours if external else 0
    instruments = Instrument.objects.filter(pk__in=totals) if owner is None else Instrument.objects.filter(
        owner=owner)
    result = []
    for instrument in instruments.select_related("category", "owner").order_by("owner__name", "name"):
        row = totals.get(instrument.pk, {"hours": Decimal("0"), "external": Decimal("0")})
        result.append({"instrument": instrument, **row})
    return result


def utilisation_by_organisation(year: int) -> list[dict]:
    per_owner: dict[int, dict] = {}
    for _instrument, owner, hours, external in _usage(year):
        row = per_owner.setdefault(owner, {"hours": Decimal("0"), "external": Decimal("0")})
        row["hours"] += hours
        row["external"] += hours if external else 0
    counts = dict(Instrument.objects.values("owner").annotate(n=Count("pk")).values_list("owner", "n"))
    from kechuang.accounts.models import Organization

    names = dict(Organization.objects.filter(pk__in=counts).values_list("pk", "name"))
    return sorted(({"organization": names[pk], "instruments": counts[pk],
                    **per_owner.get(pk, {"hours": Decimal("0"), "external": Decimal("0")})} for pk in counts),
                  key=lambda row: (-row["hours"], row["organization"]))


def average_rating(instrument):
    return instrument.ratings.aggregate(average=Avg("score"), count=Count("pk"))

