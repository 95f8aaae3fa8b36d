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


@dataclass
class Network:
    """A solved flow network: every arc's tail, head and flow, and for each candidate pair
    (application, expert) the arc that assigns it (expert -> open seat, or expert -> pair node)."""
    tails: list[int]
    heads: list[int]
    flows: list[int]
    keys: list[tuple[str, str]]
    assigning_arc: list[int]


def _network(problem: Problem, *, scale: int = 1, pair_capacity: int = 1) -> Network:
    """Solves the network with demands and loads multiplied by `scale` and each expert-application
    pair carrying at most `pair_capacity` units. With scale 1 and pair capacity 1 this is the
    exact integral assignment; scaled, it is the best fractional one under a per-pair cap."""
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
    all_tails, all_heads = np.concatenate(tails), np.concatenate(heads)
    arcs = flow.add_arcs_with_capacity_and_unit_cost(all_tails, all_heads, np.concatenate(capacities),
                                                     np.concatenate(costs))
    total = int(needed.sum()) * scale
    supplies = np.zeros(pair_node + n_business, dtype=np.int64)
    supplies[0], supplies[1] = total, -total
    flow.set_nodes_supplies(np.arange(len(supplies)), supplies)
    if flow.solve() != flow.OPTIMAL:
        raise Infeasible("no assignment meets the demands, loads, conflicts and the enterprise rule")
    # the assigning arcs: the academic ones, then expert -> pair, each block in candidate order
    assigning = np.zeros(len(candidates), dtype=np.int64)
    assigning[academic] = len(experts) + np.arange(n_academic)
    assigning[business] = len(experts) + n_academic + np.arange(n_business)
    return Network(tails=all_tails.tolist(), heads=all_heads.tolist(), flows=flow.flows(arcs).tolist(),
                   keys=[(applications[a], experts[e]) for a, e in zip(app_of, expert_of, strict=True)],
                   assigning_arc=assigning.tolist())


def _assignment(problem: Problem, network: Network, flows: list[int]) -> Assignment:
    pairs = [key for key, arc in zip(network.keys, network.assigning_arc, strict=True) if flows[arc] > 0]
    return Assignment(pairs, float(sum(problem.affinity[pair] for pair in pairs)))


def solve(problem: Problem) -> Assignment:
    network = _network(problem)
    return _assignment(problem, network, network.flows)


def solve_randomised(problem: Problem, *, cap: float, rng=None, resolution: int = 100) -> Assignment:
    """The collusion-resistant mode: no expert-application pair is chosen with probability above
    `cap`.

    First the best fractional assignment in which every pair has weight at most `cap` (the same
    network with everything scaled by `resolution`), then one integral assignment drawn from it by
    rounding the flow around cycles (dependent rounding, Gandhi et al. 2006, on the whole network
    as in Jecmen et al. 2020): every arc ends at the floor or ceiling of its fractional flow and
    keeps its fractional value as its expectation, so each pair is drawn with exactly its weight,
    every seat count is kept, no expert exceeds their load, and an enterprise expert's pair node
    passes its one unit to a single seat."""
    import random

    rng = rng or random.SystemRandom()
    capacity = int(cap * resolution)
    if capacity < 1:
        raise ValueError("cap too small for the resolution")
    network = _network(problem, scale=resolution, pair_capacity=min(capacity, resolution))
    return _assignment(problem, network, round_flow(network.tails, network.heads, network.flows, resolution, rng))


def round_flow(tails: list[int], heads: list[int], flows: list[int], whole: int, rng) -> list[int]:
    """Rounds a flow whose node balances are multiples of `whole` to one where every arc carries a
    multiple of `whole`: each arc ends at the floor or ceiling of its value, with its current value
    as the expectation. Fractional arcs always form cycles (a node with one fractional arc would be
    out of balance); each step pushes flow around one cycle, forward or backward at random, until
    an arc on it becomes whole."""
    flows = list(flows)
    incident: dict[int, set[int]] = {}
    for arc, units in enumerate(flows):
        if units % whole:
            incident.setdefault(tails[arc], set()).add(arc)
            incident.setdefault(heads[arc], set()).add(arc)
    while incident:
        cycle = _cycle(incident, tails, heads)
        ahead = min(whole - flows[arc] % whole if sign > 0 else flows[arc] % whole for arc, sign in cycle)
        back = min(flows[arc] % whole if sign > 0 else whole - flows[arc] % whole for arc, sign in cycle)
        step = ahead if rng.random() < back / (ahead + back) else -back
        for arc, sign in cycle:
            flows[arc] += sign * step
            if flows[arc] % whole == 0:
                for node in (tails[arc], heads[arc]):
                    incident[node].discard(arc)
                    if not incident[node]:
                        del incident[node]
    return flows


def _cycle(incident, tails, heads) -> list[tuple[int, int]]:
    """A cycle of fractional arcs as (arc, +1 if walked from tail to head else -1)."""
    node = next(iter(incident))
    position, walked, came_by = {node: 0}, [], None
    while True:
        arc = next(arc for arc in incident[node] if arc != came_by)
        forward = tails[arc] == node
        walked.append((arc, 1 if forward else -1))
        node = heads[arc] if forward else tails[arc]
        if node in position:
            return walked[position[node]:]
        position[node] = len(walked)
        came_by = arc


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
