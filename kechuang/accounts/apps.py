from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kechuang.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from kechuang.accounts import policies
        from kechuang.core.files import register_attachment_owner

        register_attachment_owner("accounts.organization", policies.can_view_organization_files)
