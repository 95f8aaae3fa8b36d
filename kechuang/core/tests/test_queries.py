"""The core's list pages make the same number of queries for 3 rows as for 25."""

from itertools import count

from django.urls import reverse

from kechuang.core.services import audit_record, notify
from kechuang.core.testing import assert_queries_flat

MARKER = "查询计数"
numbers = count()


def test_audit_log(client_for, world):
    def add(n):
        for _ in range(n):
            audit_record("query.counted", by=world.users.org_admin, changes={"n": next(numbers)})

    assert_queries_flat(client_for("bureau_admin"), reverse("core:audit_log"), add, marker="query.counted")


def test_notifications(client_for, world):
    def add(n):
        for _ in range(n):
            notify(world.users.org_admin, title=f"{MARKER}{next(numbers)}号", url="/", email=False)

    assert_queries_flat(client_for("org_admin"), reverse("core:notifications"), add, marker=MARKER)
