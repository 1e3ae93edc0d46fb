"""The block library: metadata, parameters and the rules every rendered block keeps,
for every institution type it declares, in both languages."""
from __future__ import annotations

import re

import jinja2.meta
import pytest

from planwriter.environment import PARAM_TYPES, param_problem
from planwriter.model import ORG_TYPES, SECTION_KINDS

from blockcases import BLOCKS, CASES, ENV, KEYS, LOCALES, REPO, pieces, render, sentinels, shown, spec

CONTEXT_NAMES = {"org", "org_type", "year", "superior"}
HELPER_NAMES = {"indicator", "term"}

FORBIDDEN = re.compile(r"xx|XX|××|__|\{\{|\}\}|\{%")
TYPED_NUMBERING = re.compile(
    r"^\s*(?:- )?(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])")
#: Two items on one line: a template tag at a line's end swallowed the newline.
RUN_TOGETHER = re.compile(r"[。；：.;:!?！？][ \t]*- ")

#: Terms of 2006-era plans that a 2025–2026 plan no longer uses, and what replaced them.
OBSOLETE = {
    "zh": {"六位一体": "防、治、康、管综合服务", "计划生育技术指导": "生育支持", "新农合": "城乡居民医保",
           "新型农村合作医疗": "城乡居民医保", "卫生局": "卫生健康局",
           "卫生计生": "卫生健康", "三个代表": "习近平新时代中国特色社会主义思想", "科学发展观": "同上",
           "零差率": "零加成", "病人": "患者", "甲流": "流感", "非典": "—"},
    "en": {"six-in-one": "integrated services", "family planning": "support for families",
           "cooperative medical": "residents' medical insurance", "nosocomial": "healthcare-associated",
           "health bureau's supervision": "healthcare security bureau"},
}


def template_keys(locale: str) -> set[str]:
    root = REPO / "templates" / locale / "blocks"
    return {p.relative_to(root).with_suffix("").as_posix() for p in root.rglob("*.j2")}


def source(locale: str, key: str) -> str:
    return (REPO / "templates" / locale / "blocks" / f"{key}.j2").read_text(encoding="utf-8")


def test_library_size():
    assert 60 <= len(BLOCKS) <= 90


@pytest.mark.parametrize("locale", LOCALES)
def test_every_block_exists_in_every_language(locale):
    assert template_keys(locale) == set(BLOCKS)


@pytest.mark.parametrize("key", KEYS)
def test_metadata(key):
    meta = BLOCKS[key]
    assert re.fullmatch(r"[a-z_]+/[a-z_]+", key)
    assert set(meta["title"]) == set(LOCALES) and all(meta["title"].values())
    assert meta["kinds"] and set(meta["kinds"]) <= set(SECTION_KINDS)
    assert meta["org_types"] and set(meta["org_types"]) <= set(ORG_TYPES)
    assert meta["topics"], "topics feed the seed coverage report"
    for name, spec in (meta.get("params") or {}).items():
        assert ("default" in spec) != bool(spec.get("required")), name
        assert set(spec["description"]) == set(LOCALES), name
        assert spec.get("type") in PARAM_TYPES, name
        assert param_problem(spec["type"], spec["default"]) is None, name
        for org_type, value in (spec.get("defaults") or {}).items():
            assert org_type in meta["org_types"], (name, org_type)
            assert param_problem(spec["type"], value) is None, (name, org_type)


@pytest.mark.parametrize("key", KEYS)
def test_template_variables_are_the_declared_params(key):
    declared = set(BLOCKS[key].get("params") or {})
    for loc in LOCALES:
        used = jinja2.meta.find_undeclared_variables(ENV.jinja(loc).parse(source(loc, key)))
        assert used - CONTEXT_NAMES - HELPER_NAMES == declared, loc


@pytest.mark.parametrize("key, org_type", CASES)
@pytest.mark.parametrize("locale", LOCALES)
def test_renders_clean_for_every_declared_institution(key, org_type, locale):
    text = render(key, locale, org_type)
    assert text.strip()
    assert not FORBIDDEN.search(text), FORBIDDEN.search(text)
    assert not RUN_TOGETHER.search(text), RUN_TOGETHER.search(text)
    for line in text.split("\n"):
        assert not TYPED_NUMBERING.match(line), line
        if line.lstrip().startswith("- "):
            indent = len(line) - len(line.lstrip())
            assert indent % 2 == 0 and indent // 2 < 3, line
    for p in pieces(key, locale, org_type):
        body = p.text
        assert body[-1] in ("。" if locale == "zh" else ".:"), f"unfinished sentence: {body[-40:]!r}"
        if locale == "zh":
            assert not re.search(r"[\u4e00-\u9fff][,;:()?!]|[,;:()?!][\u4e00-\u9fff]", body), body
            assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", body), body
        else:
            assert not re.search(r"[\u4e00-\u9fff，。；：（）]", body), body
            assert not re.search(r"  | [,.;:]|\.\.", body), body
            assert body[0].isupper() or body[0].isdigit(), body


