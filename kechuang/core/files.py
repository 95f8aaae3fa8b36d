"""The one attachment service: every upload is checked here before anything reads it.

Checks, in order: size; content type from the magic bytes (the name is never trusted);
for zip-based formats (docx, xlsx) the entry count and the unpacked size, counted while
decompressing so a forged directory cannot hide a zip bomb. Files are stored under a
server-chosen name and downloaded only through `core:attachment_download`, which asks the
owning record's policy (registered with `register_attachment_owner`).
"""

import hashlib
import re
import zipfile
from collections.abc import Callable
from pathlib import PurePath

import filetype
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.models import Attachment

KINDS = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ZIP_KINDS = {"docx": "word/", "xlsx": "xl/"}
DOCUMENTS = frozenset({"pdf", "docx", "png", "jpg"})
SPREADSHEETS = frozenset({"xlsx"})

_owner_policies: dict[str, Callable] = {}


def register_attachment_owner(model_label: str, can_view: Callable) -> None:
    """`can_view(user, owner_object) -> bool` decides who may download the owner's files."""
    _owner_policies[model_label] = can_view


def detect_kind(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    guess = filetype.guess(head)
    return guess.extension if guess else None


def check_zip(stream, expected_prefix: str) -> None:
    """Refuses archives with too many entries or too much unpacked data."""
    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile as error:
        raise ValidationError(_("The file is damaged and cannot be opened.")) from error
    with archive:
        entries = archive.infolist()
        if len(entries) > settings.UPLOAD_MAX_ZIP_ENTRIES:
            raise ValidationError(_("The file contains too many parts (%(count)d).") % {"count": len(entries)})
        limit = settings.UPLOAD_MAX_UNPACKED_BYTES
        too_big = ValidationError(
            _("The file unpacks to more than %(limit)s and was refused.") % {"limit": filesizeformat(limit)}
        )
        if sum(entry.file_size for entry in entries) > limit:
            raise too_big
        if not any(entry.filename.startswith(expected_prefix) for entry in entries):
            raise ValidationError(_("The file content does not match an allowed file type."))
        unpacked = 0
        for entry in entries:
            try:
                with archive.open(entry) as member:
                    while chunk := member.read(1 << 16):
                        unpacked += len(chunk)
                        if unpacked > limit:
                            raise too_big
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                raise ValidationError(_("The file is damaged and cannot be opened.")) from error


def inspect_upload(uploaded, allowed: frozenset[str]) -> str:
    """Returns the file kind (extension) decided by content, or raises ValidationError."""
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."))
    if uploaded.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        )
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = detect_kind(head)
    if kind == "zip":
        candidates = [k for k in ZIP_KINDS if k in allowed]
        if not candidates:
            raise ValidationError(_("This file type is not accepted here."))
        kind = _zip_kind(uploaded, candidates)
    if kind not in allowed:
        names = "、".join(sorted(k.upper() for k in allowed))
        raise ValidationError(_("This file type is not accepted here. Allowed: %(kinds)s.") % {"kinds": names})
    uploaded.seek(0)
    return kind


def _zip_kind(uploaded, candidates: list[str]) -> str:
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()[: settings.UPLOAD_MAX_ZIP_ENTRIES + 1]
    except zipfile.BadZipFile as error:
        raise ValidationError(_("The file is damaged and cannot be opened.")) from error
    for kind in candidates:
        if any(name.startswith(ZIP_KINDS[kind]) for name in names):
            uploaded.seek(0)
            check_zip(uploaded, ZIP_KINDS[kind])
            return kind
    raise ValidationError(_("The file content does not match an allowed file type."))


SAFE_NAME = re.compile(r"[^\w\-. ]+", re.UNICODE)


def safe_filename(original: str, extension: str) -> str:
    stem = SAFE_NAME.sub("_", PurePath(original.replace("\\", "/")).stem).strip(" ._")[:80] or "file"
    return f"{stem}.{extension}"


def attachment_store(*, uploaded, owner, purpose: str, by, allowed: frozenset[str]) -> Attachment:
    kind = inspect_upload(uploaded, allowed)
    data = uploaded.read()
    return _save(data=data, kind=kind, owner=owner, purpose=purpose, by=by, original_name=uploaded.name)


def attachment_store_bytes(*, data: bytes, kind: str, owner, purpose: str, by, filename: str) -> Attachment:
    """For files the platform generates itself (exports, reports)."""
    return _save(data=data, kind=kind, owner=owner, purpose=purpose, by=by, original_name=filename)


def _save(*, data, kind, owner, purpose, by, original_name) -> Attachment:
    attachment = Attachment(
        owner_label=owner._meta.label_lower,
        owner_id=str(owner.pk),
        purpose=purpose,
        original_name=safe_filename(original_name, kind),
        content_type=KINDS[kind],
        extension=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
        created_at=timezone.now(),
    )
    attachment.file.save(attachment.uuid.hex, ContentFile(data), save=False)
    attachment.save()
    return attachment


def attachments_of(owner):
    return Attachment.objects.filter(owner_label=owner._meta.label_lower, owner_id=str(owner.pk))


def can_download_attachment(user, attachment: Attachment) -> bool:
    can_view = _owner_policies.get(attachment.owner_label)
    if can_view is None:
        return False
    model = apps.get_model(attachment.owner_label)
    owner = model._default_manager.filter(pk=attachment.owner_id).first()
    return owner is not None and bool(can_view(user, owner))
