from django.contrib import messages
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from kechuang.core import selectors, services
from kechuang.core.files import KINDS
from kechuang.core.forms import SheetUploadForm
from kechuang.core.importing import SHEETS, template_workbook
from kechuang.core.models import AuditEvent
from kechuang.core.policies import (
    PUBLIC,
    SIGNED_IN,
    can_edit_reference_data,
    can_view_audit_log,
    view_policy,
)
from kechuang.core.reference import REFERENCE_TABLES, TABLE_TITLES, reference_form_class
from kechuang.core.tasks import export_audit_log
from kechuang.core.validators import parse_whole
from kechuang.core.web import creates_once, paginate, query_without_page


@view_policy(PUBLIC)
def home(request):
    return render(request, "core/home.html")


@view_policy(PUBLIC)
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


set_language = view_policy(PUBLIC)(django_set_language)


# --- notifications -----------------------------------------------------------------------


@view_policy(SIGNED_IN)
def notification_list(request):
    page = paginate(request, selectors.notification_list(request.user))
    return render(request, "core/notifications.html", {"page": page})


@require_POST
@view_policy(SIGNED_IN)
def notifications_mark_read(request):
    ids = [pk for value in request.POST.getlist("id") if (pk := parse_whole(value)) is not None]
    services.notifications_mark_read(user=request.user, notification_ids=ids or None)
    if request.htmx:
        return render(request, "core/_bell.html", {"unread_count": selectors.unread_notification_count(request.user)})
    return redirect("core:notifications")


@view_policy(SIGNED_IN)
def notification_bell(request):
    return render(request, "core/_bell.html", {"unread_count": selectors.unread_notification_count(request.user)})


# --- background jobs and files --------------------------------------------------------------


@view_policy(SIGNED_IN)
def job_status(request, job_uuid):
    job = selectors.job_for(request.user, job_uuid)
    return render(request, "core/_job_progress.html", {"job": job})


@view_policy(SIGNED_IN)
def attachment_download(request, attachment_uuid):
    attachment = selectors.attachment_for(request.user, attachment_uuid)
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- audit log -----------------------------------------------------------------------------


def _audit_filters(params) -> dict:
    def as_date(name):
        try:
            return parse_date(params.get(name, ""))
        except ValueError:
            return None

    return {
        "action": params.get("action", "").strip(),
        "object_type": params.get("object_type", "").strip(),
        "actor": params.get("actor", "").strip(),
        "date_from": as_date("date_from"),
        "date_to": as_date("date_to"),
    }


@view_policy(can_view_audit_log, description="bureau admins")
def audit_log(request):
    filters = _audit_filters(request.GET)
    page = paginate(request, selectors.audit_event_list(**filters), per_page=50)
    object_types = AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct()
    context = {"page": page, "filters": filters, "object_types": sorted(filter(None, object_types)),
               "querystring": query_without_page(request)}
    return render(request, "core/audit_log.html", context)


@require_POST
@view_policy(can_view_audit_log, description="bureau admins")
def audit_log_export(request):
    filters = _audit_filters(request.POST)
    job = services.job_create(kind="audit_export", title=_("Audit log export"), owner=request.user)
    # Dates travel to the worker as ISO text: task arguments must be JSON.
    arguments = {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in filters.items()}
    export_audit_log.enqueue(job.pk, arguments, get_language())
    job.refresh_from_db()
    return render(request, "core/job.html", {"job": job})


@view_policy(SIGNED_IN)
def job_page(request, job_uuid):
    job = selectors.job_for(request.user, job_uuid)
    return render(request, "core/job.html", {"job": job})


# --- reference data ------------------------------------------------------------------------


@view_policy(can_edit_reference_data, description="bureau admins")
def reference_index(request):
    tables = [(key, TABLE_TITLES[key], REFERENCE_TABLES[key][0].objects.count()) for key in REFERENCE_TABLES]
    return render(request, "core/reference_index.html", {"tables": tables})


