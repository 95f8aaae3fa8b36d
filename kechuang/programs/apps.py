from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "kechuang.programs"
    label = "programs"
    verbose_name = _("Programmes")

    def ready(self):
        from kechuang.core.files import register_attachment_owner
        from kechuang.programs import policies

        register_attachment_owner("programs.application", policies.can_view_application_files)
