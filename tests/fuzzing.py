"""What the input harnesses share (tests/test_no_server_error.py, tests/test_extreme_values.py):
the write endpoints of the platform, read from the URL patterns and the OpenAPI schema; the forms a
page renders, parsed from its HTML; valid values synthesised from a form field or a schema
property; and the ranges every stored value must keep, read from the model fields and validators
(so they follow whatever ranges the models declare)."""

import inspect
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from html.parser import HTMLParser

from django.apps import apps
from django.core import validators as django_validators
from django.db import connection, models
from django.db.models.functions import Length
from django.urls import get_resolver
from django.utils import timezone

WRITE_METHODS = ("post", "put", "patch", "delete")
# A view handles a post when it reads the posted data or declares the method.
POST_HANDLING = re.compile(r"require_POST|request\.POST|request\.FILES|request\.method")


def walk(patterns, namespace=""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner)
        else:
            yield f"{namespace}{pattern.name}", pattern


def innermost(view):
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    return view


HANDS_ON_REQUEST = re.compile(r"\b(\w+)\(request\b")


def takes_posts(function, depth: int = 3) -> bool:
    """Whether the function, or a function of its module it hands the request to, handles a post."""
    source = inspect.getsource(function)
    if POST_HANDLING.search(source):
        return True
    module = inspect.getmodule(function)
    for name in set(HANDS_ON_REQUEST.findall(source)) - {function.__name__}:
        helper = getattr(module, name, None)
        if depth and inspect.isfunction(helper) and helper.__module__ == function.__module__ \
                and takes_posts(helper, depth - 1):
            return True
    return False


def page_write_endpoints() -> set[str]:
    """Every page URL whose view takes a post (the API is read from its schema instead)."""
    return {name for name, pattern in walk(get_resolver().url_patterns)
            if not name.startswith("api:") and takes_posts(innermost(pattern.callback))}


def api_operations():
    """{url name: (method, Operation)} for every write operation of the OpenAPI schema."""
    from config.api import api

    by_id = {api.get_openapi_operation_id(operation): operation
             for _prefix, router in api._routers for path_view in router.path_operations.values()
             for operation in path_view.operations}
    schema = api.get_openapi_schema()
    found = {}
    for path_item in schema["paths"].values():
        for method, described in path_item.items():
            if method in WRITE_METHODS:
                operation = by_id[described["operationId"]]
                found[f"api:{operation.url_name}"] = (method, described, schema)
    return found


# --- Forms as a browser sees them ---------------------------------------------------------------


class FormParser(HTMLParser):
    """The post forms of a page: their action and fields (name -> kind, value, options)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": {}, "hidden": {}}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind == "hidden":
                self._form["hidden"][name] = attrs.get("value") or ""
            field = self._form["fields"].setdefault(name, {"kind": kind, "value": [], "options": []})
            if kind in ("checkbox", "radio"):
                field["options"].append(attrs.get("value", "on"))
                if "checked" in attrs:
                    field["value"].append(attrs.get("value", "on"))
            else:
                field["value"] = [attrs.get("value") or ""]
                field["required"] = "required" in attrs
        elif tag == "select" and name:
            self._select = self._form["fields"].setdefault(
                name, {"kind": "select", "value": [], "options": [], "multiple": "multiple" in attrs})
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select["options"].append(value)
            if "selected" in attrs:
                self._select["value"].append(value)
        elif tag == "textarea" and name:
            self._textarea = self._form["fields"].setdefault(name, {"kind": "textarea", "value": [""], "options": []})

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] = [self._textarea["value"][0] + data]


def forms_on(html: str) -> list[dict]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def tomorrow_at(hour: int) -> datetime:
    return datetime.combine(timezone.localdate() + timedelta(days=1), time(hour))


def plausible_value(name: str, field: dict) -> list[str]:
    """What a careful user would submit for a field the page leaves empty."""
    if field["value"] and any(field["value"]):
        return field["value"]
    kind = field["kind"]
    if kind == "select":
        options = [option for option in field["options"] if option]
        return options[:1]
    if kind in ("checkbox", "radio"):
        return field["value"]
    if kind == "number":
        return ["1"]
    if kind == "date":
        return [str(timezone.localdate() + timedelta(days=30))]
    if kind == "datetime-local":
        return [tomorrow_at(10).strftime("%Y-%m-%dT%H:%M")]
    if kind == "email":
        return ["fuzz@example.cn"]
    if kind == "file":
        return []
    return ["测试内容"]


# --- JSON bodies from the OpenAPI schema ---------------------------------------------------------


def resolve(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def body_schema(described: dict, document: dict) -> tuple[str, dict] | None:
    """(media type, object schema) of an operation's body, or None when it takes none."""
    if "requestBody" not in described:
        return None
    media_type, content = next(iter(described["requestBody"]["content"].items()))
    return media_type, resolve(content["schema"], document)