@view_policy(can_edit_reference_data, description="bureau admins")
def reference_table(request, table):
    if table not in REFERENCE_TABLES:
        raise Http404
    model, fields = REFERENCE_TABLES[table]
    items = model.objects.all()
    if "parent" in fields:
        items = items.select_related("parent")
    return render(request, "core/reference_table.html", {
        "table": table, "title": TABLE_TITLES[table], "page": paginate(request, items, per_page=100),
        "fields": [model._meta.get_field(name) for name in fields],
        # each name in its own language, whatever the page's (docs/architecture.md, "Language")
        "chinese_columns": ("name", "description"), "english_columns": ("name_en", "description_en"),
    })


@view_policy(can_edit_reference_data, description="bureau admins")
@creates_once
def reference_edit(request, table, pk=None):
    if table not in REFERENCE_TABLES:
        raise Http404
    model = REFERENCE_TABLES[table][0]
    instance = get_object_or_404(model, pk=pk) if pk else None
    form = reference_form_class(table)(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.reference_item_save(form=form, by=request.user)
        messages.success(request, _("Saved."))
        return redirect("core:reference_table", table=table)
    return render(request, "core/reference_edit.html",
                  {"form": form, "table": table, "title": TABLE_TITLES[table], "instance": instance})


# --- spreadsheet imports (every library registered in core.importing.SHEETS) ----------------


def _sheet_or_404(library, user):
    sheet = SHEETS.get(library)
    if sheet is None or not sheet.can_import(user):
        raise Http404
    return sheet


@view_policy(SIGNED_IN)
def import_template(request, library):
    sheet = _sheet_or_404(library, request.user)
    response = HttpResponse(template_workbook(sheet.spec()), content_type=KINDS["xlsx"])
    response["Content-Disposition"] = content_disposition_header(True, f"{sheet.spec().sheet_title}导入模板.xlsx")
    return response


@view_policy(SIGNED_IN)
@creates_once
def import_sheet_page(request, library):
    sheet = _sheet_or_404(library, request.user)
    # Bound on every post, even one whose body came without readable parts, so it says what is missing.
    form = SheetUploadForm(request.POST, request.FILES) if request.method == "POST" else SheetUploadForm()
    if request.method == "POST":
        upload_uuid = request.POST.get("upload", "")
        if upload_uuid:  # the commit after a clean dry run: the same stored file
            dry_job = selectors.dry_run_for(request.user, upload_uuid)
            job = services.import_job_start(library=library, upload_uuid=dry_job.details["upload"], dry_run=False,
                                            by=request.user, language=get_language())
            return redirect("core:job", job_uuid=job.uuid)
        if form.is_valid():
            job = services.import_job_start(library=library, uploaded=form.cleaned_data["file"],
                                            dry_run=form.cleaned_data["dry_run"], by=request.user,
                                            language=get_language())
            return redirect("core:job", job_uuid=job.uuid)
    return render(request, "core/import.html", {"form": form, "sheet": sheet, "library": library})


@view_policy(SIGNED_IN)
def export_sheet(request, library):
    """Exports what the library's page lists for these filters, as a job (large lists take time)."""
    sheet = SHEETS.get(library)
    if sheet is None or sheet.export_for is None:
        raise Http404
    job = services.export_job_start(library=library, params=request.GET.dict(), by=request.user,
                                    language=get_language())
    return redirect("core:job", job_uuid=job.uuid)


def bad_request_message(exception) -> str:
    from django.http.multipartparser import MultiPartParserError

    from kechuang.core.middleware import NullCharacterInRequest

    if isinstance(exception, NullCharacterInRequest):
        return _("Text must not contain null characters.")
    if isinstance(exception, MultiPartParserError):
        return _("The upload could not be read: the request body is not well-formed multipart data.")
    return _("The request could not be read.")


def bad_request(request, exception):
    """The 400 page (config.urls.handler400): a body the server cannot read, such as a multipart
    upload without its boundary, or a NUL character says so instead of Django's bare English page."""
    from django.http import HttpResponseBadRequest

    message = bad_request_message(exception)
    try:
        return render(request, "400.html", {"message": message}, status=400)
    except Exception:  # a request too broken to render a page for (an unknown host): the message alone
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
