"""Importing plans: clutter, targets, dated steps, placeholders and the frame."""
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import planwriter
from planwriter.readers import clutter, dates, indicators, placeholders, schedules
from planwriter.readers.lines import Line


@pytest.mark.parametrize("line, cls", [
    ("当前位置:范文都 > 工作 > 工作计划 > 卫生工作计划", "breadcrumb"),
    ("首页 > 行政单位 > 学务处 > 卫生组", "breadcrumb"),
    ("Work Plan > Community Work Plan", "breadcrumb"),
    ("手机版", "navigation"),
    ("首页 | 最新消息 | 学校简介", "navigation"),
    ("来源:范文都 阅读:6.46K 次", "metadata"),
    ("时间:2020-12-01 16:00:25 工作计划 我要投稿", "metadata"),
    ("索引号：11530000/2025-00012", "metadata"),
    ("发布机构：青山县卫生健康局", "metadata"),
    ("点阅次数：1,284", "metadata"),
    ("分享到：微信 微博 QQ空间", "share"),
    ("【打印本页】【关闭窗口】", "share"),
    ("★ 2020 Township Health Center Personal Work Plan Sample", "recommendation"),
    ("相关文章：", "recommendation"),
    ("recommended article", "recommendation"),
    ("以下是小编为大家整理的社区卫生服务中心工作计划6篇，仅供参考，欢迎大家阅读。", "abstract"),
    ("The following is the 2021 work plan I compiled, I hope it will be helpful to everyone!", "abstract"),
    ("Copyright © 2024. 范文都 All right reserved. 黑ICP备20085142号-2", "copyright"),
    ("本文链接:https://www.example.com/a/1.html", "copyright"),
    ("登录后查看全文", "copyright"),
    ("var _hmt = _hmt || []; (function() { var hm = document.createElement('script'); })();", "script"),
    ("— 3 —", "page_number"),
    ("第 2 页 共 5 页", "page_number"),
    ("2023年度乡镇卫生院工作计划(通用20篇)", "collection"),
    ("社区卫生服务中心工作计划范文汇总六篇", "collection"),
])
def test_each_clutter_class(line, cls):
    assert clutter.line_class(line) == cls


@pytest.mark.parametrize("line", [
    "二、相关文章管理制度",  # a numbered heading of the plan
    "加强版权意识，做好院务公开，联系我们的群众，倾听群众意见。" * 4,  # a long paragraph
    "组长：康军（主抓公共卫生）",
    "参合率达95%以上。",
])
def test_plan_text_is_not_clutter(line):
    assert clutter.line_class(line) == ""


def _lines(texts, **kw):
    return [Line(t, n, **kw) for n, t in enumerate(texts, 1)]


def test_clutter_from_neighbours_running_heads_and_infoboxes():
    lines = _lines(["★★★More content recommendations★★★", "Sample report of the director",
                    "Annual report of health centers", "1. Guiding ideology", "青山县卫生健康局文件",
                    "一、目标", "青山县卫生健康局文件", "二、任务", "青山县卫生健康局文件"])
    classes = clutter.classify(lines)
    assert classes[:4] == ["recommendation", "recommendation", "recommendation", ""]
    assert classes[4] == classes[6] == classes[8] == "running_head" and classes[5] == ""
    box = clutter.classify(_lines(["中文名：工作计划", "外文名：work plan", "类别：公文", "适用范围：机关单位",
                                   "工作计划是行政活动中使用范围很广的重要公文，也是应用写作的一个重头戏，" * 2]))
    assert box[:4] == ["infobox"] * 4 and box[4] == ""


def test_html_zones_are_clutter():
    assert clutter.classify([Line("首页", 1, zone="nav"), Line("版权所有", 2, zone="footer"),
                             Line("计划正文。", 3), Line("相关链接", 4, zone="related")]) == \
        ["navigation", "copyright", "", "recommendation"]


