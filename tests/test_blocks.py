"""The block library: metadata, language parity, parameters and output rules."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import jinja2
import jinja2.meta
import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
import seed_coverage as sc  # noqa: E402

from planwriter.environment import localise  # noqa: E402

LOCALES = ("zh", "en")
CONTEXT_NAMES = {"org", "org_type", "year", "superior"}
HELPER_NAMES = {"indicator"}
KINDS = {"preamble", "situation", "guiding_ideology", "principles", "goals", "tasks", "measures",
         "schedule", "responsibilities", "safeguards", "inspection", "closing", "custom"}
ORG_TYPES = {"township_health_center", "community_health_center", "hospital", "community", "other"}

BLOCKS = sc.load_blocks()
KEYS = sorted(BLOCKS)

FORBIDDEN = re.compile(r"xx|XX|××|__")
TYPED_NUMBERING = re.compile(
    r"^\s*(?:- )?(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])"
)


def template_keys(locale: str) -> set[str]:
    root = REPO / "templates" / locale / "blocks"
    return {p.relative_to(root).with_suffix("").as_posix() for p in root.rglob("*.j2")}


def source(locale: str, key: str) -> str:
    return (REPO / "templates" / locale / "blocks" / f"{key}.j2").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def envs():
    return {loc: sc.LIBRARY.jinja(loc) for loc in LOCALES}


def test_library_size():
    assert 40 <= len(BLOCKS) <= 70


@pytest.mark.parametrize("locale", LOCALES)
def test_every_block_exists_in_every_language(locale):
    assert template_keys(locale) == set(BLOCKS)


@pytest.mark.parametrize("key", KEYS)
def test_metadata(key):
    meta = BLOCKS[key]
    assert re.fullmatch(r"[a-z_]+/[a-z_]+", key)
    assert set(meta["title"]) == set(LOCALES) and all(meta["title"].values())
    assert meta["kinds"] and set(meta["kinds"]) <= KINDS
    assert meta["org_types"] and set(meta["org_types"]) <= ORG_TYPES
    assert meta["topics"], "topics feed the seed coverage report"
    for name, spec in (meta.get("params") or {}).items():
        assert ("default" in spec) != bool(spec.get("required")), name
        assert set(spec["description"]) == set(LOCALES), name


@pytest.mark.parametrize("key", KEYS)
def test_template_variables_are_the_declared_params(key, envs):
    declared = set(BLOCKS[key].get("params") or {})
    for loc in LOCALES:
        used = jinja2.meta.find_undeclared_variables(envs[loc].parse(source(loc, key)))
        assert used - CONTEXT_NAMES - HELPER_NAMES == declared, loc


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("locale", LOCALES)
def test_renders_clean_with_defaults(key, locale, envs):
    text = sc.render_block(key, locale)
    assert text.strip()
    assert not FORBIDDEN.search(text)
    for line in text.split("\n"):
        assert not TYPED_NUMBERING.match(line), line
        if line.lstrip().startswith("- "):
            indent = len(line) - len(line.lstrip())
            assert indent % 2 == 0 and indent // 2 < 3, line
    if locale == "zh":
        assert not re.search(r"[\u4e00-\u9fff][,;:()?!]|[,;:()?!][\u4e00-\u9fff]", text), \
            "Chinese text uses full-width punctuation"
    else:
        assert not re.search(r"[\u4e00-\u9fff，。；：（）]", text)


def _sentinel(spec):
    """A value of the parameter's type that appears nowhere else in the text."""
    return {"percent": 87.25, "number": 87.25, "count": 87,
            "month": 11 if spec["default"] != 11 else 9}.get(spec["type"], {"zh": "〔测试值〕", "en": "[test value]"})


@pytest.mark.parametrize("key", [k for k in KEYS if BLOCKS[k].get("params")])
@pytest.mark.parametrize("locale", LOCALES)
def test_changing_a_param_changes_only_its_places(key, locale, envs):
    base = sc.render_block(key, locale)
    defaults = sc.LIBRARY.block(key).defaults(locale)
    num = envs[locale].filters["num"]
    for name, default in defaults.items():
        value = localise(_sentinel(BLOCKS[key]["params"][name]), locale)
        changed = sc.render_block(key, locale, {name: value})
        shown = num(value) if isinstance(value, (int, float)) else value
        shown_default = num(default) if isinstance(default, (int, float)) else default
        assert shown in changed, name
        assert changed != base, name
        assert changed.replace(shown, shown_default) == base, name


def test_indicator_helper_phrases():
    zh, en = sc.LIBRARY.jinja("zh"), sc.LIBRARY.jinja("en")
    ind_zh, ind_en = zh.globals["indicator"], en.globals["indicator"]
    assert ind_zh("参合率", "at_least", 95, "percent") == "参合率达到95%以上"
    assert ind_zh("孕产妇死亡率", "at_most", 18, "per_100k") == "孕产妇死亡率控制在18/10万以内"
    assert ind_zh("门诊人次", "increase_by", 10, "percent") == "门诊人次提高10%"
    assert ind_en("participation rate", "at_least", 95, "percent") == "participation rate of at least 95%"
    assert zh.filters["pct"](99.5) == "99.5%"
