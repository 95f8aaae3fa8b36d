import pytest

from kechuang.core.testing import SIGNED_IN_PERSONAS, AccessCase, access_params, check_access
from kechuang.demands.choices import DemandStatus
from kechuang.demands.tests.factories import make_demand


def published(world):
    return [make_demand(world, status=DemandStatus.PUBLISHED).pk]


def draft(world):
    return [make_demand(world).pk]


ACCESS_CASES = [
    AccessCase("demands:portal", allowed={"public": 200, "broker": 200}, denied={}),
    AccessCase("demands:detail", args=published, allowed={"public": 200, "institute_user": 200}, denied={}),
    AccessCase("demands:detail", args=draft, allowed={"org_admin": 200, "enterprise_user": 200},
               denied={"public": 404, "institute_user": 404, "bureau_officer": 404}),
    AccessCase("demands:mine", allowed=dict.fromkeys(SIGNED_IN_PERSONAS, 200), denied={"public": 302}),
    AccessCase("demands:create", allowed={"org_admin": 200, "enterprise_user": 200},
               denied={"public": 302, "institute_user": 403, "expert": 403, "bureau_officer": 403}),
    AccessCase("demands:edit", args=draft, allowed={"org_admin": 200},
               denied={"public": 302, "institute_user": 404}),
    AccessCase("demands:attach", method="post", args=draft, allowed={"org_admin": 302},
               denied={"public": 302, "institute_user": 404}),
    AccessCase("demands:transition", method="post", args=lambda w: [*draft(w), "submit"],
               allowed={"org_admin": 302}, denied={"public": 302, "institute_user": 404}),
    AccessCase("demands:review_queue", allowed={"bureau_officer": 200, "broker": 200},
               denied={"public": 302, "org_admin": 403, "expert": 403}),
    AccessCase("demands:challenge_candidates", allowed={"bureau_officer": 200, "bureau_admin": 200},
               denied={"public": 302, "broker": 403, "org_admin": 403}),
]


@pytest.mark.parametrize(("case", "persona", "status"), access_params(ACCESS_CASES))
def test_access(case, persona, status, world, client_for):
    check_access(client_for, world, case, persona, status)
