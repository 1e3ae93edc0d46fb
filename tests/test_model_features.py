"""Every feature of the plan model, as the short YAML a user would write, rendered in both
languages and both writers: the line each feature renders (tests/data/features.yaml), golden
Markdown and DOCX text, Traditional Chinese, the JSON Schema's descriptions, and validation
errors for the new fields located like the rest."""
from __future__ import annotations

import copy
import io
from pathlib import Path

import docx
import pytest
import yaml

import planwriter
from planwriter.errors import PlanError

from test_docx_plans import extract

FEATURES = yaml.safe_load((Path(__file__).parent / "data" / "features.yaml").read_text("utf-8"))
META = {"organisation": {"zh": "青山镇卫生院", "en": "Qingshan Township Health Centre"},
        "org_type": "township_health_center", "year": 2025, "locales": ["zh", "en"]}


def plan_of(name: str) -> planwriter.Plan:
    feature = FEATURES[name]
    meta = {**META, **copy.deepcopy(feature.get("meta", {}))}
    meta = {k: v for k, v in meta.items() if v is not None}
    return planwriter.Plan.model_validate({"meta": meta, "sections": copy.deepcopy(feature["sections"])})


def test_the_catalogue_names_every_feature_the_model_has():
    assert len(FEATURES) >= 20
    for name, feature in FEATURES.items():
        assert feature["about"] and feature["zh"] and feature["en"], name


@pytest.mark.parametrize("name", sorted(FEATURES))
@pytest.mark.parametrize("locale", ["zh", "en"])
def test_each_feature_renders_its_line(name, locale):
    # Lines as read (a hard line break's two trailing spaces aside).
    lines = [line.rstrip() for line in planwriter.render_markdown(plan_of(name), locale).split("\n")]
    for expected in FEATURES[name][locale]:
        assert expected.rstrip() in lines, f"{name} ({locale}): no line {expected!r} in\n" + "\n".join(lines)


@pytest.mark.parametrize("name", sorted(FEATURES))
@pytest.mark.parametrize("locale", ["zh", "en"])
def test_each_feature_matches_golden_markdown_and_docx(name, locale, golden):
    plan = plan_of(name)
    golden(f"features/{name}.{locale}.md", planwriter.render_markdown(plan, locale))
    golden(f"features/{name}.{locale}.txt", extract(planwriter.render_docx(plan, locale)))


@pytest.mark.parametrize("name", sorted(FEATURES))
@pytest.mark.parametrize("locale", ["zh", "en"])
def test_each_feature_puts_its_words_into_the_docx(name, locale):
    d = docx.Document(io.BytesIO(planwriter.render_docx(plan_of(name), locale)))
    # a line break inside a paragraph is layout (a long title set on two lines)
    paragraphs = [p.text.replace("\t", " ").replace("\n", "") for p in d.paragraphs]
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    text = "\n".join(paragraphs + cells)
    for expected in FEATURES[name][locale]:
        # Markdown's own marks are not in the DOCX: emphasis, escapes, table pipes, heading hashes.
        words = expected.replace("**", "").replace("\\", "").strip().lstrip("#").strip()
        for cell in (w.strip() for w in words.strip("|").split("|")) if words.startswith("|") else [words]:
            if cell:
                assert cell in text, f"{name} ({locale}): {cell!r} not in the DOCX"


# -- Traditional Chinese ---------------------------------------------------------------

opencc = pytest.importorskip("opencc")


@pytest.mark.parametrize("name", ["units", "grouped_sentence", "phase", "budget", "frame"])
def test_traditional_chinese_converts_templates_texts_numbers_and_units(name, golden):
    text = planwriter.render_markdown(plan_of(name), "zh-Hant")
    golden(f"features/{name}.zh-Hant.md", text)
    simplified = planwriter.render_markdown(plan_of(name), "zh")
    assert text != simplified
    for simple, traditional in (("万", "萬"), ("亿", "億"), ("划", "劃"), ("阶段", "階段"), ("项目", "項目")):
        assert simple not in text or simple in "".join(FEATURES[name].get("keep", []))
        if simple in simplified:
            assert traditional in text, (name, traditional)


def test_traditional_chinese_keeps_a_text_the_plan_gives_in_zh_hant():
    plan = planwriter.Plan.model_validate({
        "meta": {**META, "locales": ["zh", "zh-Hant"],
                 "organisation": {"zh": "青山镇卫生院", "zh-Hant": "青山鎮衛生所"}},
        "sections": [{"kind": "tasks", "items": [{"title": {"zh": "加强管理", "zh-Hant": "強化管理"}}]}]})
    text = planwriter.render_markdown(plan, "zh-Hant")
    assert text.startswith("# 青山鎮衛生所2025年工作計劃\n")
    assert "## 一、主要任務" in text and "（一）強化管理。" in text


