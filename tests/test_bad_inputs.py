"""Bad input gets one clear line on stderr and exit code 2: never a traceback,
never a half-written file, and never damage to a previous output file."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import planwriter
from planwriter.cli import main

HEAD = "meta:\n  organisation: 青山镇卫生院\n  year: 2025\n"
GOOD = HEAD + "sections:\n  - kind: goals\n    text: 做好各项工作。\n"
PREVIOUS = "previous output\n"


def sections(body: str, head: str = HEAD) -> str:
    return head + "sections:\n" + body


# (id, file content (str or bytes), exact message after "planwriter: error: " with {f} for
# the plan's path; user templates from the `user_templates` fixture are passed with -t)
CASES: list[tuple[str, str | bytes, str]] = [
    # -- malformed YAML -----------------------------------------------------------------
    ("tab-indent", "meta:\n\torganisation: X\n",
     "{f}:2: invalid YAML: found character '\\t' that cannot start any token "
     "(while scanning for the next token); indent with spaces, not tabs"),
    ("bad-indentation", "meta:\n  organisation: X\n   year: 2025\n",
     "{f}:3: invalid YAML: mapping values are not allowed here; "
     "check the indentation of this line and the one above"),
    ("unclosed-quote", 'meta:\n  organisation: "X\n  year: 2025\n',
     "{f}:2: invalid YAML: found unexpected end of stream (while scanning a quoted scalar); "
     "a quote opened here is not closed"),
    ("duplicate-key", HEAD + "  year: 2026\nsections:\n  - kind: goals\n    text: a\n",
     "{f}:4: meta.year: 'year' is given twice (first on line 3); keep one"),
    ("two-documents", GOOD + "---\nmore: 1\n",
     "{f}:7: invalid YAML: but found another document (expected a single document in the stream)"),
    ("python-tag", "meta: !!python/object:os.system\n  organisation: X\n",
     "{f}:1: invalid YAML: could not determine a constructor for the tag "
     "'tag:yaml.org,2002:python/object:os.system'; plans are plain YAML: remove the '!' tag"),
    ("alias", "meta: &m\n  organisation: X\n  year: 2025\nsections:\n  - kind: goals\n    text: *m\n",
     "{f}:1: YAML anchors and aliases (&name, *name) are not supported; write the text out"),
    ("deep-flow-nesting", "meta: " + "[" * 3000 + "]" * 3000 + "\n",
     "{f}:1: the YAML nests too deeply to be a plan"),
    # -- the file itself ----------------------------------------------------------------
    ("empty-file", "", "{f}:1: the file is empty; a plan needs 'meta' and 'sections'"),
    ("comments-only", "# nothing yet\n", "{f}:1: the file is empty; a plan needs 'meta' and 'sections'"),
    ("yaml-list", "- meta\n- sections\n", "{f}:1: a plan is a mapping with 'meta' and 'sections'"),
    ("yaml-scalar", "just some words\n", "{f}:1: a plan is a mapping with 'meta' and 'sections'"),
    ("not-utf8", HEAD.encode("utf-8") + b"sections:\n  - text: \xff\xfe\n",
     "{f}:5: not UTF-8 text (byte 0xFF); save the file as UTF-8"),
    ("control-character", "meta:\n  organisation: X\x07\n",
     "{f}:2: contains control character U+0007, which a plan cannot hold; remove it"),
    ("escaped-control-character", sections("  - kind: goals\n    text: \"a\\x0bb\"\n"),
     "{f}:6: sections[0].text: contains control character U+000B, which a document cannot hold; "
     "remove it"),
    ("nul-byte", "meta:\n  organisation: X\x00\n",
     "{f}:2: contains control character U+0000, which a plan cannot hold; remove it"),
    # -- structure and types ------------------------------------------------------------
    ("no-meta", "sections:\n  - kind: goals\n    text: a\n", "{f}:1: meta: is required"),
    ("no-sections", HEAD, "{f}:1: sections: is required"),
    ("empty-sections", HEAD + "sections: []\n", "{f}:4: sections: needs at least 1 entry"),
    ("sections-not-list", HEAD + "sections: goals\n",
     "{f}:4: sections: should be a list (one '- ' line per entry)"),
    ("section-not-mapping", sections("  - goals\n"),
     "{f}:5: sections[0]: should be a mapping of fields (key: value lines)"),
    ("year-not-number", "meta:\n  organisation: X\n  year: next\nsections:\n  - kind: goals\n    text: a\n",
     "{f}:3: meta.year: should be a whole number, not 'next'"),
    ("year-out-of-range", "meta:\n  organisation: X\n  year: 3025\nsections:\n  - kind: goals\n    text: a\n",
     "{f}:3: meta.year: should be between 1949 and 2200, not 3025"),
    ("period-backwards", "meta:\n  organisation: X\n  period: {start: 2025-07-01, end: 2025-01-01}\n"
     "sections:\n  - kind: goals\n    text: a\n",
     "{f}:3: meta.period: period ends before it starts"),
    ("text-is-list", sections("  - kind: goals\n    text: [a, b]\n"),
     "{f}:6: sections[0].text: should be a text, or a mapping of texts per language {zh: …, en: …}"),
    ("value-not-number", sections("  - kind: goals\n    indicators:\n      - name: 建档率\n"
                                  "        value: ninety\n"),
     "{f}:8: sections[0].indicators[0].value: should be a number, not 'ninety'"),
    ("value-nan", sections("  - kind: goals\n    indicators:\n      - name: 建档率\n        value: .nan\n"),
     "{f}:8: sections[0].indicators[0].value: should be a finite number, not nan"),
    ("unknown-unit", sections("  - kind: goals\n    indicators:\n      - name: 建档率\n"
                              "        value: 90\n        unit: percnt\n"),
     "{f}:9: sections[0].indicators[0].unit: 'percnt' is not a unit; did you mean 'percent'? "
     "(a unit of your own is written as a text: 台, or {zh: 台, en: machines})"),
    ("unknown-key", "meta:\n  organisation: X\n  yaer: 2025\nsections:\n  - kind: goals\n    text: a\n",
     "{f}:3: meta.yaer: unknown field 'yaer'; did you mean 'year'?"),
    ("unknown-key-no-match", sections("  - kind: goals\n    colour: red\n"),
     "{f}:6: sections[0].colour: unknown field 'colour' (known: title, text, block, params, "
     "indicators, schedule, responsibilities, table, actions, budget, items, content, layout, lead, "
     "tail, numbering, numbered, heading, kind)"),
    ("unknown-section-kind", sections("  - kind: goal\n    text: a\n"),
     "{f}:5: sections[0].kind: 'goal' is not one of: preamble, situation, guiding_ideology, "
     "principles, goals, tasks, measures, schedule, responsibilities, safeguards, inspection, "
     "closing, custom; did you mean 'goals'?"),
    ("custom-without-title", sections("  - kind: custom\n    text: a\n"),
     "{f}:5: sections[0].title: a custom section needs a title"),
    ("empty-item", sections("  - kind: tasks\n    items:\n      - {}\n"),
     "{f}:7: sections[0].items[0]: an item needs a title, a text or a block"),
    ("too-deep", sections("  - kind: tasks\n    items:\n      - items:\n          - items:\n"
                          "              - items:\n                  - items:\n"
                          "                      - text: a\n"),
     "{f}:10: sections[0].items[0].items[0].items[0].items[0]: sections nest at most 5 levels "
     "deep (section 'tasks' has 6)"),
    # -- languages ----------------------------------------------------------------------
    ("unknown-locale", "meta:\n  organisation: X\n  year: 2025\n  locales: [fr]\n"
     "sections:\n  - kind: goals\n    text: a\n",
     "{f}:4: meta.locales[0]: 'fr' is not one of: zh, en, zh-Hant"),
    ("locale-twice", "meta:\n  organisation: X\n  year: 2025\n  locales: [zh, zh]\n"
     "sections:\n  - kind: goals\n    text: a\n",
     "{f}:1: meta: locales lists a language twice"),
    ("text-in-other-locale", sections("  - kind: goals\n    text: {en: Our goals}\n"),
     "{f}:6: sections[0].text: has a text in 'en', but the plan's languages (meta.locales) are zh"),
    ("text-in-unknown-locale", sections("  - kind: goals\n    text: {fr: Nos objectifs}\n"),
     "{f}:6: sections[0].text: 'fr' is not a language planwriter writes; use zh, en or zh-Hant"),
    ("text-mapping-empty", sections("  - kind: goals\n    text: {}\n"),
     "{f}:6: sections[0].text: a text mapping needs at least one language (zh or en)"),
    # -- times --------------------------------------------------------------------------
    ("invalid-date", sections("  - kind: schedule\n    schedule:\n      - when: 2025-02-30\n"
                              "        what: a\n"),
     "{f}:7: sections[0].schedule[0].when: invalid date '2025-02-30': day is out of range for month"),
    ("invalid-issue-date", HEAD + "  date: 2025-13-01\nsections:\n  - kind: goals\n    text: a\n",
     "{f}:4: meta.date: invalid date '2025-13-01': month must be in 1..12"),
    ("invalid-quarter", sections("  - kind: schedule\n    schedule:\n      - when: Q5\n        what: a\n"),
     "{f}:7: sections[0].schedule[0].when: cannot read time 'Q5'; write a date (2025-06-30, or "
     "06-30 in the plan's year), month (2025-06 or 6), quarter (Q1, 2025-Q3), half-year (H1), year "
     "(2025), a range (2025-09..2025-10), a deadline (by 2025-06), an open start (from 2025-04) or "
     "a day and time (2025-09-18 09:00, 2025-09-18 09:00..11:30)"),
    ("invalid-month", sections("  - kind: schedule\n    schedule:\n      - when: 13\n        what: a\n"),
     "{f}:7: sections[0].schedule[0].when: month 13 is not 1..12"),
    ("range-backwards", sections("  - kind: schedule\n    schedule:\n      - when: 2025-10..2025-09\n"
                                 "        what: a\n"),
     "{f}:7: sections[0].schedule[0].when: range '2025-10..2025-09' ends before it starts"),
    ("deadline-range", sections("  - kind: schedule\n    schedule:\n      - when: by Q1..Q2\n"
                                "        what: a\n"),
     "{f}:7: sections[0].schedule[0].when: a deadline ('by …') cannot be a range"),
    # -- blocks (from a user template folder, so the bundled library does not matter) ---
    ("unknown-block", sections("  - kind: goals\n    block: x/z\n"),
     "{f}:6: sections[0].block: unknown block 'x/z'; did you mean 'x/y'?"),
    ("missing-block-parameter", sections("  - kind: goals\n    block: x/needs\n"),
     "{f}:6: sections[0].block: block 'x/needs' needs parameter 'rate'"),
    ("unknown-block-parameter", sections("  - kind: goals\n    block: x/y\n    params: {colour: red}\n"),
     "{f}:7: sections[0].params.colour: block 'x/y' has no parameter 'colour' (it takes: what)"),
    ("misspelt-block-parameter", sections("  - kind: goals\n    block: x/y\n    params: {wat: b}\n"),
     "{f}:7: sections[0].params.wat: block 'x/y' has no parameter 'wat'; did you mean 'what'?"),
]

USER_BLOCKS = """\
x/y:
  title: {zh: 示例, en: Example}
  kinds: [goals]
  params:
    what: {default: 工作}
