from datetime import timedelta

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.utils import timezone

from kechuang.accounts.models import SignInThrottle, User
from kechuang.accounts.tasks import prune_sign_in_throttles
from kechuang.accounts.tests.factories import TEST_PASSWORD
from kechuang.core.models import AuditEvent

FAILED = "登录失败：账号或密码错误，或因多次失败账号已被暂时锁定，请稍后再试。"


def sign_in(client, login, password=TEST_PASSWORD, address="127.0.0.1"):
    return client.post("/sign-in/", {"login": login, "password": password}, REMOTE_ADDR=address)


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


ATTACKER, OWNER = "203.0.113.9", "198.51.100.7"


class CountingHasher(MD5PasswordHasher):
    """The test settings' hasher, counting the hashes it computes (checking a password computes
    one, as does hashing a new one)."""

    computed = 0

    def encode(self, password, salt):
        type(self).computed += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["kechuang.accounts.tests.test_sign_in.CountingHasher"]
    CountingHasher.computed = 0
    return CountingHasher


def throttle(address, user=None):
    account = f"user:{user.pk}" if user is not None else ""
    return SignInThrottle.objects.get(address=address, account=account)


def failed_message(response):
    """What the answer says: its status and every error of the form."""
    return response.status_code, response.context["form"].errors.get_json_data()


def test_every_attempt_hashes_once_whether_the_account_exists_or_not(world, client, counting_hasher):
    """An unknown login costs the same hashing as an existing one, so timing does not tell them
    apart; so does an attempt refused by a block."""
    user = world.users.org_admin
    attempts = [(user.email, "wrong-password-1"), ("nobody@example.cn", "wrong-password-1"),
                ("13999999999", TEST_PASSWORD), (user.mobile, "wrong-password-1")]
    for login, password in attempts:
        before = counting_hasher.computed
        response = sign_in(client, login, password)
        assert (counting_hasher.computed - before, FAILED in response.content.decode()) == (1, True), login
    for _attempt in range(3):
        sign_in(client, user.email, "wrong-password-1")
    before = counting_hasher.computed
    response = sign_in(client, user.email)  # blocked: the right password is not even checked
    assert (counting_hasher.computed - before, FAILED in response.content.decode()) == (1, True)
    assert actions()[-1] == "auth.login_throttled"


def test_the_backend_hashes_for_an_unknown_account_too(world, counting_hasher):
    from kechuang.accounts.backends import MobileOrEmailBackend

    assert MobileOrEmailBackend().authenticate(None, "nobody@example.cn", TEST_PASSWORD) is None
    assert counting_hasher.computed == 1


def test_five_failures_block_that_account_from_that_address(world, client):
    user = world.users.org_admin
    for _attempt in range(5):
        response = sign_in(client, user.email, "wrong-password-1", address=ATTACKER)
        assert FAILED in response.content.decode()
    row = throttle(ATTACKER, user)
    assert (row.failures, row.blocked_until - row.last_failure_at) == (5, timedelta(minutes=1))
    assert actions().count("auth.lockout") == 1
    # Even the right password is refused from there, with the same message, and not counted.
    response = sign_in(client, user.email, address=ATTACKER)
    assert FAILED in response.content.decode() and "_auth_user_id" not in client.session
    assert actions()[-1] == "auth.login_throttled" and throttle(ATTACKER, user).failures == 5
    # Once the block has passed, the right password works again and clears the account's counter.
    SignInThrottle.objects.filter(pk=row.pk).update(blocked_until=timezone.now() - timedelta(seconds=1))
    assert sign_in(client, user.email, address=ATTACKER).status_code == 302
    assert not SignInThrottle.objects.filter(account=f"user:{user.pk}").exists()
    assert throttle(ATTACKER).failures == 5  # the address's own counter is not cleared by a success


