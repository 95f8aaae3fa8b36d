"""The programme's documents: the award letter (立项通知书) as PDF and Word, an application as a PDF,
the review summary (评审意见汇总表) as a PDF and the review results as an Excel workbook."""

from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.documents import render_pdf, word_document
from kechuang.core.excel import workbook_bytes
from kechuang.core.language import bilingual, format_number
from kechuang.programs import selectors
from kechuang.programs.choices import FieldType


def _letter_facts(project) -> list[tuple[str, str]]:
    application = project.application
    return [(_("Project reference"), project.funded_project.reference), (_("Project title"), application.title),
            (_("Programme"), application.call.programme.display_name), (_("Call"), application.call.title),
            (_("Organisation"), application.organization.name), (_("Project lead"), application.applicant.name),
            (_("Award (10,000 yuan)"), format_number(project.amount)),
            (_("Duration"), f"{project.starts_on:%Y-%m-%d} — {project.ends_on:%Y-%m-%d}")]


def _letter_body(project) -> str:
    return _("Upon expert review and the bureau's decision, the project above is funded under %(programme)s. "
             "Please sign the task book within 30 days, carry out the project as agreed, report at each "
             "milestone and, after acceptance, register the project's results in the city's achievements "
             "database.") % {"programme": project.application.call.programme.display_name}


def award_letter_pdf(project) -> bytes:
    return render_pdf("programs/pdf/award_letter.html", {
        "project": project, "facts": _letter_facts(project), "body": _letter_body(project),
        "disbursements": project.disbursements.all(), "today": timezone.localdate()})


def award_letter_docx(project) -> bytes:
    blocks = [("paragraph", f"{project.application.organization.name}："), ("paragraph", _letter_body(project)),
              ("table", [_("Item"), _("Content")], _letter_facts(project))]
    disbursements = list(project.disbursements.all())
    if disbursements:
        blocks += [("heading", _("Disbursement schedule")),
                   ("table", [_("Stage"), _("Planned for"), _("Amount (10,000 yuan)")],
                    [(d.stage, f"{d.planned_on:%Y-%m-%d}", format_number(d.amount)) for d in disbursements])]
    blocks += [("right", _("City Science and Technology Bureau")), ("right", f"{timezone.localdate():%Y-%m-%d}")]
    return word_document(title=_("Award letter"), blocks=blocks)


def answer_rows(application) -> list[tuple[str, object, dict]]:
    """(label, value, field) for each field of the call's form, in order."""
    return [(bilingual(field, "label"), application.answers.get(field["key"]), field)
            for field in application.call.form_schema]


def application_pdf(application) -> bytes:
    return render_pdf("programs/pdf/application.html", {
        "application": application, "partners": selectors.partner_names(application),
        "answers": answer_rows(application), "TABLE": FieldType.TABLE, "ATTACHMENT": FieldType.ATTACHMENT,
        "today": timezone.localdate()})


def review_summary_pdf(call, rows) -> bytes:
    return render_pdf("programs/pdf/review_summary.html", {
        "call": call, "rows": rows, "criteria": call.criteria, "today": timezone.localdate()})


def results_workbook(call, rows) -> bytes:
    headers = [_("Rank"), _("Reference"), _("Project title"), _("Organisation"), _("Reviews"),
               _("Mean raw score"), _("Mean normalised score"), _("Outlier reviews"), _("Status"),
               _("Awarded amount (10,000 yuan)")]
    body = []
    for row in rows:
        ranked = row.ranked
        body.append([ranked.rank if ranked else "", row.application.reference, row.application.title,
                     row.application.organization.name, len(row.reviews),
                     round(ranked.raw_mean, 2) if ranked else "", round(ranked.normalised_mean, 2) if ranked else "",
                     len(ranked.outliers) if ranked else 0, row.application.get_status_display(),
                     row.application.awarded_amount or ""])
    return workbook_bytes(title=_("Review results"), headers=headers, rows=body)