@pytest.mark.parametrize("locale", LOCALES)
def test_no_block_uses_an_obsolete_term(locale):
    for key, org_type in CASES:
        text = render(key, locale, org_type)
        for term, now in OBSOLETE[locale].items():
            assert term.casefold() not in text.casefold(), f"{key} [{org_type}]: '{term}' (now: {now})"


@pytest.mark.parametrize("key", [k for k in KEYS if BLOCKS[k].get("params")])
def test_changing_a_param_changes_only_its_places(key):
    """Rendered with two sets of values, a block differs exactly where its parameters stand,
    and each parameter stands somewhere for at least one institution type it declares."""
    a, b = sentinels(key, 0), sentinels(key, 1)
    used = set()
    for org_type in BLOCKS[key]["org_types"]:
        for locale in LOCALES:
            first, second = render(key, locale, org_type, a), render(key, locale, org_type, b)
            for name in a:
                s = spec(key, name)
                if shown(a[name], locale, s) in first:
                    used.add(name)
                first = first.replace(shown(a[name], locale, s), f"⟦{name}⟧")
                second = second.replace(shown(b[name], locale, s), f"⟦{name}⟧")
            assert first == second, (org_type, locale)
    assert used == set(a), f"parameters shown nowhere: {set(a) - used}"


@pytest.mark.parametrize("key", [k for k in KEYS if any("defaults" in s for s in (BLOCKS[k].get("params") or {}).values())])
def test_defaults_follow_the_institution_type(key):
    for name, spec in BLOCKS[key]["params"].items():
        for org_type, value in (spec.get("defaults") or {}).items():
            assert ENV.block(key).defaults("zh", org_type)[name] == (value["zh"] if isinstance(value, dict) else value)
            assert shown(value, "en", spec) in render(key, "en", org_type)


def test_a_text_parameter_left_empty_is_worded_for_the_institution():
    hospital = render("safeguards/organisation", "zh", "hospital")
    centre = render("safeguards/organisation", "zh", "community_health_center")
    assert hospital.startswith("成立由院长任组长") and centre.startswith("成立由中心主任任组长")
    assert render("safeguards/organisation", "en", "hospital").startswith("The president will chair")
    named = render("safeguards/organisation", "zh", "hospital", {"leader": "党委书记、院长"})
    assert named.startswith("成立由党委书记、院长任组长")


def test_indicator_helper_phrases():
    zh, en = ENV.jinja("zh"), ENV.jinja("en")
    ind_zh, ind_en = zh.globals["indicator"], en.globals["indicator"]
    assert ind_zh("参合率", "at_least", 95, "percent") == "参合率达到95%以上"
    assert ind_zh("孕产妇死亡率", "at_most", 18, "per_100k") == "孕产妇死亡率控制在18/10万以内"
    assert ind_zh("门诊人次", "increase_by", 10, "percent") == "门诊人次提高10%"
    assert ind_en("participation rate", "at_least", 95, "percent") == "participation rate of at least 95%"
    assert zh.filters["pct"](99.5) == "99.5%"


# -- English as a native professional writes it --------------------------------------------
AMERICAN = re.compile(
    r"\b\w+(?:iz(?:e|es|ed|ing|ation|ations)|yz(?:e|ed|ing))\b|\b(?:center|centers|program|programs|"
    r"color|behavior|labor|favor|honor|pediatric\w*|anesthe\w*|hemorrhag\w*|diarrhea|estrogen|"
    r"fetus|aging|counseling|enroll|enrollment|fulfill|license[ds]? to)\b", re.I)
BRITISH_OK = {"size", "seize", "prize", "capsize", "citizen", "citizens"}
CALQUES = re.compile(r"main thread|complete the rules|headed by|connotation|grasp|do a good job|"
                     r"\bwith (?:an? |the )?[\w\- ]+ of (?:at least|no more than) \d|month \d+|"
                     r"\bthe masses\b|\bstrengthen the construction\b|\bimplement the implementation\b")


@pytest.mark.parametrize("key, org_type", CASES)
def test_english_is_british_and_idiomatic(key, org_type):
    text = render(key, "en", org_type)
    words = {m.group().lower() for m in AMERICAN.finditer(text)} - BRITISH_OK
    assert not words, words
    assert not CALQUES.search(text), CALQUES.search(text)
    if "百分点" in render(key, "zh", org_type):
        assert "percentage point" in text
