"""Nearest neighbours among unit vectors by dot product.

Up to `exact_limit` live rows a query is one matrix-vector product, exact and fast. Past that,
an HNSW graph (usearch, vectors stored as half floats) answers in about a millisecond at a
million rows; it is built on demand and kept up to date by later additions and removals.
"""

import numpy as np

EXACT_LIMIT = 50_000


class VectorIndex:
    def __init__(self, dimension: int, exact_limit: int = EXACT_LIMIT):
        self.dimension = dimension
        self.exact_limit = exact_limit
        self.row_ids: list[str] = []
        self.rows: dict[str, int] = {}
        self.matrix = np.zeros((0, dimension), dtype=np.float32)
        self.alive = np.zeros(0, dtype=bool)
        self._ann = None

    def __len__(self) -> int:
        return len(self.rows)

    def add_many(self, ids: list[str], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, self.dimension)
        for doc_id in ids:
            self.remove(doc_id)
        start = len(self.row_ids)
        self.row_ids.extend(ids)
        self.rows.update({doc_id: start + offset for offset, doc_id in enumerate(ids)})
        self.matrix = np.concatenate([self.matrix, vectors]) if len(self.matrix) else vectors.copy()
        self.alive = np.concatenate([self.alive, np.ones(len(ids), dtype=bool)])
        if self._ann is not None:
            self._ann.add(np.arange(start, start + len(ids), dtype=np.uint64), vectors)
        elif len(self.rows) > self.exact_limit:
            self._build_ann()

    def add(self, doc_id: str, vector: np.ndarray) -> None:
        self.add_many([doc_id], np.asarray(vector).reshape(1, -1))

    def remove(self, doc_id: str) -> bool:
        row = self.rows.pop(doc_id, None)
        if row is None:
            return False
        self.alive[row] = False
        if self._ann is not None:
            self._ann.remove(row)
        return True

    def vector(self, doc_id: str) -> np.ndarray | None:
        row = self.rows.get(doc_id)
        return None if row is None else self.matrix[row]

    def similarities(self, query: np.ndarray, doc_ids: list[str]) -> np.ndarray:
        rows = [self.rows.get(doc_id) for doc_id in doc_ids]
        out = np.zeros(len(doc_ids), dtype=np.float32)
        known = [i for i, row in enumerate(rows) if row is not None]
        if known:
            out[known] = self.matrix[[rows[i] for i in known]] @ query
        return out

    def top(self, query: np.ndarray, k: int) -> list[tuple[str, float]]:
        if not self.rows or k <= 0:
            return []
        query = np.asarray(query, dtype=np.float32).reshape(-1)
        if self._ann is not None:
            found = self._ann.search(query, k)
            return [(self.row_ids[int(row)], 1.0 - float(distance))
                    for row, distance in zip(found.keys, found.distances, strict=True) if self.alive[int(row)]]
        scores = self.matrix @ query
        scores[~self.alive] = -np.inf
        k = min(k, len(self.rows))
        rows = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.flatnonzero(self.alive)
        rows = rows[np.argsort(-scores[rows], kind="stable")]
        return [(self.row_ids[row], float(scores[row])) for row in rows]

    def _build_ann(self) -> None:
        from usearch.index import Index

        self._ann = Index(ndim=self.dimension, metric="ip", dtype="f16", connectivity=16,
                          expansion_add=128, expansion_search=96)
        live = np.flatnonzero(self.alive)
        self._ann.add(live.astype(np.uint64), self.matrix[live])

    def state(self) -> dict:
        live = np.flatnonzero(self.alive)
        return {"row_ids": [self.row_ids[row] for row in live], "matrix": self.matrix[live]}

    @classmethod
    def from_state(cls, state: dict, dimension: int, exact_limit: int = EXACT_LIMIT) -> "VectorIndex":
        index = cls(dimension, exact_limit)
        index.add_many(list(state["row_ids"]), state["matrix"])
        return index
