import re

import pytest

from kechuang.accounts.choices import OrganizationKind, OrgRole, PlatformRole
from kechuang.accounts.tests.factories import TEST_PASSWORD, OrganizationFactory, grant, member_of
from kechuang.achievements.models import Achievement

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, login):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("电子邮箱或手机号").fill(login)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    # The page after signing in loads fragments (recommendations) with htmx. The live server
    # shares one in-memory SQLite connection between its threads, so the next navigation must
    # not start while those requests still run.
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    page.wait_for_load_state("networkidle")


def test_register_publish_and_find_an_achievement(live_server, browser, screenshot_dir):
    institute = OrganizationFactory(name="示范市先进材料研究院", kind=OrganizationKind.INSTITUTE)
    researcher = member_of(institute, OrgRole.ADMIN, name="刘研究员", email="liu@example.cn")
    bureau = OrganizationFactory(name="示范市科学技术局", kind=OrganizationKind.GOVERNMENT)
    officer = grant(member_of(bureau, name="科员李明", email="li@example.cn"), PlatformRole.BUREAU_OFFICER,
                    "成果转化处")

    # The institute user registers an achievement and submits it.
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    sign_in(page, live_server, researcher.email)
    page.goto(f"{live_server.url}/achievements/mine/")
    page.get_by_test_id("new-achievement").click()
    page.get_by_label("名称").fill("高镍三元锂电池正极材料及其制备方法")
    page.get_by_label("成果简介").fill("采用共沉淀法制备高镍三元前驱体，循环寿命提升30%。")
    page.get_by_label("关键词").fill("锂离子电池,正极材料,高镍")
    page.get_by_label("成果形式").select_option("invention_patent")
    page.get_by_label("许可").check()
    page.get_by_label("完成人").fill("刘洋 负责人\n王芳")
    assert not page.get_by_label("价格面议").is_checked()    # a typed price is not hidden as 面议
    page.get_by_label("转化价格（万元）").fill("200")
    page.screenshot(path=screenshot_dir / "achievement-form-zh.png", full_page=True)
    page.get_by_test_id("save").click()
    assert page.get_by_test_id("price").inner_text() == "200.00"
    page.get_by_test_id("submit").click()
    assert page.get_by_test_id("status").inner_text() == "待审核"
    page.close()

    # A bureau officer publishes it from the review queue.
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    sign_in(page, live_server, officer.email)
    page.get_by_test_id("manage-menu").click()
    page.get_by_role("link", name="成果审核").click()
    page.get_by_role("link", name="高镍三元锂电池正极材料及其制备方法").click()
    page.get_by_test_id("publish").click()
    assert page.get_by_test_id("status").inner_text() == "已发布"
    page.close()

    # An anonymous visitor finds it with a Chinese query, other words than its title.
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{live_server.url}/achievements/")
    page.get_by_test_id("search-input").fill("锂电池 正极")
    page.get_by_test_id("search-button").click()
    hit = page.get_by_test_id("results").locator("li").first
    assert re.sub(r"\s+", "", hit.locator("h2").inner_text()) == "高镍三元锂电池正极材料及其制备方法"
    assert hit.locator("mark").count() >= 2
    page.screenshot(path=screenshot_dir / "achievement-search-zh.png", full_page=True)
    hit.locator("a").first.click()
    assert "139****" not in page.content()  # no phone was given; the page renders for the public
    page.screenshot(path=screenshot_dir / "achievement-detail-public-zh.png", full_page=True)
    page.close()
    assert Achievement.objects.get().status == "published"
