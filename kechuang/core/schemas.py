"""API schemas every app's router shares, and the API types of bounded model fields."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db import models
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from kechuang.core.validators import RangeValidator, parse_number, validate_aware


def _refusal(error: ValidationError) -> PydanticCustomError:
    # The message is already translated; braces would be read as pydantic placeholders.
    message = " ".join(str(message) for message in error.messages).replace("{", "(").replace("}", ")")
    code = getattr(error, "code", None) or next((item.code for item in error.error_list if item.code), None)
    return PydanticCustomError(code or "invalid", message)


def _checked(check):
    def run(value):
        try:
            return check(value)
        except ValidationError as error:
            raise _refusal(error) from error
    return run


def field_type(model, name: str):
    """The API body type of a bounded model field (core.fields): the field's own parsing and range
    with its Chinese message (a 422 names the problem, e.g. 请输入不超过 1,000,000 万元 的数值),
    and the bounds in the OpenAPI schema."""
    field = model._meta.get_field(name)
    low, high = field.limits()

    def check(value):
        if value is None:
            return value
        if isinstance(field, models.DecimalField | models.IntegerField):
            value = parse_number(value)
            field.range_validator(value)  # first: the range is the clearest word on 1E+999999999
            if isinstance(field, models.IntegerField):
                value = int(parse_number(value, whole=True))
        field.run_validators(value)
        return value

    if isinstance(field, models.DecimalField):
        return Annotated[Decimal, Field(ge=low, le=high, max_digits=field.max_digits,
                                        decimal_places=field.decimal_places, allow_inf_nan=False),
                         BeforeValidator(_checked(check))]
    if isinstance(field, models.IntegerField):
        return Annotated[int, Field(ge=low, le=high), BeforeValidator(_checked(check))]
    if isinstance(field, models.DateTimeField):
        return Annotated[AwareDateTime, AfterValidator(_checked(check))]
    return Annotated[date, AfterValidator(_checked(check))]


def whole_number_type(low: int, high: int):
    """An API whole number that belongs to no model column (a review score in a JSON object):
    the same parsing, range and messages as a bounded field's."""
    within = RangeValidator(low=low, high=high)

    def check(value):
        number = parse_number(value)
        within(number)
        return int(parse_number(number, whole=True))

    return Annotated[int, Field(ge=low, le=high), BeforeValidator(_checked(check))]


AwareDateTime = Annotated[datetime, AfterValidator(_checked(lambda value: validate_aware(value) or value))]
"""A date and time with its time zone: a naive one is refused with a 422, not compared with the
server's clock."""


class ReasonIn(Schema):
    reason: str


class ImportOut(Schema):
    rows: int
    created: int
    errors: list[dict]


def import_out(result) -> dict:
    """The answer to a sheet import (a `core.importing` result)."""
    return {"rows": result.rows, "created": result.created,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in result.errors]}


class InputErrorOut(Schema):
    type: str
    loc: list[str | int]
    msg: str


class ErrorOut(Schema):
    """Every error answer of the API: a message (401, 403, 404, 409, 400), the fields' messages of a
    service's check ({field: [message]}, 422) or the input errors of the request's shape (422); a
    refused domain action (409) adds its code."""

    detail: str | list[InputErrorOut] | dict[str, list[str]]
    code: str | None = None
