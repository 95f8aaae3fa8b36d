"""Fixtures every test may use: the personas of docs/roles.md and a small world around them."""

from types import SimpleNamespace

import pytest

from kechuang.accounts.choices import OrganizationKind, OrganizationStatus, OrgRole, PlatformRole
from kechuang.accounts.tests.factories import OrganizationFactory, grant, member_of


def runs_in_real_transactions(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return item.get_closest_marker("e2e") is not None or bool(marker and marker.kwargs.get("transaction"))


def pytest_collection_modifyitems(items):
    """Browser and concurrency tests last: their transactions end with a flush of the whole test
    database."""
    items.sort(key=runs_in_real_transactions)


@pytest.fixture
def reference_data(transactional_db):
    """Tests in real transactions end with a flush that also empties the tables migrations filled;
    the reference data (and the audit chain's head) is loaded again before each of them (the
    loader is idempotent)."""
    import importlib

    from django.apps import apps

    importlib.import_module("kechuang.core.migrations.0002_reference_data").load(apps, None)
    importlib.import_module("kechuang.core.migrations.0005_reference_english_names").fill(apps, None)


@pytest.fixture
def world(db):
    """One organisation per kind that the personas belong to, and one user per persona."""
    orgs = SimpleNamespace(
        enterprise=OrganizationFactory(name="测试智能装备有限公司", kind=OrganizationKind.ENTERPRISE),
        institute=OrganizationFactory(name="测试材料研究院", kind=OrganizationKind.INSTITUTE),
        university=OrganizationFactory(name="测试大学", kind=OrganizationKind.UNIVERSITY),
        transfer=OrganizationFactory(name="测试技术转移中心", kind=OrganizationKind.TRANSFER),
        bureau=OrganizationFactory(name="测试市科学技术局", kind=OrganizationKind.GOVERNMENT),
        pending=OrganizationFactory(name="待审生物科技有限公司", status=OrganizationStatus.PENDING),
    )
    users = SimpleNamespace(
        org_admin=member_of(orgs.enterprise, OrgRole.ADMIN, name="企业管理员"),
        enterprise_user=member_of(orgs.enterprise, name="企业员工"),
        institute_user=member_of(orgs.institute, name="研究员"),
        expert=grant(member_of(orgs.university, name="专家"), PlatformRole.EXPERT),
        broker=grant(member_of(orgs.transfer, name="经纪人"), PlatformRole.BROKER),
        provider=grant(member_of(orgs.institute, name="仪器管理员"), PlatformRole.PROVIDER),
        bureau_officer=grant(member_of(orgs.bureau, name="科员"), PlatformRole.BUREAU_OFFICER, "成果转化处"),
        bureau_admin=grant(member_of(orgs.bureau, name="局管理员"), PlatformRole.BUREAU_ADMIN),
        finance_officer=grant(member_of(orgs.bureau, name="财务"), PlatformRole.FINANCE_OFFICER),
        applicant=member_of(orgs.pending, OrgRole.ADMIN, name="申请人"),
    )
    return SimpleNamespace(orgs=orgs, users=users)


@pytest.fixture
def client_for(client, world):
    """`client_for("bureau_officer")` is a test client signed in as that persona ("public": anonymous)."""

    def make(persona):
        client.logout()
        if persona != "public":
            client.force_login(getattr(world.users, persona))
        return client

    return make
