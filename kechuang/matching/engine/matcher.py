"""Hybrid matching: BM25 and dense-vector retrieval fused with structured signals.

A need (a demand, or a problem typed in an enterprise's own words) is cut into terms and
encoded. The best lexical and the best semantic candidates are pooled; each candidate gets

    first = lexical * z(BM25) + semantic * z(cosine) + Σ signal weights
            + listed * z(listed terms held) + co_occurrence * z(pairs of them sharing a clause)
    score = first + neighbourhood * z(cosine to the centre of the first pass's best few)
                  + feedback * z(rarity-weighted terms held that the first pass's best one repeats)

where z() standardises a score over the pool, so that the retrievers count alike whatever
their scales, BM25 counts the words inside a longer query term less (`weigh_subwords`), and the
signals are the structured facts both records carry (same field, industry, chain, district;
readiness; budget against price; freshness). The weights are tuned on the development data
(docs/matching.md).

Ranking says which candidates are best; it does not say whether the best is any good. That is
`strength`: an absolute measure (share of the need's term weight the record covers, and cosine
similarity), calibrated so that a "strong match" label means the record likely solves the need.
"""

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from itertools import chain

import ahocorasick
import numpy as np

from .bm25 import Bm25Index, top_rows
from .encoders import E5SmallEncoder, Encoder
from .text import Tokenizer, bigrams, normalise
from .vectors import VectorIndex

# The most terms the feedback pass looks for in every candidate (finding them costs time with
# every match; an abstract has 60-150 distinct terms, a long demand several hundred).
FEEDBACK_TERMS = 48

SIGNALS = ("same_field", "same_industry", "same_chain", "same_district", "readiness", "budget", "freshness")

SIGNAL_LABELS_ZH = {
    "same_field": "技术领域相同", "same_industry": "所属行业相同", "same_chain": "同一产业链",
    "same_district": "同一区县", "readiness": "成熟度满足需求", "budget": "价格在预算之内",
    "freshness": "近期发布",
}


@dataclass
class Weights:
    lexical: float = 1.25
    bigram: float = 0.75
    semantic: float = 0.6
    phrase_boost: float = 2.0
    subword: float = 0.25
    # Second pass, pseudo-relevance feedback within the pool (docs/matching.md): similarity to
    # the centroid of the first pass's best few, and the terms its best one repeats.
    neighbourhood: float = 1.0
    neighbourhood_depth: int = 3
    feedback: float = 1.0
    # A need written as a list of terms ("石墨烯 导热 复合材料"): how many of the listed terms a
    # record contains, whatever their rarity, and how many pairs of them it names in one clause.
    listed_terms: float = 1.0
    co_occurrence: float = 1.0
    same_field: float = 0.3
    same_industry: float = 0.15
    same_chain: float = 0.15
    same_district: float = 0.05
    readiness: float = 0.2
    budget: float = 0.2
    freshness: float = 0.05
    # strength = coverage_weight * lexical coverage + (1 - coverage_weight) * cosine; both
    # calibrated with benchmarks/matching/calibrate.py (docs/matching.md)
    coverage_weight: float = 0.3
    strong_threshold: float = 0.44
    pool: int = 100


# The defaults above were measured with USE. Another encoder's cosines sit on another scale and
# carry more or less of the ranking, so its weights and threshold are measured for it
# (benchmarks/matching/run.py and calibrate.py with --encoder; docs/matching.md, "Encoders").
TUNED_WEIGHTS: dict[str, dict] = {
    E5SmallEncoder.name: {"semantic": 1.0, "listed_terms": 1.5, "neighbourhood": 1.5, "feedback": 0.75,
                          "coverage_weight": 0.1, "strong_threshold": 0.845},
}


def weights_for(encoder_name: str) -> Weights:
    """The weights measured with that encoder; the defaults for an encoder not measured."""
    return Weights(**TUNED_WEIGHTS.get(encoder_name, {}))


@dataclass
class Record:
    id: str
    text: str
    title: str = ""
    kind: str = "achievement"
    keywords: list[str] = field(default_factory=list)
    field: str | None = None
    industry: str | None = None
    chain: str | None = None
    district: str | None = None
    readiness: int | None = None
    price: float | None = None
    published: date | None = None

    def searchable(self) -> str:
        return "\n".join(part for part in (self.title, " ".join(self.keywords), self.text) if part)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Record":
        data = dict(data)
        if data.get("published"):
            data["published"] = date.fromisoformat(data["published"])
        return cls(**data)


