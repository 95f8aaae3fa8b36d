"""An enterprise posts a demand, reads its matches and expresses intent; the institute accepts;
a broker takes the case and records the signed contract."""

from datetime import date

import pytest

from kechuang.accounts.choices import OrganizationKind, OrgRole, PlatformRole
from kechuang.accounts.tests.factories import OrganizationFactory, grant, member_of
from kechuang.achievements.choices import AchievementStatus
from kechuang.achievements.tests.factories import make_achievement
from kechuang.demands.models import Demand
from kechuang.demands.services import demand_publish
from kechuang.matching.choices import CaseStatus
from kechuang.matching.models import Matchmaking
from tests.e2e.test_achievement_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def own_index(settings, tmp_path):
    settings.KECHUANG_MATCHING = {**settings.KECHUANG_MATCHING, "DIR": tmp_path / "matching"}


def test_demand_to_signed_contract(live_server, browser, screenshot_dir, own_index):
    enterprise = OrganizationFactory(name="示范智能装备有限公司", kind=OrganizationKind.ENTERPRISE)
    manager = member_of(enterprise, OrgRole.ADMIN, name="张经理", email="zhang@example.cn")
    institute = OrganizationFactory(name="示范先进储能研究院", kind=OrganizationKind.INSTITUTE)
    researcher = member_of(institute, OrgRole.ADMIN, name="刘研究员", email="liu@example.cn")
    transfer = OrganizationFactory(name="示范技术转移中心", kind=OrganizationKind.TRANSFER)
    broker = grant(member_of(transfer, name="经纪人周婷", email="zhou@example.cn"), PlatformRole.BROKER)
    bureau = OrganizationFactory(name="示范市科学技术局", kind=OrganizationKind.GOVERNMENT)
    officer = grant(member_of(bureau, name="科员李明", email="li@example.cn"), PlatformRole.BUREAU_OFFICER)
    world = type("World", (), {"orgs": type("Orgs", (), {"institute": institute})})
    # Committed through the services, so the matching index receives them as in production.
    make_achievement(world, status=AchievementStatus.PUBLISHED, name="锂电池组热失控早期预警系统",
                     summary="融合温度、电压与气体传感器数据，提前数分钟预警锂电池组热失控。",
                     keywords="锂电池,热失控,预警")
    make_achievement(world, status=AchievementStatus.PUBLISHED, name="丘陵地区智能农机导航装置",
                     summary="适用于丘陵山区小地块的农机自动导航与作业监测。", keywords="农机,导航")

    # The enterprise posts a demand and submits it; the bureau publishes it.
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    sign_in(page, live_server, manager.email)
    page.goto(f"{live_server.url}/demands/new/")
    page.get_by_label("标题").fill("储能电站电池热失控提前预警")
    page.get_by_label("公开摘要").fill("需要在储能电站锂电池组发生热失控前提前报警的技术方案。")
    page.get_by_label("关键词").fill("锂电池,热失控")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="提交审核").click()
    demand_publish(demand=Demand.objects.get(), by=officer)

    # It reads its matches with their explanations and expresses intent on the best one.
    page.goto(f"{live_server.url}/demands/{Demand.objects.get().pk}/")
    page.get_by_test_id("matches").click()
    best = page.get_by_test_id("match").first
    assert "锂电池组热失控早期预警系统" in best.inner_text()
    assert "共同关键词" in best.get_by_test_id("explanation").inner_text()
    assert best.get_by_test_id("strong").is_visible()
    page.screenshot(path=screenshot_dir / "matching-demand-matches-zh.png", full_page=True)
    best.locator("input[name=message]").fill("希望安排技术交流")
    best.get_by_test_id("intent").click()
    assert page.get_by_test_id("status").inner_text() == "已表达意向"
    page.close()

    # The institute accepts.
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    sign_in(page, live_server, researcher.email)
    page.goto(f"{live_server.url}/matching/cases/")
    page.get_by_test_id("case-row").first.locator("a").first.click()
    page.get_by_test_id("accept").click()
    assert page.get_by_test_id("status").inner_text() == "对接中"
    page.screenshot(path=screenshot_dir / "matching-case-accepted-zh.png", full_page=True)
    page.close()

    # A broker takes the case from the queue and records the signed contract.
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    sign_in(page, live_server, broker.email)
    page.goto(f"{live_server.url}/matching/cases/queue/")
    page.screenshot(path=screenshot_dir / "matching-broker-queue-zh.png", full_page=True)
    page.get_by_test_id("case-row").first.locator("a").first.click()
    page.get_by_test_id("claim").click()
    form = page.get_by_test_id("sign-form")
    form.get_by_label("合同金额（万元）").fill("80")
    form.get_by_label("签约日期").fill(date.today().isoformat())
    form.get_by_role("button", name="登记合同").click()
    assert page.get_by_test_id("status").inner_text() == "已签约"
    assert "80" in page.get_by_test_id("contract").inner_text()
    page.screenshot(path=screenshot_dir / "matching-contract-signed-zh.png", full_page=True)
    page.close()

    case = Matchmaking.objects.get()
    assert (case.status, case.broker, case.contract_amount) == (CaseStatus.SIGNED, broker, 80)
    assert list(case.events.values_list("kind", flat=True)) == ["intent", "accepted", "assigned", "signed"]
