from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "kechuang.instruments"
    label = "instruments"
    verbose_name = _("Research instruments")

    def ready(self):
        from kechuang.core.importing import Sheet, register_sheet
        from kechuang.instruments import importers, policies, selectors
        from kechuang.instruments.models import Instrument
        from kechuang.vouchers.selectors import register_order_source

        register_order_source("booking", selectors.describe_bookings)
        register_order_source("order", selectors.describe_orders)

        register_sheet("instruments", Sheet(
            spec=importers.instrument_spec, import_file=importers.import_instruments,
            export_all=lambda: importers.export_records(Instrument.objects.order_by("pk"), unmask=True),
            can_import=policies.can_import_instruments, title=_("research instruments"),
            back_url="instruments:catalogue",
            export_for=lambda user, params: importers.export_records(
                selectors.instrument_matches(user, params), unmask=user.is_bureau_staff)))
