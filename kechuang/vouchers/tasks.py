from django.tasks import task

from kechuang.vouchers.services import expire_vouchers


@task()
def expire_lapsed_vouchers() -> int:
    """Daily: vouchers of schemes past their validity return their unused amount to the scheme."""
    return expire_vouchers()
