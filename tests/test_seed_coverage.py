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


def seeds():
    """The seed folder, or a skip where it is not available."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed pages not available at {SEEDS}")
    return SEEDS


@pytest.fixture(scope="module")
def report():
    return sc.analyse(seeds())


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


# -- themes, by meaning -------------------------------------------------------------------
@pytest.fixture(scope="module")
def themes():
    return sc.analyse_themes(seeds())


def test_the_thirty_three_recurring_themes_are_all_carried(themes):
    assert themes["themes"] == 33
    assert themes["recurring"] == 33
    missing = [(r["theme"], f["name"]["en"]) for r in themes["rows"] for f in r["facets"]
               if not f["blocks"]]
    assert not missing
    assert themes["carried"] == 33


def test_every_facet_has_evidence_in_the_seeds_and_in_both_languages_of_a_block(themes):
    blocks = sc.load_blocks()
    for row in themes["rows"]:
        assert row["plans"] >= 2, row["theme"]
        for facet in row["facets"]:
            assert facet["seeds"], (row["theme"], facet["name"])
            best = facet["blocks"][0]
            assert best["org_type"] in blocks[best["block"]]["org_types"]
            assert len(best["zh"]) >= 2 and len(best["en"]) >= 2
            assert best["zh_sample"] and best["en_sample"]


def test_themes_are_matched_by_meaning_across_old_and_new_wording(themes):
    """The seeds say 院感, 新农合 and 健康扶贫; the library says 医院感染, 医保 and 乡村振兴.
    The same theme joins them."""
    rows = {r["theme"]: r for r in themes["rows"]}
    seed_words = {w for s in rows["infection_control"]["facets"][0]["seeds"] for w in s["words"]}
    assert {"院感", "院内感染"} & seed_words
    assert rows["infection_control"]["facets"][0]["blocks"][0]["zh"][0] == "医院感染"
    insurance = rows["medical_insurance"]["facets"][0]
    assert any("新农合" in s["words"] or "新型农村合作医疗" in s["words"] for s in insurance["seeds"])
    assert insurance["blocks"][0]["block"] == "insurance/medical_insurance"
    rural = rows["rural_revitalisation"]["facets"][0]
    assert rural["blocks"][0]["block"] == "public_health/rural_revitalisation"


def test_a_passage_carries_a_facet_only_when_it_names_its_subject():
    facet = sc.load_themes()["safety_production"]["facets"][0]
    assert facet.hits(sc.normalise("每季度开展一次安全生产培训，节假日实行领导带班。"))
    assert facet.hits(sc.normalise("每季度开展一次业务培训，节假日实行领导带班。")) is None  # no anchor
    assert facet.hits(sc.normalise("切实抓好安全生产工作。")) is None                      # no concept
    plans = sc.split_plans("甲计划 篇1\n加强安全生产。\n每季度组织一次培训。\n\n乙计划 篇2\n"
                           "每季度组织一次培训。\n加强安全生产。\n", "t")
    found = sc.seed_themes(plans, {"safety_production": {"facets": [facet]}})
    assert [r["plan"] for r in found[("safety_production", 0)]] == ["t#1"]  # anchor first


def test_the_tool_reports_themes_and_checks_them(capsys):
    assert sc.main(["--seeds", str(seeds()), "--check"]) == 0
    out = capsys.readouterr().out
    assert "themes:  33 of 33 themes recur in two or more plans; 33/33 carried" in out
    assert "village doctors' pay and pen village/doctors" in out
