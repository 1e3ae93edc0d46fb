"""Importing plans: numbering markers, and the hierarchy they give a plan."""
import pytest

import planwriter
from planwriter.readers import markers, read_with_findings


@pytest.mark.parametrize("text, family, style, value, rest", [
    ("一、指导思想", "cn", "一、", 1, "指导思想"),
    ("十二、全面推行院务公开", "cn", "一、", 12, "全面推行院务公开"),
    ("（二）医疗安全", "paren_cn", "（一）", 2, "医疗安全"),
    ("(三)医疗质量", "paren_cn", "（一）", 3, "医疗质量"),
    ("（二）、医疗安全治理", "paren_cn", "（一）", 2, "医疗安全治理"),  # the slip （二）、
    ("(—)公卫科组成及分工", "paren_cn", "（一）", 1, "公卫科组成及分工"),  # an em dash for 一
    ("㈢对照二级医院标准", "paren_cn", "（一）", 3, "对照二级医院标准"),
    ("1.健康教育", "arabic", "1.", 1, "健康教育"),
    ("2、强化疾病预防控制", "arabic", "1、", 2, "强化疾病预防控制"),
    ("3．加强计划免疫", "arabic", "1.", 3, "加强计划免疫"),
    ("8、20xx年6月底前制定", "arabic", "1、", 8, "20xx年6月底前制定"),
    ("（1）组织学习", "paren_arabic", "（1）", 1, "组织学习"),
    ("(2)、及时督导", "paren_arabic", "（1）", 2, "及时督导"),
    ("⑵健全技术档案", "paren_arabic", "（1）", 2, "健全技术档案"),
    ("③关心职工生活", "circled", "①", 3, "关心职工生活"),
    ("一是坚持民主决策", "shi", "一是", 1, "坚持民主决策"),
    ("第二，对矛盾纠纷建立台账", "ordinal_cn", "第一，", 2, "对矛盾纠纷建立台账"),
    ("第一阶段（3月—4月）：动员部署", "phase", "第一阶段", 1, "（3月—4月）：动员部署"),
    ("A. 开展义诊", "alpha_upper", "A.", 1, "开展义诊"),
    ("b) audit the wards", "alpha_lower", "a)", 2, "audit the wards"),
    ("(c) report monthly", "paren_alpha", "(a)", 3, "report monthly"),
    ("(ii) train staff", "paren_roman", "(i)", 2, "train staff"),
    ("3) 召开例会", "arabic_paren", "1)", 3, "召开例会"),
    ("• 开展科普活动", "bullet", "•", None, "开展科普活动"),
    ("- Monthly audits", "bullet", "•", None, "Monthly audits"),
    ("【工作目标】", "bracket", "【】", None, "工作目标"),
    ("2.3 Falls prevention", "decimal2", "1.1", 3, "Falls prevention"),
    ("Second, the principle", "ordinal_en", "first", 2, "the principle"),
    ("The third is to improve records", "ordinal_en", "first", 3, "improve records"),
    ("壹、依據", "cn_financial", "壹、", 1, "依據"),
    ("V. Work steps", "roman", "I.", 5, "Work steps"),
])
def test_every_numbering_style_is_recognised(text, family, style, value, rest):
    m, body = markers.strip(text)
    assert (m.family, m.style, m.value, body) == (family, style, value, rest)


@pytest.mark.parametrize("text", ["1.5倍", "2025年", "3月招标", "一个新生事物", "5岁以下儿童", "2、3、4",
                                  "10%的村", "(2025)", "-5%", "一、", "第一次", "1000人以下"])
def test_what_is_not_a_marker(text):
    assert markers.parse(text) is None


def outline(text, **kw):
    """[(depth, heading or item words)] of the plan imported from ``text``, as it renders."""
    from planwriter.tree import Heading, Item
    doc = planwriter.compose(planwriter.read(text, **kw))
    return [(b.level, b.text if isinstance(b, Heading) else (b.title or b.text[:8]))
            for b in doc.blocks if isinstance(b, (Heading, Item))]


PLAN = "青山镇卫生院2025年工作计划\n\n"


def test_levels_follow_the_order_styles_first_appear():
    text = PLAN + "一、工作目标\n（一）医疗\n1.改善就医环境。\n2.规范诊疗行为。\n（二）公卫\n1.做好建档。\n二、保障措施\n（一）组织保障\n"
    assert outline(text) == [(1, "工作目标"), (2, "医疗"), (3, "改善就医环境。"), (3, "规范诊疗行为。"),
                             (2, "公卫"), (3, "做好建档。"), (1, "保障措施"), (2, "组织保障")]


def test_a_plan_may_number_its_top_level_1_and_start_at_two():
    assert [d for d, _ in outline(PLAN + "二、加强管理\n1、健全制度。\n2、落实责任。\n三、保障\n")] == [1, 2, 2, 1]
    assert [d for d, _ in outline(PLAN + "1、继续加强业务知识培训。根据文件要求组织培训。\n"
                                           "2、加强中医专科专病建设\n继续巩固中医特色专科。\n")] == [1, 1]