def _targets(text, locale="zh"):
    return [(t.name, t.comparator, t.value, t.unit, t.baseline) for t in indicators.find(text, locale)]


@pytest.mark.parametrize("text, expected", [
    ("保证参合率达95%以上", [("参合率", "at_least", 95, "percent", None)]),
    ("知晓率达80%或以上", [("知晓率", "at_least", 80, "percent", None)]),
    ("受教育率达80%", [("受教育率", "reach", 80, "percent", None)]),
    ("新生儿建卡率100%", [("新生儿建卡率", "reach", 100, "percent", None)]),
    ("孕产妇死亡率控制在30/10万以下", [("孕产妇死亡率", "below", 30, "per_100k", None)]),
    ("婴儿死亡率控制在16‰以下", [("婴儿死亡率", "below", 16, "permille", None)]),
    ("传染病报告及时率控制在95%以内", [("传染病报告及时率", "at_most", 95, "percent", None)]),
    ("门诊人次增加20%", [("门诊人次", "increase_by", 20, "percent", None)]),
    ("发案数较上年下降10%", [("发案数", "decrease_by", 10, "percent", None)]),
    ("报销比例提高5个百分点", [("报销比例", "increase_by_points", 5, "none", None)]),
    ("近视率降低1个百分点", [("近视率", "decrease_by_points", 1, "none", None)]),
    ("大病保险起付线由5000元降至3000元", [("大病保险起付线", "decrease_to", 3000, "yuan", 5000)]),
    ("基层就诊率保持在65%以上（上年为62%）", [("基层就诊率", "at_least", 65, "percent", 62)]),
    ("动态使用率不低于60%", [("动态使用率", "at_least", 60, "percent", None)]),
    ("每次参加人员不少于50人", [("每次参加人员", "at_least", 50, "persons", None)]),
    ("药占比不超过30%", [("药占比", "not_exceeding", 30, "percent", None)]),
    ("人均预期寿命达到79.5岁", [("人均预期寿命", "reach", 79.5, "years", None)]),
    ("阅读量达到100万人次", [("阅读量", "reach", 1_000_000, "person_times", None)]),
    ("每年卫生检查不少于四次", [("每年卫生检查", "at_least", 4, "times", None)]),
    ("高血压、糖尿病患者规范管理率分别达到65%、63%以上",
     [("高血压患者规范管理率", "at_least", 65, "percent", None), ("糖尿病患者规范管理率", "at_least", 63, "percent", None)]),
    ("产前健康管理率、产后访视率达85%",
     [("产前健康管理率", "reach", 85, "percent", None), ("产后访视率", "reach", 85, "percent", None)]),
    ("婴儿死亡率、5岁以下儿童死亡率分别控制在4‰和6‰以下",
     [("婴儿死亡率", "below", 4, "permille", None), ("5岁以下儿童死亡率", "below", 6, "permille", None)]),
])
def test_each_chinese_indicator_form(text, expected):
    assert _targets(text) == [(n, c, float(v), u, b) for n, c, v, u, b in expected]


@pytest.mark.parametrize("text, expected", [
    ("We strive to increase the number of outpatient visits by 20% and the number of inpatient visits by 15%.",
     [("number of outpatient visits", "increase_by", 20, "percent"), ("number of inpatient visits", "increase_by", 15, "percent")]),
    ("Achieve hand hygiene compliance of at least 90% in every ward.",
     [("hand hygiene compliance", "at_least", 90, "percent")]),
    ("Keep the surgical site infection rate below 2%.", [("surgical site infection rate", "below", 2, "percent")]),
    ("the maternal mortality rate is controlled below 30/100,000", [("maternal mortality rate", "below", 30, "per_100k")]),
    ("Electronic health record coverage: at least 90%.", [("Electronic health record coverage", "at_least", 90, "percent")]),
    ("Outpatient visits: up by 10%.", [("Outpatient visits", "increase_by", 10, "percent")]),
    ("Reduce inpatient falls to below 1.5 per 1,000 bed-days.", [("inpatient falls", "below", 1.5, "per 1,000 bed-days")]),
])
def test_each_english_indicator_form(text, expected):
    assert [t[:4] for t in _targets(text, "en")] == [(n, c, float(v), u) for n, c, v, u in expected]


