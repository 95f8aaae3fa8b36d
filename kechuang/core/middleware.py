from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _

from kechuang.core.request_context import current_ip


def client_ip(request) -> str | None:
    if settings.CLIENT_IP_HEADER:
        forwarded = request.META.get(settings.CLIENT_IP_HEADER, "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


class ClientIPMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class PermissionsPolicyMiddleware:
    """Django sends the CSP and Referrer-Policy headers itself but has no setting for
    Permissions-Policy: this denies the features in PERMISSIONS_POLICY_DENIED."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENIED)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class PlatformLanguageMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user picked another language with the switch (a cookie).
    The browser's Accept-Language is ignored on purpose: the bureau's platform is Chinese first."""

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES) or not check_for_language(language):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class NullCharacterInRequest(BadRequest):
    """A NUL character in the path, the query string or a posted form field: no page or API call
    takes one, and PostgreSQL can neither compare nor store it."""


FORM_BODIES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _with_nul(data) -> list[str]:
    return [key for key, values in data.lists() if "\x00" in key or any("\x00" in value for value in values)]


class RefuseNullCharactersMiddleware:
    """Refuses a request whose path, query parameters or posted form fields hold a NUL character,
    before any view runs: with the 400 page, or for the API (under /api/) a 422 naming the parameter,
    like its other input errors. Form fields are checked here and not only by Django's form fields
    because views also read posted values directly (a reason, an upload key). JSON bodies are
    checked by the API's parser (config.api.RefusingParser). A form body that cannot be parsed
    (a multipart post without its boundary) raises here, which the 400 handler answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        locations = [["path"]] if "\x00" in request.path_info else []
        locations += [["query", key] for key in _with_nul(request.GET)]
        if request.method == "POST" and request.content_type in FORM_BODIES:
            locations += [["form", key] for key in _with_nul(request.POST)]
        if not locations:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            message = _("Text must not contain null characters.")
            return JsonResponse({"detail": [{"type": "string_nul", "loc": loc, "msg": message} for loc in locations]},
                                status=422)
        raise NullCharacterInRequest