def test_variants_of_one_style_share_a_level():
    # 1、 beside 1. and （二）、 beside （一） are slips, not new levels
    text = PLAN + "一、任务\n（一）医疗\n1.健全制度。\n2、落实责任。\n3.加强培训。\n（二）、公卫\n1、建档。\n"
    assert [d for d, _ in outline(text)] == [1, 2, 3, 3, 3, 2, 3]


def test_a_style_used_again_deeper_opens_a_level_and_counts_decide_the_return():
    text = ("2021 Health Center Work Plan\n\n1. Guiding ideology\n\nText of the ideology.\n\n2. Goals and tasks\n\n"
            "(1) Nosocomial infection control\n\n1. Establish a hospital infection control agency and improve the system.\n\n"
            "2. Strengthen training in nosocomial infection and raise awareness of it.\n\n"
            "3. Further strengthen the standardised writing of medical documents and raise its quality.\n\n"
            "(1) Organise medical staff in each department to study the standard writing of records.\n\n"
            "(2) Supervise residents in completing medical documents on time and in full.\n\n"
            "(2) Medical safety management\n\n1. Establish a medical safety leadership group headed by the dean.\n")
    assert [d for d, _ in outline(text)] == [1, 1, 2, 3, 3, 3, 4, 4, 2, 3]


def test_skipped_levels_and_bracket_headings():
    text = PLAN + "【工作目标】\n辖区居民满意度达到95%以上。\n【主要任务】\n一、夯实基础\n一是全面开展信息采集。\n二是入户走访。\n二、强化排查\n【保障措施】\n（一）加强组织领导。\n"
    assert outline(text) == [(1, "工作目标"), (1, "主要任务"), (2, "夯实基础"), (3, "全面开展信息采集"),
                             (3, "入户走访。"), (2, "强化排查"), (1, "保障措施"), (2, "加强组织领导。")]


def test_items_glued_on_one_line_are_split():
    text = PLAN + "一、公共卫生\n1、居民健康档案：总体要求是求质量。(1)对已建档案回头看。(2)65岁以上老年人今年必须建档。(3)完善孕产妇档案。\n"
    out = outline(text)
    assert [d for d, _ in out] == [1, 2, 3, 3, 3]
    assert out[2][1].startswith("对已建档案")


def test_a_heading_run_into_the_sentence_above_is_split_off():
    text = PLAN + "一、指导思想\n以人民健康为中心，按照构建和谐社会的要求(二、目标任务\n（一）落实药品零差率销售政策。\n"
    out = outline(text)
    assert out[:2] == [(1, "指导思想"), (1, "目标任务")]
    reading = read_with_findings(text)
    assert any("stray bracket" in f.message for f in reading.findings)


def test_an_enumeration_in_running_text_stays_text():
    text = PLAN + "一、过程管理\n一是坚持民主决策；二是落实核心制度；三是完善运行机制。\n"
    plan = planwriter.read(text)
    section = plan.sections[-1]
    assert not section.items and "二是落实核心制度" in str(section.text)


def test_ordinal_words_that_continue_nothing_are_prose():
    text = ("Plan for 2025\n\n1. Current situation\n\n(1) The layout is not reasonable enough.\n\n"
            "Secondly, few professionals have joined in the past ten years.\n\n(2) Management is lax.\n")
    assert [d for d, _ in outline(text)] == [1, 2, 2]


def test_markdown_levels_and_the_numbers_typed_in_them():
    text = "# 青山市预防医学会2025年工作计划\n\n## 一、重点工作\n\n### （一）学术交流\n\n1. 举办学术年会。\n2. 组织学术沙龙。\n\n## 二、经费预算\n"
    assert outline(text, format="markdown") == [(1, "重点工作"), (2, "学术交流"), (3, "举办学术年会。"),
                                                (3, "组织学术沙龙。"), (1, "经费预算")]


def test_hard_wrapped_text_is_joined_before_levels_are_read():
    body = ("　　（一）推进紧密型县域医共体建设。完善医共体牵头医院与成员单位\n"
            "的管理、人员、财务一体化机制，县域内就诊率达到90%以上，基层就\n"
            "诊率保持在65%以上。\n"
            "　　（二）深化公立医院改革。落实公立医院党委领导下的院长负责制，\n"
            "推进薪酬制度改革，医疗服务收入占医疗收入比例提高2个百分点。\n")
    text = "青山县2025年卫生健康工作要点\n\n一、深化医药卫生体制改革\n" + body * 3
    plan = planwriter.read(text)
    first = plan.sections[-1].items[0]
    assert str(first.title) == "推进紧密型县域医共体建设"
    # the joined sentence is whole: as text, or as its lead and targets
    md = planwriter.render_markdown(plan)
    assert "完善医共体牵头医院与成员单位的管理、人员、财务一体化机制" in md
    assert "基层就诊率保持在65%以上" in str(first.text) or "基层就诊率" in md


def test_a_traditional_chinese_plan_with_financial_numerals():
    text = ("臺北市立青山國民小學114學年度衛生保健工作計畫\n壹、依據\n一、學校衛生法。\n二、教育局工作重點。\n"
            "貳、實施內容\n一、健康檢查\n（一）9月完成新生健康檢查，檢查率達100%。\n")
    reading = read_with_findings(text)
    assert [d for d, _ in outline(text)] == [1, 2, 2, 1, 2, 3]
    assert reading.frame.language == "zh-Hant" and reading.frame.year == 2025
