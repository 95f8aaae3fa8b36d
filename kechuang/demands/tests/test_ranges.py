"""Budgets and deadlines through every way in: the edit form, the API, the sheet import and the
portal's filters, all held to clean_demand."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from kechuang.demands.choices import DemandStatus
from kechuang.demands.importers import import_demands
from kechuang.demands.models import Demand
from kechuang.demands.services import clean_demand, demands_bulk_publish
from kechuang.demands.tests.factories import make_demand

NOT_FINITE = "请输入有限的数值：NaN、Infinity 不是有效数字。"
TOO_HIGH = "请输入不超过 1,000,000 万元 的数值。"
BAD_BUDGETS = [("NaN", NOT_FINITE), ("sNaN", NOT_FINITE), ("-Infinity", NOT_FINITE),
               ("1E+999999999", TOO_HIGH), ("1e30", TOO_HIGH), ("-0.01", "请输入不小于 0 万元 的数值。"),
               ("12.345", "最多保留 2 位小数。")]
HEADERS = ["需求名称", "公开摘要", "需求企业统一社会信用代码", "预算下限（万元）", "预算上限（万元）", "截止日期",
           "联系电话"]


def sheet(world, *rows):
    workbook = Workbook()
    workbook.active.append(HEADERS)
    for overrides in rows:
        row = {"需求名称": "废水脱氮", "公开摘要": "需要低成本脱氮工艺",
               "需求企业统一社会信用代码": world.orgs.enterprise.uscc, "预算下限（万元）": 10, "预算上限（万元）": 50,
               "截止日期": None, "联系电话": "13612345678"} | overrides
        workbook.active.append([row[header] for header in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("需求.xlsx", buffer.getvalue())


def api_body(**values):
    return {"title": "废水脱氮技术", "public_summary": "需要低成本脱氮工艺"} | values


@pytest.mark.parametrize(("value", "message"), BAD_BUDGETS)
def test_a_budget_out_of_range_is_refused_by_the_api_the_form_and_the_import(world, client_for, value, message):
    for field in ("budget_min", "budget_max"):
        response = client_for("org_admin").post("/api/v1/demands", api_body(**{field: value}),
                                                content_type="application/json")
        assert response.status_code == 422 and [item["msg"] for item in response.json()["detail"]] == [message]
        page = client_for("org_admin").post("/demands/new/", api_body(**{field: value}))
        assert page.status_code == 200 and message in page.content.decode()
    result = import_demands(uploaded=sheet(world, {}, {"预算上限（万元）": value}), by=world.users.bureau_officer,
                            dry_run=False)
    assert [(e.row, e.column, e.message) for e in result.errors] == [(3, "预算上限（万元）", message)]
    assert not Demand.objects.exists()


def test_the_budget_bounds_are_accepted(world, client_for):
    response = client_for("org_admin").post("/api/v1/demands", api_body(budget_min="0", budget_max=1000000),
                                            content_type="application/json")
    assert response.status_code == 201
    assert Demand.objects.values_list("budget_min", "budget_max").get() == (Decimal("0"), Decimal("1000000"))


def test_an_upside_down_budget_is_one_rule_everywhere(world, client_for):
    response = client_for("org_admin").post("/api/v1/demands", api_body(budget_min=60, budget_max=50),
                                            content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == {"budget_max": ["预算上限低于预算下限。"]}
    result = import_demands(uploaded=sheet(world, {"预算下限（万元）": 60}), by=world.users.bureau_officer,
                            dry_run=True)
    assert [(e.column, e.message) for e in result.errors] == [("预算上限（万元）", "预算上限低于预算下限。")]


@pytest.mark.parametrize(("deadline", "message"), [
    (date(1900, 1, 1), "日期不能早于 1950-01-01。"), (date(2101, 1, 1), "日期不能晚于 2100-12-31。"),
    (date.today() - timedelta(days=1), "日期不能早于今天。")])
def test_a_deadline_in_the_past_or_out_of_the_window_is_refused(world, client_for, deadline, message):
    response = client_for("org_admin").post("/api/v1/demands", api_body(deadline=deadline.isoformat()),
                                            content_type="application/json")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert (detail if isinstance(detail, dict) else {"deadline": [item["msg"] for item in detail]}) == {
        "deadline": [message]}
    page = client_for("org_admin").post("/demands/new/", api_body(deadline=deadline.isoformat()))
    assert message in page.content.decode()
    result = import_demands(uploaded=sheet(world, {"截止日期": deadline.isoformat()}), by=world.users.bureau_officer,
                            dry_run=False)
    assert [(e.column, e.message) for e in result.errors] == [("截止日期", message)]
    assert not Demand.objects.exists()


def test_today_and_the_last_day_of_the_window_are_deadlines(world, client_for):
    for deadline in (date.today(), date(2100, 12, 31)):
        response = client_for("org_admin").post("/api/v1/demands", api_body(deadline=deadline.isoformat()),
                                                content_type="application/json")
        assert response.status_code == 201 and response.json()["deadline"] == deadline.isoformat()


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "1E+999999999", "-1"])
def test_a_bad_budget_filter_is_left_out_with_a_warning(world, client_for, value):
    make_demand(world, status=DemandStatus.PUBLISHED, budget_min=Decimal("10"), budget_max=Decimal("50"))
    for parameter in ("budget_min", "budget_max"):
        response = client_for("public").get("/demands/", {parameter: value})
        html = response.content.decode()
        assert response.status_code == 200 and "锂电池热失控预警技术需求" in html
        assert f"筛选条件“{value}”已忽略" in html
        api = client_for("public").get("/api/v1/demands", {parameter: value})
        assert api.status_code == 422 and list(api.json()["detail"]) == [parameter]


def test_the_bulk_service_refuses_demands_that_skipped_the_clean(world):
    unchecked = Demand(title="未检查", public_summary="摘要", owner=world.orgs.enterprise)
    with pytest.raises(ValueError, match="clean_demand"):
        demands_bulk_publish(by=None, demands=[unchecked], source_label="test")
    checked = Demand(title="检查过", public_summary="摘要", owner=world.orgs.enterprise)
    clean_demand(checked)
    checked.budget_max = Decimal("-1")
    with pytest.raises(ValueError, match="clean_demand"):
        demands_bulk_publish(by=None, demands=[checked], source_label="test")
    checked.budget_max = None
    assert demands_bulk_publish(by=None, demands=[checked], source_label="test") == 1
    assert Demand.objects.get().district == world.orgs.enterprise.district
