"""Okapi BM25 over pre-cut terms, with incremental updates.

Postings of the rows present at the last `compact()` are held in CSR arrays (row, term
frequency, precomputed BM25 term weight), so a query costs one vectorised scatter-add per query
term. Rows added since then sit in a small dictionary segment scored with the same formula.
Removing a document only clears its row's `alive` flag; as in Lucene, document frequencies keep
counting removed rows until `compact()` drops them, which changes scores by a hair and keeps
removal O(1) without storing each document's terms twice.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

K1 = 1.2
B = 0.75


class Bm25Index:
    def __init__(self, k1: float = K1, b: float = B):
        self.k1, self.b = k1, b
        self.row_ids: list[str] = []          # row -> document id
        self.rows: dict[str, int] = {}        # document id -> live row
        self.lengths = np.zeros(0, dtype=np.float32)
        self.alive = np.zeros(0, dtype=bool)
        self.document_frequency: dict[str, int] = {}
        self._terms: dict[str, int] = {}      # term -> CSR slot
        self._indptr = np.zeros(1, dtype=np.int64)
        self._postings = np.zeros(0, dtype=np.int32)
        self._frequencies = np.zeros(0, dtype=np.float32)
        self._weights = np.zeros(0, dtype=np.float32)
        self._fresh: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._compacted_rows = 0

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def fresh_rows(self) -> int:
        return len(self.row_ids) - self._compacted_rows

    @property
    def average_length(self) -> float:
        live = self.lengths[self.alive]
        return float(live.mean()) if len(live) else 1.0

    def idf(self, term: str) -> float:
        n, df = len(self.row_ids), self.document_frequency.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    # -- updates ---------------------------------------------------------------------------

    def add(self, doc_id: str, terms: Sequence[str]) -> None:
        self.remove(doc_id)
        row = len(self.row_ids)
        self.row_ids.append(doc_id)
        self.rows[doc_id] = row
        self.lengths = np.append(self.lengths, np.float32(max(len(terms), 1)))
        self.alive = np.append(self.alive, True)
        for term, count in Counter(terms).items():
            self._fresh[term].append((row, count))
            self.document_frequency[term] = self.document_frequency.get(term, 0) + 1

    def add_many(self, documents: Sequence[tuple[str, Sequence[str]]]) -> None:
        """Bulk load followed by a compaction: the fast path for building from scratch."""
        for doc_id, _ in documents:
            self.remove(doc_id)
        start = len(self.row_ids)
        lengths = np.empty(len(documents), dtype=np.float32)
        fresh, frequency = self._fresh, self.document_frequency
        for offset, (doc_id, terms) in enumerate(documents):
            row = start + offset
            self.row_ids.append(doc_id)
            self.rows[doc_id] = row
            lengths[offset] = max(len(terms), 1)
            for term, count in Counter(terms).items():
                fresh[term].append((row, count))
                frequency[term] = frequency.get(term, 0) + 1
        self.lengths = np.concatenate([self.lengths, lengths])
        self.alive = np.concatenate([self.alive, np.ones(len(documents), dtype=bool)])
        self.compact()

    def remove(self, doc_id: str) -> bool:
        row = self.rows.pop(doc_id, None)
        if row is None:
            return False
        self.alive[row] = False
        return True

    def compact(self) -> None:
        """Drops removed rows, renumbers the rest and rebuilds the CSR arrays (with weights for
        the current average length and exact document frequencies)."""
        renumber = np.cumsum(self.alive, dtype=np.int64) - 1
        slots, rows_parts, tf_parts = {}, [], []
        for term in {*self._terms, *self._fresh}:
            rows, tfs = self._postings_of(term)
            keep = self.alive[rows]
            if not keep.any():
                continue
            slots[term] = len(rows_parts)
            rows_parts.append(renumber[rows[keep]].astype(np.int32))
            tf_parts.append(tfs[keep])
        live = np.flatnonzero(self.alive)
        self.row_ids = [self.row_ids[row] for row in live]
        self.rows = {doc_id: row for row, doc_id in enumerate(self.row_ids)}
        self.lengths = self.lengths[live]
        self.alive = np.ones(len(live), dtype=bool)
        self._fresh = defaultdict(list)
        self._terms = slots
        self.document_frequency = {term: len(rows_parts[slot]) for term, slot in slots.items()}
        sizes = np.fromiter((len(part) for part in rows_parts), dtype=np.int64, count=len(rows_parts))
        self._indptr = np.zeros(len(rows_parts) + 1, dtype=np.int64)
        np.cumsum(sizes, out=self._indptr[1:])
        self._postings = np.concatenate(rows_parts) if rows_parts else np.zeros(0, dtype=np.int32)
        self._frequencies = np.concatenate(tf_parts) if tf_parts else np.zeros(0, dtype=np.float32)
        self._compacted_rows = len(self.row_ids)
        norm = self.k1 * (1 - self.b + self.b * self.lengths / self.average_length)
        tf = self._frequencies
        self._weights = (tf * (self.k1 + 1) / (tf + norm[self._postings])).astype(np.float32)

    def _postings_of(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        rows = np.zeros(0, dtype=np.int64)
        tfs = np.zeros(0, dtype=np.float32)
        slot = self._terms.get(term)
        if slot is not None:
            start, end = self._indptr[slot], self._indptr[slot + 1]
            rows, tfs = self._postings[start:end].astype(np.int64), self._frequencies[start:end]
        fresh = self._fresh.get(term)
        if fresh:
            added = np.asarray(fresh, dtype=np.int64)
            rows = np.concatenate([rows, added[:, 0]])
            tfs = np.concatenate([tfs, added[:, 1].astype(np.float32)])
        return rows, tfs

    # -- queries ---------------------------------------------------------------------------
    def scores(self, query_terms: Sequence[str] | dict[str, float]) -> np.ndarray:
        """BM25 score of every row; removed rows score 0. `query_terms` is a list of terms or
        a mapping of term -> weight (how many times it counts)."""
        scores = np.zeros(len(self.row_ids), dtype=np.float32)
        average = self.average_length
        weighted = query_terms if isinstance(query_terms, dict) else Counter(query_terms)
        for term, count in weighted.items():
            if term not in self.document_frequency:
                continue
            weight = self.idf(term) * count
            slot = self._terms.get(term)
            if slot is not None:
                start, end = self._indptr[slot], self._indptr[slot + 1]
                scores[self._postings[start:end]] += weight * self._weights[start:end]
            for row, tf in self._fresh.get(term, ()):
                norm = self.k1 * (1 - self.b + self.b * self.lengths[row] / average)
                scores[row] += weight * tf * (self.k1 + 1) / (tf + norm)
        if self.fresh_rows or len(self.rows) < len(self.row_ids):
            scores[~self.alive] = 0
        return scores

    def top(self, query_terms: Sequence[str] | dict[str, float], k: int) -> list[tuple[str, float]]:
        scores = self.scores(query_terms)
        return [(self.row_ids[row], float(scores[row])) for row in top_rows(scores, k)]

    def ceiling(self, query_terms: Sequence[str] | dict[str, float]) -> float:
        """The score of a document holding every query term once at average length: the
        yardstick that makes lexical scores comparable between queries."""
        weighted = query_terms if isinstance(query_terms, dict) else Counter(query_terms)
        return sum(self.idf(term) * count for term, count in weighted.items() if term in self.document_frequency)

    # -- persistence -----------------------------------------------------------------------
    def state(self) -> dict:
        self.compact()
        return {"k1": self.k1, "b": self.b, "row_ids": self.row_ids, "lengths": self.lengths,
                "terms": list(self._terms), "indptr": self._indptr, "postings": self._postings,
                "frequencies": self._frequencies}

    @classmethod
    def from_state(cls, state: dict) -> "Bm25Index":
        index = cls(float(state["k1"]), float(state["b"]))
        index.row_ids = [str(doc_id) for doc_id in state["row_ids"]]
        index.rows = {doc_id: row for row, doc_id in enumerate(index.row_ids)}
        index.lengths = np.asarray(state["lengths"], dtype=np.float32)
        index.alive = np.ones(len(index.row_ids), dtype=bool)
        index._terms = {str(term): slot for slot, term in enumerate(state["terms"])}
        index._indptr = np.asarray(state["indptr"], dtype=np.int64)
        index._postings = np.asarray(state["postings"], dtype=np.int32)
        index._frequencies = np.asarray(state["frequencies"], dtype=np.float32)
        index._fresh = defaultdict(list)
        index.compact()
        return index


def top_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """Rows of the k highest positive scores, best first."""
    if not len(scores) or k <= 0:
        return np.zeros(0, dtype=np.int64)
    candidates = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    candidates = candidates[scores[candidates] > 0]
    return candidates[np.argsort(-scores[candidates], kind="stable")]
