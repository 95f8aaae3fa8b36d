"""Reads of vouchers: balances, the ledger check and the finance officer's flags."""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from kechuang.core.selectors import gate
from kechuang.vouchers import policies
from kechuang.vouchers.choices import AccountKind, MovementKind, RedemptionStatus, SettlementStatus, VoucherStatus
from kechuang.vouchers.models import LedgerAccount, Movement, Redemption, Settlement, Voucher, VoucherScheme

ROUND_AMOUNT = Decimal("1000")
ROUND_REPEATS = 3


def scheme_list(user):
    return policies.schemes_visible_to(user)


def scheme_for(user, pk, *, may=None) -> VoucherScheme:
    return gate(user, scheme_list(user), may=may, pk=pk)


def voucher_list(user):
    return policies.vouchers_visible_to(user).select_related("scheme", "enterprise", "account")


def voucher_for(user, pk, *, may=None) -> Voucher:
    return gate(user, voucher_list(user), may=may, pk=pk)


def settlement_list(user):
    return policies.settlements_visible_to(user).select_related("provider")


def settlement_for(user, pk, *, may=None) -> Settlement:
    return gate(user, settlement_list(user), may=may, pk=pk)


def pending_redemptions(user):
    """A provider's voucher payments not yet in a settlement."""
    if not policies.is_provider(user):
        return Redemption.objects.none()
    return Redemption.objects.filter(provider=user.organization, status=RedemptionStatus.PENDING).select_related(
        "voucher__enterprise")


def flags_by_settlement(settlements) -> dict[int, list]:
    """The finance officer's flags of the settlements still to review, by settlement."""
    waiting = [s for s in settlements if s.status == SettlementStatus.REQUESTED]
    flags: dict[int, list] = {}
    for flag in settlement_flags(Redemption.objects.filter(settlement__in=waiting).select_related(
            "provider", "voucher__enterprise")):
        flags.setdefault(flag.redemption.settlement_id, []).append(flag)
    return flags


def committed_for(scheme: VoucherScheme, enterprise) -> Decimal:
    """What an enterprise already holds or asked for in a scheme (issued, or applied and pending)."""
    vouchers = Voucher.objects.filter(scheme=scheme, enterprise=enterprise)
    issued = vouchers.filter(status__in=[VoucherStatus.ISSUED, VoucherStatus.EXPIRED]).aggregate(
        total=Sum("issued_amount"))["total"] or Decimal("0")
    pending = vouchers.filter(status=VoucherStatus.APPLIED).aggregate(
        total=Sum("requested_amount"))["total"] or Decimal("0")
    return issued + pending


def _sums(field: str) -> dict[int, Decimal]:
    return {row[field]: row["total"] for row in Movement.objects.values(field).annotate(total=Sum("amount"))}


def ledger_problems() -> list[str]:
    """Every invariant of the ledger, recomputed from the movements: each stored balance equals
    what its movements add up to; only the treasury is below zero; all balances sum to zero; no
    scheme issued more than its budget; each voucher's issued amount is what was moved into it."""
    problems = []
    incoming, outgoing = _sums("target"), _sums("source")
    accounts = list(LedgerAccount.objects.all())
    for account in accounts:
        expected = incoming.get(account.pk, Decimal("0")) - outgoing.get(account.pk, Decimal("0"))
        if account.balance != expected:
            problems.append(_("Account %(account)s: stored balance %(stored)s, movements give %(expected)s.")
                            % {"account": account.pk, "stored": account.balance, "expected": expected})
        if account.balance < 0 and account.kind != AccountKind.EXTERNAL:
            problems.append(_("Account %(account)s is below zero.") % {"account": account.pk})
    if sum((account.balance for account in accounts), Decimal("0")) != 0:
        problems.append(_("The balances do not add up to zero."))
    for scheme in VoucherScheme.objects.all():
        moved = Movement.objects.filter(source=scheme.account_id, kind=MovementKind.ISSUE).aggregate(
            total=Sum("amount"))["total"] or Decimal("0")
        returned = Movement.objects.filter(target=scheme.account_id).exclude(kind=MovementKind.FUND).aggregate(
            total=Sum("amount"))["total"] or Decimal("0")
        if moved - returned > scheme.total_budget:
            problems.append(_("Scheme %(scheme)s issued more than its budget.") % {"scheme": scheme.pk})
    issued = {row["target"]: row["total"] for row in Movement.objects.filter(kind=MovementKind.ISSUE).values(
        "target").annotate(total=Sum("amount"))}
    for voucher in Voucher.objects.all():
        if voucher.issued_amount != issued.get(voucher.account_id, Decimal("0")):
            problems.append(_("Voucher %(voucher)s: issued amount differs from the ledger.")
                            % {"voucher": voucher.pk})
    return problems


@dataclass
class Flag:
    redemption: Redemption
    reason: str


def settlement_flags(redemptions) -> list[Flag]:
    """What the finance officer should look at before paying: a provider and an enterprise with the
    same legal representative or contact phone; repeated round-amount orders between the same
    pair; an order completed on the day it was booked."""
    redemptions = list(redemptions)
    flags = []
    pairs = Counter((r.provider_id, r.voucher.enterprise_id) for r in redemptions
                    if r.order_cost % ROUND_AMOUNT == 0)
    for redemption in redemptions:
        provider, enterprise = redemption.provider, redemption.voucher.enterprise
        if provider.legal_representative and provider.legal_representative == enterprise.legal_representative:
            flags.append(Flag(redemption, _("The provider and the enterprise have the same legal representative.")))
        if provider.contact_phone_digest and provider.contact_phone_digest == enterprise.contact_phone_digest:
            flags.append(Flag(redemption, _("The provider and the enterprise share a contact phone.")))
        if redemption.order_cost % ROUND_AMOUNT == 0 and pairs[(provider.pk, enterprise.pk)] >= ROUND_REPEATS:
            flags.append(Flag(redemption, _("Repeated round-amount orders between the same provider and enterprise.")))
        if redemption.booked_on and redemption.completed_on and redemption.booked_on == redemption.completed_on:
            flags.append(Flag(redemption, _("The order was completed on the day it was booked.")))
    return flags
