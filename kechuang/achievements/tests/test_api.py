from django.core.files.uploadedfile import SimpleUploadedFile

from kechuang.achievements.choices import AchievementStatus
from kechuang.achievements.models import Achievement
from kechuang.achievements.tests.factories import make_achievement
from kechuang.achievements.tests.test_import import good_row, sheet


def test_search_uses_the_same_query_and_facets_as_the_portal(world, client_for):
    make_achievement(world, name="固态电池电解质", status=AchievementStatus.PUBLISHED, readiness=None)
    make_achievement(world, name="水稻育种", summary="耐盐碱品种。", keywords="水稻",
                     status=AchievementStatus.PUBLISHED)
    make_achievement(world, name="电池草稿")
    body = client_for("public").get("/api/v1/achievements", {"query": "电池"}).json()
    assert [item["name"] for item in body["items"]] == ["固态电池电解质"]
    assert body["items"][0]["contact_phone"] == "139****5678"
    assert {code: count for code, _name, count in body["facets"]["form"]}["invention_patent"] == 1


def test_lifecycle_through_the_api(world, client_for):
    created = client_for("institute_user").post("/api/v1/achievements", {
        "name": "接口成果", "summary": "简介", "form": "product", "patent_numbers": ["ZL201710601862.3"],
        "transfer_modes": ["licence"], "readiness": 6, "tech_field": "F4.01"}, content_type="application/json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert client_for("institute_user").post(f"/api/v1/achievements/{pk}/actions/submit").json()["status"] == \
        "submitted"
    published = client_for("bureau_officer").post(f"/api/v1/achievements/{pk}/actions/publish")
    assert published.json()["status"] == "published"
    record = Achievement.objects.get(pk=pk)
    assert (record.facet_field, record.facet_trl) == ("F4", 6)


def test_invalid_payloads_get_chinese_errors_and_write_nothing(world, client_for):
    response = client_for("institute_user").post("/api/v1/achievements", {
        "name": "坏成果", "summary": "简介", "patent_numbers": ["ZL201710601862.4"]}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"]["patent_numbers"] == ["专利号 ZL201710601862.4 的校验位错误。"]
    assert not Achievement.objects.exists()


def test_import_through_the_api(world, client_for):
    data = sheet([good_row(world)])
    client = client_for("bureau_officer")
    dry = client.post("/api/v1/achievements/import", {"file": SimpleUploadedFile("a.xlsx", data), "dry_run": "true"})
    assert dry.json() == {"rows": 1, "created": 0, "errors": []}
    done = client.post("/api/v1/achievements/import", {"file": SimpleUploadedFile("a.xlsx", data), "dry_run": "false"})
    assert done.json()["created"] == 1 and Achievement.objects.count() == 1
