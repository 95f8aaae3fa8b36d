from kechuang.achievements.choices import AchievementForm, AchievementStatus
from kechuang.achievements.services import achievement_create


def make_achievement(world, *, owner=None, by=None, status=AchievementStatus.DRAFT, **data):
    """A record created through the service as a member of the owner, then moved to `status`
    directly (transitions themselves are tested through the services)."""
    from kechuang.achievements.models import Achievement
    from kechuang.achievements.services import reindex

    owner = owner or world.orgs.institute
    by = by or owner.memberships.order_by("pk").first().user
    fields = {"name": "高性能锂离子电池正极材料", "summary": "一种高镍三元正极材料的制备工艺，循环寿命长。",
              "keywords": "锂电池,正极材料", "form": AchievementForm.INVENTION_PATENT, "price_negotiable": True,
              "contact_name": "刘研究员", "contact_phone": "13912345678"} | data
    achievement = achievement_create(by=by, data=fields, completers=[("刘洋", "负责人"), ("王芳", "")])
    if status != AchievementStatus.DRAFT:
        Achievement.objects.filter(pk=achievement.pk).update(status=status)
        achievement.refresh_from_db()
        reindex([achievement])
    return achievement
