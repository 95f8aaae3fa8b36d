"""The instruments sheet: its template, import and export (see core.importing)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kechuang.accounts.models import Organization
from kechuang.accounts.selectors import sheet_owner
from kechuang.core.importing import Column, ImportResult, ImportSpec, import_rows
from kechuang.instruments.choices import InstrumentStatus, PriceUnit
from kechuang.instruments.models import Instrument, InstrumentCategory
from kechuang.instruments.services import clean_instrument, instruments_bulk_create


def instrument_spec() -> ImportSpec:
    return ImportSpec(name="instruments", sheet_title="科研仪器", columns=[
        Column("name", "仪器名称", required=True, max_length=120, width=30),
        Column("model_number", "型号", max_length=80),
        Column("manufacturer", "生产厂商", max_length=120),
        Column("category", "仪器分类", kind="choice", required=True, width=24, options=lambda: [
            (f"{item.code} {item.name}", item) for item in InstrumentCategory.objects.order_by("code")]),
        Column("original_value", "原值（万元）", kind="decimal", required=True),
        Column("purchased_on", "购置日期", kind="date", note="如 2021-06-01"),
        Column("owner_uscc", "所属单位统一社会信用代码", max_length=18, width=22,
               note="平台已认证单位的18位代码；仪器管理员导入本单位仪器时可留空"),
        Column("lab", "所在实验室", max_length=120),
        Column("location", "安放地点", max_length=200),
        Column("specifications", "主要技术指标", width=40),
        Column("sample_requirements", "样品要求", width=30),
        Column("price_unit", "计费方式", kind="choice", options=lambda: [
            (str(label), value) for value, label in PriceUnit.choices]),
        Column("internal_price", "对内收费（元）", kind="decimal"),
        Column("external_price", "对外收费（元）", kind="decimal"),
        Column("contact_name", "联系人", max_length=60),
        Column("contact_phone", "联系电话", max_length=20, note="11位手机号"),
    ])


def import_instruments(*, uploaded, by, dry_run: bool, progress=None) -> ImportResult:
    """Checks every row with `clean_instrument`, the rules of the instrument form; all rows or
    none. Providers import their own organisation's instruments; the bureau any verified
    organisation's."""
    trusted = by is None or by.is_bureau_staff
    owners = {org.uscc: org for org in Organization.objects.filter(status="verified")}

    def build(values):
        errors = {}
        owner, problem = sheet_owner(
            values["owner_uscc"], owners=owners, member_organization=None if trusted else by.organization,
            unknown=_("No verified organisation has this credit code."),
            foreign=_("You can only import the instruments of your own organisation."))
        if problem:
            errors["owner"] = [problem]
        instrument = Instrument(
            name=values["name"] or "", model_number=values["model_number"] or "",
            manufacturer=values["manufacturer"] or "", category=values["category"],
            original_value=values["original_value"], purchased_on=values["purchased_on"], owner=owner,
            lab=values["lab"] or "", location=values["location"] or "", specifications=values["specifications"] or "",
            sample_requirements=values["sample_requirements"] or "", price_unit=values["price_unit"] or PriceUnit.HOUR,
            internal_price=values["internal_price"] or 0, external_price=values["external_price"] or 0,
            contact_name=values["contact_name"] or "", contact_phone=values["contact_phone"] or "",
            status=InstrumentStatus.AVAILABLE, created_by=by)
        try:
            clean_instrument(instrument)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)
        return instrument

    return import_rows(instrument_spec(), uploaded, build=build, dry_run=dry_run, progress=progress,
                       columns={"owner": "owner_uscc"}, preview=lambda values: {"name": values["name"]},
                       write=lambda instruments, progress: instruments_bulk_create(by=by, instruments=instruments))


def export_records(queryset, *, unmask: bool = False):
    spec = instrument_spec()
    labels = {column.key: {value: label for label, value in column.options()}
              for column in spec.columns if column.kind == "choice"}
    for instrument in queryset.select_related("owner", "category").iterator(chunk_size=2000):
        row = {key: getattr(instrument, key, None) for key in (
            "name", "model_number", "manufacturer", "category", "original_value", "purchased_on", "lab", "location",
            "specifications", "sample_requirements", "price_unit", "internal_price", "external_price",
            "contact_name")}
        row |= {"owner_uscc": instrument.owner.uscc,
                "contact_phone": instrument.contact_phone if unmask else ""}
        yield [(None if row[c.key] is None else labels[c.key].get(row[c.key], str(row[c.key])))
               if c.kind == "choice" else c.format(row[c.key]) for c in spec.columns]
