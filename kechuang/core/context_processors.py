"""Role-aware navigation: each entry names a URL that exists and a rule that shows it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.core.selectors import unread_notification_count


def _entries(user):
    entries = [(_("Achievements"), "achievements:portal"), (_("Demands"), "demands:portal")]
    if not user.is_authenticated:
        return entries
    entries += [(_("My organisation"), "accounts:my_organization")]
    if user.is_bureau_staff:
        entries += [(_("Verification queue"), "accounts:verification_queue"),
                    (_("Organisations"), "accounts:organization_list"),
                    (_("Achievements to review"), "achievements:review_queue"),
                    (_("Demands to review"), "demands:review_queue")]
    if user.is_bureau_admin:
        entries += [(_("Users and roles"), "accounts:user_list"), (_("Reference data"), "core:reference_index"),
                    (_("Audit log"), "core:audit_log")]
    return entries


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    current = request.path
    entries = [
        {"label": label, "url": reverse(name), "active": current.startswith(reverse(name))}
        for label, name in _entries(user)
    ]
    unread = unread_notification_count(user) if user.is_authenticated else 0
    return {"nav_entries": entries, "unread_count": unread}
