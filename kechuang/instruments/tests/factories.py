from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from kechuang.instruments import services
from kechuang.instruments.models import Booking, InstrumentCategory


def category(code="0101", name="质谱仪器"):
    parent, _created = InstrumentCategory.objects.get_or_create(code="01", defaults={"name": "分析仪器"})
    child, _created = InstrumentCategory.objects.get_or_create(code=code, defaults={"name": name, "parent": parent})
    return child


def make_instrument(world, **data):
    """An instrument of the institute, registered by the world's instrument provider."""
    values = {"name": "高分辨液相色谱质谱联用仪", "model_number": "Q-Exactive", "manufacturer": "赛默飞",
              "category": category(), "original_value": Decimal("450"),
              "specifications": "分辨率140000，质量范围50-6000",
              "internal_price": Decimal("300"), "external_price": Decimal("600"), "lab": "分析测试中心"} | data
    return services.instrument_save(by=world.users.provider, data=values)


def slot_begun(booking, *, ago=timedelta(minutes=30)):
    """Time passes: the booking's slot began `ago` (no service books the past, and a booking is
    completed only once its slot has begun). Keeps the slot's length."""
    length = booking.ends_at - booking.starts_at
    start = timezone.now().replace(microsecond=0) - ago
    Booking.objects.filter(pk=booking.pk).update(starts_at=start, ends_at=start + length)
    booking.refresh_from_db()
    return booking
