"""The bureau's form schemas and criteria: what is accepted, what is refused with which message."""

import pytest
from django.core.exceptions import ValidationError

from kechuang.programs import formspec
from kechuang.programs.tests.factories import CRITERIA, SCHEMA


def test_a_valid_schema_is_kept_with_defaults():
    cleaned = formspec.clean_form_schema(SCHEMA)
    assert [field["key"] for field in cleaned] == ["background", "budget", "stage", "months"]
    assert cleaned[1]["columns"] == ["科目", "金额（万元）"] and cleaned[1]["rows"] == 4
    assert cleaned[0]["required"] is True and cleaned[2]["required"] is False


@pytest.mark.parametrize(("schema", "message"), [
    ([{"key": "1bad", "label": "x", "type": "text"}], "键名只能由小写字母"),
    ([{"key": "a", "label": "x", "type": "text"}, {"key": "a", "label": "y", "type": "text"}], "重复"),
    ([{"key": "a", "label": "", "type": "text"}], "缺少标题"),
    ([{"key": "a", "label": "x", "type": "video"}], "未知类型"),
    ([{"key": "a", "label": "x", "type": "choice", "choices": ["only"]}], "选项至少需要两个"),
    ([{"key": "a", "label": "x", "type": "table", "columns": []}], "表格至少需要一列"),
    ("not a list", "必须是字段列表"),
])
def test_a_broken_schema_is_refused_with_the_reason(schema, message):
    with pytest.raises(ValidationError) as error:
        formspec.clean_form_schema(schema)
    assert any(message in text for text in error.value.messages)


def test_criteria_weights_must_add_up_to_100():
    assert formspec.clean_criteria(CRITERIA) == CRITERIA
    with pytest.raises(ValidationError) as error:
        formspec.clean_criteria([{"key": "a", "label": "甲", "weight": 60}, {"key": "b", "label": "乙", "weight": 30}])
    assert "合计必须为100（当前为 90）" in error.value.messages[0]
    with pytest.raises(ValidationError):
        formspec.clean_criteria([{"key": "a", "label": "甲", "weight": 0}, {"key": "b", "label": "乙", "weight": 100}])
    with pytest.raises(ValidationError):
        formspec.clean_criteria([])


@pytest.mark.parametrize(("field", "value", "problem"), [
    ({"type": "number"}, "12.5", None), ({"type": "number"}, "十二", "不是数字。"),
    ({"type": "number"}, "NaN", "不是数字。"),
    ({"type": "date"}, "2027-02-30", "不是有效日期（YYYY-MM-DD）。"), ({"type": "date"}, "2027-02-28", None),
    ({"type": "choice", "choices": ["甲", "乙"]}, "丙", "不在可选项中。"),
    ({"type": "table", "columns": ["a", "b"], "rows": 2}, [["1", "2"], ["3"]], "表格格式不正确。"),
    ({"type": "table", "columns": ["a"], "rows": 1}, [["1"], ["2"]], "最多 1 行。"),
    ({"type": "text"}, "长" * 201, "最多 200 个字。"),
])
def test_answers_are_checked_by_type(field, value, problem):
    assert formspec.check_answer(field, value) == problem


def test_missing_answers_names_the_required_fields():
    schema = formspec.clean_form_schema(SCHEMA)
    assert formspec.missing_answers(schema, {}) == ["立项依据：必填。"]
    assert formspec.missing_answers(schema, {"background": "依据", "months": "abc"}) == ["研究周期（月）：不是数字。"]
