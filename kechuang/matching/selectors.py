"""Reads of matching: recommendations (through the index) and matchmaking cases."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from kechuang.achievements.choices import INDEXED as ACHIEVEMENT_INDEXED
from kechuang.achievements.models import Achievement
from kechuang.achievements.selectors import published_achievements_by_id
from kechuang.core.selectors import gate
from kechuang.demands.choices import INDEXED as DEMAND_INDEXED
from kechuang.demands.models import Demand
from kechuang.demands.selectors import listed_demands_by_id
from kechuang.experts.models import SpecialistProfile
from kechuang.experts.selectors import available_profiles_by_id
from kechuang.matching import index
from kechuang.matching.choices import OPEN_STATUSES, SIGNAL_LABELS, CaseStatus
from kechuang.matching.engine import Match, Need
from kechuang.matching.models import Matchmaking, RecommendationFeedback
from kechuang.matching.policies import cases_visible_to

SPECIALIST_KINDS = ("expert", "broker")


@dataclass
class Recommendation:
    match: Match
    obj: object          # the Achievement, Demand or SpecialistProfile
    key: str
    verdict: bool | None = None

    @property
    def strong(self) -> bool:
        return self.match.strong

    @property
    def signal_labels(self) -> list[str]:
        return [SIGNAL_LABELS[name] for name in self.match.explanation.matched_signals]

    @property
    def similarity_percent(self) -> int:
        return round(max(self.match.semantic, 0) * 100)

    @property
    def strength_percent(self) -> int:
        return round(min(self.match.strength, 1) * 100)


@dataclass
class Recommendations:
    items: list[Recommendation]
    source: str = ""

    @property
    def strong(self) -> list[Recommendation]:
        return [item for item in self.items if item.strong]

    @property
    def has_strong(self) -> bool:
        return bool(self.strong)


# For each kind of index record: the rows a user may see, through the owning app's visibility
# policy (the index may still hold a record withdrawn a moment ago).
LOADERS = {"achievement": published_achievements_by_id, "demand": listed_demands_by_id,
           "expert": available_profiles_by_id, "broker": available_profiles_by_id}


def need_of_demand(demand: Demand) -> Need:
    record = index.demand_record(demand)
    return Need(text=record.searchable(), field=record.field, industry=record.industry, chain=record.chain,
                district=record.district, readiness=record.readiness, budget=record.price,
                exclude=[record.id])


def need_of_achievement(achievement: Achievement) -> Need:
    record = index.achievement_record(achievement)
    return Need(text=record.searchable(), field=record.field, industry=record.industry, chain=record.chain,
                district=record.district, exclude=[record.id])


def _resolve(matches: list[Match], user, source: str = "") -> list[Recommendation]:
    """Matches with their database rows, as far as the user may see them; rows gone since the
    index saw them are dropped."""
    wanted: dict[str, list[int]] = {}
    for match in matches:
        kind, pk = index.parse_key(match.record.id)
        wanted.setdefault(kind, []).append(pk)
    rows = {}
    for kind, pks in wanted.items():
        rows.update({index.record_key(kind, pk): obj for pk, obj in LOADERS[kind](user, pks).items()})
    verdicts = {}
    if user.is_authenticated and source:
        verdicts = dict(RecommendationFeedback.objects.filter(user=user, source=source).values_list("target", "useful"))
    return [Recommendation(match, rows[match.record.id], match.record.id, verdicts.get(match.record.id))
            for match in matches if match.record.id in rows]


def match_need(need: Need, *, user, kinds, k: int = 10, source: str = "") -> Recommendations:
    need.kinds = kinds
    matches = index.backend().match(need, k)
    return Recommendations(_resolve(matches, user, source), source)


def achievements_for_demand(user, demand: Demand, k: int = 10) -> Recommendations:
    return match_need(need_of_demand(demand), kinds=["achievement"], k=k, user=user,
                      source=index.record_key("demand", demand.pk))


def demands_for_achievement(user, achievement: Achievement, k: int = 10) -> Recommendations:
    return match_need(need_of_achievement(achievement), kinds=["demand"], k=k, user=user,
                      source=index.record_key("achievement", achievement.pk))


def specialists_for_demand(user, demand: Demand, k: int = 6) -> Recommendations:
    return match_need(need_of_demand(demand), kinds=list(SPECIALIST_KINDS), k=k, user=user,
                      source=index.record_key("demand", demand.pk))


def solutions_for_text(user, text: str, k: int = 10) -> tuple[Recommendations, Recommendations]:
    """The 'find a solution' box: achievements, and specialists to ask when none is strong."""
    achievements = match_need(Need(text=text), kinds=["achievement"], k=k, user=user)
    specialists = match_need(Need(text=text), kinds=list(SPECIALIST_KINDS), k=6, user=user)
    return achievements, specialists


def home_recommendations(user, k: int = 5) -> list[tuple[object, Recommendation]]:
    """'Recommended for you': the strong matches of the organisation's own published records."""
    organization = user.organization if user.is_authenticated else None
    if organization is None:
        return []
    results = []
    for demand in Demand.objects.filter(owner=organization, status__in=DEMAND_INDEXED).order_by("-published_at")[:5]:
        results += [(demand, item) for item in achievements_for_demand(user, demand, k=3).strong]
    for achievement in Achievement.objects.filter(owner=organization, status__in=ACHIEVEMENT_INDEXED).order_by(
            "-published_at")[:5]:
        results += [(achievement, item) for item in demands_for_achievement(user, achievement, k=3).strong]
    results.sort(key=lambda pair: -pair[1].match.strength)
    return results[:k]


