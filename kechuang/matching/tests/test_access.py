import pytest

from kechuang.achievements.choices import AchievementStatus
from kechuang.achievements.tests.factories import make_achievement
from kechuang.core.testing import SIGNED_IN_PERSONAS, AccessCase, access_params, check_access
from kechuang.demands.choices import DemandStatus
from kechuang.demands.tests.factories import make_demand
from kechuang.matching import services

JSON = "application/json"


def demand(world):
    return [make_demand(world, status=DemandStatus.PUBLISHED).pk]


def achievement(world):
    return [make_achievement(world, status=AchievementStatus.PUBLISHED).pk]


def pair(world):
    return [*demand(world), *achievement(world)]


def case(world):
    """An intent of the enterprise on the institute's achievement."""
    demand_pk, achievement_pk = pair(world)
    from kechuang.achievements.models import Achievement
    from kechuang.demands.models import Demand

    opened = services.case_open(by=world.users.org_admin, demand=Demand.objects.get(pk=demand_pk),
                                achievement=Achievement.objects.get(pk=achievement_pk))
    return [opened.pk]


PARTIES = {"org_admin": 200, "institute_user": 200, "bureau_officer": 200}
OUTSIDERS = {"expert": 404, "broker": 404}

ACCESS_CASES = [
    AccessCase("matching:find_solution", allowed={"public": 200, "org_admin": 200}, denied={}),
    AccessCase("matching:recommended", allowed={"org_admin": 200, "expert": 200}, denied={"public": 302}),
    AccessCase("matching:demand_matches", args=demand,
               allowed={"org_admin": 200, "broker": 200, "bureau_officer": 200},
               denied={"public": 302, "institute_user": 404, "expert": 404}),
    AccessCase("matching:achievement_demands", args=achievement,
               allowed={"institute_user": 200, "broker": 200, "bureau_officer": 200},
               denied={"public": 302, "org_admin": 404, "expert": 404}),
    AccessCase("matching:feedback", method="post",
               data=lambda w: {"source": "demand:1", "target": "achievement:1", "useful": "1"},
               allowed={"org_admin": 302}, denied={"public": 302}),
    AccessCase("matching:intent", method="post", args=pair, allowed={"org_admin": 302, "institute_user": 302},
               denied={"public": 302, "expert": 404, "broker": 404, "bureau_officer": 404}),
    AccessCase("matching:cases", allowed=dict.fromkeys(SIGNED_IN_PERSONAS, 200), denied={"public": 302}),
    AccessCase("matching:broker_queue", allowed={"broker": 200},
               denied={"public": 302, "org_admin": 403, "bureau_officer": 403}),
    AccessCase("matching:case_detail", args=case, allowed=PARTIES, denied={"public": 302, **OUTSIDERS}),
    AccessCase("matching:case_action", method="post", args=lambda w: [*case(w), "accept"],
               allowed={"institute_user": 302}, denied={"public": 302, **OUTSIDERS}),
    AccessCase("matching:overview", allowed={"bureau_officer": 200, "bureau_admin": 200},
               denied={"public": 302, "broker": 403, "org_admin": 403}),
    AccessCase("matching:rebuild", method="post", allowed={"bureau_admin": 302},
               denied={"public": 302, "broker": 403, "org_admin": 403}),
    AccessCase("experts:edit_own", args=lambda w: ["expert"], allowed={"expert": 200},
               denied={"public": 302, "broker": 404, "org_admin": 403}),
    AccessCase("experts:detail", args=lambda w: [services_profile(w)], allowed={"org_admin": 200, "expert": 200},
               denied={"public": 302}),
    AccessCase("api:matching_demand", args=demand, allowed={"org_admin": 200, "broker": 200},
               denied={"public": 401, "institute_user": 404}),
    AccessCase("api:matching_demand_specialists", args=demand, allowed={"org_admin": 200},
               denied={"public": 401, "expert": 404}),
    AccessCase("api:matching_achievement", args=achievement, allowed={"institute_user": 200},
               denied={"public": 401, "org_admin": 404}),
    AccessCase("api:matching_solutions", data=lambda w: {"q": "锂电池热失控预警"}, allowed={"public": 200},
               denied={}),
    AccessCase("api:matching_feedback", method="post", content_type=JSON,
               data=lambda w: {"source": "demand:1", "target": "achievement:2", "useful": False},
               allowed={"org_admin": 204}, denied={"public": 401}),
    AccessCase("api:matching_cases", allowed={"org_admin": 200}, denied={"public": 401}),
    AccessCase("api:matching_case_open", method="post", content_type=JSON,
               data=lambda w: dict(zip(("demand_id", "achievement_id"), pair(w), strict=True)),
               allowed={"org_admin": 201}, denied={"public": 401, "expert": 403}),
    AccessCase("api:matching_case", args=case, allowed={"institute_user": 200}, denied={"public": 401, "expert": 404}),
    AccessCase("api:matching_case_accept", method="post", args=case, allowed={"institute_user": 200},
               denied={"public": 401, "org_admin": 403, "expert": 404}),
    AccessCase("api:matching_case_decline", method="post", args=case, content_type=JSON,
               data=lambda w: {"reason": "方向不符"}, allowed={"institute_user": 200},
               denied={"public": 401, "org_admin": 403, "expert": 404}),
    AccessCase("api:matching_case_assign", method="post", args=case, content_type=JSON,
               data=lambda w: {"broker_id": w.users.broker.pk}, allowed={"bureau_officer": 200},
               denied={"public": 401, "org_admin": 403, "expert": 404}),
    AccessCase("api:matching_case_note", method="post", args=case, content_type=JSON,
               data=lambda w: {"text": "电话沟通"}, allowed={"org_admin": 201},
               denied={"public": 401, "expert": 404}),
    AccessCase("api:matching_case_sign", method="post", args=case, content_type=JSON,
               data=lambda w: {"amount": "10", "signed_on": "2026-11-01"}, allowed={"org_admin": 409},
               denied={"public": 401, "expert": 404}),
    AccessCase("api:matching_case_close", method="post", args=case, content_type=JSON,
               data=lambda w: {"reason": "暂缓"}, allowed={"org_admin": 200},
               denied={"public": 401, "expert": 404}),
]


def services_profile(world):
    from kechuang.experts.services import profile_save

    return profile_save(by=world.users.expert, kind="expert", data={"display_name": "孙教授",
                                                                   "expertise": "电池安全"}).pk


@pytest.mark.parametrize(("case", "persona", "status"), access_params(ACCESS_CASES))
def test_access(case, persona, status, world, client_for):
    check_access(client_for, world, case, persona, status)
