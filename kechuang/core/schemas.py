"""API schemas every app's router shares."""

from ninja import Schema


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
