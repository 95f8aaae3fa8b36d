"""Role-aware navigation: each entry names a URL that exists and a rule that shows it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.core.selectors import unread_notification_count


def _main_entries(user):
    return [(_("Achievements"), "achievements:portal"), (_("Demands"), "demands:portal"),
            (_("Find a solution"), "matching:find_solution"), (_("Programmes"), "programs:call_list"),
            (_("Instruments"), "instruments:catalogue")]


def _personal_entries(user):
    """A signed-in user's own work, in one menu so that the bar stays one line at 1366 pixels in
    English too (tests/e2e/test_navbar.py)."""
    if not user.is_authenticated:
        return []
    return [(_("Matchmaking"), "matching:cases"), (_("My applications"), "programs:my_applications"),
            (_("Vouchers"), "vouchers:overview"), (_("My organisation"), "accounts:my_organization")]


def _management_entries(user):
    if not user.is_authenticated:
        return []
    entries = []
    if user.is_bureau_staff:
        entries += [(_("Verification queue"), "accounts:verification_queue"),
                    (_("Organisations"), "accounts:organization_list")]
    if user.is_bureau_staff or user.has_role("broker") or _is_transfer_member(user):
        entries += [(_("Achievements to review"), "achievements:review_queue"),
                    (_("Demands to review"), "demands:review_queue")]
    if user.has_role("broker"):
        entries.append((_("Broker work queue"), "matching:broker_queue"))
    if user.has_role("provider"):
        entries += [(_("Requests for our instruments"), "instruments:queue"),
                    (_("Voucher settlements"), "vouchers:settlements")]
    if user.is_finance_officer:
        entries.append((_("Voucher settlements"), "vouchers:settlements"))
    if user.is_authenticated and user.organization is not None:
        entries.append((_("My bookings and testing orders"), "instruments:mine"))
    if user.has_role("expert"):
        entries += [(_("My expert profile"), "experts:edit_own", "expert"), (_("My reviews"), "programs:my_reviews"),
                    (_("Declared conflicts of interest"), "experts:conflicts")]
    if user.has_role("broker"):
        entries.append((_("My broker profile"), "experts:edit_own", "broker"))
    if user.is_bureau_staff:
        entries += [(_("Registration of funded results"), "achievements:registration_report"),
                    (_("Open-challenge list candidates"), "demands:challenge_candidates"),
                    (_("Matching overview"), "matching:overview"), (_("Programmes and calls"), "programs:manage"),
                    (_("Challenge lists"), "challenges:manage"),
                    (_("Voucher schemes"), "vouchers:manage"), (_("Voucher settlements"), "vouchers:settlements"),
                    (_("Instrument utilisation"), "instruments:utilisation"),
                    (_("Purchase early warning"), "instruments:warning")]
    if user.is_bureau_admin:
        entries += [(_("Users and roles"), "accounts:user_list"), (_("Reference data"), "core:reference_index"),
                    (_("Audit log"), "core:audit_log")]
    return entries


def _is_transfer_member(user):
    organization = user.organization
    return organization is not None and organization.is_verified and organization.kind == "transfer"


def _links(request, entries):
    links = []
    for label, name, *args in entries:
        url = reverse(name, args=args)
        links.append({"label": label, "url": url, "active": request.path.startswith(url)})
    return links


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "nav_entries": _links(request, _main_entries(user)),
        "nav_personal": _links(request, _personal_entries(user)),
        "nav_management": _links(request, _management_entries(user)),
        "unread_count": unread_notification_count(user) if user.is_authenticated else 0,
    }
