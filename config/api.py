"""The REST API under /api/v1/: the same policies and services as the pages.

Clients authenticate with a personal access token (`Authorization: Bearer kc_...`) or,
from the browser, with the session and its CSRF token."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from kechuang.accounts.api import router as accounts_router
from kechuang.accounts.authentication import REQUIRED
from kechuang.achievements.api import router as achievements_router
from kechuang.core.api import router as core_router
from kechuang.core.errors import DomainError
from kechuang.core.policies import PUBLIC, view_policy
from kechuang.demands.api import router as demands_router
from kechuang.instruments.api import router as instruments_router
from kechuang.matching.api import router as matching_router
from kechuang.programs.api import router as programs_router
from kechuang.vouchers.api import router as vouchers_router

api = NinjaAPI(
    title="Kechuang API",
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
