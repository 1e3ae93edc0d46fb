"""A plan rendered by planwriter and imported back is the same plan."""
import datetime as dt

from hypothesis import HealthCheck, given, settings, strategies as st

import planwriter
from planwriter.schedule import parse_when

ZH_CLAUSES = ["加强医疗质量管理", "落实首诊负责制度", "规范医疗文书书写", "做好健康教育宣传", "开展家庭医生签约服务",
              "完善绩效考核办法", "推进信息化建设", "抓好安全生产", "改善群众就医环境", "加强队伍建设"]
EN_WORDS = ["We will strengthen the quality of care", "Every ward will audit its records",
            "Staff will take part in regular training", "The centre will keep residents informed",
            "Each department will report on progress", "We will improve the patient experience"]
ZH_TITLES = ["医疗质量", "公共卫生", "队伍建设", "信息化建设", "安全生产", "健康教育"]
EN_TITLES = ["Quality of care", "Public health", "Our workforce", "Digital services", "Safety", "Health education"]
ZH_NAMES = ["参合率", "健康档案建档率", "孕产妇系统管理率", "门诊人次", "患者满意度"]
EN_NAMES = ["participation rate", "record coverage rate", "maternal care coverage", "patient satisfaction rate"]
COMPARATORS = ["at_least", "at_most", "reach", "increase_by", "decrease_by"]
WHENS = ["Q1", "by 6", "9..10", "H2", "3", "by 2025-03-15"]
OWNERS = {"zh": ["办公室", "医务科", "公共卫生科"], "en": ["General Office", "Medical Affairs Office"]}


def sentence(draw, locale):
    if locale == "zh":
        parts = draw(st.lists(st.sampled_from(ZH_CLAUSES), min_size=1, max_size=3, unique=True))
        return "，".join(parts) + "。"
    return draw(st.sampled_from(EN_WORDS)) + "."


@st.composite
def indicators(draw, locale):
    out = []
    for name in draw(st.lists(st.sampled_from(ZH_NAMES if locale == "zh" else EN_NAMES), max_size=3, unique=True)):
        comp = draw(st.sampled_from(COMPARATORS))
        unit = draw(st.sampled_from(["percent", "permille", "per_100k", "persons"] if comp != "at_least"
                                    else ["percent", "permille", "per_100k", "persons", "none"]))
        value = draw(st.integers(1, 99))
        ind = {"name": name, "comparator": comp, "value": value, "unit": unit}
        if comp in ("at_least", "reach") and unit == "percent" and draw(st.booleans()):
            ind["baseline"] = draw(st.integers(1, 99))
        out.append(ind)
    return out


@st.composite
def items(draw, locale, depth):
    out = []
    titles = ZH_TITLES if locale == "zh" else EN_TITLES
    for title in draw(st.lists(st.sampled_from(titles), max_size=3, unique=True)):
        item = {"title": title, "text": sentence(draw, locale)}
        if depth < 3 and draw(st.booleans()):
            kids = draw(items(locale, depth + 1))
            if kids:
                item["items"] = kids
        out.append(item)
    if not out:
        out = [{"text": sentence(draw, locale)} for _ in range(draw(st.integers(0, 2)))]
    return out


@st.composite
def plans(draw, locale):
    year = draw(st.integers(2024, 2027))
    meta = {"organisation": "青山镇卫生院" if locale == "zh" else "Qingshan Township Health Center",
            "org_type": "township_health_center", "year": year, "locales": [locale]}
    if draw(st.booleans()):
        meta["date"] = dt.date(year, 1, draw(st.integers(1, 28)))
    sections = [{"kind": "preamble", "text": sentence(draw, locale)}]
    goals = draw(indicators(locale))
    if goals:
        sections.append({"kind": "goals", "indicators": goals})
    for kind in draw(st.lists(st.sampled_from(["tasks", "measures", "safeguards"]), min_size=1, max_size=2,
                              unique=True)):
        body = {"kind": kind, "text": sentence(draw, locale)}
        kids = draw(items(locale, 2))
        if kids:
            body["items"] = kids
        sections.append(body)
    whens = draw(st.lists(st.sampled_from(WHENS), max_size=3, unique=True))
    if whens:
        owned = draw(st.booleans())
        sections.append({"kind": "schedule", "schedule": [
            {"when": w.replace("2025", str(year)), "what": sentence(draw, locale).rstrip("。."),
             **({"owner": draw(st.sampled_from(OWNERS[locale]))} if owned else {})} for w in whens]})
    return planwriter.Plan.model_validate({"meta": meta, "sections": sections})


def data_of(plan):
    inds, sched = [], []

    def walk(node):
        inds.extend((str(i.name).lower(), i.comparator, i.value, i.unit, i.baseline) for i in node.indicators)
        sched.extend((parse_when(str(e.when)).span(plan.meta.span), str(e.what), str(e.owner or ""))
                     for e in node.schedule)
        for child in node.items:
            walk(child)
    for s in plan.sections:
        walk(s)
    return inds, sched


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["zh", "en"]).flatmap(plans))
def test_a_rendered_plan_imports_back_to_the_same_plan(plan):
    md = planwriter.render_markdown(plan)
    back = planwriter.read(md, "markdown")
    assert planwriter.compose(back) == planwriter.compose(plan), md
    assert data_of(back) == data_of(plan)
    assert back.meta.year == plan.meta.year and back.meta.date == plan.meta.date


def test_the_examples_keep_their_text_through_a_round_trip():
    """Import → render keeps the text of each example (numbering aside) in both languages."""
    import difflib

    from conftest import EXAMPLES
    for path in sorted(EXAMPLES.glob("*.yaml")):
        plan = planwriter.load(path)
        for locale in plan.meta.locales:
            md = planwriter.render_markdown(plan, locale)
            again = planwriter.render_markdown(planwriter.read(md, "markdown"))
            a, b = _words(md), _words(again)
            matched = sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
            assert matched / len(a) >= 0.98, (path.name, locale, matched / len(a))


def _words(md: str) -> str:
    import re
    import unicodedata
    text = re.sub(r"(?m)^#+ ", "", md)
    text = re.sub(r"(?m)^\s*(?:[（(]?[一二三四五六七八九十\d]+[)）]?[、.．]?|\d+(?:\.\d+)*\s|\([a-z]+\)\s)", "", text)
    return "".join(c for c in unicodedata.normalize("NFKC", text).lower()
                   if c.isalnum() or "\u4e00" <= c <= "\u9fff")
