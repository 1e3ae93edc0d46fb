"""Plan data written as hand-written YAML, and read back the same."""
import datetime as dt

import yaml
from hypothesis import given, strategies as st

import planwriter
from planwriter.plan_yaml import dump


def test_the_shortest_natural_yaml():
    data = {"sections": [{"text": "以“三个代表”重要思想为指导，" * 6, "kind": "guiding_ideology"},
                         {"kind": "tasks", "title": "重点工作", "items": [{"text": "加强管理。"}]}],
            "meta": {"year": 2025, "organisation": "青山镇卫生院", "locales": ["zh"], "date": dt.date(2025, 1, 15)}}
    assert dump(data) == (
        "meta:\n  organisation: 青山镇卫生院\n  year: 2025\n  locales: [zh]\n  date: 2025-01-15\n"
        "sections:\n  - kind: guiding_ideology\n    text: |-\n      " + "以“三个代表”重要思想为指导，" * 6 + "\n"
        "  - kind: tasks\n    title: 重点工作\n    items:\n      - text: 加强管理。\n")


def test_quotes_only_where_yaml_needs_them():
    text = dump({"a": "yes", "b": "6", "c": "key: value", "d": "# not a comment", "e": "- 一项",
                 "f": "2025-06", "g": "by 6", "h": "普通文字", "i": "", "j": " leading"})
    assert "a: 'yes'" in text and "b: '6'" in text and "c: 'key: value'" in text
    assert "d: '# not a comment'" in text and "e: '- 一项'" in text and "g: by 6" in text
    assert "h: 普通文字" in text and "i: ''" in text and "j: ' leading'" in text


def test_paragraphs_and_english_text_in_block_scalars():
    text = dump({"zh": "第一段。\n\n第二段。", "en": "We will " + "strengthen the quality of care and " * 6 + "safety."})
    assert "zh: |-\n  第一段。\n\n  第二段。\n" in text and "en: >-\n" in text
    assert yaml.safe_load(text)["en"].startswith("We will strengthen")


TEXTS = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\u2028\u2029\x85"),
                max_size=120) | st.sampled_from(["yes", "no", "null", "~", "3.5", "0x1F", "1e3", "'q'", '"q"',
                                                 "a: b", "- x", "? x", "|", ">", "@x", "`x", "%x", "!x", "&x",
                                                 "*x", "  a", "a  ", "a\n\nb", "a\nb", "\tx", "#x", "x #y"])


@given(st.dictionaries(st.sampled_from(["text", "title", "what", "owner", "name"]), TEXTS, min_size=1))
def test_any_text_loads_back_the_same(data):
    assert yaml.safe_load(dump(data)) == data


def test_an_imported_plan_loads_back_to_the_same_plan(tmp_path):
    from planwriter.importing import import_file
    src = tmp_path / "plan.txt"
    src.write_text("青山镇卫生院2025年工作计划\n\n一、工作目标\n参合率达95%以上，做好“两病”筛查：#1 重点。\n"
                   "二、进度安排\n3月：召开动员会。\n6月底前：完成中期督查。\n", encoding="utf-8")
    imported = import_file(src)[0]
    path = tmp_path / "plan.yaml"
    path.write_text(imported.text, encoding="utf-8")
    assert planwriter.load(path).model_dump() == imported.reading.plan.model_dump()
