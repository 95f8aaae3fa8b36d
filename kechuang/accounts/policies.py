"""Who may do what with accounts and organisations. `docs/roles.md` is the matrix of these
rules, and tests/test_roles_matrix.py checks each of its cells."""

from django.db.models import Q

from kechuang.accounts.choices import OrganizationKind, OrganizationStatus, PlatformRole
from kechuang.accounts.models import AccessToken, Invitation, Membership, Organization, User
from kechuang.accounts.workflow import ORGANIZATION_WORKFLOW


def is_member(user, organization) -> bool:
    return user.is_authenticated and user.organization is not None and user.organization.pk == organization.pk


def organizations_visible_to(user):
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_bureau_staff:
        return Organization.objects.all()
    if user.organization is None:
        return Organization.objects.none()
    return Organization.objects.filter(pk=user.organization.pk)


def can_register_organization(user) -> bool:
    return not user.is_authenticated or user.organization is None


def can_view_verification_queue(user) -> bool:
    return user.is_authenticated and user.is_bureau_staff


def can_verify_organization(user, organization) -> bool:
    return can_view_verification_queue(user) and ORGANIZATION_WORKFLOW.allows(organization.status, "verify")


def can_resubmit_organization(user, organization) -> bool:
    return (
        is_member(user, organization)
        and user.is_org_admin
        and ORGANIZATION_WORKFLOW.allows(organization.status, "resubmit")
    )


def can_manage_members(user, organization) -> bool:
    return (
        is_member(user, organization)
        and user.is_org_admin
        and organization.status == OrganizationStatus.VERIFIED
    )


def can_view_members(user, organization) -> bool:
    return is_member(user, organization) or (user.is_authenticated and user.is_bureau_staff)


def can_view_contact_details(user, organization) -> bool:
    """Unmasked phone numbers: the organisation's own members and the bureau."""
    return can_view_members(user, organization)


def can_view_organization_files(user, organization) -> bool:
    return can_view_members(user, organization)


def can_assign_roles(user) -> bool:
    return user.is_authenticated and user.is_bureau_admin


def users_visible_to(user):
    if not user.is_authenticated:
        return User.objects.none()
    if user.is_bureau_admin:
        return User.objects.all()
    if user.is_org_admin:
        return User.objects.filter(Q(pk=user.pk) | Q(membership__organization=user.organization))
    return User.objects.filter(pk=user.pk)


def members_visible_to(user, organization):
    if not can_view_members(user, organization):
        return Membership.objects.none()
    return Membership.objects.filter(organization=organization).select_related("user")


def memberships_manageable_by(user):
    """Memberships an org admin may change or end: their organisation's, except their own."""
    if not user.is_authenticated or user.organization is None or not can_manage_members(user, user.organization):
        return Membership.objects.none()
    return Membership.objects.filter(organization=user.organization).exclude(user=user)


def invitations_manageable_by(user):
    if not user.is_authenticated or user.organization is None or not can_manage_members(user, user.organization):
        return Invitation.objects.none()
    return Invitation.objects.filter(organization=user.organization)


def invitations_visible_to(user, organization):
    if not can_manage_members(user, organization):
        return Invitation.objects.none()
    return Invitation.objects.filter(organization=organization)


def tokens_visible_to(user):
    if not user.is_authenticated:
        return AccessToken.objects.none()
    return AccessToken.objects.filter(user=user)


def can_remove_member(user, membership) -> bool:
    return (
        can_manage_members(user, membership.organization)
        and membership.user_id != user.pk
    )




def verified_organization(user):
    """The user's organisation when it is verified, else None."""
    organization = user.organization if user.is_authenticated else None
    return organization if organization is not None and organization.is_verified else None


def is_provider(user) -> bool:
    """An instrument provider of a verified organisation."""
    return user.is_authenticated and user.has_role(PlatformRole.PROVIDER) and verified_organization(user) is not None


def is_library_reviewer(user) -> bool:
    """Reviews submissions to the achievements and demand libraries: the bureau and members of
    verified technology transfer institutions."""
    if not user.is_authenticated:
        return False
    organization = verified_organization(user)
    return user.is_bureau_staff or (organization is not None and organization.kind == OrganizationKind.TRANSFER)


def is_member_of(user, organization_id) -> bool:
    return user.is_authenticated and user.organization is not None and user.organization.pk == organization_id
