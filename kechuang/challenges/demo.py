"""Demo challenges: two of the demo enterprise's published demands put on this quarter's
challenge list, published and open to solver teams. Runs after the programmes' demo."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from kechuang.accounts.models import User
from kechuang.challenges import services
from kechuang.challenges.models import ChallengeList
from kechuang.demands.models import Demand
from kechuang.demands.services import demand_mark_challenge_candidate

DEMO = "demo.kechuang.cn"


def seed(log=print) -> int:
    if ChallengeList.objects.exists():
        log("demo challenges: already loaded")
        return 0
    officer = User.objects.filter(email=f"officer@{DEMO}").first()
    enterprise_user = User.objects.filter(email=f"enterprise@{DEMO}").first()
    if officer is None or enterprise_user is None:
        return 0
    enterprise = enterprise_user.organization
    demands = list(Demand.objects.filter(owner=enterprise, status="published").order_by("pk")[:2])
    if not demands:      # the demand library's demo records come from ../shared/data when it exists
        log("demo challenges: no published demand of the demo enterprise, no challenge list")
        return 0
    for demand in demands:
        demand_mark_challenge_candidate(demand=demand, by=officer, reason="行业共性关键技术难题，适合张榜攻关。")
    today = timezone.localdate()
    challenge_list = services.challenge_list_build(by=officer, year=today.year, quarter=(today.month - 1) // 3 + 1)
    for challenge in challenge_list.challenges.all():
        services.challenge_save(by=officer, challenge=challenge, data={
            "budget": Decimal("300"), "max_teams": 3, "phase_one_amount": Decimal("50"), "phases": 2,
            "deadline": today + timedelta(days=45)})
    services.challenge_list_publish(by=officer, challenge_list=challenge_list)
    log(f"demo challenges: {challenge_list} with {len(demands)} challenges open to solver teams")
    return 1
