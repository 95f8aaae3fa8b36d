from datetime import timedelta

import pytest
from django.utils import timezone

from kechuang.core.testing import SIGNED_IN_PERSONAS, AccessCase, access_params, check_access
from kechuang.instruments import services
from kechuang.instruments.tests.factories import make_instrument, slot_begun


def instrument(world):
    return [make_instrument(world).pk]


def booking(world):
    start = timezone.now() + timedelta(days=3)
    made = services.booking_request(by=world.users.org_admin, instrument=make_instrument(world), starts_at=start,
                                    ends_at=start + timedelta(hours=2), purpose="检测")
    return ["booking", made.pk]


def purchase(world):
    from decimal import Decimal

    from kechuang.instruments.tests.factories import category

    return [services.purchase_apply(by=world.users.org_admin, data={
        "name": "质谱仪", "category": category(), "specifications": "分辨率70000", "value": Decimal("300"),
        "justification": "需要专用设备"}).pk]


def confirmed_booking(world):
    from kechuang.instruments.models import Booking

    pk = booking(world)[1]
    Booking.objects.filter(pk=pk).update(status="confirmed")
    slot_begun(Booking.objects.get(pk=pk))
    return [pk]


JSON = "application/json"
PROVIDER_ONLY = {"public": 302, "org_admin": 403, "bureau_officer": 403}

ACCESS_CASES = [
    AccessCase("instruments:catalogue", allowed={"public": 200, "provider": 200}, denied={}),
    AccessCase("instruments:detail", args=instrument, allowed={"public": 200, "org_admin": 200}, denied={}),
    AccessCase("instruments:new", allowed={"provider": 200}, denied=PROVIDER_ONLY),
    AccessCase("instruments:edit", args=instrument, allowed={"provider": 200}, denied=PROVIDER_ONLY),
    AccessCase("instruments:request", method="post", args=lambda w: [*instrument(w), "booking"],
               allowed={"org_admin": 302}, denied={"public": 302}),
    AccessCase("instruments:mine", allowed=dict.fromkeys(SIGNED_IN_PERSONAS, 200), denied={"public": 302}),
    AccessCase("instruments:queue", allowed={"provider": 200}, denied=PROVIDER_ONLY),
    AccessCase("instruments:utilisation", allowed={"provider": 200, "bureau_officer": 200},
               denied={"public": 302, "org_admin": 403, "finance_officer": 403}),
    # the booking is the enterprise's on the institute's instrument: others get a 404
    AccessCase("instruments:warning", allowed={"public": 200, "bureau_officer": 200}, denied={}),
    AccessCase("instruments:warning", method="post", data=lambda w: {"year": 2027, "threshold_hours": 1200,
                                                                    "min_instruments": 3},
               allowed={"bureau_officer": 302}, denied={"public": 403, "provider": 403}),
    AccessCase("instruments:purchases", allowed={"org_admin": 200, "provider": 200}, denied={"public": 302}),
    AccessCase("instruments:purchase", args=purchase, allowed={"org_admin": 200, "expert": 200, "bureau_officer": 200},
               denied={"public": 302, "institute_user": 404, "broker": 404}),
    AccessCase("api:instruments_catalogue", allowed={"public": 200}, denied={}),
    AccessCase("api:instruments_instrument", args=instrument, allowed={"public": 200}, denied={}),
    AccessCase("api:instruments_book", method="post", args=instrument, content_type=JSON, data=lambda w: {
        "starts_at": (timezone.now() + timedelta(days=5)).isoformat(),
        "ends_at": (timezone.now() + timedelta(days=5, hours=2)).isoformat(), "purpose": "接口预约"},
               allowed={"org_admin": 201}, denied={"public": 401}),
    AccessCase("api:instruments_order", method="post", args=instrument, content_type=JSON,
               data=lambda w: {"samples": 3, "description": "成分分析"}, allowed={"org_admin": 201},
               denied={"public": 401}),
    AccessCase("api:instruments_bookings", allowed={"org_admin": 200, "provider": 200}, denied={"public": 401}),
    AccessCase("api:instruments_confirm", method="post", args=lambda w: booking(w)[1:], allowed={"provider": 200},
               denied={"public": 401, "org_admin": 403, "broker": 404}),
    AccessCase("api:instruments_decline", method="post", args=lambda w: booking(w)[1:], content_type=JSON,
               data=lambda w: {"reason": "维护"}, allowed={"provider": 200}, denied={"public": 401, "broker": 404}),
    AccessCase("api:instruments_complete", method="post", args=lambda w: booking(w)[1:], content_type=JSON,
               data=lambda w: {"hours": "1", "cost": "100"}, allowed={},
               denied={"public": 401, "org_admin": 403, "provider": 409, "broker": 404}),
    AccessCase("api:instruments_complete", method="post", args=confirmed_booking, content_type=JSON,
               data=lambda w: {"hours": "1", "cost": "100"}, allowed={"provider": 200},
               denied={"public": 401, "org_admin": 403}),
    AccessCase("instruments:service_action", method="post", args=lambda w: [*booking(w), "confirm"],
               allowed={"provider": 302}, denied={"public": 302, "broker": 404, "expert": 404}),
]


@pytest.mark.parametrize(("case", "persona", "status"), access_params(ACCESS_CASES))
def test_access(case, persona, status, world, client_for):
    check_access(client_for, world, case, persona, status)


def test_the_booking_page_flow(client_for, world):
    from django.urls import reverse

    from kechuang.instruments.models import Booking

    pk = make_instrument(world).pk
    start = (timezone.localtime() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    client = client_for("org_admin")
    data = {"starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "purpose": "电解液成分检测"}
    client.post(reverse("instruments:request", args=[pk, "booking"]), data)
    response = client_for("enterprise_user").post(reverse("instruments:request", args=[pk, "booking"]), data,
                                                  follow=True)
    assert "该时段与已有预约重叠" in response.content.decode() and Booking.objects.count() == 1
    provider = client_for("provider")
    booking = Booking.objects.get()
    provider.post(reverse("instruments:service_action", args=["booking", booking.pk, "confirm"]))
    slot_begun(booking)
    provider.post(reverse("instruments:service_action", args=["booking", booking.pk, "complete"]),
                  {"hours": "1.5", "cost": "900"})
    booking.refresh_from_db()
    assert (booking.status, booking.effective_hours, booking.cost) == ("completed", 1.5, 900)
