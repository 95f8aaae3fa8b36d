"""Chinese full-text search shared by the libraries.

Text is cut into words with rjieba (search mode, so 锂离子 also yields 离子), folded
(NFKC turns full-width forms half-width, lower case: lib.text.fold) and stripped of stop words. The words are stored
space-separated in the record's `search_tokens` column and indexed by the database:

- SQLite: an FTS5 table `<table>_fts` (rowid = record id), ranked with bm25();
- PostgreSQL: the record's `search_vector` (tsvector, GIN index), ranked with ts_rank().

A query is cut the same way and matches records containing any of its words, best first, so a
demand phrased in other words still finds a record through the words they share.
"""

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import rjieba
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kechuang.core.validators import parse_number
from kechuang.lib.text import STOP_WORDS, fold

WORD = re.compile(r"\w", re.UNICODE)


_index_listeners: list = []


def on_index_change(listener) -> None:
    """Registers `listener(table, pks)`, called after a commit that changed the search index of
    some rows of `table`; the matching index follows the libraries this way without the
    libraries importing it."""
    if listener not in _index_listeners:
        _index_listeners.append(listener)


def notify_index_change(table: str, pks) -> None:
    pks = sorted({int(pk) for pk in pks})
    if pks and _index_listeners:
        transaction.on_commit(lambda: [listener(table, pks) for listener in _index_listeners])


def tokenize(text: str) -> list[str]:
    # isalnum() is true for Chinese characters too; it drops spaces and punctuation.
    return [word for word in rjieba.cut_for_search(fold(text))
            if word not in STOP_WORDS and (word.isalnum() or WORD.search(word))]


def index_text(*parts: str) -> str:
    return " ".join(tokenize(" ".join(part for part in parts if part)))


def query_words(query: str) -> list[str]:
    """The distinct words of a query, in order."""
    return list(dict.fromkeys(tokenize(query)))


