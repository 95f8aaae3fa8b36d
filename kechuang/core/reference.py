"""The reference-data tables that bureau admins edit, by URL key."""

from django.core.exceptions import ValidationError
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _

from kechuang.core.models import District, IndustryChain, IndustryClass, ReadinessLevel, TechField

REFERENCE_TABLES = {
    "districts": (District, ["code", "name", "name_en", "sort_order", "is_active"]),
    "industry-chains": (IndustryChain, ["code", "name", "name_en", "sort_order", "is_active"]),
    "tech-fields": (TechField, ["code", "name", "name_en", "parent", "sort_order", "is_active"]),
    "industries": (IndustryClass, ["code", "name", "name_en", "parent", "sort_order", "is_active"]),
    "readiness-levels": (ReadinessLevel, ["level", "name", "name_en", "description", "description_en"]),
}

TABLE_TITLES = {
    "districts": _("Districts"),
    "industry-chains": _("Key industry chains"),
    "tech-fields": _("High-tech fields"),
    "industries": _("Industries (GB/T 4754-2017)"),
    "readiness-levels": _("Technology readiness levels"),
}


def reference_form_class(table: str):
    model, fields = REFERENCE_TABLES[table]
    return modelform_factory(model, fields=fields)


def reference_by_code(model, code: str | None, field_name: str):
    """The reference row with this code (API payloads name reference data by code)."""
    if code is None:
        return None
    item = model.objects.filter(code=code).first()
    if item is None:
        raise ValidationError({field_name: [_("Unknown code: %(code)s") % {"code": code}]})
    return item
