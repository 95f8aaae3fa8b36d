"""The PostgreSQL matching backend for multi-machine deployments (KECHUANG_MATCHING_BACKEND=postgres).

Every node reads and writes one table in the platform's database:

    matching_entry(key, kind, record jsonb, words tsvector, terms jsonb, word_count, embedding vector(d))

with a GIN index on `words` and an HNSW index (pgvector, inner product) on `embedding`. A query
pools the best candidates of both indexes, scores the lexical side with the same BM25 as the
embedded index (term frequencies from `terms`, document frequencies counted through the GIN
index), and ranks the pool with the engine's `Matcher.rank`, so explanations, signals and the
strong-match label are the same. The character-pair channel of the embedded index is not kept
here (its weight counts as zero), which docs/matching.md measures.

The table needs the `vector` extension, which not every PostgreSQL has, so the backend creates it
on first use rather than in a migration (ADR 0012).
"""

import json
import math
from collections import Counter

import numpy as np
from django.db import connection, transaction

from kechuang.core.search import tsvector_literal
from kechuang.matching.engine import Matcher, Need, Record

SCHEMA = """
CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE IF NOT EXISTS matching_entry (
    key text PRIMARY KEY,
    kind text NOT NULL,
    record jsonb NOT NULL,
    words tsvector NOT NULL,
    terms jsonb NOT NULL,
    word_count integer NOT NULL,
    embedding vector({dimension}) NOT NULL
);
CREATE INDEX IF NOT EXISTS matching_entry_words ON matching_entry USING gin (words);
CREATE INDEX IF NOT EXISTS matching_entry_kind ON matching_entry (kind);
CREATE INDEX IF NOT EXISTS matching_entry_embedding ON matching_entry USING hnsw (embedding vector_ip_ops);
CREATE TABLE IF NOT EXISTS matching_word (word text PRIMARY KEY);
"""


def vector_literal(vector) -> str:
    return "[" + ",".join(f"{float(x):.6f}" for x in vector) + "]"


