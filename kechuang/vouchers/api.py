"""Vouchers over the API: the organisation's vouchers and applications, through the same
selectors, policies and services as the pages."""

from datetime import date
from decimal import Decimal

from ninja import Router, Schema

from kechuang.vouchers import selectors, services

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
    amount: Decimal
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
    scheme = selectors.scheme_list(request.user).get(pk=pk)
    return 201, voucher_out(services.voucher_apply(by=request.user, scheme=scheme, amount=payload.amount,
                                                   purpose=payload.purpose))