# -- cases -------------------------------------------------------------------------------------

def case_for(user, pk: int, *, may=None) -> Matchmaking:
    return gate(user, cases_visible_to(user).select_related(
        "demand__owner", "achievement__owner", "broker", "officer", "initiated_by"), may=may, pk=pk)


def my_cases(user, status: str = ""):
    cases = cases_visible_to(user).select_related("demand__owner", "achievement__owner", "broker")
    return cases.filter(status=status) if status else cases


def broker_queue(user):
    """The broker's open cases first, then accepted cases waiting for a broker."""
    cases = cases_visible_to(user).filter(status__in=OPEN_STATUSES).select_related(
        "demand__owner", "achievement__owner", "broker")
    return cases.filter(Q(broker=user) | Q(broker__isnull=True, status=CaseStatus.ACCEPTED)).order_by(
        "broker", "-updated_at")


def open_case_for(demand, achievement) -> Matchmaking | None:
    return Matchmaking.objects.filter(demand=demand, achievement=achievement, status__in=OPEN_STATUSES).first()


def past_case_titles(profile: SpecialistProfile, limit: int = 20) -> list[str]:
    cases = Matchmaking.objects.filter(broker=profile.user).select_related("demand", "achievement")[:limit]
    return [f"{case.demand.title} {case.achievement.name}" for case in cases]


def feedback_summary(strong_threshold: float | None = None) -> list[dict]:
    """Useful / not useful verdicts for matches labelled strong and for the others: the
    evaluation of the strong-match threshold by the people who read the matches."""
    if strong_threshold is None:
        strong_threshold = index.strong_threshold()
    rows = []
    for label, rule in ((_("strong matches"), Q(strength__gte=strong_threshold)),
                        (_("other matches"), Q(strength__lt=strong_threshold) | Q(strength__isnull=True))):
        counts = RecommendationFeedback.objects.filter(rule).aggregate(
            useful_count=Count("pk", filter=Q(useful=True)), not_useful_count=Count("pk", filter=Q(useful=False)))
        counts = {"useful": counts["useful_count"], "not_useful": counts["not_useful_count"]}
        total = counts["useful"] + counts["not_useful"]
        rows.append({"label": label, **counts, "total": total,
                     "useful_share": counts["useful"] / total if total else None})
    return rows


def contract_total():
    return Matchmaking.objects.filter(status=CaseStatus.SIGNED).aggregate(total=Sum("contract_amount"))["total"]


def case_statistics() -> dict:
    counts = dict(Matchmaking.objects.values_list("status").annotate(n=Count("pk")))
    return {label: counts.get(status, 0) for status, label in CaseStatus.choices}


def expert_affinities(texts: dict[str, tuple[str, object]], k: int = 50) -> dict[tuple[str, int], float]:
    """Reviewer affinity from the matching engine: for each key -> (text, technology field), the
    match strength of its best `k` experts, as {(key, expert's user pk): strength}."""
    target = index.backend()
    strengths: dict[tuple[str, int], float] = {}
    for key, (text, tech_field) in texts.items():
        for match in target.match(Need(text=text, field=index.field_code(tech_field), kinds=["expert"]), k):
            strengths[(key, index.parse_key(match.record.id)[1])] = match.strength
    user_of = dict(SpecialistProfile.objects.filter(pk__in={pk for _key, pk in strengths})
                   .values_list("pk", "user_id"))
    return {(key, user_of[pk]): strength for (key, pk), strength in strengths.items() if pk in user_of}
