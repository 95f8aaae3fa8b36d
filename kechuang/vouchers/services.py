"""Writes of vouchers. Every movement of money goes through `move`: one append-only row with an
idempotency key, both balances changed in the same transaction, the database refusing what would
take an account below zero."""

import hashlib
import json
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.errors import DomainError
from kechuang.core.services import audit_record, notify
from kechuang.core.validators import field_errors, model_errors
from kechuang.vouchers import policies, selectors
from kechuang.vouchers.choices import (
    AccountKind,
    MovementKind,
    RedemptionStatus,
    SchemeStatus,
    VoucherStatus,
)
from kechuang.vouchers.models import LedgerAccount, Movement, Redemption, Settlement, Voucher, VoucherScheme
from kechuang.vouchers.workflow import SETTLEMENT_WORKFLOW, VOUCHER_WORKFLOW

CENT = Decimal("0.01")
TREASURY = "treasury"


class InsufficientBalance(DomainError):
    def __init__(self):
        super().__init__(_("The balance is not enough for this payment."), code="insufficient_balance")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def treasury() -> LedgerAccount:
    account, _created = LedgerAccount.objects.get_or_create(kind=AccountKind.EXTERNAL, label=TREASURY)
    return account


def _digest(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def move(*, kind: str, source: LedgerAccount, target: LedgerAccount, amount: Decimal, key: str,
         by=None) -> tuple[Movement, bool]:
    """Moves `amount` from `source` to `target` once per idempotency key. Returns the movement and
    whether it is new. The same key with a different payload is refused; an account that would go
    below zero refuses the whole movement (a database constraint, also under concurrency)."""
    amount = Decimal(amount).quantize(CENT)
    digest = _digest({"kind": kind, "source": source.pk, "target": target.pk, "amount": str(amount)})
    existing = Movement.objects.filter(idempotency_key=key).first()
    if existing is not None:
        if existing.payload_digest != digest:
            raise DomainError(_("This idempotency key was already used for a different movement."),
                              code="idempotency_conflict")
        return existing, False
    try:
        with transaction.atomic():
            movement = Movement.objects.create(kind=kind, source=source, target=target, amount=amount,
                                               idempotency_key=key, payload_digest=digest, created_by=by)
            LedgerAccount.objects.filter(pk=source.pk).update(balance=F("balance") - amount)
            LedgerAccount.objects.filter(pk=target.pk).update(balance=F("balance") + amount)
    except IntegrityError as error:
        replayed = Movement.objects.filter(idempotency_key=key).first()
        if replayed is not None:          # a concurrent request with the same key won the race
            if replayed.payload_digest != digest:
                raise DomainError(_("This idempotency key was already used for a different movement."),
                                  code="idempotency_conflict") from error
            return replayed, False
        raise InsufficientBalance from error
    return movement, True


# -- schemes and vouchers ------------------------------------------------------------------------


@transaction.atomic
def scheme_create(*, by, data: dict, providers=()) -> VoucherScheme:
    """A scheme with its budget moved in from the treasury; active at once."""
    _require(policies.can_manage_schemes(by))
    scheme = VoucherScheme(created_by=by, status=SchemeStatus.ACTIVE, **data)
    errors = model_errors(scheme, exclude=["account"])
    if errors:
        raise ValidationError(errors)
    scheme.account = LedgerAccount.objects.create(kind=AccountKind.SCHEME, label=str(data.get("name", "")))
    scheme.save()
    scheme.eligible_providers.set(providers)
    move(kind=MovementKind.FUND, source=treasury(), target=scheme.account, amount=scheme.total_budget,
         key=f"scheme:{scheme.pk}:fund", by=by)
    audit_record("voucher_scheme.created", by=by, obj=scheme, changes={"budget": str(scheme.total_budget)})
    return scheme


@transaction.atomic
def voucher_apply(*, by, scheme: VoucherScheme, amount: Decimal, purpose: str) -> Voucher:
    """申领: an enterprise asks for an amount, within the scheme's cap per enterprise."""
    _require(policies.can_apply_for_voucher(by, scheme))
    today = timezone.localdate()
    if not scheme.valid_from <= today <= scheme.valid_until:
        raise DomainError(_("The scheme is not open on this date."))
    errors = field_errors(Voucher, {"amount": ("requested_amount", amount)}, required=("amount",))
    if errors:
        raise ValidationError(errors)
    enterprise = by.organization  # verified: can_apply_for_voucher says so
    left = (scheme.per_enterprise_cap - selectors.committed_for(scheme, enterprise)).quantize(CENT)
    if amount > left:
        raise ValidationError({"amount": _("At most %(left)s yuan more per enterprise in this scheme.")
                               % {"left": max(left, Decimal("0"))}})
    account = LedgerAccount.objects.create(kind=AccountKind.VOUCHER, label=f"{scheme.pk}:{enterprise.name}")
    voucher = Voucher.objects.create(scheme=scheme, enterprise=enterprise, requested_amount=amount,
                                     purpose=purpose.strip(), account=account, applied_by=by)
    audit_record("voucher.applied", by=by, obj=voucher, changes={"amount": str(amount)})
    return voucher


def _lock_voucher(voucher) -> Voucher:
    return Voucher.objects.select_for_update().select_related("scheme", "account", "enterprise").get(pk=voucher.pk)


@transaction.atomic
def voucher_issue(*, by, voucher: Voucher, amount: Decimal | None = None) -> Voucher:
    """Approval and issuance: the amount (at most the one requested) moves from the scheme's budget
    into the voucher; a scheme whose budget is spent refuses (the budget account cannot go below
    zero)."""
    voucher = _lock_voucher(voucher)
    _require(policies.can_decide_voucher(by))
    amount = amount if amount is not None else voucher.requested_amount
    errors = field_errors(Voucher, {"amount": ("requested_amount", amount)})
    if errors:
        raise ValidationError(errors)
    if not 0 < amount <= voucher.requested_amount:
        raise ValidationError({"amount": _("Issue more than zero and at most the amount requested.")})
    voucher.status = VOUCHER_WORKFLOW.target(voucher.status, "issue")
    try:
        move(kind=MovementKind.ISSUE, source=voucher.scheme.account, target=voucher.account, amount=amount,
             key=f"voucher:{voucher.pk}:issue", by=by)
    except InsufficientBalance as error:
        raise DomainError(_("The scheme's budget has not enough left for this voucher.")) from error
    voucher.issued_amount, voucher.decided_by, voucher.decided_at = amount, by, timezone.now()
    voucher.save()
    audit_record("voucher.issued", by=by, obj=voucher, changes={"amount": str(amount)})
    notify(voucher.applied_by, title=_("Innovation voucher issued: %(amount)s yuan") % {"amount": amount})
    return voucher


@transaction.atomic
def voucher_reject(*, by, voucher: Voucher, reason: str) -> Voucher:
    voucher = _lock_voucher(voucher)
    _require(policies.can_decide_voucher(by))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the enterprise a reason.")})
    voucher.status = VOUCHER_WORKFLOW.target(voucher.status, "reject")
    voucher.reason, voucher.decided_by, voucher.decided_at = reason.strip(), by, timezone.now()
    voucher.save()
    audit_record("voucher.rejected", by=by, obj=voucher, changes={"reason": voucher.reason})
    return voucher


def provider_account(provider) -> LedgerAccount:
    account, _created = LedgerAccount.objects.get_or_create(kind=AccountKind.PROVIDER, label=f"provider:{provider.pk}")
    return account


@transaction.atomic
def voucher_redeem(*, voucher: Voucher, provider, order_ref: str, order_cost: Decimal, by=None,
                   service: str = "", booked_on: date | None = None, completed_on: date | None = None) -> Redemption:
    """A completed service order paid partly by voucher: the voucher pays the scheme's share of the
    cost, up to its balance. The order reference is the idempotency key, so a retried completion
    pays once and answers the same."""
    order_cost = Decimal(order_cost).quantize(CENT)
    voucher = _lock_voucher(voucher)   # also serialises concurrent retries of the same order
    existing = Redemption.objects.filter(order_ref=order_ref).first()
    if existing is not None:
        if existing.voucher_id != voucher.pk or existing.order_cost != order_cost:
            raise DomainError(_("This idempotency key was already used for a different movement."),
                              code="idempotency_conflict")
        return existing
    scheme = voucher.scheme
    if voucher.status != VoucherStatus.ISSUED or timezone.localdate() > scheme.valid_until:
        raise DomainError(_("The voucher is not valid."))
    if scheme.eligible_providers.exists() and not scheme.eligible_providers.filter(pk=provider.pk).exists():
        raise DomainError(_("This provider does not take vouchers of this scheme."))
    if scheme.eligible_services and service not in scheme.eligible_services:
        raise DomainError(_("Vouchers of this scheme do not pay for this kind of service."))
    balance = LedgerAccount.objects.get(pk=voucher.account_id).balance
    share = (Decimal(order_cost) * scheme.share).quantize(CENT, rounding=ROUND_HALF_UP)
    amount = min(share, balance)
    if amount <= 0:
        raise InsufficientBalance
    move(kind=MovementKind.REDEEM, source=voucher.account, target=provider_account(provider), amount=amount,
         key=f"redeem:{order_ref}", by=by)
    try:
        with transaction.atomic():
            redemption = Redemption.objects.create(voucher=voucher, provider=provider, order_ref=order_ref,
                                                   order_cost=order_cost, amount=amount, booked_on=booked_on,
                                                   completed_on=completed_on)
    except IntegrityError as error:       # the same order redeemed against another voucher meanwhile
        raise DomainError(_("This idempotency key was already used for a different movement."),
                          code="idempotency_conflict") from error
    audit_record("voucher.redeemed", by=by, obj=voucher, changes={"order": order_ref, "amount": str(amount)})
    return redemption


@transaction.atomic
def settlement_request(*, by, provider) -> Settlement:
    """兑付: the provider asks to be paid for all its redemptions awaiting settlement."""
    _require(policies.can_request_settlement(by) and by.organization.pk == provider.pk)
    pending = list(Redemption.objects.select_for_update().filter(provider=provider,
                                                                 status=RedemptionStatus.PENDING).order_by("pk"))
    if not pending:
        raise DomainError(_("No voucher payment is waiting for settlement."))
    total = sum((r.amount for r in pending), Decimal("0"))
    settlement = Settlement.objects.create(
        provider=provider, total=total, requested_by=by,
        account=LedgerAccount.objects.create(kind=AccountKind.SETTLEMENT, label=f"provider:{provider.pk}"))
    move(kind=MovementKind.SETTLE, source=provider_account(provider), target=settlement.account, amount=total,
         key=f"settlement:{settlement.pk}:request", by=by)
    Redemption.objects.filter(pk__in=[r.pk for r in pending]).update(status=RedemptionStatus.IN_SETTLEMENT,
                                                                     settlement=settlement)
    audit_record("voucher.settlement_requested", by=by, obj=settlement, changes={"total": str(total),
                                                                                "orders": len(pending)})
    return settlement


def _lock_settlement(settlement) -> Settlement:
    return Settlement.objects.select_for_update().select_related("account", "provider").get(pk=settlement.pk)


@transaction.atomic
def settlement_pay(*, by, settlement: Settlement) -> Settlement:
    settlement = _lock_settlement(settlement)
    _require(policies.can_review_settlement(by))
    settlement.status = SETTLEMENT_WORKFLOW.target(settlement.status, "pay")
    move(kind=MovementKind.PAY, source=settlement.account, target=treasury(), amount=settlement.total,
         key=f"settlement:{settlement.pk}:pay", by=by)
    settlement.reviewed_by, settlement.reviewed_at = by, timezone.now()
    settlement.save()
    settlement.redemptions.update(status=RedemptionStatus.PAID)
    audit_record("voucher.settlement_paid", by=by, obj=settlement, changes={"total": str(settlement.total)})
    return settlement


@transaction.atomic
def settlement_reject(*, by, settlement: Settlement, reason: str) -> Settlement:
    """Rejected: each order's voucher share goes back to its voucher (or to the scheme when the
    voucher has expired meanwhile)."""
    settlement = _lock_settlement(settlement)
    _require(policies.can_review_settlement(by))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the provider a reason.")})
    settlement.status = SETTLEMENT_WORKFLOW.target(settlement.status, "reject")
    for redemption in settlement.redemptions.select_related("voucher__account", "voucher__scheme__account"):
        voucher = redemption.voucher
        target = voucher.account if voucher.status == VoucherStatus.ISSUED else voucher.scheme.account
        move(kind=MovementKind.REVERSE, source=settlement.account, target=target, amount=redemption.amount,
             key=f"redemption:{redemption.pk}:reverse", by=by)
    settlement.redemptions.update(status=RedemptionStatus.REVERSED)
    settlement.reason, settlement.reviewed_by, settlement.reviewed_at = reason.strip(), by, timezone.now()
    settlement.save()
    audit_record("voucher.settlement_rejected", by=by, obj=settlement, changes={"reason": settlement.reason})
    return settlement


@transaction.atomic
def voucher_expire(*, voucher: Voucher, by=None) -> Voucher:
    """At the end of the scheme's validity the unused amount returns to the scheme."""
    voucher = _lock_voucher(voucher)
    voucher.status = VOUCHER_WORKFLOW.target(voucher.status, "expire")
    balance = LedgerAccount.objects.get(pk=voucher.account_id).balance
    if balance > 0:
        move(kind=MovementKind.EXPIRE, source=voucher.account, target=voucher.scheme.account, amount=balance,
             key=f"voucher:{voucher.pk}:expire", by=by)
    voucher.save(update_fields=["status"])
    audit_record("voucher.expired", by=by, obj=voucher, changes={"returned": str(balance)},
                 actor_label="" if by else "system")
    return voucher


def expire_vouchers() -> int:
    """The daily task: vouchers of schemes past their validity."""
    expired = 0
    for voucher in Voucher.objects.filter(status=VoucherStatus.ISSUED,
                                          scheme__valid_until__lt=timezone.localdate()):
        voucher_expire(voucher=voucher)
        expired += 1
    return expired
