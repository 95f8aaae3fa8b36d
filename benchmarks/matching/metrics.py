"""Scores of one ranking against graded judgements, as the data README defines them."""

import math


def dcg(gains: list[float]) -> float:
    return sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))


def ndcg_at(ranking: list[str], grades: dict[str, int], k: int = 10, minimum: int = 1) -> float:
    """nDCG@k with gain 2^grade - 1, counting only grades >= minimum."""
    def gain(doc_id):
        grade = grades.get(doc_id, 0)
        return (2 ** grade - 1) if grade >= minimum else 0.0

    ideal = dcg(sorted((gain(doc_id) for doc_id in grades), reverse=True)[:k])
    return dcg([gain(doc_id) for doc_id in ranking[:k]]) / ideal if ideal else 0.0


def recall_at(ranking: list[str], relevant: set[str], k: int = 50) -> float:
    return len(relevant & set(ranking[:k])) / len(relevant) if relevant else 0.0


def related_scores(ranking: list[str], grades: dict[str, int], source: str | None) -> tuple[float, float] | None:
    """Related mode: the source paper leaves the ranking and the judgements; None when the
    query has no grade 1-2 document."""
    related = {doc_id: grade for doc_id, grade in grades.items() if doc_id != source and 1 <= grade <= 2}
    if not related:
        return None
    ranking = [doc_id for doc_id in ranking if doc_id != source]
    return ndcg_at(ranking, related), recall_at(ranking, set(related))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)] if ordered else 0.0
