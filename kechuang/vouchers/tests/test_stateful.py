"""Random sequences of issue, redeem, settle, pay, reject and expire; after every step the ledger's
invariants hold and the money is conserved."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from kechuang.core.errors import DomainError
from kechuang.vouchers import selectors, services
from kechuang.vouchers.choices import SettlementStatus, VoucherStatus
from kechuang.vouchers.models import LedgerAccount, Movement, Settlement
from kechuang.vouchers.tests.factories import make_scheme

pytestmark = pytest.mark.slow

BUDGET = Decimal("50000")
AMOUNTS = st.integers(min_value=1, max_value=30000).map(Decimal)


def make_machine(world):
    class VoucherLedger(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.scheme = make_scheme(world, total_budget=BUDGET, per_enterprise_cap=Decimal("1000000000"))
            self.vouchers = []
            self.orders = 0

        @rule(amount=AMOUNTS)
        def issue(self, amount):
            voucher = services.voucher_apply(by=world.users.org_admin, scheme=self.scheme, amount=amount,
                                             purpose="随机测试")
            try:
                self.vouchers.append(services.voucher_issue(by=world.users.bureau_officer, voucher=voucher))
            except DomainError:
                assert amount > LedgerAccount.objects.get(pk=self.scheme.account_id).balance

        @rule(which=st.integers(min_value=0, max_value=50), cost=AMOUNTS)
        def redeem(self, which, cost):
            if not self.vouchers:
                return
            voucher = self.vouchers[which % len(self.vouchers)]
            self.orders += 1
            before = LedgerAccount.objects.get(pk=voucher.account_id).balance
            try:
                redemption = services.voucher_redeem(voucher=voucher, provider=world.orgs.institute,
                                                     order_ref=f"{self.scheme.pk}-{self.orders}", order_cost=cost)
            except DomainError:
                voucher.refresh_from_db()
                assert before == 0 or voucher.status != VoucherStatus.ISSUED
                return
            assert redemption.amount == min((cost * Decimal("0.5")).quantize(Decimal("0.01")), before)

        @rule()
        def settle(self):
            try:
                services.settlement_request(by=world.users.provider, provider=world.orgs.institute)
            except DomainError:
                pass

        @rule(pay=st.booleans())
        def review(self, pay):
            settlement = Settlement.objects.filter(status=SettlementStatus.REQUESTED).order_by("pk").first()
            if settlement is None:
                return
            if pay:
                services.settlement_pay(by=world.users.finance_officer, settlement=settlement)
            else:
                services.settlement_reject(by=world.users.finance_officer, settlement=settlement, reason="抽查不符")

        @rule(which=st.integers(min_value=0, max_value=50))
        def expire(self, which):
            live = [voucher for voucher in self.vouchers if voucher.status == VoucherStatus.ISSUED]
            if live:
                voucher = live[which % len(live)]
                services.voucher_expire(voucher=voucher)
                voucher.refresh_from_db()

        @invariant()
        def ledger_holds(self):
            assert selectors.ledger_problems() == []

        @invariant()
        def money_is_conserved(self):
            """Everything the treasury put in is somewhere in the scheme, or was paid out."""
            paid = sum(m.amount for m in Movement.objects.filter(kind="pay"))
            funded = sum(m.amount for m in Movement.objects.filter(kind="fund"))
            inside = sum(a.balance for a in LedgerAccount.objects.exclude(kind="external"))
            assert inside == funded - paid

    return VoucherLedger


@pytest.mark.django_db
def test_random_sequences_keep_the_ledger_invariants(world):
    run_state_machine_as_test(make_machine(world), settings=settings(
        max_examples=25, stateful_step_count=20, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]))
