"""Reads of instruments: the catalogue, bookings and orders, utilisation."""

from collections import Counter
from decimal import Decimal

from django.db.models import Avg, Count, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.translation import gettext as _

from kechuang.core.search import all_matches, search_page
from kechuang.core.selectors import gate
from kechuang.instruments import policies
from kechuang.instruments.choices import HOLDING, BookingStatus, OrderStatus
from kechuang.instruments.models import INSTRUMENT_INDEX, Booking, Instrument, InstrumentCategory, ServiceOrder
from kechuang.vouchers.selectors import OrderInfo


def _filtered(user, *, category: str = "", district: str = "", status: str = ""):
    instruments = policies.instruments_visible_to(user)
    if category:
        instruments = instruments.filter(Q(category__code=category) | Q(category__parent__code=category))
    if district:
        instruments = instruments.filter(owner__district__code=district)
    if status:
        instruments = instruments.filter(status=status)
    return instruments


FACET_COLUMNS = ("category__parent__code", "category__code", "status")


def instrument_search(user, query: str = "", *, category: str = "", district: str = "", status: str = "",
                      page: str = "1"):
    return search_page(_filtered(user, category=category, district=district, status=status), INSTRUMENT_INDEX,
                       query, page_number=page, related=("category", "owner__district"))


def catalogue_facets(user, query: str = "", *, district: str = "") -> dict[str, Counter]:
    """How many instruments matching the query fall in each top-level category and each status,
    before the category and status filters (so every choice shows what it would give)."""
    rows = all_matches(_filtered(user, district=district), INSTRUMENT_INDEX, query).values_list(*FACET_COLUMNS)
    rows = list(rows.order_by())
    return {"category": Counter(parent or code for parent, code, _status in rows),
            "status": Counter(status for _parent, _code, status in rows)}


def instrument_matches(user, params) -> object:
    """Every instrument the catalogue search would list (for the Excel export)."""
    filtered = _filtered(user, category=params.get("category", ""), status=params.get("status", ""))
    return all_matches(filtered, INSTRUMENT_INDEX, params.get("q", ""))


def instrument_for(user, pk, *, may=None) -> Instrument:
    return gate(user, policies.instruments_visible_to(user).select_related("category__parent", "owner__district"),
                may=may, pk=pk)


def categories():
    return InstrumentCategory.objects.select_related("parent")


def upcoming_slots(instrument, since):
    """The instrument's calendar: bookings that hold a slot from `since` on."""
    return instrument.bookings.filter(status__in=HOLDING, ends_at__gte=since).order_by("starts_at")


def overlapping(instrument, starts_at, ends_at):
    return Booking.objects.filter(instrument=instrument, status__in=HOLDING, starts_at__lt=ends_at,
                                  ends_at__gt=starts_at)


def my_bookings(user):
    return policies.bookings_visible_to(user).filter(requester=user).select_related("instrument__owner", "rating")


def my_orders(user):
    return policies.orders_visible_to(user).filter(requester=user).select_related("instrument__owner", "rating")


def provider_queue(user):
    """The provider's organisation's bookings and orders that need an answer or a completion."""
    if not policies.is_provider(user):
        return Booking.objects.none(), ServiceOrder.objects.none()
    owner = user.organization
    return (Booking.objects.filter(instrument__owner=owner, status__in=HOLDING).select_related(
        "instrument", "organization", "voucher"),
            ServiceOrder.objects.filter(instrument__owner=owner, status__in=[
                OrderStatus.REQUESTED, OrderStatus.ACCEPTED]).select_related("instrument", "organization"))


def booking_for(user, pk, *, may=None) -> Booking:
    return gate(user, policies.bookings_visible_to(user).select_related("instrument__owner", "organization",
                                                                        "voucher"), may=may, pk=pk)


def order_for(user, pk, *, may=None) -> ServiceOrder:
    return gate(user, policies.orders_visible_to(user).select_related("instrument__owner", "organization",
                                                                      "voucher"), may=may, pk=pk)


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



# -- purchase early warning ------------------------------------------------------------------------

SIMILAR_LIMIT = 10


