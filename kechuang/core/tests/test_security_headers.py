"""Every response carries the browser security headers, in every profile (the tests run with the
development settings)."""

import re

import pytest
from django.conf import settings

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")
PERMISSIONS = ("accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), "
               "magnetometer=(), microphone=(), midi=(), payment=(), serial=(), usb=()")


@pytest.mark.parametrize("persona, url", [("public", "/"), ("public", "/sign-in/"),
                                          ("org_admin", "/account/tokens/"), ("org_admin", "/no-such-page/")])
def test_pages_carry_the_security_headers(client_for, persona, url):
    response = client_for(persona).get(url)
    assert response.status_code in (200, 404)
    assert response["Content-Security-Policy"] == CSP
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == PERMISSIONS
    assert response["X-Content-Type-Options"] == "nosniff"


def test_api_responses_carry_them_too(client_for):
    response = client_for("org_admin").get("/api/v1/me")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CSP and response["Permissions-Policy"] == PERMISSIONS


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:a-z-]*)\s*=", re.I)


def test_templates_carry_no_inline_script_and_no_event_handler():
    """The policy would block them in the browser; tests/e2e/test_content_security_policy.py
    watches the console on the main pages, this catches the rest."""
    offenders = []
    for root in [settings.BASE_DIR / "templates", *sorted((settings.BASE_DIR / "kechuang").glob("*/templates"))]:
        for template in sorted(root.rglob("*.html")):
            text = template.read_text()
            offenders += [f"{template.name}: {match.group(0)}" for pattern in (INLINE_SCRIPT, EVENT_HANDLER)
                          for match in pattern.finditer(text)]
    assert offenders == []
