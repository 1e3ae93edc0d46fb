"""Importing plans of other shapes: Taiwanese text plans, web pages saved as Markdown,
action tables, labelled objectives, numbers in words."""
import pytest

import planwriter

from planwriter.readers import clutter, dates, frame, indicators, markers, read_with_findings, script
from planwriter.readers.lines import Line


# -- Traditional script and numbers in words ------------------------------------------------
@pytest.mark.parametrize("title, year", [
    ("一一四年度護理部工作計畫", 2025),
    ("一百一十四年度工作計畫", 2025),
    ("民國114年度工作計畫", 2025),
    ("114學年度衛生保健計畫", 2025),
    ("二〇二五年工作计划", 2025),
    ("2026年工作要点", 2026),
])
def test_years_in_any_notation(title, year):
    assert frame.year_of(title)[0] == year


@pytest.mark.parametrize("words, value", [
    ("九十五", 95), ("百", 100), ("一百", 100), ("十", 10), ("零點八", 0.8), ("三点五", 3.5), ("甲", None),
])
def test_numbers_in_words(words, value):
    assert script.word_number(words) == value


def test_numbers_map_back_to_the_original_offsets():
    text = "跌倒發生率控制在千分之零點八以下"
    normed, index = script.numbers(text)
    assert normed == "跌倒發生率控制在0.8‰以下"
    assert text[index[normed.index("0")]:index[normed.index("‰")] + 1] == "千分之零點八"
    assert len(index) == len(normed) + 1


@pytest.mark.parametrize("text, name, comparator, value, unit", [
    ("住院病人跌倒發生率控制在千分之零點八以下。", "住院病人跌倒發生率", "below", 0.8, "permille"),
    ("護理人員離職率降至百分之十以下。", "護理人員離職率", "below", 10, "percent"),
    ("新進護理人員到職訓練完成率達百分之百。", "新進護理人員到職訓練完成率", "reach", 100, "percent"),
    ("參合率達到95%以上", "參合率", "at_least", 95, "percent"),
    ("报销比例提高五个百分点", "报销比例", "increase_by_points", 5, "none"),
    ("中心導管相關血流感染密度低於每千導管日1.5件。", "中心導管相關血流感染密度", "below", 1.5, "件/千導管日"),
    ("全年至少培訓臨床教師30名。", "培訓臨床教師", "at_least", 30, "名"),
])
def test_targets_in_traditional_script_and_words(text, name, comparator, value, unit):
    [t] = indicators.find(text, "zh")
    assert (t.name, t.comparator, t.value, t.unit) == (name, comparator, value, unit)
    assert t.name in text  # in the author's script


@pytest.mark.parametrize("text, name, comparator, value, unit, baseline", [
    ("Increase the share of adults with a serious mental illness who have a care plan from 48% to 70% "
     "by December 2026.", "share of adults with a serious mental illness who have a care plan", "reach", 70,
     "percent", 48),
    ("Reduce the average wait for a first appointment to 14 days or less (baseline: 31 days).",
     "average wait for a first appointment", "at_most", 14, "days", 31),
    ("Train at least 200 frontline staff in mental health first aid.",
     "frontline staff trained in mental health first aid", "at_least", 200, "persons", None),
    ("Screen at least 5,000 women for cervical cancer.", "women screened for cervical cancer", "at_least",
     5000, "persons", None),
])
def test_english_targets_with_baselines_and_counts(text, name, comparator, value, unit, baseline):
    [t] = indicators.find(text, "en")
    assert (t.name, t.comparator, t.value, t.unit, t.baseline) == (name, comparator, value, unit, baseline)


@pytest.mark.parametrize("text", [
    "The coverage of health records has reached more than 10%.",
    "Open two walk-in clinics in the north of the county.",
])
def test_english_figures_that_are_not_targets(text):
    assert indicators.find(text, "en") == []


# -- times ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, locale, when", [
    ("第一季", "zh", "Q1"), ("第1季", "zh", "Q1"), ("第二季度至第四季度", "zh", "Q2..Q4"),
    ("二至四季度", "zh", "Q2..Q4"), ("2025年2—4季度", "zh", "2025-Q2..2025-Q4"),
    ("Q2–Q4 2026", "en", "2026-Q2..2026-Q4"), ("Q4 2025 to Q1 2026", "en", "2025-Q4..2026-Q1"),
])
def test_quarters_and_their_ranges(text, locale, when):
    [t] = dates.find_times(text, locale)
    assert t.when == when


# -- markers --------------------------------------------------------------------------------
@pytest.mark.parametrize("text, family, style, value", [
    ("Objective 1: Increase the share", "label:objective", "Objective 1:", 1),
    ("Objective 2: Reduce the wait", "label:objective", "Objective 1:", 2),
    ("Priority B – Workforce", "label:priority", "Priority A –", 2),
    ("目标一：提高覆盖率", "label:目标", "目标一：", 1),
    ("任务2：完成建设", "label:任务", "任务1：", 2),
])
def test_labelled_numbering(text, family, style, value):
    m = markers.parse(text)
    assert (m.family, m.style, m.value) == (family, style, value)


