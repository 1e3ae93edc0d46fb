"""`planwriter check`: findings, their codes, locations and exit codes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import planwriter
from planwriter import Environment
from planwriter.checks import PLACEHOLDER, SEVERITY, Finding, exit_code
from planwriter.cli import main

ROOT = Path(__file__).resolve().parent.parent
HEAD = "meta:\n  organisation: 青山镇卫生院\n  year: 2025\n"
BILINGUAL = ("meta:\n  locales: [zh, en]\n  organisation: {zh: 青山镇卫生院, en: Qingshan Health Center}\n"
             "  year: 2025\n")


def findings(yaml_text: str, env=None):
    return planwriter.check(planwriter.loads(yaml_text, "plan.yaml"), env)


def codes(yaml_text: str, env=None) -> list[str]:
    return [f.code for f in findings(yaml_text, env)]


def test_example_is_clean():
    plan = planwriter.load(ROOT / "examples" / "township-health-center.yaml")
    assert planwriter.check(plan) == []


def test_every_code_has_a_documented_severity():
    import planwriter.checks  # noqa: F401
    doc = __import__("sys").modules["planwriter.checks"].__doc__
    for code, severity in SEVERITY.items():
        assert f"{code} [{severity}]" in doc


# -- placeholders -------------------------------------------------------------------------
@pytest.mark.parametrize("text,token", [
    ("合格率达到xx%以上。", "xx%"), ("XX镇卫生院", "XX"), ("××村卫生室", "××"),
    ("20xx年工作计划", "20xx"), ("20__年", "20__"), ("完成时间：____", "____"),
    ("Reach xx of targets", "xx"), ("Done [ ]", "[ ]"), ("负责人：（ ）", "（ ）"),
    ("TODO: write this", "TODO"), ("负总责TODO", "TODO"), ("202x年", "202x"),
    ("完成人数xx人", "xx"), ("目标待补充", "待补充"),
])
def test_placeholder_is_found(text, token):
    assert [m.group() for m in PLACEHOLDER.finditer(text)] == [token]


@pytest.mark.parametrize("text", [
    "Exxon and maxx", "taxes, boxes and x-rays", "a 3×4 grid", "XXL sizes", "2025年工作计划",
    "20 years", "the 1990s", "Todo list", "snake_case", "（一）加强管理", "[1] reference",
    "Sixty percent (60%)", "xxxl",
])
def test_normal_text_is_not_a_placeholder(text):
    assert not PLACEHOLDER.search(text)


def test_placeholder_is_located_in_the_field():
    text = HEAD + "sections:\n  - kind: tasks\n    items:\n      - title: 质量\n        text: 合格率达到xx%以上。\n"
    (f,) = findings(text)
    assert (f.code, f.severity, f.field, f.line) == ("PW101", "error", "sections[0].items[0].text", 8)
    assert str(f) == ("plan.yaml:8: PW101 error: sections[0].items[0].text: unfilled placeholder "
                      "'xx%' in '合格率达到xx%以上。'")


def test_placeholder_in_title_and_in_a_repeated_text_is_found_in_each_field():
    text = (HEAD.replace("year: 2025", "year: 2025\n  title: XX卫生院工作计划") + "sections:\n"
            "  - kind: tasks\n    items:\n      - text: 第一项xx。\n      - text: 第一项xx。\n")
    fields = {(f.code, f.field) for f in findings(text)}
    assert ("PW101", "meta.title") in fields
    assert ("PW101", "sections[0].items[0].text") in fields
    assert ("PW101", "sections[0].items[1].text") in fields


def test_placeholder_in_a_block_parameter(tmp_path):
    root = tmp_path / "t"
    (root / "zh" / "blocks" / "x").mkdir(parents=True)
    (root / "blocks.yaml").write_text("x/y:\n  title: {zh: 示例}\n  params:\n    rate: {default: 90}\n",
                                      encoding="utf-8")
    (root / "zh" / "blocks" / "x" / "y.j2").write_text("达到{{ rate }}以上。\n", encoding="utf-8")
    text = HEAD + "sections:\n  - kind: goals\n    block: x/y\n    params:\n      rate: xx%\n"
    (f,) = findings(text, Environment([root]))
    assert (f.code, f.field, f.line) == ("PW101", "sections[0].params.rate", 8)


# -- languages ----------------------------------------------------------------------------
def test_missing_language_is_an_error_and_the_rest_is_still_checked():
    text = BILINGUAL + ("sections:\n  - kind: goals\n    text: {zh: 全年目标。}\n"
                        "  - kind: tasks\n    text: {zh: 任务xx。, en: Tasks xx.}\n")
    found = {(f.code, f.field) for f in findings(text)}
    assert found == {("PW102", "sections[0].text"), ("PW101", "sections[1].text")}
    (f,) = [f for f in findings(text) if f.code == "PW102"]
    assert f.message == "has no 'en' text (the plan's languages are zh, en)" and f.line == 7


def test_english_in_a_chinese_plan_and_chinese_in_an_english_plan():
    zh = HEAD + "sections:\n  - kind: goals\n    text: This was left in English by mistake.\n"
    (f,) = findings(zh)
    assert (f.code, f.severity, f.field) == ("PW404", "warning", "sections[0].text")
    en = zh.replace("year: 2025", "year: 2025\n  locales: [en]").replace(
        "This was left in English by mistake.", "Improve quality 提高质量.")
    en = en.replace("青山镇卫生院", "Qingshan")
    assert codes(en) == ["PW404"]


def test_acronyms_in_chinese_are_fine():
    text = HEAD + "sections:\n  - kind: goals\n    text: 做好HIV、CT和DR检查，提高基本公共卫生服务水平。\n"
    assert codes(text) == []


@pytest.mark.parametrize("sentence", [
    "推进HIS、LIS、PACS系统建设。", "开展DRG付费改革。", "推进HIS、LIS、PACS、EMR、RIS系统建设。",
    "使用WeChat、Excel和Word开展健康宣教。",
])
def test_acronyms_and_product_names_in_chinese_are_counted_as_words(sentence):
    text = HEAD + f"sections:\n  - kind: goals\n    text: {sentence}\n"
    assert codes(text) == []


def test_addresses_are_not_english():
    text = HEAD + ("sections:\n  - kind: goals\n"
                   "    text: 详见网站http://www.nhc.gov.cn/yzygj/index.html或来信office@example.com。\n")
    assert codes(text) == []


def test_english_mixed_into_chinese_is_still_wrong_language():
    text = HEAD + "sections:\n  - kind: goals\n    text: Improve quality 提高质量 and safety.\n"
    assert codes(text) == ["PW404"]


# -- half-width punctuation ---------------------------------------------------------------
def test_half_width_punctuation_in_chinese():
    text = HEAD + ("sections:\n  - kind: tasks\n    items:\n      - text: 做好全年工作。\n"
                   "      - text: '开展\"健康中国\"宣传活动,提高群众知晓率.'\n")
    (f,) = findings(text)
    assert (f.code, f.severity, f.field, f.line) == ("PW405", "warning", "sections[0].items[1].text", 8)
    assert f.message == "half-width '\"' in Chinese text '开展\"健康中国\"宣传活动,提高群众知晓率…'; use '“”'"


@pytest.mark.parametrize("sentence,mark", [
    ("提高群众知晓率,加强宣传。", ","), ("全年完成率100.下一步继续。", "."), ("注意:按时完成。", ":"),
    ("是否达标?请核实。", "?"), ("加强管理(试行)。", "("), ("使用Excel, 提高效率。", ","),
    ("医院 ; 卫生院", ";"),
])
def test_half_width_mark_next_to_han_is_found(sentence, mark):
    text = HEAD + f"sections:\n  - kind: goals\n    text: '{sentence}'\n"
    (f,) = findings(text)
    assert f.code == "PW405" and f.message.startswith(f"half-width '{mark}' in Chinese text")


@pytest.mark.parametrize("sentence", [
    "门诊满意度达到95.5%以上。", "1.加强医疗质量管理。", "1.2.完善制度。",
    "详见国家卫生健康委网站http://www.nhc.gov.cn/yzygj/index.html。", "登录www.nhc.gov.cn查询。",
    "材料发送至office@example.com。", "使用Excel, Word等软件。", "8:30开诊，全年无休。",
    "推广“Healthy China, Healthy Life”健康生活理念，提高居民健康素养。", "全年目标。",
])
def test_ascii_punctuation_that_belongs_is_not_flagged(sentence):
    text = HEAD + f"sections:\n  - kind: goals\n    text: '{sentence}'\n"
    assert codes(text) == []


def test_half_width_punctuation_is_only_checked_in_chinese():
    text = BILINGUAL + ("sections:\n  - kind: goals\n"
                        "    text: {zh: '提高质量，保障安全。', en: 'Improve quality, ensure safety.'}\n")
    assert codes(text) == []
    assert codes(text.replace("提高质量，", "提高质量,")) == ["PW405"]


# -- indicators ---------------------------------------------------------------------------
def indicators(*rows: str) -> str:
    return HEAD + "sections:\n  - kind: goals\n    indicators:\n" + "".join(rows)


def test_impossible_indicators():
    text = indicators(
        "      - {name: 建档率, comparator: at_least, value: 120, unit: percent}\n",
        "      - {name: 死亡率, comparator: decrease_by, value: 5, baseline: 3, unit: percent}\n",
        "      - {name: 门诊量, comparator: increase_by, value: -10, unit: percent}\n",
        "      - {name: 建档率, comparator: at_least, value: 90, unit: percent}\n",
        "      - {name: 费用, comparator: at_most, value: 120, unit: percent}\n",
    )
    got = [(f.code, f.field, f.line) for f in findings(text)]
    assert got == [("PW201", "sections[0].indicators[0].value", 7),
                   ("PW203", "sections[0].indicators[1].value", 8),
                   ("PW202", "sections[0].indicators[2].value", 9),
                   ("PW204", "sections[0].indicators[3].name", 10)]
    assert all(f.severity == "error" for f in findings(text))


def test_same_indicator_with_the_same_target_is_fine():
    row = "      - {name: 建档率, comparator: at_least, value: 90, unit: percent}\n"
    assert codes(indicators(row, row)) == []


# -- schedule -----------------------------------------------------------------------------
def test_schedule_problems():
    text = HEAD + ("sections:\n  - kind: schedule\n    schedule:\n"
                   "      - {when: Q3, what: 检查, owner: 医务科}\n"
                   "      - {when: Q1, what: 培训}\n"
                   "      - {when: 2026-03, what: 总结, owner: 院办}\n"
                   "  - kind: responsibilities\n    responsibilities:\n"
                   "      - {owner: 院长, duties: 负总责。}\n")
    got = [(f.code, f.severity, f.field) for f in findings(text)]
    assert got == [("PW302", "warning", "sections[0].schedule[1].when"),
                   ("PW303", "warning", "sections[0].schedule[1]"),
                   ("PW301", "warning", "sections[0].schedule[2].when")]


def test_schedule_in_order_within_a_period_is_clean():
    text = ("meta:\n  organisation: X卫生院\n  period: {start: 2025-07-01, end: 2026-06-30}\n"
            "sections:\n  - kind: schedule\n    schedule:\n"
            "      - {when: 2025-09..2025-10, what: 检查}\n      - {when: by 2026-06, what: 总结}\n")
    assert codes(text) == []
    assert codes(text.replace("by 2026-06", "2026-09")) == ["PW301"]


# -- sections and text --------------------------------------------------------------------
def test_empty_section_is_reported_once():
    text = HEAD + "sections:\n  - kind: goals\n    text: 全年目标。\n  - kind: safeguards\n  - kind: closing\n"
    (f,) = findings(text)
    assert (f.code, f.field, f.line) == ("PW401", "sections[1]", 7)


def test_heading_with_nothing_under_it(tmp_path):
    root = tmp_path / "t"
    (root / "zh" / "blocks" / "x").mkdir(parents=True)
    (root / "blocks.yaml").write_text("x/empty:\n  title: {zh: 空}\n", encoding="utf-8")
    (root / "zh" / "blocks" / "x" / "empty.j2").write_text("{# nothing this year #}\n",
                                                            encoding="utf-8")
    text = HEAD + ("sections:\n  - kind: tasks\n    items:\n      - title: 加强管理\n"
                   "        block: x/empty\n      - text: 做好工作。\n")
    (f,) = findings(text, Environment([root]))
    assert (f.code, f.severity, f.field) == ("PW402", "warning", "sections[0].items[0].title")
    assert f.message == "heading '加强管理' has nothing under it"


def test_near_duplicate_paragraphs():
    text = HEAD + ("sections:\n  - kind: tasks\n    items:\n"
                   "      - text: 严格落实医疗质量安全核心制度，健全院科两级质量控制体系。\n"
                   "      - text: 严格落实医疗质量安全核心制度，健全院科两级质量控制体系！\n"
                   "      - text: 短句。\n      - text: 短句。\n")
    (f,) = findings(text)
    assert (f.code, f.field) == ("PW403", "sections[0].items[1].text")
    assert f.message.endswith("repeats the text at sections[0].items[0].text")


def test_empty_sections_do_not_depend_on_call_order():
    from planwriter.checks import _Checker
    text = HEAD + "sections:\n  - kind: goals\n    text: 全年目标。\n  - kind: safeguards\n"
    checker = _Checker(planwriter.loads(text, "plan.yaml"), planwriter.default_environment(), ["zh"])
    checker.rendered("zh")
    checker.sections()
    assert [(f.code, f.field) for f in checker.findings] == [("PW401", "sections[1]")]


def test_composition_failure_is_a_finding():
    text = HEAD + "sections:\n  - kind: goals\n    block: no/such_block_anywhere\n"
    (f,) = findings(text)
    assert (f.code, f.severity, f.field, f.line) == ("PW100", "error", "sections[0].block", 6)
    assert "unknown block 'no/such_block_anywhere'" in f.message


def test_finding_without_a_file():
    plan = planwriter.Plan.model_validate(
        {"meta": {"organisation": "X", "year": 2025}, "sections": [{"kind": "goals", "text": "xx"}]})
    (f,) = planwriter.check(plan)
    assert str(f) == "<plan>: PW101 error: sections[0].text: unfilled placeholder 'xx' in 'xx'"
    assert f.as_dict() == {"code": "PW101", "severity": "error", "message": f.message,
                           "file": "", "line": None, "field": "sections[0].text"}


def test_finding_is_located_like_a_plan_error(monkeypatch):
    from planwriter.errors import PlanError
    f = Finding("PW101", "error", "m", "plan.yaml", 3, "meta.title")
    assert str(f) == "plan.yaml:3: PW101 error: meta.title: m"
    assert str(Finding("PW401", "warning", "m")) == "<plan>: PW401 warning: m"
    formatted = PlanError.__str__
    monkeypatch.setattr(PlanError, "__str__", lambda e: f"[{formatted(e)}]")
    assert str(f) == "[plan.yaml:3: PW101 error: meta.title: m]"


def test_exit_code():
    warning = Finding("PW401", "warning", "m")
    error = Finding("PW101", "error", "m")
    assert exit_code([]) == 0 and exit_code([], strict=True) == 0
    assert exit_code([warning]) == 0 and exit_code([warning], strict=True) == 1
    assert exit_code([warning, error]) == 2 and exit_code([error], strict=True) == 2


# -- command line -------------------------------------------------------------------------
def cli(tmp_path, text: str, *args: str):
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    return plan, CliRunner().invoke(main, ["check", str(plan), *args])


def test_cli_clean(tmp_path):
    plan, result = cli(tmp_path, HEAD + "sections:\n  - kind: goals\n    text: 全年目标。\n", "--strict")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == f"{plan}: 0 errors, 0 warnings\n"


def test_cli_warnings(tmp_path):
    text = HEAD + "sections:\n  - kind: goals\n    text: 全年目标。\n  - kind: safeguards\n"
    plan, result = cli(tmp_path, text)
    assert result.exit_code == 0
    assert result.stdout == (f"{plan}:7: PW401 warning: sections[1]: the 'safeguards' section is "
                             "empty: give it a text, a block, items or data, or remove it\n")
    assert cli(tmp_path, text, "--strict")[1].exit_code == 1


def test_cli_errors_as_json(tmp_path):
    text = HEAD + "sections:\n  - kind: goals\n    text: 20xx年目标。\n  - kind: safeguards\n"
    plan, result = cli(tmp_path, text, "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data == [
        {"code": "PW101", "severity": "error", "field": "sections[0].text", "file": str(plan),
         "line": 6, "message": "unfilled placeholder '20xx' in '20xx年目标。'"},
        {"code": "PW401", "severity": "warning", "field": "sections[1]", "file": str(plan),
         "line": 7, "message": "the 'safeguards' section is empty: give it a text, a block, "
                               "items or data, or remove it"}]
    assert result.stderr == f"{plan}: 1 error, 1 warning\n"


def test_cli_load_error_is_one_line(tmp_path):
    plan, result = cli(tmp_path, HEAD + "  year: 2026\nsections: []\n")
    assert result.exit_code == 2
    assert result.stderr == (f"planwriter: error: {plan}:4: meta.year: 'year' is given twice "
                             "(first on line 3); keep one\n")


def test_cli_with_user_templates(tmp_path):
    root = tmp_path / "t"
    (root / "zh" / "blocks" / "x").mkdir(parents=True)
    (root / "blocks.yaml").write_text("x/y:\n  title: {zh: 示例}\n", encoding="utf-8")
    (root / "zh" / "blocks" / "x" / "y.j2").write_text("截至20xx年底完成。\n", encoding="utf-8")
    plan, result = cli(tmp_path, HEAD + "sections:\n  - kind: goals\n    block: x/y\n",
                       "--templates", str(root))
    assert result.exit_code == 2
    assert result.stdout == (f"{plan}:6: PW101 error: sections[0].block: unfilled placeholder "
                             "'20xx' in '截至20xx年底完成。'\n")


def test_times_without_a_year_are_placed_inside_a_period_across_two_years():
    plan = planwriter.loads(
        "meta:\n  organisation: 青山镇卫生院\n  period: {start: 2025-07-01, end: 2026-06-30}\n"
        "sections:\n  - kind: schedule\n    schedule:\n"
        "      - {when: 9, what: 启动}\n      - {when: Q1, what: 督导}\n      - {when: by 6, what: 总结}\n",
        "plan.yaml")
    assert [f.code for f in planwriter.check(plan)] == []
