"""Matchmaking cases: intent -> answer -> broker -> notes -> contract or closure, audited."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kechuang.core.errors import DomainError
from kechuang.core.models import AuditEvent
from kechuang.matching import selectors, services
from kechuang.matching.choices import CaseStatus, EventKind, Side
from kechuang.matching.models import Matchmaking


@pytest.fixture
def case(world, market):
    return services.case_open(by=world.users.org_admin, demand=market.demand, achievement=market.battery,
                              message="希望尽快面谈")


def actions(case):
    return list(AuditEvent.objects.filter(object_id=str(case.pk), action__startswith="matchmaking.")
                .order_by("pk").values_list("action", flat=True))


def test_the_whole_path_to_a_signed_contract_is_recorded(world, case):
    assert case.initiator_side == Side.DEMAND and case.status == CaseStatus.INTENT
    services.case_accept(case=case, by=world.users.institute_user)
    services.case_assign(case=case, by=world.users.broker, broker=world.users.broker)
    meeting = services.case_add_note(case=case, by=world.users.broker, text="双方技术负责人见面",
                                     meeting_at=timezone.now(), location="科技大厦")
    assert meeting.kind == EventKind.MEETING
    services.case_sign(case=case, by=world.users.broker, amount=Decimal("120.00"), signed_on=date.today())
    case.refresh_from_db()
    assert (case.status, case.contract_amount, case.broker) == (CaseStatus.SIGNED, Decimal("120.00"),
                                                               world.users.broker)
    assert list(case.events.values_list("kind", flat=True)) == ["intent", "accepted", "assigned", "meeting", "signed"]
    assert actions(case) == ["matchmaking.intent", "matchmaking.accept", "matchmaking.assigned",
                             "matchmaking.meeting", "matchmaking.sign"]


def test_the_initiator_cannot_accept_its_own_intent(world, case):
    with pytest.raises(PermissionDenied):
        services.case_accept(case=case, by=world.users.enterprise_user)
    case.refresh_from_db()
    assert case.status == CaseStatus.INTENT and actions(case) == ["matchmaking.intent"]


def test_decline_needs_a_reason_and_ends_the_case(world, case):
    with pytest.raises(ValidationError):
        services.case_decline(case=case, by=world.users.institute_user, reason=" ")
    services.case_decline(case=case, by=world.users.institute_user, reason="技术路线不符")
    case.refresh_from_db()
    assert case.status == CaseStatus.DECLINED and case.close_reason == "技术路线不符"
    with pytest.raises(PermissionDenied):  # a closed case takes no more outcomes
        services.case_sign(case=case, by=world.users.org_admin, amount=Decimal(1), signed_on=date.today())


def test_one_open_case_per_pair(world, market, case):
    with pytest.raises(DomainError):
        services.case_open(by=world.users.institute_user, demand=market.demand, achievement=market.battery)
    with pytest.raises(IntegrityError), transaction.atomic():
        Matchmaking.objects.create(demand=market.demand, achievement=market.battery, initiated_by=world.users.org_admin,
                                   initiator_side=Side.DEMAND)
    services.case_close(case=case, by=world.users.org_admin, reason="需求调整")
    again = services.case_open(by=world.users.institute_user, demand=market.demand, achievement=market.battery)
    assert again.initiator_side == Side.SUPPLY


def test_outsiders_cannot_open_a_case(world, market):
    for persona in ("expert", "broker", "bureau_officer"):
        with pytest.raises(PermissionDenied):
            services.case_open(by=getattr(world.users, persona), demand=market.demand, achievement=market.battery)
    assert not Matchmaking.objects.exists()


def test_contract_needs_a_positive_amount_and_a_past_date(world, case):
    services.case_accept(case=case, by=world.users.institute_user)
    with pytest.raises(ValidationError) as error:
        services.case_sign(case=case, by=world.users.org_admin, amount=Decimal(0),
                           signed_on=date.today() + timedelta(days=1))
    assert set(error.value.message_dict) == {"amount", "signed_on"}
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED and case.contract_amount is None


def test_only_the_bureau_assigns_and_only_brokers_are_assigned(world, case):
    with pytest.raises(PermissionDenied):
        services.case_assign(case=case, by=world.users.org_admin, broker=world.users.broker)
    with pytest.raises(ValidationError):
        services.case_assign(case=case, by=world.users.bureau_officer, broker=world.users.expert)
    services.case_assign(case=case, by=world.users.bureau_officer, broker=world.users.broker,
                         officer=world.users.bureau_officer)
    case.refresh_from_db()
    assert (case.broker, case.officer) == (world.users.broker, world.users.bureau_officer)


def test_each_party_sees_only_its_own_cases(world, case, client_for):
    url = reverse("matching:case_detail", args=[case.pk])
    for persona in ("org_admin", "institute_user", "bureau_officer"):
        assert client_for(persona).get(url).status_code == 200
    for persona in ("expert", "broker"):  # the broker sees a case only once accepted or assigned
        assert client_for(persona).get(url).status_code == 404
    assert list(selectors.my_cases(world.users.expert)) == []


def test_broker_queue_offers_accepted_unassigned_cases_then_their_own(world, case, client_for):
    assert list(selectors.broker_queue(world.users.broker)) == []
    services.case_accept(case=case, by=world.users.institute_user)
    assert list(selectors.broker_queue(world.users.broker)) == [case]
    client = client_for("broker")
    assert client.post(reverse("matching:case_action", args=[case.pk, "claim"])).status_code == 302
    case.refresh_from_db()
    assert case.broker == world.users.broker
    page = client.get(reverse("matching:broker_queue")).content.decode()
    assert case.demand.title in page


def test_case_pages_drive_the_flow(world, market, client_for):
    client = client_for("org_admin")
    response = client.post(reverse("matching:intent", args=[market.demand.pk, market.battery.pk]),
                           {"message": "请联系"})
    case = Matchmaking.objects.get()
    assert response["Location"] == reverse("matching:case_detail", args=[case.pk])
    client = client_for("institute_user")
    client.post(reverse("matching:case_action", args=[case.pk, "accept"]))
    client.post(reverse("matching:case_action", args=[case.pk, "note"]), {"text": "已寄送样品"})
    client.post(reverse("matching:case_action", args=[case.pk, "sign"]),
                {"amount": "35.5", "signed_on": date.today().isoformat()})
    case.refresh_from_db()
    assert case.status == CaseStatus.SIGNED and case.contract_amount == Decimal("35.50")
    page = client.get(reverse("matching:case_detail", args=[case.pk])).content.decode()
    assert "已寄送样品" in page and 'data-testid="contract"' in page
    # an outsider's POST is a 404 and changes nothing
    assert client_for("expert").post(reverse("matching:case_action", args=[case.pk, "close"]),
                                     {"reason": "x"}).status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.SIGNED


def test_a_broker_is_matched_with_the_cases_they_took(world, case, django_capture_on_commit_callbacks):
    from kechuang.experts.services import profile_save
    from kechuang.matching import index

    profile = profile_save(by=world.users.broker, kind="broker", data={"display_name": "周经纪",
                                                                       "expertise": "技术转移"})
    services.case_accept(case=case, by=world.users.institute_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_assign(case=case, by=world.users.broker, broker=world.users.broker)
    record = index.backend().record(index.record_key("broker", profile.pk))
    assert case.demand.title in record.text
