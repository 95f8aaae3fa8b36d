"""The Content-Security-Policy in a real browser: the main pages of several roles load without a
single violation (no inline script, no inline handler, no eval), and what relies on script still
works: htmx fragments and autosave, the filter that submits on change, the confirmation before
removing a member."""

import pytest

from kechuang.accounts.choices import OrganizationKind, OrgRole, PlatformRole
from kechuang.accounts.models import Membership
from kechuang.accounts.tests.factories import OrganizationFactory, grant, member_of
from kechuang.programs import services as program_services
from kechuang.programs.tests.factories import make_call
from tests.e2e.test_achievement_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/", "/achievements/", "/demands/", "/matching/", "/programmes/", "/instruments/", "/sign-in/",
                "/register/", "/api/v1/docs"]
MEMBER_PAGES = ["/", "/achievements/mine/", "/demands/mine/", "/applications/", "/matching/cases/", "/vouchers/",
                "/instruments/mine/", "/notifications/", "/account/", "/account/tokens/"]
OFFICER_PAGES = ["/verification/", "/organizations/", "/achievements/review/", "/programmes/manage/",
                 "/matching/overview/", "/vouchers/manage/", "/instruments/utilisation/"]
# What the browser logs when a policy blocks something (CSP) or names a feature it does not know
# (Permissions-Policy).
POLICY_WORDS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy", "Unrecognized feature")
# Records violations the page reports as events; evaluated by the browser before any page
# script, outside the page's policy.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + event.sample);
});
"""


@pytest.fixture
def own_index(settings, tmp_path):
    settings.KECHUANG_MATCHING = {**settings.KECHUANG_MATCHING, "DIR": tmp_path / "matching"}


class Watched:
    """A page whose console messages about the policies and whose violation events are kept."""

    def __init__(self, browser):
        self.page = browser.new_page()
        self.page.add_init_script(WATCH_VIOLATIONS)
        self.messages = []
        self.page.on("console", lambda message: self.messages.append(f"{message.type}: {message.text}"))

    def visit(self, url):
        response = self.page.goto(url)
        assert response.status == 200, url
        self.page.wait_for_load_state("networkidle")
        self.check(url)

    def check(self, where):
        violations = self.page.evaluate("window.__violations")
        about_policies = [message for message in self.messages if any(word in message for word in POLICY_WORDS)]
        assert (violations, about_policies) == ([], []), where


def test_main_pages_of_several_roles_run_under_the_policy(live_server, browser, own_index):
    bureau = OrganizationFactory(name="示范市科学技术局", kind=OrganizationKind.GOVERNMENT)
    officer = grant(member_of(bureau, name="科员", email="officer@example.cn"), PlatformRole.BUREAU_OFFICER,
                    "成果转化处")
    enterprise = OrganizationFactory(name="示范储能科技有限公司", kind=OrganizationKind.ENTERPRISE)
    admin = member_of(enterprise, OrgRole.ADMIN, name="王经理", email="admin@example.cn")
    colleague = member_of(enterprise, name="李工", email="li@example.cn")

    public = Watched(browser)
    for path in PUBLIC_PAGES:
        public.visit(f"{live_server.url}{path}")
    public.page.close()

    member = Watched(browser)
    sign_in(member.page, live_server, admin.email)
    # htmx replaced the home page's placeholder with the recommendations fragment.
    member.page.goto(f"{live_server.url}/")
    member.page.get_by_role("heading", name="为您推荐").wait_for()
    for path in [*MEMBER_PAGES, f"/organizations/{enterprise.pk}/members/"]:
        member.visit(f"{live_server.url}{path}")

    # The confirmation before removing a member comes from static/js/kechuang.js.
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    member.page.on("dialog", answer)
    member.page.get_by_role("button", name="移除").click()
    assert questions == ["确定移除该成员？"]
    assert Membership.objects.filter(user=colleague).exists()

    # A status filter submits itself when changed.
    member.page.goto(f"{live_server.url}/achievements/mine/")
    member.page.locator("select[name=status]").select_option("draft")
    member.page.wait_for_url("**/achievements/mine/?status=draft")
    member.check("filters")
    member.page.close()

    officer_page = Watched(browser)
    sign_in(officer_page.page, live_server, officer.email)
    for path in OFFICER_PAGES:
        officer_page.visit(f"{live_server.url}{path}")
    officer_page.page.close()


def test_autosave_works_under_the_policy(live_server, browser, own_index):
    enterprise = OrganizationFactory(name="示范储能科技有限公司", kind=OrganizationKind.ENTERPRISE)
    lead = member_of(enterprise, OrgRole.ADMIN, name="王工程师", email="wang@example.cn")
    application = program_services.application_start(by=lead, call=make_call(), data={
        "title": "储能电站锂电池热失控早期预警方法研究", "summary": "", "requested_amount": "40"})

    watched = Watched(browser)
    sign_in(watched.page, live_server, lead.email)
    watched.visit(f"{live_server.url}/applications/{application.pk}/edit/")
    watched.page.locator("#id_title").fill("储能电站锂电池热失控预警方法研究")
    watched.page.locator("#id_title").blur()
    watched.page.get_by_test_id("autosaved").wait_for()
    watched.check("autosave")
    application.refresh_from_db()
    assert application.title == "储能电站锂电池热失控预警方法研究"
