"""Vouchers over the API: the organisation's vouchers and applications, through the same
selectors, policies and services as the pages."""

from datetime import date
from decimal import Decimal

from ninja import Router, Schema

from kechuang.core.schemas import ReasonIn, field_type
from kechuang.vouchers import selectors, services
from kechuang.vouchers.models import Voucher

router = Router(tags=["vouchers"])


class SchemeOut(Schema):
    id: int
    name: str
    year: int
    per_enterprise_cap: Decimal
    share: Decimal
    valid_from: date
    valid_until: date


class VoucherOut(Schema):
    id: int
    scheme_id: int
    status: str
    requested_amount: Decimal
    issued_amount: Decimal
    balance: Decimal


class ApplyIn(Schema):
    amount: field_type(Voucher, "requested_amount")
    purpose: str


def voucher_out(voucher) -> dict:
    voucher.account.refresh_from_db()
    return {"id": voucher.pk, "scheme_id": voucher.scheme_id, "status": voucher.status,
            "requested_amount": voucher.requested_amount, "issued_amount": voucher.issued_amount,
            "balance": voucher.account.balance}


@router.get("/vouchers/schemes", response=list[SchemeOut], url_name="vouchers_schemes")
def schemes(request):
    return list(selectors.scheme_list(request.user).filter(status="active"))


@router.get("/vouchers", response=list[VoucherOut], url_name="vouchers_list")
def vouchers(request):
    """The organisation's vouchers with their balances (the bureau and finance see all)."""
    return [voucher_out(v) for v in selectors.voucher_list(request.user)[:200]]


@router.post("/vouchers/schemes/{int:pk}/apply", response={201: VoucherOut}, url_name="vouchers_apply")
def apply(request, pk: int, payload: ApplyIn):
    scheme = selectors.scheme_for(request.user, pk)
    return 201, voucher_out(services.voucher_apply(by=request.user, scheme=scheme, amount=payload.amount,
                                                   purpose=payload.purpose))


class SettlementOut(Schema):
    id: int
    provider: str
    status: str
    total: Decimal
    orders: list[str]
    flags: list[str]


def settlement_out(settlement) -> dict:
    redemptions = list(settlement.redemptions.select_related("provider", "voucher__enterprise"))
    return {"id": settlement.pk, "provider": settlement.provider.name, "status": settlement.status,
            "total": settlement.total, "orders": [r.order_ref for r in redemptions],
            "flags": [f"{flag.redemption.order_ref}: {flag.reason}" for flag in selectors.settlement_flags(
                redemptions)]}


@router.get("/vouchers/settlements", response=list[SettlementOut], url_name="vouchers_settlements")
def settlements(request):
    """Providers see their own; finance officers and the bureau all, with the flags."""
    return [settlement_out(s) for s in selectors.settlement_list(request.user)[:200]]


@router.post("/vouchers/settlements", response={201: SettlementOut}, url_name="vouchers_settlement_request")
def settlement_request(request):
    settlement = services.settlement_request(by=request.user, provider=request.user.organization)
    return 201, settlement_out(settlement)


@router.post("/vouchers/settlements/{int:pk}/pay", response=SettlementOut, url_name="vouchers_settlement_pay")
def settlement_pay(request, pk: int):
    settlement = selectors.settlement_for(request.user, pk)
    return settlement_out(services.settlement_pay(by=request.user, settlement=settlement))


@router.post("/vouchers/settlements/{int:pk}/reject", response=SettlementOut,
             url_name="vouchers_settlement_reject")
def settlement_reject(request, pk: int, payload: ReasonIn):
    settlement = selectors.settlement_for(request.user, pk)
    return settlement_out(services.settlement_reject(by=request.user, settlement=settlement, reason=payload.reason))