def test_a_chinese_plan_renders_in_traditional_from_the_command_line(tmp_path):
    from click.testing import CliRunner
    from planwriter.cli import main
    src = tmp_path / "plan.yaml"
    src.write_text(yaml.safe_dump({"meta": {"organisation": "青山镇卫生院", "year": 2025},
                                   "sections": [{"kind": "tasks", "items": [{"title": "加强管理"}]}]},
                                  allow_unicode=True), "utf-8")
    result = CliRunner().invoke(main, ["render", str(src), "--locale", "zh-Hant", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# 青山鎮衛生院2025年工作計劃\n")
    assert "（一）加強管理。" in result.output


# -- the schema ------------------------------------------------------------------------

def test_every_field_of_the_schema_has_a_description():
    schema = planwriter.Plan.model_json_schema()
    missing = [f"{name}.{key}" for name, d in [("Plan", schema), *schema["$defs"].items()]
               for key, prop in d.get("properties", {}).items() if not prop.get("description")]
    assert not missing


def test_the_schema_names_the_new_fields():
    defs = planwriter.Plan.model_json_schema()["$defs"]
    assert {"numbering", "numbered", "heading", "content", "table", "actions", "budget"} <= set(defs["Node"]["properties"])
    assert {"status", "doc_number", "addressees", "notice", "attachments", "numbering"} <= set(defs["Meta"]["properties"])
    assert {"targets", "baseline", "confirmed"} <= set(defs["Indicator"]["properties"])
    assert {"phase", "items"} <= set(defs["ScheduleEntry"]["properties"])
    assert "≥" in defs["Indicator"]["properties"]["comparator"]["description"]


# -- validation of the new fields --------------------------------------------------------

BAD = [
    ("comparator: '≈'", "sections[0].indicators[0].comparator", "at_least"),
    ("unit: percnt", "sections[0].indicators[0].unit", "did you mean 'percent'"),
    ("targets: [{by: someday, value: 80}]", "sections[0].indicators[0].targets[0].by", "time"),
    ("baseline: {value: 62, year: 1800}", "sections[0].indicators[0].baseline.year", "1949"),
]


@pytest.mark.parametrize("extra, field, words", BAD)
def test_a_bad_indicator_field_is_located_by_file_line_and_field(tmp_path, extra, field, words):
    src = tmp_path / "plan.yaml"
    src.write_text("meta:\n  organisation: 青山镇卫生院\n  year: 2025\nsections:\n  - kind: goals\n"
                   "    indicators:\n      - name: 参合率\n        value: 95\n"
                   f"        {extra}\n", "utf-8")
    with pytest.raises(PlanError) as e:
        planwriter.load(src)
    err = e.value.errors[0]
    assert err.file == str(src) and err.line == 9 and err.field == field, err
    assert words in err.message


@pytest.mark.parametrize("yaml_text, field, words", [
    ("  - kind: tasks\n    numbering: 一之\n    items: [{title: 加强管理}]\n", "sections[0].numbering", "一是"),
    ("  - kind: tasks\n    items:\n      - title: 四、加强管理\n", "sections[0].items[0].title", "四、"),
    ("  - kind: custom\n    title: 表\n    table: {header: [a, b], rows: [[1]]}\n", "sections[0].table.rows[0]", "1 cells"),
    ("  - kind: custom\n    title: 经费\n    budget: {lines: [{item: 设备, amount: -1}]}\n", "sections[0].budget.lines[0].amount", "at least 0"),
    ("  - kind: custom\n    title: 进度\n    content: [{text: 说明, table: {header: [a]}}]\n", "sections[0].content[0]", "one of"),
    ("  - kind: schedule\n    schedule: [{when: 2025-13}]\n", "sections[0].schedule[0].when", "month"),
])
def test_a_bad_new_field_is_located(tmp_path, yaml_text, field, words):
    src = tmp_path / "plan.yaml"
    src.write_text("meta:\n  organisation: 青山镇卫生院\n  year: 2025\nsections:\n" + yaml_text, "utf-8")
    with pytest.raises(PlanError) as e:
        planwriter.load(src)
    errs = e.value.errors
    assert any(x.file == str(src) and x.line and x.field == field and words in x.message for x in errs), \
        [x.one_line() if hasattr(x, "one_line") else str(x) for x in errs]


def test_a_budget_total_that_does_not_add_up_is_an_error_for_check():
    plan = planwriter.Plan.model_validate({"meta": META, "sections": [{"kind": "custom", "title": {"zh": "经费", "en": "Funds"},
        "budget": {"lines": [{"item": {"zh": "设备", "en": "Equipment"}, "amount": 120},
                             {"item": {"zh": "培训", "en": "Training"}, "amount": 30}], "total": 160}}]})
    findings = planwriter.check(plan)
    assert [(f.code, f.severity) for f in findings if f.code == "PW206"] == [("PW206", "error")]
    assert "150" in next(f for f in findings if f.code == "PW206").message


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_a_budget_table_sets_amounts_flush_right_and_its_total_in_bold(locale):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    d = docx.Document(io.BytesIO(planwriter.render_docx(plan_of("budget"), locale)))
    table = d.tables[0]
    body = table.rows[1:]
    assert all(r.cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT for r in body)
    assert all(r.cells[0].paragraphs[0].alignment is None for r in body)  # words stay at the left
    heading = table.rows[0].cells[1].paragraphs[0].alignment
    assert heading == (None if locale == "zh" else WD_ALIGN_PARAGRAPH.RIGHT)
    total = table.rows[-1]
    assert all(run.bold for cell in total.cells for run in cell.paragraphs[0].runs)
    assert not any(run.bold for run in table.rows[1].cells[0].paragraphs[0].runs)