def highlight(text: str, words: list[str], *, limit: int | None = None) -> str:
    """HTML-escaped text with the query's words wrapped in <mark>."""
    text = text or ""
    if limit and len(text) > limit:
        first = min((text.find(word) for word in words if word in text), default=0)
        start = max(0, first - limit // 4)
        text = ("…" if start else "") + text[start:start + limit] + "…"
    escaped = html.escape(text)
    candidates = sorted({html.escape(word) for word in words if len(word) > 0}, key=len, reverse=True)
    if candidates:
        pattern = re.compile("|".join(re.escape(word) for word in candidates), re.IGNORECASE)
        escaped = pattern.sub(lambda match: f"<mark>{match.group(0)}</mark>", escaped)
    return mark_safe(escaped)


def tsvector_literal(tokens: str) -> str:
    """PostgreSQL tsvector input for space-separated tokens, with their positions, so that bulk
    inserts carry the vector without running the text-search parser row by row."""
    positions: dict[str, list[int]] = {}
    for position, word in enumerate(tokens.split(), start=1):
        positions.setdefault(word, []).append(min(position, 16383))
    return " ".join("'" + word.replace("\\", "\\\\").replace("'", "''") + "':" + ",".join(map(str, spots[:256]))
                    for word, spots in positions.items())


def tsquery_text(words: list[str]) -> str:
    """PostgreSQL tsquery input matching any of the words, each quoted as a literal lexeme."""
    return " | ".join("'" + word.replace("\\", "").replace("'", "''") + "'" for word in words)


@dataclass(frozen=True)
class SearchIndex:
    """The full-text index of one model with `search_tokens` and `search_vector` columns."""

    table: str

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    @staticmethod
    def vendor() -> str:
        return connection.vendor

    # -- maintenance ---------------------------------------------------------------------

    def create(self, schema_editor) -> None:
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.fts_table} USING fts5(tokens)")
        elif schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {self.table}_search_gin ON {self.table} USING gin (search_vector)"
            )

    def drop(self, schema_editor) -> None:
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"DROP TABLE IF EXISTS {self.fts_table}")
        elif schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {self.table}_search_gin")

    def store(self, rows: list[tuple[int, str]]) -> None:
        """Writes (id, tokens) pairs to the index; the caller has saved the same `search_tokens`."""
        if not rows:
            return
        notify_index_change(self.table, [pk for pk, _tokens in rows])
        with connection.cursor() as cursor:
            if self.vendor() == "sqlite":
                cursor.executemany(f"DELETE FROM {self.fts_table} WHERE rowid = %s", [(pk,) for pk, _ in rows])
                cursor.executemany(f"INSERT INTO {self.fts_table} (rowid, tokens) VALUES (%s, %s)", rows)
            else:  # the rows' search_tokens are saved: one statement vectorises them all
                cursor.execute(
                    f"UPDATE {self.table} SET search_vector = to_tsvector('simple', search_tokens) WHERE id = ANY(%s)",
                    [[pk for pk, _tokens in rows]],
                )

    def prepare_bulk(self, objects) -> None:
        """Before a bulk insert: on PostgreSQL the vectors go in with the rows."""
        if self.vendor() == "postgresql":
            for instance in objects:
                instance.search_vector = tsvector_literal(instance.search_tokens)

    def store_bulk(self, objects) -> None:
        """After a bulk insert: on SQLite the FTS table gets the rows."""
        if self.vendor() == "sqlite":
            self.store([(instance.pk, instance.search_tokens) for instance in objects])
        else:
            notify_index_change(self.table, [instance.pk for instance in objects])

    def remove(self, pk: int) -> None:
        notify_index_change(self.table, [pk])
        if self.vendor() == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {self.fts_table} WHERE rowid = %s", [pk])

    # -- queries -----------------------------------------------------------------------------

    def ranked_ids(self, words: list[str], limit: int = 2000) -> list[tuple[int, float]]:
        """Ids of the records containing any of the words, best first, with their scores."""
        if not words:
            return []
        with connection.cursor() as cursor:
            if self.vendor() == "sqlite":
                match = " OR ".join('"' + word.replace('"', '""') + '"' for word in words)
                cursor.execute(
                    f"SELECT rowid, -bm25({self.fts_table}) FROM {self.fts_table} "
                    f"WHERE {self.fts_table} MATCH %s ORDER BY bm25({self.fts_table}) LIMIT %s",
                    [match, limit],
                )
            else:
                tsquery = tsquery_text(words)
                cursor.execute(
                    f"SELECT id, ts_rank(search_vector, q) AS score FROM {self.table}, CAST(%s AS tsquery) q "
                    f"WHERE search_vector @@ q ORDER BY score DESC, id DESC LIMIT %s",
                    [tsquery, limit],
                )
            return [(row[0], float(row[1])) for row in cursor.fetchall()]


RELEVANCE_LIMIT = 1000


@dataclass
class SearchPage:
    page: object
    words: list[str]
    matched: list[tuple] | None  # with a query: (pk, pk or published_at, *extra_columns) of every match
    truncated: bool


