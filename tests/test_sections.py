"""Every section kind renders in both languages with its heading and content."""
import pytest

import planwriter
from planwriter.model import SECTION_KINDS
from planwriter.tree import Heading, Paragraph

from conftest import make_plan

HEADINGS = {
    "situation": ("基本情况", "Current situation"),
    "guiding_ideology": ("指导思想", "Guiding principles"),
    "principles": ("基本原则", "Working principles"),
    "goals": ("工作目标", "Objectives"),
    "tasks": ("主要任务", "Key tasks"),
    "measures": ("工作措施", "Measures"),
    "schedule": ("进度安排", "Timetable"),
    "responsibilities": ("责任分工", "Division of responsibilities"),
    "safeguards": ("保障措施", "Support and safeguards"),
    "inspection": ("检查考核", "Monitoring and evaluation"),
}


def test_every_kind_is_covered():
    assert set(HEADINGS) | {"preamble", "closing", "custom"} == set(SECTION_KINDS)


@pytest.mark.parametrize("kind", sorted(HEADINGS))
@pytest.mark.parametrize("locale", ["zh", "en"])
def test_numbered_kind_has_default_heading(kind, locale):
    plan = make_plan([{"kind": kind, "text": {"zh": "正文。", "en": "Body."}}])
    doc = planwriter.compose(plan, locale)
    heading = HEADINGS[kind][0 if locale == "zh" else 1]
    assert doc.blocks[0] == Heading(1, heading)
    assert doc.blocks[1] == Paragraph("正文。" if locale == "zh" else "Body.")


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_own_title_overrides_default_heading(locale):
    plan = make_plan([{"kind": "goals", "title": {"zh": "年度目标", "en": "Targets for 2025"},
                       "text": {"zh": "正文。", "en": "Body."}}])
    assert planwriter.compose(plan, locale).blocks[0].text == (
        "年度目标" if locale == "zh" else "Targets for 2025")


@pytest.mark.parametrize("kind", ["preamble", "closing"])
@pytest.mark.parametrize("locale", ["zh", "en"])
def test_preamble_and_closing_are_unnumbered_text(kind, locale):
    plan = make_plan([{"kind": kind, "text": {"zh": "第一段。\n\n第二段。", "en": "One.\n\nTwo."}}])
    doc = planwriter.compose(plan, locale)
    assert not doc.headings()
    assert [b.text for b in doc.blocks] == (["第一段。", "第二段。"] if locale == "zh" else ["One.", "Two."])


@pytest.mark.parametrize("locale, words", [("zh", ["青山镇卫生院", "2025年"]),
                                           ("en", ["Qingshan Township Health Center", "2025"])])
def test_preamble_without_text_uses_the_template(locale, words):
    doc = planwriter.compose(make_plan([{"kind": "preamble"}, {"kind": "closing"}]), locale)
    assert len(doc.blocks) == 2
    for w in words:
        assert w in doc.blocks[0].text


def test_custom_section_needs_a_title():
    plan = make_plan([{"kind": "custom", "text": "x"}])
    with pytest.raises(planwriter.PlanError, match="custom section needs a title"):
        planwriter.compose(plan, "zh")
    plan = make_plan([{"kind": "custom", "title": {"zh": "其他工作", "en": "Other work"}}])
    assert planwriter.compose(plan, "en").blocks[0] == Heading(1, "Other work")


@pytest.mark.parametrize("locale, title", [
    ("zh", "青山镇卫生院2025年工作计划"),
    ("en", "Qingshan Township Health Center: Work Plan for 2025")])
def test_document_title(locale, title):
    assert planwriter.compose(make_plan([{"kind": "preamble"}]), locale).title == title


def test_period_title_when_plan_does_not_cover_a_calendar_year():
    plan = make_plan([{"kind": "preamble"}], period={"start": "2025-07-01", "end": "2026-06-30"})
    assert planwriter.compose(plan, "zh").title == "青山镇卫生院工作计划（2025年7月—2026年6月）"
    assert planwriter.compose(plan, "en").title == \
        "Qingshan Township Health Center: Work Plan, July 2025 to June 2026"


def test_indicator_table_layout():
    plan = make_plan([{"kind": "goals", "layout": "table", "indicators": [
        {"name": {"zh": "建档率", "en": "Record coverage"}, "comparator": "at_least", "value": 90,
         "unit": "%", "baseline": 85}]}])
    table = planwriter.compose(plan, "zh").blocks[1]
    assert table.header == ("指标", "目标", "上年")
    assert table.rows == (("建档率", "90%以上", "85%"),)
    assert planwriter.compose(plan, "en").blocks[1].rows == (("Record coverage", "at least 90%", "85%"),)


def test_responsibilities_table():
    plan = make_plan([{"kind": "responsibilities", "responsibilities": [
        {"owner": {"zh": "医务科", "en": "Medical Affairs"}, "duties": {"zh": "医疗质量", "en": "Quality"}}]}])
    assert planwriter.compose(plan, "en").blocks[1].header == ("Office", "Responsibilities")
    assert planwriter.compose(plan, "zh").blocks[1].rows == (("医务科", "医疗质量"),)


def test_missing_language_in_a_text_is_located(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("meta:\n  organisation: {zh: 甲, en: A}\n  year: 2025\n  locales: [zh, en]\n"
                 "sections:\n  - kind: goals\n    text: {zh: 只有中文}\n", encoding="utf-8")
    plan = planwriter.load(f)
    with pytest.raises(planwriter.PlanError) as e:
        planwriter.render_markdown(plan, "en")
    assert str(e.value) == f"{f}:7: sections[0].text: has no 'en' text"


def test_item_with_text_and_sub_items_but_no_title_numbers_its_text():
    plan = make_plan([{"kind": "tasks", "items": [
        {"text": {"zh": "加强管理。\n\n补充说明。", "en": "Manage well.\n\nMore."},
         "items": [{"text": {"zh": "细则。", "en": "Detail."}}]}]}])
    from planwriter.tree import Item
    assert planwriter.compose(plan, "zh").blocks[1:] == (
        Item(2, "加强管理。"), Paragraph("补充说明。"), Item(3, "细则。"))
    assert "1.1 Manage well.\n\nMore.\n\n1.1.1 Detail." in planwriter.render_markdown(plan, "en")


def test_item_with_sub_items_needs_a_title_or_text():
    plan = make_plan([{"kind": "tasks", "items": [{"items": [{"text": "x"}]}]}])
    with pytest.raises(planwriter.PlanError, match="needs a title or a text"):
        planwriter.compose(plan, "zh")
