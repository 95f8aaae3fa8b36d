"""Reads of accounts and organisations, always through a policy queryset."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from kechuang.accounts.choices import OrganizationStatus, PlatformRole
from kechuang.accounts.models import Organization, User
from kechuang.accounts.policies import (
    invitations_visible_to,
    members_visible_to,
    organizations_visible_to,
    tokens_visible_to,
    users_visible_to,
)


def organization_list(user, *, status: str = "", kind: str = "", query: str = ""):
    organizations = organizations_visible_to(user).select_related("district")
    if status:
        organizations = organizations.filter(status=status)
    if kind:
        organizations = organizations.filter(kind=kind)
    if query:
        organizations = organizations.filter(Q(name__icontains=query) | Q(uscc__iexact=query))
    return organizations


def organization_get(user, pk) -> Organization:
    return organizations_visible_to(user).select_related("district", "created_by", "verified_by").get(pk=pk)


def verification_queue(user):
    return organization_list(user, status=OrganizationStatus.PENDING).order_by("created_at")


def member_list(user, organization):
    return members_visible_to(user, organization).order_by("-role", "user__name")


def invitation_list(user, organization):
    return invitations_visible_to(user, organization).select_related("invited_by")


def user_list(user, *, query: str = "", role: str = ""):
    users = users_visible_to(user).select_related("membership__organization").prefetch_related("role_grants")
    if query:
        users = users.filter(Q(name__icontains=query) | Q(email__icontains=query))
    if role:
        users = users.filter(role_grants__role=role)
    return users.order_by("name", "pk")


def user_get(user, pk):
    return users_visible_to(user).select_related("membership__organization").get(pk=pk)


def token_list(user):
    return tokens_visible_to(user).select_related("user")


def organization_counts_by_status():
    return dict(
        Organization.objects.values_list("status").annotate(total=Count("pk")).values_list("status", "total")
    )


def sheet_owner(uscc: str | None, *, owners: dict, member_organization, unknown: str, foreign: str):
    """The organisation a spreadsheet row belongs to, and the error to report (or None).

    `owners` maps credit codes to the organisations a row may name; a member importing for their
    own organisation (`member_organization`) may leave the column empty but may not name
    another; the bureau must name one."""
    if uscc:
        owner = owners.get(uscc.upper())
        if owner is None:
            return None, unknown
        if member_organization is not None and owner != member_organization:
            return owner, foreign
        return owner, None
    if member_organization is None:
        return None, _("This column is required.")
    return member_organization, None


def bureau_staff():
    """The active bureau officers and admins (recipients of the bureau's work notifications)."""
    return User.objects.filter(role_grants__role__in=[PlatformRole.BUREAU_OFFICER, PlatformRole.BUREAU_ADMIN],
                               is_active=True).distinct()
