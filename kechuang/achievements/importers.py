"""The achievements sheet: its template, import and export (see core.importing)."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from kechuang.accounts.models import Organization
from kechuang.accounts.selectors import sheet_owner
from kechuang.achievements.choices import AchievementForm, AchievementSource, AchievementStatus, TransferMode
from kechuang.achievements.models import Achievement, Completer, FacetKeys, FundedProject
from kechuang.achievements.services import (
    achievements_bulk_create,
    clean_achievement,
    clean_funded_project,
    funded_projects_create,
)
from kechuang.core.importing import Column, ImportResult, ImportSpec, bool_options, import_rows
from kechuang.core.models import IndustryChain, IndustryClass, ReadinessLevel, TechField


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
        Column("contact_phone", "联系电话", max_length=20, note="11位手机号"),
        Column("completers", "完成人", note="按排名，以、分隔；角色写在冒号后，如 张三:负责人、李四", width=30),
    ])


def _completers(text) -> list[tuple[str, str]]:
    result = []
    for part in (text or "").replace("；", "、").replace(";", "、").split("、"):
        name, _sep, role = part.replace("：", ":").partition(":")
        if name.strip():
            result.append((name.strip(), role.strip()))
    return result


def import_achievements(*, uploaded, by, dry_run: bool, progress=None) -> ImportResult:
    """Checks every row with `clean_achievement`, the rules of the edit form and the API; writes
    all rows in one transaction, or nothing when any row is wrong or on a dry run. A member of an
    organisation imports its own records, which go to review; the bureau or a system import
    (by=None) names each row's owner by its credit code and publishes them."""
    trusted = by is None or by.is_bureau_staff
    status = AchievementStatus.PUBLISHED if trusted else AchievementStatus.SUBMITTED
    member_org = None if trusted else by.organization
    owners = {org.uscc: org for org in Organization.objects.filter(status="verified").select_related("district")}
    projects = {project.reference: project for project in FundedProject.objects.all()}
    keys = FacetKeys()

    def build(values):
        errors = {}
        owner, problem = sheet_owner(
            values["owner_uscc"], owners=owners, member_organization=member_org,
            unknown=_("No verified organisation has this credit code."),
            foreign=_("You can only import the achievements of your own organisation."))
        if problem:
            errors["owner"] = [problem]
        project = projects.get(values["funded_project"]) if values["funded_project"] else None
        if values["funded_project"] and project is None:
            errors["funded_project"] = [_("No funded project of this organisation has this reference.")]
        negotiable = values["price_negotiable"] if values["price_negotiable"] is not None else values["price"] is None
        achievement = Achievement(
            name=values["name"] or "", summary=values["summary"] or "", description=values["description"] or "",
            keywords=values["keywords"] or "", owner=owner, form=values["form"], tech_field=values["tech_field"],
            industry=values["industry"], chain=values["chain"], readiness=values["readiness"],
            patent_numbers="\n".join(_split(values["patent_numbers"])), transfer_modes=values["transfer_modes"],
            price=values["price"], price_negotiable=negotiable,
            source=AchievementSource.FUNDED if project else AchievementSource.IMPORT, funded_project=project,
            contact_name=values["contact_name"] or "", contact_phone=values["contact_phone"] or "",
        )
        completers = _completers(values["completers"])
        try:
            clean_achievement(achievement, completers, keys=keys)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)
        return achievement, completers

    return import_rows(
        achievement_spec(), uploaded, build=build, dry_run=dry_run, progress=progress, columns={"owner": "owner_uscc"},
        preview=lambda values: {"name": values["name"], "form": values["form"]},
        write=lambda records, progress: achievements_bulk_create(by=by, records=records, source_label="xlsx",
                                                                 status=status, progress=progress))


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
        Column("year", "立项年度", required=True, kind="integer"),
        Column("amount", "资助金额（万元）", kind="decimal"),
        Column("accepted_on", "验收日期", kind="date"),
    ])


def import_funded_projects(*, uploaded, by, dry_run: bool, progress=None) -> ImportResult:
    """The bureau's list of funded projects whose results must be registered (成果登记汇交).
    A reference already loaded, or twice in the sheet, is refused, so a file is never imported
    twice."""
    owners = dict(Organization.objects.filter(status="verified").values_list("uscc", "pk"))
    seen = set()

    def build(values):
        errors = {}
        owner_id = owners.get((values["owner_uscc"] or "").upper())
        if owner_id is None:
            errors["organization"] = [_("No verified organisation has this credit code.")]
        if values["reference"] in seen:
            errors["reference"] = [_("This project reference is already loaded.")]
        seen.add(values["reference"])
        project = FundedProject(reference=values["reference"] or "", title=values["title"] or "",
                                organization_id=owner_id, programme=values["programme"] or "", year=values["year"],
                                amount=values["amount"], accepted_on=values["accepted_on"])
        try:
            clean_funded_project(project)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, messages)
        if errors:
            raise ValidationError(errors)
        return project

    return import_rows(funded_project_spec(), uploaded, build=build, dry_run=dry_run, progress=progress,
                       columns={"organization": "owner_uscc"}, preview=lambda values: {"name": values["title"]},
                       write=lambda projects, progress: funded_projects_create(by=by, projects=projects))


def export_funded_projects():
    spec = funded_project_spec()
    for project in FundedProject.objects.select_related("organization").order_by("reference"):
        row = {"reference": project.reference, "title": project.title, "owner_uscc": project.organization.uscc,
               "programme": project.programme, "year": project.year, "amount": project.amount,
               "accepted_on": project.accepted_on}
        yield [column.format(row[column.key]) for column in spec.columns]
