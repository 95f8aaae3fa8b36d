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
        from kechuang.achievements import importers, selectors
        from kechuang.achievements.models import Achievement
        from kechuang.core.importing import Sheet, register_sheet

        register_sheet("achievements", Sheet(
            spec=importers.achievement_spec,
            import_file=importers.import_achievements,
            export_all=lambda: importers.export_records(Achievement.objects.order_by("pk"), unmask=True),
            can_import=policies.can_import_achievements, title=_("achievements"), back_url="achievements:mine",
            export_for=lambda user, params: importers.export_records(
                selectors.achievement_matches(user, selectors.SearchParams.from_query(params)),
                unmask=user.is_bureau_staff),
        ))
        register_sheet("funded-projects", Sheet(
            spec=importers.funded_project_spec, import_file=importers.import_funded_projects,
            export_all=importers.export_funded_projects, can_import=policies.can_view_registration_report,
            title=_("funded projects"), back_url="achievements:registration_report",
        ))
