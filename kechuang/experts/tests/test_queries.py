"""The expert's list of declared conflicts makes the same number of queries for 3 rows as for 25."""

from itertools import count

from django.urls import reverse

from kechuang.accounts.tests.factories import OrganizationFactory
from kechuang.core.testing import assert_queries_flat
from kechuang.experts.services import conflict_declare

MARKER = "查询计数单位"
numbers = count()


def test_conflicts(client_for, world):
    def add(n):
        for _ in range(n):
            conflict_declare(by=world.users.expert, organization=OrganizationFactory(name=f"{MARKER}{next(numbers)}号"),
                             reason="曾在该单位任职")

    assert_queries_flat(client_for("expert"), reverse("experts:conflicts"), add, marker=MARKER)
