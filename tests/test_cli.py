"""The command line: outputs, exit codes and one-line errors."""
import json
import subprocess
import sys

import docx
from click.testing import CliRunner

from planwriter.cli import main

from conftest import EXAMPLES

TOWNSHIP = str(EXAMPLES / "township-health-center.yaml")


def run(*args):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_render_markdown_and_docx_by_extension(tmp_path):
    code, _, err = run("render", TOWNSHIP, "-o", str(tmp_path / "plan.md"))
    assert code == 0 and "wrote" in err
    assert (tmp_path / "plan.md").read_text(encoding="utf-8").startswith("# 青山镇卫生院2025年工作计划\n")
    code, _, _ = run("render", TOWNSHIP, "-o", str(tmp_path / "plan.docx"))
    assert code == 0
    assert docx.Document(str(tmp_path / "plan.docx")).paragraphs[0].text == "青山镇卫生院2025年工作计划"


def test_locale_and_forced_format(tmp_path):
    out = tmp_path / "plan.txt"
    code, _, _ = run("render", TOWNSHIP, "--locale", "en", "--to", "markdown", "-o", str(out))
    assert code == 0
    assert out.read_text(encoding="utf-8").startswith("# Qingshan Township Health Centre: Work Plan for 2025")


def test_unknown_extension_is_refused(tmp_path):
    code, _, err = run("render", TOWNSHIP, "-o", str(tmp_path / "plan.odt"))
    assert code == 2
    assert err == f"planwriter: error: cannot tell the format of {tmp_path / 'plan.odt'}: use .md, .docx or .pdf, or --to\n"
    assert not (tmp_path / "plan.odt").exists()


def test_bad_plan_gives_one_line_with_file_line_and_field(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("meta:\n  organisation: 甲\n  year: 2025\nsections:\n  - kind: goal\n", encoding="utf-8")
    out = tmp_path / "plan.md"
    code, _, err = run("render", str(bad), "-o", str(out))
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"planwriter: error: {bad}:5: sections[0].kind: 'goal' is not one of:")
    assert err.rstrip().endswith("did you mean 'goals'?")
    assert not out.exists()


def test_validate(tmp_path):
    code, out, _ = run("validate", TOWNSHIP)
    assert code == 0 and out == f"{TOWNSHIP}: valid (zh, en)\n"


def test_schema_is_json_schema():
    code, out, _ = run("schema")
    schema = json.loads(out)
    assert code == 0
    assert set(schema["properties"]) == {"meta", "sections"}
    assert "Indicator" in schema["$defs"]


def test_reference_doc_written(tmp_path):
    out = tmp_path / "ref.docx"
    code, _, _ = run("reference-doc", "--locale", "zh", "-o", str(out))
    assert code == 0
    docx.Document(str(out))


def test_console_script_runs_without_traceback(tmp_path):
    """The installed command itself (not only the click object) exits non-zero on bad input."""
    proc = subprocess.run([sys.executable, "-m", "planwriter", "render", str(tmp_path / "none.yaml"),
                           "-o", str(tmp_path / "x.md")], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr == f"planwriter: error: {tmp_path / 'none.yaml'}: cannot read file: No such file or directory\n"
