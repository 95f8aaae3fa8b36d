"""Programmes, calls, applications and an expert pool for the tests, made through the services
where the tests do not need a shortcut."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from kechuang.accounts.choices import OrganizationKind, PlatformRole
from kechuang.accounts.tests.factories import OrganizationFactory, grant, member_of
from kechuang.experts.choices import Sector, SpecialistKind
from kechuang.experts.models import SpecialistProfile
from kechuang.programs import services
from kechuang.programs.choices import CallStatus, ProgrammeKind
from kechuang.programs.models import Call, Programme

CRITERIA = [{"key": "novelty", "label": "创新性", "weight": 40},
            {"key": "feasibility", "label": "可行性", "weight": 35},
            {"key": "team", "label": "团队基础", "weight": 25}]
SCHEMA = [{"key": "background", "label": "立项依据", "type": "long_text", "required": True},
          {"key": "budget", "label": "经费预算", "type": "table", "required": False,
           "columns": ["科目", "金额（万元）"], "rows": 4},
          {"key": "stage", "label": "研究阶段", "type": "choice", "required": False,
           "choices": ["基础研究", "应用研究"]},
          {"key": "months", "label": "研究周期（月）", "type": "number", "required": False}]


def make_programme(kind=ProgrammeKind.NSF_RESEARCH, **fields) -> Programme:
    return Programme.objects.create(name=fields.pop("name", "市自然科学基金面上项目"), kind=kind, **fields)


def make_call(programme=None, *, open_now=True, **fields) -> Call:
    now = timezone.now()
    values = {"title": "2027年度市自然科学基金面上项目", "year": 2027, "budget": Decimal("500"),
              "max_award": Decimal("50"), "opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=30),
              "form_schema": SCHEMA, "criteria": CRITERIA, "status": CallStatus.PUBLISHED,
              "reviewers_per_application": 3, "enterprise_reviewers": 1, "max_per_person": 1}
    if not open_now:
        values |= {"opens_at": now + timedelta(days=1), "closes_at": now + timedelta(days=30)}
    return Call.objects.create(programme=programme or make_programme(), **(values | fields))


def make_application(call, by, *, submit=False, **data):
    fields = {"title": "基于深度学习的锂电池健康状态估计", "summary": "研究锂电池健康状态的在线估计方法。",
              "keywords": "锂电池,健康状态,深度学习", "requested_amount": Decimal("30")} | data
    application = services.application_start(by=by, call=call, data={
        key: fields[key] for key in ("title", "summary", "requested_amount")})
    application = services.application_save(
        by=by, application=application, data={"keywords": fields["keywords"]},
        answers={"background": "锂电池健康状态估计是储能安全的关键问题。", "budget": [["设备费", "10"]]})
    if submit:
        application = services.application_submit(by=by, application=application)
    return application


def make_experts(count: int, *, enterprise: int = 0, keywords="锂电池,储能,电化学", max_load=5, **profile):
    """`count` experts, each in an organisation of their own; the first `enterprise` of them from
    enterprises."""
    experts = []
    for number in range(count):
        in_enterprise = number < enterprise
        kind = OrganizationKind.ENTERPRISE if in_enterprise else OrganizationKind.UNIVERSITY
        organization = OrganizationFactory(name=f"专家单位{number}", kind=kind)
        user = grant(member_of(organization, name=f"评审专家{number}"), PlatformRole.EXPERT)
        SpecialistProfile.objects.create(
            user=user, kind=SpecialistKind.EXPERT, display_name=user.name, keywords=keywords,
            expertise="长期从事锂电池与储能材料研究。", sector=Sector.ENTERPRISE if in_enterprise else Sector.ACADEMIC,
            max_load=max_load, **profile)
        experts.append(user)
    return experts
