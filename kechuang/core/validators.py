"""Validators for Chinese identifiers and for the ranges of numbers and dates, with messages
through gettext."""

import math
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: 31 characters (no I, O, S, V, Z) and weights 3^(i) mod 31.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")

# GB 11643-1999: 17 digits and a check character (0-9 or X).
ID_CARD_PATTERN = re.compile(r"^\d{17}[\dX]$")
ID_CARD_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CARD_CHECK = "10X98765432"


def uscc_check_character(first17: str) -> str:
    total = sum(USCC_CHARSET.index(char) * weight for char, weight in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def normalize_uscc(value: str) -> str:
    return (value or "").strip().upper()


def validate_uscc(value: str) -> None:
    code = normalize_uscc(value)
    if len(code) != 18:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="uscc_length")
    if not USCC_PATTERN.match(code):
        raise ValidationError(
            _("The unified social credit code contains characters that are not allowed (I, O, S, V, Z)."),
            code="uscc_charset",
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character of the unified social credit code is wrong; please check the code."),
            code="uscc_check",
        )


def normalize_mobile(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value or "")
    return digits[3:] if digits.startswith("+86") else digits


def validate_mobile(value: str) -> None:
    if not MOBILE_PATTERN.match(normalize_mobile(value)):
        raise ValidationError(_("Enter an 11-digit mainland China mobile number."), code="mobile")


def validate_id_card(value: str) -> None:
    number = (value or "").strip().upper()
    if not ID_CARD_PATTERN.match(number):
        raise ValidationError(_("An ID card number has 17 digits and a check character."), code="id_card_format")
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], ID_CARD_WEIGHTS, strict=True))
    if ID_CARD_CHECK[total % 11] != number[17]:
        raise ValidationError(_("The check character of the ID card number is wrong."), code="id_card_check")


# Chinese patent numbers: an application number (ZL/CN prefix optional) with its check digit,
# 12 digits since 2003 (year, kind, serial) or 8 before, or a publication number (CN + 9 digits
# + kind code). The check digit is sum(digit x weight) mod 11 with weights 2..9 then 2..5; 10 -> X.
APPLICATION_NUMBER = re.compile(r"^(?:ZL|CN)?\s*(\d{8}|\d{12})\.?([\dX])$")
PUBLICATION_NUMBER = re.compile(r"^CN\s*\d{9}\s*[ABCUSY]\d?$")
PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def patent_check_digit(digits: str) -> str:
    remainder = sum(int(digit) * weight for digit, weight in zip(digits, PATENT_WEIGHTS, strict=False)) % 11
    return "X" if remainder == 10 else str(remainder)


def normalize_patent_number(value: str) -> str:
    return re.sub(r"\s+", "", (value or "").upper())


def validate_patent_number(value: str) -> None:
    number = normalize_patent_number(value)
    if PUBLICATION_NUMBER.match(number):
        return
    match = APPLICATION_NUMBER.match(number)
    if not match:
        raise ValidationError(
            _("%(value)s is not a Chinese patent number (e.g. ZL201710601862.3 or CN112345678B).") % {"value": value},
            code="patent_format",
        )
    if patent_check_digit(match.group(1)) != match.group(2):
        raise ValidationError(_("The check digit of patent number %(value)s is wrong.") % {"value": value},
                              code="patent_check")


# --- numbers and dates with a range -----------------------------------------------------------
# One column's range is declared once, on its model field (core.fields); this validator is what
# every clean runs, so forms, API bodies, imports and query-string filters give the same message.

NOT_A_NUMBER = _("Enter a number, such as 12.5.")
NOT_FINITE = _("Enter a finite number: NaN and Infinity are not numbers.")
NOT_WHOLE = _("Enter a whole number.")


def format_limit(value, unit="") -> str:
    """A bound as the messages show it: separators from five digits on (so that a year stays
    2100) and the unit (1,000,000 万元)."""
    text = value.isoformat() if isinstance(value, date) else format(value, "," if abs(value) >= 10000 else "")
    return f"{text} {unit}" if unit else text


def parse_number(value, *, whole: bool = False) -> Decimal:
    """Text, a spreadsheet cell or a JSON number as a finite Decimal (full-width digits and
    thousands separators are accepted); anything else is a ValidationError with the message the
    user sees."""
    if isinstance(value, bool):
        raise ValidationError(NOT_A_NUMBER, code="invalid")
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(NOT_A_NUMBER, code="invalid") from error
    if not number.is_finite():
        raise ValidationError(NOT_FINITE, code="not_finite")
    if whole:
        if number != number.to_integral_value():
            raise ValidationError(NOT_WHOLE, code="not_whole")
        if number.adjusted() >= 18:  # before anyone calls int() on 1E+999999999
            raise ValidationError(_("The number is too large."), code="too_high")
    return number


