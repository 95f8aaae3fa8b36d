from django.tasks import task
from django.utils import timezone

from kechuang.demands.services import demands_expire


@task()
def expire_overdue_demands() -> int:
    return demands_expire(today=timezone.localdate())
