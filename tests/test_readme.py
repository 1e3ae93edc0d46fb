"""The README's example plan renders to exactly what the README shows."""
import re

import planwriter

from conftest import ROOT


def blocks(lang: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)


def test_readme_example_renders_as_shown():
    plan_yaml = blocks("yaml")[0]
    zh_md, en_md = blocks("markdown")[:2]
    plan = planwriter.loads(plan_yaml, "README.md")
    assert planwriter.render_markdown(plan, "zh") == zh_md
    # The English excerpt stops before the signature block.
    assert planwriter.render_markdown(plan, "en").startswith(en_md)
