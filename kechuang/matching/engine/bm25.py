"""Okapi BM25 over pre-cut terms, with incremental updates.

Postings of the rows present at the last `compact()` are held in CSR arrays (row, term
frequency, precomputed BM25 term weight), so a query costs one vectorised scatter-add per query
term. Rows added since then sit in a small dictionary segment scored with the same formula.
Removing a document only clears its row's `alive` flag; as in Lucene, document frequencies keep
counting removed rows until `compact()` drops them, which changes scores by a hair and keeps
removal O(1) without storing each document's terms twice.
"""

import math
from array import array
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
    def _holds_removed_rows(self) -> bool:
        """Removed rows keep their place (and postings) until `compact()`."""
        return len(self.rows) < len(self.row_ids)

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
        """Bulk load: postings go into flat arrays and one sort builds the CSR arrays, so a
        million documents need no per-term Python lists."""
        for doc_id, _ in documents:
            self.remove(doc_id)
        start = len(self.row_ids)
        vocabulary = dict(self._terms)
        term_ids, frequencies, rows = array("i"), array("f"), array("i")
        lengths = np.empty(len(documents), dtype=np.float32)
        for offset, (doc_id, terms) in enumerate(documents):
            row = start + offset
            self.row_ids.append(doc_id)
            self.rows[doc_id] = row
            lengths[offset] = max(len(terms), 1)
            counts = Counter(terms)
            for term, count in counts.items():
                term_id = vocabulary.get(term)
                if term_id is None:
                    term_id = vocabulary[term] = len(vocabulary)
                term_ids.append(term_id)
                frequencies.append(count)
            rows.extend([row] * len(counts))
        self.lengths = np.concatenate([self.lengths, lengths])
        self.alive = np.concatenate([self.alive, np.ones(len(documents), dtype=bool)])
        self._rebuild(vocabulary, (np.frombuffer(term_ids, dtype=np.int32), np.frombuffer(rows, dtype=np.int32),
                                   np.frombuffer(frequencies, dtype=np.float32)))

    def remove(self, doc_id: str) -> bool:
        row = self.rows.pop(doc_id, None)
        if row is None:
            return False
        self.alive[row] = False
        return True

    def compact(self) -> None:
        """Drops removed rows, renumbers the rest and rebuilds the CSR arrays (with weights for
        the current average length and exact document frequencies)."""
        self._rebuild(dict(self._terms), None)

    def _rebuild(self, vocabulary: dict[str, int], added) -> None:
        """CSR arrays from the compacted postings, the fresh segment and `added` (term ids,
        rows, frequencies); `vocabulary` maps terms to ids, the compacted ones keeping their slot."""
        sizes = np.diff(self._indptr)
        ids = [np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)]
        rows, frequencies = [self._postings.astype(np.int32)], [self._frequencies]
        for term, items in self._fresh.items():
            term_id = vocabulary.setdefault(term, len(vocabulary))
            fresh = np.asarray(items, dtype=np.int64).reshape(-1, 2)
            ids.append(np.full(len(fresh), term_id, dtype=np.int32))
            rows.append(fresh[:, 0].astype(np.int32))
            frequencies.append(fresh[:, 1].astype(np.float32))
        if added is not None:
            ids.append(added[0])
            rows.append(added[1])
            frequencies.append(added[2])
        ids, rows, frequencies = np.concatenate(ids), np.concatenate(rows), np.concatenate(frequencies)
        keep = self.alive[rows]
        ids, rows, frequencies = ids[keep], rows[keep], frequencies[keep]
        rows = (np.cumsum(self.alive, dtype=np.int64) - 1)[rows].astype(np.int32)
        # Stable: each term's postings stay in row order, which `scores_of` searches.
        order = np.argsort(ids, kind="stable")
        ids, rows, frequencies = ids[order], rows[order], frequencies[order]
        per_term = np.bincount(ids, minlength=len(vocabulary))
        present = per_term > 0
        slots = np.cumsum(present) - 1
        terms = list(vocabulary)
        self._terms = {terms[i]: int(slots[i]) for i in np.flatnonzero(present)}
        self.document_frequency = {terms[i]: int(per_term[i]) for i in np.flatnonzero(present)}
        self._indptr = np.zeros(int(present.sum()) + 1, dtype=np.int64)
        np.cumsum(per_term[present], out=self._indptr[1:])
        self._postings, self._frequencies = rows, frequencies
        live = np.flatnonzero(self.alive)
        self.row_ids = [self.row_ids[row] for row in live]
        self.rows = {doc_id: row for row, doc_id in enumerate(self.row_ids)}
        self.lengths = self.lengths[live]
        self.alive = np.ones(len(live), dtype=bool)
        self._fresh = defaultdict(list)
        self._compacted_rows = len(self.row_ids)
        self._weights = self._term_weight(frequencies, self.lengths[rows], self.average_length).astype(np.float32)

    # -- queries ---------------------------------------------------------------------------
    def scores(self, query_terms: Sequence[str] | dict[str, float]) -> np.ndarray:
        """BM25 score of every row; removed rows score 0. `query_terms` is a list of terms or
        a mapping of term -> weight (how many times it counts)."""
        scores = np.zeros(len(self.row_ids), dtype=np.float32)
        for weight, start, end, fresh in self._query_postings(query_terms):
            if end > start:
                scores[self._postings[start:end]] += weight * self._weights[start:end]
            for row, tf in fresh:
                scores[row] += weight * tf
        if self._holds_removed_rows:
            scores[~self.alive] = 0
        return scores

    def scores_of(self, query_terms: Sequence[str] | dict[str, float], rows: Sequence[int]) -> np.ndarray:
        """`scores(query_terms)[rows]`, without a pass over every posting of every query term:
        a few hundred candidates are looked up in each term's postings (sorted by row) instead,
        which at a million documents saves several milliseconds for common terms."""
        rows = np.asarray(rows, dtype=np.int32)
        scores = np.zeros(len(rows), dtype=np.float32)
        place = None
        for weight, start, end, fresh in self._query_postings(query_terms):
            if end > start:
                postings = self._postings[start:end]
                at = np.minimum(np.searchsorted(postings, rows), len(postings) - 1)
                held = postings[at] == rows
                scores[held] += weight * self._weights[start + at[held]]
            if fresh and place is None:
                place = {int(row): i for i, row in enumerate(rows)}
            for row, tf in fresh:
                if row in place:
                    scores[place[row]] += weight * tf
        if self._holds_removed_rows:
            scores[~self.alive[rows]] = 0
        return scores

    def _query_postings(self, query_terms: Sequence[str] | dict[str, float]):
        """For each query term in the index: its weight (idf times how many times it counts),
        its compacted postings' bounds, and its fresh rows with their BM25 term weights."""
        average = None
        weighted = query_terms if isinstance(query_terms, dict) else Counter(query_terms)
        for term, count in weighted.items():
            if term not in self.document_frequency:
                continue
            slot = self._terms.get(term)
            start, end = (int(self._indptr[slot]), int(self._indptr[slot + 1])) if slot is not None else (0, 0)
            fresh = self._fresh.get(term, ())
            if fresh and average is None:
                # A mean over every live row (~1 ms at a million rows): only fresh postings need it.
                average = self.average_length
            yield self.idf(term) * count, start, end, [(row, self._term_weight(tf, self.lengths[row], average))
                                                       for row, tf in fresh]

    def _term_weight(self, frequency, length, average_length):
        return frequency * (self.k1 + 1) / (frequency + self.k1 * (1 - self.b + self.b * length / average_length))

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
