from datetime import timedelta

import pytest
from django.utils import timezone

from kechuang.accounts.models import User
from kechuang.accounts.tests.factories import TEST_PASSWORD
from kechuang.core.models import AuditEvent

FAILED = "登录失败：账号或密码错误，或因多次失败账号已被暂时锁定，请稍后再试。"


def sign_in(client, login, password=TEST_PASSWORD):
    return client.post("/sign-in/", {"login": login, "password": password})


def actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_sign_in_by_email_and_by_mobile(world, client):
    user = world.users.org_admin
    assert sign_in(client, user.email.upper()).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.post("/sign-out/")
    assert sign_in(client, f"{user.mobile[:3]} {user.mobile[3:7]} {user.mobile[7:]}").status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert actions() == ["auth.login", "auth.logout", "auth.login"]


def test_a_new_session_key_at_sign_in(world, client):
    client.get("/sign-in/")
    client.session.save()
    before = client.session.session_key
    sign_in(client, world.users.org_admin.email)
    assert client.session.session_key != before


def test_idle_timeout_is_thirty_minutes(world, client, settings):
    assert settings.SESSION_COOKIE_AGE == 1800 and settings.SESSION_SAVE_EVERY_REQUEST
    sign_in(client, world.users.org_admin.email)
    assert client.session.get_expiry_age() == 1800


@pytest.mark.parametrize("login", ["nobody@example.cn", "13999999999"])
def test_unknown_accounts_get_the_same_message(world, client, login):
    response = sign_in(client, login)
    assert FAILED in response.content.decode()
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.object_id == "" and login not in event.actor_label


def test_five_failures_lock_the_account_for_fifteen_minutes(world, client):
    user = world.users.org_admin
    for _attempt in range(5):
        response = sign_in(client, user.email, "wrong-password-1")
        assert FAILED in response.content.decode()
    user.refresh_from_db()
    assert user.locked_until is not None
    assert timedelta(minutes=14) < user.locked_until - timezone.now() <= timedelta(minutes=15)
    assert actions().count("auth.lockout") == 1
    # Even the right password is refused, with the same message.
    response = sign_in(client, user.email)
    assert FAILED in response.content.decode() and "_auth_user_id" not in client.session
    assert actions()[-1] == "auth.login_refused_locked"
    # Once the lock has expired, the right password works again.
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert sign_in(client, user.email).status_code == 302


def test_failure_count_resets_after_success(world, client):
    user = world.users.org_admin
    for _attempt in range(4):
        sign_in(client, user.email, "wrong-password-1")
    sign_in(client, user.email)
    user.refresh_from_db()
    assert (user.failed_logins, user.locked_until) == (0, None)


def test_open_redirects_are_refused(world, client):
    response = client.post("/sign-in/?next=https://evil.example/", {"login": world.users.org_admin.email,
                                                                    "password": TEST_PASSWORD})
    assert response["Location"] == "/"


def test_password_change_validates_and_audits(world, client):
    client.force_login(world.users.org_admin)
    response = client.post("/account/password/", {"old_password": TEST_PASSWORD, "password1": "password12",
                                                  "password2": "password12"})
    assert "这个密码太常见了" in response.content.decode()
    response = client.post("/account/password/", {"old_password": TEST_PASSWORD, "password1": "Short1!",
                                                  "password2": "Short1!"})
    assert "至少" in response.content.decode() and "10" in response.content.decode()
    response = client.post("/account/password/", {"old_password": TEST_PASSWORD, "password1": "Blue-Lantern-42",
                                                  "password2": "Blue-Lantern-42"})
    assert response.status_code == 302
    assert User.objects.get(pk=world.users.org_admin.pk).check_password("Blue-Lantern-42")
    assert "auth.password_changed" in actions()
    assert client.get("/account/").status_code == 200  # still signed in
