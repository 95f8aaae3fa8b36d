import factory

from kechuang.accounts.choices import OrganizationKind, OrganizationStatus, OrgRole
from kechuang.accounts.models import Membership, Organization, RoleGrant, User
from kechuang.core.models import District
from kechuang.core.validators import uscc_check_character

TEST_PASSWORD = "Correct-Horse-77"


def valid_uscc(number: int) -> str:
    first17 = f"91410100MA{number:07d}"
    return first17 + uscc_check_character(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.cn")
    name = factory.Sequence(lambda n: f"用户{n}")
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def persist(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = OrganizationKind.ENTERPRISE
    uscc = factory.Sequence(lambda n: valid_uscc(n + 1))
    district = factory.LazyFunction(lambda: District.objects.order_by("pk").first())
    address = "示范市测试路1号"
    contact_name = "联系人"
    contact_phone = factory.Sequence(lambda n: f"137{n:08d}")
    status = OrganizationStatus.VERIFIED


def member_of(organization, role=OrgRole.MEMBER, **user_fields) -> User:
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, organization=organization, role=role)
    return user


def grant(user, role, department=""):
    RoleGrant.objects.create(user=user, role=role, department=department)
    user.__dict__.pop("role_set", None)
    return user
