"""The early-warning catalogue and the purchase duplication review."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from kechuang.instruments import selectors, services
from kechuang.instruments.models import Booking, PurchaseApplication
from kechuang.instruments.tests.factories import category, make_instrument


def used(instrument, world, hours, year):
    """A completed booking of `hours` effective hours in `year`."""
    start = timezone.now() + timedelta(days=30)
    Booking.objects.create(instrument=instrument, requester=world.users.org_admin, organization=world.orgs.enterprise,
                           starts_at=start, ends_at=start + timedelta(hours=1), purpose="使用", status="completed",
                           effective_hours=hours, cost=0, completed_on=date(year, 6, 1))


@pytest.fixture
def city(world):
    """Three little-used mass spectrometers and one busy electron microscope, used last year."""
    last_year = timezone.localdate().year - 1
    spectrometers = [make_instrument(world, name=f"液相色谱质谱联用仪{n}", specifications="分辨率70000 质量范围50-2000")
                     for n in range(3)]
    for instrument, hours in zip(spectrometers, (300, 800, 1500), strict=True):
        used(instrument, world, Decimal(hours), last_year)
    microscope = make_instrument(world, name="场发射扫描电镜", category=category("0105", "电子光学仪器"))
    used(microscope, world, Decimal("2000"), last_year)
    return spectrometers


def test_the_catalogue_lists_crowded_little_used_categories(world, city):
    catalogue = services.catalogue_build(by=world.users.bureau_officer, year=timezone.localdate().year)
    [entry] = catalogue.entries.all()
    assert entry.category.code == "0101"
    assert (entry.instruments, entry.low_use, entry.average_hours) == (3, 2, Decimal("866.7"))
    with pytest.raises(PermissionDenied):
        services.catalogue_build(by=world.users.provider, year=2030)


def test_a_purchase_lists_the_similar_instruments_and_is_flagged(world, city):
    services.catalogue_build(by=world.users.bureau_officer, year=timezone.localdate().year)
    data = {"name": "超高分辨液相色谱质谱联用仪", "category": category(),
            "specifications": "分辨率140000 质量范围50-6000", "value": Decimal("450"),
            "justification": "现有仪器分辨率不足"}
    application = services.purchase_apply(by=world.users.org_admin, data=data)
    assert application.flagged
    assert [row["name"] for row in application.similar[:3]] == sorted(
        f"液相色谱质谱联用仪{n}" for n in range(3))
    assert application.similar[0]["hours"] == "300.00"
    with pytest.raises(ValidationError):
        services.purchase_apply(by=world.users.org_admin, data=data | {"value": Decimal("150")})
    assert PurchaseApplication.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services.purchase_apply(by=world.users.enterprise_user, data=data)   # a plain member


def test_review_decision_and_money_saved(world, city):
    application = services.purchase_apply(by=world.users.org_admin, data={
        "name": "质谱仪", "category": category(), "specifications": "分辨率70000", "value": Decimal("300"),
        "justification": "需要专用设备"})
    with pytest.raises(PermissionDenied):
        services.purchase_review(by=world.users.institute_user, application=application, opinion="oppose",
                                 comment="可以使用共享仪器完成。")
    services.purchase_review(by=world.users.expert, application=application, opinion="oppose",
                             comment="市内同类仪器使用率低，建议共享。")
    services.purchase_decide(by=world.users.bureau_officer, application=application, approve=False,
                             note="使用共享仪器")
    assert selectors.purchase_savings() == {"applications": 1, "not_approved": 1, "saved": Decimal("300.00")}


def test_the_catalogue_page_and_pdf(client_for, world, city):
    from pypdf import PdfReader

    client = client_for("bureau_officer")
    client.post(reverse("instruments:warning"), {"year": timezone.localdate().year, "threshold_hours": 1200,
                                                 "min_instruments": 3})
    page = client_for("public").get(reverse("instruments:warning")).content.decode()
    assert "质谱仪器" in page and "866.7" in page
    pdf = client_for("public").get(reverse("instruments:warning"), {"format": "pdf"})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).replace("\n", "")
    assert "预警目录" in text and "质谱仪器" in text
