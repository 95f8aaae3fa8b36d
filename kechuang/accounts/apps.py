from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kechuang.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from kechuang.accounts import policies
        from kechuang.accounts.tasks import prune_sign_in_throttles
        from kechuang.core.files import register_attachment_owner
        from kechuang.core.scheduling import register_daily_task

        register_attachment_owner("accounts.organization", policies.can_view_organization_files)
        register_daily_task(prune_sign_in_throttles)
