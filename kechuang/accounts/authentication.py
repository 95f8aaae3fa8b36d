"""How API callers are recognised: a personal access token or the browser session (with its
CSRF token for unsafe methods). `OPTIONAL` also lets anonymous callers through, for the
public parts of the API; what they see is then decided by the same policies as the pages."""

from django.contrib.auth.models import AnonymousUser
from ninja.security import APIKeyCookie, HttpBearer

from kechuang.accounts.services import token_authenticate


class AccessTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


def anonymous(request):
    request.user = AnonymousUser()
    return request.user


REQUIRED = [AccessTokenAuth(), SessionAuth()]
# Managing tokens needs the browser session: a token may not list, make or revoke tokens.
SESSION_ONLY = [SessionAuth()]
OPTIONAL = [*REQUIRED, anonymous]
