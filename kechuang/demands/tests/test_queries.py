"""The demands' list pages make the same number of queries for 3 rows as for 25."""

from itertools import count

from django.urls import reverse

from kechuang.core.testing import assert_queries_flat
from kechuang.demands.choices import DemandStatus
from kechuang.demands.models import Demand
from kechuang.demands.tests.factories import make_demand

MARKER = "查询计数需求"
numbers = count()


def adder(world, status, **fields):
    def add(n):
        for _ in range(n):
            demand = make_demand(world, status=status, title=f"{MARKER}{next(numbers)}号")
            if fields:
                Demand.objects.filter(pk=demand.pk).update(**fields)
    return add


def test_portal(client, world):
    assert_queries_flat(client, reverse("demands:portal"), adder(world, DemandStatus.PUBLISHED), marker=MARKER)


def test_mine(client_for, world):
    assert_queries_flat(client_for("org_admin"), reverse("demands:mine"), adder(world, DemandStatus.DRAFT),
                        marker=MARKER)


def test_review_queue(client_for, world):
    assert_queries_flat(client_for("bureau_officer"), reverse("demands:review_queue"),
                        adder(world, DemandStatus.SUBMITTED), marker=MARKER)


def test_challenge_candidates(client_for, world):
    assert_queries_flat(client_for("bureau_officer"), reverse("demands:challenge_candidates"),
                        adder(world, DemandStatus.PUBLISHED, challenge_candidate=True,
                              challenge_marked_by=world.users.bureau_officer), marker=MARKER)
