"""Who may see matches and take part in matchmaking cases (docs/roles.md has the matrix).

A case is visible to the members of the two organisations, the assigned broker and the bureau;
to anybody else it does not exist (404)."""

from django.db.models import Q

from kechuang.accounts.choices import PlatformRole
from kechuang.accounts.policies import is_member_of, verified_organization
from kechuang.achievements.choices import INDEXED as ACHIEVEMENT_INDEXED
from kechuang.demands.choices import INDEXED as DEMAND_INDEXED
from kechuang.matching.choices import CaseStatus, Side
from kechuang.matching.models import Matchmaking
from kechuang.matching.workflow import CASE_WORKFLOW


def is_broker(user) -> bool:
    return user.is_authenticated and user.has_role(PlatformRole.BROKER)


def cases_visible_to(user):
    if not user.is_authenticated:
        return Matchmaking.objects.none()
    if user.is_bureau_staff:
        return Matchmaking.objects.all()
    rule = Q(broker=user)
    if user.organization is not None:
        rule |= Q(demand__owner=user.organization) | Q(achievement__owner=user.organization)
    if is_broker(user):
        # The broker's queue also offers accepted cases nobody is brokering yet.
        rule |= Q(broker__isnull=True, status=CaseStatus.ACCEPTED)
    return Matchmaking.objects.filter(rule)


def can_see_matches_of_demand(user, demand) -> bool:
    """The ranked achievements for a published demand: its enterprise, the bureau and brokers."""
    return demand.status in DEMAND_INDEXED and (
        is_member_of(user, demand.owner_id) or (user.is_authenticated and user.is_bureau_staff) or is_broker(user))


def can_see_matches_of_achievement(user, achievement) -> bool:
    return achievement.status in ACHIEVEMENT_INDEXED and (
        is_member_of(user, achievement.owner_id) or (user.is_authenticated and user.is_bureau_staff)
        or is_broker(user))


def side_of(user, demand, achievement) -> str | None:
    if is_member_of(user, demand.owner_id):
        return Side.DEMAND
    if is_member_of(user, achievement.owner_id):
        return Side.SUPPLY
    return None


def can_express_intent(user, demand, achievement) -> bool:
    """A verified member of either organisation, on a pair of records both in the libraries and
    not owned by the same organisation."""
    return (verified_organization(user) is not None and demand.owner_id != achievement.owner_id
            and side_of(user, demand, achievement) is not None
            and demand.status in DEMAND_INDEXED and achievement.status in ACHIEVEMENT_INDEXED)


def is_party(user, case) -> bool:
    return side_of(user, case.demand, case.achievement) is not None


def can_answer_case(user, case) -> bool:
    """Accept or decline: the organisation that did not express the intent."""
    side = side_of(user, case.demand, case.achievement)
    return side is not None and side != case.initiator_side and CASE_WORKFLOW.allows(case.status, "accept")


def can_assign_case(user, case) -> bool:
    return user.is_authenticated and user.is_bureau_staff and case.is_open


def can_claim_case(user, case) -> bool:
    return is_broker(user) and case.broker_id is None and case.status == CaseStatus.ACCEPTED


def is_case_worker(user, case) -> bool:
    return (is_party(user, case) or (user.is_authenticated and case.broker_id == user.pk)
            or (user.is_authenticated and user.is_bureau_staff))


def can_add_note(user, case) -> bool:
    return is_case_worker(user, case) and case.is_open


def can_record_outcome(user, case) -> bool:
    """Contract signed or case closed: the parties, the assigned broker, the bureau."""
    return is_case_worker(user, case) and case.is_open


def can_give_feedback(user) -> bool:
    return user.is_authenticated
