"""The demo programmes show every step: a decided call, a running and an accepted project, an
open call with a submission and a draft, and a named joint fund (the challenge list is the
challenges app's demo)."""

import pytest

from kechuang.accounts import demo as accounts_demo
from kechuang.experts import demo as experts_demo
from kechuang.programs import demo, selectors
from kechuang.programs.choices import ApplicationStatus, ProjectStatus
from kechuang.programs.models import Application, Programme, Project, ReviewAssignment

pytestmark = pytest.mark.slow


def test_the_demo_programmes_cover_every_step_and_load_once(db, settings, tmp_path):
    settings.KECHUANG_MATCHING = {**settings.KECHUANG_MATCHING, "DIR": tmp_path / "matching"}
    accounts_demo.seed(log=lambda *_: None)
    experts_demo.seed(log=lambda *_: None)
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
    waiting = Application.objects.get(status=ApplicationStatus.SUBMITTED)
    assert waiting.call.is_open and selectors.eligibility_problems(waiting) == []
