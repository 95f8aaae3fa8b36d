"""The asking price and the funded projects' numbers through every way in: the edit form, the API,
the sheet import and the portal's filters. One clean (clean_achievement, clean_funded_project)
decides, so each way refuses the same value with the same message and writes nothing."""

import json
from decimal import Decimal

import pytest

from kechuang.achievements.choices import AchievementStatus
from kechuang.achievements.importers import import_achievements
from kechuang.achievements.models import Achievement, FundedProject
from kechuang.achievements.services import achievements_bulk_create, clean_achievement
from kechuang.achievements.tests.factories import make_achievement
from kechuang.achievements.tests.test_import import good_row, sheet, upload

NOT_FINITE = "请输入有限的数值：NaN、Infinity 不是有效数字。"
TOO_HIGH = "请输入不超过 1,000,000 万元 的数值。"
BAD_PRICES = [("NaN", NOT_FINITE), ("sNaN", NOT_FINITE), ("Infinity", NOT_FINITE), ("1E+999999999", TOO_HIGH),
              ("1e30", TOO_HIGH), ("1000000.01", TOO_HIGH), ("-1", "请输入不小于 0 万元 的数值。"),
              ("0.001", "最多保留 2 位小数。")]
PRICE = "转化价格（万元）"


@pytest.mark.parametrize(("cell", "message"), [*BAD_PRICES, (1e30, TOO_HIGH)])
def test_an_import_cell_out_of_range_is_reported_and_nothing_is_written(world, cell, message):
    rows = [good_row(world), good_row(world, "坏价格", **{PRICE: cell})]
    result = import_achievements(uploaded=upload(sheet(rows)), by=world.users.bureau_officer, dry_run=False)
    assert [(e.row, e.column, e.message) for e in result.errors] == [(3, PRICE, message)]
    assert result.created == 0 and not Achievement.objects.exists()


def test_an_import_takes_the_bounds(world):
    rows = [good_row(world, "最高价", **{PRICE: 1000000}), good_row(world, "零价", **{PRICE: "0"})]
    result = import_achievements(uploaded=upload(sheet(rows)), by=world.users.bureau_officer, dry_run=False)
    assert (result.created, result.errors) == (2, [])
    assert sorted(Achievement.objects.values_list("price", flat=True)) == [Decimal("0"), Decimal("1000000")]


def test_the_import_reports_the_services_own_rules_by_column(world):
    """The phone, the patent check digit and the price-or-negotiable rule come from
    clean_achievement, named by the sheet's column."""
    rows = [good_row(world, **{"联系电话": "12345", "专利号": "ZL201710601862.4", "价格面议": "否", PRICE: None})]
    result = import_achievements(uploaded=upload(sheet(rows)), by=world.users.bureau_officer, dry_run=True)
    assert {(e.column, e.message) for e in result.errors} == {
        ("联系电话", "请输入 11 位中国大陆手机号。"), ("专利号", "专利号 ZL201710601862.4 的校验位错误。"),
        (PRICE, "请填写转化价格，或勾选价格面议。")}


@pytest.mark.parametrize(("value", "message"), BAD_PRICES)
def test_an_api_price_out_of_range_is_a_422_and_writes_nothing(world, client_for, value, message):
    response = client_for("institute_user").post("/api/v1/achievements", {
        "name": "接口成果", "summary": "简介", "price": value, "price_negotiable": False},
        content_type="application/json")
    assert response.status_code == 422
    assert [item["msg"] for item in response.json()["detail"]] == [message]
    assert not Achievement.objects.exists()


