"""Schemathesis over the whole OpenAPI schema, in-process (the WSGI app, the test database), as
several personas: no answer is a server error, and every answer (status, content type, body) is one
the schema declares. Generated `pk`s are folded onto records that exist, so the calls reach real
objects and not only the 404."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as examples
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.api import api
from kechuang.accounts import services as account_services
from tests.populated import populate

PERSONAS = ["public", "enterprise_user", "org_admin", "institute_user", "expert", "broker", "provider",
            "bureau_officer", "bureau_admin", "finance_officer"]

# Kept small so the run over every persona stays within a few minutes on two cores; derandomized,
# so a failure found once is found on every run.
MAX_EXAMPLES = {GenerationMode.POSITIVE: 4, GenerationMode.NEGATIVE: 2}
CONFIG = {"generation": {"deterministic": True}}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Which records a `{pk}` of a path names, by the path's start (the longest start wins).
PK_OWNERS = {
    "/api/v1/achievements/": "achievements", "/api/v1/demands/": "demands",
    "/api/v1/matching/demands/": "demands", "/api/v1/matching/achievements/": "achievements",
    "/api/v1/matching/cases/": "cases", "/api/v1/instruments/": "instruments",
    "/api/v1/instruments/bookings/": "bookings", "/api/v1/vouchers/schemes/": "schemes",
    "/api/v1/vouchers/settlements/": "settlements", "/api/v1/programmes/calls/": "calls",
    "/api/v1/applications/": "applications", "/api/v1/reviews/": "reviews",
    "/api/v1/organizations/": "organizations", "/api/v1/users/": "users", "/api/v1/tokens/": "tokens",
}


def fold_pk(case, made):
    pk = (case.path_parameters or {}).get("pk")
    if not isinstance(pk, int) or isinstance(pk, bool):
        return
    path = case.operation.path
    owner = max((start for start in PK_OWNERS if path.startswith(start)), key=len, default=None)
    ids = getattr(made, PK_OWNERS[owner], None) if owner else None
    if ids:
        case.path_parameters["pk"] = ids[pk % len(ids)]


def load_schema():
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=SchemathesisConfig.from_dict(CONFIG))
    schema.app = WSGIHandler()
    return schema


def operation_test(operation, mode, made, headers):
    @examples(max_examples=MAX_EXAMPLES[mode], derandomize=True, deadline=None, database=None, print_blob=False,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        fold_pk(case, made)
        case.call_and_validate(headers=headers, checks=CHECKS)

    return run


@pytest.fixture
def connection_kept_open():
    """The WSGI handler closes the database connection after each request, which would end the test's
    transaction; Django's own test client keeps it open the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.slow
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_answers_every_call_as_its_schema_says(persona, world, settings, connection_kept_open):
    settings.ALLOWED_HOSTS = ["*"]
    made = populate(world)
    made.organizations = [org.pk for org in vars(world.orgs).values()]
    made.users = [user.pk for user in vars(world.users).values()]
    headers, made.tokens = {}, []
    if persona != "public":
        token, raw = account_services.token_create(user=getattr(world.users, persona), name="schemathesis")
        headers, made.tokens = {"Authorization": f"Bearer {raw}"}, [token.pk]
    schema = load_schema()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == sum(len(p.operations) for _r in api._routers for p in _r[1].path_operations.values())
    failures = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                operation_test(operation, mode, made, headers)()
            except (Exception, BaseExceptionGroup) as error:  # collect them all: one report for the persona
                failures.append(f"{operation.label} ({mode}): {error}")
    assert failures == [], "\n\n".join(failures)
