"""Reads of open challenges, always through the challenges' policy queryset."""

from django.db.models import Prefetch

from kechuang.challenges import policies
from kechuang.challenges.models import Challenge, ChallengeList
from kechuang.core.policies import is_bureau_staff
from kechuang.core.selectors import gate
from kechuang.demands.choices import INDEXED as DEMAND_INDEXED
from kechuang.demands.models import Demand


def challenge_lists(user):
    """Lists with the challenges the user may see: published lists for everyone, all for the bureau."""
    lists = ChallengeList.objects.all() if is_bureau_staff(user) else ChallengeList.objects.exclude(
        published_at=None)
    visible = policies.challenges_visible_to(user).select_related("setter", "call")
    return lists.prefetch_related(Prefetch("challenges", queryset=visible))


def challenge_list_for(user, pk, *, may=None) -> ChallengeList:
    return gate(user, challenge_lists(user), may=may, pk=pk)


def challenge_for(user, pk, *, may=None) -> Challenge:
    return gate(user, policies.challenges_visible_to(user).select_related("setter", "call", "demand",
                                                                          "challenge_list"), may=may, pk=pk)


def challenge_candidates_left():
    return Demand.objects.filter(challenge_candidate=True, status__in=DEMAND_INDEXED, challenge__isnull=True).count()


def race_history(challenge) -> list:
    return list(challenge.assessments.select_related("application__organization", "merged_into").order_by(
        "phase", "pk"))
