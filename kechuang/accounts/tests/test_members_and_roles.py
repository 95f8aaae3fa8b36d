import re

from django.core import mail

from kechuang.accounts.choices import OrgRole, PlatformRole
from kechuang.accounts.models import Invitation, Membership, RoleGrant, User
from kechuang.core.models import AuditEvent


def invite(client_for, world, email="colleague@example.cn", role=OrgRole.MEMBER):
    return client_for("org_admin").post(f"/organizations/{world.orgs.enterprise.pk}/members/",
                                        {"email": email, "role": role})


def test_admin_invites_and_the_colleague_joins(world, client_for, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client_for, world).status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["colleague@example.cn"]
    link = re.search(r"/invitations/accept/[\w-]+/", mail.outbox[0].body).group(0)
    client.logout()
    response = client.post(link, {"name": "新同事", "mobile": "13700001111", "password1": "River-Stone-88",
                                  "password2": "River-Stone-88"})
    assert response.status_code == 302
    user = User.objects.get(email="colleague@example.cn")
    assert Membership.objects.get(user=user).organization == world.orgs.enterprise
    assert Invitation.objects.get().status == "accepted"
    assert client.get(link).status_code == 404  # used


def test_invitations_are_for_verified_organisations_and_their_admins(world, client_for):
    assert invite(client_for, world).status_code == 302
    assert invite(client_for, world).status_code == 200  # already pending: form error, no second invitation
    assert Invitation.objects.count() == 1
    response = client_for("enterprise_user").post(f"/organizations/{world.orgs.enterprise.pk}/members/",
                                                  {"email": "x@example.cn", "role": "member"})
    assert response.status_code == 404 and Invitation.objects.count() == 1


def test_admin_removes_a_member(world, client_for):
    membership = world.users.enterprise_user.membership
    client_for("org_admin").post(f"/members/{membership.pk}/remove/")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(action="membership.removed").count() == 1


def test_bureau_admin_grants_and_revokes_roles(world, client_for):
    admin = client_for("bureau_admin")
    target = world.users.enterprise_user
    response = admin.post(f"/users/{target.pk}/roles/", {"role": PlatformRole.BUREAU_OFFICER, "department": ""})
    assert "科技局工作人员须填写所在处室" in response.content.decode()
    admin.post(f"/users/{target.pk}/roles/", {"role": PlatformRole.EXPERT, "department": ""})
    assert set(RoleGrant.objects.filter(user=target).values_list("role", flat=True)) == {"expert"}
    admin.post(f"/users/{target.pk}/roles/", {"revoke": PlatformRole.EXPERT})
    assert not RoleGrant.objects.filter(user=target).exists()
    assert list(AuditEvent.objects.filter(action__startswith="role.").values_list("action", flat=True)) == [
        "role.granted", "role.revoked"]


def test_an_officer_cannot_grant_roles(world, client_for):
    response = client_for("bureau_officer").post(f"/users/{world.users.enterprise_user.pk}/roles/",
                                                 {"role": PlatformRole.BUREAU_ADMIN})
    assert response.status_code == 403
    assert not RoleGrant.objects.filter(user=world.users.enterprise_user).exists()


def test_admin_changes_a_members_role(world, client_for):
    membership = world.users.enterprise_user.membership
    client_for("org_admin").post(f"/members/{membership.pk}/role/", {"role": OrgRole.ADMIN})
    assert Membership.objects.get(pk=membership.pk).role == OrgRole.ADMIN
    event = AuditEvent.objects.get(action="membership.role_changed")
    assert event.changes == {"user_id": world.users.enterprise_user.pk, "from": "member", "to": "org_admin"}
    # An admin never changes their own role, so an organisation always keeps at least one admin.
    response = client_for("org_admin").post(f"/members/{world.users.org_admin.membership.pk}/role/",
                                            {"role": OrgRole.MEMBER})
    assert response.status_code == 404
    assert Membership.objects.get(user=world.users.org_admin).role == OrgRole.ADMIN