@dataclass
class Need:
    text: str
    field: str | None = None
    industry: str | None = None
    chain: str | None = None
    district: str | None = None
    readiness: int | None = None      # the least readiness the need can use
    budget: float | None = None       # the most it can pay
    kinds: Sequence[str] | None = None
    exclude: Sequence[str] = ()


@dataclass
class Explanation:
    shared_terms: list[str]
    matched_signals: list[str]
    similarity: float
    coverage: float

    def text_zh(self) -> str:
        parts = []
        if self.shared_terms:
            parts.append("共同关键词：" + "、".join(self.shared_terms))
        if self.matched_signals:
            parts.append("匹配条件：" + "、".join(SIGNAL_LABELS_ZH[s] for s in self.matched_signals))
        parts.append(f"语义相似度 {self.similarity:.0%}")
        return "；".join(parts) + "。"


@dataclass
class Match:
    record: Record
    score: float
    strength: float
    strong: bool
    lexical: float
    semantic: float
    explanation: Explanation


class Matcher:
    def __init__(self, encoder: Encoder, tokenizer: Tokenizer | None = None, weights: Weights | None = None,
                 today: date | None = None):
        self.encoder = encoder
        self.tokenizer = tokenizer or Tokenizer()
        self.weights = weights or Weights()
        self.today = today
        self.records: dict[str, Record] = {}
        self.lexical = Bm25Index()
        self.character_pairs = Bm25Index()
        self.vectors = VectorIndex(encoder.dimension)

    def __len__(self) -> int:
        return len(self.records)

    # -- updates ---------------------------------------------------------------------------
    def add_many(self, records: Sequence[Record], vectors: np.ndarray | None = None,
                 progress=None, batch_size: int = 256) -> None:
        """Indexes records (replacing any with the same id); `vectors` skips the encoder when
        they are known already. `progress(done, total)` is called after every batch."""
        self.tokenizer.add_words(word for record in records for word in record.keywords)
        documents, pairs = [], []
        for start in range(0, len(records), batch_size):
            batch = records[start:start + batch_size]
            batch_vectors = (vectors[start:start + batch_size] if vectors is not None
                             else self.encoder.encode([record.searchable() for record in batch]))
            self.vectors.add_many([record.id for record in batch], batch_vectors)
            for record in batch:
                self.records[record.id] = record
                documents.append((record.id, self.tokenizer.tokens(record.searchable())))
                pairs.append((record.id, bigrams(record.searchable())))
            if progress:
                progress(min(start + batch_size, len(records)), len(records))
        self.lexical.add_many(documents)
        self.character_pairs.add_many(pairs)

    def add(self, record: Record, vector: np.ndarray | None = None) -> None:
        self.tokenizer.add_words(record.keywords)
        if vector is None:
            vector = self.encoder.encode([record.searchable()])[0]
        self.records[record.id] = record
        self.lexical.add(record.id, self.tokenizer.tokens(record.searchable()))
        self.character_pairs.add(record.id, bigrams(record.searchable()))
        self.vectors.add(record.id, vector)

    def remove(self, record_id: str) -> bool:
        self.vectors.remove(record_id)
        self.lexical.remove(record_id)
        self.character_pairs.remove(record_id)
        return self.records.pop(record_id, None) is not None

    # -- queries ---------------------------------------------------------------------------
    def match(self, need: Need, k: int = 10, query_vector: np.ndarray | None = None) -> list[Match]:
        w = self.weights
        words = self.tokenizer.query_weights(need.text, w.phrase_boost)
        terms = self.weigh_subwords(words, known=self.lexical.document_frequency.__contains__)
        if query_vector is None:
            query_vector = self.encoder.encode_queries([need.text])[0]
        # A kind filter may drop half the best candidates; excluded ids take at most their own places.
        pool_size = max(w.pool, k) * (2 if need.kinds else 1) + len(need.exclude)
        word_scores = self.lexical.scores(terms)
        lexical = dict(self._top(self.lexical, word_scores, pool_size))
        semantic = dict(self.vectors.top(query_vector, pool_size))
        pool = [record_id for record_id in dict.fromkeys([*lexical, *semantic])
                if self._eligible(record_id, need)]
        if not pool:
            return []
        word_rows = [self.lexical.rows[record_id] for record_id in pool]
        lex = word_scores[word_rows]
        coverage = self.lexical.scores_of(words, word_rows) / (self.lexical.ceiling(words) or 1.0)
        sem = self.vectors.similarities(query_vector, pool)
        # Character pairs only re-score the pool: its rows are looked up, not every posting scored.
        pair_rows = [self.character_pairs.rows[record_id] for record_id in pool]
        pairs = (self.character_pairs.scores_of(bigrams(need.text), pair_rows) if w.bigram
                 else np.zeros(len(pool), dtype=np.float32))
        records = [self.records[record_id] for record_id in pool]
        return self.rank(need, records, lex=lex, pairs=pairs, sem=sem, coverage=coverage,
                         query_terms=list(terms), idf=self.lexical.idf, k=k,
                         vectors=self.vectors.matrix[[self.vectors.rows[record_id] for record_id in pool]])

    def weigh_subwords(self, weights: dict[str, float], known: Callable[[str], bool]) -> dict[str, float]:
        """A query's term weights with the words found inside a longer query term (支气管, 气管,
        发育, 不良 in 支气管肺发育不良; the search-mode cut yields them all) counting `subword`
        times, where the index holds the longer term (`known`): a record that shares only them
        is about something else. Where it does not, they are all there is to match."""
        inside = {term[i:j] for term in weights if len(term) > 1 and known(term)
                  for i in range(len(term)) for j in range(i + 1, len(term) + 1) if j - i < len(term)}
        terms = {term: weight * (self.weights.subword if term in inside else 1.0) for term, weight in weights.items()}
        return {term: weight for term, weight in terms.items() if weight > 0}

    def rank(self, need: Need, records: list[Record], *, lex: np.ndarray, pairs: np.ndarray, sem: np.ndarray,
             coverage: np.ndarray, query_terms: list[str], idf, k: int,
             vectors: np.ndarray | None = None) -> list[Match]:
        """Fuses a candidate pool's scores with the structured signals, labels strong matches
        and explains them. Shared by every index backend. `coverage` is each candidate's share
        of the need's BM25 weight, over the need's terms as cut (before `weigh_subwords`: the
        label measures the need, not a ranking choice, and stays calibrated when one changes).
        `vectors` are the pool's dense vectors, for the neighbourhood pass."""
        w = self.weights
        signals = np.array([self._signals(record, need) for record in records], dtype=np.float32)
        signal_weights = np.array([getattr(w, name) for name in SIGNALS], dtype=np.float32)
        scores = w.lexical * _z(lex) + w.bigram * _z(pairs) + w.semantic * _z(sem) + signals @ signal_weights
        texts = [_comparable(record.searchable()) for record in records]
        listed = listed_terms(need.text)
        if listed:
            held = [[term for term in listed if term in text] for text in texts]
            scores = scores + w.listed_terms * _z(np.array([len(terms) for terms in held], dtype=np.float32))
            if w.co_occurrence:
                # Terms named in one clause are about one thing; scattered mentions often are not.
                pairs_together = [clause_co_occurrences(text, terms) for text, terms in zip(texts, held, strict=True)]
                scores = scores + w.co_occurrence * _z(np.array(pairs_together, dtype=np.float32))
        if len(records) > w.neighbourhood_depth:
            # The best few are usually right about the topic even when single words mislead.
            best = np.argsort(-scores, kind="stable")[:w.neighbourhood_depth]
            if w.neighbourhood and vectors is not None:
                centre = vectors[best].mean(0)
                scores = scores + w.neighbourhood * _z(vectors @ (centre / max(float(np.linalg.norm(centre)), 1e-12)))
            if w.feedback:
                subject = self._feedback_terms(records[best[0]])
                scores = scores + w.feedback * _z(rarity_weighted_hits(texts, subject))
        matches = []
        for i in np.argsort(-scores, kind="stable")[:k]:
            record = records[i]
            covered = min(float(coverage[i]), 1.0)
            strength = w.coverage_weight * covered + (1 - w.coverage_weight) * max(float(sem[i]), 0.0)
            matched = [name for name, value in zip(SIGNALS, signals[i], strict=True) if value > 0]
            explanation = Explanation(shared_terms(query_terms, record, idf), matched, float(sem[i]), covered)
            matches.append(Match(record, float(scores[i]), strength, strength >= w.strong_threshold,
                                 float(lex[i]), float(sem[i]), explanation))
        return matches

    def _feedback_terms(self, best: Record) -> list[str]:
        """The terms (two characters or more) the best candidate repeats most: its subject, in
        its own words. Longer terms come first among equals, and the term itself breaks the
        remaining ties, so that the cap never depends on the order of a set."""
        counts = Counter(term for term in self.tokenizer.tokens(best.searchable()) if len(term) > 1)
        return sorted(counts, key=lambda term: (-counts[term], -len(term), term))[:FEEDBACK_TERMS]

    @staticmethod
    def _top(index: Bm25Index, scores: np.ndarray, k: int) -> list[tuple[str, float]]:
        return [(index.row_ids[row], float(scores[row])) for row in top_rows(scores, k)]

    def _eligible(self, record_id: str, need: Need) -> bool:
        record = self.records.get(record_id)
        return (record is not None and record_id not in need.exclude
                and (not need.kinds or record.kind in need.kinds))

    def _signals(self, record: Record, need: Need) -> list[float]:
        def same(a, b):
            return 1.0 if a and b and a == b else 0.0

        readiness = 0.0
        if need.readiness and record.readiness:
            gap = need.readiness - record.readiness
            readiness = 1.0 if gap <= 0 else -min(gap / 3, 1.0)
        budget = 0.0
        if need.budget and record.price:
            budget = 1.0 if record.price <= need.budget else -min(record.price / need.budget - 1, 1.0)
        freshness = 0.0
        if record.published and self.today:
            freshness = math.exp(-max((self.today - record.published).days, 0) / 730)
        return [same(record.field, need.field), same(record.industry, need.industry),
                same(record.chain, need.chain), same(record.district, need.district), readiness, budget,
                freshness]


