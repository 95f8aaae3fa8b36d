"""The achievements' list pages make the same number of queries for 3 rows as for 25."""

from itertools import count

from django.urls import reverse

from kechuang.achievements.choices import AchievementStatus
from kechuang.achievements.tests.factories import make_achievement
from kechuang.core.testing import assert_queries_flat

MARKER = "查询计数成果"
numbers = count()


def adder(world, status):
    def add(n):
        for _ in range(n):
            make_achievement(world, status=status, name=f"{MARKER}{next(numbers)}号")
    return add


def test_portal(client, world):
    assert_queries_flat(client, reverse("achievements:portal"), adder(world, AchievementStatus.PUBLISHED),
                        marker=MARKER)


def test_mine(client_for, world):
    assert_queries_flat(client_for("institute_user"), reverse("achievements:mine"),
                        adder(world, AchievementStatus.DRAFT), marker=MARKER)


def test_review_queue(client_for, world):
    assert_queries_flat(client_for("bureau_officer"), reverse("achievements:review_queue"),
                        adder(world, AchievementStatus.SUBMITTED), marker=MARKER)


def test_registration_report(client_for, world):
    from kechuang.achievements.models import FundedProject

    def add(n):
        for _ in range(n):
            FundedProject.objects.create(organization=world.orgs.institute, reference=f"R{next(numbers)}", year=2025,
                                         title=f"{MARKER}{next(numbers)}")

    assert_queries_flat(client_for("bureau_officer"), reverse("achievements:registration_report"), add,
                        marker=MARKER)