def test_a_stranger_hammering_never_locks_the_owner_out(world, client):
    admin = world.users.bureau_admin
    for _attempt in range(40):
        response = sign_in(client, admin.email, "wrong-password-1", address=ATTACKER)
        assert FAILED in response.content.decode()
    # Attempts refused by the block are not counted, so the block does not grow while it holds.
    assert throttle(ATTACKER, admin).is_blocked(timezone.now())
    assert (throttle(ATTACKER, admin).failures, throttle(ATTACKER).failures) == (5, 5)
    response = sign_in(client, admin.mobile, address=OWNER)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(admin.pk)


def test_the_delay_doubles_with_every_failure_after_the_limit_up_to_a_day(world, client):
    user = world.users.org_admin

    def fail_after_the_block():
        SignInThrottle.objects.filter(address=ATTACKER).update(blocked_until=timezone.now() - timedelta(seconds=1))
        sign_in(client, user.email, "wrong-password-1", address=ATTACKER)
        row = throttle(ATTACKER, user)
        return row.blocked_until - row.last_failure_at

    for _attempt in range(5):
        sign_in(client, user.email, "wrong-password-1", address=ATTACKER)
    assert [fail_after_the_block() for _step in range(4)] == [timedelta(minutes=minutes) for minutes in (2, 4, 8, 16)]
    SignInThrottle.objects.filter(pk=throttle(ATTACKER, user).pk).update(failures=40)
    assert fail_after_the_block() == timedelta(hours=24)


def test_an_address_trying_many_accounts_is_blocked_for_all_of_them(world, client):
    for number in range(20):
        sign_in(client, f"guess{number}@example.cn", "wrong-password-1", address=ATTACKER)
    row = throttle(ATTACKER)
    assert (row.failures, row.blocked_until - row.last_failure_at) == (20, timedelta(minutes=1))
    user = world.users.org_admin
    assert FAILED in sign_in(client, user.email, address=ATTACKER).content.decode()
    assert "_auth_user_id" not in client.session
    assert sign_in(client, user.email, address=OWNER).status_code == 302


def test_one_message_whatever_the_reason(world, client):
    user = world.users.org_admin
    wrong = failed_message(sign_in(client, user.email, "wrong-password-1", address=OWNER))
    unknown = failed_message(sign_in(client, "nobody@example.cn", address=OWNER))
    for _attempt in range(5):
        sign_in(client, user.email, "wrong-password-1", address=ATTACKER)
    account_blocked = failed_message(sign_in(client, user.email, address=ATTACKER))
    for number in range(20):
        sign_in(client, f"guess{number}@example.cn", "wrong-password-1", address="192.0.2.1")
    address_blocked = failed_message(sign_in(client, world.users.expert.email, address="192.0.2.1"))
    assert wrong == unknown == account_blocked == address_blocked == (200, {"__all__": [{"message": FAILED,
                                                                                        "code": ""}]})


def test_a_quiet_counter_starts_again(world, client):
    user = world.users.org_admin
    for _attempt in range(3):
        sign_in(client, user.email, "wrong-password-1", address=ATTACKER)
    SignInThrottle.objects.filter(address=ATTACKER).update(last_failure_at=timezone.now() - timedelta(hours=2))
    sign_in(client, user.email, "wrong-password-1", address=ATTACKER)
    assert (throttle(ATTACKER).failures, throttle(ATTACKER, user).failures) == (1, 1)


def test_the_address_comes_from_the_proxy_header_when_configured(world, client, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    client.post("/sign-in/", {"login": world.users.org_admin.email, "password": "wrong-password-1"},
                HTTP_X_FORWARDED_FOR=f"{ATTACKER}, 10.0.0.1")
    assert throttle(ATTACKER).failures == 1


def test_the_daily_prune_forgets_stale_counters_only(world, client):
    user = world.users.org_admin
    for address in (ATTACKER, OWNER):
        sign_in(client, user.email, "wrong-password-1", address=address)
    SignInThrottle.objects.filter(address=ATTACKER).update(last_failure_at=timezone.now() - timedelta(hours=2))
    assert prune_sign_in_throttles.call() == 2
    assert sorted(SignInThrottle.objects.values_list("address", flat=True)) == [OWNER, OWNER]


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
