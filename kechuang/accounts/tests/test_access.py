import pytest
from django.core import signing

from kechuang.accounts import services
from kechuang.accounts.choices import OrganizationStatus, OrgRole, PlatformRole
from kechuang.accounts.models import Organization
from kechuang.core.testing import SIGNED_IN_PERSONAS, AccessCase, access_params, check_access, everyone_but

SIGNED_IN = dict.fromkeys(SIGNED_IN_PERSONAS, 200)
BUREAU = {"bureau_officer": 200, "bureau_admin": 200}
NOT_BUREAU = {"public": 302, "enterprise_user": 403, "org_admin": 403, "expert": 403, "finance_officer": 403}
ADMIN_ONLY = {"bureau_admin": 200}
NOT_ADMIN = {"public": 302, "bureau_officer": 403, "org_admin": 403}
JSON = "application/json"


def enterprise(world):
    return [world.orgs.enterprise.pk]


def pending(world):
    return [world.orgs.pending.pk]


def rejected_enterprise(world):
    Organization.objects.filter(pk=world.orgs.enterprise.pk).update(
        status=OrganizationStatus.REJECTED, rejection_reason="材料不全")
    return [world.orgs.enterprise.pk]


def staff_membership(world):
    return [world.users.enterprise_user.membership.pk]


def enterprise_invitation(world):
    invitation, _raw = services.invitation_create(organization=world.orgs.enterprise, email="new@example.cn",
                                                  role=OrgRole.MEMBER, by=world.users.org_admin)
    return [invitation.pk]


def invitation_token(world):
    _invitation, raw = services.invitation_create(organization=world.orgs.enterprise, email="new@example.cn",
                                                  role=OrgRole.MEMBER, by=world.users.org_admin)
    return [raw]


def registration_token(world):
    return [signing.dumps("new@example.cn", salt=services.REGISTRATION_SALT)]


def staff_token(world):
    token, _raw = services.token_create(user=world.users.enterprise_user, name="脚本")
    return [token.pk]


def staff_user(world):
    return [world.users.enterprise_user.pk]


