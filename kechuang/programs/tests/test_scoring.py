"""The review arithmetic on numbers worked out by hand."""

from decimal import Decimal

import pytest

from kechuang.programs.scoring import Review, aggregate, normalise, weighted_score
from kechuang.programs.tests.factories import CRITERIA


def test_weighted_score_is_the_weighted_mean_rounded_to_cents():
    # 0.40*80 + 0.35*90 + 0.25*67 = 32 + 31.5 + 16.75
    assert weighted_score(CRITERIA, {"novelty": 80, "feasibility": 90, "team": 67}) == Decimal("80.25")
    assert weighted_score(CRITERIA, {"novelty": 0, "feasibility": 0, "team": 0}) == Decimal("0.00")


def test_normalisation_removes_a_reviewer_s_harshness():
    # Reviewer h scores everything 20 points below reviewer l; after normalisation both agree.
    reviews = [Review("a", "l", 90), Review("b", "l", 70), Review("a", "h", 70), Review("b", "h", 50)]
    result = normalise(reviews)
    # overall mean 70, population sd sqrt(((20)^2+0+0+(20)^2)/4) = sqrt(200) = 14.142...
    # each reviewer: mean 80 / 60, sd 10 -> z = +1 for a, -1 for b
    assert result[("a", "l")] == pytest.approx(70 + 200 ** 0.5)
    assert result[("a", "h")] == pytest.approx(70 + 200 ** 0.5)
    assert result[("b", "h")] == pytest.approx(70 - 200 ** 0.5)


def test_a_reviewer_with_one_review_or_no_spread_gets_the_overall_mean():
    reviews = [Review("a", "x", 88), Review("a", "y", 60), Review("b", "y", 60)]
    result = normalise(reviews)
    overall = (88 + 60 + 60) / 3
    assert result[("a", "x")] == pytest.approx(overall)
    assert result[("a", "y")] == pytest.approx(overall)


def test_aggregate_ranks_by_normalised_mean_and_flags_outliers():
    reviews = [Review("a", "r1", 80), Review("a", "r2", 82), Review("a", "r3", 20),
               Review("b", "r1", 60), Review("b", "r2", 62), Review("b", "r3", 64)]
    ranked = aggregate(reviews)
    by_application = {item.application: item for item in ranked}
    assert by_application["a"].raw_mean == pytest.approx(182 / 3)
    # Every reviewer has two reviews, so z is +1 on their better and -1 on their worse one. The
    # overall mean is 368/6 and the overall sd 20.3852, so a review maps to mean +/- sd; r3 alone
    # put b above a, so r3 lies two sd (40.8 points) from the median on both panels.
    mean, sd = 368 / 6, 20.385180
    assert by_application["a"].outliers == ["r3"]
    assert by_application["b"].outliers == ["r3"]
    assert [item.application for item in ranked] == ["a", "b"]
    assert by_application["a"].normalised_mean == pytest.approx(mean + sd / 3, abs=1e-4)
    assert by_application["b"].normalised_mean == pytest.approx(mean - sd / 3, abs=1e-4)
