"""The library as users meet it: `blocks`, `blocks show`, presets and `new`."""

import pytest
import yaml
from click.testing import CliRunner

import planwriter
from planwriter.cli import main
from planwriter.library import list_blocks, preset_names

ENV = planwriter.default_environment()
PRESETS = ["community-health", "community-health-center", "hospital", "township-health-center"]


def run(*args):
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_the_four_presets_exist():
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
    assert "hand-hygiene compliance rate of at least 95%" in out
    code, out, _ = run("blocks", "show", "quality/infection_control", "-p", "hand_hygiene_rate=80")
    assert "手卫生依从率达到80%以上" in out


def test_blocks_show_unknown_key_suggests():
    code, _, err = run("blocks", "show", "quality/infection_contrl")
    assert code == 2
    assert err == ("planwriter: error: unknown block 'quality/infection_contrl'; "
                   "did you mean 'quality/infection_control'?\n")


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("locale", ["zh", "en", None])
def test_new_writes_a_plan_that_renders_without_edits(preset, locale, tmp_path):
    out = tmp_path / "plan.yaml"
    args = ["new", "--preset", preset, "-o", str(out)] + (["--locale", locale] if locale else [])
    code, _, _ = run(*args)
    assert code == 0
    plan = planwriter.load(out)
    assert plan.meta.locales == ([locale] if locale else ["zh", "en"])
    for loc in plan.meta.locales:
        md = planwriter.render_markdown(plan, loc)
        assert len(planwriter.compose(plan, loc).headings()) >= 6
        for bad in ("xx", "XX", "××", "__", "20xx"):
            assert bad not in md
        assert planwriter.render_docx(plan, loc)[:2] == b"PK"


def test_new_with_year_moves_the_whole_plan(tmp_path):
    out = tmp_path / "plan.yaml"
    assert run("new", "--preset", "hospital", "--year", "2027", "--locale", "zh", "-o", str(out))[0] == 0
    plan = planwriter.load(out)
    assert plan.meta.year == 2027 and plan.meta.date.year in (2026, 2027)
    assert planwriter.compose(plan).title.endswith("2027年工作计划")


def test_unknown_preset():
    code, _, err = run("new", "--preset", "clinic", "-o", "x.yaml")
    assert code == 2
    assert err.startswith("planwriter: error: unknown preset 'clinic' (presets: community-health, ")


def _with_params(preset: str, changes: dict) -> planwriter.Plan:
    data = yaml.safe_load((planwriter.environment.bundled_templates() / "presets" / f"{preset}.yaml")
                          .read_text(encoding="utf-8"))
    for section in data["sections"]:
        for item in [section] + section.get("items", []):
            if item.get("block") in changes:
                item.setdefault("params", {}).update(changes[item["block"]])
    return planwriter.Plan.model_validate(data)


@pytest.mark.parametrize("locale, before, after", [
    ("zh", "达到95%以上", "达到88%以上"),
    ("en", "of at least 95%", "of at least 88%")])
def test_changing_a_parameter_changes_exactly_the_parameterised_text(locale, before, after):
    base = _with_params("township-health-center", {})
    info = ENV.block("quality/infection_control")
    assert info.params["hand_hygiene_rate"]["default"] == 95
    changed = _with_params("township-health-center", {"quality/infection_control": {"hand_hygiene_rate": 88}})
    a = planwriter.render_markdown(base, locale).splitlines()
    b = planwriter.render_markdown(changed, locale).splitlines()
    diff = [(x, y) for x, y in zip(a, b) if x != y]
    assert len(a) == len(b) and len(diff) == 1
    old, new = diff[0]
    assert before in old and old.replace(before, after) == new