ACCESS_CASES = [
    AccessCase("accounts:login", allowed={"public": 200}, denied={}),
    AccessCase("accounts:logout", method="post", allowed={"enterprise_user": 302}, denied={"public": 302}),
    AccessCase("accounts:register", allowed={"public": 200},
               denied=everyone_but({"public"}, 403, SIGNED_IN_PERSONAS)),
    AccessCase("accounts:register_sent", allowed={"public": 200, "org_admin": 200}, denied={}),
    AccessCase("accounts:register_continue", args=registration_token, allowed={"public": 200},
               denied={"org_admin": 302, "bureau_admin": 302}),
    AccessCase("accounts:profile", allowed=SIGNED_IN, denied={"public": 302}),
    AccessCase("accounts:password_change", allowed=SIGNED_IN, denied={"public": 302}),
    AccessCase("accounts:tokens", allowed=SIGNED_IN, denied={"public": 302}),
    AccessCase("accounts:token_revoke", method="post", args=staff_token, allowed={"enterprise_user": 302},
               denied={"public": 302, "org_admin": 404, "bureau_admin": 404}),
    AccessCase("accounts:my_organization", allowed={"enterprise_user": 302, "bureau_admin": 302},
               denied={"public": 302}),
    AccessCase("accounts:organization_list", allowed=BUREAU, denied=NOT_BUREAU),
    AccessCase("accounts:organization_detail", args=enterprise,
               allowed={"org_admin": 200, "enterprise_user": 200, "bureau_officer": 200, "bureau_admin": 200},
               denied={"public": 302, "institute_user": 404, "expert": 404, "broker": 404, "finance_officer": 404}),
    AccessCase("accounts:organization_resubmit", args=rejected_enterprise, allowed={"org_admin": 200},
               denied={"public": 302, "enterprise_user": 404, "institute_user": 404, "bureau_officer": 404}),
    AccessCase("accounts:members", args=enterprise, allowed={"org_admin": 200},
               denied={"public": 302, "enterprise_user": 404, "bureau_officer": 404, "institute_user": 404}),
    AccessCase("accounts:member_remove", method="post", args=staff_membership, allowed={"org_admin": 302},
               denied={"public": 302, "enterprise_user": 404, "bureau_admin": 404}),
    AccessCase("accounts:member_role", method="post", args=staff_membership, data=lambda w: {"role": "org_admin"},
               allowed={"org_admin": 302}, denied={"public": 302, "enterprise_user": 404, "bureau_admin": 404}),
    AccessCase("accounts:invitation_revoke", method="post", args=enterprise_invitation, allowed={"org_admin": 302},
               denied={"public": 302, "enterprise_user": 404, "institute_user": 404}),
    AccessCase("accounts:invitation_accept", args=invitation_token, allowed={"public": 200}, denied={}),
    AccessCase("accounts:verification_queue", allowed=BUREAU, denied=NOT_BUREAU),
    AccessCase("accounts:verification_detail", args=pending, allowed=BUREAU, denied=NOT_BUREAU),
    AccessCase("accounts:user_list", allowed=ADMIN_ONLY, denied=NOT_ADMIN),
    AccessCase("accounts:user_roles", args=staff_user, allowed=ADMIN_ONLY, denied=NOT_ADMIN),
    AccessCase("api:me", allowed={"enterprise_user": 200}, denied={"public": 401}),
    AccessCase("api:organization_list", allowed={"bureau_officer": 200, "org_admin": 200}, denied={"public": 401}),
    AccessCase("api:organization_detail", args=enterprise, allowed={"org_admin": 200, "bureau_officer": 200},
               denied={"public": 401, "institute_user": 404, "expert": 404}),
    AccessCase("api:organization_verify", method="post", args=pending, allowed={"bureau_officer": 200},
               denied={"public": 401, "enterprise_user": 404, "finance_officer": 404}),
    AccessCase("api:organization_reject", method="post", args=pending, content_type=JSON,
               data=lambda w: {"reason": "证照模糊"}, allowed={"bureau_admin": 200},
               denied={"public": 401, "org_admin": 404}),
    AccessCase("api:member_list", args=enterprise, allowed={"org_admin": 200, "enterprise_user": 200},
               denied={"public": 401, "institute_user": 404}),
    AccessCase("api:invitation_create", method="post", args=enterprise, content_type=JSON,
               data=lambda w: {"email": "colleague@example.cn", "role": "member"}, allowed={"org_admin": 201},
               denied={"public": 401, "enterprise_user": 403, "institute_user": 404}),
    AccessCase("api:token_list", allowed={"enterprise_user": 200}, denied={"public": 401}),
    AccessCase("api:token_create", method="post", content_type=JSON, data=lambda w: {"name": "ci"},
               allowed={"enterprise_user": 201}, denied={"public": 401}),
    AccessCase("api:token_revoke", method="delete", args=staff_token, allowed={"enterprise_user": 204},
               denied={"public": 401, "org_admin": 404}),
    AccessCase("api:role_grant", method="post", args=staff_user, content_type=JSON,
               data=lambda w: {"role": PlatformRole.BROKER}, allowed={"bureau_admin": 201},
               denied={"public": 401, "bureau_officer": 404, "enterprise_user": 403}),
    AccessCase("api:role_revoke", method="delete", args=lambda w: [w.users.expert.pk, PlatformRole.EXPERT],
               allowed={"bureau_admin": 204}, denied={"public": 401, "bureau_officer": 404, "expert": 403}),
]


@pytest.mark.parametrize(("case", "persona", "status"), access_params(ACCESS_CASES))
def test_access(case, persona, status, world, client_for):
    check_access(client_for, world, case, persona, status)
