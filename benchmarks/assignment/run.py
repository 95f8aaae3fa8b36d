"""Reviewer assignment benchmark: the platform's solver (kechuang.experts.assignment) on an
instance folder laid out like ../shared/data/assignment (see its README).

    benchmarks/assignment/run.py [--instance DIR] [--json FILE] [--randomised CAP [--seed N]]

Prints and writes solve_s, total_affinity, min_application_affinity (the lowest sum over one
application's reviewers), apps_with_enterprise, conflicts (counted here from conflicts.csv, not
by the solver) and greedy_total_affinity (the greedy baseline in the same run). With
--randomised CAP the solver runs in its collusion-resistant mode (no expert-application pair
drawn with probability above CAP) and the same keys describe that draw.
"""

import argparse
import csv
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kechuang.experts.assignment import Problem, greedy, solve, solve_randomised

DEFAULT_INSTANCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "assignment"


def read_rows(path: Path, header: bool):
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle)) if header else list(csv.reader(handle))


def load(folder: Path) -> tuple[Problem, set[tuple[str, str]]]:
    applications = read_rows(folder / "applications.csv", header=True)
    experts = read_rows(folder / "experts.csv", header=True)
    conflicts = {(row[0], row[1]) for row in read_rows(folder / "conflicts.csv", header=False)}
    affinity = {(row[0], row[1]): float(row[2]) for row in read_rows(folder / "affinity_top200.csv", header=False)}
    problem = Problem(
        demand={row["app_id"]: int(row["demand"]) for row in applications},
        max_load={row["expert_id"]: int(row["max_load"]) for row in experts},
        enterprise={row["expert_id"] for row in experts if row["enterprise"] == "1"},
        affinity=affinity, conflicts=conflicts)
    return problem, conflicts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instance", type=Path, default=DEFAULT_INSTANCE)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--randomised", type=float, metavar="CAP", help="largest probability of any one pair")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    problem, conflicts = load(args.instance)
    started = time.perf_counter()
    if args.randomised:
        assignment = solve_randomised(problem, cap=args.randomised, rng=random.Random(args.seed))
    else:
        assignment = solve(problem)
    solve_s = time.perf_counter() - started
    baseline = greedy(problem)
    per_application = defaultdict(float)
    for application, expert in assignment.pairs:
        per_application[application] += problem.affinity[(application, expert)]
    reviewers = assignment.reviewers()
    result = {
        "solve_s": round(solve_s, 3),
        "total_affinity": round(assignment.total_affinity, 4),
        "min_application_affinity": round(min(per_application.get(a, 0.0) for a in problem.demand), 4),
        "apps_with_enterprise": sum(any(e in problem.enterprise for e in reviewers.get(a, [])) for a in problem.demand),
        "conflicts": sum(pair in conflicts for pair in assignment.pairs),
        "greedy_total_affinity": round(baseline.total_affinity, 4),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
