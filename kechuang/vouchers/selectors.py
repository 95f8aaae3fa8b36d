"""Reads of vouchers: balances, the ledger check and the finance officer's flags."""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class OrderInfo:
    """What a voucher-paid order was, as told by the app that owns it (instruments): its label
    ("Instrument booking #3"), the instrument, where to see it and the hours of service."""

    label: str
    subject: str = ""
    url: str = ""
    hours: Decimal | None = None

    @property
    def title(self) -> str:
        if not self.subject:
            return self.label
        return _("%(order)s (%(subject)s)") % {"order": self.label, "subject": self.subject}


# prefix of an order reference ("booking" in "booking:3") -> describe(pks) -> {pk: OrderInfo}.
# Filled at start-up by the apps whose services redeem vouchers (the instruments app), which sit
# above this one: a registry instead of an import upwards.
ORDER_SOURCES: dict[str, Callable[[list[int]], dict[int, OrderInfo]]] = {}


def register_order_source(prefix: str, describe: Callable[[list[int]], dict[int, OrderInfo]]) -> None:
    ORDER_SOURCES[prefix] = describe


def describe_orders(refs: Iterable[str]) -> dict[str, OrderInfo]:
    """Each order reference as the owning app describes it; a reference no app knows keeps its key."""
    refs = list(refs)
    wanted: dict[str, list[int]] = defaultdict(list)
    for ref in refs:
        prefix, _colon, pk = ref.partition(":")
        if prefix in ORDER_SOURCES and pk.isdigit():
            wanted[prefix].append(int(pk))
    described = {f"{prefix}:{pk}": info for prefix, pks in wanted.items()
                 for pk, info in ORDER_SOURCES[prefix](pks).items()}
    return {ref: described.get(ref) or OrderInfo(label=_("Order %(ref)s") % {"ref": ref}) for ref in refs}


@dataclass
class SettlementLine:
    """One voucher-paid order of a settlement: the service, who used it, and who paid what."""

    redemption: Redemption
    order: OrderInfo
    flags: list[str] = field(default_factory=list)

    @property
    def enterprise(self):
        return self.redemption.voucher.enterprise

    @property
    def paid_by_voucher(self) -> Decimal:
        return self.redemption.amount

    @property
    def paid_by_enterprise(self) -> Decimal:
        return self.redemption.order_cost - self.redemption.amount


def settlement_lines(settlements) -> dict[int, list[SettlementLine]]:
    """The line items of each settlement, by settlement, with the finance officer's flags of
    those still to review."""
    settlements = list(settlements)
    redemptions = list(Redemption.objects.filter(settlement__in=settlements).select_related(
        "provider", "voucher__enterprise").order_by("pk"))
    orders = describe_orders(r.order_ref for r in redemptions)
    lines = {r.pk: SettlementLine(redemption=r, order=orders[r.order_ref]) for r in redemptions}
    # the flags look at every order awaiting review of the same providers, as the list always did
    waiting = Redemption.objects.filter(settlement__status=SettlementStatus.REQUESTED,
                                        provider__in={r.provider_id for r in redemptions})
    for flag in settlement_flags(waiting.select_related("provider", "voucher__enterprise")):
        if flag.redemption.pk in lines:
            lines[flag.redemption.pk].flags.append(flag.reason)
    by_settlement: dict[int, list[SettlementLine]] = {s.pk: [] for s in settlements}
    for line in lines.values():
        by_settlement[line.redemption.settlement_id].append(line)
    return by_settlement


def pending_lines(user) -> list[SettlementLine]:
    """A provider's voucher payments not yet in a settlement, as line items."""
    redemptions = list(pending_redemptions(user))
    orders = describe_orders(r.order_ref for r in redemptions)
    return [SettlementLine(redemption=r, order=orders[r.order_ref]) for r in redemptions]


def settlements_with_lines(user, *, limit: int = 100) -> list:
    """The settlements the user may see, newest first, each with its `lines` and `flagged` count."""
    settlements = list(settlement_list(user).order_by("-requested_at", "-pk")[:limit])
    lines = settlement_lines(settlements)
    for settlement in settlements:
        settlement.lines = lines[settlement.pk]
        settlement.flagged = sum(1 for line in settlement.lines if line.flags)
    return settlements


def settlement_with_lines(settlement: Settlement) -> Settlement:
    """The settlement (passed through its gate) with its `lines` and `flagged` count."""
    settlement.lines = settlement_lines([settlement])[settlement.pk]
    settlement.flagged = sum(1 for line in settlement.lines if line.flags)
    return settlement


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
