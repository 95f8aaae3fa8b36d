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
        from kechuang.core.importing import Sheet, register_sheet
        from kechuang.demands import importers, selectors
        from kechuang.demands.models import Demand

        register_sheet("demands", Sheet(
            spec=importers.demand_spec, import_file=importers.import_demands,
            export_all=lambda: importers.export_records(Demand.objects.order_by("pk"), unmask=True),
            can_import=policies.can_import_demands, title=_("technology demands"), back_url="demands:mine",
            export_for=lambda user, params: importers.export_records(
                selectors.demand_matches(user, selectors.DemandSearchParams.from_query(params)),
                unmask=user.is_bureau_staff),
        ))

        from kechuang.core.scheduling import register_daily_task
        from kechuang.demands.tasks import expire_overdue_demands

        register_daily_task(expire_overdue_demands)
