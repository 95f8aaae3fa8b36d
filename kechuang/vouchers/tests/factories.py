from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from kechuang.vouchers import services


def make_scheme(world, **data):
    today = timezone.localdate()
    values = {"name": "2027年度创新券", "year": 2027, "total_budget": Decimal("100000"),
              "per_enterprise_cap": Decimal("50000"), "share": Decimal("0.5"),
              "valid_from": today - timedelta(days=1), "valid_until": today + timedelta(days=180)} | data
    return services.scheme_create(by=world.users.bureau_officer, data=values)


def issued_voucher(world, scheme, amount=Decimal("20000"), by=None):
    voucher = services.voucher_apply(by=by or world.users.org_admin, scheme=scheme, amount=amount,
                                     purpose="委托检测新材料样品")
    return services.voucher_issue(by=world.users.bureau_officer, voucher=voucher)
