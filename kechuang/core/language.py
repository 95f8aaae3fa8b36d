"""The language rule of the pages (docs/architecture.md, "Language"): interface text follows the
page's language; data is shown as it was typed. Reference data carries a name in each language
(`models.BilingualLabel`); these helpers are what the rest of the code asks."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import pgettext


def english_pages() -> bool:
    """Whether the page being rendered is in English (any language but Chinese shows English)."""
    return not (translation.get_language() or settings.LANGUAGE_CODE).startswith("zh")


def join_items(items) -> str:
    """Items of a list in running text: "a、b、c" on Chinese pages, "a, b, c" on English ones."""
    return pgettext("list separator", ", ").join(str(item) for item in items)


def bilingual(item: dict, key: str):
    """A label of a form the bureau built (a call's fields and criteria are data): the English
    version (`<key>_en`, which the platform's built-in forms carry) on English pages when there is
    one, otherwise the label as written."""
    english = item.get(f"{key}_en")
    return english if english and english_pages() else item.get(key, "")


def format_number(value, places=None):
    """An amount of money, hours or a count as pages and documents show it: grouped by thousands
    in the page's language (5,000,000.00), with the value's own decimal places unless `places`
    is given. Empty stays empty; what is not a number is returned as it is."""
    if value is None or value == "":
        return ""
    try:
        decimal = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    if not decimal.is_finite():
        return value
    if places is None:
        places = max(0, -decimal.as_tuple().exponent)
    return formats.number_format(decimal, decimal_pos=int(places), use_l10n=True, force_grouping=True)
