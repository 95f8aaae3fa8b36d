"""Cross-cutting tables every app shares: the audit chain, notifications, attachments,
background-job status and the reference data (taxonomies). No domain models live here."""

import json
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kechuang.core.crypto import sm3_hex, sm4_decrypt, sm4_encrypt
from kechuang.core.language import english_pages
from kechuang.core.masking import mask_mobile

GENESIS_HASH = "0" * 64


class EncryptedTextField(models.TextField):
    """Stores the value as SM4-GCM ciphertext; Python code sees the plaintext."""

    def from_db_value(self, value, expression, connection):
        return sm4_decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return sm4_encrypt(value) if value else value


# --- audit chain -------------------------------------------------------------------------


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("audit events are append-only")

    def delete(self):
        raise PermissionError("audit events are append-only")


class AuditEvent(models.Model):
    """One audited action. `hash` = SM3(previous hash || canonical event)."""

    created_at = models.DateTimeField(_("time (UTC)"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("summary of the change"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"#{self.pk} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit events are append-only")

    def canonical(self) -> bytes:
        payload = {
            "id": self.pk,
            "created_at": self.created_at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "changes": self.changes,
            "ip": self.ip,
        }
        return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()

    def compute_hash(self) -> str:
        return sm3_hex(bytes.fromhex(self.prev_hash) + self.canonical())


class AuditChainHead(models.Model):
    """The single row locked while an event is appended; it also records the newest
    event so that removing events from the end of the chain is detected too."""

    last_event_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    length = models.BigIntegerField(default=0)

    def __str__(self):
        return f"audit chain: {self.length} events"


# --- notifications, attachments, jobs ------------------------------------------------------


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.title


def attachment_path(instance, filename):
    # The stored name is chosen by the server; the uploaded name is only metadata.
    return f"attachments/{instance.created_at:%Y/%m}/{instance.uuid.hex}"


class Attachment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner_label = models.CharField(max_length=80, db_index=True)
    owner_id = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=60, blank=True)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=120)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """Status of one long-running task, polled by the progress-bar component."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=60)
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    state = models.CharField(max_length=12, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    result_attachment = models.ForeignKey(Attachment, null=True, blank=True, on_delete=models.SET_NULL)
    details = models.JSONField(default=dict, blank=True)  # what the job was asked and what it found
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100), name="job_progress_le_100")]

    def __str__(self):
        return self.title

    @property
    def done(self):
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)


class SubmissionKey(models.Model):
    """A create form's one-time key (`{% submission_key %}`), recorded in the transaction that
    creates the record, with the page of what it created: the unique key makes a form posted
    again (a double click, even two concurrent posts) create nothing and go to the first result."""

    key = models.UUIDField(unique=True, editable=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.key)


# --- reference data ------------------------------------------------------------------------


class BilingualLabel:
    """Reference data ships with a Chinese and an English name: `label` (and `str()`) is the one
    of the current language, the Chinese name where no English one was given. The one way pages,
    forms and selectors name a reference row."""

    @property
    def label(self) -> str:
        return (self.name_en or self.name) if english_pages() else self.name


class ReferenceItem(BilingualLabel, models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.label


class District(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class IndustryChain(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("industry chain")
        verbose_name_plural = _("industry chains")


class TechField(ReferenceItem):
    """《国家重点支持的高新技术领域》: eight fields, each with its second level."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("high-tech field")
        verbose_name_plural = _("high-tech fields")


class IndustryClass(ReferenceItem):
    """GB/T 4754-2017: sections (A-T) and their divisions (01-97)."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("section")
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("industry class")
        verbose_name_plural = _("industry classes")


class ReadinessLevel(BilingualLabel, models.Model):
    """Technology readiness levels 1-9 (GB/T 22900-2022)."""

    level = models.PositiveSmallIntegerField(_("level"), unique=True)
    name = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    description = models.TextField(_("Chinese description"))
    description_en = models.TextField(_("English description"), blank=True)

    class Meta:
        ordering = ["level"]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=9), name="trl_between_1_and_9")
        ]
        verbose_name = _("technology readiness level")
        verbose_name_plural = _("technology readiness levels")

    def __str__(self):
        return _("TRL %(level)d · %(name)s") % {"level": self.level, "name": self.label}

    @property
    def description_label(self) -> str:
        return (self.description_en or self.description) if english_pages() else self.description


class LibraryRecordMixin:
    """What the achievement and demand records share: keyword lists and masked contacts."""

    @property
    def keyword_list(self) -> list[str]:
        text = self.keywords.replace("，", ",").replace("、", ",").replace(" ", ",")
        return [word for word in text.split(",") if word]

    @property
    def contact_phone_masked(self) -> str:
        return mask_mobile(self.contact_phone)
