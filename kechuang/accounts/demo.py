"""The demo city's organisations and one user per role (see the README for the accounts)."""

from django.db import transaction
from django.utils import timezone

from kechuang.accounts.choices import OrganizationKind as Kind
from kechuang.accounts.choices import OrganizationStatus, OrgRole, PlatformRole
from kechuang.accounts.models import Membership, Organization, RoleGrant, User
from kechuang.core.models import District
from kechuang.core.validators import uscc_check_character

DEMO_PASSWORD = "Kechuang@2026"
DEMO_DOMAIN = "demo.kechuang.cn"

# (key, name, kind, district code, first 17 characters of the credit code)
ORGANIZATIONS = [
    ("bureau", "示范市科学技术局", Kind.GOVERNMENT, "D01", "11410100MB1234567"),
    ("enterprise", "示范智能装备有限公司", Kind.ENTERPRISE, "D05", "91410100MA4K2X3Y5"),
    ("materials", "示范超硬材料股份有限公司", Kind.ENTERPRISE, "D06", "91410100MA4K7P8Q1"),
    ("university", "示范大学", Kind.UNIVERSITY, "D02", "12410000415800001"),
    ("university2", "示范理工大学", Kind.UNIVERSITY, "D03", "12410000415800002"),
    ("institute", "示范市先进材料研究院", Kind.INSTITUTE, "D05", "12410100MB0987654"),
    ("testing", "示范市分析测试研究所", Kind.INSTITUTE, "D03", "12410100MB0555666"),
    ("hospital", "示范市第一人民医院", Kind.HOSPITAL, "D02", "12410100416000123"),
    ("bank", "示范银行科技支行", Kind.FINANCIAL, "D01", "91410100MA4L11223"),
    ("transfer", "示范技术转移中心", Kind.TRANSFER, "D05", "52410100MJ1234509"),
    ("incubator", "示范创新创业孵化器有限公司", Kind.INCUBATOR, "D07", "91410100MA4M33445"),
    ("association", "示范市科技企业协会", Kind.OTHER, "D04", "51410100MJ0067890"),
]
PENDING_ORGANIZATION = ("pending", "示范新锐生物科技有限公司", Kind.ENTERPRISE, "D08", "91410100MA4N55667")

# Each organisation's own legal representative, contact and address: the finance officer's flags
# compare representatives and phones, so shared placeholders would flag every settlement.
# (key: legal representative, contact, contact's mobile, address)
PEOPLE = {
    "bureau": ("宋立新", "黄文斌", "13703710101", "示范市行政服务中心2号楼"),
    "enterprise": ("张志远", "王晓燕", "13703710102", "示范市高新区长椿路11号"),
    "materials": ("冯国强", "许丽娟", "13703710103", "示范市经开区第八大街56号"),
    "university": ("郭建华", "程思远", "13703710104", "示范市西城区科学大道100号"),
    "university2": ("邓学军", "谢雨桐", "13703710105", "示范市南湖区文化路97号"),
    "institute": ("曹明", "韩雪梅", "13703710106", "示范市高新区翠竹街6号"),
    "testing": ("彭志刚", "吴刚", "13800000009", "示范市南湖区科学大道8号"),
    "hospital": ("蒋振华", "唐晓琳", "13703710108", "示范市西城区建设东路1号"),
    "bank": ("袁伟", "郑华", "13800000010", "示范市东城区金水路18号"),
    "transfer": ("潘立平", "周婷", "13800000008", "示范市高新区科学大道60号"),
    "incubator": ("杜文涛", "姚佳", "13703710111", "示范市航空港区云港路3号"),
    "association": ("钟国庆", "沈静", "13703710112", "示范市北山区花园路30号"),
    "pending": ("钱多", "钱多", "13800000011", "示范市滨河新区创业路9号"),
}

# (e-mail name, display name, mobile, organisation key, org role, platform role, department)
USERS = [
    ("admin", "管理员 王局", "13800000001", "bureau", OrgRole.ADMIN, PlatformRole.BUREAU_ADMIN, ""),
    ("officer", "科员 李明", "13800000002", "bureau", OrgRole.MEMBER, PlatformRole.BUREAU_OFFICER, "成果转化处"),
    ("finance", "财务 赵敏", "13800000003", "bureau", OrgRole.MEMBER, PlatformRole.FINANCE_OFFICER, ""),
    ("enterprise", "企业管理员 张强", "13800000004", "enterprise", OrgRole.ADMIN, None, ""),
    ("staff", "企业员工 陈静", "13800000005", "enterprise", OrgRole.MEMBER, None, ""),
    ("institute", "研究员 刘洋", "13800000006", "institute", OrgRole.ADMIN, None, ""),
    ("expert", "专家 孙教授", "13800000007", "university", OrgRole.ADMIN, PlatformRole.EXPERT, ""),
    ("broker", "经纪人 周婷", "13800000008", "transfer", OrgRole.ADMIN, PlatformRole.BROKER, ""),
    ("provider", "仪器管理员 吴刚", "13800000009", "testing", OrgRole.ADMIN, PlatformRole.PROVIDER, ""),
    ("banker", "客户经理 郑华", "13800000010", "bank", OrgRole.ADMIN, None, ""),
    ("applicant", "申请人 钱多", "13800000011", "pending", OrgRole.ADMIN, None, ""),
    # review experts of the demo programmes (two from enterprises)
    ("reviewer1", "评审专家 何教授", "13800000012", "university2", OrgRole.MEMBER, PlatformRole.EXPERT, ""),
    ("reviewer2", "评审专家 高工", "13800000013", "materials", OrgRole.MEMBER, PlatformRole.EXPERT, ""),
    ("reviewer3", "评审专家 林主任", "13800000014", "hospital", OrgRole.MEMBER, PlatformRole.EXPERT, ""),
    ("reviewer4", "评审专家 马总工", "13800000015", "incubator", OrgRole.MEMBER, PlatformRole.EXPERT, ""),
]


def _organization(key, name, kind, district_code, first17, status):
    representative, contact, phone, address = PEOPLE[key]
    organization, _created = Organization.objects.get_or_create(
        uscc=first17 + uscc_check_character(first17),
        defaults={
            "name": name, "kind": kind, "district": District.objects.get(code=district_code),
            "address": address, "legal_representative": representative,
            "contact_name": contact, "contact_phone": phone,
            "status": status, "verified_at": timezone.now() if status == OrganizationStatus.VERIFIED else None,
        },
    )
    return organization


@transaction.atomic
def seed(log=print) -> dict:
    organizations = {
        key: _organization(key, name, kind, district, first17, OrganizationStatus.VERIFIED)
        for key, name, kind, district, first17 in ORGANIZATIONS
    }
    organizations["pending"] = _organization(*PENDING_ORGANIZATION, OrganizationStatus.PENDING)
    users = {}
    for login, name, mobile, org_key, org_role, platform_role, department in USERS:
        email = f"{login}@{DEMO_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, name=name, mobile=mobile)
        Membership.objects.get_or_create(user=user, defaults={"organization": organizations[org_key], "role": org_role})
        if platform_role:
            RoleGrant.objects.get_or_create(user=user, role=platform_role, defaults={"department": department})
        users[login] = user
    log(f"demo city: {len(organizations)} organisations, {len(users)} users (password {DEMO_PASSWORD})")
    return {"organizations": organizations, "users": users}
