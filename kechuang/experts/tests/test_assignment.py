"""The reviewer assignment solver against brute force, and on the reference instance."""

import itertools
import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.experts.assignment import Infeasible, Problem, greedy, round_flow, solve, solve_randomised

REFERENCE = Path(__file__).resolve().parents[4] / "shared" / "data" / "assignment"


def random_problem(seed: int, applications=4, experts=6, demand=2) -> Problem:
    rng = random.Random(seed)
    apps = [f"a{i}" for i in range(applications)]
    people = [f"e{i}" for i in range(experts)]
    affinity = {(a, e): round(rng.random(), 3) for a in apps for e in people if rng.random() < 0.8}
    conflicts = {pair for pair in affinity if rng.random() < 0.1}
    return Problem(demand=dict.fromkeys(apps, demand), max_load={e: rng.choice([1, 2, 3]) for e in people},
                   enterprise={e for e in people if rng.random() < 0.4}, affinity=affinity, conflicts=conflicts)


def valid(problem: Problem, pairs) -> bool:
    reviewers = {a: [e for b, e in pairs if b == a] for a in problem.demand}
    loads = Counter(e for _, e in pairs)
    return (all(len(r) == problem.demand[a] and len(set(r)) == len(r) for a, r in reviewers.items())
            and all(any(e in problem.enterprise for e in r) for r in reviewers.values())
            and all(loads[e] <= problem.max_load[e] for e in loads)
            and not any(pair in problem.conflicts or pair not in problem.affinity for pair in pairs))


def brute_force(problem: Problem) -> float | None:
    options = [[(a, combo) for combo in itertools.combinations(
        [e for e in problem.max_load if (a, e) in problem.affinity and (a, e) not in problem.conflicts],
        problem.demand[a])] for a in problem.demand]
    best = None
    for choice in itertools.product(*options):
        pairs = [(a, e) for a, combo in choice for e in combo]
        if valid(problem, pairs):
            total = sum(problem.affinity[pair] for pair in pairs)
            best = total if best is None or total > best else best
    return best


@pytest.mark.parametrize("seed", range(12))
def test_solver_finds_the_brute_force_optimum(seed):
    problem = random_problem(seed)
    optimum = brute_force(problem)
    if optimum is None:
        with pytest.raises(Infeasible):
            solve(problem)
        return
    assignment = solve(problem)
    assert valid(problem, assignment.pairs)
    assert assignment.total_affinity == pytest.approx(optimum, abs=1e-6)
    baseline = greedy(problem)
    assert baseline.total_affinity <= optimum + 1e-9


def test_the_enterprise_rule_costs_affinity_when_it_must():
    problem = Problem(demand={"a": 2}, max_load={"x": 1, "y": 1, "z": 1}, enterprise={"z"},
                      affinity={("a", "x"): 0.9, ("a", "y"): 0.8, ("a", "z"): 0.1})
    assert sorted(solve(problem).pairs) == [("a", "x"), ("a", "z")]
    problem.enterprise = set()
    with pytest.raises(Infeasible):
        solve(problem)


@pytest.mark.skipif(not REFERENCE.exists(), reason="the reference instance is in ../shared/data/assignment")
def test_reference_instance_reaches_the_optimum():
    from benchmarks.assignment.run import load

    problem, conflicts = load(REFERENCE)
    assignment = solve(problem)
    assert valid(problem, assignment.pairs)
    assert not any(pair in conflicts for pair in assignment.pairs)
    # The data README gives the optimum with the enterprise rule: 5559.69.
    assert assignment.total_affinity == pytest.approx(5559.69, abs=0.01)


def test_randomised_mode_keeps_every_rule_and_caps_each_pair():
    problem = random_problem(1, applications=5, experts=9, demand=2)
    problem.max_load = dict.fromkeys(problem.max_load, 3)
    rng = random.Random(7)
    draws = 600
    counts = Counter()
    for _ in range(draws):
        assignment = solve_randomised(problem, cap=0.5, rng=rng)
        assert valid(problem, assignment.pairs)
        counts.update(assignment.pairs)
    # each pair is drawn with probability at most 0.5: allow four standard deviations of noise
    assert max(counts.values()) / draws <= 0.5 + 4 * (0.25 / draws) ** 0.5
    # and the draws differ, unlike the deterministic optimum
    assert len(counts) > sum(problem.demand.values())


def test_randomised_mode_expected_affinity_is_the_capped_optimum():
    problem = random_problem(5, applications=4, experts=8, demand=2)
    problem.max_load = dict.fromkeys(problem.max_load, 2)
    exact = solve(problem).total_affinity
    rng = random.Random(1)
    mean = sum(solve_randomised(problem, cap=1.0, rng=rng).total_affinity for _ in range(50)) / 50
    # with no cap the fractional optimum is the integral one, so every draw is optimal
    assert mean == pytest.approx(exact, abs=1e-6)


def test_flow_rounding_keeps_expectations_and_balances():
    # source 0 -> experts 2, 3 (1.5 units each) -> seats 4 (1 unit), 5 (2 units) -> sink 1
    tails = [0, 0, 2, 2, 3, 3, 4, 5]
    heads = [2, 3, 4, 5, 4, 5, 1, 1]
    flows = [150, 150, 50, 100, 50, 100, 100, 200]
    rng = random.Random(0)
    seen, load = Counter(), 0
    for _ in range(3000):
        rounded = round_flow(tails, heads, flows, 100, rng)
        assert all(units % 100 == 0 for units in rounded)
        assert rounded[6:] == [100, 200]                                   # seat demands kept
        assert rounded[0] + rounded[1] == 300 and rounded[0] in (100, 200)  # loads within floor, ceiling
        for node in (2, 3, 4, 5):                                          # every node balanced
            assert sum(u for u, h in zip(rounded, heads, strict=True) if h == node) == sum(
                u for u, t in zip(rounded, tails, strict=True) if t == node)
        seen.update(arc for arc, units in enumerate(rounded) if units)
        load += rounded[0]
    for arc, expected in ((2, 0.5), (3, 1.0), (4, 0.5), (5, 1.0)):
        assert seen[arc] / 3000 == pytest.approx(expected, abs=0.04)
    assert load / 3000 == pytest.approx(150, abs=6)     # expert 2's expected load is 1.5 units


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), applications=st.integers(1, 6), experts=st.integers(2, 9),
       demand=st.integers(1, 3), randomised=st.booleans())
def test_no_conflict_is_ever_assigned(seed, applications, experts, demand, randomised):
    problem = random_problem(seed, applications=applications, experts=experts, demand=demand)
    try:
        assignment = (solve_randomised(problem, cap=0.6, rng=random.Random(seed)) if randomised
                      else solve(problem))
    except Infeasible:
        return
    assert not any(pair in problem.conflicts for pair in assignment.pairs)
    assert valid(problem, assignment.pairs)
