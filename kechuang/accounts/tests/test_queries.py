"""The accounts' list pages make the same number of queries for 3 rows as for 25."""

from datetime import timedelta
from itertools import count

from django.urls import reverse
from django.utils import timezone

from kechuang.accounts.choices import OrganizationStatus, PlatformRole
from kechuang.accounts.models import Invitation
from kechuang.accounts.tests.factories import OrganizationFactory, grant, member_of
from kechuang.core.testing import assert_queries_flat

MARKER = "查询计数单位"
numbers = count()


def organizations(status):
    def add(n):
        for _ in range(n):
            organization = OrganizationFactory(name=f"{MARKER}{next(numbers)}号", status=status)
            grant(member_of(organization, name=f"{MARKER}{next(numbers)}号员工"), PlatformRole.PROVIDER)
    return add


def test_verification_queue(client_for, world):
    assert_queries_flat(client_for("bureau_officer"), reverse("accounts:verification_queue"),
                        organizations(OrganizationStatus.PENDING), marker=MARKER)


def test_organization_list(client_for, world):
    assert_queries_flat(client_for("bureau_officer"), reverse("accounts:organization_list"),
                        organizations(OrganizationStatus.VERIFIED), marker=MARKER)


def test_user_list(client_for, world):
    assert_queries_flat(client_for("bureau_admin"), reverse("accounts:user_list") + f"?q={MARKER}",
                        organizations(OrganizationStatus.VERIFIED), marker=MARKER)


def test_members(client_for, world):
    enterprise = world.orgs.enterprise

    def add(n):
        for _ in range(n):
            member_of(enterprise, name=f"{MARKER}{next(numbers)}号")
            Invitation.objects.create(organization=enterprise, email=f"q{next(numbers)}@example.cn",
                                      invited_by=world.users.org_admin, token_digest=f"{next(numbers)}",
                                      expires_at=timezone.now() + timedelta(days=7))

    assert_queries_flat(client_for("org_admin"), reverse("accounts:members", args=[enterprise.pk]), add,
                        marker=MARKER)
