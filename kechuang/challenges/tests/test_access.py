from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.challenges import services
from kechuang.challenges.models import Challenge
from kechuang.core.testing import AccessCase, access_params, check_access
from kechuang.demands.choices import DemandStatus
from kechuang.demands.tests.factories import make_demand


def challenge(world, publish=True):
    demand = make_demand(world, status=DemandStatus.PUBLISHED, deadline=timezone.localdate() + timedelta(days=20))
    demand.challenge_candidate = True
    demand.save()
    challenge_list = services.challenge_list_build(by=world.users.bureau_officer, year=2027, quarter=1)
    if publish:
        services.challenge_list_publish(by=world.users.bureau_officer, challenge_list=challenge_list)
    return [challenge_list.challenges.get().pk]


def draft_challenge(world):
    return challenge(world, publish=False)


def challenge_list(world):
    return [Challenge.objects.get(pk=draft_challenge(world)[0]).challenge_list_id]


STAFF = {"bureau_officer": 200, "bureau_admin": 200}
NOT_STAFF = {"public": 302, "org_admin": 403, "expert": 403, "broker": 403}

ACCESS_CASES = [
    AccessCase("challenges:lists", allowed={"public": 200, "bureau_officer": 200}, denied={}),
    AccessCase("challenges:detail", args=challenge, allowed={"public": 200, "enterprise_user": 200},
               denied={}),
    AccessCase("challenges:manage", allowed=STAFF, denied=NOT_STAFF),
    AccessCase("challenges:edit", args=draft_challenge, allowed=STAFF, denied=NOT_STAFF),
    AccessCase("challenges:list_publish", method="post", args=challenge_list,
               allowed={"bureau_officer": 302}, denied=NOT_STAFF),
    AccessCase("challenges:race", method="post", args=lambda w: [*challenge(w), "select"],
               allowed={"bureau_officer": 302}, denied=NOT_STAFF),
]


@pytest.mark.parametrize(("case", "persona", "status"), access_params(ACCESS_CASES))
def test_access(case, persona, status, world, client_for):
    check_access(client_for, world, case, persona, status)


def test_a_draft_challenge_is_invisible_to_the_public(client_for, world):
    pk = draft_challenge(world)[0]
    assert client_for("public").get(reverse("challenges:detail", args=[pk])).status_code == 404
    assert client_for("enterprise_user").get(reverse("challenges:lists")).content.decode().count(
        "揭榜挂帅：") == 0
    assert client_for("bureau_officer").get(reverse("challenges:detail", args=[pk])).status_code == 200
