"""The reviewer assignment solver against brute force, and on the reference instance."""

import itertools
import random
from collections import Counter
from pathlib import Path

import pytest

from kechuang.experts.assignment import Infeasible, Problem, greedy, solve

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