def shared_terms(query_terms: Sequence[str], record: Record, idf, limit: int = 6) -> list[str]:
    """The query's terms found in the record, rarest first, without terms that are part of a
    longer shared term (熔融纺丝 makes 纺丝 redundant)."""
    text = record.searchable().lower()
    kept: list[str] = []
    # Single characters say little about why two records match.
    for term in sorted((t for t in query_terms if len(t) > 1 and t in text), key=len, reverse=True):
        if not any(term in longer for longer in kept):
            kept.append(term)
    kept.sort(key=lambda t: -idf(t))
    return kept[:limit]


_FULL_WIDTH_LETTERS_OR_DIGITS = re.compile("[０-９Ａ-Ｚａ-ｚ]")
_LIST_SEPARATORS = re.compile(r"[\s,，、;；]+")
_CLAUSE_BREAKS = re.compile(r"[。；;！？!?，,\n]")


def listed_terms(text: str) -> list[str]:
    """The terms of a need written as a list: every item between spaces, commas or enumeration
    commas is short. Prose gives none, its items are clauses."""
    parts = [normalise(part) for part in _LIST_SEPARATORS.split(text) if part]
    items = [part for part in parts if len(part) >= 2]
    return items if len(items) >= 2 and all(len(part) <= 16 for part in parts) else []


