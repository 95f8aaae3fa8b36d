"""The matching benchmark's arithmetic and its output, on a small folder laid out like
../shared/data: the figures in docs/matching.md are only as good as this harness."""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.matching import data as bench_data
from benchmarks.matching.metrics import ndcg_at, recall_at, related_scores
from benchmarks.matching.run import KechuangSystem
from kechuang.matching.engine import UniversalSentenceEncoder

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def test_ndcg_uses_gain_two_to_the_grade_minus_one_and_the_ideal_order():
    ranking = ["a", "x", "b"]
    grades = {"a": 2, "b": 1}
    dcg = 3 / math.log2(2) + 1 / math.log2(4)
    ideal = 3 / math.log2(2) + 1 / math.log2(3)
    assert ndcg_at(ranking, grades) == pytest.approx(dcg / ideal)
    assert ndcg_at(["b", "a"], grades, minimum=2) == pytest.approx((3 / math.log2(3)) / 3)
    assert ndcg_at(["x"], {"a": 0}) == 0.0


def test_related_mode_drops_the_source_paper_and_needs_a_related_one():
    grades = {"src": 3, "a": 1, "b": 2}
    assert related_scores(["src", "b", "a"], grades, "src") == (pytest.approx(1.0), 1.0)
    assert related_scores(["a", "src"], grades, "src") == (
        pytest.approx((1 / math.log2(2)) / (3 / math.log2(2) + 1 / math.log2(3))), 0.5)
    assert related_scores(["src"], {"src": 3}, "src") is None
    assert recall_at(["a"] + ["x"] * 60, {"a", "b"}, k=50) == 0.5


def _write(folder: Path, name: str, rows: list[dict]) -> None:
    (folder / name).write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


def _qrels(folder: Path, name: str, rows: list[tuple[str, str, int]]) -> None:
    (folder / name).write_text("query-id\tcorpus-id\tscore\n" + "".join(f"{q}\t{d}\t{s}\n" for q, d, s in rows),
                               encoding="utf-8")


def _paper_corpus(folder: Path, corpus: str, topics: list[tuple[str, str, list[str]]]) -> None:
    """Papers as (title, abstract, keywords); the first one's keywords and title are the two
    queries, and the second paper (same keywords) is the related one."""
    papers = [{"id": f"{corpus}{i}", "title": title, "abstract": abstract, "keywords": keywords, "clc": [],
               "discipline": None} for i, (title, abstract, keywords) in enumerate(topics, 1)]
    _write(folder, f"{corpus}_docs.jsonl", papers)
    source, related = papers[0]["id"], papers[1]["id"]
    _write(folder, f"{corpus}_queries.jsonl", [
        {"id": f"{corpus}-k", "text": " ".join(topics[0][2]), "type": "keywords", "source_doc_id": source},
        {"id": f"{corpus}-t", "text": topics[0][0], "type": "title", "source_doc_id": source},
    ])
    _qrels(folder, f"{corpus}_qrels.tsv", [(query, doc, grade) for query in (f"{corpus}-k", f"{corpus}-t")
                                           for doc, grade in ((source, 3), (related, 2))])


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    _paper_corpus(data, "chinaxiv", [
        ("视频超分辨率重建", "提出一种基于循环卷积网络的视频超分辨率重建方法，利用相邻帧的时序信息恢复细节。",
         ["视频", "超分辨率", "卷积网络"]),
        ("压缩视频超分辨率", "针对压缩视频的块效应，设计融合编码信息的卷积网络超分辨率模型。",
         ["视频", "超分辨率", "卷积网络"]),
        ("丘陵山区农机导航", "研究丘陵山区小地块农机自动导航的路径规划与控制算法。", ["农机", "导航"]),
        ("水稻施氮量与产量", "通过田间试验分析不同施氮量对水稻产量和氮素利用率的影响。", ["水稻", "施氮量"]),
        ("古籍数字化标注", "探讨古籍文本数字化中的实体标注规范与知识组织方法。", ["古籍", "数字化"]),
        ("城市内涝模拟", "建立城市排水管网与地表漫流耦合模型，模拟暴雨内涝过程。", ["内涝", "排水管网"]),
    ])
    _paper_corpus(data, "csl", [
        ("既有桥梁抗震加固", "分析既有混凝土桥梁的抗震性能，提出桥墩抗震加固设计方法。", ["桥梁", "抗震", "加固"]),
        ("桥梁桥墩抗震加固试验", "通过拟静力试验比较三种桥墩抗震加固方案的效果。", ["桥梁", "抗震", "加固"]),
        ("茶叶香气成分", "采用气相色谱质谱分析不同产地绿茶的香气成分差异。", ["茶叶", "香气"]),
        ("中学数学教学", "探讨问题驱动教学法在中学数学课堂中的应用效果。", ["数学教学", "中学"]),
        ("肺癌靶向治疗", "综述非小细胞肺癌靶向药物的临床研究进展与耐药机制。", ["肺癌", "靶向治疗"]),
        ("区块链供应链金融", "构建基于区块链的供应链金融信用传递模型。", ["区块链", "供应链金融"]),
    ])
    _write(data, "techmarket_achievements.jsonl", [
        {"id": "ta1", "name": "锂电池热失控早期预警系统", "tech_field": "新能源-储能",
         "description": "融合温度、电压与气体传感器数据的锂电池组热失控早期预警装置，可提前数分钟报警。"},
        {"id": "ta2", "name": "丘陵地区智能农机导航装置", "tech_field": "先进制造-农机",
         "description": "适用于丘陵山区小地块的农机自动导航与作业质量监测装置。"},
        {"id": "ta3", "name": "茶叶精制加工生产线", "tech_field": "农业-食品加工",
         "description": "绿茶杀青、揉捻、干燥一体化的连续化精制加工生产线。"},
    ])
    _write(data, "techmarket_demands.jsonl", [
        {"id": "td1", "name": "锂电池热失控预警技术需求",
         "description": "现有电池管理系统无法提前预警热失控，希望合作开发多传感器融合预警算法。"},
        {"id": "td2", "name": "深海载人潜水器耐压壳体",
         "description": "寻求万米级深海载人潜水器钛合金耐压球壳的焊接与检测技术。"},
    ])
    # td2 has nothing in this corpus that addresses it, as most real demands.
    _qrels(data, "techmarket_qrels.tsv", [("td1", "ta1", 3), ("td1", "ta2", 0), ("td2", "ta3", 0)])
    return data


