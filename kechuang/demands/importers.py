"""The demands sheet: its template, import and export (see core.importing)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kechuang.accounts.choices import OrganizationKind
from kechuang.accounts.models import Organization
from kechuang.accounts.selectors import sheet_owner
from kechuang.core.importing import Column, ImportSpec, RowError, bool_options, option_lookup, read_sheet
from kechuang.core.models import District, IndustryChain, IndustryClass, TechField
from kechuang.demands.choices import CooperationMode, DemandStatus
from kechuang.demands.models import Demand
from kechuang.demands.services import demands_bulk_publish


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
        Column("contact_phone", "联系电话", kind="mobile", note="11位手机号"),
    ])


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)


def import_demands(*, uploaded, by, dry_run: bool, progress=None) -> ImportResult:
    """All rows or none. Enterprises import their own demands (published after review is not
    needed for a bulk import by the bureau; an enterprise's rows wait for review)."""
    spec = demand_spec()
    parsed = read_sheet(uploaded, spec, lookups={c.key: option_lookup(c) for c in spec.columns}, progress=progress)
    result = ImportResult(rows=len(parsed.rows), errors=list(parsed.errors))
    trusted = by is None or by.is_bureau_staff
    member_org = None if trusted else by.organization
    enterprises = {org.uscc: org for org in Organization.objects.filter(
        status="verified", kind=OrganizationKind.ENTERPRISE).select_related("district")}
    headers = {column.key: column.header for column in spec.columns}
    demands = []
    for row_number, values in parsed.rows:
        def error(key, message, row_number=row_number):
            result.errors.append(RowError(row_number, headers[key], message))

        owner, problem = sheet_owner(
            values["owner_uscc"], owners=enterprises, member_organization=member_org,
            unknown=_("No verified enterprise has this credit code."),
            foreign=_("You can only import the demands of your own enterprise."))
        if problem:
            error("owner_uscc", problem)
        low, high = values["budget_min"], values["budget_max"]
        if low is not None and high is not None and low > high:
            error("budget_max", _("The upper end of the budget is below the lower end."))
        if result.errors:
            continue
        demands.append(Demand(
            title=values["title"], public_summary=values["public_summary"], description=values["description"] or "",
            keywords=values["keywords"] or "", owner=owner, industry=values["industry"],
            tech_field=values["tech_field"], chain=values["chain"], district=values["district"], budget_min=low,
            budget_max=high, deadline=values["deadline"], cooperation_modes=values["cooperation_modes"],
            confidential=bool(values["confidential"]), contact_name=values["contact_name"] or "",
            contact_phone=values["contact_phone"] or "",
        ))
    result.preview = [{"row": number, "name": values["title"]} for number, values in parsed.rows[:20]]
    if result.errors or dry_run:
        return result
    status = DemandStatus.PUBLISHED if trusted else DemandStatus.SUBMITTED
    result.created = demands_bulk_publish(by=by, demands=demands, source_label="xlsx", status=status,
                                          progress=progress)
    return result


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
