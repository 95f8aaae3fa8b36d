from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kechuang.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self):
        from kechuang.core import lookups
        from kechuang.core.files import register_attachment_owner
        from kechuang.core.policies import can_view_job_files
        from kechuang.core.scheduling import register_daily_task
        from kechuang.core.tasks import prune_submission_keys

        register_attachment_owner("core.job", can_view_job_files)
        register_daily_task(prune_submission_keys)
        lookups.register()
