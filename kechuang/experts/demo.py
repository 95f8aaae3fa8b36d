"""Demo specialists: the profiles of the demo expert and broker, and a few more experts so that
a demand without a strong match has people to be routed to."""

from django.db import transaction

from kechuang.accounts.choices import PlatformRole
from kechuang.accounts.models import RoleGrant, User
from kechuang.core.models import TechField
from kechuang.experts.choices import Sector, SpecialistKind
from kechuang.experts.models import SpecialistProfile
from kechuang.experts.services import profile_save

# (user e-mail name, kind, name, title, employer, sector, high-tech field, keywords, expertise)
PROFILES = [
    ("expert", SpecialistKind.EXPERT, "孙教授", "教授", "示范理工大学", Sector.ACADEMIC, "F6",
     "新能源材料,锂离子电池,热失控", "动力电池材料与电池安全：正极材料、热失控机理与预警、电池管理系统。"),
    ("broker", SpecialistKind.BROKER, "周婷", "高级技术经纪人", "示范技术转移中心", Sector.ENTERPRISE, "F8",
     "技术转移,专利许可,智能制造",
     "智能制造、工业机器人与新材料领域的技术转移、专利许可谈判和产学研对接，已促成技术合同三十余项。"),
    ("reviewer1", SpecialistKind.EXPERT, "何教授", "教授", "示范理工大学", Sector.ACADEMIC, "F6",
     "储能,锂电池,电化学", "电化学储能与电池材料：锂离子电池、固态电解质、储能系统安全。"),
    ("reviewer2", SpecialistKind.EXPERT, "高工", "教授级高级工程师", "示范超硬材料股份有限公司", Sector.ENTERPRISE,
     "F4", "超硬材料,金刚石,新材料产业化", "超硬材料与金刚石工具的研发和产业化，熟悉新材料中试放大与成本控制。"),
    ("reviewer3", SpecialistKind.EXPERT, "林主任", "主任医师", "示范市第一人民医院", Sector.ACADEMIC, "F2",
     "医疗器械,临床评价,生物医药", "医疗器械临床评价与转化，生物医药项目的临床需求论证。"),
    ("reviewer4", SpecialistKind.EXPERT, "马总工", "总工程师", "示范创新创业孵化器有限公司", Sector.ENTERPRISE,
     "F8", "智能制造,工业软件,中试", "智能制造与工业软件企业的技术评估、中试验证和投融资辅导。"),
]


@transaction.atomic
def seed(log=print) -> int:
    created = 0
    for email_name, kind, name, title, employer, sector, field_code, keywords, expertise in PROFILES:
        user = User.objects.filter(email=f"{email_name}@demo.kechuang.cn").first()
        role = PlatformRole.EXPERT if kind == SpecialistKind.EXPERT else PlatformRole.BROKER
        if user is None or not RoleGrant.objects.filter(user=user, role=role).exists():
            continue
        if SpecialistProfile.objects.filter(user=user, kind=kind).exists():
            continue
        profile_save(by=user, kind=kind, data={
            "display_name": name, "title": title, "employer": employer, "sector": sector, "keywords": keywords,
            "tech_field": TechField.objects.filter(parent__code=field_code).order_by("sort_order").first(),
            "expertise": expertise, "district": user.organization.district if user.organization else None})
        created += 1
    log(f"demo specialists: {created} new")
    return created
