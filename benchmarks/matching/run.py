"""Matching benchmark: the platform's matcher against bm25s and tantivy (both over jieba tokens).

    benchmarks/matching/run.py [--data DIR] [--json FILE] [--cells chinaxiv/keywords,...] [--set semantic=0 ...]
                               [--exclude-source]
    benchmarks/matching/run.py --scale 10000,100000,1000000 [--json FILE]

The first mode follows the protocol of the data folder's README (related-mode nDCG@10 and
recall@50 on ChinaXiv and CSL by query type; the techmarket demand -> achievement set with strict
nDCG, judged share and the strong-match error rates). The second resamples the real documents to
the given sizes and reports index build time, query latency p50/p95 and peak memory.
`--exclude-source` is a diagnostic, not the protocol: the platform's matcher ranks without each
paper query's source paper (the protocol only drops it from the ranking afterwards), which shows
how much of a gain comes from feedback taken from that paper.
Dense vectors are cached under ~/.cache/kechuang-bench (KECHUANG_BENCH_CACHE) between runs.
"""

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np
import rjieba

from benchmarks.matching import data as bench_data
from benchmarks.matching.metrics import ndcg_at, percentile, related_scores
from kechuang.matching.engine import BUNDLED_ENCODERS, Matcher, Need, Record, Tokenizer, Weights, weights_for
from kechuang.matching.engine.text import bigrams

WORD = re.compile(r"\w")
DEFAULT_ENCODER = "use"


def jieba_tokens(text: str) -> list[str]:
    return [word for word in rjieba.cut(text.lower()) if WORD.search(word)]


class Bm25sPeer:
    name = "bm25s"

    def __init__(self, documents):
        import bm25s

        self.ids = [document.id for document in documents]
        self.retriever = bm25s.BM25()
        self.retriever.index([jieba_tokens(document.text) for document in documents], show_progress=False)

    def search(self, query, k):
        tokens = jieba_tokens(query.text) or ["_"]
        found = self.retriever.retrieve([tokens], k=min(k, len(self.ids)), show_progress=False)
        pairs = zip(found.documents[0], found.scores[0], strict=True)
        return [self.ids[row] for row, score in pairs if score > 0], None


class TantivyPeer:
    name = "tantivy"

    def __init__(self, documents):
        import tantivy

        self.tantivy = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("text", stored=False, tokenizer_name="whitespace")
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema)
        writer = self.index.writer()
        for document in documents:
            writer.add_document(tantivy.Document(text=" ".join(jieba_tokens(document.text)), id=document.id))
        writer.commit()
        self.index.reload()
        self.searcher = self.index.searcher()

    def search(self, query, k):
        tantivy = self.tantivy
        terms = list(dict.fromkeys(jieba_tokens(query.text)))
        if not terms:
            return [], None
        clauses = [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "text", term)) for term in terms]
        hits = self.searcher.search(tantivy.Query.boolean_query(clauses), k).hits
        return [self.searcher.doc(address)["id"][0] for _, address in hits], None


class KechuangSystem:
    name = "kechuang"

    def __init__(self, documents, encoder, label, query_vectors, weights: Weights | None = None,
                 exclude_source: bool = False):
        self.exclude_source = exclude_source
        self.tokenizer = Tokenizer()
        # The records' own keywords extend the dictionary; the indexed text stays the protocol's.
        self.tokenizer.add_words(word for document in documents for word in document.keywords)
        self.matcher = Matcher(encoder, self.tokenizer, weights or weights_for(encoder.name))
        vectors = bench_data.cached_vectors(encoder, [document.text for document in documents], label)
        records = [Record(document.id, document.text, industry=document.fields.get("industry"))
                   for document in documents]
        self.matcher.add_many(records, vectors)
        self.query_vectors = query_vectors

    def search(self, query, k):
        exclude = [query.source] if self.exclude_source and query.source else []
        need = Need(query.text, industry=getattr(query, "industry", None), exclude=exclude)
        matches = self.matcher.match(need, k, query_vector=self.query_vectors[query.id])
        # As on the platform's pages: the need has a strong match if any listed match is labelled strong.
        return [match.record.id for match in matches], any(match.strong for match in matches)


def timed_search(system, query, k):
    start = time.perf_counter()
    ranking, strong = system.search(query, k)
    return ranking, strong, (time.perf_counter() - start) * 1000


def evaluate_papers(system, cell):
    ndcgs, recalls, times = [], [], []
    for query in cell.queries:
        ranking, _, ms = timed_search(system, query, 51)
        times.append(ms)
        scored = related_scores(ranking, cell.grades.get(query.id, {}), query.source)
        if scored:
            ndcgs.append(scored[0])
            recalls.append(scored[1])
    return {"ndcg@10": round(float(np.mean(ndcgs)), 4), "recall@50": round(float(np.mean(recalls)), 4),
            "p50_ms": round(percentile(times, 0.5), 2)}


