"""Small helpers that views of every app share."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse

PAGE_SIZE = 20


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Shows a service's ValidationError on the form fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def safe_next_url(request, fallback: str = "core:home") -> str:
    """The `next` of a post or query when it points into this site (same host, no other scheme),
    else the fallback: a link from elsewhere must not turn our redirect into theirs."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def or_404(selector, *args, **kwargs):
    """Calls a `<noun>_get` selector; what the user may not see (or what does not exist) is a 404."""
    try:
        return selector(*args, **kwargs)
    except ObjectDoesNotExist as error:
        raise Http404 from error


def download(data: bytes, *, kind: str, filename: str, inline: bool = False) -> HttpResponse:
    """A generated file with a server-chosen name (kind is a key of core.files.KINDS)."""
    from django.utils.http import content_disposition_header

    from kechuang.core.files import KINDS

    response = HttpResponse(data, content_type=KINDS[kind])
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response


def form_errors_text(form: Form) -> str:
    """A bound form's errors as one line, for a message after a post that has no page of its own."""
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


def run_service(request, action, *, success: str = "") -> bool:
    """Calls a service from a form post and reports its outcome as a message: a refused action the
    user may not even see is a 404; a validation or domain error is shown; success says so. Returns
    whether it succeeded."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from kechuang.core.errors import DomainError

    try:
        action()
    except (PermissionDenied, ObjectDoesNotExist) as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success or _("Saved."))
        return True
    return False