class PostgresIndex:
    def __init__(self, make_matcher):
        self.make_matcher = make_matcher
        self._matcher: Matcher | None = None
        self._words_loaded = 0

    # -- schema and the shared dictionary --------------------------------------------------
    def ensure_schema(self, *, replace_other_encoder: bool = False) -> None:
        """Creates the tables on first use. A table made for another encoder is an error, or,
        for a rebuild, dropped and made anew (the new vectors' dimension may differ)."""
        if connection.vendor != "postgresql":
            raise RuntimeError("KECHUANG_MATCHING_BACKEND=postgres needs the platform database on PostgreSQL")
        encoder = self.matcher().encoder
        with connection.cursor() as cursor:
            stored = self._stored_encoder(cursor)
            if stored not in (None, (encoder.name, encoder.dimension)):
                if not replace_other_encoder:
                    # Vectors of two encoders cannot be compared, whatever their dimensions.
                    raise RuntimeError(f"the matching index in PostgreSQL was built with the encoder {stored[0]} "
                                       f"({stored[1]} dimensions), not {encoder.name} ({encoder.dimension}): "
                                       "rebuild it (manage.py matching_rebuild)")
                cursor.execute("DROP TABLE matching_entry")
                stored = None
            if stored is None:
                cursor.execute(SCHEMA.format(dimension=encoder.dimension))
                cursor.execute("COMMENT ON TABLE matching_entry IS %s", [encoder.name])

    @staticmethod
    def _stored_encoder(cursor) -> tuple[str, int] | None:
        """The encoder the table was made for (its name is the table's comment, the dimension
        the vector column's type modifier), or None before the table exists."""
        cursor.execute("SELECT obj_description(attrelid, 'pg_class'), atttypmod FROM pg_attribute "
                       "WHERE attrelid = to_regclass('matching_entry') AND attname = 'embedding'")
        row = cursor.fetchone()
        return (row[0], row[1]) if row else None

    def matcher(self) -> Matcher:
        if self._matcher is None:
            self._matcher = self.make_matcher()
        return self._matcher

    def _sync_words(self) -> None:
        """Loads the dictionary phrases other nodes added, so that every node cuts text alike."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM matching_word")
            if cursor.fetchone()[0] == self._words_loaded:
                return
            cursor.execute("SELECT word FROM matching_word")
            words = [row[0] for row in cursor.fetchall()]
        self.matcher().tokenizer.add_words(words)
        self._words_loaded = len(words)

    # -- writing ---------------------------------------------------------------------------
    def upsert(self, records: list[Record], vectors: np.ndarray | None = None) -> None:
        if not records:
            return
        self.ensure_schema()
        matcher = self.matcher()
        words = sorted({word for record in records for word in record.keywords})
        with transaction.atomic(), connection.cursor() as cursor:
            if words:
                cursor.executemany("INSERT INTO matching_word (word) VALUES (%s) ON CONFLICT DO NOTHING",
                                   [(word,) for word in words])
            self._sync_words()
            if vectors is None:
                vectors = matcher.encoder.encode([record.searchable() for record in records])
            rows = []
            for record, vector in zip(records, vectors, strict=True):
                tokens = matcher.tokenizer.tokens(record.searchable())
                rows.append((record.id, record.kind, json.dumps(record.to_dict(), ensure_ascii=False),
                             tsvector_literal(" ".join(tokens)), json.dumps(Counter(tokens), ensure_ascii=False),
                             max(len(tokens), 1), vector_literal(vector)))
            cursor.executemany(
                "INSERT INTO matching_entry (key, kind, record, words, terms, word_count, embedding) "
                "VALUES (%s, %s, %s::jsonb, %s::tsvector, %s::jsonb, %s, %s::vector) "
                "ON CONFLICT (key) DO UPDATE SET kind = EXCLUDED.kind, record = EXCLUDED.record, "
                "words = EXCLUDED.words, terms = EXCLUDED.terms, word_count = EXCLUDED.word_count, "
                "embedding = EXCLUDED.embedding", rows)

    def remove(self, keys: list[str]) -> None:
        if keys:
            self.ensure_schema()
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM matching_entry WHERE key = ANY(%s)", [list(keys)])

    def rebuild(self, records: list[Record], progress=None, batch_size: int = 256) -> None:
        """Re-encodes every record, in a table made anew after a change of encoder."""
        self.ensure_schema(replace_other_encoder=True)
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE matching_entry")
        for start in range(0, len(records), batch_size):
            self.upsert(records[start:start + batch_size])
            if progress:
                progress(min(start + batch_size, len(records)), len(records))

    # -- reading ---------------------------------------------------------------------------
    def known(self, keys: list[str]) -> set[str]:
        self.ensure_schema()
        with connection.cursor() as cursor:
            cursor.execute("SELECT key FROM matching_entry WHERE key = ANY(%s)", [list(keys)])
            return {row[0] for row in cursor.fetchall()}

    def record(self, key: str) -> Record | None:
        self.ensure_schema()
        with connection.cursor() as cursor:
            cursor.execute("SELECT record FROM matching_entry WHERE key = %s", [key])
            row = cursor.fetchone()
        if row is None:
            return None
        return Record.from_dict(row[0] if isinstance(row[0], dict) else json.loads(row[0]))

    def kind_counts(self) -> dict[str, int]:
        self.ensure_schema()
        with connection.cursor() as cursor:
            cursor.execute("SELECT kind, count(*) FROM matching_entry GROUP BY kind ORDER BY kind")
            return dict(cursor.fetchall())

    def match(self, need: Need, k: int = 10) -> list:
        self.ensure_schema()
        self._sync_words()
        matcher = self.matcher()
        weights = matcher.weights
        words = matcher.tokenizer.query_weights(need.text, weights.phrase_boost)
        query = vector_literal(matcher.encoder.encode_queries([need.text])[0])
        pool = max(weights.pool, k)
        kinds = list(need.kinds or [])
        with transaction.atomic(), connection.cursor() as cursor:
            # A filtered HNSW scan keeps looking until the pool is full (pgvector >= 0.8), so that
            # the few experts among many achievements are still found.
            cursor.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
            cursor.execute("SELECT count(*), coalesce(avg(word_count), 1) FROM matching_entry")
            total, average = cursor.fetchone()
            cursor.execute("SELECT t, (SELECT count(*) FROM matching_entry WHERE words @@ quote_literal(t)::tsquery) "
                           "FROM unnest(%s::text[]) AS t", [list(words)])
            frequency = dict(cursor.fetchall())
            terms = matcher.weigh_subwords(words, known=lambda term: frequency[term] > 0)
            params = {"terms": list(terms), "query": query, "pool": pool, "kinds": kinds,
                      "exclude": list(need.exclude)}
            lexical_sql = (
                "SELECT key FROM matching_entry, (SELECT array_to_string(array(SELECT quote_literal(t) "
                "FROM unnest(%(terms)s::text[]) AS t), ' | ')::tsquery AS q) AS query "
                "WHERE words @@ q AND NOT key = ANY(%(exclude)s) "
                "AND (cardinality(%(kinds)s::text[]) = 0 OR kind = ANY(%(kinds)s)) "
                "ORDER BY ts_rank(words, q) DESC LIMIT %(pool)s")
            semantic_sql = ("SELECT key FROM matching_entry WHERE NOT key = ANY(%(exclude)s) "
                            "AND (cardinality(%(kinds)s::text[]) = 0 OR kind = ANY(%(kinds)s)) "
                            "ORDER BY embedding <#> %(query)s::vector LIMIT %(pool)s")
            keys = []
            if terms:
                cursor.execute(lexical_sql, params)
                keys += [row[0] for row in cursor.fetchall()]
            cursor.execute(semantic_sql, params)
            keys += [row[0] for row in cursor.fetchall()]
            keys = list(dict.fromkeys(keys))
            if not keys:
                return []
            cursor.execute("SELECT key, record, terms, word_count, -(embedding <#> %(query)s::vector), "
                           "embedding::real[] FROM matching_entry WHERE key = ANY(%(keys)s)", {**params, "keys": keys})
            rows = {row[0]: row[1:] for row in cursor.fetchall()}

        def idf(term):
            df = frequency.get(term, 0)
            return math.log(1 + (total - df + 0.5) / (df + 0.5))

        k1, b = matcher.lexical.k1, matcher.lexical.b

        def bm25(counts, norm, weights):
            return sum(idf(term) * weight * counts[term] * (k1 + 1) / (counts[term] + norm)
                       for term, weight in weights.items() if term in counts)

        records, lex, covered, sem, vectors = [], [], [], [], []
        for key in keys:
            record, counts, length, similarity, vector = rows[key]
            vectors.append(vector)
            counts = counts if isinstance(counts, dict) else json.loads(counts)
            norm = k1 * (1 - b + b * length / float(average))
            lex.append(bm25(counts, norm, terms))
            covered.append(bm25(counts, norm, words))
            sem.append(float(similarity))
            records.append(Record.from_dict(record if isinstance(record, dict) else json.loads(record)))
        ceiling = sum(idf(term) * weight for term, weight in words.items() if frequency.get(term)) or 1.0
        return matcher.rank(need, records, lex=np.array(lex, dtype=np.float32), pairs=np.zeros(len(records)),
                            sem=np.array(sem, dtype=np.float32), coverage=np.array(covered) / ceiling,
                            query_terms=list(terms), idf=idf, k=k, vectors=np.array(vectors, dtype=np.float32))