@pytest.mark.parametrize("text, locale", [
    ("医疗性收入已上升到43%，业务总收入大大增加。", "zh"),        # a past achievement
    ("达到甲级村卫生室的占95%。", "zh"),                       # a share of the present
    ("定期开展65岁以上老年人检查。", "zh"),                     # an age group
    ("根据临床需求举办3期培训班，安排8名业务骨干进修。", "zh"),   # counts of work to do
    ("实施11类国家基本公共卫生服务项目。", "zh"),
    ("确保全院计生合格率xx%。", "zh"),                          # a placeholder value
    ("凡督查两次及以上不予整改的，追究责任。", "zh"),             # a condition
    ("Drug income accounts for an absolute proportion of all income, accounting for 71.7%.", "en"),
])
def test_what_is_not_a_target(text, locale):
    assert _targets(text, locale) == []


def test_dated_steps():
    run = schedules.sequence("成立领导小组。3月招标，4月启动基础工程，力争10月按期完工，12月投入使用。同时严把质量关。", "zh")
    assert [(s.when, s.what) for s in run] == [("3", "招标"), ("4", "启动基础工程"), ("10", "按期完工"),
                                               ("12", "投入使用")]
    assert [(s.when, s.what) for s in schedules.sequence("局党组6月底前开展半年督查，12月中旬组织年度考核。", "zh")] == \
        [("by 6", "开展半年督查"), ("12", "组织年度考核")]
    assert schedules.sequence("2025年我院将继续与时俱进，认真完成各项任务。", "zh") == []
    step = schedules.leading("第一阶段（3月—4月）：动员部署。", "zh")
    assert (step.when, step.what, step.phase) == ("3..4", "动员部署", "第一阶段")
    step = schedules.leading("Phase 1 (April–June 2025): Preparation. Appoint champions.", "en")
    assert (step.when, step.what, step.phase) == ("2025-04..2025-06", "Preparation", "Phase 1")


@pytest.mark.parametrize("text, when", [
    ("6月底前", "by 6"), ("于3月15日前", "by 03-15"), ("第一季度", "Q1"), ("上半年", "H1"),
    ("1月—2月", "1..2"), ("3—10月", "3..10"), ("9月18日—23日", "09-18..09-23"),
    ("2025年11月至2026年2月", "2025-11..2026-02"), ("从4月起", "from 4"), ("2025年6月30日", "2025-06-30"),
])
def test_chinese_times(text, when):
    assert [t.when for t in dates.find_times(text, "zh")] == [when]


@pytest.mark.parametrize("text, when", [
    ("by June 2025", "by 2025-06"), ("April–June 2025", "2025-04..2025-06"), ("Q3 2025", "2025-Q3"),
    ("in the first quarter", "Q1"), ("from September to October", "9..10"), ("14 March 2025", "2025-03-14"),
])
def test_english_times(text, when):
    assert [t.when for t in dates.find_times(text, "en")] == [when]


def test_placeholders_found_and_filled():
    text = "现制定我院xx年的工作计划如下，某某医院要确保参合率达到××%，预期完成--所建设，于（  月  日）前上报。"
    assert placeholders.find(text) == ["xx", "某某", "××%", "--", "（  月  日）"]
    filled, n = placeholders.fill("20xx年是关键之年，xx医院将落实20__年的任务。", "青山县人民医院", 2026)
    assert filled == "2026年是关键之年，青山县人民医院将落实2026年的任务。" and n == 3


