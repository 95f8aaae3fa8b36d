from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kechuang.core.errors import TransitionNotAllowed
from kechuang.core.models import AuditEvent, Notification
from kechuang.demands import services
from kechuang.demands.choices import DemandStatus as Status
from kechuang.demands.models import Demand
from kechuang.demands.selectors import DemandSearchParams, demand_search
from kechuang.demands.tests.factories import make_demand


def status_of(demand):
    return Demand.objects.get(pk=demand.pk).status


def test_the_whole_lifecycle(world):
    demand = make_demand(world)
    services.demand_submit(demand=demand, by=world.users.org_admin)
    services.demand_publish(demand=demand, by=world.users.broker)
    services.demand_start_matchmaking(demand=demand, by=world.users.broker)
    services.demand_solve(demand=demand, by=world.users.enterprise_user)
    assert status_of(demand) == Status.SOLVED
    assert [e.action for e in AuditEvent.objects.filter(object_type="demands.demand")] == [
        "demand.created", "demand.submit", "demand.publish", "demand.start_matchmaking", "demand.solve"]


@pytest.mark.parametrize(("start", "action", "persona"), [
    (Status.DRAFT, "publish", "bureau_officer"),
    (Status.SOLVED, "withdraw", "org_admin"),
    (Status.EXPIRED, "start_matchmaking", "org_admin"),
    (Status.SUBMITTED, "solve", "org_admin"),
])
def test_transitions_outside_the_table_change_nothing(world, start, action, persona):
    demand = make_demand(world, status=start)
    events = AuditEvent.objects.count()
    with pytest.raises((TransitionNotAllowed, PermissionDenied)):
        getattr(services, f"demand_{action}")(demand=demand, by=getattr(world.users, persona))
    assert status_of(demand) == start and AuditEvent.objects.count() == events


@pytest.mark.parametrize(("start", "action", "persona"), [
    (Status.DRAFT, "submit", "institute_user"),
    (Status.SUBMITTED, "publish", "org_admin"),       # its own demand
    (Status.SUBMITTED, "publish", "expert"),
    (Status.PUBLISHED, "withdraw", "bureau_officer"),
    (Status.PUBLISHED, "solve", "broker"),
])
def test_roles_that_may_not_act_change_nothing(world, start, action, persona):
    demand = make_demand(world, status=start)
    with pytest.raises(PermissionDenied):
        getattr(services, f"demand_{action}")(demand=demand, by=getattr(world.users, persona))
    assert status_of(demand) == start


def test_daily_task_expires_overdue_demands(world):
    from kechuang.demands.tasks import expire_overdue_demands

    overdue = make_demand(world, status=Status.PUBLISHED, deadline=date.today() - timedelta(days=1))
    in_matchmaking = make_demand(world, status=Status.MATCHMAKING, deadline=date.today() - timedelta(days=3))
    current = make_demand(world, status=Status.PUBLISHED, deadline=date.today() + timedelta(days=1))
    draft = make_demand(world, deadline=date.today() - timedelta(days=1))
    result = expire_overdue_demands.enqueue()
    assert result.return_value == 2
    assert [status_of(d) for d in (overdue, in_matchmaking, current, draft)] == [
        Status.EXPIRED, Status.EXPIRED, Status.PUBLISHED, Status.DRAFT]
    assert Notification.objects.filter(recipient=world.users.org_admin, title__startswith="您的需求已过期").count() == 2
    assert demand_search(world.users.bureau_officer, DemandSearchParams(query="热失控")).page.paginator.count == 1


def test_officer_marks_a_challenge_candidate_with_a_reason(world, client_for):
    demand = make_demand(world, status=Status.PUBLISHED)
    with pytest.raises(ValidationError):
        services.demand_mark_challenge_candidate(demand=demand, by=world.users.bureau_officer, reason="")
    client_for("broker").post(f"/demands/{demand.pk}/challenge-candidate/", {"reason": "想上榜"})
    assert not Demand.objects.get(pk=demand.pk).challenge_candidate
    client_for("bureau_officer").post(f"/demands/{demand.pk}/challenge-candidate/", {"reason": "产业链共性难题"})
    demand.refresh_from_db()
    assert (demand.challenge_candidate, demand.challenge_reason, demand.challenge_marked_by) == (
        True, "产业链共性难题", world.users.bureau_officer)
    page = client_for("bureau_officer").get("/demands/challenge-candidates/").content.decode()
    assert demand.title in page


def test_confidential_details_are_for_institutions_brokers_and_the_bureau(world, client_for):
    demand = make_demand(world, status=Status.PUBLISHED, confidential=True,
                         description="核心工艺参数：正极掺杂比例0.8%，保密。")
    for persona, sees in [("public", False), ("enterprise_user", True), ("institute_user", True), ("broker", True),
                          ("bureau_officer", True), ("finance_officer", False), ("org_admin", True)]:
        html = client_for(persona).get(f"/demands/{demand.pk}/").content.decode()
        assert ("正极掺杂比例" in html) is sees, persona
    # An enterprise member of another company is not an institution.
    other = world.orgs.pending
    assert demand.owner != other
    # The confidential details are not in the search index either.
    assert demand_search(world.users.bureau_officer, DemandSearchParams(query="掺杂")).page.paginator.count == 0


def test_budget_range_must_be_ordered(world):
    with pytest.raises(ValidationError) as error:
        make_demand(world, budget_min=50, budget_max=10)
    assert "budget_max" in error.value.message_dict


def test_only_enterprises_post_demands(world):
    with pytest.raises(PermissionDenied):
        services.demand_create(by=world.users.institute_user, data={"title": "x", "public_summary": "y"})
    assert not Demand.objects.exists()


def test_the_daily_command_enqueues_the_expiry(world, capsys):
    from django.core.management import call_command

    overdue = make_demand(world, status=Status.PUBLISHED, deadline=date.today() - timedelta(days=2))
    call_command("daily_tasks")
    assert status_of(overdue) == Status.EXPIRED
    assert "expire_overdue_demands" in capsys.readouterr().out
