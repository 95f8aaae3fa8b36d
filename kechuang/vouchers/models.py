"""Innovation voucher schemes, vouchers and their ledger.

The ledger is double entry and append-only: a `Movement` moves an amount from one account to
another, so its two entries (-amount, +amount) sum to zero by construction; the database refuses a
non-positive amount, a movement from an account to itself, a repeated idempotency key and any
account other than the treasury going below zero."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.choices import OrganizationKind
from kechuang.accounts.models import Organization
from kechuang.core.fields import YUAN_CEILING, BoundedDateField, ChoiceSetField, MoneyField, ShareField, YearField
from kechuang.core.models import AppendOnlyQuerySet
from kechuang.vouchers.choices import (
    AccountKind,
    MovementKind,
    RedemptionStatus,
    SchemeStatus,
    ServiceKind,
    SettlementStatus,
    VoucherStatus,
)

MONEY = {"max_digits": 14, "decimal_places": 2}
AMOUNT = {"max_digits": 14, "high": YUAN_CEILING}


class LedgerAccount(models.Model):
    kind = models.CharField(max_length=10, choices=AccountKind.choices)
    label = models.CharField(max_length=200)
    balance = models.DecimalField(**MONEY, default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0) | Q(kind=AccountKind.EXTERNAL),
                                   name="no_negative_balance"),
            # one treasury, one account per provider (found by label, also by concurrent requests)
            models.UniqueConstraint(fields=["kind", "label"], name="one_shared_account_per_label",
                                    condition=Q(kind__in=[AccountKind.EXTERNAL, AccountKind.PROVIDER])),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.label}"


class Movement(models.Model):
    kind = models.CharField(max_length=10, choices=MovementKind.choices)
    source = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="outgoing")
    target = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="incoming")
    amount = models.DecimalField(**MONEY)
    idempotency_key = models.CharField(max_length=120, unique=True)
    payload_digest = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="movement_amount_positive"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="movement_between_two_accounts"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("ledger movements are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("ledger movements are append-only")


class VoucherScheme(models.Model):
    """One year's innovation voucher scheme (创新券)."""

    name = models.CharField(_("name"), max_length=120)
    year = YearField(_("year"))
    total_budget = MoneyField(_("total budget (yuan)"), **AMOUNT, positive=True)
    per_enterprise_cap = MoneyField(_("cap per enterprise (yuan)"), **AMOUNT, positive=True)
    share = ShareField(_("share of a service's cost a voucher may pay"))
    eligible_kinds = ChoiceSetField(_("eligible enterprise kinds"), choices_class=OrganizationKind,
                                    help_text=_("Leave empty for enterprises of every kind."))
    eligible_services = ChoiceSetField(_("eligible services"), choices_class=ServiceKind,
                                       help_text=_("Leave empty for every kind of service."))
    eligible_providers = models.ManyToManyField(Organization, blank=True, related_name="+",
                                                verbose_name=_("eligible providers"),
                                                help_text=_("Leave empty to admit every provider."))
    valid_from = BoundedDateField(_("valid from"))
    valid_until = BoundedDateField(_("valid until"))
    status = models.CharField(_("status"), max_length=8, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)
    account = models.OneToOneField(LedgerAccount, on_delete=models.PROTECT, related_name="scheme")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("voucher scheme")
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name="scheme_dates_ordered"),
        ]

    def __str__(self):
        return self.name


class Voucher(models.Model):
    scheme = models.ForeignKey(VoucherScheme, on_delete=models.PROTECT, related_name="vouchers")
    enterprise = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="vouchers",
                                   verbose_name=_("enterprise"))
    requested_amount = MoneyField(_("requested amount (yuan)"), **AMOUNT, positive=True)
    issued_amount = MoneyField(_("issued amount (yuan)"), **AMOUNT, default=0)
    purpose = models.TextField(_("intended use"))
    status = models.CharField(_("status"), max_length=8, choices=VoucherStatus.choices,
                              default=VoucherStatus.APPLIED)
    account = models.OneToOneField(LedgerAccount, on_delete=models.PROTECT, related_name="voucher")
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    applied_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-applied_at", "-pk"]
        verbose_name = _("voucher")
        constraints = [
            models.CheckConstraint(condition=~Q(status=VoucherStatus.ISSUED) | Q(issued_amount__gt=0),
                                   name="issued_voucher_has_amount"),
        ]

    def __str__(self):
        return f"{self.scheme} · {self.enterprise}"


class Settlement(models.Model):
    """兑付: a provider's request to be paid for the voucher share of its completed orders."""

    provider = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="voucher_settlements")
    status = models.CharField(_("status"), max_length=10, choices=SettlementStatus.choices,
                              default=SettlementStatus.REQUESTED)
    total = MoneyField(_("total (yuan)"), **AMOUNT, positive=True)
    account = models.OneToOneField(LedgerAccount, on_delete=models.PROTECT, related_name="settlement")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.provider} {self.total}"


class Redemption(models.Model):
    """The voucher share of one completed service order, owed to the provider until settled."""

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="redemptions")
    provider = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="voucher_redemptions")
    order_ref = models.CharField(_("service order"), max_length=60, unique=True)
    order_cost = MoneyField(_("cost of the service (yuan)"), **AMOUNT)
    booked_on = models.DateField(_("booked on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    amount = MoneyField(_("paid by the voucher (yuan)"), **AMOUNT)
    status = models.CharField(_("status"), max_length=14, choices=RedemptionStatus.choices,
                              default=RedemptionStatus.PENDING)
    settlement = models.ForeignKey(Settlement, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="redemptions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0) & Q(amount__lte=models.F("order_cost")),
                                   name="redemption_within_cost"),
        ]

    def __str__(self):
        return f"{self.order_ref} {self.amount}"
