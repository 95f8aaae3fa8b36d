import pytest

from kechuang.achievements.choices import AchievementStatus
from kechuang.achievements.tests.factories import make_achievement
from kechuang.core.testing import SIGNED_IN_PERSONAS, AccessCase, access_params, check_access

SIGNED_IN = dict.fromkeys(SIGNED_IN_PERSONAS, 200)


def published(world):
    return [make_achievement(world, status=AchievementStatus.PUBLISHED).pk]


def draft(world):
    return [make_achievement(world).pk]


def submitted(world):
    return [make_achievement(world, status=AchievementStatus.SUBMITTED).pk]


JSON = "application/json"
NEW = {"name": "接口登记的成果", "summary": "通过 API 登记。", "form": "product"}

ACCESS_CASES = [
    AccessCase("achievements:portal", allowed={"public": 200, "expert": 200, "bureau_admin": 200}, denied={}),
    AccessCase("achievements:detail", args=published, allowed={"public": 200, "enterprise_user": 200}, denied={}),
    AccessCase("achievements:detail", args=draft, allowed={"institute_user": 200, "provider": 200},
               denied={"public": 404, "enterprise_user": 404, "bureau_officer": 404, "broker": 404}),
    AccessCase("achievements:mine", allowed=SIGNED_IN, denied={"public": 302}),
    AccessCase("achievements:create", allowed={"institute_user": 200, "org_admin": 200, "expert": 200},
               denied={"public": 302}),
    AccessCase("achievements:edit", args=draft, allowed={"institute_user": 200},
               denied={"public": 302, "enterprise_user": 404, "bureau_officer": 404}),
    AccessCase("achievements:history", args=published, allowed={"institute_user": 200, "bureau_officer": 200},
               denied={"public": 302, "enterprise_user": 404, "broker": 404}),
    AccessCase("achievements:attach", method="post", args=draft, allowed={"institute_user": 302},
               denied={"public": 302, "enterprise_user": 404}),
    AccessCase("achievements:transition", method="post", args=lambda w: [*submitted(w), "publish"],
               allowed={"bureau_officer": 302, "broker": 302}, denied={"public": 302, "enterprise_user": 404}),
    AccessCase("achievements:review_queue", allowed={"bureau_officer": 200, "broker": 200},
               denied={"public": 302, "enterprise_user": 403, "institute_user": 403, "expert": 403}),
    AccessCase("api:achievement_search", allowed={"public": 200, "expert": 200}, denied={}),
    AccessCase("api:achievement_detail", args=published, allowed={"public": 200}, denied={}),
    AccessCase("api:achievement_detail", args=draft, allowed={"institute_user": 200},
               denied={"public": 404, "enterprise_user": 404}),
    AccessCase("api:achievement_create", method="post", content_type=JSON, data=lambda w: NEW,
               allowed={"institute_user": 201}, denied={"public": 401}),
    AccessCase("api:achievement_update", method="put", args=draft, content_type=JSON, data=lambda w: NEW,
               allowed={"institute_user": 200}, denied={"public": 401, "enterprise_user": 404,
                                                        "bureau_officer": 404}),
    AccessCase("api:achievement_transition", method="post", args=lambda w: [*submitted(w), "publish"],
               allowed={"bureau_officer": 200}, denied={"public": 401, "enterprise_user": 404,
                                                        "institute_user": 403}),
    AccessCase("api:achievement_return", method="post", args=submitted, content_type=JSON,
               data=lambda w: {"reason": "请补充专利号"}, allowed={"broker": 200},
               denied={"public": 401, "expert": 404}),
    AccessCase("api:achievement_import", method="post", allowed={"institute_user": 422},
               denied={"public": 401}),
    AccessCase("achievements:registration_report", allowed={"bureau_officer": 200, "bureau_admin": 200},
               denied={"public": 302, "institute_user": 403, "broker": 403}),
]


@pytest.mark.parametrize(("case", "persona", "status"), access_params(ACCESS_CASES))
def test_access(case, persona, status, world, client_for):
    check_access(client_for, world, case, persona, status)
