import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

from kechuang.core.errors import DomainError
from kechuang.core.web import run_service, safe_next_url


@pytest.mark.parametrize(("target", "expected"), [
    ("/demands/3/matches/?page=2", "/demands/3/matches/?page=2"),
    ("https://evil.example/", "fallback"),
    ("//evil.example/path", "fallback"),
    ("javascript:alert(1)", "fallback"),
    ("", "fallback"),
])
def test_next_is_followed_only_into_this_site(target, expected):
    request = RequestFactory().post("/x/", {"next": target}, HTTP_HOST="testserver")
    assert safe_next_url(request, "fallback") == expected


def _request(user=None):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = RequestFactory().post("/x/")
    request.user = user or AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _messages(request):
    return [(message.level_tag, str(message)) for message in request._messages]


def test_run_service_reports_success_with_what_the_service_returned():
    request = _request()
    done = run_service(request, lambda: 42, success="Done.")
    assert bool(done) is True and done.result == 42
    assert _messages(request) == [("success", "Done.")]


def test_run_service_without_a_success_message():
    request = _request()
    assert run_service(request, lambda: None, success=None)
    assert _messages(request) == []


def test_run_service_shows_each_problem_as_a_message():
    def refuse():
        raise ValidationError(["First problem.", "Second problem."])

    request = _request()
    done = run_service(request, refuse)
    assert bool(done) is False and done.result is None
    assert _messages(request) == [("error", "First problem."), ("error", "Second problem.")]


def test_run_service_puts_errors_on_the_form_fields_they_name():
    from django import forms

    class NameForm(forms.Form):
        name = forms.CharField()

    def refuse_name():
        raise ValidationError({"name": "Taken.", "elsewhere": "Not a field here."})

    def refuse_domain():
        raise DomainError("Closed.")

    request, form = _request(), NameForm({"name": "x"})
    form.is_valid()
    assert not run_service(request, refuse_name, form=form)
    assert not run_service(request, refuse_domain, form=form)
    assert form.errors == {"name": ["Taken."], "__all__": ["Not a field here.", "Closed."]}
    assert _messages(request) == []


@pytest.mark.parametrize("error", [PermissionDenied, ObjectDoesNotExist])
def test_run_service_turns_a_refusal_into_a_404(error):
    def refuse():
        raise error

    request = _request()
    with pytest.raises(Http404):
        run_service(request, refuse)
    assert _messages(request) == []


def test_the_gate_is_a_404_for_what_is_missing_invisible_or_refused(world):
    from kechuang.core.selectors import gate

    enterprise, institute = world.orgs.enterprise, world.orgs.institute
    visible = type(enterprise).objects.filter(pk=enterprise.pk)
    assert gate(world.users.org_admin, visible, pk=enterprise.pk) == enterprise
    assert gate(world.users.org_admin, visible, may=lambda user, org: user.organization == org,
                pk=enterprise.pk) == enterprise
    for lookup, may in [({"pk": institute.pk}, None), ({"pk": 0}, None),
                        ({"pk": enterprise.pk}, lambda user, org: False)]:
        with pytest.raises(Http404):
            gate(world.users.org_admin, visible, may=may, **lookup)
