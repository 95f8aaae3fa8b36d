from types import SimpleNamespace

import pytest

from kechuang.achievements.choices import AchievementStatus
from kechuang.achievements.tests.factories import make_achievement
from kechuang.demands.choices import DemandStatus
from kechuang.demands.tests.factories import make_demand
from kechuang.matching import index, services


@pytest.fixture(autouse=True)
def own_index(settings, tmp_path):
    """Every test gets an empty index folder of its own."""
    settings.KECHUANG_MATCHING = {**settings.KECHUANG_MATCHING, "DIR": tmp_path / "matching"}
    yield
    index._backends.pop(f"local:{tmp_path / 'matching'}", None)


def index_now(*objects):
    """What the task does after a commit, run inside the test's transaction."""
    for obj in objects:
        services.index_sync(obj._meta.db_table, [obj.pk])


@pytest.fixture
def market(world):
    """A published demand of the world's enterprise, the institute's achievement that solves
    it, and an unrelated one of the university."""
    battery = make_achievement(
        world, status=AchievementStatus.PUBLISHED, name="锂电池热失控早期预警系统",
        summary="融合温度、电压与气体传感器数据的锂电池组热失控早期预警算法，可提前数分钟报警。",
        keywords="锂电池,热失控,预警")
    farming = make_achievement(
        world, owner=world.orgs.university, status=AchievementStatus.PUBLISHED, name="丘陵地区智能农机导航装置",
        summary="适用于丘陵山区小地块的农机自动导航与作业质量监测装置。", keywords="农机,导航")
    demand = make_demand(world, status=DemandStatus.PUBLISHED)
    index_now(battery, farming, demand)
    return SimpleNamespace(battery=battery, farming=farming, demand=demand)
