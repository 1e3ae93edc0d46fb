"""The importer measured against the gold annotations of the sample pages (tools/import_score.py)."""
import sys
from pathlib import Path

import pytest

import planwriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import import_score  # noqa: E402

GOLD = ROOT / "tests" / "data" / "import-gold"
HELDOUT = ROOT / "tests" / "data" / "import-heldout"


def totals(folder, as_read=False):
    rows = []
    for gold in sorted(folder.glob("*.gold.yaml")):
        rows.extend(import_score.score_file(gold, import_score.DEFAULT_INPUTS, planwriter.default_environment(),
                                            as_read))
    total = import_score.Counts()
    for r in rows:
        assert "error" not in r, r
        total += r["counts"]
    return {name: total.ratio(a, b) for name, a, b in import_score.COLUMNS}, rows


@pytest.mark.skipif(not import_score.DEFAULT_INPUTS.is_dir(), reason="the sample pages are not on this machine")
def test_the_sample_pages_meet_the_targets():
    figures, rows = totals(GOLD)
    assert len(rows) == 33
    assert figures["headings P"] >= 0.97 and figures["headings R"] >= 0.97
    assert figures["text kept"] >= 0.99 and figures["round trip"] >= 0.98
    assert figures["clutter left"] <= 0.01
    read, _ = totals(GOLD, as_read=True)  # indicators as read, whatever the model can place
    assert read["ind P"] >= 0.90 and read["ind R"] >= 0.90


def test_the_scorer_runs_on_any_folder_of_pairs(tmp_path):
    (tmp_path / "p.txt").write_text("青山镇卫生院2025年工作计划\n\n一、工作目标\n参合率达95%以上。\n", encoding="utf-8")
    (tmp_path / "p.gold.yaml").write_text(
        "input: p.txt\nclutter: []\nplans:\n  - lines: 1-4\n    language: zh\n    title: 青山镇卫生院2025年工作计划\n"
        "    title_line: 1\n    outline:\n      - {line: 3, level: 1, heading: 工作目标}\n"
        "    indicators:\n      - {line: 4, name: 参合率, comparator: at_least, value: 95, unit: percent}\n",
        encoding="utf-8")
    figures, rows = totals(tmp_path, as_read=True)
    assert figures["headings R"] == 1 and figures["ind R"] == 1 and figures["text kept"] >= 0.99
    assert import_score.main([str(tmp_path), "--quiet"]) == 0


def test_the_held_out_set_scores_without_errors():
    figures, rows = totals(HELDOUT)
    assert len(rows) == 6


def test_the_development_set_meets_the_targets():
    DEV = ROOT / "tests" / "data" / "import-dev"
    figures, rows = totals(DEV, as_read=True)
    assert len(rows) == 6
    assert figures["headings P"] >= 0.97 and figures["headings R"] >= 0.97
    assert figures["ind P"] >= 0.90 and figures["ind R"] >= 0.90
    assert figures["clutter left"] <= 0.01


def test_the_second_development_set_meets_the_targets():
    """Taiwanese pages of every layout and hard-wrapped county texts sent with their notices."""
    DEV2 = ROOT / "tests" / "data" / "import-dev2"
    figures, rows = totals(DEV2, as_read=True)
    assert len(rows) == 7
    assert figures["headings P"] >= 0.97 and figures["headings R"] >= 0.97
    assert figures["items P"] >= 0.95 and figures["items R"] >= 0.95
    assert figures["ind P"] >= 0.90 and figures["ind R"] >= 0.80
    assert figures["text kept"] >= 0.95 and figures["title"] >= 0.85