def test_a_json_nan_literal_is_refused_too(world, client_for):
    body = '{"name": "接口成果", "summary": "简介", "price": NaN, "price_negotiable": false}'
    response = client_for("institute_user").post("/api/v1/achievements", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["msg"] == NOT_FINITE
    body = json.dumps({"name": "接口成果", "summary": "简介", "price": 1e308 * 10})  # Infinity
    assert client_for("institute_user").post("/api/v1/achievements", body,
                                             content_type="application/json").status_code == 422
    assert not Achievement.objects.exists()


def test_the_api_takes_the_ceiling(world, client_for):
    response = client_for("institute_user").post("/api/v1/achievements", {
        "name": "接口成果", "summary": "简介", "price": "1000000.00", "price_negotiable": False},
        content_type="application/json")
    assert response.status_code == 201 and Achievement.objects.get().price == Decimal("1000000")


@pytest.mark.parametrize(("value", "message"), BAD_PRICES)
def test_the_edit_form_refuses_with_the_same_message(world, client_for, value, message):
    response = client_for("institute_user").post("/achievements/new/", {
        "name": "表单成果", "summary": "简介", "form": "other", "price": value})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Achievement.objects.exists()


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity", "1E+999999999", "1e30", "-5", "abc"])
def test_a_bad_price_filter_is_left_out_with_a_warning(world, client_for, value):
    make_achievement(world, name="有价成果", price_negotiable=False, price=Decimal("80"),
                     status=AchievementStatus.PUBLISHED)
    for parameter in ("price_min", "price_max"):
        response = client_for("public").get("/achievements/", {parameter: value})
        html = response.content.decode()
        assert response.status_code == 200 and "有价成果" in html
        assert f"筛选条件“{value}”已忽略" in html
        api = client_for("public").get("/api/v1/achievements", {parameter: value})
        assert api.status_code == 422 and list(api.json()["detail"]) == [parameter]


def test_a_good_price_filter_still_filters(world, client_for):
    make_achievement(world, name="有价成果", price_negotiable=False, price=Decimal("80"),
                     status=AchievementStatus.PUBLISHED)
    assert "有价成果" not in client_for("public").get("/achievements/", {"price_min": "80.01"}).content.decode()
    assert client_for("public").get("/api/v1/achievements", {"price_max": "80"}).json()["count"] == 1


@pytest.mark.parametrize("value", ["²", "99999999999999999999999", "0", "10"])
def test_a_readiness_filter_that_is_no_level_is_ignored(world, client_for, value):
    make_achievement(world, name="某成果", status=AchievementStatus.PUBLISHED)
    response = client_for("public").get("/achievements/", {"readiness": value})
    assert response.status_code == 200 and "某成果" in response.content.decode()


def test_the_bulk_service_refuses_records_that_skipped_the_clean(world):
    def record(name):
        return Achievement(name=name, summary="简介", owner=world.orgs.institute, price_negotiable=True)

    with pytest.raises(ValueError, match="clean_achievement"):
        achievements_bulk_create(by=None, records=[(record("未检查"), [])], source_label="test")
    changed = record("检查后改过")
    clean_achievement(changed, [])
    changed.price = Decimal("1e30")
    with pytest.raises(ValueError, match="clean_achievement"):
        achievements_bulk_create(by=None, records=[(changed, [])], source_label="test")
    checked = record("检查过")
    clean_achievement(checked, [])
    assert achievements_bulk_create(by=None, records=[(checked, [])], source_label="test") == 1
    assert list(Achievement.objects.values_list("name", flat=True)) == ["检查过"]


def funded_sheet(rows):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["项目编号", "项目名称", "承担单位统一社会信用代码", "立项年度", "资助金额（万元）",
                            "验收日期"])
    for row in rows:
        workbook.active.append(row)
    import io

    buffer = io.BytesIO()
    workbook.save(buffer)
    return upload(buffer.getvalue())


def test_funded_projects_keep_their_years_amounts_and_dates_in_range(world):
    from kechuang.achievements.importers import import_funded_projects

    uscc = world.orgs.institute.uscc
    rows = [["P-1", "项目一", uscc, 1989, 10, None], ["P-2", "项目二", uscc, "1E+999999999", 10, None],
            ["P-3", "项目三", uscc, 2025, "NaN", None], ["P-4", "项目四", uscc, 2025, 1e30, "1900-01-01"],
            ["P-5", "项目五", uscc, 2025.5, 10, None]]
    result = import_funded_projects(uploaded=funded_sheet(rows), by=world.users.bureau_officer, dry_run=False)
    assert sorted((e.row, e.column, e.message) for e in result.errors) == [
        (2, "立项年度", "请输入不小于 1990 的数值。"), (3, "立项年度", "数值过大。"),
        (4, "资助金额（万元）", NOT_FINITE), (5, "资助金额（万元）", TOO_HIGH),
        (5, "验收日期", "日期不能早于 1950-01-01。"), (6, "立项年度", "请输入整数。")]
    assert not FundedProject.objects.exists()
    good = [["P-1", "项目一", uscc, 1990, 1000000, "2100-12-31"], ["P-2", "项目二", uscc, 2100, 0, None]]
    assert import_funded_projects(uploaded=funded_sheet(good), by=world.users.bureau_officer,
                                  dry_run=False).created == 2