def test_the_frame_of_an_official_document():
    text = ("青山县卫生健康局文件\n\n青卫发〔2025〕3号\n\n青山县卫生健康局\n关于印发《青山县2025年卫生健康工作要点》的通知\n\n"
            "各乡镇卫生院，县直各医疗卫生单位：\n    现将《青山县2025年卫生健康工作要点》印发给你们，请认真贯彻落实。\n\n"
            "                    青山县卫生健康局\n                    2025年2月18日\n\n青山县2025年卫生健康工作要点\n\n"
            "一、深化医改\n（一）推进医共体建设。\n\n附件：1．重点任务分解表\n      2．主要指标一览表\n\n"
            "青山县卫生健康局办公室          2025年2月18日印发\n")
    reading = planwriter.read_with_findings(text)
    f = reading.frame
    assert f.title == "青山县2025年卫生健康工作要点" and f.year == 2025
    assert f.notice["title"] == "青山县卫生健康局关于印发《青山县2025年卫生健康工作要点》的通知"
    assert f.notice["doc_number"] == "青卫发〔2025〕3号" and f.notice["date"] == dt.date(2025, 2, 18)
    assert f.notice["addressees"] == "各乡镇卫生院，县直各医疗卫生单位"
    assert f.attachments == ["重点任务分解表", "主要指标一览表"]
    assert f.organisation == "青山县卫生健康局" and f.org_type == "health_bureau"
    dropped = [x.message for x in reading.findings if x.kind == "dropped"]
    assert any("letterhead" in m for m in dropped) and any("printing record" in m for m in dropped)


def test_signature_issuer_and_month_only_date():
    reading = planwriter.read_with_findings("白云社区2025年健康工作计划\n\n一、目标\n做好健康教育。\n\n白云社区居委会\n2025年1月\n")
    assert reading.frame.issuers == ["白云社区居委会"] and reading.frame.date == (2025, 1)


def test_language_and_year_of_a_school_year():
    r = planwriter.read_with_findings("臺北市立青山國民小學114學年度衛生保健工作計畫\n壹、依據\n一、學校衛生法及其施行細則。\n")
    assert r.frame.language == "zh-Hant" and r.frame.year == 2025
    assert r.frame.period == (dt.date(2025, 8, 1), dt.date(2026, 7, 31))


# -- targets inside a numbered paragraph's sentence -----------------------------------
def _plan_page(*items: str, lang: str = "zh") -> str:
    if lang == "en":
        return "Qingshan Township Health Centre Work Plan 2026\n\n1. Key tasks\n\n" + "\n\n".join(
            f"1.{i} {t}" for i, t in enumerate(items, 1)) + "\n"
    return "青山镇卫生院2026年工作计划\n\n一、主要任务\n\n" + "\n\n".join(
        f"{i}.{t}" for i, t in enumerate(items, 1)) + "\n"


def _items(plan):
    return plan.sections[0].items


def test_a_target_inside_a_numbered_sentence_becomes_data_and_renders_as_written():
    page = _plan_page("每季开展一次免费上门访视服务，访视率达到95%以上，随访和干预情况及时记入健康档案中。",
                      "居民电子健康档案建档率达到90%以上。", "做好家庭医生签约服务。")
    plan = planwriter.read(page, format="txt")
    first, second, third = _items(plan)
    [part] = first.content
    assert (part.layout, str(part.lead), str(part.tail)) == (
        "sentence", "每季开展一次免费上门访视服务，", "随访和干预情况及时记入健康档案中。")
    assert [(str(i.name), i.comparator, i.value) for i in part.indicators] == [("访视率", "at_least", 95)]
    assert [str(i.name) for i in second.indicators] == ["居民电子健康档案建档率"]
    assert third.indicators == [] and str(third.text) == "做好家庭医生签约服务。"
    md = planwriter.render_markdown(plan)
    assert "1.每季开展一次免费上门访视服务，访视率达到95%以上，随访和干预情况及时记入健康档案中。" in md
    assert "2.居民电子健康档案建档率达到90%以上。" in md
    assert "3.做好家庭医生签约服务。" in md


