"""The bureau's application forms and review criteria as data, and their validation.

A form is a list of fields: {"key", "label", "type", "required", "help", "choices" (choice),
"columns" and "rows" (table)}. Criteria are a list of {"key", "label", "weight"} whose weights
add up to 100; each criterion is scored 0-100. A label may carry its English version
("label_en", "columns_en"): the platform's built-in forms do, and pages show it in English
(`core.language.bilingual`). Plain Python: services and forms both use it."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kechuang.core.language import bilingual
from kechuang.programs.choices import FieldType

KEY = re.compile(r"^[a-z][a-z0-9_]{0,29}$")
MAX_FIELDS = 40
MAX_TABLE_ROWS = 50
TEXT_LIMITS = {FieldType.TEXT: 200, FieldType.LONG_TEXT: 10000}


def clean_form_schema(schema) -> list[dict]:
    if not isinstance(schema, list):
        raise ValidationError(_("The application form must be a list of fields."))
    if len(schema) > MAX_FIELDS:
        raise ValidationError(_("An application form has at most %(n)d fields.") % {"n": MAX_FIELDS})
    cleaned, seen, errors = [], set(), []
    for position, field in enumerate(schema, start=1):
        if not isinstance(field, dict):
            errors.append(_("Field %(n)d: not a field definition.") % {"n": position})
            continue
        key = str(field.get("key", "")).strip()
        label = str(field.get("label", "")).strip()
        kind = field.get("type")
        if not KEY.match(key):
            errors.append(_("Field %(n)d: the key must be lower-case letters, digits or _ and start with a "
                            "letter.") % {"n": position})
        elif key in seen:
            errors.append(_("Field %(n)d: the key %(key)s is used twice.") % {"n": position, "key": key})
        seen.add(key)
        if not label:
            errors.append(_("Field %(n)d: the label is missing.") % {"n": position})
        if kind not in FieldType.values:
            errors.append(_("Field %(n)d: unknown type %(type)s.") % {"n": position, "type": kind})
            continue
        spec = {"key": key, "label": label[:100], "type": kind, "required": bool(field.get("required")),
                "help": str(field.get("help", "")).strip()[:300]}
        if str(field.get("label_en") or "").strip():
            spec["label_en"] = str(field["label_en"]).strip()[:100]
        if kind == FieldType.CHOICE:
            choices = [str(choice).strip() for choice in field.get("choices") or [] if str(choice).strip()]
            if len(choices) < 2:
                errors.append(_("Field %(n)d: a choice needs at least two options.") % {"n": position})
            spec["choices"] = choices
        if kind == FieldType.TABLE:
            columns = [str(column).strip() for column in field.get("columns") or [] if str(column).strip()]
            if not columns:
                errors.append(_("Field %(n)d: a table needs at least one column.") % {"n": position})
            spec["columns"] = columns
            english = [str(column).strip()[:100] for column in field.get("columns_en") or []]
            if len(english) == len(columns) and all(english):
                spec["columns_en"] = english
            spec["rows"] = max(1, min(int(field.get("rows") or 5), MAX_TABLE_ROWS))
        cleaned.append(spec)
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_criteria(criteria) -> list[dict]:
    if not isinstance(criteria, list) or not criteria:
        raise ValidationError(_("Give at least one review criterion."))
    cleaned, errors, seen = [], [], set()
    for position, criterion in enumerate(criteria, start=1):
        key = str(criterion.get("key", "")).strip() if isinstance(criterion, dict) else ""
        label = str(criterion.get("label", "")).strip() if isinstance(criterion, dict) else ""
        try:
            weight = int(criterion.get("weight"))
        except (TypeError, ValueError, AttributeError):
            weight = 0
        if not KEY.match(key) or key in seen:
            errors.append(_("Criterion %(n)d: the key is missing, malformed or used twice.") % {"n": position})
        if not label:
            errors.append(_("Criterion %(n)d: the label is missing.") % {"n": position})
        if weight <= 0:
            errors.append(_("Criterion %(n)d: the weight must be a positive whole number.") % {"n": position})
        seen.add(key)
        item = {"key": key, "label": label[:100], "weight": weight}
        if isinstance(criterion, dict) and str(criterion.get("label_en") or "").strip():
            item["label_en"] = str(criterion["label_en"]).strip()[:100]
        cleaned.append(item)
    if not errors and sum(item["weight"] for item in cleaned) != 100:
        errors.append(_("The weights of the criteria must add up to 100 (now %(sum)d).")
                      % {"sum": sum(item["weight"] for item in cleaned)})
    if errors:
        raise ValidationError(errors)
    return cleaned


def _number(value):
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def check_answer(field: dict, value) -> str | None:
    """The problem with one stored answer, or None. Empty values are only a problem when the
    field is required (checked on submission)."""
    kind = field["type"]
    if value in (None, "", []):
        return None
    if kind in TEXT_LIMITS:
        if not isinstance(value, str):
            return _("Not text.")
        if len(value) > TEXT_LIMITS[kind]:
            return _("At most %(n)d characters.") % {"n": TEXT_LIMITS[kind]}
    elif kind == FieldType.NUMBER and _number(value) is None:
        return _("Not a number.")
    elif kind == FieldType.DATE:
        try:
            date.fromisoformat(str(value))
        except ValueError:
            return _("Not a date (YYYY-MM-DD).")
    elif kind == FieldType.CHOICE and value not in field.get("choices", []):
        return _("Not one of the options.")
    elif kind == FieldType.TABLE:
        width = len(field.get("columns", []))
        if not isinstance(value, list) or any(not isinstance(row, list) or len(row) != width for row in value):
            return _("Malformed table.")
        if len(value) > field.get("rows", MAX_TABLE_ROWS):
            return _("At most %(n)d rows.") % {"n": field.get("rows", MAX_TABLE_ROWS)}
    return None


def missing_answers(schema: list[dict], answers: dict) -> list[str]:
    """Labels of the required fields still empty, or holding a value the field refuses."""
    problems = []
    for field in schema:
        value = answers.get(field["key"])
        if field.get("required") and value in (None, "", []):
            problems.append(_("%(label)s: required.") % {"label": bilingual(field, "label")})
        else:
            problem = check_answer(field, value)
            if problem:
                problems.append(_("%(label)s: %(problem)s") % {"label": bilingual(field, "label"), "problem": problem})
    return problems


def keep_english(schema: list[dict], criteria: list[dict], *, previous_schema: list[dict],
                 previous_criteria: list[dict]) -> tuple[list[dict], list[dict]]:
    """The form editor writes the labels of one language: an English label the form had (the
    platform's built-in forms ship them) stays with a field or criterion whose label and columns
    did not change."""
    fields = {field["key"]: field for field in previous_schema}
    for field in schema:
        before = fields.get(field.get("key"), {})
        if before.get("label_en") and before.get("label") == field.get("label"):
            field.setdefault("label_en", before["label_en"])
        if before.get("columns_en") and before.get("columns") == field.get("columns"):
            field.setdefault("columns_en", before["columns_en"])
    known = {item["key"]: item for item in previous_criteria}
    for criterion in criteria:
        before = known.get(criterion.get("key"), {})
        if before.get("label_en") and before.get("label") == criterion.get("label"):
            criterion.setdefault("label_en", before["label_en"])
    return schema, criteria
