"""Calibrates the strong-match threshold on the judged demand -> achievement pairs.

    benchmarks/matching/calibrate.py [--data DIR]

For every judged demand the top 10 matches' lexical coverage and cosine similarity are computed;
strength = coverage_weight * coverage + (1 - coverage_weight) * cosine, and a threshold labels
the demand "strong" when any of those matches clears it (as the platform's pages do). The script
prints, for each candidate threshold, the share of demands without any solution (no candidate
graded 2 or 3) that would still be labelled strong (false_strong) and the share of demands with
one that would not (missed_strong), and the pair that minimises their sum. docs/matching.md
records the chosen value.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np

from benchmarks.matching import data as bench_data
from benchmarks.matching.run import DEFAULT_ENCODER, KechuangSystem
from kechuang.matching.engine import BUNDLED_ENCODERS, Need


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=bench_data.DEFAULT_DATA)
    parser.add_argument("--encoder", choices=sorted(BUNDLED_ENCODERS), default=DEFAULT_ENCODER)
    args = parser.parse_args()
    encoder = BUNDLED_ENCODERS[args.encoder]()
    cell = bench_data.techmarket_cell(args.data)
    vectors = bench_data.cached_vectors(encoder, [q.text for q in cell.queries], cell.name + "-queries",
                                        queries=True)
    system = KechuangSystem(cell.documents, encoder, "techmarket-corpus", dict(zip([q.id for q in cell.queries],
                                                                                   vectors, strict=True)))
    listed, solvable = [], []
    for query in cell.queries:
        matches = system.matcher.match(Need(query.text), 10, query_vector=system.query_vectors[query.id])
        listed.append(np.array([(match.explanation.coverage, max(match.semantic, 0.0)) for match in matches]
                               or [(0.0, 0.0)]))
        solvable.append(any(grade >= 2 for grade in cell.grades[query.id].values()))
    solvable = np.array(solvable)
    print(f"{len(listed)} demands, {solvable.sum()} with a candidate graded 2 or 3")
    print("coverage_weight  threshold  false_strong  missed_strong")
    best = None
    for coverage_weight in (0.0, 0.1, 0.2, 0.3, 0.5):
        strengths = np.array([(coverage_weight * pairs[:, 0] + (1 - coverage_weight) * pairs[:, 1]).max()
                              for pairs in listed])
        for threshold in np.arange(0.30, 0.98, 0.005):
            strong = strengths >= threshold
            false_strong = float((strong & ~solvable).sum() / max((~solvable).sum(), 1))
            missed = float((~strong & solvable).sum() / max(solvable.sum(), 1))
            if best is None or false_strong + missed < best[2] + best[3] - 1e-9:
                best = (coverage_weight, threshold, false_strong, missed)
                print(f"{coverage_weight:15.1f}  {threshold:9.3f}  {false_strong:12.3f}  {missed:13.3f}")
    print(f"best: coverage_weight {best[0]:.1f}, threshold {best[1]:.3f} "
          f"(false_strong {best[2]:.3f}, missed_strong {best[3]:.3f})")


if __name__ == "__main__":
    main()