@deconstructible
class RangeValidator:
    """Finite, within [low, high] (or above zero when `positive`), and for decimals at most
    `places` decimal places. The first problem found is the one reported, so `1E+999999999`
    reads "at most 1,000,000 万元" rather than a list of digit counts."""

    def __init__(self, *, low=None, high=None, positive: bool = False, places: int | None = None, unit=""):
        self.low, self.high, self.positive, self.places, self.unit = low, high, positive, places, unit

    def __call__(self, value) -> None:
        if value is None:
            return
        dated = isinstance(value, date)
        if isinstance(value, datetime):
            validate_aware(value)  # a naive time cannot be compared with the bounds
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ValidationError(NOT_FINITE, code="not_finite")
        elif isinstance(value, Decimal) and not value.is_finite():
            raise ValidationError(NOT_FINITE, code="not_finite")
        if self.positive and value <= 0:
            raise ValidationError(_("Enter more than %(limit)s.") % {"limit": format_limit(0, self.unit)},
                                  code="not_positive")
        if self.low is not None and value < self.low:
            message = (_("Enter a date on or after %(limit)s.") if dated
                       else _("Enter %(limit)s or more."))
            raise ValidationError(message % {"limit": format_limit(self.low, self.unit)}, code="too_low")
        if self.high is not None and value > self.high:
            message = (_("Enter a date on or before %(limit)s.") if dated
                       else _("Enter at most %(limit)s."))
            raise ValidationError(message % {"limit": format_limit(self.high, self.unit)}, code="too_high")
        if self.places is not None and isinstance(value, Decimal):
            if value != value.quantize(Decimal(1).scaleb(-self.places)):
                raise ValidationError(_("Enter at most %(places)d decimal places.") % {"places": self.places},
                                      code="too_many_places")
        elif self.places == 0 and isinstance(value, float) and not value.is_integer():
            raise ValidationError(NOT_WHOLE, code="not_whole")

    def __eq__(self, other):
        return isinstance(other, RangeValidator) and (self.low, self.high, self.positive, self.places) == (
            other.low, other.high, other.positive, other.places)


def validate_not_past(value: date | None) -> None:
    """A deadline: today or later."""
    if value is not None and value < timezone.localdate():
        raise ValidationError(_("The date cannot be in the past."), code="past")


def validate_not_future(value: date | None) -> None:
    """Something that has happened: today or earlier."""
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")


def validate_aware(value: datetime | None) -> None:
    if value is not None and timezone.is_naive(value):
        raise ValidationError(_("Give the time with its time zone, e.g. 2026-05-01T09:00:00+08:00."),
                              code="naive_datetime")


def field_errors(model, values: dict[str, tuple[str, object]], *, required: tuple[str, ...] = ()) -> dict:
    """Runs values a service received as arguments through their model fields' validation:
    `values` maps the caller's name (the form field's, so the message lands on it) to
    (model field name, value). Returns {name: [messages]}; empty values are only refused when
    their name is in `required`."""
    errors = {}
    for name, (field_name, value) in values.items():
        if value is None or value == "":
            if name in required:
                errors[name] = [str(_("This field is required."))]
            continue
        try:
            model._meta.get_field(field_name).run_validators(value)
        except ValidationError as error:
            errors[name] = error.messages
    return errors


# --- one clean per record type ------------------------------------------------------------------


def model_errors(instance, *, exclude=(), constraints: bool = True) -> dict[str, list[str]]:
    """instance.full_clean()'s messages by field. A foreign key given as a loaded object is not
    looked up again (an import resolves thousands of them from the sheet's lists at once).
    `constraints=False` leaves out the model's CHECK constraints, for a clean that states each
    of them as a rule with a message on its field."""
    loaded = [field.name for field in instance._meta.concrete_fields
              if field.many_to_one and field.is_cached(instance) and field.get_cached_value(instance) is not None]
    try:
        instance.full_clean(exclude=[*exclude, *loaded], validate_constraints=constraints)
    except ValidationError as error:
        return error.message_dict
    return {}


def _clean_values(instance, fields) -> tuple:
    return tuple(getattr(instance, instance._meta.get_field(name).attname) for name in fields)


def mark_clean(instance, fields) -> None:
    """Notes that `instance` passed its record type's clean with its current values of `fields`."""
    instance._cleaned_values = _clean_values(instance, fields)


def require_clean(instances, fields, clean) -> None:
    """A bulk write takes only records that passed `clean` and were not changed since: its rows
    skip save() and full_clean, so this is what stands between a sheet and the database."""
    for instance in instances:
        if getattr(instance, "_cleaned_values", None) != _clean_values(instance, fields):
            raise ValueError(f"{type(instance).__name__} records must pass {clean.__name__} before a bulk write")


def parse_whole(value: str) -> int | None:
    """A whole number as posted or typed in a query (an id, a level), else None: ASCII digits only
    (`isdigit` also takes "¹", which `int` refuses) and at most 18 of them, which every database
    integer column can compare against."""
    return int(value) if value.isascii() and value.isdecimal() and len(value) <= 18 else None
