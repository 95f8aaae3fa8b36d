import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kechuang.achievements import services
from kechuang.achievements.choices import AchievementStatus as Status
from kechuang.achievements.models import Achievement, AchievementVersion
from kechuang.achievements.tests.factories import make_achievement
from kechuang.core.errors import TransitionNotAllowed
from kechuang.core.models import AuditEvent, Notification


def status_of(achievement):
    return Achievement.objects.get(pk=achievement.pk).status


def test_draft_to_published(world):
    achievement = make_achievement(world)
    assert [c.name for c in achievement.completers.all()] == ["刘洋", "王芳"]
    services.achievement_submit(achievement=achievement, by=world.users.institute_user)
    services.achievement_publish(achievement=achievement, by=world.users.bureau_officer)
    achievement.refresh_from_db()
    assert (achievement.status, achievement.version) == (Status.PUBLISHED, 1)
    assert achievement.published_at is not None
    assert list(AchievementVersion.objects.filter(achievement=achievement).values_list("number", flat=True)) == [1]
    assert [e.action for e in AuditEvent.objects.filter(object_type="achievements.achievement")] == [
        "achievement.created", "achievement.submitted", "achievement.published"]
    assert Notification.objects.filter(recipient=world.users.institute_user, title__contains="已发布").exists()


def test_return_needs_a_reason_the_owner_sees(world, client_for):
    achievement = make_achievement(world, status=Status.SUBMITTED)
    with pytest.raises(ValidationError):
        services.achievement_return(achievement=achievement, by=world.users.bureau_officer, reason=" ")
    assert status_of(achievement) == Status.SUBMITTED
    services.achievement_return(achievement=achievement, by=world.users.bureau_officer, reason="请补充专利号")
    page = client_for("institute_user").get(f"/achievements/{achievement.pk}/").content.decode()
    assert "请补充专利号" in page
    services.achievement_submit(achievement=achievement, by=world.users.institute_user)
    assert status_of(achievement) == Status.SUBMITTED


@pytest.mark.parametrize(("start", "action", "persona"), [
    (Status.DRAFT, "publish", "bureau_officer"),        # not submitted yet
    (Status.PUBLISHED, "submit", "institute_user"),      # already published
    (Status.WITHDRAWN, "withdraw", "institute_user"),
    (Status.SUBMITTED, "reopen", "institute_user"),
])
def test_transitions_outside_the_table_change_nothing(world, client_for, start, action, persona):
    achievement = make_achievement(world, status=start)
    events = AuditEvent.objects.count()
    client_for(persona).post(f"/achievements/{achievement.pk}/{action}/")
    assert status_of(achievement) == start
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(("action", "persona"), [
    ("submit", "enterprise_user"), ("publish", "institute_user"), ("publish", "enterprise_user"),
    ("publish", "expert"), ("withdraw", "broker"),
])
def test_roles_that_may_not_act_change_nothing(world, action, persona):
    start = {"submit": Status.DRAFT, "publish": Status.SUBMITTED, "withdraw": Status.PUBLISHED}[action]
    achievement = make_achievement(world, status=start)
    service = getattr(services, f"achievement_{action}")
    with pytest.raises((PermissionDenied, TransitionNotAllowed)):
        service(achievement=achievement, by=getattr(world.users, persona))
    assert status_of(achievement) == start


def test_owner_cannot_review_its_own_record(world):
    achievement = make_achievement(world, owner=world.orgs.transfer, status=Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.achievement_publish(achievement=achievement, by=world.users.broker)
    assert status_of(achievement) == Status.SUBMITTED


def test_editing_a_published_record_creates_a_version(world, client_for):
    achievement = make_achievement(world, status=Status.SUBMITTED)
    services.achievement_publish(achievement=achievement, by=world.users.bureau_officer)
    services.achievement_update(achievement=achievement, by=world.users.institute_user,
                                data={"summary": "新版简介：循环寿命提升到3000次。"})
    services.achievement_update(achievement=achievement, by=world.users.institute_user, data={"keywords": "电池"})
    achievement.refresh_from_db()
    assert achievement.version == 3
    versions = list(AchievementVersion.objects.filter(achievement=achievement).order_by("number"))
    assert [(v.number, v.changed_fields) for v in versions] == [(1, []), (2, ["summary"]), (3, ["keywords"])]
    assert versions[1].data["summary"] == "新版简介：循环寿命提升到3000次。"
    assert "13912345678" not in str(versions[1].data)
    history = client_for("bureau_officer").get(f"/achievements/{achievement.pk}/history/").content.decode()
    assert "summary" in history and "keywords" in history
    assert client_for("enterprise_user").get(f"/achievements/{achievement.pk}/history/").status_code == 404


def test_editing_a_draft_keeps_the_version(world):
    achievement = make_achievement(world)
    services.achievement_update(achievement=achievement, by=world.users.institute_user, data={"name": "新名称"})
    achievement.refresh_from_db()
    assert (achievement.name, achievement.version) == ("新名称", 1)
    assert not AchievementVersion.objects.filter(achievement=achievement).exists()


def test_patent_numbers_are_validated(world):
    with pytest.raises(ValidationError) as error:
        make_achievement(world, patent_numbers="ZL201710601862.4")
    assert "校验位" in str(error.value)
    achievement = make_achievement(world, patent_numbers="zl 201710601862.3\nCN112345678B\n95115608.X")
    assert achievement.patent_number_list == ["ZL201710601862.3", "CN112345678B", "95115608.X"]


def test_a_price_or_negotiable(world):
    with pytest.raises(ValidationError) as error:
        make_achievement(world, price_negotiable=False, price=None)
    assert "price" in error.value.message_dict
    assert make_achievement(world, price_negotiable=False, price="120.50").price == 120.5


def test_contact_is_masked_for_the_public(world, client_for):
    achievement = make_achievement(world, status=Status.PUBLISHED)
    public = client_for("public").get(f"/achievements/{achievement.pk}/").content.decode()
    assert "139****5678" in public and "13912345678" not in public
    signed_in = client_for("enterprise_user").get(f"/achievements/{achievement.pk}/").content.decode()
    assert "13912345678" in signed_in


def test_create_through_the_form(world, client_for):
    response = client_for("institute_user").post("/achievements/new/", {
        "name": "智能巡检无人机", "summary": "基于视觉的电力线路巡检无人机。", "form": "product",
        "transfer_modes": ["licence", "joint"], "price_negotiable": "on", "source": "self",
        "completers": "张三 项目负责人\n李四，工程师"})
    assert response.status_code == 302
    achievement = Achievement.objects.get(name="智能巡检无人机")
    assert achievement.owner == world.orgs.institute and achievement.status == Status.DRAFT
    assert achievement.transfer_modes == ["joint", "licence"]
    assert list(achievement.completers.values_list("order", "name", "role")) == [
        (1, "张三", "项目负责人"), (2, "李四", "工程师")]
