"""The matchmaking case lists make the same number of queries for 3 rows as for 25 (the match
pages themselves are measured with the matching pages)."""

from itertools import count

import pytest
from django.urls import reverse

from kechuang.achievements.choices import AchievementStatus
from kechuang.achievements.tests.factories import make_achievement
from kechuang.core.testing import assert_queries_flat
from kechuang.demands.choices import DemandStatus
from kechuang.demands.tests.factories import make_demand
from kechuang.matching import services

MARKER = "查询计数成果"
numbers = count()


def cases(world, *, accept=False):
    demand = make_demand(world, status=DemandStatus.PUBLISHED)

    def add(n):
        for _ in range(n):
            achievement = make_achievement(world, status=AchievementStatus.PUBLISHED,
                                           name=f"{MARKER}{next(numbers)}号")
            case = services.case_open(by=world.users.org_admin, demand=demand, achievement=achievement)
            if accept:
                services.case_accept(case=case, by=world.users.institute_user)
    return add


@pytest.mark.parametrize("persona", ["org_admin", "bureau_officer"])
def test_cases(client_for, world, persona):
    assert_queries_flat(client_for(persona), reverse("matching:cases"), cases(world), marker=MARKER)


def test_broker_queue(client_for, world):
    assert_queries_flat(client_for("broker"), reverse("matching:broker_queue"), cases(world, accept=True),
                        marker=MARKER)
