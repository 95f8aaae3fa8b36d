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
        "code": "D01", "name": "中原区", "sort_order": 0, "is_active": "on"})
    assert response.status_code == 302
    assert District.objects.get(pk=district.pk).name == "中原区"
    event = AuditEvent.objects.get(action="reference.changed")
    assert event.changes == {"name": "中原区"}


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