@pytest.mark.parametrize("text", ["Objectives: to do this", "Goal 1 is to", "Target 2025: x"])
def test_words_that_are_not_labels(text):
    assert markers.parse(text) is None or not markers.parse(text).family.startswith("label")


# -- clutter --------------------------------------------------------------------------------
@pytest.mark.parametrize("line, cls", [
    ("Timeline", ""), ("Deadline", ""), ("Search and rescue training", ""), ("Next steps", ""),
    ("Back to top", "navigation"), ("Share this page: Facebook | X | Email", "share"),
    ("Facebook | Twitter", "share"),
])
def test_english_page_furniture_and_words_like_it(line, cls):
    assert clutter.line_class(line) == cls


def test_a_table_of_contents_is_clutter():
    lines = [Line("Plan", 1, level=1), Line("Contents", 2, level=2),
             Line("1. Purpose", 3, links=1.0), Line("2. Actions", 4, links=1.0),
             Line("1. Purpose", 5, level=2), Line("We do it.", 6), Line("2. Actions", 7, level=2)]
    assert clutter.classify(lines) == ["", "toc", "toc", "toc", "", "", ""]
    word = [Line("目录", 1), Line("一、工作目标……3", 2), Line("二、主要任务……5", 3), Line("一、工作目标", 4)]
    assert clutter.classify(word)[:3] == ["toc"] * 3


def test_a_running_head_after_a_page_number():
    lines = [Line("臺北市立和平醫院", 1), Line("一一四年度護理部工作計畫", 2), Line("壹、前言", 3),
             Line("為提升護理照護品質，訂定本計畫。", 4), Line("- 1 -", 5),
             Line("和平醫院護理部一一四年度工作計畫", 6), Line("貳、工作目標", 7)]
    classes = clutter.classify(lines)
    assert classes[4:6] == ["page_number", "running_head"]
    assert classes[6] == ""


def test_dated_key_value_lines_are_not_an_infobox():
    lines = [Line(t, i + 1) for i, t in enumerate(["第一季：完成規劃。", "第二季：完成上線。", "第三季：辦理發表會。"])]
    assert clutter.classify(lines) == ["", "", ""]


# -- whole plans ----------------------------------------------------------------------------
HANT = """臺北市立和平醫院
一一四年度護理部工作計畫

壹、前言
    為提升護理照護品質，落實以病人為中心之照護理念，依據本
院中長程發展計畫，訂定本年度工作計畫。

貳、工作目標
一、住院病人跌倒發生率控制在千分之零點八以下。
二、病人滿意度達90%以上。

參、實施策略
一、提升照護品質
（一）推動跌倒預防照護組合，每月分析跌倒事件，並於護理品質
      委員會提出改善方案。
（二）落實管路照護。

肆、預定進度
第一季：完成年度教育訓練規劃。
第二季：完成電子交班系統全院上線。
"""


