"""Who may see and change technology demands (docs/roles.md has the matrix)."""

from django.db.models import Q

from kechuang.accounts.choices import OrganizationKind, PlatformRole
from kechuang.accounts.policies import is_library_reviewer, is_member_of, verified_organization
from kechuang.demands.choices import INDEXED, PUBLIC_STATUSES
from kechuang.demands.choices import DemandStatus as Status
from kechuang.demands.models import Demand
from kechuang.demands.workflow import DEMAND_WORKFLOW, EDITABLE

INSTITUTION_KINDS = frozenset({OrganizationKind.UNIVERSITY, OrganizationKind.INSTITUTE, OrganizationKind.TRANSFER,
                               OrganizationKind.HOSPITAL})


def is_owner_member(user, demand) -> bool:
    return is_member_of(user, demand.owner_id)


is_reviewer = is_library_reviewer


def demands_visible_to(user):
    public = Q(status__in=PUBLIC_STATUSES)
    if not user.is_authenticated:
        return Demand.objects.filter(public)
    rule = public
    if user.organization is not None:
        rule |= Q(owner=user.organization)
    if user.is_bureau_staff:
        rule |= ~Q(status=Status.DRAFT)
    elif is_library_reviewer(user):
        rule |= Q(status=Status.SUBMITTED)
    return Demand.objects.filter(rule)


def can_view_full_demand(user, demand) -> bool:
    """Confidential details: the owner, the bureau, brokers and verified institutions."""
    if not demand.confidential or is_owner_member(user, demand):
        return True
    if not user.is_authenticated:
        return False
    organization = verified_organization(user)
    return (user.is_bureau_staff or user.has_role(PlatformRole.BROKER)
            or (organization is not None and organization.kind in INSTITUTION_KINDS))


def can_view_contact(user, demand) -> bool:
    return is_owner_member(user, demand) or verified_organization(user) is not None


def can_create_demand(user) -> bool:
    organization = verified_organization(user)
    return organization is not None and organization.kind == OrganizationKind.ENTERPRISE


def can_edit_demand(user, demand) -> bool:
    return is_owner_member(user, demand) and demand.status in EDITABLE


def can_submit_demand(user, demand) -> bool:
    return is_owner_member(user, demand) and DEMAND_WORKFLOW.allows(demand.status, "submit")


def can_review_demand(user, demand) -> bool:
    return (is_library_reviewer(user) and not is_owner_member(user, demand)
            and DEMAND_WORKFLOW.allows(demand.status, "publish"))


def can_withdraw_demand(user, demand) -> bool:
    return is_owner_member(user, demand) and DEMAND_WORKFLOW.allows(demand.status, "withdraw")


def can_solve_demand(user, demand) -> bool:
    return is_owner_member(user, demand) and DEMAND_WORKFLOW.allows(demand.status, "solve")


def can_start_matchmaking(user, demand) -> bool:
    return ((is_owner_member(user, demand) or (user.is_authenticated and (
        user.is_bureau_staff or user.has_role(PlatformRole.BROKER))))
        and DEMAND_WORKFLOW.allows(demand.status, "start_matchmaking"))


def can_mark_challenge_candidate(user, demand) -> bool:
    return user.is_authenticated and user.is_bureau_staff and demand.status in (Status.PUBLISHED, Status.MATCHMAKING)


def can_view_demand_files(user, demand) -> bool:
    return demands_visible_to(user).filter(pk=demand.pk).exists() and can_view_full_demand(user, demand)


def can_import_demands(user) -> bool:
    return can_create_demand(user) or (user.is_authenticated and user.is_bureau_staff)


def can_view_matches(user, demand) -> bool:
    """The matching page of a demand (kechuang.matching): its enterprise, the bureau, brokers."""
    return demand.status in INDEXED and (is_owner_member(user, demand) or (user.is_authenticated and (
        user.is_bureau_staff or user.has_role(PlatformRole.BROKER))))
