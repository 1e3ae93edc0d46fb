"""Blocks fit the institution they are rendered for: no village in an urban centre, no
obstetric ward in a community health service centre, no 科室 in a residents' committee,
no 基层医疗卫生机构 for a county hospital; and `check` warns (PW501) when a plan uses a
block written for another type of institution."""
from __future__ import annotations

import pytest

import planwriter
from planwriter.model import ORG_TYPES

from blockcases import BLOCKS, CASES, ENV, KEYS, render


@pytest.mark.parametrize("key, org_type", CASES)
@pytest.mark.parametrize("locale", ["zh", "en"])
def test_no_block_says_what_does_not_belong_to_its_institution(key, org_type, locale):
    words = ENV.glossary.misplaced(render(key, locale, org_type), locale, org_type)
    assert not words, f"{key} for {org_type} says {words}"


def test_the_out_of_place_lists_cover_the_institution_types_and_catch_what_they_name():
    lists = ENV.glossary.out_of_place
    assert set(lists) == {"township_health_center", "community_health_center", "hospital", "community"}
    g = ENV.glossary
    assert g.misplaced("加强对村卫生室和乡村医生的管理", "zh", "community_health_center") == ["村卫生室", "乡村医生"]
    assert g.misplaced("Inspect every village clinic.", "en", "community_health_center") == ["village"]
    assert g.misplaced("Supervise the villages.", "en", "community_health_center") == ["villages"]
    assert g.misplaced("作为基层医疗卫生机构", "zh", "hospital") == ["基层医疗卫生机构"]
    assert g.misplaced("各科室定期检查医用气体", "zh", "community") == ["科室", "医用气体"]
    assert g.misplaced("Visit every village.", "en", "township_health_center") == []


@pytest.mark.parametrize("org_type", [t for t in ORG_TYPES])
def test_every_institution_type_can_build_a_whole_plan_from_the_library(org_type):
    kinds = {k for key in KEYS if org_type in BLOCKS[key]["org_types"] for k in BLOCKS[key]["kinds"]}
    assert {"preamble", "guiding_ideology", "goals", "safeguards", "closing"} <= kinds
    if org_type in ("township_health_center", "community_health_center", "hospital", "community"):
        assert {"tasks", "measures"} <= kinds  # the types the library writes tasks for


def test_wording_differs_where_institutions_differ():
    zh = {t: render("quality/infection_control", "zh", t) for t in BLOCKS["quality/infection_control"]["org_types"]}
    assert "产房" in zh["hospital"] and "产房" in zh["township_health_center"]
    assert "产房" not in zh["community_health_center"]
    assert "医院感染管理科" in zh["community_health_center"]
    safety = render("safety/production", "zh", "community")
    assert "医用气体" not in safety and "电动自行车" in safety
    assert "医共体牵头医院" in render("reform/county_alliance", "zh", "hospital")
    assert "成员单位" in render("reform/county_alliance", "zh", "township_health_center")
    assert "城市医疗集团" in render("reform/county_alliance", "zh", "community_health_center")


# -- PW501 ------------------------------------------------------------------------------
def plan(org_type: str, *blocks: str) -> planwriter.Plan:
    return planwriter.loads(
        "meta:\n  organisation: 青山县人民医院\n"
        f"  org_type: {org_type}\n  year: 2025\nsections:\n  - kind: measures\n    items:\n"
        + "".join(f"      - block: {b}\n" for b in blocks), "plan.yaml")


def test_check_warns_when_a_block_is_used_for_an_institution_it_does_not_declare():
    findings = [f for f in planwriter.check(plan("hospital", "quality/nursing", "village/integration"))
                if f.code == "PW501"]
    assert [(f.severity, f.field, f.line) for f in findings] == [
        ("warning", "sections[0].items[1].block", 9)]
    assert findings[0].message == ("block 'village/integration' is written for township_health_center, "
                                   "not for hospital (meta.org_type); check that its wording fits")
    assert str(findings[0]).startswith("plan.yaml:9: PW501 warning: sections[0].items[1].block: ")


@pytest.mark.parametrize("key", ["village/integration", "development/disciplines", "community/family_support"])
def test_every_undeclared_type_is_warned_and_every_declared_one_is_not(key):
    for org_type in ORG_TYPES:
        if org_type == "other":
            continue
        codes = [f.code for f in planwriter.check(plan(org_type, key))]
        assert ("PW501" in codes) == (org_type not in BLOCKS[key]["org_types"]), org_type


def test_a_plan_of_type_other_is_not_checked_for_fit():
    assert "PW501" not in [f.code for f in planwriter.check(plan("other", "village/integration"))]
