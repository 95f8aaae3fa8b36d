"""The voucher ledger: every step of a voucher's life, the invariants as database constraints,
idempotency, and `ledger_verify`."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from kechuang.core.errors import DomainError
from kechuang.vouchers import selectors, services
from kechuang.vouchers.choices import AccountKind, RedemptionStatus, VoucherStatus
from kechuang.vouchers.models import LedgerAccount, Movement, Redemption, VoucherScheme
from kechuang.vouchers.tests.factories import issued_voucher, make_scheme


@pytest.fixture(autouse=True)
def ledger_holds(db):
    """The invariants are checked after every test that touches money."""
    yield
    assert selectors.ledger_problems() == []


def balance(account) -> Decimal:
    return LedgerAccount.objects.get(pk=account.pk).balance


def test_a_scheme_is_funded_from_the_treasury(world):
    scheme = make_scheme(world)
    assert balance(scheme.account) == Decimal("100000")
    assert balance(services.treasury()) == Decimal("-100000")


def test_apply_within_the_cap_then_issue(world):
    scheme = make_scheme(world, per_enterprise_cap=Decimal("30000"))
    voucher = services.voucher_apply(by=world.users.org_admin, scheme=scheme, amount=Decimal("20000"),
                                     purpose="检测服务")
    with pytest.raises(ValidationError) as error:
        services.voucher_apply(by=world.users.enterprise_user, scheme=scheme, amount=Decimal("10001"),
                               purpose="同一企业再申领")
    assert error.value.message_dict == {"amount": ["每家企业在本方案中最多还可申领 10000.00 元。"]}
    services.voucher_issue(by=world.users.bureau_officer, voucher=voucher, amount=Decimal("15000"))
    voucher.refresh_from_db()
    assert (voucher.status, voucher.issued_amount) == (VoucherStatus.ISSUED, Decimal("15000.00"))
    assert balance(voucher.account) == Decimal("15000") and balance(scheme.account) == Decimal("85000")


def test_issuing_never_goes_above_the_budget(world):
    scheme = make_scheme(world, total_budget=Decimal("30000"), per_enterprise_cap=Decimal("30000"))
    first = services.voucher_apply(by=world.users.org_admin, scheme=scheme, amount=Decimal("20000"), purpose="一")
    second = services.voucher_apply(by=world.users.institute_user, scheme=scheme, amount=Decimal("20000"),
                                    purpose="二")
    services.voucher_issue(by=world.users.bureau_officer, voucher=first)
    with pytest.raises(DomainError, match="预算"):
        services.voucher_issue(by=world.users.bureau_officer, voucher=second)
    second.refresh_from_db()
    assert second.status == VoucherStatus.APPLIED and balance(second.account) == 0
    assert balance(scheme.account) == Decimal("10000")


def test_only_officers_issue_and_a_denied_issue_moves_nothing(world):
    scheme = make_scheme(world)
    voucher = services.voucher_apply(by=world.users.org_admin, scheme=scheme, amount=Decimal("1000"), purpose="一")
    movements = Movement.objects.count()
    with pytest.raises(PermissionDenied):
        services.voucher_issue(by=world.users.finance_officer, voucher=voucher)
    assert Movement.objects.count() == movements


def test_redemption_pays_the_share_up_to_the_balance(world):
    scheme = make_scheme(world, share=Decimal("0.6"))
    voucher = issued_voucher(world, scheme, amount=Decimal("1000"))
    provider = world.orgs.institute
    first = services.voucher_redeem(voucher=voucher, provider=provider, order_ref="order-1",
                                    order_cost=Decimal("1000"))
    assert first.amount == Decimal("600.00")
    second = services.voucher_redeem(voucher=voucher, provider=provider, order_ref="order-2",
                                     order_cost=Decimal("1000"))
    assert second.amount == Decimal("400.00")          # what was left
    with pytest.raises(DomainError, match="余额不足"):
        services.voucher_redeem(voucher=voucher, provider=provider, order_ref="order-3", order_cost=Decimal("10"))
    assert not Redemption.objects.filter(order_ref="order-3").exists()
    assert balance(services.provider_account(provider)) == Decimal("1000")


def test_a_replayed_redemption_pays_once_and_answers_the_same(world):
    voucher = issued_voucher(world, make_scheme(world))
    answers = {services.voucher_redeem(voucher=voucher, provider=world.orgs.institute, order_ref="order-9",
                                       order_cost=Decimal("300")).pk for _ in range(5)}
    assert len(answers) == 1 and Movement.objects.filter(kind="redeem").count() == 1
    with pytest.raises(DomainError, match="幂等"):
        services.voucher_redeem(voucher=voucher, provider=world.orgs.institute, order_ref="order-9",
                                order_cost=Decimal("301"))


def test_the_same_key_with_another_payload_is_refused(world):
    scheme = make_scheme(world)
    other = LedgerAccount.objects.create(kind=AccountKind.VOUCHER, label="x")
    services.move(kind="issue", source=scheme.account, target=other, amount=Decimal("5"), key="k-1")
    _movement, new = services.move(kind="issue", source=scheme.account, target=other, amount=Decimal("5"), key="k-1")
    assert not new and Movement.objects.filter(idempotency_key="k-1").count() == 1
    with pytest.raises(DomainError):
        services.move(kind="issue", source=scheme.account, target=other, amount=Decimal("6"), key="k-1")
    assert balance(other) == Decimal("5")


def test_settlement_paid(world):
    voucher = issued_voucher(world, make_scheme(world))
    provider = world.orgs.institute
    for number in range(3):
        services.voucher_redeem(voucher=voucher, provider=provider, order_ref=f"o-{number}",
                                order_cost=Decimal("200"))
    with pytest.raises(PermissionDenied):
        services.settlement_request(by=world.users.institute_user, provider=provider)   # not a provider
    settlement = services.settlement_request(by=world.users.provider, provider=provider)
    assert settlement.total == Decimal("300.00") and balance(services.provider_account(provider)) == 0
    with pytest.raises(DomainError):
        services.settlement_request(by=world.users.provider, provider=provider)        # nothing left
    with pytest.raises(PermissionDenied):
        services.settlement_pay(by=world.users.bureau_officer, settlement=settlement)
    services.settlement_pay(by=world.users.finance_officer, settlement=settlement)
    assert set(settlement.redemptions.values_list("status", flat=True)) == {RedemptionStatus.PAID}
    assert balance(settlement.account) == 0


def test_a_rejected_settlement_returns_the_money_to_the_vouchers(world):
    scheme = make_scheme(world)
    voucher = issued_voucher(world, scheme, amount=Decimal("1000"))
    provider = world.orgs.institute
    services.voucher_redeem(voucher=voucher, provider=provider, order_ref="o-1", order_cost=Decimal("400"))
    settlement = services.settlement_request(by=world.users.provider, provider=provider)
    assert balance(voucher.account) == Decimal("800")
    services.settlement_reject(by=world.users.finance_officer, settlement=settlement, reason="发票不符")
    assert balance(voucher.account) == Decimal("1000") and balance(settlement.account) == 0
    with pytest.raises(Exception):  # noqa: B017  (TransitionNotAllowed: already rejected)
        services.settlement_pay(by=world.users.finance_officer, settlement=settlement)


def test_expiry_returns_the_unused_amount_to_the_scheme(world):
    scheme = make_scheme(world)
    voucher = issued_voucher(world, scheme, amount=Decimal("1000"))
    services.voucher_redeem(voucher=voucher, provider=world.orgs.institute, order_ref="o-1",
                            order_cost=Decimal("400"))
    settlement = services.settlement_request(by=world.users.provider, provider=world.orgs.institute)
    VoucherScheme.objects.filter(pk=scheme.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    assert services.expire_vouchers() == 1
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.EXPIRED and balance(voucher.account) == 0
    assert balance(scheme.account) == Decimal("100000") - Decimal("200")
    # a settlement rejected after expiry returns to the scheme, not to the dead voucher
    services.settlement_reject(by=world.users.finance_officer, settlement=settlement, reason="重复申请")
    assert balance(scheme.account) == Decimal("100000") and balance(voucher.account) == 0


def test_the_database_refuses_what_breaks_the_invariants(world):
    scheme = make_scheme(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerAccount.objects.filter(pk=scheme.account_id).update(balance=Decimal("-1"))
    other = LedgerAccount.objects.create(kind=AccountKind.VOUCHER, label="x")
    for amount, target in ((Decimal("0"), other), (Decimal("5"), scheme.account)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Movement.objects.create(kind="issue", source=scheme.account, target=target, amount=amount,
                                    idempotency_key=f"bad-{amount}", payload_digest="x")
    movement = Movement.objects.first()
    with pytest.raises(PermissionError):
        movement.save()
    with pytest.raises(PermissionError):
        Movement.objects.all().delete()
    with pytest.raises(PermissionError):
        Movement.objects.update(amount=1)


def test_ledger_verify_finds_a_tampered_balance(world, capsys):
    scheme = make_scheme(world)
    call_command("ledger_verify")
    assert "ledger ok" in capsys.readouterr().out
    LedgerAccount.objects.filter(pk=scheme.account_id).update(balance=Decimal("99999"))
    with pytest.raises(SystemExit) as exit_status:
        call_command("ledger_verify")
    assert exit_status.value.code == 1
    assert any("99999" in problem for problem in selectors.ledger_problems())
    LedgerAccount.objects.filter(pk=scheme.account_id).update(balance=Decimal("100000"))


def test_finance_flags(world):
    from kechuang.accounts.models import Organization

    scheme = make_scheme(world)
    voucher = issued_voucher(world, scheme, amount=Decimal("50000"))
    provider = world.orgs.institute
    Organization.objects.filter(pk__in=[provider.pk, world.orgs.enterprise.pk]).update(legal_representative="赵六")
    today = timezone.localdate()
    for number in range(3):
        services.voucher_redeem(voucher=voucher, provider=provider, order_ref=f"r-{number}",
                                order_cost=Decimal("2000"), booked_on=today - timedelta(days=3), completed_on=today)
    services.voucher_redeem(voucher=voucher, provider=provider, order_ref="same-day", order_cost=Decimal("123"),
                            booked_on=today, completed_on=today)
    flags = selectors.settlement_flags(Redemption.objects.select_related("provider", "voucher__enterprise"))
    reasons = {(flag.redemption.order_ref, flag.reason) for flag in flags}
    assert ("same-day", "服务订单在预约当天完成。") in reasons
    assert ("r-0", "同一服务机构与企业之间多次出现整数金额订单。") in reasons
    assert ("same-day", "服务机构与企业的法定代表人相同。") in reasons
    assert not any(ref == "same-day" and "整数" in reason for ref, reason in reasons)
