"""The library as users meet it: `blocks`, `blocks show`, presets and `new`."""

import pytest
import yaml
from click.testing import CliRunner

import planwriter
from planwriter.cli import main
from planwriter.library import list_blocks, preset_names

ENV = planwriter.default_environment()
ROOT = __import__('pathlib').Path(__file__).resolve().parent.parent
PRESETS = ["community-health", "community-health-center", "county-health-bureau", "director-report",
           "hospital", "township-health-center"]
BUNDLED = planwriter.environment.bundled_templates()


def preset(name: str) -> planwriter.Plan:
    return planwriter.loads((BUNDLED / "presets" / f"{name}.yaml").read_text(encoding="utf-8"),
                            f"preset {name}")


def run(*args):
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_the_six_presets_exist():
    assert preset_names(ENV) == PRESETS


def test_blocks_lists_every_block_with_its_title():
    code, out, _ = run("blocks", "--locale", "en")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == len(ENV.blocks)
    assert any(l.startswith("quality/infection_control") and "Infection prevention and control" in l
               for l in lines)


def test_blocks_filters_by_kind_and_institution():
    keys = {b.key for b in list_blocks(ENV, kind="safeguards")}
    assert "safeguards/organisation" in keys and "quality/infection_control" not in keys
    assert all("hospital" in b.org_types for b in list_blocks(ENV, org_type="hospital"))


def test_blocks_show_renders_with_defaults_and_with_a_param():
    code, out, _ = run("blocks", "show", "quality/infection_control", "--locale", "en")
    assert code == 0
    assert out.startswith("# Infection prevention and control\n")
    assert "bringing hand-hygiene compliance to at least 85%" in out
    code, out, _ = run("blocks", "show", "quality/infection_control", "-p", "hand_hygiene_rate=80")
    assert "手卫生依从率达到80%以上" in out


def test_blocks_show_unknown_key_suggests():
    code, _, err = run("blocks", "show", "quality/infection_contrl")
    assert code == 2
    assert err == ("planwriter: error: unknown block 'quality/infection_contrl'; "
                   "did you mean 'quality/infection_control'?\n")


@pytest.mark.parametrize("preset_name", PRESETS)
@pytest.mark.parametrize("locale", ["zh", "en", None])
def test_new_writes_a_plan_that_renders_without_edits(preset_name, locale, tmp_path):
    out = tmp_path / "plan.yaml"
    args = ["new", "--preset", preset_name, "-o", str(out)] + (["--locale", locale] if locale else [])
    code, _, _ = run(*args)
    assert code == 0
    plan = planwriter.load(out)
    assert plan.meta.locales == ([locale] if locale else preset(preset_name).meta.locales)
    for loc in plan.meta.locales:
        md = planwriter.render_markdown(plan, loc)
        assert len(planwriter.compose(plan, loc).headings()) >= 6
        for bad in ("xx", "XX", "××", "__", "20xx"):
            assert bad not in md
        assert planwriter.render_docx(plan, loc)[:2] == b"PK"


def test_new_with_year_moves_the_whole_plan(tmp_path):
    out = tmp_path / "plan.yaml"
    base = preset("hospital")
    assert run("new", "--preset", "hospital", "--year", "2027", "--locale", "zh", "-o", str(out))[0] == 0
    plan = planwriter.load(out)
    shift = 2027 - base.meta.year
    assert plan.meta.year == 2027 and plan.meta.date == base.meta.date.replace(year=base.meta.date.year + shift)
    assert planwriter.compose(plan).title.endswith("2027年工作计划")
    # every schedule entry moves with the plan, so nothing falls outside it
    spans = [e.when.span(plan.meta.span) for s in plan.sections for e in s.schedule]
    assert spans and all(plan.meta.span[0] <= first and last <= plan.meta.span[1] for first, last in spans)
    assert planwriter.check(plan) == []


def test_new_does_not_overwrite_without_force(tmp_path):
    out = tmp_path / "plan.yaml"
    out.write_text("my edited plan", encoding="utf-8")
    code, _, err = run("new", "--preset", "hospital", "-o", str(out))
    assert code == 2 and err == f"planwriter: error: {out} exists; use --force to replace it\n"
    assert out.read_text(encoding="utf-8") == "my edited plan"
    assert run("new", "--preset", "hospital", "--force", "-o", str(out))[0] == 0
    planwriter.load(out)


def test_unknown_preset():
    code, _, err = run("new", "--preset", "clinic", "-o", "x.yaml")
    assert code == 2
    assert err.startswith("planwriter: error: unknown preset 'clinic' (presets: community-health, ")


def _with_params(preset: str, changes: dict) -> planwriter.Plan:
    data = yaml.safe_load((planwriter.environment.bundled_templates() / "presets" / f"{preset}.yaml")
                          .read_text(encoding="utf-8"))
    def walk(node):
        if node.get("block") in changes:
            node.setdefault("params", {}).update(changes[node["block"]])
        for child in node.get("items", []):
            walk(child)
    for section in data["sections"]:
        walk(section)
    return planwriter.Plan.model_validate(data)


@pytest.mark.parametrize("locale, before, after", [
    ("zh", "达到85%以上", "达到88%以上"),
    ("en", "at least 85%", "at least 88%")])