def evaluate_demands(system, cell):
    ndcgs, stricts, judged, times = [], [], [], []
    false_strong = missed_strong = without_solution = with_solution = 0
    strong_labels = system.name == "kechuang"
    for query in cell.queries:
        grades = cell.grades[query.id]
        ranking, strong, ms = timed_search(system, query, 10)
        times.append(ms)
        judged.append(sum(doc_id in grades for doc_id in ranking[:10]) / 10)
        if any(grade >= 1 for grade in grades.values()):
            ndcgs.append(ndcg_at(ranking, grades))
        solvable = any(grade >= 2 for grade in grades.values())
        if solvable:
            stricts.append(ndcg_at(ranking, grades, minimum=2))
            with_solution += 1
            missed_strong += not strong
        else:
            without_solution += 1
            false_strong += bool(strong)
    # The issue fixes this cell's keys; its latency goes to the log only.
    print(f"techmarket/demands {system.name} p50 {percentile(times, 0.5):.2f} ms", file=sys.stderr)
    return {"ndcg@10": round(float(np.mean(ndcgs)), 4), "strict_ndcg@10": round(float(np.mean(stricts)), 4),
            "judged@10": round(float(np.mean(judged)), 4),
            "false_strong": round(false_strong / without_solution, 4) if strong_labels and without_solution else None,
            "missed_strong": round(missed_strong / with_solution, 4) if strong_labels and with_solution else None}


def run_quality(data_dir: Path, only: set[str] | None, encoder, weights: Weights,
                exclude_source: bool = False) -> dict:
    results = {}
    systems_by_corpus = {}
    for cell in bench_data.cells(data_dir):
        if only and cell.name not in only:
            continue
        corpus = cell.name.split("/")[0]
        label = corpus + ("-corpus" if corpus == "techmarket" else "-docs")
        vectors = bench_data.cached_vectors(encoder, [q.text for q in cell.queries], cell.name + "-queries",
                                            queries=True)
        query_vectors = dict(zip([q.id for q in cell.queries], vectors, strict=True))
        if corpus not in systems_by_corpus:
            started = time.perf_counter()
            systems_by_corpus[corpus] = [KechuangSystem(cell.documents, encoder, label, {}, weights, exclude_source),
                                         Bm25sPeer(cell.documents), TantivyPeer(cell.documents)]
            print(f"[{corpus}] indexed {len(cell.documents)} documents in {time.perf_counter() - started:.1f} s"
                  + ("; paper queries ranked without their source paper (diagnostic, not the protocol)"
                     if exclude_source and corpus != "techmarket" else ""), file=sys.stderr)
        systems_by_corpus[corpus][0].query_vectors = query_vectors
        evaluate = evaluate_demands if corpus == "techmarket" else evaluate_papers
        results[cell.name] = {system.name: evaluate(system, cell) for system in systems_by_corpus[corpus]}
        print(cell.name, json.dumps(results[cell.name], ensure_ascii=False), file=sys.stderr)
    return results


def run_scale(data_dir: Path, sizes: list[int], encoder, weights: Weights) -> dict:
    import resource

    cell = bench_data.paper_cells(data_dir, "chinaxiv")[0]
    base = cell.documents
    base_vectors = bench_data.cached_vectors(encoder, [d.text for d in base], "chinaxiv-docs")
    tokenizer = Tokenizer()
    base_tokens = [tokenizer.tokens(d.text) for d in base]
    base_pairs = [bigrams(d.text) for d in base]
    queries = cell.queries[:300]
    query_vectors = bench_data.cached_vectors(encoder, [q.text for q in cell.queries], cell.name + "-queries",
                                              queries=True)[:300]
    rng = np.random.default_rng(7)
    results = {}
    for size in sizes:
        picks = rng.integers(0, len(base), size)
        # Resampled copies get a little noise so that the vector index is not full of duplicates.
        vectors = base_vectors[picks] + rng.normal(0, 0.02, (size, base_vectors.shape[1])).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        matcher = Matcher(encoder, tokenizer, weights)
        started = time.perf_counter()
        matcher.vectors.add_many([f"d{i}" for i in range(size)], vectors)
        matcher.records.update({f"d{i}": Record(f"d{i}", base[p].text) for i, p in enumerate(picks)})
        matcher.lexical.add_many([(f"d{i}", base_tokens[p]) for i, p in enumerate(picks)])
        matcher.character_pairs.add_many([(f"d{i}", base_pairs[p]) for i, p in enumerate(picks)])
        build_s = time.perf_counter() - started
        times = []
        for query, vector in zip(queries, query_vectors, strict=True):
            started = time.perf_counter()
            matcher.match(Need(query.text), 10, query_vector=vector)
            times.append((time.perf_counter() - started) * 1000)
        results[str(size)] = {"build_s": round(build_s, 1), "p50_ms": round(percentile(times, 0.5), 2),
                              "p95_ms": round(percentile(times, 0.95), 2),
                              "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
        print(size, results[str(size)], file=sys.stderr)
        del matcher
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=bench_data.DEFAULT_DATA)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--cells", help="comma-separated cell names (default: all five)")
    parser.add_argument("--scale", help="comma-separated document counts for the latency mode")
    parser.add_argument("--encoder", choices=sorted(BUNDLED_ENCODERS), default=DEFAULT_ENCODER,
                        help=f"the bundled encoder, with the weights measured for it (default {DEFAULT_ENCODER}, "
                             "as in the platform's settings)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a fusion weight for an ablation, e.g. --set bigram=0")
    parser.add_argument("--exclude-source", action="store_true",
                        help="diagnostic: rank the paper queries without their source paper")
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"no data folder at {args.data}")
    encoder = BUNDLED_ENCODERS[args.encoder]()
    weights = weights_for(encoder.name)
    for assignment in args.set:
        name, _, value = assignment.partition("=")
        setattr(weights, name, type(getattr(weights, name))(value))
    if args.scale:
        results = run_scale(args.data, [int(size) for size in args.scale.split(",")], encoder, weights)
    else:
        results = run_quality(args.data, set(args.cells.split(",")) if args.cells else None, encoder, weights,
                              args.exclude_source)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
