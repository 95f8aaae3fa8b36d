"""The REST API under /api/v1/: the same policies and services as the pages.

Clients authenticate with a personal access token (`Authorization: Bearer kc_...`) or,
from the browser, with the session and its CSRF token."""

import json

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as InputError
from ninja.parser import Parser

from kechuang.accounts.api import router as accounts_router
from kechuang.accounts.authentication import REQUIRED, anonymous
from kechuang.achievements.api import router as achievements_router
from kechuang.core.api import router as core_router
from kechuang.core.errors import DomainError
from kechuang.core.policies import PUBLIC, view_policy
from kechuang.core.schemas import ErrorOut
from kechuang.demands.api import router as demands_router
from kechuang.instruments.api import router as instruments_router
from kechuang.matching.api import router as matching_router
from kechuang.programs.api import router as programs_router
from kechuang.vouchers.api import router as vouchers_router


class NullCharacterError(InputError):
    """A string of the request holds a NUL character (PostgreSQL cannot store it) or a lone surrogate
    (no database can)."""


def _unstorable(text: str) -> dict | None:
    if "\x00" in text:
        return {"type": "string_nul", "msg": _("Text must not contain null characters.")}
    try:
        text.encode()
    except UnicodeEncodeError:  # a lone surrogate (JSON allows "\ud800"): no database can store it
        return {"type": "string_unicode", "msg": _("Text must be valid Unicode.")}
    return None


def _text_errors(value, loc: tuple) -> list[dict]:
    if isinstance(value, str):
        error = _unstorable(value)
        return [{"type": error["type"], "loc": list(loc), "msg": error["msg"]}] if error else []
    if isinstance(value, dict):
        return [error for key, item in value.items()
                for error in _text_errors(key, loc) + _text_errors(item, (*loc, key))]
    if isinstance(value, list):
        return [error for index, item in enumerate(value) for error in _text_errors(item, (*loc, index))]
    return []


class RefusingParser(Parser):
    """The JSON body and form fields of every operation, with one check for every string field of every
    schema: no NUL character and no lone surrogate (pages get the NUL check from Django's form fields;
    a path or query string with a NUL is refused before, by core.middleware.RefuseNullCharactersMiddleware)."""

    def parse_body(self, request):
        data = json.loads(request.body)
        if errors := _text_errors(data, ("body",)):
            raise NullCharacterError(errors)
        return data

    def parse_querydict(self, data, list_fields, request):
        parsed = super().parse_querydict(data, list_fields, request)
        source = {id(request.POST): "form", id(request.FILES): "file"}.get(id(data), "query")
        if errors := _text_errors(parsed, (source,)):
            raise NullCharacterError(errors)
        return parsed


ERROR_DESCRIPTIONS = {
    400: "The body could not be read (not JSON, or not well-formed multipart data).",
    401: "No valid access token or session.",
    403: "The caller may see the object but not do this.",
    404: "No such object, or one the caller may not see.",
    409: "A rule of the domain refused the action (detail and code).",
    422: "The input is invalid: the fields' messages.",
}


class KechuangAPI(NinjaAPI):
    """Declares in the schema the error answers the exception handlers below give, so that clients
    (and the schema test, tests/test_api_schema.py) know every status an operation can answer."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(error_schema.pop("$defs", {}))
        components["ErrorOut"] = error_schema
        operations = {self.get_openapi_operation_id(operation): operation
                      for _prefix, router in self._routers for path_view in router.path_operations.values()
                      for operation in path_view.operations}
        for path_item in schema["paths"].values():
            for method, described in path_item.items():
                operation = operations[described["operationId"]]
                for status in self._error_statuses(method, operation, described):
                    described["responses"].setdefault(str(status), {
                        "description": ERROR_DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}})
        return schema

    def _error_statuses(self, method, operation, described):
        auth = operation.auth_callbacks or []
        statuses = [403, 404, 422]
        if anonymous not in auth:
            statuses.append(401)
        if method in ("post", "put", "patch", "delete"):
            statuses.append(409)
        if "requestBody" in described:
            statuses.append(400)
        return sorted(statuses)


api = KechuangAPI(
    title="Kechuang API",
    parser=RefusingParser(),
    version="1",
    urls_namespace="api",
    auth=REQUIRED,
    docs_url="/docs",
    docs_decorator=view_policy(PUBLIC, description="the API schema and its docs page are public"),
)
api.add_router("/", core_router)
api.add_router("/", accounts_router)
api.add_router("/", achievements_router)
api.add_router("/", demands_router)
api.add_router("/", matching_router)
api.add_router("/", programs_router)
api.add_router("/", instruments_router)
api.add_router("/", vouchers_router)


@api.exception_handler(DomainError)
def domain_error(request, error):
    return api.create_response(request, {"detail": error.message, "code": error.code}, status=409)


@api.exception_handler(ValidationError)
def validation_error(request, error):
    detail = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request, error):
    return api.create_response(request, {"detail": _("You do not have permission to do this.")}, status=403)


@api.exception_handler(ObjectDoesNotExist)
def not_found(request, error):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(Http404)
def http_not_found(request, error):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


def input_error(request, error):
    return api.create_response(request, {"detail": error.errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request, error):
    # ninja reports any failure of the body parser as "cannot parse"; a NUL is a field error.
    if isinstance(error.__cause__, NullCharacterError):
        return input_error(request, error.__cause__)
    return api.create_response(request, {"detail": str(error)}, status=error.status_code)


def address_not_found(request, exception):
    """The project's 404 (config.urls.handler404): an API address that matches no operation (a `pk`
    that is not a number, say) answers in JSON like the operations do; any other is the 404 page."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path_info.startswith(api.get_root_path({})):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return page_not_found(request, exception)


def unreadable_request(request, exception):
    """The project's 400 (config.urls.handler400): a body that cannot be read (a multipart post
    without its boundary, too many fields) or a NUL; JSON for the API, the 400 page for the rest."""
    from django.http import JsonResponse

    from kechuang.core.views import bad_request, bad_request_message

    if request.path_info.startswith(api.get_root_path({})):
        return JsonResponse({"detail": bad_request_message(exception)}, status=400)
    return bad_request(request, exception)
