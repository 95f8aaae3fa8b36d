from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    EXTERNAL = "external", _("Treasury (outside the ledger)")
    SCHEME = "scheme", _("Scheme budget")
    VOUCHER = "voucher", _("Voucher")
    PROVIDER = "provider", _("Owed to a provider")
    SETTLEMENT = "settlement", _("Settlement under review")


class MovementKind(models.TextChoices):
    FUND = "fund", _("Budget funded")
    ISSUE = "issue", _("Voucher issued")
    REDEEM = "redeem", _("Service paid by voucher")
    SETTLE = "settle", _("Settlement requested")
    PAY = "pay", _("Settlement paid")
    REVERSE = "reverse", _("Settlement rejected and reversed")
    EXPIRE = "expire", _("Unused amount returned")


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class VoucherStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ISSUED = "issued", _("Issued")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")


class RedemptionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting settlement")
    IN_SETTLEMENT = "in_settlement", _("In a settlement")
    PAID = "paid", _("Paid to the provider")
    REVERSED = "reversed", _("Reversed")


class SettlementStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


class ServiceKind(models.TextChoices):
    INSTRUMENT_TIME = "instrument_time", _("Instrument time")
    SAMPLE_TESTING = "sample_testing", _("Sample testing")
