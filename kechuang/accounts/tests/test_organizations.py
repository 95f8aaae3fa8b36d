from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.accounts.choices import OrganizationStatus, OrgRole
from kechuang.accounts.models import Membership, Organization, User
from kechuang.accounts.services import REGISTRATION_SALT
from kechuang.accounts.tests.factories import valid_uscc
from kechuang.core.files import attachments_of
from kechuang.core.models import AuditEvent, District, Notification

PDF = b"%PDF-1.4\n%%EOF\n"


def register_url(email="wang@newco.cn"):
    """The registration form behind the link e-mailed to `email` (test_registration.py follows
    the real mail)."""
    return reverse("accounts:register_continue", args=[signing.dumps(email, salt=REGISTRATION_SALT)])


def registration(**overrides):
    data = {
        "name": "王新", "mobile": "13512345678", "password1": "Green-Valley-2026",
        "password2": "Green-Valley-2026", "org_name": "新创科技有限公司", "kind": "enterprise", "uscc": valid_uscc(900),
        "district": District.objects.get(code="D05").pk, "address": "高新区科学大道1号", "legal_representative": "王新",
        "contact_name": "王新", "contact_phone": "13512345678",
    }
    return data | overrides


def test_registration_creates_a_pending_organisation_and_its_admin(world, client):
    data = registration(licence=SimpleUploadedFile("执照.pdf", PDF))
    response = client.post(register_url(), data)
    assert response.status_code == 302
    organization = Organization.objects.get(uscc=data["uscc"])
    user = User.objects.get(email="wang@newco.cn")
    assert organization.status == OrganizationStatus.PENDING
    assert Membership.objects.get(user=user).role == OrgRole.ADMIN
    assert [a.purpose for a in attachments_of(organization)] == ["licence"]
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.filter(action="organization.registered", object_id=str(organization.pk)).exists()
    assert Notification.objects.filter(recipient=world.users.bureau_officer, url=f"/verification/{organization.pk}/")


def test_invalid_credit_code_is_refused_in_chinese_and_nothing_is_written(world, client):
    before = (User.objects.count(), Organization.objects.count())
    response = client.post(register_url(), registration(uscc=valid_uscc(900)[:-1] + "0"))
    assert response.status_code == 200
    assert "统一社会信用代码校验位错误" in response.content.decode()
    assert (User.objects.count(), Organization.objects.count()) == before


def test_duplicate_credit_code_and_weak_password_are_refused(world, client):
    response = client.post(register_url(), registration(uscc=world.orgs.enterprise.uscc))
    assert "该统一社会信用代码的单位已注册" in response.content.decode()
    response = client.post(register_url(), registration(password1="12345678", password2="12345678"))
    assert "此密码太短，至少要包含 10 个字符。" in response.content.decode()
    assert not User.objects.filter(email="wang@newco.cn").exists()


def test_a_fake_licence_is_refused(world, client):
    response = client.post(register_url(), registration(licence=SimpleUploadedFile("执照.pdf", b"MZ\x90evil")))
    assert "不接受该类型的文件" in response.content.decode()
    assert not Organization.objects.filter(name="新创科技有限公司").exists()


def test_officer_verifies_and_the_applicant_is_told(world, client_for, django_capture_on_commit_callbacks):
    pending = world.orgs.pending
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("bureau_officer").post(f"/verification/{pending.pk}/", {"decision": "verify"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.verified_by) == (OrganizationStatus.VERIFIED, world.users.bureau_officer)
    assert AuditEvent.objects.filter(action="organization.verified", actor=world.users.bureau_officer).count() == 1
    assert Notification.objects.filter(recipient=world.users.applicant, title="您的单位已通过认证").exists()
    assert [m.to for m in mail.outbox] == [[world.users.applicant.email]]
    # Deciding twice is refused without a second event.
    client_for("bureau_officer").post(f"/verification/{pending.pk}/", {"decision": "verify"})
    assert AuditEvent.objects.filter(action="organization.verified").count() == 1


def test_rejection_needs_a_reason_the_applicant_sees(world, client_for, client):
    pending = world.orgs.pending
    officer = client_for("bureau_officer")
    response = officer.post(f"/verification/{pending.pk}/", {"decision": "reject", "reason": ""})
    assert response.status_code == 200
    assert Organization.objects.get(pk=pending.pk).status == OrganizationStatus.PENDING
    officer.post(f"/verification/{pending.pk}/", {"decision": "reject", "reason": "营业执照照片不清晰"})
    assert Organization.objects.get(pk=pending.pk).status == OrganizationStatus.REJECTED
    client.force_login(world.users.applicant)
    page = client.get(f"/organizations/{pending.pk}/").content.decode()
    assert "营业执照照片不清晰" in page and "修改后重新提交" in page
    response = client.post(f"/organizations/{pending.pk}/resubmit/", {
        "name": pending.name, "kind": "enterprise", "uscc": pending.uscc, "district": pending.district_id,
        "address": "新地址", "legal_representative": "", "contact_name": "钱多", "contact_phone": "13611112222"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.address, pending.contact_phone) == ("pending", "新地址", "13611112222")


def test_non_bureau_users_cannot_verify(world, client_for):
    response = client_for("org_admin").post(f"/verification/{world.orgs.pending.pk}/", {"decision": "verify"})
    assert response.status_code == 403
    assert Organization.objects.get(pk=world.orgs.pending.pk).status == OrganizationStatus.PENDING
    assert not AuditEvent.objects.filter(action="organization.verified").exists()


def test_contact_phone_is_masked_for_roles_that_do_not_need_it(world, client_for):
    phone = world.orgs.enterprise.contact_phone
    masked = f"{phone[:3]}****{phone[-4:]}"
    for persona, expected in [("enterprise_user", phone), ("bureau_officer", phone)]:
        page = client_for(persona).get(f"/organizations/{world.orgs.enterprise.pk}/").content.decode()
        assert expected in page
    api = client_for("bureau_officer").get(f"/api/v1/organizations/{world.orgs.enterprise.pk}").json()
    assert api["contact_phone"] == phone
    profile = client_for("enterprise_user").get("/account/").content.decode()
    mobile = world.users.enterprise_user.mobile
    assert mobile not in profile and f"{mobile[:3]}****{mobile[-4:]}" in profile
    # Other personas cannot see the organisation at all (test_access); where a record is shown
    # without the right to its contact, the API gives the masked number.
    from django.contrib.auth.models import AnonymousUser

    from kechuang.accounts.api import organization_out

    assert organization_out(AnonymousUser(), world.orgs.enterprise)["contact_phone"] == masked
