import pytest
from django.test import RequestFactory

from kechuang.core.web import safe_next_url


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
