"""The demands sheet: its template, import and export (see core.importing)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kechuang.accounts.choices import OrganizationKind
from kechuang.accounts.models import Organization
from kechuang.accounts.selectors import sheet_owner
from kechuang.core.importing import Column, ImportResult, ImportSpec, bool_options, import_rows
from kechuang.core.models import District, IndustryChain, IndustryClass, TechField
from kechuang.demands.choices import CooperationMode, DemandStatus
from kechuang.demands.models import Demand
from kechuang.demands.services import clean_demand, demands_bulk_publish


def demand_spec() -> ImportSpec:
    return ImportSpec(name="demands", sheet_title="技术需求", columns=[
        Column("title", "需求名称", required=True, max_length=200, width=30),
        Column("public_summary", "公开摘要", required=True, max_length=500, width=40, note="对所有人公开，不超过500字"),
        Column("description", "需求详情", width=40),
        Column("keywords", "关键词", max_length=200, note="以逗号分隔"),
        Column("owner_uscc", "需求企业统一社会信用代码", max_length=18, width=22,
               note="平台已认证企业的18位代码；企业成员导入本企业需求时可留空"),
        Column("industry", "所属行业", kind="choice", width=28, options=lambda: [
            (f"{item.code} {item.name}", item) for item in IndustryClass.objects.order_by("sort_order", "code")]),
        Column("tech_field", "高新技术领域", kind="choice", width=28, options=lambda: [
            (f"{item.parent.name}/{item.name}" if item.parent_id else item.name, item)
            for item in TechField.objects.select_related("parent").order_by("code")]),
        Column("chain", "产业链", kind="choice", options=lambda: [
            (item.name, item) for item in IndustryChain.objects.filter(is_active=True)]),
        Column("district", "所在区县", kind="choice", options=lambda: [
            (item.name, item) for item in District.objects.filter(is_active=True)]),
        Column("budget_min", "预算下限（万元）", kind="decimal"),
        Column("budget_max", "预算上限（万元）", kind="decimal"),
        Column("deadline", "截止日期", kind="date", note="如 2026-12-31"),
        Column("cooperation_modes", "合作方式", kind="choices", options=lambda: [
            (str(label), value) for value, label in CooperationMode.choices]),
        Column("confidential", "详情保密", kind="bool", options=bool_options, note="是 或 否；不填视为否"),
        Column("contact_name", "联系人", max_length=60),
        Column("contact_phone", "联系电话", max_length=20, note="11位手机号"),
    ])


def import_demands(*, uploaded, by, dry_run: bool, progress=None) -> ImportResult:
    """Checks every row with `clean_demand`, the rules of the edit form and the API; all rows or
    none. The bureau's rows are published at once; an enterprise imports its own demands, which
    wait for review."""
    trusted = by is None or by.is_bureau_staff
    member_org = None if trusted else by.organization
    enterprises = {org.uscc: org for org in Organization.objects.filter(
        status="verified", kind=OrganizationKind.ENTERPRISE).select_related("district")}
    status = DemandStatus.PUBLISHED if trusted else DemandStatus.SUBMITTED

    def build(values):
        errors = {}
        owner, problem = sheet_owner(
            values["owner_uscc"], owners=enterprises, member_organization=member_org,
            unknown=_("No verified enterprise has this credit code."),
            foreign=_("You can only import the demands of your own enterprise."))
        if problem:
            errors["owner"] = [problem]
        demand = Demand(
            title=values["title"] or "", public_summary=values["public_summary"] or "",
            description=values["description"] or "", keywords=values["keywords"] or "", owner=owner,
            industry=values["industry"], tech_field=values["tech_field"], chain=values["chain"],
            district=values["district"], budget_min=values["budget_min"], budget_max=values["budget_max"],
            deadline=values["deadline"], cooperation_modes=values["cooperation_modes"],
            confidential=bool(values["confidential"]), contact_name=values["contact_name"] or "",
            contact_phone=values["contact_phone"] or "",
        )
        try:
            clean_demand(demand)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)
        return demand

    return import_rows(
        demand_spec(), uploaded, build=build, dry_run=dry_run, progress=progress, columns={"owner": "owner_uscc"},
        preview=lambda values: {"name": values["title"]},
        write=lambda demands, progress: demands_bulk_publish(by=by, demands=demands, source_label="xlsx",
                                                             status=status, progress=progress))


def export_records(queryset, *, unmask: bool = False):
    spec = demand_spec()
    labels = {column.key: {value: label for label, value in column.options()}
              for column in spec.columns if column.kind == "choice"}
    for demand in queryset.select_related("owner", "industry", "tech_field__parent", "chain", "district").iterator(
            chunk_size=2000):
        row = {key: getattr(demand, key, None) for key in (
            "title", "public_summary", "keywords", "industry", "tech_field", "chain", "district", "budget_min",
            "budget_max", "deadline", "cooperation_modes", "confidential", "contact_name")}
        row |= {"description": demand.description if (unmask or not demand.confidential) else "",
                "owner_uscc": demand.owner.uscc,
                "contact_phone": demand.contact_phone if unmask else demand.contact_phone_masked}
        yield [(None if row[c.key] is None else labels[c.key].get(row[c.key], str(row[c.key])))
               if c.kind == "choice" else c.format(row[c.key]) for c in spec.columns]
