"""Awards, projects, milestones, acceptance, registration of results, the joint fund's naming and
the award letter in PDF and Word."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from kechuang.achievements.choices import AchievementSource, AchievementStatus
from kechuang.achievements.models import Achievement, FundedProject
from kechuang.achievements.tests.factories import make_achievement
from kechuang.core.errors import DomainError
from kechuang.experts.services import conflict_declare
from kechuang.programs import selectors, services
from kechuang.programs.choices import ApplicationStatus, MilestoneStatus, ProgrammeKind, ProjectStatus
from kechuang.programs.models import Application, Project
from kechuang.programs.tests.factories import make_application, make_call, make_experts, make_programme


def in_review(world, call, *people):
    applications = []
    for person in people:
        application = make_application(call, person, submit=True, title=f"{person.name}的项目")
        Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.IN_REVIEW)
        application.refresh_from_db()
        applications.append(application)
    return applications


@pytest.fixture
def project(world, call):
    application = in_review(world, call, world.users.enterprise_user)[0]
    services.application_decide(by=world.users.bureau_officer, application=application, award=True,
                                amount=Decimal("40"), note="同意立项", starts_on=date(2027, 1, 1))
    return Project.objects.get(application=application)


def test_an_award_creates_the_project_and_the_funded_project_record(world, project):
    assert project.amount == Decimal("40") and project.status == ProjectStatus.ACTIVE
    assert (project.starts_on, project.ends_on) == (date(2027, 1, 1), date(2028, 12, 31))
    funded = FundedProject.objects.get(pk=project.funded_project_id)
    assert funded.reference == project.application.reference and funded.organization == world.orgs.enterprise
    assert funded.amount == Decimal("40") and funded.year == 2027
    assert project.application.status == ApplicationStatus.AWARDED


def test_awards_stay_within_the_budget_and_the_largest_award(world):
    call = make_call(budget=Decimal("60"), max_award=Decimal("50"))
    first, second = in_review(world, call, world.users.enterprise_user, world.users.institute_user)
    with pytest.raises(ValidationError):
        services.application_decide(by=world.users.bureau_officer, application=first, award=True,
                                    amount=Decimal("51"))
    services.application_decide(by=world.users.bureau_officer, application=first, award=True, amount=Decimal("50"))
    with pytest.raises(DomainError, match="超出批次预算"):
        services.application_decide(by=world.users.bureau_officer, application=second, award=True,
                                    amount=Decimal("11"))
    second.refresh_from_db()
    assert second.status == ApplicationStatus.IN_REVIEW and not Project.objects.filter(application=second).exists()
    services.application_decide(by=world.users.bureau_officer, application=second, award=False, note="排名靠后")
    second.refresh_from_db()
    assert second.status == ApplicationStatus.NOT_AWARDED and second.awarded_amount is None


def test_the_disbursement_schedule_never_exceeds_the_award(world, project):
    officer = world.users.bureau_officer
    services.disbursement_add(by=officer, project=project, stage="首期", planned_on=date(2027, 1, 15),
                              amount=Decimal("24"))
    with pytest.raises(ValidationError):
        services.disbursement_add(by=officer, project=project, stage="二期", planned_on=date(2028, 1, 15),
                                  amount=Decimal("16.01"))
    second = services.disbursement_add(by=officer, project=project, stage="二期", planned_on=date(2028, 1, 15),
                                       amount=Decimal("16"))
    with pytest.raises(ValidationError):  # a payment is recorded once it is made
        services.disbursement_pay(by=officer, disbursement=second, paid_on=date.today() + timedelta(days=1))
    services.disbursement_pay(by=officer, disbursement=second, paid_on=date.today())
    with pytest.raises(DomainError):
        services.disbursement_pay(by=officer, disbursement=second, paid_on=date.today())
    second.refresh_from_db()
    assert second.paid_on == date.today()


def test_milestones_reported_by_the_applicant_and_assessed_by_the_officer(world, project):
    officer, lead = world.users.bureau_officer, world.users.enterprise_user
    with pytest.raises(ValidationError):
        services.milestone_add(by=officer, project=project, title="越界", due_on=date(2030, 1, 1))
    milestone = services.milestone_add(by=officer, project=project, title="中期检查", due_on=date(2027, 12, 31))
    with pytest.raises(PermissionDenied):
        services.milestone_report(by=world.users.institute_user, milestone=milestone, report="别人代报的进展。。。。")
    services.milestone_report(by=lead, milestone=milestone, report="已完成数据采集与模型初版，发表论文一篇。")
    services.milestone_assess(by=officer, milestone=milestone, passed=False, assessment="请补充实验数据")
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.NEEDS_WORK
    services.milestone_report(by=lead, milestone=milestone, report="补充了三组对比实验数据，结果稳定。")
    services.milestone_assess(by=officer, milestone=milestone, passed=True, assessment="通过")
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.PASSED


def test_acceptance_by_the_panel_majority_then_registration_of_results(world, project):
    officer = world.users.bureau_officer
    panel = make_experts(3)
    conflicted = make_experts(1)[0]
    conflict_declare(by=conflicted, organization=world.orgs.enterprise, reason="合作伙伴")
    with pytest.raises(DomainError, match="需回避"):
        services.acceptance_start(by=officer, project=project, experts=[*panel[:2], conflicted])
    project.refresh_from_db()
    assert project.status == ProjectStatus.ACTIVE and not project.acceptance_votes.exists()
    services.acceptance_start(by=officer, project=project, experts=panel)
    for expert, verdict in zip(panel, ["pass", "pass", "fail"], strict=True):
        vote = project.acceptance_votes.get(expert=expert)
        services.acceptance_vote(by=expert, vote=vote, verdict=verdict, comment="完成了任务书规定的主要指标。")
    with pytest.raises(PermissionDenied):       # one vote each
        services.acceptance_vote(by=panel[0], vote=project.acceptance_votes.get(expert=panel[0]), verdict="fail",
                                 comment="改变主意改变主意。")
    services.acceptance_conclude(by=officer, project=project, opinion="同意通过验收", accepted_on=date(2028, 12, 20))
    project.refresh_from_db()
    assert project.status == ProjectStatus.ACCEPTED and project.accepted_on == date(2028, 12, 20)
    assert FundedProject.objects.get(pk=project.funded_project_id).accepted_on == date(2028, 12, 20)
    assert list(selectors.unregistered_projects()) == [project]
    # a draft achievement does not count; a submitted one does
    draft = make_achievement(world, owner=world.orgs.enterprise, source=AchievementSource.FUNDED,
                             funded_project=project.funded_project)
    assert list(selectors.unregistered_projects()) == [project]
    Achievement.objects.filter(pk=draft.pk).update(status=AchievementStatus.SUBMITTED)
    assert list(selectors.unregistered_projects()) == []


def test_acceptance_waits_for_every_vote_and_fails_on_a_majority_against(world, project):
    officer = world.users.bureau_officer
    panel = make_experts(3)
    services.acceptance_start(by=officer, project=project, experts=panel)
    with pytest.raises(DomainError, match="还有验收专家未提交结论"):
        services.acceptance_conclude(by=officer, project=project, opinion="")
    for expert, verdict in zip(panel, ["fail", "fail", "pass"], strict=True):
        services.acceptance_vote(by=expert, vote=project.acceptance_votes.get(expert=expert), verdict=verdict,
                                 comment="主要指标未完成，需要整改。")
    services.acceptance_conclude(by=officer, project=project, opinion="未通过")
    project.refresh_from_db()
    assert project.status == ProjectStatus.FAILED and project.accepted_on is None
    assert list(selectors.unregistered_projects()) == []


def test_a_joint_fund_is_named_once_contributions_reach_the_threshold(world):
    officer = world.users.bureau_officer
    fund = make_programme(ProgrammeKind.JOINT_FUND, name="智能装备联合基金", sponsor=world.orgs.enterprise,
                          naming_threshold=Decimal("1000"))
    services.contribution_record(by=officer, programme=fund, amount=Decimal("600"), received_on=date(2026, 3, 1),
                                 reference="BANK-001")
    assert fund.display_name == "智能装备联合基金"
    with pytest.raises(ValidationError):      # the same payment entered twice
        services.contribution_record(by=officer, programme=fund, amount=Decimal("600"),
                                     received_on=date(2026, 3, 1), reference="BANK-001")
    assert fund.contributed == Decimal("600")
    services.contribution_record(by=officer, programme=fund, amount=Decimal("400"), received_on=date(2026, 9, 1),
                                 reference="BANK-002")
    assert fund.is_named and fund.display_name == "智能装备联合基金（测试智能装备有限公司冠名）"
    call = make_call(fund, title="联合基金2027年度项目")
    assert "测试智能装备有限公司冠名" in call.programme.display_name
    with pytest.raises(PermissionDenied):
        services.contribution_record(by=world.users.org_admin, programme=fund, amount=Decimal("1"),
                                     received_on=date(2026, 9, 2), reference="BANK-003")
    with pytest.raises(DomainError):
        services.contribution_record(by=officer, programme=make_programme(), amount=Decimal("1"),
                                     received_on=date(2026, 9, 2), reference="BANK-004")


def test_the_award_letter_in_pdf_and_word_has_the_chinese_text(client_for, world, project):
    from docx import Document
    from pypdf import PdfReader

    services.disbursement_add(by=world.users.bureau_officer, project=project, stage="首期拨付",
                              planned_on=date(2027, 1, 15), amount=Decimal("24"))
    client = client_for("enterprise_user")
    pdf = client.get(reverse("programs:award_letter", args=[project.pk, "pdf"]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).replace("\n", "")
    assert "立项通知书" in text and project.application.title in text and "首期拨付" in text
    assert "测试智能装备有限公司" in text
    word = client.get(reverse("programs:award_letter", args=[project.pk, "docx"]))
    assert word["Content-Type"].endswith("wordprocessingml.document")
    document = Document(io.BytesIO(word.content))
    body = "\n".join(paragraph.text for paragraph in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "立项通知书" in body and project.application.title in cells and "首期拨付" in cells
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "SimSun"
    outsider = client_for("institute_user")
    assert outsider.get(reverse("programs:award_letter", args=[project.pk, "pdf"])).status_code == 404


def test_overdue_milestones_block_new_applications(world, project):
    milestone = services.milestone_add(by=world.users.bureau_officer, project=project, title="中期检查",
                                       due_on=project.starts_on + timedelta(days=30))
    Project.objects.filter(pk=project.pk).update(starts_on=timezone.localdate() - timedelta(days=100),
                                                 ends_on=timezone.localdate() + timedelta(days=300))
    milestone.due_on = timezone.localdate() - timedelta(days=1)
    milestone.save()
    assert selectors.has_overdue_project(world.orgs.enterprise)
    services.milestone_report(by=world.users.enterprise_user, milestone=milestone,
                              report="按期完成中期任务，提交报告。")
    assert not selectors.has_overdue_project(world.orgs.enterprise)
