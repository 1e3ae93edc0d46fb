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


def test_the_five_common_features_render_the_lines_the_readme_shows():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    part = text[text.index("### Five things real plans do"):]
    part = part[:part.index("\n## Command line")]
    pairs = re.findall(r"```yaml\n(.*?)```\s*```text\n(.*?)```", part, flags=re.S)
    assert len(pairs) == 5
    for snippet, lines in pairs:
        import yaml
        sections = yaml.safe_load(snippet)
        plan = planwriter.Plan.model_validate({
            "meta": {"organisation": {"zh": "青山镇卫生院", "en": "Qingshan Township Health Centre"},
                     "year": 2025, "locales": ["zh", "en"]}, "sections": sections})
        zh_line, en_line = lines.strip().split("\n")
        assert zh_line in planwriter.render_markdown(plan, "zh").split("\n"), zh_line
        assert en_line in planwriter.render_markdown(plan, "en").split("\n"), en_line


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"Run the tests.*?```sh\n(.*?)\n```", readme, flags=re.S).group(1)
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
