"""Review arithmetic: weighted scores, per-reviewer z-score normalisation and aggregation with
outlier flags. Plain Python, tested on exact numbers (docs/programmes.md gives the formulas)."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from statistics import fmean, median, pstdev

OUTLIER_GAP = 15.0   # points on the 0-100 scale between a review and its panel's median


def weighted_score(criteria: list[dict], scores: dict[str, int]) -> Decimal:
    total = sum(Decimal(item["weight"]) * Decimal(scores[item["key"]]) for item in criteria) / Decimal(100)
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Review:
    application: str
    reviewer: str
    score: float


@dataclass
class Ranked:
    application: str
    raw_mean: float
    normalised_mean: float
    reviews: list[tuple[str, float, float]] = field(default_factory=list)   # (reviewer, raw, normalised)
    outliers: list[str] = field(default_factory=list)                          # reviewers flagged
    rank: int = 0


def normalise(reviews: list[Review]) -> dict[tuple[str, str], float]:
    """Each reviewer's scores become z-scores over that reviewer's own reviews, mapped back to the
    scale of all reviews (overall mean + z * overall standard deviation), so a harsh and a lenient
    reviewer count alike. A reviewer with one review, or with identical scores, gets z = 0."""
    if not reviews:
        return {}
    overall = [review.score for review in reviews]
    centre, spread = fmean(overall), pstdev(overall)
    by_reviewer: dict[str, list[float]] = {}
    for review in reviews:
        by_reviewer.setdefault(review.reviewer, []).append(review.score)
    result = {}
    for review in reviews:
        own = by_reviewer[review.reviewer]
        own_spread = pstdev(own) if len(own) > 1 else 0.0
        z = (review.score - fmean(own)) / own_spread if own_spread > 0 else 0.0
        result[(review.application, review.reviewer)] = centre + z * spread
    return result


def aggregate(reviews: list[Review], gap: float = OUTLIER_GAP) -> list[Ranked]:
    """Applications ranked by their mean normalised score; a review is flagged as an outlier
    when its normalised score lies more than `gap` points from its panel's median."""
    normalised = normalise(reviews)
    panels: dict[str, list[Review]] = {}
    for review in reviews:
        panels.setdefault(review.application, []).append(review)
    ranked = []
    for application, panel in panels.items():
        values = [normalised[(application, review.reviewer)] for review in panel]
        middle = median(values)
        ranked.append(Ranked(
            application=application, raw_mean=fmean(review.score for review in panel),
            normalised_mean=fmean(values),
            reviews=[(review.reviewer, review.score, value) for review, value in zip(panel, values, strict=True)],
            outliers=[review.reviewer for review, value in zip(panel, values, strict=True)
                      if len(panel) > 2 and abs(value - middle) > gap]))
    ranked.sort(key=lambda item: (-item.normalised_mean, item.application))
    for position, item in enumerate(ranked, start=1):
        item.rank = position
    return ranked
