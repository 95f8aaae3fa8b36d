from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VouchersConfig(AppConfig):
    name = "kechuang.vouchers"
    label = "vouchers"
    verbose_name = _("Innovation vouchers")

    def ready(self):
        from kechuang.core.scheduling import register_daily_task
        from kechuang.vouchers.tasks import expire_lapsed_vouchers

        register_daily_task(expire_lapsed_vouchers)
