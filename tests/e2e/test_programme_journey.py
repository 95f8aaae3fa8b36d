"""One call from opening to award: the bureau builds and publishes a call, an enterprise applies,
the officer checks eligibility and sends the solver's panels, three experts review blind, the
bureau ranks the results and awards the project, and the applicant reads the decision."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kechuang.accounts.choices import OrganizationKind, OrgRole, PlatformRole
from kechuang.accounts.tests.factories import OrganizationFactory, grant, member_of
from kechuang.programs.choices import ApplicationStatus
from kechuang.programs.models import Application, Project
from kechuang.programs.tests.factories import make_experts
from tests.e2e.test_achievement_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FIELDS = "background | 立项依据 | long_text | yes\nbudget | 经费预算 | table | no | 科目,金额（万元） | 3"
CRITERIA = "novelty | 创新性 | 40\nfeasibility | 可行性 | 35\nteam | 团队基础 | 25"


@pytest.fixture
def own_index(settings, tmp_path):
    settings.KECHUANG_MATCHING = {**settings.KECHUANG_MATCHING, "DIR": tmp_path / "matching"}


def new_page(browser, live_server, email):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    sign_in(page, live_server, email)
    return page


def test_a_call_from_opening_to_award(live_server, browser, screenshot_dir, own_index):
    bureau = OrganizationFactory(name="示范市科学技术局", kind=OrganizationKind.GOVERNMENT)
    officer = grant(member_of(bureau, name="科员李明", email="li@example.cn"), PlatformRole.BUREAU_OFFICER)
    enterprise = OrganizationFactory(name="示范储能科技有限公司", kind=OrganizationKind.ENTERPRISE)
    lead = member_of(enterprise, OrgRole.ADMIN, name="王工程师", email="wang@example.cn")
    experts = make_experts(3, enterprise=1)
    for number, expert in enumerate(experts):
        expert.email = f"expert{number}@example.cn"
        expert.save()

    # The bureau creates the programme and the call, builds the form and publishes it.
    page = new_page(browser, live_server, officer.email)
    page.goto(f"{live_server.url}/programmes/manage/programmes/new/")
    page.locator("#id_name").fill("示范市自然科学基金面上项目")
    page.locator("#id_kind").select_option("nsf_research")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("link", name="新建批次").click()
    now = timezone.localtime()
    page.locator("#id_title").fill("2027年度面上项目")
    page.locator("#id_year").fill("2027")
    page.locator("#id_opens_at").fill((now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_closes_at").fill((now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_budget").fill("300")
    page.locator("#id_max_award").fill("50")
    page.locator("#id_reviewers_per_application").fill("3")
    page.locator("#id_enterprise_reviewers").fill("1")
    page.get_by_role("button", name="保存并设置申报书").click()
    page.locator("#id_fields_text").fill(FIELDS)
    page.locator("#id_criteria_text").fill(CRITERIA)
    page.get_by_test_id("save-form").click()
    assert page.locator("#id_answer-background").count() == 1        # the preview shows the new form
    page.screenshot(path=screenshot_dir / "programmes-form-builder-zh.png", full_page=True)
    page.get_by_role("link", name="返回批次（在那里发布）").click()
    page.get_by_test_id("publish").click()
    assert page.get_by_test_id("phase").inner_text() == "申报中"
    page.close()

    # The enterprise applies; the required field is enforced, then the application goes in.
    page = new_page(browser, live_server, lead.email)
    page.goto(f"{live_server.url}/programmes/")
    page.get_by_test_id("calls").get_by_role("link").first.click()
    page.get_by_test_id("apply").click()
    page.locator("#id_title").fill("储能电站锂电池热失控早期预警方法研究")
    page.locator("#id_summary").fill("融合多传感器数据，研究锂电池组热失控的早期预警模型。")
    page.locator("#id_keywords").fill("锂电池,热失控,储能")
    page.locator("#id_requested_amount").fill("40")
    page.get_by_test_id("submit").click()
    assert "立项依据：必填。" in page.content()
    page.locator("#id_answer-background").fill("储能电站安全事故多由电池热失控引发，亟需早期预警。")
    page.locator("input[name='answer-budget-0-0']").fill("设备费")
    page.locator("input[name='answer-budget-0-1']").fill("20")
    page.screenshot(path=screenshot_dir / "programmes-application-form-zh.png", full_page=True)
    page.get_by_test_id("submit").click()
    assert page.get_by_test_id("status").inner_text() == "已提交"
    page.close()
    application = Application.objects.get()

    # The officer passes the eligibility check, proposes panels with the solver and invites.
    page = new_page(browser, live_server, officer.email)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    page.get_by_test_id("pass").click()
    assert page.get_by_test_id("status").inner_text() == "形式审查通过"
    page.goto(f"{live_server.url}/programmes/manage/calls/{application.call_id}/review/")
    page.get_by_test_id("propose").click()
    assert page.get_by_test_id("panels").locator("tbody tr").count() == 3
    assert "企业专家" in page.get_by_test_id("panels").inner_text()
    page.screenshot(path=screenshot_dir / "programmes-panels-zh.png", full_page=True)
    page.get_by_test_id("invite").click()
    assert page.get_by_test_id("panels").inner_text().count("已邀请") == 3
    page.close()

    # Each expert accepts and scores, without seeing who applied.
    for number, expert in enumerate(experts):
        page = new_page(browser, live_server, expert.email)
        page.goto(f"{live_server.url}/reviews/")
        page.get_by_test_id("my-reviews").get_by_role("link").first.click()
        page.get_by_test_id("accept").click()
        assert page.get_by_test_id("blind").is_visible() and "示范储能科技有限公司" not in page.content()
        form = page.get_by_test_id("review-form")
        for field, score in (("novelty", 80 + number), ("feasibility", 75), ("team", 90)):
            form.locator(f"#id_score_{field}").fill(str(score))
        form.locator("#id_comment").fill(f"专家{number}：技术路线清晰，预警模型具有应用前景。")
        if number == 0:
            page.screenshot(path=screenshot_dir / "programmes-blind-review-zh.png", full_page=True)
        form.get_by_role("button", name="提交评审").click()
        assert "评审已提交" in page.content()
        page.close()

    # The bureau reads the ranked results and awards the project.
    page = new_page(browser, live_server, officer.email)
    page.goto(f"{live_server.url}/programmes/manage/calls/{application.call_id}/results/")
    assert "储能电站锂电池热失控早期预警方法研究" in page.get_by_test_id("results").inner_text()
    page.screenshot(path=screenshot_dir / "programmes-results-zh.png", full_page=True)
    pdf = page.request.get(f"{live_server.url}/programmes/manage/calls/{application.call_id}/results/?format=pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    form = page.get_by_test_id("decide-form")
    form.locator("#id_award").select_option("1")
    form.locator("#id_amount").fill("40")
    form.locator("#id_note").fill("同意立项")
    form.get_by_role("button", name="记录决定").click()
    assert page.get_by_test_id("status").inner_text() == "已立项"
    page.close()

    # The applicant sees the award, the anonymised comments and the award letter.
    page = new_page(browser, live_server, lead.email)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    assert page.get_by_test_id("awarded").inner_text() == "40.00"
    assert page.get_by_test_id("review-comment").count() == 3
    assert all(expert.name not in page.content() for expert in experts)
    page.screenshot(path=screenshot_dir / "programmes-decision-zh.png", full_page=True)
    page.get_by_test_id("project-link").click()
    letter = page.request.get(live_server.url + page.get_by_test_id("letter-pdf").get_attribute("href"))
    assert letter.headers["content-type"] == "application/pdf"
    page.screenshot(path=screenshot_dir / "programmes-project-zh.png", full_page=True)
    page.close()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWARDED and Project.objects.get().amount == 40
