import pytest

from kechuang.accounts.choices import OrganizationStatus, OrgRole, PlatformRole
from kechuang.accounts.models import Organization
from kechuang.accounts.tests.factories import TEST_PASSWORD, OrganizationFactory, grant, member_of

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_officer_verifies_a_pending_organisation(live_server, page, screenshot_dir):
    bureau = OrganizationFactory(name="示范市科学技术局", kind="government")
    officer = grant(member_of(bureau, name="科员李明", email="officer@example.cn"), PlatformRole.BUREAU_OFFICER,
                    "成果转化处")
    pending = OrganizationFactory(name="新锐生物科技有限公司", status=OrganizationStatus.PENDING)
    member_of(pending, OrgRole.ADMIN, name="申请人")

    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.screenshot(path=screenshot_dir / "home-zh.png", full_page=True)

    page.get_by_role("link", name="登录").first.click()
    page.get_by_label("电子邮箱或手机号").fill(officer.mobile)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_test_id("manage-menu").click()
    page.get_by_role("link", name="单位审核").click()
    page.get_by_test_id(f"review-{pending.pk}").click()
    page.get_by_test_id("verify").click()
    page.get_by_text("新锐生物科技有限公司 已通过认证。").wait_for()
    page.screenshot(path=screenshot_dir / "verification-done-zh.png", full_page=True)
    assert page.get_by_test_id("queue-empty").is_visible()
    assert Organization.objects.get(pk=pending.pk).status == OrganizationStatus.VERIFIED

    page.goto(f"{live_server.url}/")
    page.get_by_test_id("language-en").click()
    page.get_by_role("heading", name="What the platform offers").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    page.screenshot(path=screenshot_dir / "home-en.png", full_page=True)
