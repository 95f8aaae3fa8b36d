"""Instruments over the API: the catalogue, bookings and testing orders, through the same
selectors, policies and services as the pages."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Router, Schema

from kechuang.accounts.authentication import OPTIONAL
from kechuang.core.schemas import ReasonIn
from kechuang.instruments import selectors, services
from kechuang.vouchers.selectors import voucher_get

router = Router(tags=["instruments"])


class InstrumentOut(Schema):
    id: int
    name: str
    model_number: str
    manufacturer: str
    category: str
    owner: str
    status: str
    price_unit: str
    internal_price: Decimal
    external_price: Decimal
    specifications: str


class BookingIn(Schema):
    starts_at: datetime
    ends_at: datetime
    purpose: str
    voucher_id: int | None = None


class OrderIn(Schema):
    samples: int
    description: str
    voucher_id: int | None = None


class ServiceOut(Schema):
    id: int
    instrument_id: int
    status: str
    effective_hours: Decimal | None
    cost: Decimal | None
    completed_on: date | None


class BookingOut(ServiceOut):
    starts_at: datetime
    ends_at: datetime


class CompleteIn(Schema):
    hours: Decimal
    cost: Decimal


def instrument_out(instrument) -> dict:
    return {"id": instrument.pk, "name": instrument.name, "model_number": instrument.model_number,
            "manufacturer": instrument.manufacturer, "category": instrument.category.name,
            "owner": instrument.owner.name, "status": instrument.status, "price_unit": instrument.price_unit,
            "internal_price": instrument.internal_price, "external_price": instrument.external_price,
            "specifications": instrument.specifications}


def service_out(service) -> dict:
    out = {"id": service.pk, "instrument_id": service.instrument_id, "status": service.status,
           "effective_hours": service.effective_hours, "cost": service.cost, "completed_on": service.completed_on}
    if hasattr(service, "starts_at"):
        out |= {"starts_at": service.starts_at, "ends_at": service.ends_at}
    return out


def _voucher(request, voucher_id):
    return voucher_get(request.user, voucher_id) if voucher_id else None


@router.get("/instruments", response=list[InstrumentOut], auth=OPTIONAL, url_name="instruments_catalogue")
def catalogue(request, q: str = "", category: str = "", page: str = "1"):
    """The public catalogue, searched in Chinese, 20 per page."""
    return [instrument_out(i) for i in selectors.instrument_search(request.user, q, category=category,
                                                                   page=page).page.object_list]


@router.get("/instruments/{int:pk}", response=InstrumentOut, auth=OPTIONAL, url_name="instruments_instrument")
def instrument(request, pk: int):
    return instrument_out(selectors.instrument_get(request.user, pk))


@router.post("/instruments/{int:pk}/bookings", response={201: BookingOut}, url_name="instruments_book")
def book(request, pk: int, payload: BookingIn):
    instrument = selectors.instrument_get(request.user, pk)
    booking = services.booking_request(by=request.user, instrument=instrument, starts_at=payload.starts_at,
                                       ends_at=payload.ends_at, purpose=payload.purpose,
                                       voucher=_voucher(request, payload.voucher_id))
    return 201, service_out(booking)


@router.post("/instruments/{int:pk}/orders", response={201: ServiceOut}, url_name="instruments_order")
def order(request, pk: int, payload: OrderIn):
    instrument = selectors.instrument_get(request.user, pk)
    made = services.order_request(by=request.user, instrument=instrument, samples=payload.samples,
                                  description=payload.description, voucher=_voucher(request, payload.voucher_id))
    return 201, service_out(made)


@router.get("/instruments/bookings", response=list[BookingOut], url_name="instruments_bookings")
def bookings(request):
    """The signed-in user's bookings; for a provider also those on the organisation's instruments."""
    return [service_out(b) for b in selectors.booking_list(request.user)[:200]]


@router.post("/instruments/bookings/{int:pk}/confirm", response=BookingOut, url_name="instruments_confirm")
def confirm(request, pk: int):
    return service_out(services.booking_answer(by=request.user, booking=selectors.booking_get(request.user, pk),
                                               confirm=True))


@router.post("/instruments/bookings/{int:pk}/decline", response=BookingOut, url_name="instruments_decline")
def decline(request, pk: int, payload: ReasonIn):
    return service_out(services.booking_answer(by=request.user, booking=selectors.booking_get(request.user, pk),
                                               confirm=False, reason=payload.reason))


@router.post("/instruments/bookings/{int:pk}/complete", response=BookingOut, url_name="instruments_complete")
def complete(request, pk: int, payload: CompleteIn):
    booking = selectors.booking_get(request.user, pk)
    return service_out(services.booking_complete(by=request.user, booking=booking, hours=payload.hours,
                                                 cost=payload.cost))
