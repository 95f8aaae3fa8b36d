"""Reviewer assignment as an exact min-cost flow (OR-Tools), plain Python with no Django.

Each application needs `demand` reviewers, at least `enterprise_minimum` of them enterprise
experts; each expert reviews at most `max_load` applications; conflicted pairs are never used;
the total affinity is as high as possible. The network:

    source -> expert (capacity max_load)
    academic expert -> application's open seats (capacity 1, cost -affinity)
    enterprise expert -> pair node (capacity 1, cost -affinity) -> the application's enterprise
                         seats or its open seats (the pair node stops an expert filling both)
    enterprise seats -> sink (capacity enterprise_minimum), open seats -> sink (the rest)

All seats must fill (the flow equals the sum of demands), so the enterprise rule holds exactly,
and a min-cost flow is optimal for integer costs (affinities are scaled by 10^6).
"""

from collections import defaultdict
from dataclasses import dataclass, field

SCALE = 1_000_000


@dataclass
class Problem:
    demand: dict[str, int]                         # application -> reviewers needed
    max_load: dict[str, int]                       # expert -> most reviews
    enterprise: set[str]                           # enterprise experts
    affinity: dict[tuple[str, str], float]         # (application, expert) -> score, candidates only
    conflicts: set[tuple[str, str]] = field(default_factory=set)
    enterprise_minimum: int = 1


@dataclass
class Assignment:
    pairs: list[tuple[str, str]]                   # (application, expert)
    total_affinity: float

    def reviewers(self) -> dict[str, list[str]]:
        by_application = defaultdict(list)
        for application, expert in self.pairs:
            by_application[application].append(expert)
        return dict(by_application)


class Infeasible(Exception):
    """No assignment satisfies the demands, loads, conflicts and the enterprise rule."""


def solve(problem: Problem) -> Assignment:
    import numpy as np
    from ortools.graph.python import min_cost_flow

    applications = list(problem.demand)
    experts = list(problem.max_load)
    application_index = {application: i for i, application in enumerate(applications)}
    expert_index = {expert: i for i, expert in enumerate(experts)}
    # nodes: 0 source, 1 sink, experts, enterprise seats, open seats, then one per enterprise pair
    expert_node = 2
    enterprise_seat = expert_node + len(experts)
    open_seat = enterprise_seat + len(applications)
    pair_node = open_seat + len(applications)

    candidates = [(application_index[a], expert_index[e], score, e in problem.enterprise)
                  for (a, e), score in problem.affinity.items()
                  if (a, e) not in problem.conflicts and a in application_index and e in expert_index]
    if not candidates:
        raise Infeasible("no candidate pair")
    app_of, expert_of, score_of, enterprise_of = (np.array(column) for column in zip(*candidates, strict=True))
    cost_of = -np.rint(score_of * SCALE).astype(np.int64)
    academic, business = ~enterprise_of, enterprise_of
    pairs = pair_node + np.arange(int(business.sum()))
    needed = np.array([problem.demand[a] for a in applications], dtype=np.int64)
    minimum = np.minimum(needed, problem.enterprise_minimum)

    tails = [np.zeros(len(experts), dtype=np.int64), expert_node + expert_of[academic],
             expert_node + expert_of[business], pairs, pairs, enterprise_seat + np.arange(len(applications)),
             open_seat + np.arange(len(applications))]
    heads = [expert_node + np.arange(len(experts)), open_seat + app_of[academic], pairs,
             enterprise_seat + app_of[business], open_seat + app_of[business],
             np.ones(len(applications), dtype=np.int64), np.ones(len(applications), dtype=np.int64)]
    capacities = [np.array([problem.max_load[e] for e in experts], dtype=np.int64),
                  np.ones(int(academic.sum()), dtype=np.int64), np.ones(len(pairs), dtype=np.int64),
                  np.ones(len(pairs), dtype=np.int64), np.ones(len(pairs), dtype=np.int64), minimum, needed - minimum]
    costs = [np.zeros(len(experts), dtype=np.int64), cost_of[academic], cost_of[business],
             np.zeros(len(pairs), dtype=np.int64), np.zeros(len(pairs), dtype=np.int64),
             np.zeros(len(applications), dtype=np.int64), np.zeros(len(applications), dtype=np.int64)]
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(np.concatenate(tails), np.concatenate(heads),
                                                     np.concatenate(capacities), np.concatenate(costs))
    total = int(needed.sum())
    supplies = np.zeros(pair_node + len(pairs), dtype=np.int64)
    supplies[0], supplies[1] = total, -total
    flow.set_nodes_supplies(np.arange(len(supplies)), supplies)
    if flow.solve() != flow.OPTIMAL:
        raise Infeasible("no assignment meets the demands, loads, conflicts and the enterprise rule")
    # the assignment arcs are the academic ones and the expert -> pair ones, in candidate order
    first = len(experts)
    chosen_academic = flow.flows(arcs[first:first + int(academic.sum())]) > 0
    chosen_business = flow.flows(arcs[first + int(academic.sum()):first + int(academic.sum()) + len(pairs)]) > 0
    picked = np.concatenate([np.flatnonzero(academic)[chosen_academic], np.flatnonzero(business)[chosen_business]])
    result = [(applications[app_of[i]], experts[expert_of[i]]) for i in picked]
    return Assignment(result, float(sum(problem.affinity[pair] for pair in result)))


def greedy(problem: Problem) -> Assignment:
    """The baseline: best pairs first, skipping what breaks a rule, enterprise seats first."""
    load = defaultdict(int)
    chosen: dict[str, list[str]] = defaultdict(list)
    candidates = sorted(((score, application, expert) for (application, expert), score in problem.affinity.items()
                         if (application, expert) not in problem.conflicts), reverse=True)
    for enterprise_pass in (True, False):
        for _score, application, expert in candidates:
            reviewers = chosen[application]
            needed = problem.demand.get(application, 0)
            has_enterprise = any(r in problem.enterprise for r in reviewers)
            if enterprise_pass and (has_enterprise or expert not in problem.enterprise):
                continue
            if len(reviewers) >= needed or expert in reviewers or load[expert] >= problem.max_load.get(expert, 0):
                continue
            if not enterprise_pass and not has_enterprise and expert not in problem.enterprise \
                    and len(reviewers) == needed - 1:
                continue  # the last seat is kept for an enterprise expert
            reviewers.append(expert)
            load[expert] += 1
    pairs = [(application, expert) for application, experts in chosen.items() for expert in experts]
    return Assignment(pairs, sum(problem.affinity[pair] for pair in pairs))
