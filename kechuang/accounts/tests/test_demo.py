import pytest
from django.core.management import call_command

from kechuang.accounts.choices import OrganizationKind, PlatformRole
from kechuang.accounts.demo import DEMO_PASSWORD
from kechuang.accounts.models import Organization, User
from kechuang.accounts.services import sign_in


@pytest.mark.slow
def test_seed_demo_is_idempotent_and_covers_every_kind_and_role(db):
    call_command("seed_demo")
    counts = (Organization.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (Organization.objects.count(), User.objects.count()) == counts
    assert set(Organization.objects.values_list("kind", flat=True)) == set(OrganizationKind.values)
    roles = set(User.objects.values_list("role_grants__role", flat=True))
    assert set(PlatformRole.values) <= roles
    assert sign_in(login="officer@demo.kechuang.cn", password=DEMO_PASSWORD) is not None
    assert Organization.objects.filter(status="pending").count() == 1


def test_demo_organisations_have_their_own_representatives_and_contacts(db):
    call_command("seed_demo")
    organizations = list(Organization.objects.values_list("legal_representative", "contact_name", "contact_phone",
                                                          "address"))
    for column in zip(*organizations, strict=True):
        assert len(set(column)) == len(organizations) and all(column)
    assert all(phone.isdigit() and len(phone) == 11 and phone.startswith("1") for _, _, phone, _ in organizations)


def test_create_bureau_admin(db, monkeypatch):
    monkeypatch.setenv("KECHUANG_ADMIN_PASSWORD", "Iron-Bridge-2026")
    call_command("create_bureau_admin", email="chief@bureau.gov.cn", name="局长", mobile="13811112222")
    user = User.objects.get(email="chief@bureau.gov.cn")
    assert user.is_bureau_admin and user.check_password("Iron-Bridge-2026")


def test_create_bureau_admin_refuses_a_weak_password(db, monkeypatch):
    import pytest
    from django.core.management import CommandError

    monkeypatch.setenv("KECHUANG_ADMIN_PASSWORD", "123456")
    with pytest.raises(CommandError, match="密码"):
        call_command("create_bureau_admin", email="chief@bureau.gov.cn", name="局长", mobile="13811112222")
    assert not User.objects.filter(email="chief@bureau.gov.cn").exists()
