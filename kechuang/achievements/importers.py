"""The achievements sheet: its template, import and export (see core.importing)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from kechuang.accounts.models import Organization
from kechuang.accounts.selectors import sheet_owner
from kechuang.achievements.choices import AchievementForm, AchievementSource, AchievementStatus, TransferMode
from kechuang.achievements.models import Achievement, Completer, FacetKeys, FundedProject
from kechuang.achievements.services import achievements_bulk_create, funded_projects_create
from kechuang.core.importing import (
    Column,
    ImportSpec,
    RowError,
    bool_options,
    option_lookup,
    read_sheet,
)
from kechuang.core.models import IndustryChain, IndustryClass, ReadinessLevel, TechField
from kechuang.core.validators import normalize_patent_number, validate_patent_number


def _tech_fields():
    return [(f"{item.parent.name}/{item.name}" if item.parent_id else item.name, item) for item in
            TechField.objects.select_related("parent").order_by("code")]


def _industries():
    return [(f"{item.code} {item.name}", item) for item in IndustryClass.objects.order_by("sort_order", "code")]


def achievement_spec() -> ImportSpec:
    return ImportSpec(name="achievements", sheet_title="科技成果", columns=[
        Column("name", "成果名称", required=True, max_length=200, width=30),
        Column("summary", "成果简介", required=True, max_length=500, width=40, note="不超过500字，公开展示"),
        Column("description", "详细介绍", width=40),
        Column("keywords", "关键词", max_length=200, note="以逗号分隔"),
        Column("owner_uscc", "成果单位统一社会信用代码", max_length=18, width=22,
               note="平台已认证单位的18位代码；单位成员导入本单位成果时可留空"),
        Column("form", "成果形式", required=True, kind="choice", options=lambda: [(str(label), value) for value, label
                                                                               in AchievementForm.choices]),
        Column("tech_field", "高新技术领域", kind="choice", options=_tech_fields, width=28),
        Column("industry", "所属行业", kind="choice", options=_industries, width=28, note="GB/T 4754-2017 大类"),
        Column("chain", "产业链", kind="choice", options=lambda: [(item.name, item) for item in
                                                               IndustryChain.objects.filter(is_active=True)]),
        Column("readiness", "技术就绪度", kind="choice", options=lambda: [(f"{item.level} {item.name}", item) for item
                                                                       in ReadinessLevel.objects.all()]),
        Column("patent_numbers", "专利号", note="多个以、分隔，如 ZL201710601862.3", width=24),
        Column("transfer_modes", "转化方式", kind="choices", options=lambda: [(str(label), value) for value, label
                                                                           in TransferMode.choices]),
        Column("price", "转化价格（万元）", kind="decimal"),
        Column("price_negotiable", "价格面议", kind="bool", options=bool_options, note="是 或 否；不填视为面议"),
        Column("funded_project", "资助项目编号", max_length=40, note="财政资助项目成果填写项目编号"),
        Column("contact_name", "联系人", max_length=60),
        Column("contact_phone", "联系电话", kind="mobile", note="11位手机号"),
        Column("completers", "完成人", note="按排名，以、分隔；角色写在冒号后，如 张三:负责人、李四", width=30),
    ])


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _completers(text) -> list[tuple[str, str]]:
    result = []
    for part in (text or "").replace("；", "、").replace(";", "、").split("、"):
        name, _sep, role = part.replace("：", ":").partition(":")
        if name.strip():
            result.append((name.strip(), role.strip()))
    return result


def import_achievements(*, uploaded, by, dry_run: bool, progress=None) -> ImportResult:
    """Validates every row; writes all rows in one transaction, or nothing when any row is wrong
    or on a dry run. A member of an organisation imports its own records, which go to review;
    the bureau or a system import (by=None) names each row's owner by its credit code and
    publishes them."""
    spec = achievement_spec()
    trusted = by is None or by.is_bureau_staff
    status = AchievementStatus.PUBLISHED if trusted else AchievementStatus.SUBMITTED
    lookups = {column.key: option_lookup(column) for column in spec.columns}
    parsed = read_sheet(uploaded, spec, lookups=lookups, progress=progress)
    result = ImportResult(rows=len(parsed.rows), errors=list(parsed.errors))
    member_org = None if trusted else by.organization
    owners = {org.uscc: org for org in Organization.objects.filter(status="verified").select_related("district")}
    projects = {project.reference: project for project in FundedProject.objects.all()}
    keys = FacetKeys()
    headers = {column.key: column.header for column in spec.columns}
    records = []
    for row_number, values in parsed.rows:
        def error(key, message, row_number=row_number):
            result.errors.append(RowError(row_number, headers[key], message))

        owner, problem = sheet_owner(
            values["owner_uscc"], owners=owners, member_organization=member_org,
            unknown=_("No verified organisation has this credit code."),
            foreign=_("You can only import the achievements of your own organisation."))
        if problem:
            error("owner_uscc", problem)
        patents = []
        for number in _split(values["patent_numbers"]):
            try:
                validate_patent_number(number)
                patents.append(normalize_patent_number(number))
            except ValidationError as problem:
                error("patent_numbers", " ".join(problem.messages))
        project = None
        if values["funded_project"]:
            project = projects.get(values["funded_project"])
            if project is None or (owner is not None and project.organization_id != owner.pk):
                error("funded_project", _("No funded project of this organisation has this reference."))
        negotiable = values["price_negotiable"] if values["price_negotiable"] is not None else values["price"] is None
        if not negotiable and values["price"] is None:
            error("price", _("Give an asking price or mark the price as negotiable."))
        if result.errors:
            continue  # keep checking the other rows, but build nothing more
        achievement = Achievement(
            name=values["name"], summary=values["summary"], description=values["description"] or "",
            keywords=values["keywords"] or "", owner=owner, form=values["form"], tech_field=values["tech_field"],
            industry=values["industry"], chain=values["chain"], readiness=values["readiness"],
            patent_numbers="\n".join(patents), transfer_modes=values["transfer_modes"], price=values["price"],
            price_negotiable=negotiable, source=AchievementSource.FUNDED if project else AchievementSource.IMPORT,
            funded_project=project, contact_name=values["contact_name"] or "",
            contact_phone=values["contact_phone"] or "",
        )
        achievement.set_facet_keys(keys)
        records.append((achievement, _completers(values["completers"])))
    result.preview = [{"row": number, "name": values["name"], "form": values["form"]}
                      for number, values in parsed.rows[:20]]
    if result.errors or dry_run:
        return result
    result.created = achievements_bulk_create(by=by, records=records, source_label="xlsx", status=status,
                                              progress=progress)
    return result


def _split(text) -> list[str]:
    return [part.strip() for part in (text or "").replace("；", "、").replace(";", "、").replace("\n", "、")
            .split("、") if part.strip()]


def export_records(queryset, *, unmask: bool = False):
    """Rows in the template layout for `core.importing.template_workbook`; contact phones are
    masked unless `unmask`."""
    spec = achievement_spec()
    labels = {key: {value: label for label, value in column.options()} for key, column in
              ((c.key, c) for c in spec.columns) if column.options}
    records = queryset.select_related("owner", "tech_field__parent", "industry", "chain", "readiness",
                                      "funded_project").prefetch_related(
        Prefetch("completers", queryset=Completer.objects.order_by("order")))
    for achievement in records.iterator(chunk_size=2000):
        row = {
            "name": achievement.name, "summary": achievement.summary, "description": achievement.description,
            "keywords": achievement.keywords, "owner_uscc": achievement.owner.uscc, "form": achievement.form,
            "tech_field": achievement.tech_field, "industry": achievement.industry, "chain": achievement.chain,
            "readiness": achievement.readiness, "patent_numbers": "、".join(achievement.patent_number_list),
            "transfer_modes": achievement.transfer_modes, "price": achievement.price,
            "price_negotiable": achievement.price_negotiable,
            "funded_project": achievement.funded_project.reference if achievement.funded_project else None,
            "contact_name": achievement.contact_name,
            "contact_phone": achievement.contact_phone if unmask else achievement.contact_phone_masked,
            "completers": "、".join(f"{c.name}:{c.role}" if c.role else c.name for c in achievement.completers.all()),
        }
        yield [_label(labels[column.key], row[column.key]) if column.kind == "choice"
               else column.format(row[column.key]) for column in spec.columns]


def _label(labels: dict, value):
    return None if value is None else labels.get(value, str(value))


def funded_project_spec() -> ImportSpec:
    return ImportSpec(name="funded-projects", sheet_title="资助项目", columns=[
        Column("reference", "项目编号", required=True, max_length=40),
        Column("title", "项目名称", required=True, max_length=200, width=30),
        Column("owner_uscc", "承担单位统一社会信用代码", required=True, max_length=18, width=22),
        Column("programme", "计划类别", max_length=100),
        Column("year", "立项年度", required=True, kind="decimal"),
        Column("amount", "资助金额（万元）", kind="decimal"),
        Column("accepted_on", "验收日期", kind="date"),
    ])


def import_funded_projects(*, uploaded, by, dry_run: bool, progress=None) -> ImportResult:
    """The bureau's list of funded projects whose results must be registered (成果登记汇交).
    A reference already loaded is refused, so a file is never imported twice."""
    spec = funded_project_spec()
    parsed = read_sheet(uploaded, spec, lookups={}, progress=progress)
    result = ImportResult(rows=len(parsed.rows), errors=list(parsed.errors))
    owners = dict(Organization.objects.filter(status="verified").values_list("uscc", "pk"))
    known = set(FundedProject.objects.values_list("reference", flat=True))
    headers = {column.key: column.header for column in spec.columns}
    projects, seen = [], set()
    for row_number, values in parsed.rows:
        def error(key, message, row_number=row_number):
            result.errors.append(RowError(row_number, headers[key], message))

        reference = values["reference"]
        if reference in known or reference in seen:
            error("reference", _("This project reference is already loaded."))
        seen.add(reference)
        owner_id = owners.get((values["owner_uscc"] or "").upper())
        if owner_id is None:
            error("owner_uscc", _("No verified organisation has this credit code."))
        year = values["year"]
        if year is not None and not (1990 <= year <= 2100 and year == int(year)):
            error("year", _("Enter a year such as 2025."))
        if not result.errors:
            projects.append(FundedProject(reference=reference, title=values["title"], organization_id=owner_id,
                                          programme=values["programme"] or "", year=int(year),
                                          amount=values["amount"], accepted_on=values["accepted_on"]))
    result.preview = [{"row": number, "name": values["title"]} for number, values in parsed.rows[:20]]
    if result.errors or dry_run:
        return result
    result.created = funded_projects_create(by=by, projects=projects)
    return result


def export_funded_projects():
    spec = funded_project_spec()
    for project in FundedProject.objects.select_related("organization").order_by("reference"):
        row = {"reference": project.reference, "title": project.title, "owner_uscc": project.organization.uscc,
               "programme": project.programme, "year": project.year, "amount": project.amount,
               "accepted_on": project.accepted_on}
        yield [column.format(row[column.key]) for column in spec.columns]
