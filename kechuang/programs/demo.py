"""Demo programmes: the natural science fund with a closed call taken through review to two
awards (one project running, one accepted and still owing its results' registration), an open
call with a draft and a submission waiting for the eligibility check, and a joint fund whose
sponsor has earned the naming rights.

The closed call is run through the services while open and then dated back: the demo shows what
a finished call looks like without waiting a month."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from kechuang.accounts.models import User
from kechuang.core.models import TechField
from kechuang.programs import services
from kechuang.programs.choices import CallStatus, ProgrammeKind
from kechuang.programs.models import Call, Programme

DEMO = "demo.kechuang.cn"
CRITERIA = [{"key": "novelty", "label": "科学意义与创新性", "weight": 40},
            {"key": "feasibility", "label": "研究方案可行性", "weight": 35},
            {"key": "team", "label": "研究基础与团队", "weight": 25}]
SCHEMA = [
    {"key": "background", "label": "立项依据与研究意义", "type": "long_text", "required": True},
    {"key": "plan", "label": "研究内容与技术路线", "type": "long_text", "required": True},
    {"key": "stage", "label": "研究类型", "type": "choice", "required": True,
     "choices": ["基础研究", "应用基础研究"]},
    {"key": "months", "label": "研究期限（月）", "type": "number", "required": False},
    {"key": "budget", "label": "经费预算", "type": "table", "required": True,
     "columns": ["预算科目", "金额（万元）"], "rows": 6},
    {"key": "proposal", "label": "申报书全文（PDF）", "type": "attachment", "required": False},
]
APPLICATIONS = [  # (lead, title, keywords, summary, requested)
    ("institute", "高镍三元正极材料界面稳定性与失效机理研究", "正极材料,高镍,界面稳定性,锂离子电池",
     "研究高镍三元正极材料在高电压循环中的界面副反应与结构失效机理，提出表面包覆与体相掺杂协同改性方法。", "40"),
    ("enterprise", "面向智能装备的伺服系统故障预测方法研究", "伺服系统,故障预测,智能装备",
     "基于运行数据的伺服驱动系统故障早期预测方法，支撑智能装备的预测性维护。", "30"),
    ("staff", "储能电站锂电池热失控多参数早期预警研究", "储能,锂电池,热失控,预警",
     "融合温度、电压和特征气体的多参数热失控早期预警模型研究与验证。", "35"),
]
ANSWERS = {"background": "本项目面向示范市重点产业需求，具有明确的科学意义和应用前景。",
           "plan": "分三个阶段开展：机理研究、方法建立、实验验证。", "stage": "应用基础研究", "months": "24",
           "budget": [["设备费", "10"], ["材料费", "12"], ["测试化验加工费", "8"]]}


def _user(name):
    return User.objects.filter(email=f"{name}@{DEMO}").first()


def _apply(call, lead, title, keywords, summary, requested, *, submit=True):
    field = TechField.objects.filter(parent__code="F6").order_by("sort_order").first()
    application = services.application_create(by=lead, call=call, answers=ANSWERS, data={
        "title": title, "summary": summary, "keywords": keywords, "requested_amount": Decimal(requested),
        "tech_field": field})
    return services.application_submit(by=lead, application=application) if submit else application


def _closed_call(programme, officer, users, log):
    now = timezone.now()
    call = Call.objects.create(
        programme=programme, title="2026年度示范市自然科学基金面上项目", year=2026, budget=Decimal("300"),
        max_award=Decimal("50"), opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1),
        guide="支持自由探索的基础研究和应用基础研究。", form_schema=SCHEMA, criteria=CRITERIA,
        status=CallStatus.PUBLISHED, reviewers_per_application=3, enterprise_reviewers=1, created_by=officer)
    applications = [_apply(call, users[lead], *rest) for lead, *rest in APPLICATIONS]
    for application in applications:
        services.application_check(by=officer, application=application, action="pass")
    services.review_propose(by=officer, call=call)
    services.review_invite(by=officer, call=call)
    scores = {applications[0].pk: (88, 84, 90), applications[1].pk: (72, 70, 75), applications[2].pk: (85, 80, 82)}
    for application in applications:
        for seat, score in zip(application.assignments.order_by("pk"), scores[application.pk], strict=True):
            services.assignment_respond(by=seat.expert, assignment=seat, accept=True)
            services.review_submit(
                by=seat.expert, assignment=seat, scores=dict.fromkeys(("novelty", "feasibility", "team"), score),
                comment="研究目标明确，技术路线基本可行，建议加强中试验证。")
    first = services.application_decide(by=officer, application=applications[0], award=True, amount=Decimal("40"),
                                        note="同意立项", starts_on=date(2026, 1, 1))
    third = services.application_decide(by=officer, application=applications[2], award=True, amount=Decimal("30"),
                                        note="同意立项", starts_on=date(2024, 1, 1))
    services.application_decide(by=officer, application=applications[1], award=False, note="排名未进入资助范围")
    running, finished = first.project, third.project
    services.project_update(by=officer, project=running, data={
        "objectives": "阐明高镍正极界面失效机理，提出协同改性方法。", "deliverables": "发表论文3篇，申请发明专利2项。",
        "indicators": "循环500次容量保持率≥90%。"})
    paid = services.disbursement_add(by=officer, project=running, stage="首期拨付", planned_on=date(2026, 1, 15),
                                     amount=Decimal("24"))
    services.disbursement_pay(by=officer, disbursement=paid, paid_on=date(2026, 1, 20))
    services.disbursement_add(by=officer, project=running, stage="验收后拨付", planned_on=date(2027, 12, 31),
                              amount=Decimal("16"))
    midterm = services.milestone_add(by=officer, project=running, title="中期检查", due_on=date(2026, 12, 31))
    services.milestone_report(by=running.application.applicant, milestone=midterm,
                              report="已完成界面表征与失效机理分析，正在开展包覆改性实验。")
    services.milestone_add(by=officer, project=running, title="结题验收", due_on=date(2027, 12, 31))
    panel = [seat.expert for seat in finished.application.assignments.order_by("pk")]
    services.acceptance_start(by=officer, project=finished, experts=panel)
    for vote in finished.acceptance_votes.all():
        services.acceptance_vote(by=vote.expert, vote=vote, verdict="pass",
                                 comment="完成任务书规定的研究内容和考核指标。")
    services.acceptance_conclude(by=officer, project=finished, opinion="同意通过验收。",
                                 accepted_on=timezone.localdate() - timedelta(days=20))
    Call.objects.filter(pk=call.pk).update(opens_at=now - timedelta(days=120), closes_at=now - timedelta(days=60))
    log("demo programmes: a closed call reviewed and decided, one project running, one accepted")


def seed(log=print) -> int:
    if Programme.objects.exists():
        log("demo programmes: already loaded")
        return 0
    officer = _user("officer")
    users = {name: _user(name) for name in ("institute", "enterprise", "staff")}
    if officer is None or None in users.values():
        return 0
    now = timezone.now()
    research = services.programme_save(by=officer, data={
        "name": "示范市自然科学基金面上项目", "kind": ProgrammeKind.NSF_RESEARCH,
        "description": "支持在本市工作的科研人员自由探索基础研究和应用基础研究。"})
    services.programme_save(by=officer, data={
        "name": "示范市自然科学基金青年人才项目", "kind": ProgrammeKind.NSF_TALENT,
        "description": "支持35岁以下青年科技人才独立主持研究。"})
    enterprise = users["enterprise"].organization
    joint = services.programme_save(by=officer, data={
        "name": "示范市自然科学基金—智能装备联合基金", "kind": ProgrammeKind.JOINT_FUND, "sponsor": enterprise,
        "naming_threshold": Decimal("1000"), "description": "由企业出资、面向智能装备领域关键科学问题。",
        "topic_fields": list(TechField.objects.filter(code__in=["F8"]))})
    services.contribution_record(by=officer, programme=joint, amount=Decimal("600"), received_on=date(2025, 6, 30),
                                 reference="DEMO-JF-2025-01")
    services.contribution_record(by=officer, programme=joint, amount=Decimal("500"), received_on=date(2026, 6, 30),
                                 reference="DEMO-JF-2026-01")
    _closed_call(research, officer, users, log)
    open_call = Call.objects.create(
        programme=research, title="2027年度示范市自然科学基金面上项目", year=2027, budget=Decimal("500"),
        max_award=Decimal("50"), opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=40),
        guide="重点支持新能源、新材料和智能制造领域的应用基础研究。", form_schema=SCHEMA, criteria=CRITERIA,
        status=CallStatus.PUBLISHED, reviewers_per_application=3, enterprise_reviewers=1, created_by=officer)
    _apply(open_call, users["institute"], "固态电解质/锂金属界面演化原位表征研究", "固态电解质,锂金属,原位表征",
           "利用原位表征手段研究固态电解质与锂金属负极的界面演化规律。", "45")
    _apply(open_call, users["staff"], "智能装备关键部件数字孪生建模方法", "数字孪生,智能装备",
           "面向关键部件的数字孪生建模。", "30", submit=False)
    Call.objects.create(
        programme=joint, title="智能装备联合基金2027年度项目", year=2027, budget=Decimal("200"),
        opens_at=now + timedelta(days=10), closes_at=now + timedelta(days=50), form_schema=SCHEMA, criteria=CRITERIA,
        status=CallStatus.PUBLISHED, eligible_kinds=["university", "institute"], reviewers_per_application=3,
        enterprise_reviewers=1, created_by=officer)
    log("demo programmes: 3 programmes, an open call with a submission and a draft, a joint-fund call opening soon")
    return 1
