"""Voucher amounts in whole cents within the ceiling: an application of 0.001 yuan is refused
wherever it comes from, so no voucher is left that cannot be rejected."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kechuang.vouchers import services
from kechuang.vouchers.choices import VoucherStatus
from kechuang.vouchers.models import Voucher
from kechuang.vouchers.tests.factories import make_scheme

NOT_FINITE = "请输入有限的数值：NaN、Infinity 不是有效数字。"
JSON = "application/json"


@pytest.mark.parametrize(("amount", "message"), [
    ("0.001", "最多保留 2 位小数。"), ("0", "请输入大于 0 元 的数值。"), ("NaN", NOT_FINITE), ("sNaN", NOT_FINITE),
    ("1E+999999999", "请输入不超过 10,000,000,000 元 的数值。")])
def test_an_application_out_of_range_is_refused_by_the_api_and_the_page(world, client_for, amount, message):
    scheme = make_scheme(world)
    response = client_for("org_admin").post(f"/api/v1/vouchers/schemes/{scheme.pk}/apply", {
        "amount": amount, "purpose": "委托检测"}, content_type=JSON)
    assert response.status_code == 422 and [item["msg"] for item in response.json()["detail"]] == [message]
    page = client_for("org_admin").post(f"/vouchers/schemes/{scheme.pk}/apply/", {
        "amount": amount, "purpose": "委托检测"}, follow=True)
    assert message in page.content.decode()
    with pytest.raises(ValidationError) as error:
        services.voucher_apply(by=world.users.org_admin, scheme=scheme, amount=Decimal(amount), purpose="委托检测")
    assert error.value.message_dict == {"amount": [message]}
    assert not Voucher.objects.exists()


def test_one_cent_is_applied_for_and_can_be_rejected(world, client_for):
    scheme = make_scheme(world)
    response = client_for("org_admin").post(f"/api/v1/vouchers/schemes/{scheme.pk}/apply", {
        "amount": "0.01", "purpose": "委托检测"}, content_type=JSON)
    assert response.status_code == 201
    voucher = Voucher.objects.get()
    services.voucher_reject(by=world.users.bureau_officer, voucher=voucher, reason="预算已用完")
    voucher.refresh_from_db()
    assert (voucher.status, voucher.requested_amount) == (VoucherStatus.REJECTED, Decimal("0.01"))


@pytest.mark.parametrize(("amount", "message"), [("0.001", "最多保留 2 位小数。"), ("NaN", NOT_FINITE)])
def test_an_issue_amount_that_is_no_amount_issues_nothing(world, client_for, amount, message):
    scheme = make_scheme(world)
    voucher = services.voucher_apply(by=world.users.org_admin, scheme=scheme, amount=Decimal("1000"), purpose="检测")
    page = client_for("bureau_officer").post(f"/vouchers/{voucher.pk}/issue/", {"amount": amount}, follow=True)
    assert message in page.content.decode()
    voucher.refresh_from_db()
    assert (voucher.status, voucher.issued_amount) == (VoucherStatus.APPLIED, Decimal("0"))


def test_a_scheme_share_is_a_fraction(world):
    for share, message in ((Decimal("0"), "请输入大于 0 的数值。"), (Decimal("1.01"), "请输入不超过 1 的数值。")):
        with pytest.raises(ValidationError) as error:
            make_scheme(world, share=share)
        assert error.value.message_dict == {"share": [message]}
    assert make_scheme(world, share=Decimal("1")).share == Decimal("1")
