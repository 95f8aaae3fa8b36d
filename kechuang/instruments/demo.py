"""Demo instruments and vouchers: five instruments of the demo testing institute, this year's
voucher scheme with the demo enterprise's voucher, three voucher-paid bookings held last week and
completed, one settlement paid by the finance officer and one awaiting the finance officer's
review, an upcoming booking and a testing order."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from kechuang.accounts.models import User
from kechuang.instruments import services
from kechuang.instruments.models import Booking, Instrument, InstrumentCategory
from kechuang.vouchers import services as voucher_services

DEMO = "demo.kechuang.cn"
INSTRUMENTS = [  # name, model, manufacturer, category code, value (10,000 yuan), specifications, internal, external
    ("高分辨液相色谱-质谱联用仪", "Q Exactive Plus", "赛默飞世尔", "0101", "420", "分辨率140000；质量范围50-6000 m/z",
     "400", "800"),
    ("场发射扫描电子显微镜", "SU8220", "日立", "0105", "360", "二次电子分辨率0.8 nm；加速电压0.5-30 kV", "300", "600"),
    ("X射线衍射仪", "D8 Advance", "布鲁克", "0106", "280", "测角仪半径≥250 mm；2θ范围-110°至168°", "200", "450"),
    ("同步热分析仪", "STA 449 F5", "耐驰", "0107", "95", "温度范围室温至1600 ℃；天平分辨率0.1 μg", "150", "300"),
    ("电化学工作站", "VMP-300", "Bio-Logic", "02", "60", "电流范围10 nA-800 mA；阻抗0.1 mHz-7 MHz", "80", "160"),
]


def _user(name):
    return User.objects.filter(email=f"{name}@{DEMO}").first()


def _held_last_week(booking, *, days_ago: int):
    """The demo city's history: a booking is requested for a future slot (as the service
    demands), then moved to a slot of last week, requested two days before it, so that it can be
    completed today like a real one (and is not flagged as completed on the day it was booked)."""
    held = (timezone.now() - timedelta(days=days_ago)).replace(hour=9, minute=0, second=0, microsecond=0)
    Booking.objects.filter(pk=booking.pk).update(created_at=held - timedelta(days=2), starts_at=held,
                                                 ends_at=held + (booking.ends_at - booking.starts_at))
    booking.refresh_from_db()


def seed(log=print) -> int:
    if Instrument.objects.exists():
        log("demo instruments: already loaded")
        return 0
    provider, officer, finance, enterprise = (_user(name) for name in ("provider", "officer", "finance",
                                                                         "enterprise"))
    if None in (provider, officer, finance, enterprise):
        return 0
    instruments = []
    for name, model, maker, code, value, specs, internal, external in INSTRUMENTS:
        instruments.append(services.instrument_save(by=provider, data={
            "name": name, "model_number": model, "manufacturer": maker,
            "category": InstrumentCategory.objects.get(code=code), "original_value": Decimal(value),
            "purchased_on": date(2021, 6, 1), "lab": "分析测试中心", "location": "示范市科学大道8号检测楼",
            "specifications": specs, "sample_requirements": "样品需提前预约并提供成分说明。",
            "internal_price": Decimal(internal), "external_price": Decimal(external), "contact_name": "吴老师",
            "contact_phone": "13800000009"}))
    today = timezone.localdate()
    scheme = voucher_services.scheme_create(by=officer, data={
        "name": f"{today.year}年度示范市科技创新券", "year": today.year, "total_budget": Decimal("5000000"),
        "per_enterprise_cap": Decimal("200000"), "share": Decimal("0.5"), "valid_from": date(today.year, 1, 1),
        "valid_until": date(today.year, 12, 31)})
    voucher = voucher_services.voucher_apply(by=enterprise, scheme=scheme, amount=Decimal("50000"),
                                             purpose="委托检测电池材料、购买分析测试服务。")
    voucher = voucher_services.voucher_issue(by=officer, voucher=voucher, amount=Decimal("40000"))
    start = (timezone.now() + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    for number, (instrument, hours) in enumerate(zip(instruments[:3], (Decimal("4"), Decimal("3"), Decimal("6")),
                                                     strict=True)):
        booking = services.booking_request(by=enterprise, instrument=instrument,
                                           starts_at=start + timedelta(days=number), purpose="正极材料表征",
                                           ends_at=start + timedelta(days=number, hours=int(hours)), voucher=voucher)
        services.booking_answer(by=provider, booking=booking, confirm=True)
        _held_last_week(booking, days_ago=7 - number)
        services.booking_complete(by=provider, booking=booking, hours=hours, cost=hours * instrument.external_price)
        if number == 1:
            settlement = voucher_services.settlement_request(by=provider, provider=provider.organization)
            voucher_services.settlement_pay(by=finance, settlement=settlement)
    voucher_services.settlement_request(by=provider, provider=provider.organization)
    upcoming = services.booking_request(by=enterprise, instrument=instruments[3], purpose="热稳定性测试",
                                        starts_at=start + timedelta(days=7), ends_at=start + timedelta(days=7, hours=3))
    services.booking_answer(by=provider, booking=upcoming, confirm=True)
    services.order_request(by=enterprise, instrument=instruments[4], samples=6, voucher=voucher,
                           description="扣式电池循环伏安与阻抗谱测试")
    log("demo instruments: 5 instruments, a voucher scheme, 3 voucher-paid services, one settlement paid and one "
        "awaiting review")
    return len(instruments)
