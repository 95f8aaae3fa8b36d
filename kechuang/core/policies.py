"""View policies and the core's own visibility rules.

Every view is wrapped in `view_policy(rule)`. The rule is PUBLIC, SIGNED_IN or a predicate
on the user; object-level rules live in each app's `*_visible_to(user)` querysets, which turn
what a user may not see into a 404. A test walks every URL pattern and fails on a view that
has no declared policy (see kechuang/core/tests/test_url_policies.py).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from kechuang.core.models import Attachment, Job, Notification

PUBLIC = "public"
SIGNED_IN = "signed_in"


def view_policy(rule: str | Callable, *, description: str = ""):
    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            allowed = (
                rule == PUBLIC
                or (rule == SIGNED_IN and request.user.is_authenticated)
                or (callable(rule) and rule(request.user))
            )
            if not allowed:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded.policy = rule
        guarded.policy_description = description or getattr(rule, "__name__", str(rule))
        return guarded

    return decorate


def is_bureau_admin(user) -> bool:
    return user.is_authenticated and user.is_bureau_admin


def is_bureau_staff(user) -> bool:
    return user.is_authenticated and user.is_bureau_staff


def can_view_audit_log(user) -> bool:
    return is_bureau_admin(user)


def can_edit_reference_data(user) -> bool:
    return is_bureau_admin(user)


def notifications_visible_to(user):
    return Notification.objects.filter(recipient=user) if user.is_authenticated else Notification.objects.none()


def jobs_visible_to(user):
    return Job.objects.filter(owner=user) if user.is_authenticated else Job.objects.none()


def can_view_job_files(user, job) -> bool:
    return user.is_authenticated and job.owner_id == user.pk


def attachments_visible_to(user, attachment: Attachment) -> bool:
    from kechuang.core.files import can_download_attachment

    return can_download_attachment(user, attachment)
