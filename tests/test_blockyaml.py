"""The quick block-YAML reader: the parser's result or none, never another.

``plainyaml.read`` asks :mod:`planwriter.blockyaml` first; whatever it returns must be
exactly what the parser would have made of the text (values and the line of every field),
and it must step aside (None) for every text the parser would refuse.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from planwriter import PlanError, blockyaml, plainyaml
from planwriter.plan_yaml import dump

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted([*ROOT.glob("examples/*.yaml"), *ROOT.glob("templates/**/*.yaml"),
                  *ROOT.glob("tests/data/**/*.yaml")])


def full(text: str):
    """What the parser makes of ``text``: (data, lines), or the error it raises."""
    try:
        return plainyaml.read(text, "t.yaml", quick=False)
    except PlanError as e:
        return e


def agrees(text: str) -> bool:
    """The property itself; True when the quick reader read the text (not stepped aside)."""
    quick = blockyaml.read(text)
    if quick is None:
        return False
    expected = full(text)
    assert not isinstance(expected, PlanError), f"read a text the parser refuses ({expected})"
    assert quick[0] == expected[0]
    assert quick[1] == expected[1]
    # Same types too: 1 and 1.0 and True are equal, and must not be confused.
    assert repr(quick[0]) == repr(expected[0])
    return True


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_bundled_yaml_reads_the_same(path):
    agrees(path.read_text(encoding="utf-8"))


def test_the_examples_and_presets_are_read_quickly():
    plans = [p for p in BUNDLED if p.parent.name in ("examples", "presets")]
    assert len(plans) >= 12
    assert [p.name for p in plans if not agrees(p.read_text(encoding="utf-8"))] == []


def test_what_planwriter_writes_is_read_quickly():
    for path in ROOT.glob("examples/*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert agrees(dump(data)), path.name


SHAPES = {
    "scalars": "a: 1\nb: 010\nc: 1.5\nd: true\ne: ~\nf: yes\ng: 33:45\nh: -2\ni: 0x1F\nj: .inf\n",
    "words with marks": "a: People's Hospital\nb: 第1项#重点\nc: a,b [c] {d}\nd: x-y:z\n",
    "comments": "# top\na: 1  # one\n\n  # indented\nb:   two # 2\nc: 'q' # quoted\n",
    "quotes": "a: 'it''s'\nb: \"say: #no\"\nc: ''\nd: ' lead '\ne: '# not'\n",
    "indentless list": "items:\n- a\n- b: 1\n  c: 2\n-   d: 3\nnext: x\n",
    "nested lists": "a:\n  - - x\n    - y\n  - - z\n",
    "empty values": "a:\nb:\n  c:\nd: []\ne: {}\nf: [ ]\n",
    "flow": "a: [zh, en]\nb: {zh: 文本, en: A text}\nc: [{x: 1, y: [2, 3]}, {x: 'a, b'}]\nd: [a, b,]\n",
    "literal": "a: |\n  line one\n    more\n\n  line two\nb: |-\n  x\n\n\nc: 1\n",
    "folded": "a: >\n  one\n  two\n\n  three\n    indented\n  four\nb: >-\n  x\n  y\n",
    "text at the end": "a: |\n  last",
    "text at the end with breaks": "a: >-\n  last\n\n\n",
    "crlf": "a: 1\r\nb:\r\n  - x\r\n  - y\r\n",
    "longest key": "k" + "中" * 1023 + ": 1\nx: {" + "a" * 1024 + ": 2}\n",
    "deep": "".join(f"{' ' * 2 * k}k{k}:\n" for k in range(30)) + " " * 60 + "v: 1\n",
}


@pytest.mark.parametrize("name", SHAPES)
def test_the_usual_shapes_are_read_quickly_and_alike(name):
    assert agrees(SHAPES[name]), name


OUTSIDE = {
    "anchor": "a: &x 1\nb: *x\n", "tag": "a: !!str 1\n", "merge": "a: {x: 1}\n<<: {y: 2}\n",
    "duplicate": "a: 1\na: 2\n", "two documents": "a: 1\n---\nb: 2\n", "tab": "a:\tb\n",
    "continued plain": "a: one\n  two\n", "mapping in a value": "a: b: c\n",
    "unclosed quote": "a: 'x\n  y'\n", "escape": 'a: "x\\ty"\n', "keep": "a: |+\n  x\n\n",
    "explicit indentation": "a: |2\n   x\n", "bad indentation": "a:\n  b: 1\n c: 2\n",
    "a list then a key": "a:\n  - x\n  b: 1\n", "root list": "- a\n- b\n", "empty": "# only\n",
    "bom": "\ufeffa: 1\n", "nel": "a: 1\x85b: 2\n", "line separator": "a: 1\u2028b: 2\n",
    "control": "a: \x01\n", "lone cr": "a: 1\rb: 2\n", "quoted key": "'a': 1\n",
    "spaced colon": "a : 1\n", "long number": "a: " + "9" * 150 + "\n", "comma in flow": "a: {x: 1,2}\n",
    "flow over lines": "a: [x,\n  y]\n",
    "key too long": "a" * 1025 + ": 1\n", "flow key too long": "x: {k" + "中" * 1024 + ": 1}\n",
    "compact key too long": "x:\n- " + "a" * 1025 + ": 1\n", "question": "a: ? x\n", "dash alone": "a:\n  -\n    x\n",
}


@pytest.mark.parametrize("name", OUTSIDE)
def test_anything_else_is_left_to_the_parser(name):
    assert blockyaml.read(OUTSIDE[name]) is None


KEYS = st.from_regex(r"[a-z_][a-z0-9_-]{0,8}", fullmatch=True)
WORDS = st.text(alphabet="abc 中文，。:#-'\"[]{}!&*?|>%@`,./\\~01.5e", min_size=0, max_size=16) | \
    st.sampled_from(["yes", "null", "~", "3.5", "010", "0o17", "1e3", "- x", "a: b", "x #y", "", " ", "'"])
SCALARS = WORDS | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False) | \
    st.booleans() | st.none()
DATA = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) |
                    st.dictionaries(KEYS, inner, max_size=4), max_leaves=25)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, DATA, min_size=1, max_size=5), st.integers(10, 120),
       st.sampled_from([None, False]), st.sampled_from([2, 4]), st.sampled_from([None, "'", '"', "|", ">"]))
def test_yaml_written_any_way_reads_as_the_parser_reads_it(data, width, flow, indent, style):
    text = yaml.safe_dump(data, allow_unicode=True, width=width, default_flow_style=flow,
                          indent=indent, default_style=style, sort_keys=False)
    agrees(text)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(KEYS, DATA, min_size=1, max_size=5))
def test_planwriters_own_yaml_reads_as_the_parser_reads_it(data):
    agrees(dump(data))


EDITS = list(" \n-:#'\"|>[]{},&*!\t\r中") + ["  ", "- ", ": ", " #", "\n  ", "\n- ", "''", "|-\n", ">\n"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([p for p in BUNDLED if p.parent.name == "examples"]), st.randoms(use_true_random=False),
       st.integers(1, 4))
def test_a_damaged_plan_is_read_as_the_parser_reads_it_or_left_to_it(path, rnd: random.Random, edits):
    lines = path.read_text(encoding="utf-8").split("\n")[:60]  # a part, for speed
    text = "\n".join(lines)
    for _ in range(edits):
        at = rnd.randrange(len(text) + 1)
        if rnd.random() < 0.3:
            text = text[:at] + text[at + rnd.randint(1, 3):]
        else:
            text = text[:at] + rnd.choice(EDITS) + text[at:]
    agrees(text)
