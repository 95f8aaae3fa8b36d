"""The demo challenge list: two of the demo enterprise's published demands, open to solver teams."""

from types import SimpleNamespace

import pytest

from kechuang.accounts import demo as accounts_demo
from kechuang.accounts.models import User
from kechuang.challenges import demo
from kechuang.challenges.models import Challenge, ChallengeList
from kechuang.demands.choices import DemandStatus
from kechuang.demands.tests.factories import make_demand

pytestmark = pytest.mark.slow


def test_the_demo_challenges_are_open_and_load_once(db, settings, tmp_path):
    settings.KECHUANG_MATCHING = {**settings.KECHUANG_MATCHING, "DIR": tmp_path / "matching"}
    organizations = accounts_demo.seed(log=lambda *_: None)["organizations"]
    for number in range(2):
        make_demand(SimpleNamespace(users=SimpleNamespace(org_admin=User.objects.get(
            email="enterprise@demo.kechuang.cn"))), title=f"示范需求{number}", status=DemandStatus.PUBLISHED)
    assert demo.seed(log=lambda *_: None) == 1
    assert demo.seed(log=lambda *_: None) == 0
    assert Challenge.objects.filter(status="open").count() == 2
    assert all(challenge.setter == organizations["enterprise"] for challenge in Challenge.objects.all())
    assert ChallengeList.objects.get().published_at is not None


def test_without_the_demand_library_there_is_no_list(db, settings, tmp_path):
    settings.KECHUANG_MATCHING = {**settings.KECHUANG_MATCHING, "DIR": tmp_path / "matching"}
    accounts_demo.seed(log=lambda *_: None)
    assert demo.seed(log=lambda *_: None) == 0
    assert not ChallengeList.objects.exists() and not Challenge.objects.exists()
