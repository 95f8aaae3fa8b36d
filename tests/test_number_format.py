"""Amounts, hours and counts are grouped by thousands wherever a page or a document shows them:
every template passes them through the `number` filter (kechuang/core/templatetags/kechuang.py).

The templates are read as text: a variable whose name is a money, hours or count column of a
model (every DecimalField but a share or a score) or one of the counting names below must carry
`|number`, in `{{ … }}` and in the arguments of `{% blocktranslate with … %}` (a translated
sentence cannot filter inside; a plural sentence counts with `counter` and shows a formatted
`with` argument). The value of a form input is left as typed, so that it reads back."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.template import Context, Template
from django.utils import translation

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Decimal columns that are not amounts: a fraction shown as a percentage and a review score.
NOT_AMOUNTS = {"share", "weighted_score"}
# Names pages give to counts and sums they compute.
COUNTING_NAMES = {"count", "total", "hours", "saved", "contributed"}
VARIABLE = re.compile(r"\{\{\s*([\w.]+)((?:\s*\|\s*[\w]+(?::(?:\"[^\"]*\"|'[^']*'|[\w.]+))?)*)\s*\}\}")
BLOCK = re.compile(r"\{%\s*blocktrans(?:late)?\s+([^%]*)%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S)
ARGUMENT = re.compile(r"(\w+)=([\w.]+)((?:\|[\w]+(?::(?:\"[^\"]*\"|'[^']*'|[\w.]+))?)*)")
INPUT_VALUE = re.compile(r'value="\{\{[^}]*\}\}"')


def numeric_names() -> set[str]:
    names = set(COUNTING_NAMES)
    for model in apps.get_models():
        if model.__module__.startswith("kechuang."):
            names.update(field.name for field in model._meta.concrete_fields
                         if isinstance(field, models.DecimalField) and field.name not in NOT_AMOUNTS)
    return names


def needs_number(expression: str, names: set[str]) -> bool:
    *path, last = expression.split(".")
    if path and path[0].endswith("form"):
        return False    # a form's field renders its own input
    # a bare `value` is the value of a choice in the templates' loops, not an amount
    return last in names and (bool(path) or last != "value")


def unformatted(text: str, names: set[str]) -> list[str]:
    found = []
    for arguments, body in BLOCK.findall(text):
        for name, expression, filters in ARGUMENT.findall(arguments):
            if not needs_number(expression, names):
                continue
            if name == "counter" and "{{ counter }}" in body:
                found.append(f"blocktranslate count {expression} shown as {{{{ counter }}}}")
            elif name != "counter" and "|number" not in filters:
                found.append(f"blocktranslate {expression}{filters}")
    outside = INPUT_VALUE.sub("", BLOCK.sub("", text))
    for expression, filters in VARIABLE.findall(outside):
        if needs_number(expression, names) and "number" not in re.findall(r"\|\s*(\w+)", filters):
            found.append(f"{{{{ {expression}{filters} }}}}")
    return found


def test_every_template_groups_amounts_hours_and_counts():
    names = numeric_names()
    problems = [f"{path.relative_to(TEMPLATES)}: {item}" for path in sorted(TEMPLATES.rglob("*.html"))
                for item in unformatted(path.read_text(), names)]
    assert problems == []


def test_the_template_check_sees_an_unformatted_amount():
    names = numeric_names()
    assert unformatted("{{ settlement.total }} {{ voucher.issued_amount|default:'0' }}", names) == [
        "{{ settlement.total }}", "{{ voucher.issued_amount|default:'0' }}"]
    assert unformatted("{% blocktranslate with cap=scheme.per_enterprise_cap %}{{ cap }}{% endblocktranslate %}"
                       "{% blocktranslate count counter=page.count %}{{ counter }}{% plural %}{{ counter }}"
                       "{% endblocktranslate %}", names) == [
        "blocktranslate scheme.per_enterprise_cap", "blocktranslate count page.count shown as {{ counter }}"]
    assert unformatted("{{ settlement.total|number }} {% for value, label in choices %}{{ value }}{% endfor %}"
                       "{% blocktranslate with cap=scheme.per_enterprise_cap|number %}{{ cap }}{% endblocktranslate %}"
                       '<input name="price" value="{{ form.price.value }}">', names) == []


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("value", "places", "shown"), [
    (Decimal("5000000.00"), None, "5,000,000.00"), (Decimal("1200"), None, "1,200"), (12345, None, "12,345"),
    (Decimal("3.5"), 2, "3.50"), (Decimal("-1234.5"), None, "-1,234.5"), (Decimal("999.99"), None, "999.99"),
    (Decimal("1234567.891"), 2, "1,234,567.89"), (None, None, ""), ("", None, ""), ("—", None, "—"),
])
def test_the_number_filter(language, value, places, shown):
    template = Template("{% load kechuang %}{{ value|number" + (f":{places}" if places else "") + " }}")
    with translation.override(language):
        assert template.render(Context({"value": value})) == shown
