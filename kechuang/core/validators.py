"""Validators for Chinese identifiers, with messages through gettext."""

import re

from django.core.exceptions import ValidationError
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


def parse_whole(value: str) -> int | None:
    """A whole number as posted or typed in a query (an id, a level), else None: ASCII digits only
    (`isdigit` also takes "¹", which `int` refuses) and at most 18 of them, which every database
    integer column can compare against."""
    return int(value) if value.isascii() and value.isdecimal() and len(value) <= 18 else None
