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


def _flows(problem: Problem, *, scale: int = 1, pair_capacity: int = 1):
    """Solves the network with demands and loads multiplied by `scale` and each expert-application
    pair carrying at most `pair_capacity` units. Returns the candidates (application index, expert
    index) with, per candidate, the units sent to the application's open seats and to its
    enterprise seats. With scale 1 and pair capacity 1 this is the exact integral assignment."""
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
    n_academic, n_business = int(academic.sum()), int(business.sum())
    pairs = pair_node + np.arange(n_business)
    needed = np.array([problem.demand[a] for a in applications], dtype=np.int64)
    minimum = np.minimum(needed, problem.enterprise_minimum)
    pair_cap = np.full(n_business, pair_capacity, dtype=np.int64)

    tails = [np.zeros(len(experts), dtype=np.int64), expert_node + expert_of[academic],
             expert_node + expert_of[business], pairs, pairs, enterprise_seat + np.arange(len(applications)),
             open_seat + np.arange(len(applications))]
    heads = [expert_node + np.arange(len(experts)), open_seat + app_of[academic], pairs,
             enterprise_seat + app_of[business], open_seat + app_of[business],
             np.ones(len(applications), dtype=np.int64), np.ones(len(applications), dtype=np.int64)]
    capacities = [np.array([problem.max_load[e] for e in experts], dtype=np.int64) * scale,
                  np.full(n_academic, pair_capacity, dtype=np.int64), pair_cap, pair_cap, pair_cap,
                  minimum * scale, (needed - minimum) * scale]
    costs = [np.zeros(len(experts), dtype=np.int64), cost_of[academic], cost_of[business],
             np.zeros(n_business, dtype=np.int64), np.zeros(n_business, dtype=np.int64),
             np.zeros(len(applications), dtype=np.int64), np.zeros(len(applications), dtype=np.int64)]
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(np.concatenate(tails), np.concatenate(heads),
                                                     np.concatenate(capacities), np.concatenate(costs))
    total = int(needed.sum()) * scale
    supplies = np.zeros(pair_node + n_business, dtype=np.int64)
    supplies[0], supplies[1] = total, -total
    flow.set_nodes_supplies(np.arange(len(supplies)), supplies)
    if flow.solve() != flow.OPTIMAL:
        raise Infeasible("no assignment meets the demands, loads, conflicts and the enterprise rule")
    first = len(experts)
    to_open = np.zeros(len(candidates), dtype=np.int64)
    to_enterprise = np.zeros(len(candidates), dtype=np.int64)
    to_open[academic] = flow.flows(arcs[first:first + n_academic])
    business_start = first + n_academic + n_business
    to_enterprise[business] = flow.flows(arcs[business_start:business_start + n_business])
    to_open[business] = flow.flows(arcs[business_start + n_business:business_start + 2 * n_business])
    keys = [(applications[a], experts[e]) for a, e in zip(app_of, expert_of, strict=True)]
    return keys, to_open, to_enterprise


def solve(problem: Problem) -> Assignment:
    keys, to_open, to_enterprise = _flows(problem)
    result = [key for key, units in zip(keys, to_open + to_enterprise, strict=True) if units > 0]
    return Assignment(result, float(sum(problem.affinity[pair] for pair in result)))


def solve_randomised(problem: Problem, *, cap: float, rng=None, resolution: int = 100) -> Assignment:
    """The collusion-resistant mode: no pair is chosen with probability above `cap`.

    First the best fractional assignment in which every pair has weight at most `cap` (the same
    network with everything scaled by `resolution`), then one integral assignment drawn from it by
    dependent rounding on the expert-seat graph (Gandhi et al. 2006): every seat count is kept
    exactly, each expert's load stays within the floor and ceiling of its fractional load, and
    each pair is drawn with exactly its fractional weight. The draw is repeated in the rare case
    that it puts one enterprise expert on both kinds of seat of the same application."""
    import random

    rng = rng or random.SystemRandom()
    capacity = int(cap * resolution)
    if capacity < 1:
        raise ValueError("cap too small for the resolution")
    keys, to_open, to_enterprise = _flows(problem, scale=resolution, pair_capacity=min(capacity, resolution))
    edges = [(expert, (application, seat), int(units))
             for (application, expert), open_units, enterprise_units in zip(keys, to_open, to_enterprise, strict=True)
             for seat, units in (("open", open_units), ("enterprise", enterprise_units)) if units > 0]
    for _attempt in range(100):
        chosen = dependent_rounding(edges, resolution, rng)
        pairs = [(seat[0], expert) for expert, seat in chosen]
        if len(set(pairs)) == len(pairs):
            return Assignment(pairs, float(sum(problem.affinity[pair] for pair in pairs)))
    raise Infeasible("no draw without a repeated expert")


def dependent_rounding(edges: list[tuple[str, tuple, int]], whole: int, rng) -> list[tuple[str, tuple]]:
    """Rounds bipartite edge weights (integers out of `whole`) to 0 or `whole` with each edge kept
    with probability weight/whole and every vertex's total kept between its floor and ceiling."""
    weight = [units for _left, _right, units in edges]
    ends = [(("L", left), ("R", right)) for left, right, _units in edges]
    incident: dict = {}
    for number, (left, right) in enumerate(ends):
        if 0 < weight[number] < whole:
            incident.setdefault(left, set()).add(number)
            incident.setdefault(right, set()).add(number)

    def walk(start):
        """Follows fractional edges from `start` until a vertex repeats (a cycle) or the path is
        stuck; returns the edges of the cycle or path."""
        path_vertices, path_edges, position = [start], [], {start: 0}
        vertex, came_by = start, None
        while True:
            options = [edge for edge in incident.get(vertex, ()) if edge != came_by]
            if not options:
                return path_edges, path_vertices[-1]
            edge = options[0]
            left, right = ends[edge]
            vertex = right if vertex == left else left
            path_edges.append(edge)
            if vertex in position:
                return path_edges[position[vertex]:], None
            position[vertex] = len(path_vertices)
            path_vertices.append(vertex)
            came_by = edge

    while incident:
        start = next(iter(incident))
        edges_on, stuck_at = walk(start)
        if stuck_at is not None:      # a path: walk again from its dead end to get a maximal one
            edges_on, _ = walk(stuck_at)
        first, second = edges_on[0::2], edges_on[1::2]
        alpha = min([whole - weight[e] for e in first] + [weight[e] for e in second])
        beta = min([weight[e] for e in first] + [whole - weight[e] for e in second])
        step = alpha if rng.random() < beta / (alpha + beta) else -beta
        for e in first:
            weight[e] += step
        for e in second:
            weight[e] -= step
        for e in edges_on:
            if weight[e] in (0, whole):
                for vertex in ends[e]:
                    incident[vertex].discard(e)
                    if not incident[vertex]:
                        del incident[vertex]
    return [(left, right) for (left, right, _units), final in zip(edges, weight, strict=True) if final == whole]


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
