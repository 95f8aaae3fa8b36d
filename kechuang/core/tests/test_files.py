import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from kechuang.core.files import DOCUMENTS, SPREADSHEETS, attachment_store, inspect_upload, safe_filename
from kechuang.core.models import Attachment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(name, data):
    return SimpleUploadedFile(name, data)


def xlsx_bytes():
    workbook = Workbook()
    workbook.active.append(["名称", "数量"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_kind_is_decided_by_content_not_name():
    assert inspect_upload(upload("scan.jpg", PDF), DOCUMENTS) == "pdf"
    assert inspect_upload(upload("report.pdf", PNG), DOCUMENTS) == "png"
    assert inspect_upload(upload("data.bin", xlsx_bytes()), SPREADSHEETS) == "xlsx"


@pytest.mark.parametrize("data", [b"MZ\x90\x00" + b"\x00" * 100, b"<html><script>alert(1)</script>", b"plain text"])
def test_other_content_is_refused_whatever_its_name(data):
    with pytest.raises(ValidationError, match="不接受该类型"):
        inspect_upload(upload("licence.pdf", data), DOCUMENTS)


def test_an_xlsx_is_not_a_document():
    with pytest.raises(ValidationError):
        inspect_upload(upload("licence.pdf", xlsx_bytes()), DOCUMENTS)


def test_empty_and_oversized_files_are_refused(settings):
    with pytest.raises(ValidationError, match="文件为空"):
        inspect_upload(upload("a.pdf", b""), DOCUMENTS)
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="超过大小上限"):
        inspect_upload(upload("a.pdf", PDF + b"0" * 2000), DOCUMENTS)


def test_a_zip_bomb_is_refused_before_it_is_read(settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1_000_000
    bomb = zip_bytes([("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", b"0" * 5_000_000)])
    assert len(bomb) < 20_000
    with pytest.raises(ValidationError, match="解压后超过"):
        inspect_upload(upload("data.xlsx", bomb), SPREADSHEETS)


def test_a_zip_with_forged_sizes_is_caught_while_unpacking(settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1_000_000
    data = bytearray(zip_bytes([("xl/workbook.xml", b"0" * 3_000_000)]))
    # Rewrite the declared uncompressed size in the central directory to a harmless 10 bytes.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24:central + 28] = (10).to_bytes(4, "little")
    local = data.find(b"PK\x03\x04")
    data[local + 22:local + 26] = (10).to_bytes(4, "little")
    with pytest.raises(ValidationError):
        inspect_upload(upload("data.xlsx", bytes(data)), SPREADSHEETS)


def test_too_many_entries_are_refused(settings):
    settings.UPLOAD_MAX_ZIP_ENTRIES = 10
    many = zip_bytes([(f"xl/sheet{i}.xml", b"x") for i in range(20)])
    with pytest.raises(ValidationError, match="部件过多"):
        inspect_upload(upload("data.xlsx", many), SPREADSHEETS)


def test_a_zip_that_is_not_office_is_refused():
    with pytest.raises(ValidationError):
        inspect_upload(upload("data.xlsx", zip_bytes([("evil.sh", b"rm -rf /")])), SPREADSHEETS)


def test_stored_under_a_server_chosen_name(world):
    attachment = attachment_store(uploaded=upload("../../etc/passwd 营业执照.pdf", PDF), owner=world.orgs.enterprise,
                                  purpose="licence", by=world.users.org_admin, allowed=DOCUMENTS)
    assert attachment.file.name.endswith(attachment.uuid.hex)
    assert "passwd" not in attachment.file.name
    assert attachment.original_name == "passwd 营业执照.pdf"
    assert attachment.file.read() == PDF


def test_download_uses_a_safe_filename_and_the_owner_policy(world, client_for):
    attachment = attachment_store(uploaded=upload('x"; filename=evil.exe.pdf', PDF), owner=world.orgs.enterprise,
                                  purpose="licence", by=world.users.org_admin, allowed=DOCUMENTS)
    response = client_for("enterprise_user").get(f"/files/{attachment.uuid}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and '"' not in disposition.split("filename", 1)[1].strip('="')
    assert response["Content-Type"] == "application/pdf"
    assert client_for("institute_user").get(f"/files/{attachment.uuid}/").status_code == 404
    assert Attachment.objects.count() == 1


def test_safe_filename():
    assert safe_filename("a/b\\c<>.PDF", "pdf") == "c.pdf"
    assert safe_filename("...", "png") == "file.png"
