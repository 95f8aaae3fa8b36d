"""The programmes' list pages make the same number of queries for 3 rows as for 25."""

from datetime import date
from decimal import Decimal
from itertools import count

import pytest
from django.urls import reverse

from kechuang.core.testing import assert_queries_flat
from kechuang.programs import services
from kechuang.programs.choices import ApplicationStatus, AssignmentStatus, ProjectStatus
from kechuang.programs.models import Application, Project, ReviewAssignment
from kechuang.programs.tests.factories import make_application, make_call

MARKER = "查询计数项目"
numbers = count()


def calls(n):
    for _ in range(n):
        make_call(title=f"{MARKER}{next(numbers)}号")


def applications(world, call=None, status=None):
    def add(n):
        for _ in range(n):
            application = make_application(call or make_call(), world.users.enterprise_user,
                                           title=f"{MARKER}{next(numbers)}号")
            if status:
                Application.objects.filter(pk=application.pk).update(status=status)
    return add


def projects(world, status=ProjectStatus.ACTIVE):
    def add(n):
        for _ in range(n):
            call = make_call()
            application = make_application(call, world.users.enterprise_user, submit=True,
                                           title=f"{MARKER}{next(numbers)}号")
            Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.IN_REVIEW)
            application.refresh_from_db()
            services.application_decide(by=world.users.bureau_officer, application=application, award=True,
                                        amount=Decimal("40"), note="同意立项", starts_on=date(2027, 1, 1))
            Project.objects.filter(application=application).update(status=status)
    return add


def test_call_list(client, world):
    assert_queries_flat(client, reverse("programs:call_list"), calls, marker=MARKER)


def test_manage(client_for, world):
    assert_queries_flat(client_for("bureau_officer"), reverse("programs:manage"), calls, marker=MARKER)


def test_my_applications(client_for, world):
    assert_queries_flat(client_for("enterprise_user"), reverse("programs:my_applications"), applications(world),
                        marker=MARKER)


def test_call_applications(client_for, world):
    call = make_call()
    assert_queries_flat(client_for("bureau_officer"), reverse("programs:call_applications", args=[call.pk]),
                        applications(world, call, ApplicationStatus.SUBMITTED), marker=MARKER)


def test_call_review(client_for, world):
    call = make_call()
    assert_queries_flat(client_for("bureau_officer"), reverse("programs:call_review", args=[call.pk]),
                        applications(world, call, ApplicationStatus.ELIGIBLE), marker=MARKER)


def test_my_reviews(client_for, world):
    def add(n):
        applications(world, status=ApplicationStatus.IN_REVIEW)(n)
        for application in Application.objects.filter(assignments=None):
            ReviewAssignment.objects.create(application=application, expert=world.users.expert,
                                            status=AssignmentStatus.INVITED)

    assert_queries_flat(client_for("expert"), reverse("programs:my_reviews"), add, marker=MARKER)


@pytest.mark.parametrize("persona", ["enterprise_user", "bureau_officer"])
def test_project_list(client_for, world, persona):
    assert_queries_flat(client_for(persona), reverse("programs:project_list"), projects(world), marker=MARKER)


def test_unregistered(client_for, world):
    assert_queries_flat(client_for("bureau_officer"), reverse("programs:unregistered"),
                        projects(world, ProjectStatus.ACCEPTED), marker=MARKER)