def synthesised(schema: dict, document: dict):
    """A plain valid value for a schema property: its default, None where it may be null, else a
    value of its type."""
    if "default" in schema:
        return schema["default"]
    schema = resolve(schema, document)
    if "anyOf" in schema:
        options = [option for option in schema["anyOf"] if option.get("type") != "null"]
        return synthesised(options[0], document) if len(options) == len(schema["anyOf"]) else None
    if "enum" in schema:
        return schema["enum"][0]
    kind, fmt = schema.get("type"), schema.get("format")
    if fmt == "date-time":
        return timezone.make_aware(tomorrow_at(10)).isoformat()
    if fmt == "date":
        return str(timezone.localdate() + timedelta(days=30))
    if fmt == "binary":
        return None
    return {"string": "测试内容", "integer": 1, "number": "1", "boolean": True, "array": [],
            "object": {}}.get(kind)


# --- The ranges every stored value keeps ---------------------------------------------------------

OUR_APPS = ("core", "accounts", "achievements", "demands", "experts", "matching", "programs", "instruments",
            "vouchers")


def field_limits(field) -> tuple:
    """(lowest, highest) value the column and its validators accept; None where there is no bound."""
    low = high = None
    if hasattr(field, "limits"):  # a bounded field of core.fields states its own range
        low, high = (limit() if callable(limit) else limit for limit in field.limits())
    for validator in field.validators:
        limit = getattr(validator, "limit_value", None)
        limit = limit() if callable(limit) else limit
        if isinstance(validator, django_validators.MinValueValidator):
            low = limit if low is None else max(low, limit)
        elif isinstance(validator, django_validators.MaxValueValidator):
            high = limit if high is None else min(high, limit)
    if isinstance(field, models.DecimalField):
        ceiling = Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(1).scaleb(-field.decimal_places)
        high = ceiling if high is None else min(high, ceiling)
        low = -ceiling if low is None else max(low, -ceiling)
    elif isinstance(field, models.IntegerField):
        backend_low, backend_high = connection.ops.integer_field_range(field.get_internal_type())
        low = backend_low if low is None else max(low, backend_low)
        high = backend_high if high is None else min(high, backend_high)
    return low, high


def our_models():
    return [model for model in apps.get_models() if model._meta.app_label in OUR_APPS and not model._meta.proxy]


NUMBERS_AND_DATES = (models.DecimalField, models.IntegerField, models.FloatField, models.DateField)


def ranged_fields(model):
    """The columns with a range: numbers and dates (bounds, validators), free texts (their length)."""
    for field in model._meta.concrete_fields:
        if field.primary_key or field.is_relation:
            continue
        numeric = isinstance(field, NUMBERS_AND_DATES)
        if numeric or (isinstance(field, models.CharField) and field.max_length and not field.choices):
            yield field


def range_queries() -> list[tuple[str, str, tuple]]:
    """(model label, SQL, parameters) selecting the rows of a model that break a range; compiled once,
    since the harness checks after every request."""
    queries = []
    for model in our_models():
        query = models.Q()
        annotations = {}
        for field in ranged_fields(model):
            if isinstance(field, models.CharField):
                annotations[f"fuzz_len_{field.attname}"] = Length(field.attname)
                query |= models.Q(**{f"fuzz_len_{field.attname}__gt": field.max_length})
                continue
            low, high = field_limits(field)
            if low is not None:
                query |= models.Q(**{f"{field.attname}__lt": low})
            if high is not None:
                query |= models.Q(**{f"{field.attname}__gt": high})
        if query:
            rows = model._base_manager.annotate(**annotations).filter(query).values_list("pk", flat=True)[:3]
            queries.append((model._meta.label, *rows.query.sql_with_params()))
    return queries


def values_out_of_range(queries=None) -> list[str]:
    """Every stored value outside what its column and validators allow: a number past its bounds, a
    date outside its validators, a text longer than its column (SQLite stores it, PostgreSQL refuses)."""
    problems = []
    with connection.cursor() as cursor:
        for label, sql, params in queries or range_queries():
            cursor.execute(sql, params)
            problems += [f"{label} pk={pk}" for (pk,) in cursor.fetchall()]
    return problems


def extreme_values(field) -> list:
    """The most extreme values the field accepts (for the extreme-values render test). A date with
    no bound of its own stands between 1900-01-01 and 2999-12-31: the column would take year 1 to
    9999, but those overflow on the way to or from UTC, which is a range to declare, not to render."""
    if isinstance(field, models.DateTimeField):
        low, high = field_limits(field)
        return [value for value in (low, high) if value is not None] or [
            timezone.make_aware(datetime(1900, 1, 1)), timezone.make_aware(datetime(2999, 12, 31, 23, 59))]
    if isinstance(field, models.DateField):
        low, high = field_limits(field)
        return [value for value in (low, high) if value is not None] or [date(1900, 1, 1), date(2999, 12, 31)]
    if isinstance(field, (models.DecimalField, models.IntegerField, models.FloatField)):
        low, high = field_limits(field)
        return [value for value in (high, low) if value is not None]
    if isinstance(field, models.CharField) and field.max_length:
        return ["测" * field.max_length]
    return []
