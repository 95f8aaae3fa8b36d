"""Registering does not tell whether an e-mail address or a mobile number has an account: the
answers are the same, and the owner of the existing account is told by e-mail instead."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail, signing

from kechuang.accounts import services
from kechuang.accounts.choices import OrgRole
from kechuang.accounts.models import Organization, User
from kechuang.accounts.services import REGISTRATION_SALT
from kechuang.accounts.tests.factories import valid_uscc
from kechuang.accounts.tests.test_organizations import registration
from kechuang.core.models import AuditEvent

LINK = re.compile(r"http://127\.0\.0\.1:8000(/register/continue/[^/\s]+/)")


@pytest.fixture
def mails(django_capture_on_commit_callbacks):
    """Runs a request with its on-commit work (the e-mail tasks) and returns the mails it sent."""

    def run(request):
        sent = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = request()
        return response, mail.outbox[sent:]

    return run


def comparable(response):
    """A response without what differs on every request anyway (the masked CSRF tokens)."""
    page = re.sub(r"[A-Za-z0-9]{64}", "<token>", response.content.decode())
    return response.status_code, response.get("Location"), sorted(response.cookies), page


def test_an_existing_address_gets_the_same_answer_as_a_new_one(world, client, mails):
    existing = world.users.org_admin.email
    new, new_mails = mails(lambda: client.post("/register/", {"email": "wang@newco.cn"}))
    old, old_mails = mails(lambda: client.post("/register/", {"email": existing.upper()}))
    assert comparable(new) == comparable(old) and new.status_code == 302
    assert comparable(client.get(new["Location"])) == comparable(client.get(old["Location"]))

    # The new address gets the link; the owner of the existing account is told instead.
    assert [(m.to, m.subject) for m in new_mails] == [(["wang@newco.cn"], "继续在科创平台注册")]
    assert [(m.to, m.subject) for m in old_mails] == [([existing], "有人尝试使用您的电子邮箱注册")]
    assert LINK.search(new_mails[0].body) and not LINK.search(old_mails[0].body)
    assert "http://127.0.0.1:8000/sign-in/" in old_mails[0].body
    assert User.objects.filter(email__iexact=existing).count() == 1


def test_the_link_leads_to_the_form_and_registers(world, client, mails):
    _response, sent = mails(lambda: client.post("/register/", {"email": "wang@newco.cn"}))
    url = LINK.search(sent[0].body).group(1)
    page = client.get(url).content.decode()
    assert 'data-testid="register-email">wang@newco.cn<' in page and 'name="email"' not in page
    response = client.post(url, registration())
    assert (response.status_code, response["Location"]) == (302, "/organization/")
    user = User.objects.get(email="wang@newco.cn")
    assert client.session["_auth_user_id"] == str(user.pk) and user.mobile == "13512345678"
    assert Organization.objects.get(created_by=user).status == "pending"
    # The link is used up once the account exists.
    client.logout()
    assert client.get(url).status_code == 404


class SignedADayAgo(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time() - timedelta(hours=25).total_seconds()))


def test_a_forged_or_expired_link_is_refused(world, client):
    forged = signing.dumps("wang@newco.cn", salt="another-salt")
    expired = SignedADayAgo(salt=REGISTRATION_SALT).sign_object("wang@newco.cn")
    for token in (forged, expired, "wang@newco.cn"):
        assert client.get(f"/register/continue/{token}/").status_code == 404
        assert client.post(f"/register/continue/{token}/", registration()).status_code == 404
    assert not User.objects.filter(email="wang@newco.cn").exists()


def test_a_mobile_number_in_use_gives_the_same_answer_and_its_owner_is_told(world, client, mails):
    owner = world.users.org_admin

    def register(email, mobile, uscc):
        url = "/register/continue/" + signing.dumps(email, salt=REGISTRATION_SALT) + "/"
        return mails(lambda: client.post(url, registration(mobile=mobile, uscc=uscc)))

    fresh, fresh_mails = register("wang@newco.cn", "13512345678", valid_uscc(900))
    client.logout()
    taken, taken_mails = register("li@newco.cn", owner.mobile, valid_uscc(901))
    assert (fresh.status_code, fresh["Location"]) == (taken.status_code, taken["Location"]) == (302, "/organization/")
    assert fresh_mails == []
    assert [(m.to, m.subject) for m in taken_mails] == [([owner.email], "有人使用您的手机号注册")]
    masked = f"{owner.mobile[:3]}****{owner.mobile[-4:]}"
    assert masked in taken_mails[0].body and owner.mobile not in taken_mails[0].body
    # The number stays with its owner; the new account goes on without one.
    assert User.objects.get(email="li@newco.cn").mobile == ""
    assert User.objects.get(mobile_digest=owner.mobile_digest) == owner
    assert AuditEvent.objects.filter(action="registration.mobile_in_use", object_id=str(owner.pk)).count() == 1


def test_an_invitation_does_not_reveal_a_mobile_number_either(world, client, mails):
    _invitation, raw = services.invitation_create(organization=world.orgs.enterprise, email="new@example.cn",
                                                  role=OrgRole.MEMBER, by=world.users.org_admin)
    response, sent = mails(lambda: client.post(f"/invitations/accept/{raw}/", {
        "name": "新同事", "mobile": world.users.expert.mobile, "password1": "Green-Valley-2026",
        "password2": "Green-Valley-2026"}))
    assert (response.status_code, response["Location"]) == (302, "/organization/")
    assert [(m.to, m.subject) for m in sent] == [([world.users.expert.email], "有人使用您的手机号注册")]
    assert User.objects.get(email="new@example.cn").mobile == ""


def test_a_signed_in_user_is_sent_back_to_the_organisation_form(world, client):
    client.force_login(world.users.org_admin)
    token = signing.dumps("wang@newco.cn", salt=REGISTRATION_SALT)
    response = client.get(f"/register/continue/{token}/")
    assert (response.status_code, response["Location"]) == (302, "/register/")