def _run_benchmark(data: Path, output: Path, cache: Path, *options: str) -> str:
    """Runs benchmarks/matching/run.py as a user would; returns its log."""
    env = {**os.environ, "KECHUANG_BENCH_CACHE": str(cache)}
    command = [sys.executable, "benchmarks/matching/run.py", "--data", str(data), "--json", str(output), *options]
    return subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stderr


@pytest.fixture(scope="module")
def results(data, tmp_path_factory):
    pytest.importorskip("bm25s")
    pytest.importorskip("tantivy")
    output = data / "results.json"
    log = _run_benchmark(data, output, tmp_path_factory.mktemp("cache"))
    (data / "results.log").write_text(log, encoding="utf-8")
    return json.loads(output.read_text(encoding="utf-8"))


def test_the_json_maps_each_cell_to_its_systems_with_the_issue_s_keys(results):
    assert list(results) == ["chinaxiv/keywords", "chinaxiv/title", "csl/keywords", "csl/title",
                             "techmarket/demands"]
    for cell, systems in results.items():
        assert list(systems) == ["kechuang", "bm25s", "tantivy"]
        expected = ({"ndcg@10", "strict_ndcg@10", "judged@10", "false_strong", "missed_strong"}
                    if cell == "techmarket/demands" else {"ndcg@10", "recall@50", "p50_ms"})
        assert all(set(scores) == expected for scores in systems.values())


def test_every_system_finds_the_related_paper_once_the_source_is_dropped(results):
    for cell in ("chinaxiv/keywords", "chinaxiv/title", "csl/keywords", "csl/title"):
        for system, scores in results[cell].items():
            assert (scores["ndcg@10"], scores["recall@50"]) == (1.0, 1.0), (cell, system)


def test_the_demand_cell_scores_the_solution_and_the_strong_labels(results):
    kechuang = results["techmarket/demands"]["kechuang"]
    # Only td1 has a candidate graded >= 1, and its solution comes first.
    assert (kechuang["ndcg@10"], kechuang["strict_ndcg@10"]) == (1.0, 1.0)
    # td1 has a solution and is labelled strong; td2 has none and is not.
    assert (kechuang["false_strong"], kechuang["missed_strong"]) == (0.0, 0.0)
    # Two judged candidates for td1, one for td2, among each top 10; ta1 is surely there.
    assert 0.05 <= kechuang["judged@10"] <= 0.15
    assert results["techmarket/demands"]["bm25s"]["false_strong"] is None  # the peers label nothing


def test_the_source_excluded_diagnostic_ranks_without_the_query_s_own_paper(data, tmp_path, monkeypatch):
    use = UniversalSentenceEncoder()
    monkeypatch.setattr(bench_data, "CACHE", tmp_path)
    cell = bench_data.paper_cells(data, "chinaxiv")[1]  # title queries
    query = cell.queries[0]
    vectors = {query.id: use.encode_queries([query.text])[0]}
    protocol, _ = KechuangSystem(cell.documents, use, "docs", vectors).search(query, 5)
    diagnostic, _ = KechuangSystem(cell.documents, use, "docs", vectors, exclude_source=True).search(query, 5)
    assert protocol[:2] == ["chinaxiv1", "chinaxiv2"]
    assert diagnostic[0] == "chinaxiv2"
    assert "chinaxiv1" not in diagnostic and len(diagnostic) == 5


def test_the_command_line_flag_turns_the_diagnostic_on_for_the_chosen_cells_only(data, results, tmp_path):
    output = tmp_path / "diagnostic.json"
    log = _run_benchmark(data, output, tmp_path, "--cells", "chinaxiv/title", "--exclude-source")
    assert "[chinaxiv] indexed 6 documents" in log
    assert "ranked without their source paper (diagnostic" in log
    assert "without their source paper" not in (data / "results.log").read_text(encoding="utf-8")
    # The diagnostic keeps the protocol's keys and scoring: the related paper still comes first.
    diagnostic = json.loads(output.read_text(encoding="utf-8"))
    assert list(diagnostic) == ["chinaxiv/title"]
    scores = {system: (cell["ndcg@10"], cell["recall@50"]) for system, cell in diagnostic["chinaxiv/title"].items()}
    assert scores == {"kechuang": (1.0, 1.0), "bm25s": (1.0, 1.0), "tantivy": (1.0, 1.0)}
