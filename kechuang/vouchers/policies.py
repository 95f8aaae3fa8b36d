"""Who may do what with vouchers (docs/roles.md)."""

from django.db.models import Q

from kechuang.accounts.policies import is_provider, verified_organization
from kechuang.core.policies import is_bureau_staff
from kechuang.vouchers.choices import SchemeStatus
from kechuang.vouchers.models import Settlement, Voucher, VoucherScheme


def is_finance(user) -> bool:
    return user.is_authenticated and user.is_finance_officer


def can_manage_schemes(user) -> bool:
    return is_bureau_staff(user)


def schemes_visible_to(user):
    if is_bureau_staff(user) or is_finance(user):
        return VoucherScheme.objects.all()
    return VoucherScheme.objects.filter(status=SchemeStatus.ACTIVE)


def vouchers_visible_to(user):
    """An enterprise sees its own vouchers; the bureau and finance see all."""
    if not user.is_authenticated:
        return Voucher.objects.none()
    if is_bureau_staff(user) or is_finance(user):
        return Voucher.objects.all()
    if user.organization is None:
        return Voucher.objects.none()
    return Voucher.objects.filter(enterprise=user.organization)


def can_apply_for_voucher(user, scheme) -> bool:
    organization = verified_organization(user)
    return (organization is not None and scheme.status == SchemeStatus.ACTIVE
            and (not scheme.eligible_kinds or organization.kind in scheme.eligible_kinds))


def can_decide_voucher(user) -> bool:
    return is_bureau_staff(user)


def settlements_visible_to(user):
    if not user.is_authenticated:
        return Settlement.objects.none()
    if is_bureau_staff(user) or is_finance(user):
        return Settlement.objects.all()
    rule = Q(pk__in=[])
    if is_provider(user):
        rule = Q(provider=user.organization)
    return Settlement.objects.filter(rule)


def can_request_settlement(user) -> bool:
    return is_provider(user)


def can_review_settlement(user) -> bool:
    return is_finance(user)


def can_view_settlements(user) -> bool:
    return is_provider(user) or is_finance(user) or is_bureau_staff(user)
