"""Authentication by e-mail address or mobile number. Lockout is applied by
`services.sign_in`, which every sign-in path uses; this backend only checks credentials."""

from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.hashers import make_password

from kechuang.accounts.models import User
from kechuang.core.crypto import blind_index
from kechuang.core.validators import normalize_mobile


def find_user_by_login(login: str) -> User | None:
    login = (login or "").strip()
    if "@" in login:
        return User.objects.filter(email__iexact=login).first()
    mobile = normalize_mobile(login)
    return User.objects.filter(mobile_digest=blind_index(mobile)).first() if mobile else None


class MobileOrEmailBackend(BaseBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = find_user_by_login(username)
        if user is None:
            # The hashing an existing account costs, so the answer takes as long (ModelBackend's trick).
            make_password(password)
            return None
        if user.check_password(password) and user.is_active:
            return user
        return None

    def get_user(self, user_id):
        return User.objects.filter(pk=user_id, is_active=True).first()