def test_a_taiwanese_text_plan(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(HANT.encode("big5"))
    r = read_with_findings(path)
    meta = r.data["meta"]
    assert meta["title"] == "臺北市立和平醫院一一四年度護理部工作計畫"
    assert meta["organisation"] == "臺北市立和平醫院" and meta["year"] == 2025
    kinds = [s["kind"] for s in r.data["sections"]]
    assert kinds == ["custom", "goals", "measures", "schedule"]
    measures = r.data["sections"][2]["items"][0]["items"]
    # the hanging indent goes on in the item
    assert measures[0]["text"].endswith("並於護理品質委員會提出改善方案。")
    full = r.extra["full"]["sections"]
    assert [e["when"] for e in full[3]["schedule"]] == ["Q1", "Q2"]
    goals = full[1]
    assert [i["value"] for i in goals["indicators"]] == [0.8, 90]


ACTION_MD = """[Home](/) > [Publications](/publications) > Action plans

# Riverside County Mental Health Action Plan 2026

**Prepared by:** Riverside County Health Department
**Status:** Approved by the Board of Health, 12 January 2026

## Contents

- [1. Purpose](#1-purpose)
- [2. Actions](#2-actions)
- [3. Timeline](#3-timeline)

## 1. Purpose

This plan sets out how the county will improve access.

## 2. Actions

Objective 1: Increase the share of adults who have a care plan from 48% to 70%.

Objective 2: Train at least 200 frontline staff in mental health first aid.

### 2.1 Access

1. Extend crisis line hours to 24 hours a day.
   a) Recruit six additional crisis workers.
   b) Publish the new hours on the county website.
2. Offer supervision to every new counsellor.

| Action | Lead | Timeline | Budget |
|---|---|---|---|
| Walk-in clinics | Primary Care Team | Jan–Jun 2026 | $450,000 |
| Staff training | Workforce Unit | Q2–Q4 2026 | 60k USD |

## 3. Timeline

- **Q1 2026:** recruit staff.
- **Q2 2026:** open the first walk-in clinic.

[Back to top](#top)
"""


def _everywhere(data, key):
    """Every entry of the lists under ``key`` anywhere in ``data``."""
    if isinstance(data, list):
        return [x for d in data for x in _everywhere(d, key)]
    if isinstance(data, dict):
        return list(data.get(key, [])) + [x for k, v in data.items() if k != key for x in _everywhere(v, key)]
    return []


def test_a_web_page_saved_as_markdown():
    r = read_with_findings(ACTION_MD, format="markdown")
    meta = r.data["meta"]
    assert meta["organisation"] == "Riverside County Health Department"
    assert str(meta["date"]) == "2026-01-12"
    dropped = {f.text for f in r.findings if f.kind == "dropped"}
    assert {"Contents", "1. Purpose", "Back to top"} <= dropped
    full = r.extra["full"]["sections"]
    assert [s.get("title") for s in full] == ["Purpose", "Actions", "Timeline"]
    actions = full[1]
    content = actions.get("content") or [actions]
    found = _everywhere(actions, "indicators")
    assert {(i["name"], i["value"], i.get("baseline")) for i in found} == {
        ("share of adults who have a care plan", 70, 48), ("frontline staff trained in mental health first aid", 200, None)}
    access = next(i for part in content for i in part.get("items", []) if i.get("title") == "Access")
    content = access.get("content") or [access]
    items = [i for part in content for i in part.get("items", [])]
    # lettered lines under a list item are its sub-items
    crisis = next(i for i in items if "crisis line" in (i.get("title", "") + i.get("text", "")))
    assert [c["text"] for c in crisis["items"]] == ["Recruit six additional crisis workers.",
                                                   "Publish the new hours on the county website."]
    # the table at the margin after the list belongs to the section, as an action table
    acts = _everywhere(actions, "actions")
    assert acts[0] == {"title": "Walk-in clinics", "owner": "Primary Care Team", "timeline": "2026-01..2026-06",
                       "budget": {"amount": 450000, "unit": "USD"}}
    assert acts[1]["budget"] == {"amount": 60000, "unit": "USD"} and acts[1]["timeline"] == "2026-Q2..2026-Q4"
    assert full[2]["schedule"] == [{"when": "2026-Q1", "what": "recruit staff"},
                                   {"when": "2026-Q2", "what": "open the first walk-in clinic"}]
    # and the plan still loads in this planwriter's model
    assert str(r.plan.meta.title) == "Riverside County Mental Health Action Plan 2026"


def test_dated_numbered_items_in_a_schedule_section():
    r = read_with_findings("某院2025年工作计划\n一、进度安排\n1. 3月：制定方案。\n2. 4月—6月：组织实施。\n"
                           "3. 12月底前：总结。\n二、保障措施\n加强领导。\n")
    assert r.extra["full"]["sections"][0]["schedule"] == [
        {"when": "3", "what": "制定方案"}, {"when": "4..6", "what": "组织实施"}, {"when": "by 12", "what": "总结"}]


@pytest.mark.parametrize("text, lang, name, value, unit", [
    ("The community health service will cover 100% of the residents.", "en",
     "community health service coverage of residents", 100, "percent"),
    ("Screening will cover 90% of women aged 35 to 64.", "en", "Screening coverage of women aged 35 to 64", 90,
     "percent"),
    ("开展专题讲座4次以上。", "zh", "专题讲座", 4, "times"),
    ("每班健康教育课不少于6课时。", "zh", "每班健康教育课", 6, "课时"),
])
def test_coverage_and_counts_of_activities(text, lang, name, value, unit):
    [t] = indicators.find(text, lang)
    assert (t.name, t.value, t.unit) == (name, value, unit)


def test_word_numbering_instances_of_one_list_nest_in_it(tmp_path):
    import importlib.util
    from pathlib import Path
    spec = importlib.util.spec_from_file_location(
        "dev_build", Path(__file__).parent / "data" / "import-dev" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    path = tmp_path / "school.docx"
    build.school_docx(path)
    r = read_with_findings(path)
    assert r.data["meta"]["title"] == "青山市第一中学2025年学校卫生与健康教育工作计划"
    tasks = r.data["sections"][2]
    control = tasks["items"][2]
    # ① restarted through a second numbering instance stays under （三）
    assert control["title"] == "加强传染病防控"
    first, second = control["items"]
    # 严格落实晨午检制度，因病缺课登记追踪率达到100%: the target is the item's sentence
    assert first["content"] == [{"lead": "严格落实晨午检制度，", "layout": "sentence", "indicators": [
        {"name": "因病缺课登记追踪率", "comparator": "reach", "value": 100, "unit": "percent"}]}]
    # 3月底前完成新生预防接种证查验。: a dated step, said as the item's sentence
    assert second == {"schedule": [{"when": "by 3", "what": "完成新生预防接种证查验"}], "layout": "sentence"}
    assert r.extra["full"]["meta"]["attachments"] == ["2025年学校健康教育课程安排表", "学生视力筛查登记表"]


def test_a_page_laid_out_in_a_table_keeps_its_blocks():
    page = """<html><body><table><tr><td class="side"><ul><li><a href="/a">訓育組</a></li>
<li><a href="/b">衛生組</a></li></ul></td><td class="main">
<h3>青山國中114學年度學校衛生工作計畫</h3>
<p>壹、依據：<br>一、學校衛生法。<br>二、教育局實施計畫。</p>
<p>貳、預定進度：<br>114年9月：召開學校衛生委員會。<br>115年3月：辦理成果展。</p>
<table><tr><th>工作項目</th><th>負責單位</th></tr><tr><td>視力檢查</td><td>衛生組</td></tr></table>
</td></tr></table></body></html>"""
    from planwriter.readers import html
    lines = html.lines_of(page)
    texts = [ln.text for ln in lines]
    assert "壹、依據：" in texts and "一、學校衛生法。" in texts and "115年3月：辦理成果展。" in texts
    assert next(ln for ln in lines if ln.text == "訓育組").zone == "nav"
    # a data table inside the layout table stays a table
    assert [ln.table for ln in lines if ln.table] == [[["工作項目", "負責單位"], ["視力檢查", "衛生組"]]]
    r = read_with_findings(page, format="html")
    assert r.data["meta"]["year"] == 2025
    steps = r.extra["full"]["sections"][1]["schedule"]
    assert [s["when"] for s in steps] == ["2025-09", "2026-03"]  # ROC years


@pytest.mark.parametrize("text, date", [
    ("中華民國114年1月20日", "2025-01-20"), ("114年1月20日", "2025-01-20"), ("2025年1月20日", "2025-01-20"),
])
def test_issue_dates_in_roc_years(text, date):
    assert str(dates.issue_date(text)) == date


def test_units_of_the_text_stay_in_its_script():
    [t] = indicators.find("健康教育課程每週至少一節。", "zh")
    assert (t.name, t.value, t.unit) == ("健康教育課程每週", 1, "節")  # how often stays in its name


def test_html_lists_carry_their_markers():
    from planwriter.readers import html
    page = """<ol><li>甲</li><li>乙<ol type="a"><li>丙</li><li>丁</li></ol></li></ol>
<ol start="4" type="I"><li>戊</li></ol><ul><li>己</li><li>（一）庚</li></ul><p>辛</p>"""
    got = [(ln.text, ln.marker, ln.list_level, ln.style) for ln in html.lines_of(page)]
    assert got == [("甲", "1.", 0, "li"), ("乙", "2.", 0, "li"), ("丙", "a)", 1, "li"), ("丁", "b)", 1, "li"),
                   ("戊", "IV.", 0, "li"), ("己", "•", 0, "li"), ("（一）庚", "", 0, "li"), ("辛", "", None, "p")]


def test_targets_of_a_list_keep_their_order_when_the_model_cannot_hold_them():
    page = """<h1>青山國小114學年度健康促進學校實施計畫</h1><p><b>一、目標</b></p>
<ol><li>學生視力不良率降低2%。</li><li>學生齲齒率降至40%以下。</li><li>學生體位適中比率達60%以上。</li></ol>
<p><b>二、經費</b></p><p>由補助款支應。</p>"""
    r = read_with_findings(page, format="html")
    goals = r.data["sections"][0]
    if "indicators" in goals:  # a model that holds them
        assert [i["name"] for i in goals["indicators"]] == ["學生視力不良率", "學生齲齒率", "學生體位適中比率"]
        return
    texts = [i["text"] for i in goals["items"]] if "items" in goals else goals["text"].split("\n\n")
    assert texts == ["學生視力不良率降低2%。", "學生齲齒率降至40%以下。", "學生體位適中比率達60%以上。"]


@pytest.mark.parametrize("fmt", ["txt", "text", "md", "markdown", "htm", "html", ".html", "TXT"])
def test_formats_by_their_extension_names(fmt):
    text = "青山镇卫生院2025年工作计划\n\n一、目标\n\n做好工作。\n"
    if "htm" in fmt:
        text = "<h1>青山镇卫生院2025年工作计划</h1><p>一、目标</p><p>做好工作。</p>"
    r = read_with_findings(text.encode(), format=fmt)
    assert r.data["meta"]["year"] == 2025


def test_a_data_table_between_texts_is_kept():
    page = """<h1>青山镇卫生院2025年工作计划</h1><p>一、重点工作</p><p>做好以下工作。</p>
<table><tr><th>项目</th><th>数量</th></tr><tr><td>健康讲座</td><td>12</td></tr></table><p>按季度通报。</p>"""
    r = read_with_findings(page, format="html")
    section = r.data["sections"][0]
    text = section.get("text", "") + str(section.get("table", "")) + str(section.get("content", ""))
    assert "做好以下工作" in text and "健康讲座" in text and "按季度通报" in text


POLICE = """青山市公安局东湖分局

青东公发〔2025〕6号                    签发人：李建国

东湖派出所2025年社区警务工作计划

各社区警务室、各警组：

为推进平安社区建设，制定本计划。

一、主要措施

（一）夯实基础信息。

1.每季度开展一次实有人口核查。

2.6月底前完成辖区重点单位信息更新。

3.年底前新建智慧安防小区5个。

二、工作要求

各警务室要高度重视。
"""


def test_a_letterhead_a_signer_and_an_item_that_starts_with_a_month():
    r = read_with_findings(POLICE.replace("\n", "\r\n").encode("gbk"))
    full = r.extra["full"]
    assert full["meta"]["title"] == "东湖派出所2025年社区警务工作计划"
    assert full["meta"]["doc_number"] == "青东公发〔2025〕6号"
    assert full["meta"]["addressees"] == "各社区警务室、各警组"
    assert any(f.kind == "dropped" and "letterhead" in f.message for f in r.findings)
    items = r.data["sections"][1]["items"][0]["items"]
    # the items that start with a month are dated steps said as their sentences, still items
    assert [i.get("layout") for i in items] == [None, "sentence", "sentence"]
    md = planwriter.render_markdown(r.plan)
    assert [line[:8] for line in md.splitlines() if line[:2] in ("1.", "2.", "3.")][:3] == [
        "1.每季度开展一", "2.6月底前完成", "3.年底前新建智"]


@pytest.mark.parametrize("text, when", [
    ("年底前新建智慧安防小区5个", "by 12"), ("确保年底前完成", "by 12"), ("2025年底前完成", "by 2025"),
])
def test_the_end_of_the_year(text, when):
    assert dates.find_times(text, "zh")[0].when == when


@pytest.mark.parametrize("text", ["每年年底", "到20xx年底前完成"])
def test_ends_of_years_that_are_no_step(text):
    assert not [t for t in dates.find_times(text, "zh") if t.kind in ("yearend", "deadline") and "12" in t.when]


def test_blank_lines_end_paragraphs_unless_the_text_is_double_spaced():
    para = ("为进一步加强医疗质量管理，落实首诊负责、三级查房、病历书写等核心制度，全面提升医疗服务水平，"
            "保障患者安全，结合我院实际，制定本计划。全年努力提高群众满意度，加强队伍建设。") * 2
    wrapped = [para[i:i + 24] for i in range(0, len(para), 24)]
    double = "青山镇卫生院2025年工作计划\n\n一、工作目标\n\n" + "\n\n".join(wrapped) + "\n"
    r = read_with_findings(double)
    assert r.data["sections"][0]["text"] == para
    # lines of about one width, each its own paragraph, are not joined
    single = "青山镇卫生院2025年工作计划\n\n" + "\n\n".join(
        ["一、工作目标工作目标工作目标", "全年参合率达到95%以上。", "二、主要任务主要任务主要任务", "做好各项工作落实到位。",
         "三、保障措施保障措施保障措施", "加强领导确保工作落实。"]) + "\n"
    r = read_with_findings(single)
    assert [s.get("title") for s in r.data["sections"]] == ["工作目标工作目标工作目标", "主要任务主要任务主要任务",
                                                          "保障措施保障措施保障措施"]


# -- pages and texts of the second development set's shapes ----------------------------------
def test_a_plan_pasted_into_a_pre_keeps_its_lines():
    """A plan pasted into <pre> (or a white-space: pre block) is the plan's lines, not one paragraph."""
    body = ("臺南市立青山幼兒園114學年度幼兒健康促進計畫\n\n壹、依據\n　　一、幼兒教育及照顧法。\n"
            "貳、目標\n　　一、幼兒健康檢查完成率達100%。\n")
    for block in ("<pre>\n{}</pre>", '<div style="white-space: pre-wrap">{}</div>'):
        page = "<html><body><nav><a href='/'>首頁</a></nav>" + block.format(body) + "</body></html>"
        r = read_with_findings(page, format="html")
        assert r.data["meta"]["title"] == "臺南市立青山幼兒園114學年度幼兒健康促進計畫"
        assert [s.get("title") for s in r.data["sections"]] == ["依據", "目標"]
        assert r.data["sections"][1]["indicators"][0]["value"] == 100
    from planwriter.readers import html
    lines = html.lines_of("<p>甲</p>\n<pre>\n一、乙\n\n二、丙\n</pre>")
    assert [(ln.text, ln.line) for ln in lines] == [("甲", 1), ("一、乙", 3), ("二、丙", 5)]


def test_full_width_digits_are_read_as_figures():
    """１１４學年度 dates the plan, and ROC months in full-width digits are its schedule."""
    text = ("青山國小１１４學年度健康計畫\n\n壹、目標\n一、齲齒率控制在４０％以下。\n貳、實施期程\n"
            "１１４年９月：成立推動委員會。\n１１４年１０月至１１月：辦理新生健康檢查。\n１１５年５月：完成後測。\n")
    r = read_with_findings(text)
    assert r.data["meta"]["year"] == 2025 and r.data["meta"]["organisation"] == "青山國小"
    assert {k: str(v) for k, v in r.data["meta"]["period"].items()} == {"start": "2025-08-01", "end": "2026-07-31"}
    steps = r.data["sections"][1]["schedule"]
    assert [(s["when"], s["what"]) for s in steps] == [
        ("2025-09", "成立推動委員會"), ("2025-10..2025-11", "辦理新生健康檢查"), ("2026-05", "完成後測")]


def test_a_notice_signed_by_the_bureau_that_heads_its_pages():
    """The bureau's name signs the notice and heads each page: the signature stays the
    notice's, the running heads go, and the plan after 附件 keeps its own title."""
    page = ("青山县卫生健康局文件\n\n青卫健发〔2025〕3号\n\n关于印发《青山县2025年卫生健康工作要点》的通知\n\n"
            "各乡镇卫生院、局属各单位：\n现将《青山县2025年卫生健康工作要点》印发给你们，请认真抓好落实。\n\n"
            "附件：青山县2025年卫生健康工作要点\n\n青山县卫生健康局\n2025年2月20日\n（此件公开发布）\n\n— 1 —\n\n"
            "附件\n\n青山县2025年卫生健康工作要点\n\n一、主要目标\n县域内就诊率达到90%以上。\n\n— 2 —\n\n青山县卫生健康局\n\n"
            "二、重点任务\n做实家庭医生签约服务。\n\n-3-\n\n青山县卫生健康局\n\n三、保障措施\n加强督查。\n")
    r = read_with_findings(page)
    meta = r.data["meta"]
    assert meta["title"] == "青山县2025年卫生健康工作要点"
    assert (meta["notice"]["issuer"], str(meta["notice"]["date"])) == ("青山县卫生健康局", "2025-02-20")
    assert meta["notice"]["attachments"] == ["青山县2025年卫生健康工作要点"]
    assert [s.get("title", s["kind"]) for s in r.data["sections"]] == ["主要目标", "重点任务", "safeguards"]
    heads = [f.line for f in r.findings if f.message == "a title repeated as a running head"]
    assert heads == [27, 34]
    assert "此件公开发布" not in str(r.data)


@pytest.mark.parametrize("listed", [
    "附件：1．青山县2025年卫生健康工作要点\n　　　2．青山县2025年主要指标一览表\n",
    "附件：1.青山县2025年卫生健康工作要点　2.青山县2025年主要指标一览表\n",
], ids=["a line each", "on one line"])
def test_a_notices_attachments_are_listed_after_its_text(listed):
    """附件：1．… 2．… under a notice's text names what it sends out: the notice's own
    attachments, printed after its text and before its signature, and no longer in its text."""
    page = ("关于印发《青山县2025年卫生健康工作要点》的通知\n\n各乡镇卫生院、局属各单位：\n"
            "　　现将《青山县2025年卫生健康工作要点》印发给你们，请认真抓好落实。\n\n" + listed +
            "\n　　　　　　青山县卫生健康局\n　　　　　　2025年2月20日\n\n"
            "附件1\n\n青山县2025年卫生健康工作要点\n\n一、主要目标\n县域内就诊率达到90%以上。\n")
    r = read_with_findings(page)
    notice = r.data["meta"]["notice"]
    assert notice["attachments"] == ["青山县2025年卫生健康工作要点", "青山县2025年主要指标一览表"]
    assert notice["text"] == "现将《青山县2025年卫生健康工作要点》印发给你们，请认真抓好落实。"
    shown = planwriter.render_markdown(r.plan)
    notice_part = shown.split("\n---\n")[0]
    assert notice_part.count("附件") == 1
    assert notice_part.index("请认真抓好落实。") < notice_part.index("附件：1.青山县2025年卫生健康工作要点") \
        < notice_part.index("2.青山县2025年主要指标一览表") < notice_part.index("青山县卫生健康局")


# -- targets as officials write them ---------------------------------------------------------
def test_figures_with_thousands_separators_are_one_number():
    """12,000人次 is twelve thousand visits, not 12 (and a stray target of 000)."""
    text = ("青山镇卫生院2025年工作计划\n\n一、工作目标\n1.社區健康站血壓量測服務人次達12,000人次以上。\n"
            "2.全年培训乡村医生不少于1,200名。\n")
    plan = planwriter.read(text)
    found = [(i["name"], i["comparator"], i["value"], i.get("unit"))
             for i in _everywhere(read_with_findings(text).data, "indicators")]
    assert found == [("社區健康站血壓量測服務人次", "at_least", 12000, "person_times"),
                     ("培训乡村医生", "at_least", 1200, "名")]
    shown = planwriter.render_markdown(plan)
    assert "1.2万人次" in shown and "1200名" in shown


def test_where_and_how_often_go_with_the_activity_counted():
    """每社區每月至少1場 counts the activity of the clause before, per community and month:
    those words are not the target's name, and the sentence still says them."""
    text = ("青山區衛生所114年度社區健康營造計畫\n\n壹、執行策略\n（一）辦理高齡者健康促進活動，每社區每月至少1場。\n"
            "（二）開展入戶隨訪，每村每季度不少於2次，並做好記錄。\n")
    r = read_with_findings(text)
    found = [(i["name"], i["comparator"], i["value"], i.get("unit")) for i in _everywhere(r.data, "indicators")]
    assert found == [("高齡者健康促進活動（每社區每月）", "at_least", 1, "場"),
                     ("入戶隨訪（每村每季度）", "at_least", 2, "times")]
    shown = planwriter.render_markdown(r.plan)
    assert "高齡者健康促進活動（每社區每月）不少於1場" in shown
    assert "開展入戶隨訪（每村每季度）不少於2次，並做好記錄" in shown


@pytest.mark.parametrize("text, name, value, unit", [
    ("对辖区高血压患者每年提供不少于4次面对面随访", "面对面随访", 4, "times"),
    ("全年开展不少于6场健康讲座", "健康讲座", 6, "场"),
    ("每年至少开展2次健康教育活动", "开展健康教育活动", 2, "times"),
    ("重点人群每年接受不少于4次的面对面随访服务", "面对面随访服务", 4, "times"),
    ("每學期辦理不少於2場親職講座", "親職講座", 2, "場"),
], ids=["visits", "talks", "verb after the comparator", "的 before the activity", "traditional script"])
def test_a_count_before_the_activity_it_counts(text, name, value, unit):
    """不少于4次面对面随访 counts the visits that follow the figure: they are its name, not
    the words before it."""
    found = [(t.name, t.comparator, t.value, t.unit) for t in indicators.find_zh(text + "。")]
    assert found == [(name, "at_least", value, unit)]


def test_sentences_that_count_an_activity_after_the_figure_read_as_written():
    """A plan says a target's name first, so a count said before its activity stays in the
    author's words; the targets after it in the sentence are still read."""
    text = ("青山镇卫生院2025年工作计划\n\n一、工作目标\n"
            "1.对辖区高血压、2型糖尿病患者每年提供不少于4次面对面随访，血压、血糖控制率分别达到60%、55%以上。\n"
            "2.全年开展不少于6场健康讲座。\n3.每年提供不少于4次面对面随访并做好记录。\n")
    r = read_with_findings(text)
    found = [(i["name"], i["value"]) for i in _everywhere(r.data, "indicators")]
    assert found == [("血压控制率", 60), ("血糖控制率", 55)]
    shown = planwriter.render_markdown(r.plan)
    assert "1.对辖区高血压、2型糖尿病患者每年提供不少于4次面对面随访，血压控制率、血糖控制率分别达到60%和55%以上。" in shown
    assert "2.全年开展不少于6场健康讲座。" in shown and "3.每年提供不少于4次面对面随访并做好记录。" in shown


def test_a_title_after_the_first_page_number_is_the_plans_own():
    """The plan's title stands right after the notice's page number and heads each page after:
    the first of them is the title, the others are running heads."""
    text = ("青山镇卫生院文件\n\n青镇卫发〔2025〕2号\n\n关于印发青山镇卫生院2025年基本公共卫生服务工作计划的通知\n\n"
            "各村卫生室：\n现将工作计划印发给你们，请认真遵照执行。\n\n青山镇卫生院\n2025年1月15日\n\n-1-\n\n"
            "青山镇卫生院2025年基本公共卫生服务工作计划\n\n一、工作目标\n居民电子健康档案建档率达到90%以上。\n\n-2-\n\n"
            "青山镇卫生院2025年基本公共卫生服务工作计划\n\n二、工作措施\n规范健康档案管理。\n")
    r = read_with_findings(text)
    assert r.data["meta"]["title"] == "青山镇卫生院2025年基本公共卫生服务工作计划"
    assert [s["kind"] for s in r.data["sections"]] == ["goals", "measures"]
    shown = planwriter.render_markdown(r.plan)
    assert "\n# 青山镇卫生院2025年基本公共卫生服务工作计划\n\n## 一、工作目标\n" in shown
    assert shown.count("\n青山镇卫生院2025年基本公共卫生服务工作计划") == 0  # no running head left
    assert [f.line for f in r.findings if f.message == "a title repeated as a running head"] == [22]


def test_a_table_of_targets_typed_as_text_across_a_page_break():
    """序号　指标名称　目标值 rows lined up with spaces are a table of targets, also the row
    that a page break (its number and running head) puts on the next page."""
    text = ("青山县卫生健康局\n\n青山县2025年卫生健康工作要点\n\n一、主要目标\n主要指标见下表。\n"
            "序号　指标名称　　　　　　　　目标值\n1　　县域内就诊率　　　　　　≥90%\n"
            "2　　基层医疗卫生机构诊疗量占比　≥65%\n\n— 2 —\n\n青山县卫生健康局\n\n"
            "3　　甲乙类传染病发病率　　　≤200/10万\n二、重点任务\n做实家庭医生签约服务。\n")
    r = read_with_findings(text)
    found = [(i["name"], i["comparator"], i["value"], i.get("unit")) for i in _everywhere(r.data, "indicators")]
    assert found == [("县域内就诊率", "at_least", 90, "percent"), ("基层医疗卫生机构诊疗量占比", "at_least", 65, "percent"),
                     ("甲乙类传染病发病率", "at_most", 200, "per_100k")]
    shown = planwriter.render_markdown(r.plan)
    assert "| 县域内就诊率 | 90%以上 |" in shown and "| 甲乙类传染病发病率 | 200/10万以内 |" in shown
    assert "— 2 —" not in shown


# -- Taiwanese school pages ------------------------------------------------------------------
_SCHOOL_PAGE = ("<html><body><div class=\"menu\"><a href=\"/\">回首頁</a></div><div class=\"news\">"
                "<div class=\"news_title\"><b>青山國民小學１１４學年度學生輔導工作計畫</b></div>"
                "{meta}<div class=\"news_body\"><p><strong>一、依據</strong></p><p>（一）學生輔導法。</p>"
                "<p><strong>二、目標</strong></p><p>（一）高關懷學生個案追蹤輔導率達１００％。</p></div></div></body></html>")


@pytest.mark.parametrize("meta", [
    "<div class=\"news_info\">作者：輔導室　時間：中華民國114年8月28日</div>",
    "<p>公告單位：輔導室　公告日期：中華民國114年8月28日　人氣：388</p>",
    "<p>發布者：輔導室</p><p>人氣：388</p>",
], ids=["a block classed as the news' info", "key-value pairs under the title", "one a line"])
def test_who_posted_a_page_and_how_often_it_was_read_is_not_the_plan(meta):
    """公告單位/公告日期/人氣 under a page's title are the site's record of the page: not the
    plan's preamble, and reported as dropped."""
    r = read_with_findings(_SCHOOL_PAGE.format(meta=meta), "html")
    shown = planwriter.render_markdown(r.plan)
    assert [s["kind"] for s in r.data["sections"]][0] != "preamble"
    assert "輔導室" not in shown and "388" not in shown
    assert "一、依據" in shown and "高關懷學生個案追蹤輔導率" in shown
    assert any(str(f).endswith("人氣：388'") or "輔導室" in str(f) for f in r.findings
               if ": dropped: page metadata: " in str(f))


def test_key_value_pairs_of_the_plan_itself_stay():
    """負責單位：學務處　完成日期：114年10月 is the plan's own (who does it, by when)."""
    text = ("青山國小114學年度健康計畫\n\n負責單位：學務處　完成日期：114年10月\n\n壹、目標\n"
            "一、齲齒率控制在40%以下。\n")
    shown = planwriter.render_markdown(read_with_findings(text).plan)
    assert "學務處" in shown


_LAYOUT_PAGE = ("<html><body><table><tr><td colspan=\"2\"><a href=\"/\">首頁</a> | <a href=\"/n\">最新消息</a></td></tr>"
                "<tr><td><table class=\"plan\" border=\"1\"><tr><th>青山區衛生所114年度社區健康營造工作計畫</th></tr>"
                "<tr><td><strong>壹、計畫目標</strong><br>一、成人健康檢查利用率提升至35%以上。<br>"
                "<strong>貳、經費來源</strong><br>本所年度預算。</td></tr></table></td></tr>"
                "<tr><td colspan=\"2\" align=\"center\">{footer}</td></tr></table></body></html>")


def test_the_footer_row_of_a_layout_table_is_not_the_last_sections():
    """The row under a page laid out in a table (the office's address and telephone over
    版權所有) is the site's footer: the last section ends with the plan's words."""
    page = _LAYOUT_PAGE.format(footer="青山區衛生所　地址：高雄市青山區民生路2號　電話：07-123-4567<br>"
                                      "Copyright © 高雄市政府衛生局 版權所有")
    r = read_with_findings(page, "html")
    assert r.data["sections"][-1]["title"] == "經費來源" and r.data["sections"][-1]["text"] == "本所年度預算。"
    shown = planwriter.render_markdown(r.plan)
    assert "民生路" not in shown and "版權" not in shown


def test_a_last_row_that_is_the_plans_own_stays():
    """A last row that holds the plan's numbered words stays, though it names 版權."""
    page = _LAYOUT_PAGE.format(footer="參、智慧財產<br>一、教材版權所有歸本所，使用前應申請。")
    shown = planwriter.render_markdown(read_with_findings(page, "html").plan)
    assert "教材版權所有歸本所" in shown
