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
