"""Helpers shared by every app's tests: the personas and the access-case table format.

Each app lists in `tests/test_access.py` an `ACCESS_CASES` table: for every URL it serves,
which personas get it and which are refused, with the exact status. The URL walker
(kechuang/core/tests/test_url_policies.py) fails when a URL has no declared policy or is
missing from these tables.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

PERSONAS = (
    "public",
    "enterprise_user",
    "institute_user",
    "org_admin",
    "expert",
    "broker",
    "provider",
    "bureau_officer",
    "bureau_admin",
    "finance_officer",
)

SIGNED_IN_PERSONAS = PERSONAS[1:]


@dataclass
class AccessCase:
    url_name: str
    allowed: dict[str, int]
    denied: dict[str, int]
    args: Callable = field(default=lambda world: [])
    method: str = "get"
    data: Callable = field(default=lambda world: {})
    content_type: str | None = None

    def url(self, world) -> str:
        return reverse(self.url_name, args=self.args(world))

    def expanded(self):
        for persona, status in self.allowed.items():
            yield self, persona, status, True
        for persona, status in self.denied.items():
            yield self, persona, status, False


def everyone_but(excluded, status, personas=PERSONAS) -> dict[str, int]:
    return {persona: status for persona in personas if persona not in excluded}


def access_params(cases):
    """pytest parameters with readable ids, e.g. `accounts:members[org_admin]`."""
    import pytest

    return [
        pytest.param(case, persona, status, id=f"{case.url_name}[{persona}]")
        for case_ in cases
        for case, persona, status, _allowed in case_.expanded()
    ]


def request_as(client, case: AccessCase, world):
    method = getattr(client, case.method)
    kwargs = {"data": case.data(world)}
    if case.method in ("post", "put", "patch", "delete") and case.content_type:
        kwargs["content_type"] = case.content_type
    return method(case.url(world), **kwargs)


def check_access(client_for, world, case: AccessCase, persona: str, status: int) -> None:
    """Calls the case's URL as the persona and checks the exact status; a refused visitor is
    sent to the sign-in page."""
    response = request_as(client_for(persona), case, world)
    assert response.status_code == status, response.content[:500]
    if status == 302 and persona == "public" and persona in case.denied:
        assert response["Location"].startswith(reverse("accounts:login"))


def assert_queries_flat(client, url, add_rows, *, marker: str, few: int = 3, many: int = 25) -> None:
    """A list page makes as many queries for `many` rows as for `few` (no query per row).

    `add_rows(n)` adds n more rows that the page lists, each showing `marker`, so the test also
    checks that the second read lists more of them. The page is read once before counting, so
    caches warmed by a first request (session, reference data) do not count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def read():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        return [query["sql"] for query in captured.captured_queries], response.content.decode().count(marker)

    add_rows(few)
    client.get(url)
    small, shown_few = read()
    add_rows(many - few)
    large, shown_many = read()
    assert shown_many > shown_few > 0, (shown_few, shown_many)
    assert len(large) == len(small), _grown(small, large)


def _grown(small: list[str], large: list[str]) -> str:
    """The queries (numbers blanked) that the larger read repeats more often: the per-row ones."""
    import re
    from collections import Counter

    def shapes(queries):
        return Counter(re.sub(r"\d+", "#", query) for query in queries)

    extra = shapes(large) - shapes(small)
    return f"{len(small)} -> {len(large)} queries; repeated per row:\n" + "\n".join(
        f"{times} x {query[:300]}" for query, times in extra.most_common())
