from django.utils import timezone

from kechuang.demands.choices import DemandStatus
from kechuang.demands.models import Demand
from kechuang.demands.services import demand_create, reindex


def make_demand(world, *, status=DemandStatus.DRAFT, by=None, **data):
    """A demand of the world's enterprise, created through the service, then put in `status`."""
    fields = {"title": "锂电池热失控预警技术需求", "public_summary": "需要一种电池组热失控早期预警方案。",
              "description": "现有BMS无法提前预警，希望合作开发多传感器融合算法。预算可议。",
              "keywords": "锂电池,热失控,预警", "contact_name": "张经理", "contact_phone": "13612345678",
              "cooperation_modes": ["joint"]} | data
    passed = fields.get("deadline") is not None and fields["deadline"] < timezone.localdate()
    if passed:  # a deadline that has passed since: no service accepts one in the past
        deadline = fields.pop("deadline")
    demand = demand_create(by=by or world.users.org_admin, data=fields)
    if passed:
        Demand.objects.filter(pk=demand.pk).update(deadline=deadline)
        demand.refresh_from_db()
    if status != DemandStatus.DRAFT:
        Demand.objects.filter(pk=demand.pk).update(status=status)
        demand.refresh_from_db()
        reindex([demand])
    return demand