def search_page(queryset, index: SearchIndex, query: str, *, sort: str = "", page_number="1",
                page_size: int = 20, related=(), extra_columns=()) -> SearchPage:
    """One page of the records of `queryset` that match the query, best first (or newest first
    with sort="date"); without a query, the newest. With a query, the RELEVANCE_LIMIT best
    matches of the whole index are ranked, then `queryset`'s filters keep those it allows; the
    `extra_columns` of every match come back too (the facet keys, counted without another query)."""
    words = query_words(query)
    if not words:
        page = Paginator(queryset.select_related(*related).order_by("-published_at", "-id"), page_size)
        return SearchPage(page.get_page(page_number), words, None, False)
    # The publication date is only read (and converted) when it decides the order.
    date_column = "published_at" if sort == "date" else "pk"
    if SearchIndex.vendor() == "postgresql":
        # One statement: the filters, the ranking and the columns, best first.
        query = SearchQuery(tsquery_text(words), search_type="raw", config="simple")
        ranked = list(queryset.filter(search_vector=query).annotate(score=SearchRank(
            F("search_vector"), query)).order_by("-score", "-pk").values_list(
            "pk", date_column, *extra_columns)[:RELEVANCE_LIMIT])
        rows, truncated = ranked, len(ranked) == RELEVANCE_LIMIT
        if sort == "date":
            rows = sorted(rows, key=lambda row: (row[1] is not None, row[1], row[0]), reverse=True)
    else:
        best = index.ranked_ids(words, RELEVANCE_LIMIT)
        truncated = len(best) == RELEVANCE_LIMIT
        rank = {pk: position for position, (pk, _score) in enumerate(best)}
        # No ORDER BY: the rows are sorted here, and an ORDER BY would tempt SQLite to walk a date index.
        rows = list(queryset.filter(pk__in=list(rank)).order_by().values_list("pk", date_column, *extra_columns))
        if sort == "date":
            rows.sort(key=lambda row: (row[1] is not None, row[1], row[0]), reverse=True)
        else:
            rows.sort(key=lambda row: rank[row[0]])
    page = Paginator([row[0] for row in rows], page_size).get_page(page_number)
    objects = queryset.model.objects.select_related(*related).in_bulk(page.object_list)
    page.object_list = [objects[pk] for pk in page.object_list]
    return SearchPage(page, words, rows, truncated)


@dataclass
class LibrarySearchResult:
    """What a library's search selector hands its page and API."""

    page: object
    words: list[str]
    facets: dict = field(default_factory=dict)
    truncated: bool = False
    ignored: list[str] = field(default_factory=list)  # why a filter value was left out


def count_facets(queryset, matched: list[tuple] | None, columns) -> dict[str, Counter]:
    """Counts per facet value: in Python over the matched rows when there is a query (their
    `columns` follow the pk and date of `SearchPage.matched`), otherwise with one GROUP BY per
    facet on the record table."""
    counts = {column: Counter() for column in columns}
    if matched is not None:
        for position, column in enumerate(columns, start=2):
            counts[column].update(row[position] for row in matched)
        return counts
    for column in columns:
        counts[column].update(dict(queryset.order_by().values_list(column).annotate(total=Count("pk"))
                                   .values_list(column, "total")))
    return counts


def all_matches(queryset, index: SearchIndex, query: str):
    """Every record of `queryset` the search would list (for exports): the query's best
    RELEVANCE_LIMIT matches, or all records newest first without a query."""
    words = query_words(query)
    if not words:
        return queryset.order_by("-published_at", "-id")
    return queryset.filter(pk__in=[pk for pk, _score in index.ranked_ids(words, RELEVANCE_LIMIT)])


def filter_reference_facets(queryset, params):
    """The facets both libraries share: high-tech field and industry (a top-level code matches
    its children through the copied facet keys) and industry chain."""
    if params.tech_field:
        queryset = queryset.filter(Q(facet_field=params.tech_field) | Q(tech_field__code=params.tech_field))
    if params.industry:
        queryset = queryset.filter(Q(facet_section=params.industry) | Q(industry__code=params.industry))
    if params.chain:
        queryset = queryset.filter(chain__code=params.chain)
    return queryset


class QueryParams:
    """Mixin for the dataclasses of a portal's query-string parameters (all text)."""

    @classmethod
    def from_query(cls, params):
        return cls(**{name: (params.get(name) or "").strip() for name in cls.__dataclass_fields__})

    @property
    def ignored(self) -> dict[str, str]:
        """{parameter: why its value was left out}, filled by `number`."""
        return self.__dict__.setdefault("_ignored", {})

    def number(self, name: str, field) -> Decimal | None:
        """The number typed into filter `name`, held to the range of the column it filters (a
        bounded model field), or None when it is empty or unusable (NaN, Infinity, 1E+999999999,
        out of range): such a filter is left out and the reason kept in `ignored` for the page."""
        text = getattr(self, name)
        if not text:
            return None
        try:
            value = parse_number(text)
            field.range_validator(value)
        except ValidationError as error:
            self.ignored[name] = _("The filter “%(value)s” was ignored: %(problem)s") % {
                "value": text[:40], "problem": " ".join(error.messages)}
            return None
        return value
