"""Seed coverage: every recurring passage of the sample plans has a block,
and the library itself stores each passage once."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
import seed_coverage as sc  # noqa: E402

SEEDS = sc.DEFAULT_SEEDS


@pytest.fixture(scope="module")
def report():
    if not SEEDS.is_dir():
        pytest.skip(f"seed pages not available at {SEEDS}")
    return sc.analyse(SEEDS)


def test_plans_and_paragraphs_are_found(report):
    assert report["plans"] >= 25
    assert report["paragraphs"] > 500


def test_duplication_share_is_reported(report):
    assert 0.1 < report["duplicate_share"] < 0.5


def test_many_clusters(report):
    assert report["clusters"] > 50


def test_every_content_cluster_is_covered(report):
    uncovered = [r for r in report["rows"] if r["status"] == "uncovered"]
    assert not uncovered, uncovered
    assert report["covered"] == report["content_clusters"]


def test_covering_blocks_exist(report):
    blocks = sc.load_blocks()
    assert all(r["block"] in blocks for r in report["rows"] if r["status"] == "covered")


def test_library_has_no_cross_block_duplicates():
    lib = sc.analyse_library()
    assert lib["paragraphs"] > 0
    assert lib["clusters"] == 0, lib["duplicates"]


def test_plan_splitting_handles_run_in_english_headers():
    text = ("Intro of the page.\n\nAnnual report 2021 township health center work plan (1)\n\n"
            "First paragraph of plan one is long enough.\n\nLast words. Work Plan (2)\n\n"
            "Plan two text that is long enough to count.\n")
    plans = sc.split_plans(text, "t")
    assert [p.paragraphs for p in plans] == [
        ["First paragraph of plan one is long enough.", "Last words."],
        ["Plan two text that is long enough to count."],
    ]


def test_cruft_lines_are_dropped():
    text = "某某工作计划 篇1\n来源:范文都 阅读:6.46K 次\n正文第一段内容足够长，可以计入段落统计。\n"
    (plan,) = sc.split_plans(text, "t")
    assert plan.paragraphs == ["正文第一段内容足够长，可以计入段落统计。"]


def test_near_duplicates_need_different_plans():
    a = "认真落实消毒隔离制度，严格执行无菌技术操作规程，加强重点科室管理。"
    pars = sc.make_pars([("p1", a), ("p1", a), ("p2", "完全不同的一段文字，讲的是财务管理和审计监督工作。")])
    assert sc.near_duplicate_clusters(pars) == []
    pars = sc.make_pars([("p1", a), ("p2", "1、" + a.replace("，", ","))])
    assert sc.near_duplicate_clusters(pars) == [[0, 1]]
