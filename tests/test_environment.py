"""Environments: user template folders, strict templates, no shared state."""
import threading

import pytest

import planwriter
from planwriter import Environment, PlanError

from conftest import make_plan

PLAN = make_plan([{"kind": "goals", "text": {"zh": "正文。", "en": "Body."}}])


def test_user_folder_overrides_one_template(tmp_path):
    (tmp_path / "zh" / "sections").mkdir(parents=True)
    (tmp_path / "zh" / "sections" / "goals.j2").write_text("{% block title %}{{ year }}年度目标{% endblock %}",
                                                            encoding="utf-8")
    env = Environment([tmp_path])
    assert env.compose(PLAN, "zh").blocks[0].text == "2025年度目标"
    # everything else still comes from the bundled library
    assert env.compose(PLAN, "en").blocks[0].text == "Objectives"
    # and the default environment is untouched
    assert planwriter.compose(PLAN, "zh").blocks[0].text == "工作目标"


def test_undefined_variable_in_a_template_is_an_error(tmp_path):
    (tmp_path / "zh" / "frame").mkdir(parents=True)
    (tmp_path / "zh" / "frame" / "title.j2").write_text("{{ org }}{{ yaer }}年工作计划", encoding="utf-8")
    with pytest.raises(PlanError, match="undefined value: 'yaer' is undefined"):
        Environment([tmp_path]).compose(PLAN, "zh")


def test_missing_template_folder_is_an_error(tmp_path):
    with pytest.raises(PlanError, match="template folder does not exist"):
        Environment([tmp_path / "nope"])


def test_two_environments_render_at_once(tmp_path):
    (tmp_path / "en" / "sections").mkdir(parents=True)
    (tmp_path / "en" / "sections" / "goals.j2").write_text("{% block title %}Targets{% endblock %}")
    envs = [Environment(), Environment([tmp_path])]
    results: dict[int, set] = {0: set(), 1: set()}

    def work(i):
        for _ in range(30):
            results[i].add(envs[i].render_markdown(PLAN, "en"))
    threads = [threading.Thread(target=work, args=(i,)) for i in (0, 1, 0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results[0]) == len(results[1]) == 1
    assert "## 1. Objectives" in results[0].pop()
    assert "## 1. Targets" in results[1].pop()


def test_a_plan_renders_only_in_its_languages():
    plan = make_plan([{"kind": "goals", "text": "x"}], locales=("zh",))
    with pytest.raises(PlanError, match="the plan has no 'en' version"):
        planwriter.render_markdown(plan, "en")


def test_errors_in_a_heading_template_name_the_template_line(tmp_path):
    (tmp_path / "zh" / "sections").mkdir(parents=True)
    f = tmp_path / "zh" / "sections" / "goals.j2"
    f.write_text("{# heading #}\n{% block title %}\n{{ yaer }}年度目标{% endblock %}\n", encoding="utf-8")
    with pytest.raises(PlanError) as e:
        Environment([tmp_path]).compose(PLAN, "zh")
    assert str(e.value).startswith(f"{f}:3: template 'zh/sections/goals.j2' uses an undefined value")
