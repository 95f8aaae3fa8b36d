from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "kechuang.demands"
    label = "demands"
    verbose_name = _("Technology demands")

    def ready(self):
        from kechuang.core.files import register_attachment_owner
        from kechuang.demands import policies

        register_attachment_owner("demands.demand", policies.can_view_demand_files)
