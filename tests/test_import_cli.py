"""planwriter import and planwriter new --from, as a user runs them."""
import json

import yaml
from click.testing import CliRunner

import planwriter
from planwriter.checks import check
from planwriter.cli import main

from conftest import EXAMPLES

PAGE = ("当前位置：范文网 > 工作计划\n手机版\n\n乡镇卫生院工作计划 篇1\n\n为搞好卫生工作，现制定xx年工作计划如下：\n\n"
        "一、指导思想\n以人民健康为中心。\n二、工作目标\n参合率达95%以上。\n\n乡镇卫生院工作计划 篇2\n\n"
        "一、重点工作\n（一）加强医疗质量管理。\n（二）做好公共卫生服务。\n\nCopyright © 2024 范文网\n")


def run(*args, input=None):
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_import_writes_yaml_that_loads_and_renders(tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text("青山镇卫生院2025年工作计划\n\n一、工作目标\n做好健康档案管理。\n二、保障措施\n加强组织领导。\n",
                   encoding="utf-8")
    out = tmp_path / "plan.yaml"
    code, _, err = run("import", str(src), "-o", str(out))
    assert code == 0 and f"wrote {out}" in err
    plan = planwriter.load(out)
    assert str(plan.meta.organisation) == "青山镇卫生院" and plan.meta.year == 2025
    assert planwriter.render_markdown(plan).startswith("# 青山镇卫生院2025年工作计划\n\n## 一、工作目标")
    assert "title:" not in out.read_text(encoding="utf-8")  # the default title is not repeated
    code, _, err = run("import", str(src), "-o", str(out))
    assert code == 2 and "exists; use --force" in err


def test_import_to_stdout_as_json_and_yaml(tmp_path):
    src = tmp_path / "plan.md"
    src.write_text("# 青山镇卫生院2025年工作计划\n\n## 一、工作目标\n\n做好健康档案管理。\n", encoding="utf-8")
    code, out, _ = run("import", str(src), "--format", "json")
    assert code == 0 and json.loads(out)["meta"]["year"] == 2025
    code, out, _ = run("import", str(src))
    assert code == 0 and yaml.safe_load(out)["sections"][0]["kind"] == "goals"


def test_import_split_writes_one_file_per_plan_and_reports(tmp_path):
    src = tmp_path / "page.txt"
    src.write_text(PAGE, encoding="utf-8")
    folder = tmp_path / "plans"
    folder.mkdir()
    code, _, err = run("import", str(src), "--split", "-d", str(folder), "--report")
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["page-01.yaml", "page-02.yaml"]
    assert f"{src}:1: dropped: breadcrumb" in err and f"{src}:2: dropped: site navigation" in err
    assert f"{src}:6: placeholder: a blank left to fill: 'xx'" in err
    assert "imported 2 plans" in err.splitlines()[-1]
    for p in folder.iterdir():
        planwriter.load(p)


def test_import_split_makes_its_folder_and_never_writes_into_a_file(tmp_path):
    src = tmp_path / "page.txt"
    src.write_text(PAGE, encoding="utf-8")
    folder = tmp_path / "new" / "plans"
    code, _, err = run("import", str(src), "--split", "-d", str(folder), "-q")
    assert code == 0, err
    assert sorted(p.name for p in folder.iterdir()) == ["page-01.yaml", "page-02.yaml"]
    blocker = tmp_path / "a-file"
    blocker.write_text("mine", encoding="utf-8")
    code, _, err = run("import", str(src), "--split", "-d", str(blocker))
    assert code == 2 and err.strip().splitlines()[-1] == \
        f"planwriter: error: cannot write into {blocker}: it is a file, not a folder"
    assert blocker.read_text(encoding="utf-8") == "mine"


def test_import_fills_obvious_blanks_with_org_and_year(tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text("xx卫生院20xx年工作计划\n\n20xx年是关键之年，xx卫生院将做好各项工作。\n一、目标\n做好建档。\n",
                   encoding="utf-8")
    code, out, _ = run("import", str(src), "--org", "青山镇卫生院", "--year", "2026")
    assert code == 0
    data = yaml.safe_load(out)
    assert data["meta"]["organisation"] == "青山镇卫生院" and data["meta"]["year"] == 2026
    assert data["sections"][0]["text"] == "2026年是关键之年，青山镇卫生院将做好各项工作。"


def test_import_placeholders_are_reported_by_check_at_their_line(tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text("青山镇卫生院2025年工作计划\n\n一、目标\n完成××村卫生室建设。\n", encoding="utf-8")
    out = tmp_path / "plan.yaml"
    assert run("import", str(src), "-o", str(out))[0] == 0
    found = [f for f in check(planwriter.load(out)) if f.code == "PW101"]
    assert found and found[0].line == next(n for n, line in enumerate(out.read_text(encoding="utf-8").splitlines(), 1)
                                           if "××" in line)


def test_import_bad_input_is_one_line(tmp_path):
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"PK\x03\x04 this is not a zip")
    code, out, err = run("import", str(junk))
    assert code == 2 and err.count("\n") == 1 and "not a DOCX" in err and "Traceback" not in err
    code, _, err = run("import", str(tmp_path / "missing.txt"))
    assert code == 2 and "file not found" in err
    code, _, err = run("import", str(junk), "-d", str(tmp_path))
    assert code == 2 and "goes with --split" in err


def test_import_reads_standard_input():
    code, out, _ = run("import", "-", input="青山镇卫生院2025年工作计划\n\n一、目标\n做好建档。\n".encode("utf-8"))
    assert code == 0 and "organisation: 青山镇卫生院" in out


def test_new_from_moves_the_year_and_leaves_targets_to_confirm(tmp_path):
    code, _, _ = run("new", "--from", str(EXAMPLES / "township-health-center.yaml"), "--year", "2026",
                     "-o", str(tmp_path / "plan-2026.yaml"))
    assert code == 0
    old = planwriter.load(EXAMPLES / "township-health-center.yaml")
    new = planwriter.load(tmp_path / "plan-2026.yaml")
    assert (old.meta.year, new.meta.year) == (2025, 2026)
    if old.meta.date:
        assert new.meta.date.year == old.meta.date.year + 1
    old_inds = [i for s in old.sections for i in _indicators(s)]
    new_inds = [i for s in new.sections for i in _indicators(s)]
    assert len(new_inds) == len(old_inds) > 0
    assert all(i.confirmed is False for i in new_inds)
    level = [(o, n) for o, n in zip(old_inds, new_inds) if o.comparator in ("at_least", "reach", "at_most")]
    assert level and all(getattr(n.baseline, "value", n.baseline) == o.value for o, n in level)
    warned = [f for f in check(new) if f.code == "PW205"]
    assert len(warned) == len(new_inds) and all(f.line for f in warned)
    # a target that changed, or one marked confirmed, is no longer reported
    text = (tmp_path / "plan-2026.yaml").read_text(encoding="utf-8").replace("confirmed: false", "confirmed: true", 1)
    (tmp_path / "edited.yaml").write_text(text, encoding="utf-8")
    assert len([f for f in check(planwriter.load(tmp_path / "edited.yaml")) if f.code == "PW205"]) == len(new_inds) - 1
    # a level target whose value is no longer last year's has been looked at
    import yaml
    data = yaml.safe_load((tmp_path / "plan-2026.yaml").read_text(encoding="utf-8"))
    changed = next(i for i in _walk_indicators(data) if i.get("comparator", "reach") in ("at_least", "reach", "at_most"))
    changed["value"] = changed["value"] + 1 if changed["value"] < 99 else changed["value"] - 1
    (tmp_path / "changed.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert len([f for f in check(planwriter.load(tmp_path / "changed.yaml")) if f.code == "PW205"]) == len(new_inds) - 1


def _walk_indicators(data):
    if isinstance(data, dict):
        yield from data.get("indicators", [])
        for k, v in data.items():
            if k != "indicators":
                yield from _walk_indicators(v)
    elif isinstance(data, list):
        for x in data:
            yield from _walk_indicators(x)


def test_new_from_refuses_without_a_year_and_with_a_preset(tmp_path):
    plan = str(EXAMPLES / "township-health-center.yaml")
    assert "--from needs --year" in run("new", "--from", plan, "-o", str(tmp_path / "x.yaml"))[2]
    assert "not both" in run("new", "--from", plan, "--preset", "hospital", "--year", "2026",
                             "-o", str(tmp_path / "x.yaml"))[2]


def _indicators(node):
    yield from node.indicators
    for child in node.items:
        yield from _indicators(child)
