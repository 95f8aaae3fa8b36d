"""Small helpers that views of every app share."""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse

PAGE_SIZE = 20
SUBMISSION_KEY = "submission_key"


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


@dataclass(frozen=True)
class Outcome:
    """What run_service reports; true when the service succeeded. `result` is what it returned."""

    ok: bool
    result: object = None

    def __bool__(self) -> bool:
        return self.ok


def submission_key(request):
    """The post's one-time key ({% submission_key %}), or None when it has none or a malformed one."""
    import uuid

    try:
        return uuid.UUID(request.POST.get(SUBMISSION_KEY, ""))
    except ValueError:
        return None


def creates_once(view):
    """For every view whose form creates a record: posted again with its one-time key (a double
    click, a replay, two posts at once), the form creates nothing and the post is sent to the page
    the first one went to. The key is claimed in one transaction with the whole view, kept when the
    view answers with a redirect (it made something) and undone otherwise (the form is shown again
    with its errors, and the corrected post may use the key), so the view must redirect after a
    successful post: what a view writes before answering 200 is undone with the claim. A replay is
    answered before the form is validated again: a second "register" must not be told that its
    e-mail address is already taken. A post without a key (an API client, a test) is served as
    before."""
    from functools import wraps

    from django.shortcuts import redirect

    from kechuang.core.services import KeyOfAnotherUser, create_once

    @wraps(view)
    def once(request, *args, **kwargs):
        key = submission_key(request) if request.method == "POST" else None
        if key is None:
            return view(request, *args, **kwargs)
        try:
            response, url, replayed = create_once(
                key=key, by=request.user, create=lambda: view(request, *args, **kwargs),
                url_of=lambda response: response["Location"] if response.status_code in (301, 302, 303) else None)
        except KeyOfAnotherUser as error:
            raise Http404 from error
        return redirect(url) if replayed else response

    return once


def run_service(request, action, *, success: str | None = "", form: Form | None = None) -> Outcome:
    """Calls a service from a form post and maps its errors, in one place for every page:
    PermissionDenied and a missing object are a 404 (the user may not even see what they tried to
    change); a ValidationError or DomainError is shown on `form` when there is one (on the fields
    it names, else above the form), otherwise as messages. Success adds the message `success`
    ("Saved." when empty, none when None)."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from kechuang.core.errors import DomainError

    try:
        result = action()
    except (PermissionDenied, ObjectDoesNotExist) as error:
        raise Http404 from error
    except (ValidationError, DomainError) as error:
        if isinstance(error, DomainError):
            error = ValidationError(error.message)
        if form is not None:
            add_service_errors(form, error)
        else:
            for problem in error.messages:
                messages.error(request, problem)
        return Outcome(False)
    if success is not None:
        messages.success(request, success or _("Saved."))
    return Outcome(True, result)
