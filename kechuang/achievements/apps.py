from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AchievementsConfig(AppConfig):
    name = "kechuang.achievements"
    label = "achievements"
    verbose_name = _("Achievements")

    def ready(self):
        from kechuang.achievements import policies
        from kechuang.core.files import register_attachment_owner

        register_attachment_owner("achievements.achievement", policies.can_view_achievement_files)
