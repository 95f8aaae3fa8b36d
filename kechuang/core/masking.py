"""Masks for personal data shown to roles that do not need the full value."""

import re


def mask_mobile(value: str | None) -> str:
    if not value:
        return ""
    return f"{value[:3]}****{value[-4:]}" if len(value) >= 7 else "****"


def mask_id_card(value: str | None) -> str:
    if not value:
        return ""
    return f"{value[:4]}**********{value[-4:]}" if len(value) >= 8 else "****"


def mask_email(value: str | None) -> str:
    if not value or "@" not in value:
        return value or ""
    name, domain = value.split("@", 1)
    return f"{name[:1]}***@{domain}"


MOBILE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
ID_CARD_IN_TEXT = re.compile(r"(?<![\dA-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![\dA-Za-z])")


def mask_personal_data_in_text(text: str) -> str:
    text = ID_CARD_IN_TEXT.sub(r"\1**********\2", text)
    return MOBILE_IN_TEXT.sub(r"\1****\2", text)
