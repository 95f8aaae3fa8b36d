"""Personal API tokens expire, die with a password change, cannot manage tokens, and the tokens
page says when each was last used and when it expires."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kechuang.accounts import services
from kechuang.accounts.models import AccessToken, User
from kechuang.accounts.tests.factories import TEST_PASSWORD
from kechuang.core.models import AuditEvent


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def token(world):
    return services.token_create(user=world.users.enterprise_user, name="数据同步")


def test_a_token_lives_ninety_days_by_default(world, token):
    made, _raw = token
    assert made.expires_at - made.created_at == timedelta(days=90)


def test_the_lifetime_is_a_setting(world, settings):
    settings.KECHUANG_TOKEN_LIFETIME_DAYS = 7
    made, _raw = services.token_create(user=world.users.enterprise_user, name="短期")
    assert made.expires_at - made.created_at == timedelta(days=7)


def test_an_expired_token_is_refused(world, client, token):
    made, raw = token
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 200
    AccessToken.objects.filter(pk=made.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 401


def test_changing_the_password_retires_every_token(world, client, token):
    _made, raw = token
    _second, other = services.token_create(user=world.users.enterprise_user, name="第二个")
    services.password_change(user=world.users.enterprise_user, new_password="Blue-Lantern-42")
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 401
    assert client.get("/api/v1/me", **bearer(other)).status_code == 401
    # A token made after the change works.
    _third, fresh = services.token_create(user=User.objects.get(pk=world.users.enterprise_user.pk), name="新")
    assert client.get("/api/v1/me", **bearer(fresh)).status_code == 200


def test_a_password_set_outside_the_page_retires_them_too(world, client, token):
    """A reset, `manage.py changepassword` or any other path that stores a new password."""
    _made, raw = token
    user = User.objects.get(pk=world.users.enterprise_user.pk)
    user.set_password("Set-By-Admin-2027")
    user.save()
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 401


def test_a_token_cannot_make_list_or_revoke_tokens(world, client, token):
    made, raw = token
    before = (AccessToken.objects.count(), AuditEvent.objects.count())
    response = client.post("/api/v1/tokens", {"name": "再来一个"}, content_type="application/json", **bearer(raw))
    assert response.status_code == 401
    assert client.get("/api/v1/tokens", **bearer(raw)).status_code == 401
    assert client.delete(f"/api/v1/tokens/{made.pk}", **bearer(raw)).status_code == 401
    assert (AccessToken.objects.count(), AuditEvent.objects.count()) == before
    assert AccessToken.objects.get().revoked_at is None
    # The same token still works where tokens are accepted.
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 200


def test_the_browser_session_makes_tokens(world, client_for):
    response = client_for("enterprise_user").post("/api/v1/tokens", {"name": "脚本"}, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "active" and body["expires_at"] and body["last_used_at"] is None


def test_the_tokens_page_shows_last_use_expiry_and_state(world, client, token):
    made, raw = token
    used = timezone.now()
    client.get("/api/v1/me", **bearer(raw))
    _expired, _raw = services.token_create(user=world.users.enterprise_user, name="旧脚本")
    AccessToken.objects.filter(name="旧脚本").update(expires_at=used - timedelta(days=1))
    client.force_login(world.users.enterprise_user)
    page = client.get("/account/tokens/").content.decode()
    row = page.split(f'data-testid="token-{made.pk}"')[1].split("</tr>")[0]
    local = timezone.localtime
    assert local(AccessToken.objects.get(pk=made.pk).last_used_at).strftime("%Y-%m-%d %H:%M") in row
    assert local(made.expires_at).strftime("%Y-%m-%d %H:%M") in row and "有效" in row
    assert "已过期" in page and "有效期 90 天" in page

    client.post("/account/password/", {"old_password": TEST_PASSWORD, "password1": "Blue-Lantern-42",
                                       "password2": "Blue-Lantern-42"})
    page = client.get("/account/tokens/").content.decode()
    row = page.split(f'data-testid="token-{made.pk}"')[1].split("</tr>")[0]
    assert "已失效：密码已更改" in row and "撤销" not in row
