import pytest
from django.utils import translation

from kechuang.core.models import AuditEvent, District, IndustryChain, IndustryClass, ReadinessLevel, TechField


def test_reference_data_is_loaded_by_migrations(db):
    assert TechField.objects.filter(parent=None).count() == 8
    assert TechField.objects.exclude(parent=None).count() == 52
    assert TechField.objects.get(code="F4.01").name == "金属材料"
    assert IndustryClass.objects.filter(parent=None).count() == 20
    assert IndustryClass.objects.exclude(parent=None).count() == 97
    assert IndustryClass.objects.get(code="39").parent.code == "C"
    assert list(ReadinessLevel.objects.values_list("level", flat=True)) == list(range(1, 10))
    assert list(IndustryChain.objects.values_list("name", flat=True)) == [
        "粮食种质资源", "人工智能", "先进功能材料", "超硬材料", "高端装备制造", "新能源", "绿色低碳", "生命健康",
        "无人机", "人形机器人"]
    assert District.objects.count() == 8


def test_bureau_admin_edits_with_an_audit_event(world, client_for):
    district = District.objects.get(code="D01")
    response = client_for("bureau_admin").post(f"/reference/districts/{district.pk}/", {
        "code": "D01", "name": "中原区", "name_en": "Zhongyuan District", "sort_order": 0, "is_active": "on"})
    assert response.status_code == 302
    assert District.objects.get(pk=district.pk).name == "中原区"
    event = AuditEvent.objects.get(action="reference.changed")
    assert event.changes == {"name": "中原区", "name_en": "Zhongyuan District"}


def test_invalid_reference_data_is_refused(world, client_for):
    response = client_for("bureau_admin").post("/reference/readiness-levels/new/", {
        "level": 10, "name": "超出", "description": "x"})
    assert response.status_code == 200
    assert ReadinessLevel.objects.count() == 9


def test_officer_cannot_edit(world, client_for):
    district = District.objects.get(code="D01")
    response = client_for("bureau_officer").post(f"/reference/districts/{district.pk}/", {"code": "D01", "name": "改"})
    assert response.status_code == 403
    assert District.objects.get(pk=district.pk).name == "东城区"


@pytest.mark.parametrize("model", [District, IndustryChain, TechField, IndustryClass, ReadinessLevel])
def test_every_reference_row_the_platform_ships_has_an_english_name(db, model):
    missing = list(model.objects.filter(name_en="").values_list("name", flat=True))
    assert missing == [] and model.objects.exists()


def test_a_reference_row_is_named_in_the_page_language(db):
    field = TechField.objects.get(code="F4.01")
    level = ReadinessLevel.objects.get(level=3)
    with translation.override("en"):
        assert (str(field), field.label, str(level)) == ("Metallic materials", "Metallic materials",
                                                          "TRL 3 · Proof of concept")
        assert level.description_label.startswith("Key functions and characteristics are verified")
    with translation.override("zh-hans"):
        assert (str(field), field.label, str(level)) == ("金属材料", "金属材料", "3 级 · 原理验证")
    field.name_en = ""
    with translation.override("en"):
        assert field.label == "金属材料"    # an admin-added row without an English name

