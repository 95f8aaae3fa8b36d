"""Who may see and do what with instruments (docs/roles.md). The catalogue is public; providers
(the instrument-provider role in a verified owner organisation) manage their organisation's
instruments and serve the requests; a booking or order is seen by its requesting organisation,
the instrument's owner and the bureau."""

from django.db.models import Q

from kechuang.accounts.choices import PlatformRole
from kechuang.accounts.policies import is_provider, verified_organization
from kechuang.instruments.choices import InstrumentStatus
from kechuang.instruments.models import Booking, Instrument, ServiceOrder


def instruments_visible_to(user):
    public = ~Q(status=InstrumentStatus.RETIRED)
    if user.is_authenticated and user.is_bureau_staff:
        return Instrument.objects.all()
    if is_provider(user):
        return Instrument.objects.filter(public | Q(owner=user.organization))
    return Instrument.objects.filter(public)


def can_manage_instrument(user, instrument=None) -> bool:
    return is_provider(user) and (instrument is None or instrument.owner_id == user.organization.pk)


def can_request(user, instrument) -> bool:
    """Book time or order testing: a member of a verified organisation, on an instrument in use."""
    return verified_organization(user) is not None and instrument.status == InstrumentStatus.AVAILABLE


def _services_rule(user):
    if not user.is_authenticated:
        return None
    if user.is_bureau_staff:
        return Q()
    rule = Q(requester=user)
    if user.organization is not None:
        rule |= Q(organization=user.organization)
        if is_provider(user):
            rule |= Q(instrument__owner=user.organization)
    return rule


def bookings_visible_to(user):
    rule = _services_rule(user)
    return Booking.objects.none() if rule is None else Booking.objects.filter(rule)


def orders_visible_to(user):
    rule = _services_rule(user)
    return ServiceOrder.objects.none() if rule is None else ServiceOrder.objects.filter(rule)


def can_serve(user, service) -> bool:
    """Confirm, decline, complete: a provider of the instrument's owner organisation."""
    return can_manage_instrument(user, service.instrument)


def can_cancel(user, booking) -> bool:
    return user.is_authenticated and booking.requester_id == user.pk


def can_rate(user, service) -> bool:
    return user.is_authenticated and service.requester_id == user.pk and service.status == "completed"


def can_view_utilisation(user) -> bool:
    return (user.is_authenticated and user.is_bureau_staff) or is_provider(user)


def can_build_catalogue(user) -> bool:
    return user.is_authenticated and user.is_bureau_staff


def can_apply_for_purchase(user) -> bool:
    """An organisation's admin or its instrument provider justifies a purchase."""
    return verified_organization(user) is not None and (user.is_org_admin or user.has_role(PlatformRole.PROVIDER))


def purchases_visible_to(user):
    from kechuang.instruments.models import PurchaseApplication

    if not user.is_authenticated:
        return PurchaseApplication.objects.none()
    if user.is_bureau_staff or user.has_role(PlatformRole.EXPERT):
        return PurchaseApplication.objects.all()
    if user.organization is None:
        return PurchaseApplication.objects.none()
    return PurchaseApplication.objects.filter(organization=user.organization)


def can_review_purchase(user, application) -> bool:
    return user.is_authenticated and user.has_role(PlatformRole.EXPERT) and application.status in (
        "submitted", "in_review") and application.organization_id != getattr(user.organization, "pk", None)


def can_decide_purchase(user, application) -> bool:
    return user.is_authenticated and user.is_bureau_staff and application.status in ("submitted", "in_review")


def can_import_instruments(user) -> bool:
    return is_provider(user) or (user.is_authenticated and user.is_bureau_staff)
