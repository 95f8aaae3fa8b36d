"""The move out of `programs` (ADR 16) keeps a database's challenges: rows written under the last
schema of programs are there after the migration, on tables, range checks and content types that
carry this app's name, and the database still refuses out-of-range values. Run on SQLite and, in
the PostgreSQL pass, on PostgreSQL."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from kechuang.challenges.models import Challenge, ChallengeList, StageAssessment
from kechuang.demands.choices import DemandStatus
from kechuang.demands.tests.factories import make_demand
from kechuang.programs.tests.factories import make_application, make_call

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BEFORE = [("programs", "0004_ranges"), ("challenges", None)]
MODELS = (ChallengeList, Challenge, StageAssessment)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def constraint_names(table):
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


@pytest.fixture
def before_the_move(reference_data):
    migrate(BEFORE)
    yield MigrationExecutor(connection).loader.project_state([("programs", "0004_ranges")]).apps
    migrate(latest())   # also when the test failed: the tests after it need today's schema


def test_the_rows_move_with_their_tables_and_checks(world, before_the_move):
    officer, setter = world.users.bureau_officer, world.orgs.enterprise
    demand = make_demand(world, status=DemandStatus.PUBLISHED)
    call = make_call()
    first, second = (make_application(call, member, submit=True) for member in (
        world.users.enterprise_user, world.users.institute_user))
    old = before_the_move
    challenge_list = old.get_model("programs", "ChallengeList").objects.create(
        year=2027, quarter=1, published_at=timezone.now(), created_by_id=officer.pk)
    challenge = old.get_model("programs", "Challenge").objects.create(
        challenge_list=challenge_list, demand_id=demand.pk, call_id=call.pk, setter_id=setter.pk, goals="目标",
        budget=Decimal("500"), deadline=date(2027, 6, 30), max_teams=2, phase_one_amount=Decimal("100"), phases=2,
        current_phase=1, status="racing")
    assessment = old.get_model("programs", "StageAssessment").objects.create(
        challenge=challenge, phase=1, application_id=second.pk, decision="merge", merged_into_id=first.pk,
        note="二队并入一队", assessed_by_id=officer.pk)

    migrate(latest())

    moved = Challenge.objects.get(pk=challenge.pk)
    assert (moved.challenge_list.year, moved.challenge_list.quarter, moved.demand, moved.call, moved.setter) == (
        2027, 1, demand, call, setter)
    assert (moved.budget, moved.phase_one_amount, moved.max_teams, moved.current_phase, moved.status) == (
        Decimal("500"), Decimal("100"), 2, 1, "racing")
    assert list(StageAssessment.objects.values_list("pk", "challenge", "application", "merged_into", "note")) == [
        (assessment.pk, challenge.pk, second.pk, first.pk, "二队并入一队")]
    assert call.challenge == moved and demand.challenge == moved
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    assert {model._meta.db_table for model in MODELS} == {
        "challenges_challengelist", "challenges_challenge", "challenges_stageassessment"} <= tables
    assert not {"programs_challengelist", "programs_challenge", "programs_stageassessment"} & tables
    for model in MODELS:
        declared = {constraint.name for constraint in model._meta.constraints}
        found = constraint_names(model._meta.db_table)
        assert declared <= found, declared - found
        assert not {name for name in found if name.startswith("programs_") and name.endswith("_range")}
    assert set(ContentType.objects.filter(model__in=["challengelist", "challenge", "stageassessment"])
               .values_list("app_label", flat=True)) == {"challenges"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Challenge.objects.filter(pk=moved.pk).update(max_teams=21)
    assert Challenge.objects.get(pk=moved.pk).max_teams == 2