def catalogue_rows(year: int, threshold_hours: int, min_instruments: int) -> list[dict]:
    """Categories with at least `min_instruments` instruments in use whose average effective hours
    in `year` are below `threshold_hours`."""
    hours = {row["instrument"].pk: row["hours"] for row in utilisation(year)}
    by_category: dict[int, list] = {}
    for instrument in Instrument.objects.exclude(status="retired").select_related("category"):
        by_category.setdefault(instrument.category_id, []).append(hours.get(instrument.pk, Decimal("0")))
    rows = []
    for category in InstrumentCategory.objects.filter(pk__in=by_category).order_by("code"):
        values = by_category[category.pk]
        average = sum(values, Decimal("0")) / len(values)
        if len(values) >= min_instruments and average < threshold_hours:
            rows.append({"category": category, "instruments": len(values),
                         "low_use": sum(value < threshold_hours for value in values),
                         "average_hours": average.quantize(Decimal("0.1"))})
    return rows


def latest_catalogue():
    from kechuang.instruments.models import WarningCatalogue

    return WarningCatalogue.objects.prefetch_related("entries__category").first()


def similar_instruments(category, specifications: str, name: str = "", *, year: int) -> list[dict]:
    """Instruments of the same category (or its parent's), ranked by the overlap of their name and
    specifications with the request's (the matching engine's tokeniser: rjieba words), with their
    effective hours in `year`."""
    from kechuang.core.search import tokenize

    family = Q(category=category)
    if category.parent_id:
        family |= Q(category=category.parent) | Q(category__parent=category.parent)
    else:
        family |= Q(category__parent=category)
    wanted = set(tokenize(f"{name} {specifications}"))
    hours = {row["instrument"].pk: row["hours"] for row in utilisation(year)}
    scored = []
    for instrument in Instrument.objects.filter(family).exclude(status="retired").select_related("owner"):
        words = set(tokenize(f"{instrument.name} {instrument.specifications} {instrument.model_number}"))
        overlap = len(wanted & words) / len(wanted) if wanted else 0.0
        same = 1.0 if instrument.category_id == category.pk else 0.5
        scored.append({"id": instrument.pk, "name": instrument.name, "owner": instrument.owner.name,
                       "score": round(0.5 * same + 0.5 * overlap, 3), "hours": str(hours.get(instrument.pk, 0))})
    scored.sort(key=lambda row: (-row["score"], row["id"]))
    return scored[:SIMILAR_LIMIT]


def purchase_list(user):
    return policies.purchases_visible_to(user).select_related("organization", "category")


def purchase_for(user, pk, *, may=None):
    return gate(user, purchase_list(user), may=may, pk=pk)


def purchase_savings() -> dict:
    """Money saved: the estimated prices of purchases not approved (the shared instruments serve)."""
    from django.db.models import Sum

    from kechuang.instruments.models import PurchaseApplication

    rows = PurchaseApplication.objects.values("status").annotate(n=Count("pk"), total=Sum("value"))
    by_status = {row["status"]: row for row in rows}
    rejected = by_status.get("rejected", {"n": 0, "total": None})
    return {"applications": sum(row["n"] for row in rows), "not_approved": rejected["n"],
            "saved": rejected["total"] or Decimal("0")}


def booking_list(user):
    return policies.bookings_visible_to(user).select_related("instrument").order_by("-starts_at", "-pk")


def _described(rows, label: str) -> dict[int, OrderInfo]:
    return {row.pk: OrderInfo(label=label % {"n": row.pk}, subject=row.instrument.name,
                              url=reverse("instruments:detail", args=[row.instrument_id]), hours=row.effective_hours)
            for row in rows}


def describe_bookings(pks: list[int]) -> dict[int, OrderInfo]:
    """The voucher-paid bookings of a settlement, for the vouchers app (registered at start-up)."""
    return _described(Booking.objects.filter(pk__in=pks).select_related("instrument"),
                      _("Instrument booking #%(n)d"))


def describe_orders(pks: list[int]) -> dict[int, OrderInfo]:
    return _described(ServiceOrder.objects.filter(pk__in=pks).select_related("instrument"),
                      _("Testing order #%(n)d"))
