from decimal import Decimal

import pytest

from kechuang.core.testing import SIGNED_IN_PERSONAS, AccessCase, access_params, check_access
from kechuang.vouchers import services
from kechuang.vouchers.tests.factories import issued_voucher, make_scheme


def scheme(world):
    return [make_scheme(world).pk]


def application(world):
    voucher = services.voucher_apply(by=world.users.org_admin, scheme=make_scheme(world), amount=Decimal("100"),
                                     purpose="检测")
    return [voucher.pk]


def settlement(world):
    voucher = issued_voucher(world, make_scheme(world))
    services.voucher_redeem(voucher=voucher, provider=world.orgs.institute, order_ref=f"o-{voucher.pk}-1",
                            order_cost=Decimal("100"))
    return [services.settlement_request(by=world.users.provider, provider=world.orgs.institute).pk]


def pending(world):
    voucher = issued_voucher(world, make_scheme(world))
    services.voucher_redeem(voucher=voucher, provider=world.orgs.institute, order_ref=f"o-{voucher.pk}-2",
                            order_cost=Decimal("100"))
    return []


STAFF = {"bureau_officer": 200, "bureau_admin": 200}
ACCESS_CASES = [
    AccessCase("vouchers:overview", allowed=dict.fromkeys(SIGNED_IN_PERSONAS, 200), denied={"public": 302}),
    AccessCase("vouchers:apply", method="post", args=scheme, data=lambda w: {"amount": "100", "purpose": "检测"},
               allowed={"org_admin": 302}, denied={"public": 302}),
    AccessCase("vouchers:manage", allowed=STAFF, denied={"public": 302, "org_admin": 403, "finance_officer": 403}),
    AccessCase("vouchers:decide", method="post", args=lambda w: [*application(w), "issue"],
               allowed={"bureau_officer": 302}, denied={"public": 302, "org_admin": 403, "finance_officer": 403}),
    AccessCase("vouchers:settlements", allowed={"provider": 200, "finance_officer": 200, "bureau_officer": 200},
               denied={"public": 302, "org_admin": 403}),
    AccessCase("vouchers:settlement_detail", args=settlement,
               allowed={"provider": 200, "finance_officer": 200, "bureau_officer": 200},
               denied={"public": 302, "org_admin": 403, "institute_user": 403}),
    AccessCase("vouchers:settlement_request", method="post", allowed={"provider": 302},
               denied={"public": 302, "org_admin": 403}),
    AccessCase("api:vouchers_schemes", allowed={"org_admin": 200}, denied={"public": 401}),
    AccessCase("api:vouchers_list", allowed={"org_admin": 200, "finance_officer": 200}, denied={"public": 401}),
    AccessCase("api:vouchers_apply", method="post", args=scheme, content_type="application/json",
               data=lambda w: {"amount": "100", "purpose": "检测"}, allowed={"org_admin": 201},
               denied={"public": 401}),
    AccessCase("api:vouchers_settlements", allowed={"provider": 200, "finance_officer": 200},
               denied={"public": 401}),
    AccessCase("api:vouchers_settlement_request", method="post", args=lambda w: pending(w),
               allowed={"provider": 201}, denied={"public": 401, "org_admin": 403}),
    AccessCase("api:vouchers_settlement_pay", method="post", args=settlement, allowed={"finance_officer": 200},
               denied={"public": 401, "provider": 403, "org_admin": 404}),
    AccessCase("api:vouchers_settlement_reject", method="post", args=settlement, content_type="application/json",
               data=lambda w: {"reason": "发票不符"}, allowed={"finance_officer": 200},
               denied={"public": 401, "provider": 403}),
    AccessCase("vouchers:settlement_review", method="post", args=lambda w: [*settlement(w), "pay"],
               allowed={"finance_officer": 302}, denied={"public": 302, "provider": 403, "bureau_officer": 403}),
]


@pytest.mark.parametrize(("case", "persona", "status"), access_params(ACCESS_CASES))
def test_access(case, persona, status, world, client_for):
    check_access(client_for, world, case, persona, status)
