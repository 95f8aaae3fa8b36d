"""docs/roles.md is the role x action matrix; this test checks every cell of it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from kechuang.accounts import policies
from kechuang.achievements import policies as achievement_policies
from kechuang.challenges import policies as challenge_policies
from kechuang.challenges.models import Challenge
from kechuang.core import policies as core_policies
from kechuang.core.testing import PERSONAS
from kechuang.demands import policies as demand_policies
from kechuang.experts import policies as expert_policies
from kechuang.instruments import policies as instrument_policies
from kechuang.instruments.models import Instrument
from kechuang.matching import policies as matching_policies
from kechuang.programs import policies as program_policies
from kechuang.vouchers import policies as voucher_policies

MATRIX = Path(settings.BASE_DIR) / "docs" / "roles.md"


def signed_in(user, world):
    return user.is_authenticated


ACTIONS = {
    "browse_portal": lambda user, world: True,
    "register_organization": lambda user, world: policies.can_register_organization(user),
    "view_own_organization": lambda user, world: user.is_authenticated
    and policies.organizations_visible_to(user).filter(pk=user.organization.pk).exists(),
    "view_other_organization": lambda user, world: policies.organizations_visible_to(user)
    .filter(pk=world.orgs.pending.pk).exists(),
    "view_other_contact_phone": lambda user, world: policies.can_view_contact_details(user, world.orgs.pending),
    "download_other_documents": lambda user, world: policies.can_view_organization_files(user, world.orgs.pending),
    "view_verification_queue": lambda user, world: policies.can_view_verification_queue(user),
    "verify_organization": lambda user, world: policies.can_verify_organization(user, world.orgs.pending),
    "manage_members": lambda user, world: user.is_authenticated
    and policies.can_manage_members(user, user.organization),
    "assign_roles": lambda user, world: policies.can_assign_roles(user),
    "view_audit_log": lambda user, world: core_policies.can_view_audit_log(user),
    "edit_reference_data": lambda user, world: core_policies.can_edit_reference_data(user),
    "use_own_account": signed_in,
    "manage_own_tokens": signed_in,
    "browse_libraries": lambda user, world: library_records(world)["published"] in achievement_policies
    .achievements_visible_to(user),
    "see_library_contacts": lambda user, world: achievement_policies.can_view_contact(
        user, library_records(world)["published"]),
    "register_achievement": lambda user, world: achievement_policies.can_create_achievement(user),
    "edit_other_achievement": lambda user, world: achievement_policies.can_edit_achievement(
        user, library_records(world)["foreign_draft"]),
    "review_library_submissions": lambda user, world: achievement_policies.can_review_achievement(
        user, library_records(world)["submitted"]) and demand_policies.can_review_demand(
        user, library_records(world)["submitted_demand"]),
    "post_demand": lambda user, world: demand_policies.can_create_demand(user),
    "read_confidential_demand": lambda user, world: demand_policies.can_view_full_demand(
        user, library_records(world)["confidential_demand"]),
    "mark_challenge_candidate": lambda user, world: demand_policies.can_mark_challenge_candidate(
        user, library_records(world)["confidential_demand"]),
    "view_registration_report": lambda user, world: achievement_policies.can_view_registration_report(user),
    "import_library": lambda user, world: achievement_policies.can_import_achievements(user),
    "find_solution": lambda user, world: True,
    "see_matches_of_others": lambda user, world: matching_policies.can_see_matches_of_demand(
        user, library_records(world)["confidential_demand"]) and matching_policies.can_see_matches_of_achievement(
        user, library_records(world)["published"]),
    "express_intent": lambda user, world: can_express_intent_on_own_record(user, world),
    "view_others_case": lambda user, world: matching_policies.cases_visible_to(user).filter(
        pk=foreign_case(world).pk).exists(),
    "assign_case": lambda user, world: matching_policies.can_assign_case(user, foreign_case(world)),
    "use_broker_queue": lambda user, world: matching_policies.is_broker(user),
    "view_matching_overview": lambda user, world: core_policies.is_bureau_staff(user),
    "edit_specialist_profile": lambda user, world: expert_policies.can_edit_own_profile(user),
    "apply_to_call": lambda user, world: program_policies.can_apply(user, programme_records(world)["call"]),
    "manage_programmes": lambda user, world: program_policies.can_manage_programmes(user)
    and program_policies.can_check_eligibility(user, programme_records(world)["application"]),
    "manage_challenges": lambda user, world: challenge_policies.can_manage_challenges(user)
    and challenge_policies.can_edit_challenge(user, Challenge(status="draft"))
    and challenge_policies.can_run_race(user, Challenge(status="racing")),
    "view_other_application": lambda user, world: program_policies.applications_visible_to(user).filter(
        pk=programme_records(world)["application"].pk).exists(),
    "declare_conflicts": lambda user, world: expert_policies.can_declare_conflicts(user),
    "view_other_project": lambda user, world: program_policies.projects_visible_to(user).filter(
        pk=programme_records(world)["project"].pk).exists(),
    "register_instrument": lambda user, world: instrument_policies.can_manage_instrument(user),
    "book_instrument": lambda user, world: instrument_policies.can_request(
        user, Instrument(owner=world.orgs.institute, status="available")),
    "issue_voucher": lambda user, world: voucher_policies.can_decide_voucher(user),
    "review_settlement": lambda user, world: voucher_policies.can_review_settlement(user),
}


def programme_records(world) -> dict:
    """An open call, and a submitted application and a project of an organisation no persona
    belongs to."""
    if not hasattr(world, "programmes"):
        from datetime import date, timedelta

        from django.utils import timezone

        from kechuang.achievements.models import FundedProject
        from kechuang.programs.models import Application, Call, Programme, Project

        now = timezone.now()
        programme = Programme.objects.create(name="面上项目", kind="nsf_research")
        call = Call.objects.create(programme=programme, title="开放批次", year=2027, budget=100,
                                   opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=10),
                                   status="published")
        common = {"call": call, "organization": world.orgs.pending, "applicant": world.users.applicant,
                  "summary": "摘要", "requested_amount": 10}
        application = Application.objects.create(title="外单位申报", status="submitted", **common)
        awarded = Application.objects.create(title="外单位项目", status="awarded", awarded_amount=10, **common)
        funded = FundedProject.objects.create(reference="X-1", title="外单位项目", organization=world.orgs.pending,
                                              year=2027)
        project = Project.objects.create(application=awarded, funded_project=funded, amount=10,
                                         starts_on=date(2027, 1, 1), ends_on=date(2028, 12, 31))
        world.programmes = {"call": call, "application": application, "project": project}
    return world.programmes


def can_express_intent_on_own_record(user, world) -> bool:
    """Intent on a pair of which the persona's organisation owns one side (a published demand or
    achievement of its own, made here), the other side belonging to an outside organisation."""
    from kechuang.achievements.models import Achievement
    from kechuang.demands.models import Demand

    if not user.is_authenticated or user.organization is None:
        return False
    records = library_records(world)
    own_demand = Demand(title="本单位需求", public_summary="摘要", owner=user.organization, status="published")
    own_achievement = Achievement(name="本单位成果", summary="简介", owner=user.organization, status="published")
    return (matching_policies.can_express_intent(user, own_demand, records["published"])
            or matching_policies.can_express_intent(user, records["confidential_demand"], own_achievement))


def foreign_case(world):
    """A matchmaking case between two organisations no persona belongs to."""
    if not hasattr(world, "foreign_case"):
        from kechuang.accounts.tests.factories import OrganizationFactory
        from kechuang.achievements.models import Achievement
        from kechuang.matching.models import Matchmaking

        outsider = OrganizationFactory(name="外部研究所", kind="institute")
        achievement = Achievement.objects.create(name="外部成果", summary="简介", owner=outsider, status="published")
        initiator = outsider.memberships.first().user if outsider.memberships.exists() else world.users.applicant
        world.foreign_case = Matchmaking.objects.create(
            demand=library_records(world)["confidential_demand"], achievement=achievement, initiated_by=initiator,
            initiator_side="supply", status="accepted")
    return world.foreign_case


def library_records(world) -> dict:
    """Records of organisations that no persona belongs to, made once per world."""
    if not hasattr(world, "library"):
        from kechuang.achievements.models import Achievement
        from kechuang.demands.models import Demand

        other = world.orgs.pending  # nobody but its applicant belongs to it
        common = {"owner": other, "summary": "简介"}
        world.library = {
            "published": Achievement.objects.create(name="已发布", status="published", **common),
            "foreign_draft": Achievement.objects.create(name="草稿", status="draft", **common),
            "submitted": Achievement.objects.create(name="待审", status="submitted", **common),
            "submitted_demand": Demand.objects.create(title="待审需求", public_summary="摘要", owner=other,
                                                      status="submitted"),
            "confidential_demand": Demand.objects.create(title="保密需求", public_summary="摘要", owner=other,
                                                         status="published", confidential=True),
        }
    return world.library


def read_matrix():
    rows = {}
    header = None
    for line in MATRIX.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|") or line.startswith("|---"):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if header is None:
            header = cells[1:]
            continue
        action = re.search(r"`(\w+)`", cells[0]).group(1)
        rows[action] = dict(zip(header, (cell == "✓" for cell in cells[1:]), strict=True))
    assert tuple(header) == PERSONAS
    return rows


def cells():
    return [pytest.param(action, persona, allowed, id=f"{action}-{persona}")
            for action, row in read_matrix().items() for persona, allowed in row.items()]


def test_the_matrix_names_exactly_the_checked_actions():
    assert set(read_matrix()) == set(ACTIONS)


@pytest.mark.parametrize(("action", "persona", "allowed"), cells())
def test_matrix_cell(action, persona, allowed, world):
    user = AnonymousUser() if persona == "public" else getattr(world.users, persona)
    assert bool(ACTIONS[action](user, world)) is allowed
