"""--match-blocks: passages that say what a library block says become that block.

Fixtures are made by rendering the library's own blocks, so the tests hold whatever the
blocks' wording is."""
import pytest

import planwriter
from planwriter.composer import parse_markup
from planwriter.importing import import_file

ENV = planwriter.default_environment()
CONTEXT = {"org": "青山镇卫生院", "org_type": "township_health_center", "year": 2025, "superior": "", "period": ""}


def _percent_blocks(locale):
    out = []
    for key, info in ENV.blocks.items():
        for name, spec in info.params.items():
            if spec.get("type") == "percent":
                text = ENV.render_block(key, locale, CONTEXT, {name: 87})
                if "87" in text and text.count("87") == 1:
                    out.append((key, name))
                    break
    return out


def _plan_text(key, params, locale):
    title = ENV.block(key).title.get(locale, key)
    pieces = parse_markup(ENV.render_block(key, locale, CONTEXT, params), locale)
    lines, n = [], 0
    for p in pieces:
        if p.depth == 0:
            lines.append(p.text)
        else:
            n += 1
            lines.append(f"{n}." + (f"{p.title}。" if p.title and locale == "zh" else (f"{p.title}. " if p.title else "")) + p.text)
    head = ("青山镇卫生院2025年工作计划\n\n一、" if locale == "zh" else "Qingshan Township Health Center Work Plan 2025\n\n1. ")
    other = ("二、其他工作\n做好院内绿化美化，组织职工文体活动，丰富职工文化生活。\n" if locale == "zh"
             else "2. Other work\nWe will keep the grounds tidy and organise sports for staff.\n")
    return head + title + "\n" + "\n".join(lines) + "\n" + other


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_a_block_in_a_plan_is_recognised_with_its_percent(tmp_path, locale):
    candidates = _percent_blocks(locale)
    assert candidates, "the library has blocks with a percent parameter"
    hits = 0
    for key, param in candidates[:6]:
        src = tmp_path / "plan.txt"
        src.write_text(_plan_text(key, {param: 87}, locale), encoding="utf-8")
        imported = import_file(src, match_blocks=True)[0]
        sections = imported.reading.plan.sections
        blocks = [s for s in sections if s.block]
        if blocks and blocks[0].block == key:
            hits += 1
            assert blocks[0].params.get(param) == 87
            assert 0 < imported.replaced < 1
        assert not any(s.block for s in sections if "其他工作" in str(s.title) or "Other work" in str(s.title))
    assert hits >= min(3, len(candidates))


def test_unrelated_text_is_not_replaced(tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text("青山派出所2025年工作计划\n\n一、社区警务\n全面开展一标三实信息采集，民警每月入户走访，建立警格网格联动机制。\n"
                   "二、平安校园\n每日上下学高峰时段开展护学岗勤务，每学期开展法治宣传进校园活动。\n", encoding="utf-8")
    imported = import_file(src, match_blocks=True)[0]
    assert imported.replaced == 0 and not any(s.block for s in imported.reading.plan.sections)


def test_the_import_yaml_with_blocks_loads_and_renders(tmp_path):
    key, param = _percent_blocks("zh")[0]
    src = tmp_path / "plan.txt"
    src.write_text(_plan_text(key, {param: 87}, "zh"), encoding="utf-8")
    imported = import_file(src, match_blocks=True)[0]
    out = tmp_path / "plan.yaml"
    out.write_text(imported.text, encoding="utf-8")
    plan = planwriter.load(out)
    assert f"block: {key}" in imported.text
    assert "87%" in planwriter.render_markdown(plan)