def test_how_often_stays_in_a_counted_targets_name():
    [t] = indicators.find("签约居民健康随访每季度不少于1次。", "zh")
    assert (t.name, t.comparator, t.value, t.unit) == ("签约居民健康随访每季度", "at_least", 1, "times")
    plan = planwriter.read(_plan_page("签约居民健康随访每季度不少于1次，随访结果及时录入信息系统。"), format="txt")
    assert "1.签约居民健康随访每季度不少于1次，随访结果及时录入信息系统。" in planwriter.render_markdown(plan)


def test_the_words_before_a_counted_activity_stay_its_lead():
    plan = planwriter.read(_plan_page("为65岁以上老年人提供基本的体检项目、每年至少随访4次、进行一次健康状况评估。"),
                           format="txt")
    assert "1.为65岁以上老年人提供基本的体检项目、每年随访不少于4次、进行一次健康状况评估。" in \
        planwriter.render_markdown(plan)


@pytest.mark.parametrize("sentence", [
    "Make services better known, so that at least 87% of residents know about them, at least 75% use them "
    "and at least 80% are satisfied with them.",
    "Reduce inpatient falls to below 1.5 per 1,000 bed-days (2.3 in 2024).",
    "This work will increase the income by another 100,000 yuan on the basis of last year.",
])
def test_english_targets_the_model_would_word_badly_stay_as_written(sentence):
    r = planwriter.read_with_findings(_plan_page(sentence, "Train every nurse.", lang="en"), format="txt")
    first = _items(r.plan)[0]
    assert not first.indicators and not any(p.indicators for p in first.content or [])
    assert sentence in planwriter.render_markdown(r.plan, "en")
    kept = [f for f in r.findings if f.kind == "kept"]
    assert kept and kept[0].line == 5 and "would not read as written" in kept[0].message


def test_a_chinese_group_may_be_gathered_with_its_figures():
    plan = planwriter.read(_plan_page("争取卫生院门诊人次增加20%，住院人次增加15%。"), format="txt")
    [item] = _items(plan)
    assert [(str(i.name), i.value) for i in item.indicators or item.content[0].indicators] == [
        ("卫生院门诊人次", 20), ("住院人次", 15)]
    assert "1.争取卫生院门诊人次、住院人次分别提高20%和15%。" in planwriter.render_markdown(plan)


_LEADS = ["", "每季开展一次免费上门访视服务，", "要求掌握辖区内孕妇健康状况，", "到2026年底，", "加强慢病管理，"]
_NAMES = ["访视率", "高血压患者规范管理率", "居民电子健康档案建档率", "孕产妇系统管理率", "群众满意度"]
_TAILS = ["", "随访情况及时记入健康档案。", "由公卫科负责。", "并按季度通报。"]
_VERBS = [("达到{}%以上", "达到{}%以上"), ("不低于{}%", "达到{}%以上"), ("达{}%", "达到{}%"),
          ("控制在{}%以内", "控制在{}%以内"), ("提高{}个百分点", "提高{}个百分点")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lead=st.sampled_from(_LEADS), name=st.sampled_from(_NAMES), tail=st.sampled_from(_TAILS),
       verb=st.sampled_from(_VERBS), value=st.integers(1, 99))
def test_a_sentence_with_a_target_comes_back_in_the_models_words_and_no_others(lead, name, tail, verb, value):
    said, expected = verb[0].format(value), verb[1].format(value)
    sentence = f"{lead}{name}{said}" + (f"，{tail}" if tail else "。")
    plan = planwriter.read(_plan_page(sentence, "做好其他工作。"), format="txt")
    first = _items(plan)[0]
    data = first.indicators or [i for p in first.content or [] for i in p.indicators]
    assert [(str(i.name), i.value) for i in data] == [(name, value)]
    assert f"1.{lead}{name}{expected}" + (f"，{tail}" if tail else "。") in planwriter.render_markdown(plan)


