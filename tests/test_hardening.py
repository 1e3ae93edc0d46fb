"""Nothing lost, nothing leaked, every error at once.

Each class of hostile or mistaken input, through the command line and the Python API:
the exact message, the exit status, and that nothing was created, replaced or left behind.
Special files are made in a temporary folder (os.mkfifo, os.symlink and, as root, os.mknod).
"""
from __future__ import annotations

import json
import os
import stat
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import planwriter
from planwriter import Environment, PlanError, inputs
from planwriter.cli import main
from planwriter.numbering import chinese_numeral

HEAD = "meta:\n  organisation: 青山镇卫生院\n  year: 2025\n"
GOOD = HEAD + "sections:\n  - kind: goals\n    text: 做好各项工作。\n"
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


def run(args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def error_lines(result) -> list[str]:
    """The error lines of a failed run (exit 2, no traceback), without the prefix."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.startswith("planwriter: error: ")]
    return [line[len("planwriter: error: "):] for line in lines]


def one_error(result) -> str:
    lines = error_lines(result)
    assert len(lines) == 1 and len(result.stderr.splitlines()) == 1, result.stderr
    return lines[0]


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def good(tmp_path) -> Path:
    plan = tmp_path / "plan.yaml"
    plan.write_text(GOOD, encoding="utf-8")
    return plan


# ============================================================================ outputs

def test_output_to_dev_null_writes_through_and_keeps_the_device(good):
    before = os.stat("/dev/null")
    result = run(["render", good, "-o", "/dev/null"])
    assert result.exit_code == 0, result.stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


@pytest.mark.skipif(not ROOT_USER, reason="os.mknod of a character device needs root")
def test_output_to_a_device_node_writes_through_it(tmp_path, good):
    dev = tmp_path / "null-device"
    os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the same device as /dev/null
    result = run(["render", good, "-o", dev])
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.lstat(dev).st_mode)
    assert listing(tmp_path) == ["null-device", "plan.yaml"]


def test_output_to_a_named_pipe_writes_through_it(tmp_path, good):
    fifo = tmp_path / "out.md"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = run(["render", good, "-o", fifo])
    reader.join(10)
    assert result.exit_code == 0, result.stderr
    assert got and got[0].decode("utf-8").startswith("# 青山镇卫生院2025年工作计划")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_output_through_a_symlink_replaces_its_target_not_the_link(tmp_path, good):
    target = tmp_path / "real.md"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target.name)
    assert run(["render", good, "-o", link]).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == "real.md"
    assert target.read_text(encoding="utf-8").startswith("# 青山镇卫生院")
    assert listing(tmp_path) == ["link.md", "plan.yaml", "real.md"]


def test_output_through_a_dangling_symlink_creates_its_target(tmp_path, good):
    link = tmp_path / "link.md"
    link.symlink_to("made.md")
    assert run(["render", good, "-o", link]).exit_code == 0
    assert link.is_symlink() and (tmp_path / "made.md").read_text(encoding="utf-8").startswith("#")


def test_output_keeps_the_permissions_of_the_file_it_replaces(tmp_path, good):
    out = tmp_path / "out.md"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    assert run(["render", good, "-o", out]).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


@pytest.mark.parametrize("how", ["same path", "through a link", "through a hard link"])
def test_output_that_is_the_input_is_refused(tmp_path, good, how):
    out = {"same path": good, "through a link": tmp_path / "l.yaml",
           "through a hard link": tmp_path / "h.yaml"}[how]
    if how == "through a link":
        out.symlink_to(good.name)
    elif how == "through a hard link":
        os.link(good, out)
    assert one_error(run(["render", good, "-o", out, "--to", "markdown"])) == (
        f"cannot write {out}: it is the input file {good}; choose another output")
    assert good.read_text(encoding="utf-8") == GOOD


def test_dash_writes_markdown_or_docx_to_standard_output(good):
    result = run(["render", good, "-o", "-"])
    assert result.exit_code == 0 and result.stdout.startswith("# 青山镇卫生院2025年工作计划")
    assert "wrote" not in result.stderr
    result = run(["render", good, "-o", "-", "--to", "docx"])
    assert result.exit_code == 0 and result.stdout_bytes[:4] == b"PK\x03\x04"


def test_dash_reads_the_plan_from_standard_input_and_names_it_in_errors(tmp_path):
    result = run(["render", "-", "-o", "-"], input=GOOD)
    assert result.exit_code == 0 and "做好各项工作。" in result.stdout
    bad = HEAD + "  yaer: 2025\nsections:\n  - kind: goals\n    text: a\n"
    assert one_error(run(["render", "-", "-o", tmp_path / "x.md"], input=bad)) == (
        "<stdin>:4: meta.yaer: unknown field 'yaer'; did you mean 'year'?")
    assert listing(tmp_path) == []


def test_many_plans_into_a_folder_go_on_past_a_failure(tmp_path):
    a, b, c = (tmp_path / n for n in ("a.yaml", "b.yaml", "c.yaml"))
    a.write_text(GOOD, encoding="utf-8")
    b.write_text(HEAD + "sections:\n  - kind: goal\n", encoding="utf-8")
    c.write_text(GOOD.replace("做好", "抓好"), encoding="utf-8")
    out = tmp_path / "out"
    result = run(["render", a, b, c, "-d", out, "--to", "docx"])
    lines = error_lines(result)
    assert lines[0].startswith(f"{b}:5: sections[0].kind: 'goal' is not one of:")
    assert lines[-1] == "1 of 3 plans failed"
    assert listing(out) == ["a.docx", "c.docx"]
    assert f"wrote {out / 'a.docx'}" in result.stderr and f"wrote {out / 'c.docx'}" in result.stderr


def test_many_plans_with_the_same_name_are_not_written_over_each_other(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    first, second = tmp_path / "x" / "plan.yaml", tmp_path / "y" / "plan.yaml"
    first.write_text(GOOD, encoding="utf-8")
    second.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    result = run(["render", first, second, "-d", out])
    assert error_lines(result)[0] == (f"{second}: would write {out / 'plan.md'} again (already "
                                      f"written from {first}); rename one of the plans")
    assert listing(out) == ["plan.md"]


@pytest.mark.parametrize("args,message", [
    (["-o", "x.md", "-d", "out"], "give -o FILE or -d FOLDER, not both"),
    ([], "give -o FILE (or -o - for standard output), or -d FOLDER for several plans"),
    (["{plan}", "-o", "x.md"], "2 plans and one output file: use -d FOLDER to render several"),
    (["-o", "-", "--format", "json"],
     "--format json prints to standard output; write the document with -o FILE"),
])
def test_render_output_options_that_do_not_fit(tmp_path, good, args, message):
    args = [a.replace("{plan}", str(good)) for a in args]
    os.chdir(tmp_path)
    result = run(["render", good, *args])
    if "--format" in args:
        assert result.exit_code == 2
        assert json.loads(result.stdout)[0]["message"] == message
    else:
        assert one_error(result) == message
    assert listing(tmp_path) == ["plan.yaml"]


def test_many_plans_from_standard_input_into_a_folder_is_refused(tmp_path, good):
    assert one_error(run(["render", good, "-", "-d", tmp_path / "out"], input=GOOD)) == (
        "- (standard input) has no name to write under in a folder; use -o FILE")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("kind", ["file", "dangling symlink", "symlink"])
def test_new_never_replaces_an_existing_path_without_force(tmp_path, kind):
    out = tmp_path / "plan.yaml"
    if kind == "file":
        out.write_text("mine", encoding="utf-8")
        message = f"{out} exists; use --force to replace it"
    else:
        if kind == "symlink":
            (tmp_path / "target.yaml").write_text("mine", encoding="utf-8")
        out.symlink_to("target.yaml")
        message = f"{out} is a symbolic link; use --force to write through it"
    before = listing(tmp_path)
    assert one_error(run(["new", "--preset", "hospital", "-o", out])) == message
    assert listing(tmp_path) == before
    if kind == "file":
        assert out.read_text(encoding="utf-8") == "mine"
    assert run(["new", "--preset", "hospital", "-o", out, "--force"]).exit_code == 0
    if kind != "file":
        assert out.is_symlink() and (tmp_path / "target.yaml").read_text(
            encoding="utf-8").startswith("# ")


def test_binary_output_is_not_written_to_a_terminal(monkeypatch, good):
    from planwriter import output
    monkeypatch.setattr(output, "is_terminal", lambda stream: True)
    assert one_error(run(["render", good, "-o", "-", "--to", "docx"])) == (
        "will not write a binary document to the terminal; redirect standard output to a file, "
        "or use -o FILE")


# ============================================================================ inputs

def test_a_named_pipe_without_writer_is_given_up(tmp_path, monkeypatch):
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    monkeypatch.setattr(inputs, "PIPE_TIMEOUT", 0.3)
    # A writer that holds the pipe open and says nothing.
    holder = os.open(fifo, os.O_RDWR)
    try:
        assert one_error(run(["render", fifo, "-o", tmp_path / "x.md"])) == (
            f"{fifo}: no input arrived for 0.3 seconds; giving up")
        with pytest.raises(PlanError, match="no input arrived"):
            planwriter.load(fifo)
    finally:
        os.close(holder)
    assert listing(tmp_path) == ["plan.yaml"]


def test_a_named_pipe_with_a_plan_in_it_is_read(tmp_path):
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(GOOD, encoding="utf-8"))
    writer.start()
    result = run(["render", fifo, "-o", "-"])
    writer.join(10)
    assert result.exit_code == 0 and "做好各项工作。" in result.stdout


def test_an_endless_pipe_stops_at_the_size_cap(tmp_path):
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)

    def flood():
        try:
            with open(fifo, "wb") as f:
                for _ in range(4096):
                    f.write(b"#" * 1024 + b"\n")
        except BrokenPipeError:
            pass
    writer = threading.Thread(target=flood)
    writer.start()
    result = run(["render", fifo, "-o", tmp_path / "x.md"])
    writer.join(10)
    assert one_error(result) == (
        f"{fifo}: input is more than 1,048,576 bytes; a plan may be at most 1,048,576 bytes")


@pytest.mark.parametrize("path,message", [
    ("/dev/zero", "/dev/zero: is a device, not a plan file; give a file, or - for standard input"),
    ("{tmp}", "{tmp}: is a folder, not a plan file"),
])
def test_a_plan_path_that_is_no_file(tmp_path, path, message):
    path = path.replace("{tmp}", str(tmp_path))
    assert one_error(run(["render", path, "-o", tmp_path / "x.md"])) == message.replace(
        "{tmp}", str(tmp_path))
    with pytest.raises(PlanError) as info:
        planwriter.load(path)
    assert str(info.value) == message.replace("{tmp}", str(tmp_path))
    assert not (tmp_path / "x.md").exists()


def test_standard_input_is_capped_too(tmp_path):
    assert one_error(run(["render", "-", "-o", tmp_path / "x.md"], input="#" * (1 << 21))) == (
        "<stdin>: input is more than 1,048,576 bytes; a plan may be at most 1,048,576 bytes")


# -- YAML 1.2 -----------------------------------------------------------------------------
@pytest.mark.parametrize("written,value", [
    ("010", 10), ("0o17", 15), ("0x1F", 31), ("33:45", "33:45"), ("yes", "yes"), ("on", "on"),
    ("1_000", "1_000"), ("2025-01-15", "2025-01-15"), ("~", None), ("1e3", 1000.0),
])
def test_scalars_have_their_yaml_1_2_meaning(written, value):
    data, _ = planwriter.loader.parse_yaml(f"a: {written}\n")
    assert data["a"] == value and type(data["a"]) is type(value)


def test_a_leading_zero_month_is_ten_not_eight():
    plan = planwriter.loads(HEAD + "sections:\n  - kind: schedule\n    schedule:\n"
                                   "      - when: 010\n        what: 年度考核\n")
    assert "| 10月 | 年度考核 |" in planwriter.render_markdown(plan)


def test_merge_keys_are_refused_with_their_line(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(HEAD + "  <<: {org_type: hospital}\nsections:\n  - kind: goals\n    text: a\n",
                    encoding="utf-8")
    assert one_error(run(["validate", plan])) == (
        f"{plan}:4: YAML merge keys (<<) are not supported; write the fields out")


# -- what values may hold -----------------------------------------------------------------
BLOCK = HEAD + "sections:\n  - kind: goals\n    block: quality/infection_control\n    params: {params}\n"
VALUES = [
    ("long-number-param", BLOCK.replace("{params}", "{hand_hygiene_rate: " + "9" * 5000 + "}"),
     "{f}:7: sections[0].params.hand_hygiene_rate: a number of 5,000 digits is too long; "
     "quote it if it is a text"),
    ("long-number-value", HEAD + "sections:\n  - kind: goals\n    indicators:\n"
     "      - {name: 率, value: " + "1" * 3000 + "}\n",
     "{f}:7: sections[0].indicators[0].value: a number of 3,000 digits is too long; "
     "quote it if it is a text"),
    ("nul-in-param", BLOCK.replace("{params}", '{lead_department: "医\\x00务科"}'),
     "{f}:7: sections[0].params.lead_department: contains control character U+0000, which a "
     "document cannot hold; remove it"),
    ("surrogate-in-param", BLOCK.replace("{params}", '{lead_department: "医\\ud800务科"}'),
     "{f}:7: sections[0].params.lead_department: contains lone surrogate U+D800, which a "
     "document cannot hold; remove it"),
    ("control-in-localised-param",
     BLOCK.replace("{params}", '{lead_department: {zh: "医\\x1b[31m务科"}}'),
     "{f}:7: sections[0].params.lead_department: contains control character U+001B, which a "
     "document cannot hold; remove it"),
    ("control-in-param-name", BLOCK.replace("{params}", '{"rate\\x07": 90}'),
     "{f}:7: sections[0].params.rate\\x07: contains control character U+0007, which a "
     "document cannot hold; remove it"),
    ("surrogate-in-title", HEAD + 'sections:\n  - kind: goals\n    title: "目\\udfff标"\n'
     "    text: a\n",
     "{f}:6: sections[0].title: contains lone surrogate U+DFFF, which a document cannot hold; "
     "remove it"),
    ("block-key-path", HEAD + "sections:\n  - kind: goals\n    block: ../../etc/passwd\n",
     "{f}:6: sections[0].block: '../../etc/passwd' is not a block key; keys look like "
     "quality/infection_control (run 'planwriter blocks' for the list)"),
]


@pytest.mark.parametrize("name,text,expected", VALUES, ids=[v[0] for v in VALUES])
def test_values_are_refused_where_they_stand(tmp_path, name, text, expected):
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    for command in (["render", plan, "-o", tmp_path / "x.md"], ["check", plan]):
        assert one_error(run(command)) == expected.replace("{f}", str(plan))
    with pytest.raises(PlanError) as info:
        planwriter.load(plan)
    assert str(info.value) == expected.replace("{f}", str(plan))
    assert listing(tmp_path) == ["plan.yaml"]


def test_python_api_refuses_the_same_values_in_params():
    for bad in ("a\x00b", "a\ud800b", {"zh": "a\x01b"}, ["ok", "a\x02"], 10 ** 400):
        with pytest.raises(ValueError):
            planwriter.Plan.model_validate({
                "meta": {"organisation": "X", "year": 2025},
                "sections": [{"kind": "goals", "block": "quality/infection_control",
                              "params": {"lead_department": bad}}]})


@pytest.mark.parametrize("param,message", [
    ("lead_department=医\x01务科", "--param lead_department: contains control character U+0001, "
                                  "which a document cannot hold; remove it"),
    ("hand_hygiene_rate=" + "9" * 5000,
     "--param hand_hygiene_rate: a number of 5,000 digits is too long; quote it if it is a text"),
    ("hand_hygiene_rate=1e400", "parameter 'hand_hygiene_rate' of block 'quality/infection_control' "
                                "takes a percentage from 0 to 100, got inf"),
    ("novalue", "--param takes NAME=VALUE, got 'novalue'"),
])
def test_block_parameters_from_the_command_line_are_checked(param, message):
    assert one_error(run(["blocks", "show", "quality/infection_control", "-p", param])) == message


def test_a_text_parameter_from_the_command_line_stays_text():
    result = run(["blocks", "show", "quality/infection_control", "-p", "lead_department=010"])
    assert result.exit_code == 0 and "由010具体负责" in result.stdout


# -- size and time ------------------------------------------------------------------------
def test_chinese_numerals_beyond_ten_thousand():
    assert [chinese_numeral(n) for n in (9999, 10000, 10001, 10010, 12345, 20300, 100000, 100010000)] \
        == ["九千九百九十九", "一万", "一万零一", "一万零一十", "一万二千三百四十五", "二万零三百", "十万",
            "一亿零一万"]


def test_a_plan_of_ten_thousand_items_renders_in_both_languages():
    items = "".join(f"      - text: 第{i}项工作按期完成。\n" for i in range(10_050))
    plan = planwriter.loads(HEAD.replace("year: 2025", "year: 2025\n  locales: [zh, en]")
                            + "sections:\n  - kind: tasks\n    items:\n" + items)
    zh = planwriter.render_markdown(plan, "zh").splitlines()
    en = planwriter.render_markdown(plan, "en").splitlines()
    assert zh[-1] == "（一万零五十）第10049项工作按期完成。"
    assert en[-1] == "1.10050 第10049项工作按期完成。"
    for locale in ("zh", "en"):
        assert planwriter.render_docx(plan, locale)[:2] == b"PK"


def _big_plan(target: int, repeated: bool = False) -> str:
    """A plan of about ``target`` bytes: sections of titled items with distinct texts
    (or, with ``repeated``, the same few texts again and again)."""
    import random
    rng = random.Random(target)
    words = "健全管理制度落实工作责任提升服务能力规范诊疗行为加强人员培训完善考核机制强化督导检查推进信息化建设"
    out, size, s = [HEAD, "sections:\n"], len(HEAD) + 10, 0
    while size < target - 4000:
        part = f"  - kind: tasks\n    title: 任务{s}\n    items:\n"
        for i in range(40):
            text = ("严格落实医疗质量安全核心制度，健全院科两级质量控制体系。" if repeated and i % 3
                    else "".join(rng.choice(words) for _ in range(40)) + "。")
            part += f"      - title: 事项{s}之{i}\n        text: {text}\n"
        out.append(part)
        size += len(part.encode("utf-8"))
        s += 1
    return "".join(out)


def _work(text: str) -> float:
    """CPU seconds this process spends to load, render (both formats) and check ``text``."""
    start = time.process_time()
    plan = planwriter.loads(text)
    planwriter.render_markdown(plan)
    planwriter.render_docx(plan)
    planwriter.check(plan)
    return time.process_time() - start


@pytest.mark.parametrize("repeated", [False, True], ids=["distinct", "repeated"])
def test_a_one_megabyte_plan_validates_renders_and_checks_in_linear_time(repeated):
    """Benchmark-style: the work on a 1 MiB plan (the loader's cap) against a quarter of it,
    measured in the same process. Linear work gives about 4×; quadratic work about 16×."""
    big, quarter = _big_plan(1_000_000, repeated), _big_plan(250_000, repeated)
    assert 900_000 < len(big.encode("utf-8")) <= 1 << 20
    _work(quarter)  # warm up templates and caches
    small_time = min(_work(quarter) for _ in range(3))
    big_time = min(_work(big) for _ in range(2))
    assert big_time / small_time < 9, (big_time, small_time)
    assert big_time < 120  # a generous bound: seconds in practice, never minutes


# ============================================================================ templates

ATTACKS = [
    ("nested-loops", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "ran more loop turns than it may"),
    ("huge-output", "{% for i in range(100000) %}{% for j in range(1000) %}x{% endfor %}{% endfor %}",
     "wrote more than 1,000,000 characters"),
    ("center", "{{ 'x' | center(1000000000) }}", "a width of 1000000000 is larger than 10,000"),
    ("ljust", "{{ 'x'.ljust(1000000000) }}", "a width of 1000000000 is larger than 10,000"),
    ("format-method", "{{ '{:>1000000000}'.format('x') }}",
     "a width of 1000000000 in a format specification is larger than 10,000"),
    ("format-nested", "{{ '{:{w}}'.format('x', w=10**9) }}",
     "nested fields in a format specification are not allowed"),
    ("format-filter", "{{ '%1000000000s' | format('x') }}",
     "a width of 1000000000 in % formatting is larger than 10,000"),
    ("percent", "{{ '%1000000000s' % 'x' }}", "a width of 1000000000 in % formatting is larger than 10,000"),
    ("percent-star", "{{ '%*s' % (1000000000, 'x') }}", "'*' widths in % formatting are not allowed"),
    ("lipsum", "{{ lipsum(100000) }}", "a paragraph count of 100000 is larger than 10,000"),
    ("indent", "{{ ('a\n' * 100000) | indent(100) }}", "a result of 10,200,100 elements is too large"),
    ("batch", "{{ [1] | batch(1000000000, 'x') | list }}", "a batch size of 1000000000 is larger than 10,000"),
    ("slice", "{{ [1] | slice(100000000, 'x') | list }}", "a slice count of 100000000 is larger than 10,000"),
    ("power-chain", "{{ ((10**200)**200)**200 }}", "the power is too large to compute"),
    ("product-chain", "{% set ns = namespace(x=3) %}{% for i in range(100) %}"
     "{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x }}", "the product is too large to compute"),
    ("concat-doubling", "{% set ns = namespace(x='a' * 500000) %}{% for i in range(40) %}"
     "{% set ns.x = ns.x ~ ns.x %}{% endfor %}", "a result of 2,000,000 elements is too large"),
    ("plus-doubling", "{% set ns = namespace(x='a' * 500000) %}{% for i in range(40) %}"
     "{% set ns.x = ns.x + ns.x %}{% endfor %}", "a result of 2,000,000 elements is too large"),
    ("replace", "{{ ('a' * 100000) | replace('a', 'b' * 100000) }}",
     "a result of 10,000,000,000 elements is too large"),
    ("replace-method", "{{ ('a' * 100000).replace('a', 'b' * 100000) }}",
     "a result of 10,000,000,000 elements is too large"),
    ("zfill", "{{ 'x'.zfill(10**9) }}", "a width of 1000000000 is larger than 10,000"),
    ("expandtabs", "{{ ('\t' * 1000).expandtabs(1000000) }}", "a tab size of 1000000 is larger than 10,000"),
    ("tojson-indent", "{{ [1, 2] | tojson(indent=100000000) }}", "an indent of 100000000 is larger than 10,000"),
    ("list-product", "{{ (['x'] * 100000) * 100000 }}", "a result of 10,000,000,000 elements is too large"),
]


def attack_templates(root: Path, template: str) -> Path:
    (root / "zh" / "blocks" / "x").mkdir(parents=True, exist_ok=True)
    (root / "blocks.yaml").write_text("x/y:\n  title: {zh: 示例}\n  kinds: [goals]\n", encoding="utf-8")
    (root / "zh" / "blocks" / "x" / "y.j2").write_text(template + "\n", encoding="utf-8")
    return root


ATTACK_PLAN = HEAD + "sections:\n  - kind: goals\n    block: x/y\n"


@pytest.mark.parametrize("name,template,words", ATTACKS, ids=[a[0] for a in ATTACKS])
def test_template_costs_are_bounded(tmp_path, name, template, words):
    templates = attack_templates(tmp_path / "t", template)
    plan = tmp_path / "plan.yaml"
    plan.write_text(ATTACK_PLAN, encoding="utf-8")
    message = one_error(run(["render", plan, "-o", tmp_path / "out.md", "-t", templates]))
    assert "template 'zh/blocks/x/y.j2' was refused by the sandbox: " in message
    assert words in message
    assert not (tmp_path / "out.md").exists()
    with pytest.raises(PlanError) as info:
        Environment([templates]).render_markdown(planwriter.loads(ATTACK_PLAN))
    assert words in str(info.value)


def test_a_slow_template_stops_at_the_time_limit_with_its_line(tmp_path):
    from planwriter.sandbox import Limits
    templates = attack_templates(tmp_path / "t", "正文\n{% for i in range(99999) %}"
                                 "{% set x = range(99999) | list %}{% endfor %}")
    env = Environment([templates], limits=Limits(template_seconds=0.5))
    with pytest.raises(PlanError) as info:
        env.render_markdown(planwriter.loads(ATTACK_PLAN))
    assert str(info.value).endswith(
        "zh/blocks/x/y.j2:2: template 'zh/blocks/x/y.j2' was refused by the sandbox: "
        "it took longer than 0.5 s")


def test_a_document_has_a_time_limit_of_its_own(tmp_path):
    from planwriter.sandbox import Limits
    templates = attack_templates(tmp_path / "t", "{% for i in range(99999) %}"
                                 "{% set x = range(9999) | list %}{% endfor %}")
    plan = planwriter.loads(HEAD + "sections:\n" + "  - kind: goals\n    block: x/y\n" * 50)
    env = Environment([templates], limits=Limits(template_seconds=10, document_seconds=0.5))
    with pytest.raises(PlanError, match="the document took longer than 0.5 s"):
        env.render_markdown(plan)


def test_normal_loops_and_filters_still_work(tmp_path):
    templates = attack_templates(tmp_path / "t", "{% for i in range(3) %}{{ loop.index }}{% endfor %}"
                                 "{{ '%03d' % 7 }}{{ '{:>4}'.format('a') }}{{ 'x' | center(5) }}"
                                 "{{ [1, 2, 3] | batch(2) | list | length }}")
    text = Environment([templates]).render_markdown(planwriter.loads(ATTACK_PLAN))
    assert "123007   a  x  2" in text


# -- template folders that link outside themselves ------------------------------------------
def _linked(tmp_path: Path, how: str) -> Path:
    root = attack_templates(tmp_path / "t", "正文")
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0", encoding="utf-8")
    block = root / "zh" / "blocks" / "x" / "y.j2"
    if how == "template":
        block.unlink()
        block.symlink_to(secret)
    elif how == "include":
        block.write_text("{% include 'blocks/x/z.j2' %}\n", encoding="utf-8")
        (root / "zh" / "blocks" / "x" / "z.j2").symlink_to(secret)
    elif how == "folder":
        (root / "zh" / "blocks" / "x" / "outside").symlink_to(tmp_path)
        block.write_text("{% include 'blocks/x/outside/secret.txt' %}\n", encoding="utf-8")
    elif how == "blocks.yaml":
        (root / "blocks.yaml").unlink()
        (root / "blocks.yaml").symlink_to(secret)
    return root


@pytest.mark.parametrize("how,path", [
    ("template", "zh/blocks/x/y.j2"), ("include", "zh/blocks/x/z.j2"),
    ("folder", "zh/blocks/x/outside/secret.txt"), ("blocks.yaml", "blocks.yaml")])
def test_no_template_resolves_outside_the_search_path(tmp_path, how, path):
    root = _linked(tmp_path, how)
    plan = tmp_path / "plan.yaml"
    plan.write_text(ATTACK_PLAN, encoding="utf-8")
    message = one_error(run(["render", plan, "-o", tmp_path / "out.md", "-t", root]))
    assert message.endswith(f"{root / path} leads outside the template folder {root} (to "
                            f"{os.path.realpath(tmp_path / 'secret.txt')}); a template folder "
                            "may not link to files outside it")
    assert "root:x" not in message and not (tmp_path / "out.md").exists()


def test_a_template_that_is_a_pipe_is_refused_at_once(tmp_path):
    root = attack_templates(tmp_path / "t", "{% include 'blocks/x/p.j2' %}")
    os.mkfifo(root / "zh" / "blocks" / "x" / "p.j2")
    with pytest.raises(PlanError, match=r"p\.j2: is not a regular file, not a template file"):
        Environment([root]).render_markdown(planwriter.loads(ATTACK_PLAN))


# -- blocks.yaml from a user folder ----------------------------------------------------------
BLOCK_META = [
    ("alias", "x/y: &a\n  title: {zh: 示例}\nx/z: *a\n",
     ["{f}:1: YAML anchors and aliases (&name, *name) are not supported; write the text out"]),
    ("not-a-mapping", "- x/y\n",
     ["{f}:1: block metadata must be a mapping of block keys to their entries"]),
    ("bad-entries", "x/y:\n  title: {zh: 示例}\n  kinds: [goal]\n  params:\n"
     "    rate: {type: percnt, default: 90}\n    n: {type: count, default: -1}\n"
     "x/z:\n  kind: [goals]\nbad key!:\n  title: x\n",
     ["{f}:3: x/y.kinds[0]: 'goal' is not a known value; did you mean 'goals'?",
      "{f}:5: x/y.params.rate.type: 'percnt' is not a parameter type; did you mean 'percent'?",
      "{f}:6: x/y.params.n.default: the default takes a whole number of 0 or more (below 10^15), "
      "got -1",
      "{f}:8: x/z.kind: unknown field 'kind'; did you mean 'kinds'?",
      "{f}:9: bad key!: 'bad key!' is not a block key; keys look like quality/infection_control"]),
    ("entry-not-mapping", "x/y: [1, 2]\n",
     ["{f}:1: x/y: should be a mapping of fields (key: value lines)"]),
    ("control-character", 'x/y:\n  title: {zh: "示\\x00例"}\n',
     ["{f}:1: x/y: contains control character U+0000, which a document cannot hold; remove it"]),
]


@pytest.mark.parametrize("name,content,expected", BLOCK_META, ids=[b[0] for b in BLOCK_META])
def test_block_metadata_is_read_like_a_plan(tmp_path, name, content, expected):
    root = tmp_path / "t"
    (root / "zh").mkdir(parents=True)
    meta = root / "blocks.yaml"
    meta.write_text(content, encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(ATTACK_PLAN, encoding="utf-8")
    lines = error_lines(run(["render", plan, "-o", tmp_path / "x.md", "-t", root]))
    assert lines == [e.replace("{f}", str(meta)) for e in expected]
    assert error_lines(run(["blocks", "-t", root])) == lines


def test_oversize_block_metadata_is_refused(tmp_path):
    root = tmp_path / "t"
    (root / "zh").mkdir(parents=True)
    (root / "blocks.yaml").write_text("# " + "x" * (1 << 21) + "\n", encoding="utf-8")
    assert one_error(run(["blocks", "-t", root])) == (
        f"{root / 'blocks.yaml'}: file is 2,097,155 bytes; block metadata may be at most "
        "1,048,576 bytes")


# -- presets and years ----------------------------------------------------------------------
@pytest.mark.parametrize("args,message", [
    (["--preset", "../../etc/passwd"], "--preset: '../../etc/passwd' is not a preset name; names "
                                       "look like township-health-center (run 'planwriter new --help')"),
    (["--preset", "/etc/hosts"], "--preset: '/etc/hosts' is not a preset name; names look like "
                                 "township-health-center (run 'planwriter new --help')"),
    (["--preset", "hospitl"], "unknown preset 'hospitl' (presets: community-health, "
                              "community-health-center, county-health-bureau, director-report, "
                              "hospital, township-health-center)"),
    (["--preset", "hospital", "--year", "99999"], "--year: 99999 is not a plan year (1949 to 2200)"),
    (["--preset", "hospital", "--year", "-5"], "--year: -5 is not a plan year (1949 to 2200)"),
])
def test_new_takes_preset_names_and_plan_years_only(tmp_path, args, message):
    out = tmp_path / "plan.yaml"
    assert one_error(run(["new", *args, "-o", out])) == message
    assert listing(tmp_path) == []


# ============================================================================ messages

def test_input_cannot_forge_a_second_error_line(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(HEAD + '  "x\\nplanwriter: error: forged\\u001b[2J": 1\n'
                    "sections:\n  - kind: goals\n    text: a\n", encoding="utf-8")
    message = one_error(run(["validate", plan]))
    assert message.startswith(f"{plan}:4: meta.x\\nplanwriter: error: forged\\x1b[2J: unknown field")


def test_a_usage_error_is_one_line_too():
    result = run(["render", "x.yaml", "--to", "pdf\nplanwriter: error: forged"])
    message = one_error(result)
    assert message.startswith("Invalid value for '--to': 'pdf\\nplanwriter: error: forged' is not one of")
    assert message.endswith("(see 'main render --help')")


def test_every_validation_error_is_reported_at_once(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("meta:\n  organisation: X\n  year: x\n  yaer: 1\nsections:\n  - kind: goal\n"
                    "  - kind: goals\n    indicators:\n      - {name: a, value: ninety, unit: percnt}\n",
                    encoding="utf-8")
    lines = error_lines(run(["validate", plan]))
    assert lines == [
        f"{plan}:3: meta.year: should be a whole number, not 'x'",
        f"{plan}:4: meta.yaer: unknown field 'yaer'; did you mean 'year'?",
        f"{plan}:6: sections[0].kind: 'goal' is not one of: preamble, situation, guiding_ideology, "
        "principles, goals, tasks, measures, schedule, responsibilities, safeguards, inspection, "
        "closing, custom; did you mean 'goals'?",
        f"{plan}:9: sections[1].indicators[0].value: should be a number, not 'ninety'",
        f"{plan}:9: sections[1].indicators[0].unit: 'percnt' is not a unit; did you mean "
        "'percent'? (a unit of your own is written as a text: 台, or {zh: 台, en: machines})",
    ]
    with pytest.raises(planwriter.PlanErrors) as info:
        planwriter.load(plan)
    assert [str(e) for e in info.value.errors] == [f"{line}" for line in lines]


def test_errors_are_capped_at_twenty_lines(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(HEAD + "sections:\n" + "".join(f"  - kind: goal{i}\n" for i in range(30)),
                    encoding="utf-8")
    lines = error_lines(run(["validate", plan]))
    assert len(lines) == 21 and lines[-1] == "and 10 more errors"


def test_composition_errors_are_reported_together(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(HEAD + "sections:\n  - kind: custom\n    text: a\n  - kind: goals\n"
                    "    block: no/such_block\n  - kind: tasks\n    items:\n      - {}\n",
                    encoding="utf-8")
    assert error_lines(run(["render", plan, "-o", tmp_path / "x.md"])) == [
        f"{plan}:5: sections[0].title: a custom section needs a title",
        f"{plan}:8: sections[1].block: unknown block 'no/such_block' (run 'planwriter blocks' "
        "for the list)",
        f"{plan}:11: sections[2].items[0]: an item needs a title, a text or a block",
    ]


@pytest.mark.parametrize("command", [
    ["render", "{plan}", "-o", "{tmp}/x.md"], ["validate", "{plan}"], ["check", "{plan}"]])
@pytest.mark.parametrize("content,first", [
    ("meta:\n\torganisation: X\n", {"line": 2, "field": "", "message":
     "invalid YAML: found character '\\t' that cannot start any token (while scanning for the "
     "next token); indent with spaces, not tabs"}),
    (HEAD + "sections:\n  - kind: goal\n", {"line": 5, "field": "sections[0].kind"}),
], ids=["yaml", "schema"])
def test_errors_as_json_for_every_command(tmp_path, command, content, first):
    plan = tmp_path / "plan.yaml"
    plan.write_text(content, encoding="utf-8")
    args = [a.replace("{plan}", str(plan)).replace("{tmp}", str(tmp_path)) for a in command]
    result = run([*args, "--format", "json"])
    assert result.exit_code == 2 and result.stderr == ""
    (error,) = json.loads(result.stdout)
    assert error["severity"] == "error" and error["code"] == "PW000" and error["file"] == str(plan)
    assert {k: error[k] for k in first} == first


@pytest.mark.parametrize("args,message", [
    (["blocks", "show", "x", "--colour", "--format", "json"],
     "No such option '--colour'. (see 'main blocks show --help')"),
    (["blocks", "show", "quality/infection_control", "-p", "nope", "--format", "json"],
     "--param takes NAME=VALUE, got 'nope'"),
    (["reference-doc", "-o", "/nonexistent/x.docx", "--format", "json"],
     "cannot write /nonexistent/x.docx: folder /nonexistent does not exist"),
])
def test_usage_errors_as_json_too(args, message):
    result = run(args)
    assert result.exit_code == 2 and result.stderr == ""
    (error,) = json.loads(result.stdout)
    assert error["message"] == message


def test_render_refuses_placeholders_and_impossible_targets_unless_forced(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(HEAD + "sections:\n  - kind: goals\n    text: 20xx年达到xx%以上。\n"
                    "    indicators:\n      - {name: 建档率, value: 120, unit: percent, "
                    "comparator: at_least}\n", encoding="utf-8")
    out = tmp_path / "out.md"
    result = run(["render", plan, "-o", out])
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr.splitlines() == [
        f"{plan}:6: PW101 error: sections[0].text: unfilled placeholder '20xx' in '20xx年达到xx%以上。'",
        f"{plan}:6: PW101 error: sections[0].text: unfilled placeholder 'xx%' in '20xx年达到xx%以上。'",
        f"{plan}:8: PW201 error: sections[0].indicators[0].value: a target of 120% cannot be "
        "reached: a rate is at most 100%",
        f"planwriter: error: {plan}: not written: the checks found 3 errors (listed above); fix "
        "them, or use --force to write it anyway",
    ]
    result = run(["render", plan, "-o", out, "--force"])
    assert result.exit_code == 0 and "20xx" in out.read_text(encoding="utf-8")


def test_render_writes_a_plan_with_warnings_only_and_check_shows_them(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(HEAD + "sections:\n  - kind: goals\n    text: 目标。\n  - kind: safeguards\n",
                    encoding="utf-8")
    out = tmp_path / "out.md"
    result = run(["render", plan, "-o", out])
    assert result.exit_code == 0 and out.exists()
    assert result.stderr.splitlines() == [f"wrote {out}"]
    assert run(["check", plan]).stdout.splitlines() == [
        f"{plan}:7: PW401 warning: sections[1]: the 'safeguards' section is empty: give it a "
        "text, a block, items or data, or remove it"]


def test_quiet_silences_the_wrote_line(tmp_path, good):
    result = run(["render", good, "-q", "-o", tmp_path / "x.md"])
    assert result.exit_code == 0 and result.stderr == ""
    result = run(["new", "--preset", "hospital", "-q", "-o", tmp_path / "new.yaml"])
    assert result.exit_code == 0 and result.stderr == ""


@pytest.mark.parametrize("args,message", [
    (["--kind", "goal"], "--kind: 'goal' is not known; did you mean 'goals'?"),
    (["--org-type", "hospitl"], "--org-type: 'hospitl' is not known; did you mean 'hospital'?"),
    (["--kind", "zzz"], "--kind: 'zzz' is not known (one of: preamble, situation, guiding_ideology, "
                        "principles, goals, tasks, measures, schedule, responsibilities, safeguards, "
                        "inspection, closing, custom)"),
])
def test_block_filters_with_unknown_values(args, message):
    assert one_error(run(["blocks", *args])) == message


def test_top_level_help_shows_whole_descriptions():
    out = run(["--help"]).stdout
    assert "Check that each PLAN is a valid plan that composes in every language it holds." in \
        " ".join(out.split())


# -- no input reaches the internal-error path -----------------------------------------------
_fragments = st.sampled_from([
    "meta:", "  organisation: X", "  year: 2025", "  year: 99999999999999999999", "sections:",
    "  - kind: goals", "    text: a", "    block: quality/infection_control",
    "    params: {hand_hygiene_rate: 1e999}", "    params: {lead_department: [1, {a: b}]}",
    "    indicators:", "      - {name: a, value: 1}", "      - {name: a, value: .nan}",
    "    schedule:", "      - {when: 2025-02-30, what: a}", "      - {when: by Q1..Q2, what: a}",
    "    items:", "      - items: [{text: a}]", "  - [", "  - &x a", "  - *x", "  <<: {}",
    "  \"\\ud800\": 1", "  date: 2025-13-45", "  period: {start: 2025-07-01, end: 2024-01-01}",
    "!!python/object:os.system", "---", "\t", "  - kind: custom", "    layout: grid",
    "    title: {fr: x}", "    numbering: 一、", "  locales: [zh, zh]",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_fragments, min_size=1, max_size=14), junk=st.text(max_size=20))
def test_no_plan_reaches_the_internal_error_path(tmp_path, lines, junk):
    plan = tmp_path / "fuzz.yaml"
    plan.write_text("\n".join(lines) + "\n" + junk, encoding="utf-8", errors="surrogatepass")
    result = run(["render", plan, "-o", tmp_path / "fuzz.md", "--force"])
    assert result.exit_code in (0, 2), result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    for line in result.stderr.splitlines():
        assert line.isprintable()


# -- batches on every core -----------------------------------------------------------------
def _batch(tmp_path: Path, n: int) -> list[Path]:
    plans = []
    for i in range(n):
        p = tmp_path / f"plan{i}.yaml"
        p.write_text(GOOD.replace("做好各项工作。", f"做好第{i}项工作。") if i != 2
                     else HEAD + "sections:\n  - kind: goal\n", encoding="utf-8")
        plans.append(p)
    return plans


def test_a_batch_on_several_workers_writes_what_one_worker_writes(tmp_path):
    plans = _batch(tmp_path, 5)
    one = run(["render", *plans, "-d", tmp_path / "one", "--to", "docx", "--jobs", "1"])
    many = run(["render", *plans, "-d", tmp_path / "many", "--to", "docx", "--jobs", "3"])
    assert one.exit_code == many.exit_code == 2
    assert [line.replace("/one/", "/x/") for line in one.stderr.splitlines()] == \
        [line.replace("/many/", "/x/") for line in many.stderr.splitlines()]
    assert listing(tmp_path / "one") == listing(tmp_path / "many") == \
        ["plan0.docx", "plan1.docx", "plan3.docx", "plan4.docx"]
    for name in listing(tmp_path / "one"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "many" / name).read_bytes()


def test_a_batch_shows_progress_on_a_terminal_unless_quiet(tmp_path, monkeypatch):
    from planwriter import cli
    monkeypatch.setattr(cli, "_progress_wanted", lambda: True)
    plans = _batch(tmp_path, 4)
    shown = run(["render", *plans, "-d", tmp_path / "a", "--jobs", "1"])
    assert "0/4 [" in shown.stderr and "plan/s" in shown.stderr
    assert "error: " in shown.stderr  # failures still get their own line
    quiet = run(["render", *plans, "-d", tmp_path / "b", "--jobs", "1", "-q"])
    assert "/4 [" not in quiet.stderr and "wrote" not in quiet.stderr
    assert any(line.startswith("planwriter: error: ") for line in quiet.stderr.splitlines())
