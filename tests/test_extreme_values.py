"""Every stored value the columns and validators allow can be shown. Each record type is filled with
its fields' extreme allowed values (the highest, then the lowest number; the longest text; the
earliest and latest date), read from the model fields and their validators, so the test follows
the ranges the models declare. Then every list, detail and file page of the ACCESS_CASES tables and
every Excel export is requested as a persona that may see it: each answers as the table says, and a
file answer opens (xlsx, PDF, Word)."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, models, transaction
from django.test import Client
from django.utils import timezone

from kechuang.core.importing import SHEETS
from kechuang.core.models import Attachment, AuditChainHead, AuditEvent, Job
from tests import fuzzing
from tests.populated import populate
from tests.test_url_policies import all_access_cases

# Rows whose values are not free data: the audit chain (hashed), the ledger (balanced by constraints)
# and the reference tables every form reads.
SKIPPED_MODELS = {AuditEvent, AuditChainHead}
SKIPPED_APPS_MODELS = {"vouchers.LedgerAccount", "vouchers.Movement"}
# Texts with a format the code parses or matches (codes, keys), not free text; the columns the code
# fills itself (editable=False: digests, prefixes, facets) are left out too.
FORMATTED = {"uscc", "email", "mobile", "key", "source", "target", "code", "order_ref", "idempotency_key",
             "patent_numbers", "password", "id_card", "content_type", "kind", "purpose", "filename",
             "storage_name", "language", "price_unit"}


# What an extreme value rightly changes: an invitation that expired in 1900 is no longer open.
EXPECTED_WITH_EXTREMES = {("low", "accounts:invitation_accept"): 404}
# Pages that serve the bytes a user uploaded (the access tables upload a stub PDF), not a generated file.
UPLOADED_FILES = {"core:attachment_download"}


def extreme_models():
    return [model for model in fuzzing.our_models()
            if model not in SKIPPED_MODELS and model._meta.label not in SKIPPED_APPS_MODELS
            and (model._meta.app_label != "core" or model is Job)]


def set_extremes(end: str) -> list[str]:
    """Gives every row of every record type its fields' `end` ("high" or "low") allowed value: all
    fields of a table in one update, or, where a table constraint refuses the combination (or a
    unique column the repeated value), one field at a time, leaving out what is refused."""
    refused = []
    for model in extreme_models():
        values = {}
        for field in fuzzing.ranged_fields(model):
            if not field.editable or field.name in FORMATTED or field.unique:
                continue
            if candidates := fuzzing.extreme_values(field):
                values[field.attname] = max(candidates) if end == "high" else min(candidates)
        if not values:
            continue
        try:
            with transaction.atomic():
                model._base_manager.update(**values)
            continue
        except IntegrityError:
            pass
        for name, value in values.items():
            try:
                with transaction.atomic():
                    model._base_manager.update(**{name: value})
            except IntegrityError:
                refused.append(f"{model._meta.label}.{name}")
    return refused


def file_opens(response) -> None:
    content_type = response.get("Content-Type", "")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        import openpyxl

        openpyxl.load_workbook(io.BytesIO(data))
    elif "pdf" in content_type:
        import pypdf

        assert len(pypdf.PdfReader(io.BytesIO(data)).pages) >= 1
    elif "wordprocessingml" in content_type:
        import docx

        docx.Document(io.BytesIO(data))


def pages_to_read():
    """Every GET of the access tables, with the first persona allowed to read it."""
    for case in all_access_cases():
        allowed = [persona for persona, status in case.allowed.items() if status == 200]
        if case.method == "get" and allowed:
            yield case, allowed[0]


@pytest.mark.slow
@pytest.mark.parametrize("end", ["high", "low"])
def test_every_page_and_file_shows_the_extreme_allowed_values(end, world, settings):
    """Each page in a savepoint of its own: its object is built (the access table's builder), every
    row then gets the extremes, the page is read, and all is rolled back for the next one."""
    settings.ALLOWED_HOSTS = ["*"]
    populate(world)
    failures = []
    client = Client(raise_request_exception=False)
    for case, persona in pages_to_read():
        with transaction.atomic():
            url = case.url(world)
            set_extremes(end)
            client.logout()
            if persona != "public":
                client.force_login(getattr(world.users, persona))
            response = client.get(url, case.data(world))
            if response.status_code != EXPECTED_WITH_EXTREMES.get((end, case.url_name), 200):
                failures.append(f"{case.url_name} {url} as {persona}: {response.status_code}")
            elif case.url_name not in UPLOADED_FILES:
                try:
                    file_opens(response)
                except Exception as error:  # collect every page's problem in one report
                    failures.append(f"{case.url_name} {url} as {persona}: the file does not open ({error})")
            transaction.set_rollback(True)
    assert failures == []


def exported_file(client, start, on_commit) -> object:
    """Runs an export the way the page does (a job, its task on commit) and fetches its file."""
    before = Job.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with on_commit(execute=True):
        response = start()
    assert response.status_code in (200, 302)
    job = Job.objects.filter(pk__gt=before).get()
    assert job.state == "succeeded", job.message
    download = client.get(f"/files/{job.result_attachment.uuid}/")
    assert download.status_code == 200
    assert "spreadsheetml" in download["Content-Type"]
    return download


@pytest.mark.parametrize("end", ["high", "low"])
def test_every_excel_export_holds_the_extreme_allowed_values(end, world, django_capture_on_commit_callbacks):
    populate(world)
    set_extremes(end)
    client = Client()
    client.force_login(world.users.bureau_admin)
    libraries = sorted(name for name, sheet in SHEETS.items() if sheet.export_for)
    assert libraries
    on_commit = django_capture_on_commit_callbacks
    for library in libraries:
        file_opens(exported_file(client, lambda library=library: client.get(f"/export/{library}/"), on_commit))
    file_opens(exported_file(client, lambda: client.post("/audit/export/"), on_commit))


def test_the_extremes_come_from_the_fields_and_their_validators():
    from django.core.validators import MaxValueValidator, MinValueValidator

    price = models.DecimalField(max_digits=14, decimal_places=2)
    assert fuzzing.field_limits(price) == (Decimal("-999999999999.99"), Decimal("999999999999.99"))
    ranged = models.IntegerField(validators=[MinValueValidator(1), MaxValueValidator(9)])
    assert fuzzing.field_limits(ranged) == (1, 9)
    deadline = models.DateField(validators=[MinValueValidator(date(2020, 1, 1))])
    assert fuzzing.extreme_values(deadline) == [date(2020, 1, 1)]
    when = models.DateTimeField()
    assert all(timezone.is_aware(value) for value in fuzzing.extreme_values(when))
    assert isinstance(fuzzing.extreme_values(when)[0], datetime)
    assert fuzzing.extreme_values(models.CharField(max_length=3)) == ["测测测"]
    assert Attachment in fuzzing.our_models()


def test_the_extremes_reach_the_records(world):
    from kechuang.achievements.models import Achievement

    populate(world)
    set_extremes("high")
    price = Achievement._meta.get_field("price")
    for achievement in Achievement.objects.all():
        assert achievement.price == fuzzing.field_limits(price)[1]
        assert len(achievement.name) == Achievement._meta.get_field("name").max_length
    set_extremes("low")
    assert {achievement.price for achievement in Achievement.objects.all()} == {fuzzing.field_limits(price)[0]}
