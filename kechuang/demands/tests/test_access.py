import pytest

from kechuang.core.testing import SIGNED_IN_PERSONAS, AccessCase, access_params, check_access
from kechuang.demands.choices import DemandStatus
from kechuang.demands.tests.factories import make_demand


def published(world):
    return [make_demand(world, status=DemandStatus.PUBLISHED).pk]


def draft(world):
    return [make_demand(world).pk]


JSON = "application/json"
NEW = {"title": "接口发布的需求", "public_summary": "通过 API 发布。"}


def submitted(world):
    return [make_demand(world, status=DemandStatus.SUBMITTED).pk]


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
    AccessCase("api:demand_search", allowed={"public": 200, "broker": 200}, denied={}),
    AccessCase("api:demand_detail", args=published, allowed={"public": 200}, denied={}),
    AccessCase("api:demand_detail", args=draft, allowed={"org_admin": 200},
               denied={"public": 404, "institute_user": 404}),
    AccessCase("api:demand_create", method="post", content_type=JSON, data=lambda w: NEW,
               allowed={"org_admin": 201}, denied={"public": 401, "institute_user": 403}),
    AccessCase("api:demand_update", method="put", args=draft, content_type=JSON, data=lambda w: NEW,
               allowed={"org_admin": 200}, denied={"public": 401, "institute_user": 404}),
    AccessCase("api:demand_transition", method="post", args=lambda w: [*submitted(w), "publish"],
               allowed={"bureau_officer": 200}, denied={"public": 401, "org_admin": 403, "institute_user": 404}),
    AccessCase("api:demand_reasoned_action", method="post", args=lambda w: [*published(w), "challenge-candidate"],
               content_type=JSON, data=lambda w: {"reason": "共性难题"}, allowed={"bureau_officer": 200},
               denied={"public": 401, "broker": 403}),
    AccessCase("api:demand_import", method="post", allowed={"org_admin": 422}, denied={"public": 401}),
    AccessCase("demands:challenge_candidates", allowed={"bureau_officer": 200, "bureau_admin": 200},
               denied={"public": 302, "broker": 403, "org_admin": 403}),
]


@pytest.mark.parametrize(("case", "persona", "status"), access_params(ACCESS_CASES))
def test_access(case, persona, status, world, client_for):
    check_access(client_for, world, case, persona, status)
