from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "kechuang.matching"
    label = "matching"
    verbose_name = _("Supply-demand matching")

    def ready(self):
        from kechuang.core.scheduling import register_daily_task
        from kechuang.core.search import on_index_change
        from kechuang.matching import tasks

        on_index_change(tasks.enqueue_sync)
        register_daily_task(tasks.announce_strong_matches)
