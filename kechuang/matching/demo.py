"""Demo matchmaking: two cases between the demo enterprise and the demo institute, on the pairs
of their published records that share the most words; one is signed with the demo broker, the
other waits for the institute's answer."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from kechuang.accounts.models import User
from kechuang.achievements.models import Achievement
from kechuang.demands.models import Demand
from kechuang.matching import services
from kechuang.matching.models import Matchmaking

DEMO = "demo.kechuang.cn"


def best_pairs(demands, achievements, count: int):
    scored = []
    for demand in demands:
        words = set(demand.search_tokens.split())
        for achievement in achievements:
            shared = words & set(achievement.search_tokens.split())
            scored.append((len(shared) / (len(words) or 1), demand, achievement))
    scored.sort(key=lambda item: -item[0])
    pairs, used = [], set()
    for _score, demand, achievement in scored:
        if demand.pk not in used and achievement.pk not in used:
            pairs.append((demand, achievement))
            used |= {demand.pk, achievement.pk}
        if len(pairs) == count:
            break
    return pairs


def seed(log=print) -> int:
    if Matchmaking.objects.exists():
        log("demo matchmaking: already loaded")
        return 0
    users = {name: User.objects.filter(email=f"{name}@{DEMO}").first()
             for name in ("enterprise", "institute", "broker")}
    if None in users.values():
        return 0
    enterprise, institute = users["enterprise"].organization, users["institute"].organization
    demands = list(Demand.objects.filter(owner=enterprise, status="published").order_by("pk")[:60])
    achievements = list(Achievement.objects.filter(owner=institute, status="published").order_by("pk")[:400])
    pairs = best_pairs(demands, achievements, 2)
    if len(pairs) < 2:
        log("demo matchmaking: not enough published records")
        return 0
    (demand, achievement), (waiting_demand, waiting_achievement) = pairs
    case = services.case_open(by=users["enterprise"], demand=demand, achievement=achievement,
                              message="我们对该成果很感兴趣，希望安排技术交流。")
    services.case_accept(case=case, by=users["institute"], text="欢迎来院交流。")
    services.case_assign(case=case, by=users["broker"], broker=users["broker"])
    services.case_add_note(case=case, by=users["broker"], text="双方技术负责人现场交流，确定许可方式与验证方案。",
                           meeting_at=timezone.now() - timedelta(days=14), location="示范市科技大厦三楼会议室")
    services.case_sign(case=case, by=users["broker"], amount=Decimal("80.00"),
                       signed_on=timezone.localdate() - timedelta(days=3), text="普通许可，首付加提成。")
    services.case_open(by=users["enterprise"], demand=waiting_demand, achievement=waiting_achievement,
                       message="希望了解该成果的中试情况。")
    log("demo matchmaking: 2 cases (one signed, one waiting for the institute)")
    return 2