@pytest.mark.parametrize("sentence", [
    "Reduce inpatient falls to below 1.5 per 1,000 bed-days.",
    "Keep the surgical site infection rate below 2%.",
    "Achieve hand hygiene compliance of at least 90% in every ward.",
    "Increase incident reports by 25%, as a sign of a stronger reporting culture.",
    "We will increase the number of outpatient visits by 20%.",
])
def test_english_targets_given_as_instructions_become_data_and_read_as_written(sentence):
    plan = planwriter.read(_plan_page(sentence, "Train every nurse.", lang="en"), format="txt")
    first = _items(plan)[0]
    assert [p.layout for p in first.content or [first]] == ["sentence"]
    assert first.indicators or first.content[0].indicators
    assert "1.1 " + sentence in planwriter.render_markdown(plan, "en")


def test_two_targets_of_one_sentence_stay_one_paragraph():
    plan = planwriter.read(_plan_page("今年医疗性收入的比例要在去年的基础上增加3%，全年的业务总收入比去年增加8%，力争10%。",
                                      "做好其他工作。"), format="txt")
    md = planwriter.render_markdown(plan)
    assert "1.今年医疗性收入的比例、全年的业务总收入分别提高3%和8%，力争10%。" in md
    assert "\n全年的业务总收入" not in md


def test_an_item_that_is_a_dated_step_stays_an_item_in_its_place():
    plan = planwriter.read(_plan_page("6月底前完成辖区重点单位信息更新。", "做好日常管理。",
                                      "9月开展科普宣传周活动。"), format="txt")
    first, second, third = _items(plan)
    assert [(str(e.when), str(e.what)) for e in first.schedule] == [("by 6", "完成辖区重点单位信息更新")]
    assert first.layout == third.layout == "sentence" and second.schedule == []
    md = planwriter.render_markdown(plan)
    assert "1.6月底前完成辖区重点单位信息更新。\n\n2.做好日常管理。\n\n3.9月开展科普宣传周活动。" in md
    assert "|" not in md  # no table made of a dated item


@pytest.mark.parametrize("sentence", [
    "为了督查三级医师查房制度的执行情况，从1月1日起，医院将实行分管院长业务查房制度，分管院长每周进行一次业务查房。",
    "3月招标，4月启动建设，10月底前完成验收。",
    "根据上级有关文件精神要求，医院从1月起推行院务向社会公开制度，把群众最关心的院务向社会公开。",
])
def test_dated_steps_in_a_sentence_become_a_schedule_that_reads_as_written(sentence):
    plan = planwriter.read(_plan_page(sentence, "做好其他工作。"), format="txt")
    first = _items(plan)[0]
    parts = first.content or [first]
    assert any(p.schedule for p in parts)
    assert f"1.{sentence}" in planwriter.render_markdown(plan)


def test_a_part_of_the_month_the_model_does_not_hold_stays_in_the_steps_words():
    sentence = "局党组每季度听取一次工作进展汇报，6月底前开展半年督查，12月中旬组织年度考核。"
    plan = planwriter.read(_plan_page(sentence, "做好其他工作。"), format="txt")
    assert any(p.schedule for p in _items(plan)[0].content or [_items(plan)[0]])
    assert f"1.{sentence}" in planwriter.render_markdown(plan)


def test_english_steps_the_model_would_say_otherwise_stay_as_written():
    sentence = "Bidding will be invited in March, and basic engineering will be started in April."
    r = planwriter.read_with_findings(_plan_page(sentence, "Train every nurse.", lang="en"), format="txt")
    first = _items(r.plan)[0]
    assert not first.schedule and not any(p.schedule for p in first.content or [])
    assert f"1.1 {sentence}" in planwriter.render_markdown(r.plan, "en")
    assert any(f.kind == "kept" and "dated steps" in f.message for f in r.findings)
