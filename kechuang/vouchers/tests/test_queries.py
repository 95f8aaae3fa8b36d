"""The vouchers' list pages make the same number of queries for 3 rows as for 25."""

from decimal import Decimal
from itertools import count

import pytest
from django.urls import reverse

from kechuang.core.testing import assert_queries_flat
from kechuang.vouchers import services
from kechuang.vouchers.tests.factories import issued_voucher, make_scheme

MARKER = "查询计数创新券"
numbers = count()


def schemes(world, *, apply=False, issue=False):
    """Per row a scheme; with `apply` the enterprise applies for a voucher in it, with `issue` it is
    issued too."""
    def add(n):
        for _ in range(n):
            scheme = make_scheme(world, name=f"{MARKER}{next(numbers)}号")
            if issue:
                issued_voucher(world, scheme, amount=Decimal("1000"))
            elif apply:
                services.voucher_apply(by=world.users.org_admin, scheme=scheme, amount=Decimal("1000"),
                                       purpose="委托检测新材料样品")
    return add


def redemptions(world, *, settle=False):
    scheme = make_scheme(world, total_budget=Decimal("100000"))
    voucher = issued_voucher(world, scheme, amount=Decimal("50000"))

    def add(n):
        for _ in range(n):
            services.voucher_redeem(voucher=voucher, provider=world.orgs.institute,
                                    order_ref=f"{MARKER}{next(numbers)}号", order_cost=Decimal("200"))
            if settle:
                services.settlement_request(by=world.users.provider, provider=world.orgs.institute)
    return add


def test_overview(client_for, world):
    assert_queries_flat(client_for("org_admin"), reverse("vouchers:overview"), schemes(world, issue=True),
                        marker=MARKER)


def test_manage(client_for, world):
    assert_queries_flat(client_for("bureau_officer"), reverse("vouchers:manage"), schemes(world, apply=True),
                        marker=MARKER)


@pytest.mark.parametrize(("persona", "settle"), [("provider", False), ("finance_officer", True)])
def test_settlements(client_for, world, persona, settle):
    assert_queries_flat(client_for(persona), reverse("vouchers:settlements"), redemptions(world, settle=settle),
                        marker='data-testid="settlement"' if settle else MARKER)
