"""The challenge list pages make the same number of queries for 3 challenges as for 25."""

from itertools import count

import pytest
from django.urls import reverse

from kechuang.challenges import services
from kechuang.core.testing import assert_queries_flat
from kechuang.demands.choices import DemandStatus
from kechuang.demands.models import Demand
from kechuang.demands.tests.factories import make_demand

MARKER = "查询计数榜单"
numbers = count()
quarters = count()


def challenges(world, *, publish):
    """n candidate demands put on a list of their own quarter, published or left a draft."""
    def add(n):
        for _ in range(n):
            demand = make_demand(world, title=f"{MARKER}{next(numbers)}号", status=DemandStatus.PUBLISHED)
            Demand.objects.filter(pk=demand.pk).update(challenge_candidate=True)
        quarter = next(quarters)
        challenge_list = services.challenge_list_build(by=world.users.bureau_officer, year=2027 + quarter // 4,
                                                       quarter=quarter % 4 + 1)
        if publish:
            services.challenge_list_publish(by=world.users.bureau_officer, challenge_list=challenge_list)
    return add


@pytest.mark.parametrize("persona", ["public", "bureau_officer"])
def test_challenge_lists(client_for, world, persona):
    assert_queries_flat(client_for(persona), reverse("challenges:lists"), challenges(world, publish=True),
                        marker=MARKER)


@pytest.mark.parametrize("publish", [True, False])
def test_manage(client_for, world, publish):
    assert_queries_flat(client_for("bureau_officer"), reverse("challenges:manage"),
                        challenges(world, publish=publish), marker=MARKER)
