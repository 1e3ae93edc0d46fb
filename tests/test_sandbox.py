"""User templates are untrusted: they render in a sandbox, see only the template
search path, and fail with one clear line instead of a traceback."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from jinja2.sandbox import SandboxedEnvironment

import planwriter
from planwriter import Environment, PlanError, TemplateError
from planwriter.cli import main

PLAN = """\
meta:
  organisation: 青山镇卫生院
  year: 2025
sections:
  - kind: goals
    block: x/y
"""

ATTACKS = [
    # (id, template text, words the message must contain)
    ("subclasses", "{{ ''.__class__.__mro__[1].__subclasses__() }}",
     ["refused by the sandbox", "__class__", "unsafe"]),
    ("globals-via-cycler", "{{ cycler.__init__.__globals__ }}",
     ["refused by the sandbox", "__init__", "unsafe"]),
    ("globals-via-lipsum", "{{ lipsum.__globals__['os'] }}",
     ["refused by the sandbox", "__globals__"]),
    ("globals-via-raise", "{{ raise.__globals__ }}", ["refused by the sandbox", "__globals__"]),
    ("format-string", "{{ '{0.__class__}'.format(org) }}", ["refused by the sandbox", "__class__"]),
    ("template-context", "{{ self._TemplateReference__context }}", ["refused by the sandbox"]),
    ("include-parent", "{% include '../../etc/passwd' %}",
     ["'../../etc/passwd'", "not in the template search path"]),
    ("include-absolute", "{% include '/etc/passwd' %}",
     ["'/etc/passwd'", "not in the template search path"]),
    ("import-outside", "{% import '../../../etc/hosts' as h %}{{ h }}",
     ["'../../../etc/hosts'", "not in the template search path"]),
    ("from-import-outside", "{% from '/etc/hosts' import x %}{{ x }}",
     ["'/etc/hosts'", "not in the template search path"]),
    ("extends-outside", "{% extends '../../../../etc/passwd' %}",
     ["'../../../../etc/passwd'", "not in the template search path"]),
    ("huge-range", "{{ range(10**7) | list | length }}", ["failed", "Range too big"]),
    ("huge-string", "{{ 'x' * 10**9 }}", ["refused by the sandbox", "too large"]),
    ("huge-power", "{{ 2 ** 100000 }}", ["refused by the sandbox", "exponent"]),
    ("undefined", "{{ no_such_value }}", ["uses an undefined value", "'no_such_value' is undefined"]),
    ("syntax", "{% for x in %}", ["template syntax error"]),
]


def user_templates(root: Path, template: str) -> Path:
    (root / "zh" / "blocks" / "x").mkdir(parents=True, exist_ok=True)
    (root / "blocks.yaml").write_text("x/y:\n  title: {zh: 示例}\n  kinds: [goals]\n",
                                      encoding="utf-8")
    (root / "zh" / "blocks" / "x" / "y.j2").write_text(template + "\n", encoding="utf-8")
    return root


def test_templates_render_in_a_sandbox():
    env = Environment()
    for locale in ("zh", "en"):
        assert isinstance(env.jinja(locale), SandboxedEnvironment)


@pytest.mark.parametrize("name,template,words", ATTACKS, ids=[a[0] for a in ATTACKS])
def test_attack_is_refused_in_python(tmp_path, name, template, words):
    env = Environment([user_templates(tmp_path / "t", template)])
    plan = planwriter.loads(PLAN, "plan.yaml")
    with pytest.raises(PlanError) as info:
        env.render_markdown(plan)
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message
    assert "root:" not in message and "localhost" not in message  # no file content leaked


@pytest.mark.parametrize("name,template,words", ATTACKS, ids=[a[0] for a in ATTACKS])
def test_attack_is_one_line_on_the_command_line(tmp_path, name, template, words):
    templates = user_templates(tmp_path / "t", template)
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    out = tmp_path / "out.md"
    result = CliRunner().invoke(main, ["render", str(plan), "-o", str(out), "-t", str(templates)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("planwriter: error: ")
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]
    assert not out.exists()


def test_template_errors_name_the_template(tmp_path):
    templates = user_templates(tmp_path / "t", "第一行\n{{ missing_thing }}")
    env = Environment([templates])
    with pytest.raises(TemplateError) as info:
        env.render_markdown(planwriter.loads(PLAN))
    assert info.value.message == ("template 'zh/blocks/x/y.j2' uses an undefined value: "
                                  "'missing_thing' is undefined")
    assert info.value.file.endswith("zh/blocks/x/y.j2:2")


def test_overridden_section_template_is_sandboxed(tmp_path):
    root = tmp_path / "t"
    (root / "zh" / "sections").mkdir(parents=True)
    (root / "zh" / "sections" / "goals.j2").write_text(
        "{% block title %}{{ org.__class__.__base__.__subclasses__() }}{% endblock %}\n",
        encoding="utf-8")
    plan = planwriter.loads(PLAN.replace("    block: x/y\n", "    text: 做好工作。\n"))
    with pytest.raises(TemplateError, match=r"zh/sections/goals\.j2' was refused by the sandbox"):
        Environment([root]).render_markdown(plan)


def test_overriding_templates_that_behave_still_works(tmp_path):
    templates = user_templates(tmp_path / "t", "{{ org }}要做好{{ year }}年的工作。")
    text = Environment([templates]).render_markdown(planwriter.loads(PLAN))
    assert "青山镇卫生院要做好2025年的工作。" in text


def test_include_inside_search_path_is_allowed(tmp_path):
    templates = user_templates(tmp_path / "t", "{% include 'blocks/x/part.j2' %}")
    (templates / "zh" / "blocks" / "x" / "part.j2").write_text("共用的一段话。\n", encoding="utf-8")
    assert "共用的一段话。" in Environment([templates]).render_markdown(planwriter.loads(PLAN))


def test_python_tags_are_refused_with_a_location():
    text = "meta:\n  organisation: !!python/object/apply:os.system ['echo hi']\n  year: 2025\n"
    with pytest.raises(PlanError) as info:
        planwriter.loads(text, "plan.yaml")
    assert info.value.file == "plan.yaml" and info.value.line == 2
    assert "python/object/apply:os.system" in info.value.message
    assert "plain YAML" in info.value.message


def test_python_name_tag_is_refused():
    with pytest.raises(PlanError, match=r"^<string>:1: invalid YAML: could not determine a constructor"):
        planwriter.loads("meta: !!python/name:os.system\n")


def test_block_metadata_is_read_safely(tmp_path):
    root = tmp_path / "t"
    (root / "zh").mkdir(parents=True)
    (root / "blocks.yaml").write_text("x/y: !!python/object/apply:os.system ['echo hi']\n",
                                      encoding="utf-8")
    with pytest.raises(PlanError) as info:
        Environment([root]).blocks  # noqa: B018
    assert str(info.value) == (
        f"{root / 'blocks.yaml'}:1: invalid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'; plans are plain YAML: remove the '!' tag")
