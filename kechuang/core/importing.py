"""Excel templates, imports and exports shared by every library (achievements, demands, later
instruments). An app describes its sheet once as an `ImportSpec` of `Column`s; this module
writes the Chinese template (column notes, drop-down lists for every enumeration), reads an
upload (checked by `core.files` first: content, size, unpacked size), validates every row and
reports errors by row and column, and writes exports in the same layout.

Uploads are read with calamine (Rust; about fifteen times faster than openpyxl here) and written
with openpyxl. Cells are never evaluated: a formula cell yields at most the value the
spreadsheet stored with it, never a computation of ours; exported text beginning with =, +, -
or @ is neutralised by `core.excel.neutralise`.
"""

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

from kechuang.core.excel import neutralise
from kechuang.core.files import SPREADSHEETS, inspect_upload
from kechuang.core.validators import parse_number

YES, NO = "是", "否"
LIST_SEPARATORS = ("、", "；", ";", ",", "，", "\n")
MAX_ROWS = 200_000


@dataclass
class Column:
    key: str
    header: str
    required: bool = False
    note: str = ""
    kind: str = "text"  # text, decimal, integer, date, bool, choice, choices
    max_length: int | None = None
    options: Callable[[], list[tuple[str, object]]] | None = None  # (label in the sheet, value)
    width: int = 18

    def labels(self) -> list[str]:
        return [label for label, _value in self.options()] if self.options else []

    def parse(self, raw, lookup: dict | None):
        """Cell value -> Python value, or ValidationError with a message for the report."""
        if isinstance(raw, float) and raw.is_integer() and self.kind not in ("decimal", "integer"):
            raw = int(raw)  # a number typed into a text column, such as a phone number
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if self.required:
                raise ValidationError(_("This column is required."))
            return [] if self.kind == "choices" else None
        # Numbers are only read here; their range is the model field's, checked by the service's
        # clean that the importer calls for every row.
        if self.kind == "decimal":
            return parse_number(raw)
        if self.kind == "integer":
            return int(parse_number(raw, whole=True))
        if self.kind == "date":
            if isinstance(raw, datetime):
                return raw.date()
            if isinstance(raw, date):
                return raw
            try:
                return date.fromisoformat(str(raw).strip().replace("/", "-"))
            except ValueError as error:
                raise ValidationError(_("Enter a date as 2026-12-31.")) from error
        text = str(raw).strip()
        if self.kind == "bool":
            if text not in (YES, NO):
                raise ValidationError(_("Enter 是 or 否."))
            return text == YES
        if self.kind == "choice":
            if text not in lookup:
                raise ValidationError(_("“%(value)s” is not one of the listed options.") % {"value": text})
            return lookup[text]
        if self.kind == "choices":
            parts = [text]
            for separator in LIST_SEPARATORS:
                parts = [piece for part in parts for piece in part.split(separator)]
            values = []
            for part in (piece.strip() for piece in parts):
                if part:
                    if part not in lookup:
                        raise ValidationError(_("“%(value)s” is not one of the listed options.") % {"value": part})
                    values.append(lookup[part])
            return values
        if self.max_length and len(text) > self.max_length:
            raise ValidationError(_("At most %(count)d characters.") % {"count": self.max_length})
        return text

    def format(self, value):
        if value is None or value == []:
            return None
        if self.kind == "bool":
            return YES if value else NO
        if self.kind in ("choice", "choices"):
            labels = {option_value: label for label, option_value in self.options()}
            if self.kind == "choices":
                return "、".join(labels.get(item, str(item)) for item in value)
            return labels.get(value, str(value))
        if isinstance(value, Decimal):
            return float(value)
        return value


@dataclass
class ImportSpec:
    name: str
    sheet_title: str
    columns: list[Column]

    def by_header(self) -> dict[str, Column]:
        return {column.header: column for column in self.columns}


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    """What an import answers: rows read, records created, the errors by row and column, and the
    first rows for the dry run's preview."""

    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ParsedSheet:
    rows: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- writing ------------------------------------------------------------------------------


