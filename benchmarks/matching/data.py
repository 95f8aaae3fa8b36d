"""The matching benchmark's data: the corpora, queries and graded judgements of a folder laid out
like ../shared/data (see its README for the protocol), and a cache of dense vectors so that a
rerun does not re-encode tens of thousands of texts."""

import csv
import hashlib
import json
import os
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
CACHE = Path(os.environ.get("KECHUANG_BENCH_CACHE", Path.home() / ".cache" / "kechuang-bench"))


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    grades: dict[str, dict[str, int]] = defaultdict(dict)
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            grades[row["query-id"]][row["corpus-id"]] = int(row["score"])
    return grades


@dataclass
class Document:
    id: str
    text: str
    keywords: list[str] = field(default_factory=list)
    fields: dict = field(default_factory=dict)


@dataclass
class Query:
    id: str
    text: str
    source: str | None = None


@dataclass
class Cell:
    name: str
    documents: list[Document]
    queries: list[Query]
    grades: dict[str, dict[str, int]]


def keywords_of(row: dict) -> list[str]:
    words = row.get("keywords") or []
    return words if isinstance(words, list) else [w for w in str(words).replace("；", ";").split(";") if w]


def paper_cells(data: Path, corpus: str) -> list[Cell]:
    """`corpus`/keywords and `corpus`/title: abstracts only, as the README's protocol says."""
    rows = read_jsonl(data / f"{corpus}_docs.jsonl")
    documents = [Document(row["id"], row.get("abstract") or "", keywords_of(row),
                          {"field": row.get("discipline") or (row.get("clc") or [None])[0]}) for row in rows]
    grades = read_qrels(data / f"{corpus}_qrels.tsv")
    queries = read_jsonl(data / f"{corpus}_queries.jsonl")
    return [Cell(f"{corpus}/{kind}", documents,
                 [Query(q["id"], q["text"], q.get("source_doc_id")) for q in queries if q["type"] == kind], grades)
            for kind in ("keywords", "title")]


def techmarket_cell(data: Path) -> Cell:
    """Demand -> achievement: techmarket achievements plus every ChinaXiv and CSL paper, each as
    title + text; queries are the judged demands' name + description."""
    documents = [Document(row["id"], f"{row['name']}\n{row.get('description') or ''}",
                          [w for w in (row.get("tech_field") or "").split("-") if w],
                          {"industry": row.get("industry_section"), "field": row.get("tech_field")})
                 for row in read_jsonl(data / "techmarket_achievements.jsonl")]
    for corpus in ("chinaxiv", "csl"):
        documents += [Document(row["id"], f"{row.get('title') or ''}\n{row.get('abstract') or ''}", keywords_of(row))
                      for row in read_jsonl(data / f"{corpus}_docs.jsonl")]
    grades = read_qrels(data / "techmarket_qrels.tsv")
    demands = {row["id"]: row for row in read_jsonl(data / "techmarket_demands.jsonl")}
    queries = [Query(demand_id, f"{demands[demand_id]['name']}\n{demands[demand_id].get('description') or ''}")
               for demand_id in grades if demand_id in demands]
    return Cell("techmarket/demands", documents, queries, grades)


def cells(data: Path) -> list[Cell]:
    return [*paper_cells(data, "chinaxiv"), *paper_cells(data, "csl"), techmarket_cell(data)]


def cached_vectors(encoder, texts: list[str], label: str, queries: bool = False, chunk: int = 256) -> np.ndarray:
    digest = hashlib.sha256("\x1e".join([encoder.name, *texts]).encode()).hexdigest()[:16]
    path = CACHE / f"{label.replace('/', '-')}-{encoder.name}-{digest}.npy"
    if path.exists():
        return np.load(path)
    encode = encoder.encode_queries if queries else encoder.encode
    # Encoding a corpus can take an hour on a small machine: chunks are kept as they finish, so
    # an interrupted run resumes where it stopped.
    parts = path.with_suffix(".parts")
    parts.mkdir(parents=True, exist_ok=True)
    chunks = []
    for start in range(0, len(texts), chunk):
        part = parts / f"{start}.npy"
        if not part.exists():
            np.save(part, encode(texts[start:start + chunk]))
        chunks.append(np.load(part))
    vectors = np.concatenate(chunks) if chunks else encode([])
    np.save(path, vectors)
    shutil.rmtree(parts)
    return vectors
