"""The English says what the Chinese says: for every block and institution type it declares,
both languages carry the same paragraphs and items, the same measures, the same parameters
and the same glossary terms."""
from __future__ import annotations

import pytest

from blockcases import BLOCKS, CASES, ENV, KEYS, measures, pieces, render, sentinels, shown, spec


def shape(key, locale, org_type, params=None):
    """Paragraphs and items in order: depth, and whether the item has a run-in title."""
    return [(p.depth, bool(p.title)) for p in pieces(key, locale, org_type, params)]


@pytest.mark.parametrize("key, org_type", CASES)
def test_same_paragraphs_and_items(key, org_type):
    assert shape(key, "zh", org_type) == shape(key, "en", org_type)


@pytest.mark.parametrize("key, org_type", CASES)
@pytest.mark.parametrize("which", ["defaults", "other values"])
def test_same_measures_in_each_paragraph(key, org_type, which):
    """Paragraph by paragraph, the same numbers (万 and million multiplied out) and months."""
    params = None if which == "defaults" else sentinels(key)
    zh = pieces(key, "zh", org_type, params)
    en = pieces(key, "en", org_type, params)
    for a, b in zip(zh, en):
        assert measures(a.title + " " + a.text, "zh") == measures(b.title + " " + b.text, "en"), \
            (a.text, b.text)


@pytest.mark.parametrize("key", [k for k in KEYS if BLOCKS[k].get("params")])
def test_every_parameter_shows_as_often_in_both_languages(key):
    values = sentinels(key)
    for org_type in BLOCKS[key]["org_types"]:
        zh, en = render(key, "zh", org_type, values), render(key, "en", org_type, values)
        for name, value in values.items():
            s = spec(key, name)
            assert zh.count(shown(value, "zh", s)) == en.count(shown(value, "en", s)), (org_type, name)


@pytest.mark.parametrize("key, org_type", CASES)
def test_same_glossary_terms(key, org_type):
    """A glossary term (医院感染管理科, 紧密型县域医共体 …) a block uses in Chinese it uses in
    English, in the glossary's English words, and the other way round."""
    glossary = ENV.glossary
    found = {}
    for locale in ("zh", "en"):
        found[locale] = {k for k in glossary.found(render(key, locale, org_type), locale)
                         if glossary.terms[k].parity}
    assert found["zh"] == found["en"], found["zh"] ^ found["en"]


def test_the_measure_reader_reads_as_officials_write():
    assert measures("完成门诊诊疗28.6万人次，增长7.2%，3月招标，6个月，2型糖尿病", "zh") == (
        [2, 6, 7.2, 286000], [3])
    assert measures("286,000 visits, up 7.2%, tendering in March, 6 months, type 2 diabetes, "
                    "CNY 2 million, the 14th Five-Year Plan, patients may", "en") == (
        [2, 6, 7.2, 286000, 2000000], [3])
