"""The demo programmes show every step: a decided call, a running and an accepted project, an
open call with a submission and a draft, and a named joint fund."""

from types import SimpleNamespace

import pytest

from kechuang.accounts import demo as accounts_demo
from kechuang.accounts.models import User
from kechuang.demands.choices import DemandStatus
from kechuang.demands.tests.factories import make_demand
from kechuang.experts import demo as experts_demo
from kechuang.programs import demo, selectors
from kechuang.programs.choices import ApplicationStatus, ProjectStatus
from kechuang.programs.models import Application, Challenge, Programme, Project, ReviewAssignment

pytestmark = pytest.mark.slow


def test_the_demo_programmes_cover_every_step_and_load_once(db, settings, tmp_path):
    settings.KECHUANG_MATCHING = {**settings.KECHUANG_MATCHING, "DIR": tmp_path / "matching"}
    organizations = accounts_demo.seed(log=lambda *_: None)["organizations"]
    experts_demo.seed(log=lambda *_: None)
    for number in range(2):
        make_demand(SimpleNamespace(users=SimpleNamespace(org_admin=User.objects.get(
            email="enterprise@demo.kechuang.cn"))), title=f"示范需求{number}", status=DemandStatus.PUBLISHED)
    assert demo.seed(log=lambda *_: None) == 1
    assert demo.seed(log=lambda *_: None) == 0
    statuses = sorted(Application.objects.values_list("status", flat=True))
    assert statuses == sorted([ApplicationStatus.AWARDED, ApplicationStatus.AWARDED, ApplicationStatus.NOT_AWARDED,
                               ApplicationStatus.SUBMITTED, ApplicationStatus.DRAFT])
    assert sorted(Project.objects.values_list("status", flat=True)) == [ProjectStatus.ACCEPTED, ProjectStatus.ACTIVE]
    assert ReviewAssignment.objects.filter(status="submitted").count() == 9
    assert selectors.unregistered_projects().count() == 1
    joint = Programme.objects.get(kind="joint_fund")
    assert joint.is_named and "冠名" in joint.display_name
    assert Challenge.objects.filter(status="open").count() == 2
    assert all(challenge.setter == organizations["enterprise"] for challenge in Challenge.objects.all())
    waiting = Application.objects.get(status=ApplicationStatus.SUBMITTED)
    assert waiting.call.is_open and selectors.eligibility_problems(waiting) == []


def test_the_demo_programmes_load_without_the_demand_library(db, settings, tmp_path):
    settings.KECHUANG_MATCHING = {**settings.KECHUANG_MATCHING, "DIR": tmp_path / "matching"}
    accounts_demo.seed(log=lambda *_: None)
    experts_demo.seed(log=lambda *_: None)
    assert demo.seed(log=lambda *_: None) == 1
    assert not Challenge.objects.exists() and Project.objects.count() == 2