def test_changing_a_parameter_changes_exactly_the_parameterised_text(locale, before, after):
    base = _with_params("township-health-center", {})
    info = ENV.block("quality/infection_control")
    assert info.params["hand_hygiene_rate"]["default"] == 85
    changed = _with_params("township-health-center", {"quality/infection_control": {"hand_hygiene_rate": 88}})
    a = planwriter.render_markdown(base, locale).splitlines()
    b = planwriter.render_markdown(changed, locale).splitlines()
    diff = [(x, y) for x, y in zip(a, b) if x != y]
    assert len(a) == len(b) and len(diff) == 1
    old, new = diff[0]
    assert before in old and old.replace(before, after) == new


def test_every_block_parameter_declares_a_known_type_and_its_default_fits():
    from planwriter.environment import PARAM_TYPES, param_problem
    for info in ENV.blocks.values():
        for name, spec in info.params.items():
            assert spec.get("type") in PARAM_TYPES, (info.key, name)
            assert param_problem(spec["type"], spec["default"]) is None, (info.key, name)


@pytest.mark.parametrize("value, message", [
    ("abc", "takes a percentage from 0 to 100, got 'abc'"),
    (120, "takes a percentage from 0 to 100, got 120"),
    (-5, "takes a percentage from 0 to 100, got -5"),
    (True, "takes a percentage from 0 to 100, got True"),
])
def test_block_parameters_are_type_checked_where_the_plan_sets_them(value, message, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("meta:\n  organisation: 青山镇卫生院\n  year: 2025\nsections:\n  - kind: measures\n"
                    "    block: quality/infection_control\n"
                    f"    params:\n      hand_hygiene_rate: {yaml.safe_dump(value).split(chr(10))[0]}\n",
                    encoding="utf-8")
    code, _, err = run("render", str(plan), "-o", str(tmp_path / "out.md"))
    assert code == 2
    assert err == (f"planwriter: error: {plan}:8: sections[0].params.hand_hygiene_rate: parameter "
                   f"'hand_hygiene_rate' of block 'quality/infection_control' {message}\n")


def test_blocks_json_gives_full_metadata():
    import json
    code, out, _ = run("blocks", "--format", "json", "--kind", "measures")
    data = {b["key"]: b for b in json.loads(out)}
    assert code == 0 and data
    ic = data["quality/infection_control"]
    assert ic["title"] == {"zh": "加强医院感染管理", "en": "Infection prevention and control"}
    assert "hospital" in ic["org_types"] and "measures" in ic["kinds"]
    assert ic["params"]["hand_hygiene_rate"]["type"] == "percent"
    assert ic["params"]["hand_hygiene_rate"]["default"] == 85
    assert ic["params"]["hand_hygiene_rate"]["defaults"] == {"hospital": 90}
    assert set(ic["params"]["hand_hygiene_rate"]["description"]) == {"zh", "en"}


# -- the presets as the plans each type of institution writes ------------------------------
@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_checks_clean_and_fits_its_institution(name):
    plan = preset(name)
    assert planwriter.check(plan) == []
    for locale in plan.meta.locales:
        text = planwriter.render_markdown(plan, locale)
        assert not ENV.glossary.misplaced(text, locale, plan.meta.org_type), name


def _ends(plan: planwriter.Plan, locale: str) -> tuple[str, str]:
    """The preamble and closing paragraphs, with the institution's name taken out."""
    blocks = [b for b in planwriter.compose(plan, locale).blocks if type(b).__name__ == "Paragraph"]
    org = plan.meta.organisation.get(locale)
    return blocks[0].text.replace(org, "…"), blocks[-1].text.replace(org, "…")


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_no_two_presets_share_a_preamble_or_a_closing(locale):
    ends = {name: _ends(preset(name), locale) for name in PRESETS}
    for part in (0, 1):
        texts = [e[part] for e in ends.values()]
        assert len(set(texts)) == len(texts), [n for n in ends if texts.count(ends[n][part]) > 1]


@pytest.mark.parametrize("name", PRESETS)
def test_each_example_is_its_preset(name):
    """examples/ holds every preset as it stands, so the golden files test the presets."""
    def body(path):
        text = path.read_text(encoding="utf-8")
        return text[text.index("meta:"):]
    assert body(ROOT / "examples" / f"{name}.yaml") == body(BUNDLED / "presets" / f"{name}.yaml")


def test_the_presets_cover_every_institution_type():
    types = {preset(n).meta.org_type for n in PRESETS}
    assert {"township_health_center", "community_health_center", "hospital", "community"} <= types


def test_the_hospital_preset_carries_the_hospital_themes():
    zh = planwriter.render_markdown(preset("hospital"), "zh")
    for words in ("学科", "科研", "竞聘上岗", "设备", "电子病历", "等级医院评审", "文化建设", "债务",
                  "DRG/DIP", "紧密型县域医共体牵头", "红包", "节假日", "公立医院高质量发展"):
        assert words in zh, words


def test_blocks_show_words_a_block_for_the_institution_asked_for():
    code, hospital, _ = run("blocks", "show", "quality/infection_control", "--org-type", "hospital")
    code2, centre, _ = run("blocks", "show", "quality/infection_control", "--org-type",
                           "community_health_center")
    assert code == code2 == 0
    assert "手卫生依从率达到90%以上" in hospital and "重症医学科" in hospital
    assert "手卫生依从率达到85%以上" in centre and "产房" not in centre
    code, _, err = run("blocks", "show", "quality/infection_control", "--org-type", "hospitl")
    assert code == 2 and "did you mean 'hospital'?" in err