x/needs:
  title: {zh: 需要参数, en: Needs}
  kinds: [goals]
  params:
    rate: {required: true}
"""


@pytest.fixture
def user_templates(tmp_path: Path) -> Path:
    root = tmp_path / "templates"
    (root / "zh" / "blocks" / "x").mkdir(parents=True)
    (root / "blocks.yaml").write_text(USER_BLOCKS, encoding="utf-8")
    (root / "zh" / "blocks" / "x" / "y.j2").write_text("做好{{ what }}。\n", encoding="utf-8")
    (root / "zh" / "blocks" / "x" / "needs.j2").write_text("达到{{ rate }}。\n", encoding="utf-8")
    return root


def run(args: list[str]):
    return CliRunner().invoke(main, args)


def one_line_error(result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("planwriter: error: ")
    return lines[0][len("planwriter: error: "):]


def test_at_least_thirty_cases():
    assert len(CASES) >= 30
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("name,content,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_plan(tmp_path, user_templates, name, content, expected):
    work = tmp_path / "work"
    work.mkdir()
    plan = work / "plan.yaml"
    if isinstance(content, bytes):
        plan.write_bytes(content)
    else:
        plan.write_text(content, encoding="utf-8")
    out = work / "out.md"
    out.write_text(PREVIOUS, encoding="utf-8")
    mtime = out.stat().st_mtime_ns
    result = run(["render", str(plan), "-o", str(out), "-t", str(user_templates)])
    assert one_line_error(result) == expected.replace("{f}", str(plan))
    assert out.read_text(encoding="utf-8") == PREVIOUS and out.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in work.iterdir()) == ["out.md", "plan.yaml"]


def test_bad_plan_without_previous_output_writes_nothing(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(sections("  - kind: goal\n"), encoding="utf-8")
    result = run(["render", str(plan), "-o", str(tmp_path / "out.md")])
    one_line_error(result)
    assert [p.name for p in tmp_path.iterdir()] == ["plan.yaml"]


def test_oversize_file_is_refused_before_parsing(tmp_path):
    plan = tmp_path / "plan.yaml"
    with open(plan, "wb") as f:
        f.write(GOOD.encode("utf-8"))
        f.write(b"# " + b"x" * (10 << 20) + b"\n")
    result = run(["render", str(plan), "-o", str(tmp_path / "out.md")])
    assert one_line_error(result) == (
        f"{plan}: file is {plan.stat().st_size:,} bytes; a plan may be at most 1,048,576 bytes")


def test_billion_laughs_is_refused_quickly(tmp_path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    plan = tmp_path / "plan.yaml"
    plan.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(["render", str(plan), "-o", str(tmp_path / "out.md")])
    assert one_line_error(result) == (
        f"{plan}:1: YAML anchors and aliases (&name, *name) are not supported; write the text out")


def test_missing_plan_file(tmp_path):
    plan = tmp_path / "nope.yaml"
    result = run(["render", str(plan), "-o", str(tmp_path / "out.md")])
    assert one_line_error(result) == f"{plan}: cannot read file: No such file or directory"


# -- good input that looks unusual ----------------------------------------------------
def test_utf8_bom_is_accepted(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    out = tmp_path / "out.md"
    result = run(["render", str(plan), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("# 青山镇卫生院2025年工作计划")


def test_crlf_line_ends_are_accepted(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(GOOD.replace("\n", "\r\n").encode("utf-8"))
    out = tmp_path / "out.md"
    assert run(["render", str(plan), "-o", str(out)]).exit_code == 0
    assert "做好各项工作。" in out.read_text(encoding="utf-8")


def test_tab_and_newline_inside_text_are_accepted():
    plan = planwriter.loads(sections('  - kind: goals\n    text: "a\\tb\\n\\nc"\n'))
    assert "a\tb" in planwriter.render_markdown(plan)


# -- outputs --------------------------------------------------------------------------
def _good_plan(tmp_path: Path) -> Path:
    plan = tmp_path / "plan.yaml"
    plan.write_text(GOOD, encoding="utf-8")
    return plan


def test_output_folder_missing(tmp_path):
    plan = _good_plan(tmp_path)
    out = tmp_path / "nowhere" / "out.md"
    assert one_line_error(run(["render", str(plan), "-o", str(out)])) == (
        f"cannot write {out}: folder {out.parent} does not exist")
    assert not out.parent.exists()


def test_output_parent_is_a_file(tmp_path):
    plan = _good_plan(tmp_path)
    out = tmp_path / "plan.yaml" / "out.md"
    assert one_line_error(run(["render", str(plan), "-o", str(out)])) == (
        f"cannot write {out}: {plan} is a file, not a folder")
    assert plan.read_text(encoding="utf-8") == GOOD


def test_output_is_a_folder(tmp_path):
    plan = _good_plan(tmp_path)
    (tmp_path / "out.md").mkdir()
    out = tmp_path / "out.md"
    assert one_line_error(run(["render", str(plan), "-o", str(out)])) == (
        f"cannot write {out}: it is a folder")


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux /proc")
def test_output_not_writable(tmp_path):
    # Root ignores permission bits, but nobody can create files in /proc.
    plan = _good_plan(tmp_path)
    assert one_line_error(run(["render", str(plan), "-o", "/proc/out.md"])) == (
        "cannot write /proc/out.md: No such file or directory")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root ignores permission bits")
def test_output_folder_read_only(tmp_path):
    plan = _good_plan(tmp_path)
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        out = folder / "out.md"
        assert one_line_error(run(["render", str(plan), "-o", str(out)])) == (
            f"cannot write {out}: Permission denied")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize("name", ["out.txt", "out", "out.MD.bak"])
def test_output_format_unknown(tmp_path, name):
    plan = _good_plan(tmp_path)
    out = tmp_path / name
    assert one_line_error(run(["render", str(plan), "-o", str(out)])) == (
        f"cannot tell the format of {out}: use .md, .docx or .pdf, or --to")
    assert not out.exists()


def test_locale_the_plan_does_not_have(tmp_path):
    plan = _good_plan(tmp_path)
    out = tmp_path / "out.md"
    assert one_line_error(run(["render", str(plan), "-o", str(out), "--locale", "en"])) == (
        f"{plan}:1: meta.locales: the plan has no 'en' version (its languages: zh)")
    assert not out.exists()


def test_template_folder_missing(tmp_path):
    plan = _good_plan(tmp_path)
    missing = tmp_path / "mine"
    assert one_line_error(run(["render", str(plan), "-o", str(tmp_path / "o.md"),
                               "-t", str(missing)])) == f"template folder does not exist: {missing}"


# -- atomicity ------------------------------------------------------------------------
def test_error_mid_render_keeps_previous_output(tmp_path):
    templates = tmp_path / "templates"
    (templates / "zh" / "sections").mkdir(parents=True)
    # The goals section fails after the preamble and the title have been composed.
    (templates / "zh" / "sections" / "goals.j2").write_text(
        "{% block title %}{{ no_such_value }}{% endblock %}\n", encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(sections("  - kind: preamble\n  - kind: goals\n    items:\n      - text: a\n"),
                    encoding="utf-8")
    for name in ("out.md", "out.docx"):
        out = tmp_path / name
        out.write_bytes(b"previous")
        result = run(["render", str(plan), "-o", str(out), "-t", str(templates)])
        message = one_line_error(result)
        assert "zh/sections/goals.j2" in message and "no_such_value" in message
        assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.docx", "out.md", "plan.yaml",
                                                           "templates"]


def test_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    from planwriter import output

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(output.os, "replace", broken_replace)
    out = tmp_path / "out.md"
    out.write_text(PREVIOUS, encoding="utf-8")
    with pytest.raises(planwriter.PlanError, match="No space left on device"):
        output.write_atomic(out, b"new")
    assert out.read_text(encoding="utf-8") == PREVIOUS
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]
