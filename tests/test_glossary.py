"""The glossary: one word for one thing, used by the blocks, overridable by users, and
`check` (PW502) when a plan spells a term two ways."""
from __future__ import annotations

import pytest

import planwriter
from planwriter import Environment, PlanError
from planwriter.glossary import Glossary

from blockcases import CASES, ENV, render


def test_every_term_has_both_languages_and_variants_differ_from_its_forms():
    for key, term in ENV.glossary.terms.items():
        for locale in ("zh", "en"):
            assert term.form(locale), key
            forms = set(term.forms[locale].values()) if isinstance(term.forms[locale], dict) \
                else {term.forms[locale]}
            assert not forms & set(term.variants.get(locale, ())), key


@pytest.mark.parametrize("key, org_type", CASES)
@pytest.mark.parametrize("locale", ["zh", "en"])
def test_no_block_uses_another_spelling_of_a_glossary_term(key, org_type, locale):
    g = ENV.glossary
    text = render(key, locale, org_type)
    variants = [(k, w) for k, hits in g.found(text, locale).items() for _, _, w in hits
                if g.is_variant(k, locale, g.spelling(k, locale, w))]
    assert not variants


def test_term_gives_the_form_for_the_institution():
    g = ENV.glossary
    assert g.term("self", "zh", "hospital") == "我院"
    assert g.term("self", "zh", "community_health_center") == "本中心"
    assert g.term("self", "en", "community") == "the community"
    assert g.term("self", "zh", None) == "本单位"
    assert g.term("infection_department", "en") == "infection prevention and control department"
    with pytest.raises(PlanError, match="the glossary has no term 'nope'"):
        g.term("nope", "zh")


def test_a_spelling_inside_a_longer_one_is_the_term_written_once():
    g = ENV.glossary
    found = g.found("由医院感染管理科负责医院感染管理，院感科另设。", "zh")
    spelt = sorted(g.spelling("infection_department", "zh", w) for _, _, w in found["infection_department"])
    assert spelt == ["医院感染管理科", "院感科"]
    assert [w for _, _, w in found["infection_control"]] == ["医院感染"]  # 医院感染管理 names the subject


def test_a_user_glossary_overrides_a_term_and_the_blocks_follow(tmp_path):
    (tmp_path / "glossary.yaml").write_text(
        "terms:\n  infection_department:\n    zh: 感染管理部\n    en: infection management unit\n",
        encoding="utf-8")
    env = Environment([tmp_path])
    ctx = {"org": "青山县人民医院", "org_type": "hospital", "year": 2025, "superior": ""}
    assert "由感染管理部具体负责" in env.render_block("quality/infection_control", "zh", ctx)
    assert env.glossary.term("self", "zh", "hospital") == "我院"  # the rest is the bundled glossary


@pytest.mark.parametrize("text, message", [
    ("terms: [a, b]\n", "'terms' in the glossary must be a mapping"),
    ("terms:\n  x: {zh: 甲}\n", "term 'x' has no 'en' form"),
    ("terms:\n  x: {zh: {hospital: 我院}, en: we}\n", "needs 'other'"),
    ("out_of_place:\n  clinic: {zh: [村]}\n", "unknown institution type 'clinic'"),
    ("colours: {}\n", "must be a mapping with 'terms' and 'out_of_place'"),
    ("terms:\n  x: {zh: 甲, en: [\n", "YAML"),
])
def test_a_bad_glossary_is_refused_with_its_file(tmp_path, text, message):
    (tmp_path / "glossary.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as e:
        Glossary.from_folders([tmp_path])
    assert message in str(e.value) and str(tmp_path / "glossary.yaml") in str(e.value)


# -- PW502 ------------------------------------------------------------------------------
PLAN = """meta:
  organisation: 青山镇卫生院
  org_type: township_health_center
  year: 2025
sections:
  - kind: measures
    items:
      - block: quality/infection_control
      - text: 院感科每月检查一次手卫生。
"""


def pw502(text: str, locales=None):
    return [f for f in planwriter.check(planwriter.loads(text, "plan.yaml"), locales=locales)
            if f.code == "PW502"]


def test_check_reports_a_term_spelled_two_ways():
    (f,) = pw502(PLAN)
    assert (f.severity, f.field, f.line) == ("warning", "sections[0].items[1].text", 9)
    assert f.message == "'院感科' and '医院感染管理科' name the same thing; write '医院感染管理科' throughout"


def test_check_leaves_one_spelling_alone():
    assert pw502(PLAN.replace("院感科", "医院感染管理科")) == []
    assert pw502(PLAN.replace("      - block: quality/infection_control\n", "")) == []


def test_check_reports_american_spelling_beside_british():
    text = ("meta:\n  locales: [en]\n  organisation: Qingshan Township Health Center\n"
            "  org_type: township_health_center\n  year: 2025\nsections:\n"
            "  - kind: measures\n    block: public_health/basic_services\n")
    (f,) = pw502(text)
    assert f.field == "meta.organisation" and "'Center' and 'centre'" in f.message


def test_a_user_glossary_is_read_like_any_file_of_a_template_folder(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("terms: {}\n", encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "glossary.yaml").symlink_to(outside)
    with pytest.raises(PlanError, match="leads outside the template folder"):
        Environment([folder]).glossary
    (folder / "glossary.yaml").unlink()
    (folder / "glossary.yaml").write_text("terms:\n  x: {zh: 甲}\n", encoding="utf-8")
    with pytest.raises(PlanError) as e:
        Environment([folder]).glossary
    assert str(e.value) == f"{folder / 'glossary.yaml'}:2: terms.x: term 'x' has no 'en' form"


# -- a user's glossary is untrusted input -------------------------------------------------
from hypothesis import given, settings, strategies as st  # noqa: E402

from planwriter.loader import Source  # noqa: E402

_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8))
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["zh", "en", "variants", "parity", "other", "hospital", "x"]),
                    inner, max_size=4)), max_leaves=12)
_glossaries = st.dictionaries(st.sampled_from(["terms", "out_of_place", "colours"]),
                              st.dictionaries(st.text(min_size=1, max_size=6), _values, max_size=3),
                              max_size=2)


@settings(max_examples=200, deadline=None)
@given(_glossaries)
def test_any_glossary_either_loads_or_is_refused_with_its_file(data):
    try:
        glossary = Glossary.merge([(data, Source("glossary.yaml", {}))])
    except PlanError as e:
        assert str(e).startswith("glossary.yaml")
        return
    for key in glossary.terms:  # what loads can be used
        assert isinstance(glossary.term(key, "zh", "hospital"), str)
        glossary.found("医院感染管理科 centre", "en")