def clause_co_occurrences(text: str, terms: Sequence[str]) -> int:
    """How many pairs of `terms` share a clause of `text`, summed over its clauses."""
    if len(terms) < 2:
        return 0  # spares splitting the text, for most of a pool
    total = 0
    for clause in _CLAUSE_BREAKS.split(text):
        held = sum(term in clause for term in terms)
        total += held * (held - 1) // 2
    return total


def rarity_weighted_hits(texts: Sequence[str], terms: Sequence[str]) -> np.ndarray:
    """For each text, the terms it contains, each weighted by its rarity within `texts` (an idf
    over the pool, so every index backend computes the same without corpus statistics)."""
    if not terms or not texts:
        return np.zeros(len(texts), dtype=np.float32)
    automaton = ahocorasick.Automaton()
    for column, term in enumerate(terms):
        automaton.add_word(term, column)
    automaton.make_automaton()
    # One Aho-Corasick pass over the distinct texts (a substring search per term and text cost
    # ~5 ms for a pool of 200, and a pool may hold many copies of one text); where a match ends
    # tells which text holds it.
    distinct = list(dict.fromkeys(texts))
    starts = np.cumsum([0, *(len(text) + 1 for text in distinct[:-1])])
    found = np.fromiter(chain.from_iterable(automaton.iter("\x00".join(distinct))), dtype=np.int64).reshape(-1, 2)
    held = np.zeros((len(distinct), len(terms)), dtype=np.float32)
    held[np.searchsorted(starts, found[:, 0], "right") - 1, found[:, 1]] = 1
    row = {text: index for index, text in enumerate(distinct)}
    held = held[[row[text] for text in texts]]
    return held @ np.log((len(texts) + 1) / (held.sum(0) + 0.5)).astype(np.float32)


def _comparable(text: str) -> str:
    """A record's text in the form listed terms take, cheaply: NFKC of a whole Chinese text costs
    ~0.1 ms, so only full-width letters and digits (all NFKC changes for terms) are mapped.
    Records are written in simplified script; OpenCC is left to the need's side."""
    return _FULL_WIDTH_LETTERS_OR_DIGITS.sub(lambda found: chr(ord(found.group()) - 0xFEE0), text).lower()


def _z(values: np.ndarray) -> np.ndarray:
    spread = float(values.std())
    return (values - float(values.mean())) / spread if spread > 1e-9 else np.zeros_like(values)