def template_workbook(spec: ImportSpec, rows: Iterable[list] = ()) -> bytes:
    """The sheet layout: bold headers (required ones marked *), a note on every column, and a
    drop-down list for every enumeration, fed from a hidden sheet of options."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = spec.sheet_title[:31]
    options = workbook.create_sheet("选项")
    options.sheet_state = "hidden"
    option_column = 0
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header + (" *" if column.required else ""))
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        note = column.note or ""
        if column.kind == "choices":
            note = (note + " " if note else "") + _("Several options separated by 、")
        if note:
            cell.comment = Comment(note, "科创")
        sheet.column_dimensions[letter].width = column.width
        labels = column.labels()
        if labels:
            option_column += 1
            option_letter = get_column_letter(option_column)
            options.cell(row=1, column=option_column, value=column.header)
            for row_number, label in enumerate(labels, start=2):
                options.cell(row=row_number, column=option_column, value=label)
            if column.kind in ("choice", "bool"):
                validation = DataValidation(
                    type="list", formula1=f"'选项'!${option_letter}$2:${option_letter}${len(labels) + 1}",
                    allow_blank=not column.required, showErrorMessage=True,
                    errorTitle=_("Not in the list"), error=_("Choose a value from the drop-down list."),
                )
                sheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}{MAX_ROWS}")
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bool_options():
    return [(YES, True), (NO, False)]


def export_rows(spec: ImportSpec, records: Iterable[dict]) -> Iterable[list]:
    for record in records:
        yield [column.format(record.get(column.key)) for column in spec.columns]


def error_report_workbook(errors: list[RowError]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Errors"))
    sheet.append([_("Row"), _("Column"), _("Problem")])
    for error in errors:
        sheet.append([error.row, error.column, error.message])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading ------------------------------------------------------------------------------


def read_sheet(uploaded, spec: ImportSpec, *, lookups: dict[str, dict], progress=None) -> ParsedSheet:
    """Checks the file, the headers and every row. Nothing is written here."""
    inspect_upload(uploaded, SPREADSHEETS)
    uploaded.seek(0)
    try:
        rows = CalamineWorkbook.from_filelike(uploaded).get_sheet_by_index(0).iter_rows()
        header = next(rows, None)
    except Exception as error:  # calamine raises its own errors on malformed files
        raise ValidationError(_("The file could not be read as an Excel workbook.")) from error
    if header is None:
        raise ValidationError(_("The sheet is empty."))
    headers = [str(cell).strip().rstrip("*").strip() if cell is not None else "" for cell in header]
    while headers and not headers[-1]:
        headers.pop()
    known = spec.by_header()
    unknown = [name for name in headers if name and name not in known]
    missing = [column.header for column in spec.columns if column.required and column.header not in headers]
    problems = []
    if unknown:
        problems.append(_("Unknown columns: %(names)s.") % {"names": "、".join(unknown)})
    if missing:
        problems.append(_("Missing required columns: %(names)s.") % {"names": "、".join(missing)})
    if problems:
        raise ValidationError(" ".join(problems) + " " + _("Download the template for the expected layout."))
    parsed = ParsedSheet()
    positions = [(index, known[name]) for index, name in enumerate(headers) if name]
    for row_number, values in enumerate(rows, start=2):
        if row_number - 1 > MAX_ROWS:
            raise ValidationError(_("The sheet has more than %(count)d rows.") % {"count": MAX_ROWS})
        if values is None or all(value is None or str(value).strip() == "" for value in values):
            continue
        record = {}
        for index, column in positions:
            raw = values[index] if index < len(values) else None
            try:
                record[column.key] = column.parse(raw, lookups.get(column.key))
            except ValidationError as error:
                parsed.errors.append(RowError(row_number, column.header, " ".join(error.messages)))
        for column in spec.columns:
            record.setdefault(column.key, [] if column.kind == "choices" else None)
        parsed.rows.append((row_number, record))
        if progress and row_number % 2000 == 0:
            progress(row_number)
    if not parsed.rows and not parsed.errors:
        raise ValidationError(_("The sheet has no data rows."))
    return parsed


def cell_errors(error: ValidationError, headers: dict[str, str], columns: dict[str, str]) -> list[tuple[str, str]]:
    """(column header, message) for a service's ValidationError: a field's messages go to the
    column holding it (`columns` maps a model field name to its column key where the two differ,
    such as owner -> owner_uscc); the rest belong to the row as a whole (header "")."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    return [(headers.get(columns.get(name, name), ""), " ".join(messages)) for name, messages in by_field.items()]


def import_rows(spec: ImportSpec, uploaded, *, build: Callable[[dict], object], write: Callable, dry_run: bool,
                preview: Callable[[dict], dict], columns: dict[str, str] | None = None,
                progress=None) -> ImportResult:
    """The frame of every sheet import. Reads and checks the sheet; builds each row's record with
    `build(values)`, which calls the record's service clean, so a sheet is held to the very rules
    of the forms and the API; reports every problem by row and column (one message per cell: a
    cell that could not be read is not reported again by the clean); and writes all records with
    `write(records, progress)` only when no row is wrong and this is not a dry run."""
    parsed = read_sheet(uploaded, spec, lookups={column.key: option_lookup(column) for column in spec.columns},
                        progress=progress)
    result = ImportResult(rows=len(parsed.rows), errors=list(parsed.errors))
    headers = {column.key: column.header for column in spec.columns}
    unreadable = {(error.row, error.column) for error in parsed.errors}
    records = []
    for row_number, values in parsed.rows:
        try:
            record = build(values)
        except ValidationError as error:
            result.errors.extend(RowError(row_number, header, message)
                                 for header, message in cell_errors(error, headers, columns or {})
                                 if (row_number, header) not in unreadable)
            continue
        if not result.errors:  # once a row is wrong nothing is written: keep checking, stop collecting
            records.append(record)
    result.preview = [{"row": number, **preview(values)} for number, values in parsed.rows[:20]]
    if result.errors or dry_run:
        return result
    result.created = write(records, progress)
    return result


def option_lookup(column: Column) -> dict:
    return dict(column.options()) if column.options else {}


@dataclass(frozen=True)
class Sheet:
    """What `import_xlsx` and `export_xlsx` need of one library; apps register theirs in
    `AppConfig.ready` with `register_sheet`."""

    spec: Callable[[], ImportSpec]
    import_file: Callable  # (uploaded=, by=, dry_run=, progress=) -> result with .rows .created .errors
    export_all: Callable  # () -> iterable of rows in the template layout (system export, unmasked)
    can_import: Callable  # (user) -> bool
    export_for: Callable | None = None  # (user, params) -> rows the user may see, in the template layout
    title: str = ""
    back_url: str = ""  # URL name of the library's page


SHEETS: dict[str, Sheet] = {}


def register_sheet(name: str, sheet: Sheet) -> None:
    SHEETS[name] = sheet
