"""Indicator and schedule phrasing, in both languages, as users read it."""
import pytest

import planwriter
from planwriter.composer import Composer
from planwriter.schedule import parse_when

from conftest import make_plan

ENV = planwriter.default_environment()


@pytest.mark.parametrize("locale, comparator, value, unit, baseline, text", [
    ("zh", "at_least", 95, "percent", None, "参合率达到95%以上"),
    ("zh", "at_most", 10, "per_100k", None, "参合率控制在10/10万以内"),
    ("zh", "reach", 3.5, "permille", None, "参合率达到3.5‰"),
    ("zh", "increase_by", 500, "persons", None, "参合率提高500人"),
    ("zh", "decrease_by", 2, "percent", 8, "参合率降低2%（上年为8%）"),
    ("zh", "reach", 12000, "yuan", None, "参合率达到1.2万元"),
    ("zh", "at_least", 2, "times", None, "参合率不少于2次"),
    ("en", "at_least", 95, "percent", None, "participation rate of at least 95%"),
    ("en", "at_most", 10, "per_100k", None, "participation rate of no more than 10 per 100,000"),
    ("en", "reach", 3.5, "permille", None, "participation rate of 3.5‰"),
    ("en", "increase_by", 500, "persons", None, "participation rate up by 500 people"),
    ("en", "decrease_by", 2, "percent", 8, "participation rate down by 2% (baseline: 8%)"),
    ("en", "reach", 12000, "yuan", None, "participation rate of CNY 12,000"),
    ("en", "at_least", 2, "times", None, "participation rate of at least twice"),
])
def test_indicator_phrase(locale, comparator, value, unit, baseline, text):
    name = "参合率" if locale == "zh" else "participation rate"
    assert ENV.indicator_phrase(locale, name, comparator, value, unit, baseline) == text


@pytest.mark.parametrize("when, zh, en", [
    ("2025-06-30", "6月30日", "30 June"),
    ("2025-06", "6月", "June"),
    ("6", "6月", "June"),
    ("Q1", "第一季度", "Q1"),
    ("2025-Q4", "第四季度", "Q4"),
    ("H1", "上半年", "First half"),
    ("H2", "下半年", "Second half"),
    ("2025-09..2025-10", "9—10月", "September–October"),
    ("Q2..Q3", "第二季度至第三季度", "Q2–Q3"),
    ("by 2025-06", "6月底前", "By the end of June"),
    ("by Q3", "9月底前", "By the end of September"),
    ("by 2025-06-15", "6月15日前", "By 15 June"),
    ("2026-03", "2026年3月", "March 2026"),
    ("2025", "全年", "Full year"),
])
def test_schedule_times(when, zh, en):
    plan = make_plan([{"kind": "schedule", "schedule": [{"when": when, "what": "x"}]}])
    w = parse_when(when)
    assert Composer(plan, ENV, "zh").when(w) == zh
    assert Composer(plan, ENV, "en").when(w) == en


def test_schedule_as_list_reads_as_sentences():
    plan = make_plan([{"kind": "schedule", "layout": "list", "schedule": [
        {"when": "Q1", "what": {"zh": "完成培训", "en": "Train all staff"},
         "owner": {"zh": "办公室", "en": "General Office"}}]}])
    zh = planwriter.render_markdown(plan, "zh")
    en = planwriter.render_markdown(plan, "en")
    assert "（一）第一季度：完成培训（责任部门：办公室）" in zh
    assert "1.1 Q1: Train all staff (lead: General Office)" in en


def test_dates_are_written_without_leading_zeros():
    plan = make_plan([{"kind": "closing", "text": "x"}], date="2025-01-05")
    assert planwriter.render_markdown(plan, "zh").endswith("2025年1月5日\n")
    assert planwriter.render_markdown(plan, "en").endswith("5 January 2025\n")


@pytest.mark.parametrize("when, zh, en", [
    ("2025-11..2026-02", "2025年11月至2026年2月", "November 2025–February 2026"),
    ("2026-03..2026-04", "2026年3—4月", "March–April 2026"),
    ("2026-Q1..2026-Q2", "2026年第一季度至第二季度", "Q1–Q2 2026"),
])
def test_ranges_across_years_name_their_years(when, zh, en):
    plan = make_plan([{"kind": "schedule", "schedule": [{"when": when, "what": "x"}]}])
    w = parse_when(when)
    assert Composer(plan, ENV, "zh").when(w) == zh
    assert Composer(plan, ENV, "en").when(w) == en


@pytest.mark.parametrize("when, zh, en, span", [
    ("Q1", "2026年第一季度", "Q1 2026", ("2026-01-01", "2026-03-31")),
    ("9", "2025年9月", "September 2025", ("2025-09-01", "2025-09-30")),
    ("3", "2026年3月", "March 2026", ("2026-03-01", "2026-03-31")),
    ("by 6", "2026年6月底前", "By the end of June 2026", ("2025-07-01", "2026-06-30")),
])
def test_times_without_a_year_fall_inside_a_period_across_two_years(when, zh, en, span):
    import datetime as dt
    plan = make_plan([{"kind": "schedule", "schedule": [{"when": when, "what": "x"}]}],
                     period={"start": "2025-07-01", "end": "2026-06-30"})
    w = parse_when(when)
    assert Composer(plan, ENV, "zh").when(w) == zh
    assert Composer(plan, ENV, "en").when(w) == en
    assert w.span(plan.meta.span) == tuple(dt.date.fromisoformat(d) for d in span)


def test_year_and_period_must_agree():
    with pytest.raises(ValueError, match="year 2025 does not match the period"):
        make_plan([{"kind": "preamble"}], year=2025, period={"start": "2026-01-01", "end": "2026-12-31"})


@pytest.mark.parametrize("when", ["0000", "0000-06", "1900-Q1", "9999-01-01"])
def test_impossible_years_are_refused(when):
    with pytest.raises(ValueError, match="is not between 1949 and 2200"):
        parse_when(when)
