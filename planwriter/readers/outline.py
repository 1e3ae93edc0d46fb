"""The hierarchy of a plan: which paragraphs are headings and items, and how deep.

Levels come from the order in which marker styles first appear (the first style seen is
level 1, a new style below it level 2 …), as a reader of the plan infers them, not from a
fixed table: a plan may start at 二、, skip a level, use 1. under 一、, or number its top
level 1、.  A stack of open levels decides each marker's place: a marker that continues an
open level's count (（三） after （二）) goes back to that level; a fresh "1" opens a level
below the current one, even in a style already used higher up (1. under (1) under 1.);
numbers that skip or repeat stay at the innermost level of their style.  Formats that know
levels (Markdown #, DOCX heading styles and list levels) set them directly, and markers in
the paragraphs under them nest below.

Broken markers are repaired on the way: （二）、 and 1、 beside 1. are variants of one
style; a heading run into the sentence before it ("…的要求(二、目标任务") and several items
glued on one line ("…。(1)…(2)…") are split where a marker continues an open level or a
run of markers counts up.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from . import markers as mk
from .lines import Findings, Line

#: The usual rank of each style in Chinese and English plans, outermost first; used only
#: to place a style that first appears in the middle of its count (a plan that starts at
#: 二、 under nothing, or （十） before 二、).
_RANK = {"cn_financial": 0, "bracket": 1, "roman": 1, "cn": 2, "ordinal_en": 2, "paren_cn": 3,
         "decimal1": 3, "arabic": 4, "decimal2": 4, "paren_arabic": 5, "decimal3": 5,
         "arabic_paren": 6, "circled": 6, "shi": 6, "ordinal_cn": 6, "phase": 2,
         "alpha_upper": 5, "alpha_lower": 7, "paren_alpha": 7, "paren_roman": 8, "bullet": 9}

_SENT_END = "。！？!?；;"
#: Deeper than this, a marker is read as text (no plan nests so deep; a garbled page can).
MAX_NESTING = 12
#: Marker families that are words of the sentence (一是, 第一，, First,): a paragraph that
#: starts with one is an item only when it starts or continues a count.
_WORD_FAMILIES = {"shi", "ordinal_cn", "ordinal_en"}
#: Chinese styles that by convention stand above the others: a fresh 1 of one of them
#: restarts its own level instead of opening a level below.
_NEVER_NESTED = {"cn_financial", "cn", "paren_cn"}
_TITLE_END = "。.：:；;！!？?"
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Para:
    """A paragraph of a plan's body: its text (marker removed), marker and hints."""

    text: str
    line: int
    src: Line
    marker: mk.Marker | None = None
    level: int | None = None  # a heading level the format gives
    list_key: tuple | None = None
    heading_hint: bool = False  # the format styles it as a heading (bold, centred, h3 …)
    lead: str = ""  # a run-in title the format marks (a bold first run)


@dataclass
class Node:
    """A heading or item: its own paragraph, what follows it, and its sub-nodes.

    ``parts`` keeps the node's content in the author's order: ``("text", str, line)``,
    ``("table", rows, line)`` and ``("node", Node, line)``.
    """

    para: Para | None
    depth: int
    marker: mk.Marker | None = None
    title: str = ""
    lead_text: str = ""  # the text of the node's own paragraph after a run-in title
    heading: bool = False
    parts: list[tuple[str, Any, int]] = field(default_factory=list)

    @property
    def line(self) -> int:
        return self.para.line if self.para else 0

    @property
    def children(self) -> list["Node"]:
        return [p[1] for p in self.parts if p[0] == "node"]

    def texts(self) -> list[tuple[str, int]]:
        return [(p[1], p[2]) for p in self.parts if p[0] == "text"]


@dataclass
class _Level:
    family: str
    last: int | None
    list_key: tuple | None = None
    fmt: int | None = None  # the format heading level that opened it
    shape: str = ""  # "title" or "para": what its markers' paragraphs look like
    lengths: list = field(default_factory=list)  # log-lengths of its paragraphs so far
    ends: list = field(default_factory=list)  # whether each ended a sentence (。 or .)

    def distance(self, text: str) -> float:
        """How unlike this level's paragraphs a paragraph is: whether it ends a sentence as
        they do, then its length."""
        if not self.lengths:
            return 0.0
        mean = sum(self.lengths) / len(self.lengths)
        share = sum(self.ends) / len(self.ends)
        ends = _ends_sentence(text)
        return abs(share - (1.0 if ends else 0.0)) + 0.25 * abs(math.log(len(text) + 1) - mean)

    def add(self, text: str) -> None:
        self.lengths.append(math.log(len(text) + 1))
        self.ends.append(_ends_sentence(text))


def _ends_sentence(text: str) -> bool:
    return text.rstrip()[-1:] in "。.！!？?；;"


def is_title(text: str, locale: str) -> bool:
    """Whether a paragraph reads as a heading: short, with no sentence inside it."""
    t = text.strip().rstrip(_TITLE_END).strip()
    if not t:
        return False
    if locale == "en":
        words = t.split()
        return len(words) <= 14 and not re.search(r"[.;!?]\s", t)
    return len(t) <= 40 and not any(c in t for c in "。；！？;!?") and not re.search(r"[：:]\s*\S", t)


def run_in(text: str, locale: str) -> tuple[str, str]:
    """``(title, rest)`` when a paragraph starts with a short run-in title, else ``('', text)``.

    "医疗保障体系。进一步完善……" → ("医疗保障体系", "进一步完善……");
    "目标管理：建立……" → ("目标管理：", "建立……").
    """
    if locale == "en":
        # English run-in titles are set in bold (read from the format); in plain text only a
        # short first sentence is one
        m = re.match(r"^([^.:;!?]{2,60}?)\.\s+(\S.*)$", text, re.S)
        if m and len(m.group(1).split()) <= 8 and not re.search(r"\d[.,]\d", m.group(1)):
            return m.group(1).strip(), m.group(2).strip()
        return "", text
    m = re.match(r"^([^。；;！？!?：:，,]{2,24}|[^。；;！？!?：:]{2,30})([。：:])(?!$)(.+)$", text, re.S)
    if m and m.group(1).count("，") + m.group(1).count(",") <= 1 \
            and not m.group(1).endswith(("如下", "包括", "是", "有", "为")) and _HAN.search(m.group(1)):
        mark = "：" if m.group(2) in ":：" else ""
        return m.group(1).strip() + mark, m.group(3).strip()
    return "", text


def _shape(para: Para, locale: str) -> str:
    return "title" if is_title(para.text, locale) else "para"


class Outliner:
    """Turns the body paragraphs of one plan into a tree of :class:`Node`."""

    def __init__(self, locale: str, findings: Findings) -> None:
        self.locale = locale
        self.findings = findings
        self.stack: list[_Level] = []

    # -- splitting -----------------------------------------------------------
    def split_glued(self, paras: list[Para]) -> list[Para]:
        """Split paragraphs that hold several items or a heading run into a sentence."""
        out: list[Para] = []
        expected: dict[str, int] = {}  # family → next value, as the paragraphs go
        for p in paras:
            pieces = self._split_one(p, expected)
            for q in pieces:
                if q.marker is not None and q.marker.value is not None:
                    expected[q.marker.family] = q.marker.value + 1
                    # a new count of a deeper style resets nothing here; the stack decides levels
                out.append(q)
        return out

    _DIGIT_FAMILIES = {"arabic", "paren_arabic", "arabic_paren", "circled"}

    def _split_one(self, p: Para, expected: dict[str, int]) -> list[Para]:
        text = p.text
        if p.src.table is not None or len(text) < 8:
            return [p]
        own = p.marker
        cuts: list[tuple[int, mk.Marker]] = []
        for family in ("paren_arabic", "paren_digit", "circled", "arabic", "cn", "paren_cn", "shi"):
            if family == "shi" and not (own is not None and own.family == "shi"
                                        and expected.get("shi") == own.value):
                continue  # 一是…二是… in one paragraph is an enumeration, unless 一是 stood alone
            hits = [(s, v) for s, v in mk.inline_markers(text, family)
                    if s > 0 and self._cut_ok(text, s, family)]
            best: list[tuple[int, int]] = []
            for k, (s, v) in enumerate(hits):
                run = [(s, v)]
                for s2, v2 in hits[k + 1:]:
                    if v2 == run[-1][1] + 1:
                        run.append((s2, v2))
                continues_own = own is not None and own.value is not None and v == own.value + 1 \
                    and (own.family == family or {own.family, family} <= self._DIGIT_FAMILIES)
                if (v == 1 and len(run) >= 2) or continues_own or v == expected.get(family):
                    if len(run) > len(best):
                        best = run
            if not best:
                continue
            for s, v in best:
                m = mk.parse(text[s:])
                if m is None:
                    continue
                if own is not None and own.family != m.family and \
                        {own.family, m.family} <= self._DIGIT_FAMILIES and best[0][1] == (own.value or 0) + 1:
                    # "4.…。(5)…": the next item of the same list, typed in another style
                    m = mk.Marker(own.family, own.style, m.value, m.raw, m.end)
                cuts.append((s, m))
            break
        if not cuts:
            return [p]
        pieces = []
        head = text[:cuts[0][0]].rstrip()
        if head.endswith(("(", "（")):
            self.findings.add("changed", "removed a stray bracket before a heading run into "
                              "the sentence above it", p.line, head[-20:])
            head = head[:-1].rstrip()
        if head:
            pieces.append(Para(head, p.line, p.src, p.marker, p.level, p.list_key,
                               p.heading_hint, p.lead))
        for k, (start, m) in enumerate(cuts):
            stop = cuts[k + 1][0] if k + 1 < len(cuts) else len(text)
            pieces.append(Para(text[start + m.end:stop].strip(), p.line, p.src, m))
        self.findings.add("changed", f"split one paragraph into {len(pieces)} (items or a "
                          "heading written on one line)", p.line, text[:30])
        return pieces

    @staticmethod
    def _cut_ok(text: str, start: int, family: str) -> bool:
        before = text[:start].rstrip()
        if not before:
            return False
        return before[-1] in "。；;：:！!？?）)”\"" or (family == "cn" and before[-1] in "(（")

    # -- levels --------------------------------------------------------------
    def _compatible(self, a: str, b: str) -> bool:
        if a == b:
            return True
        # Roman numerals, English ordinal words and 一、 stand for one another at the top
        # (machine translation writes 五、 as "V." in a list of "First, Second, …").
        top = {"roman", "ordinal_en", "cn"}
        return a in top and b in top

    def place(self, p: Para) -> int:
        """The depth (1 = top) of a paragraph that opens a node, updating the open levels."""
        m = p.marker
        if p.marker is None and p.level is None and p.list_key is None:
            # An unnumbered heading (bold, styled, or a short line the count restarts under)
            # or a bold run-in item: siblings of their own kind share a level.
            family = "plain_heading" if p.heading_hint else "lead_item"
            same = [i for i, lv in enumerate(self.stack) if lv.family == family]
            if same:
                del self.stack[same[-1] + 1:]
                return same[-1] + 1
            if family == "plain_heading":
                # below the innermost heading level, above the items it holds
                while self.stack and self.stack[-1].shape == "para":
                    self.stack.pop()
            self.stack.append(_Level(family, None, shape="title" if p.heading_hint else "para"))
            return len(self.stack)
        if p.level is not None:
            # A format heading: close everything at or below its format level.
            while self.stack and (self.stack[-1].fmt is None or self.stack[-1].fmt >= p.level):
                self.stack.pop()
            self.stack.append(_Level(m.family if m else "fmt", m.value if m else None,
                                     fmt=p.level, shape="title"))
            return len(self.stack)
        shape = _shape(p, self.locale)
        if p.list_key is not None:
            same = [i for i, lv in enumerate(self.stack) if lv.list_key == p.list_key]
            if same:
                i = same[-1]
                del self.stack[i + 1:]
                self.stack[i].last = m.value if m else None
                return i + 1
            parent_list = [i for i, lv in enumerate(self.stack)
                           if lv.list_key and lv.list_key[0] == p.list_key[0]
                           and lv.list_key[1] < p.list_key[1]]
            if parent_list:
                del self.stack[parent_list[-1] + 1:]
            elif self.stack and self.stack[-1].list_key is not None:
                # a list of another list id, after a list: a new list at the same place
                while self.stack and self.stack[-1].list_key is not None:
                    self.stack.pop()
            self.stack.append(_Level(m.family if m else "list", m.value if m else None,
                                     list_key=p.list_key, shape=shape))
            return len(self.stack)
        assert m is not None
        f, v = m.family, m.value
        cands = [i for i, lv in enumerate(self.stack) if self._compatible(lv.family, f)]
        if v is None:  # bullets and 【】 headings continue their level if it is open
            if cands:
                i = cands[-1]
                del self.stack[i + 1:]
                return i + 1
            self.stack.append(_Level(f, None, shape=shape))
            return len(self.stack)
        exact = [i for i in cands if self.stack[i].last is not None and self.stack[i].last + 1 == v]
        if exact:
            i = exact[-1]
            if len(exact) > 1:
                # Two open levels of this style both expect this number: take the one whose
                # paragraphs look like this one (short headings or running paragraphs); the
                # innermost when they look alike.
                best = min(self.stack[j].distance(p.text) for j in exact)
                i = max(j for j in exact if self.stack[j].distance(p.text) <= best + 0.3)
            del self.stack[i + 1:]
            self.stack[i].last = v
            self.stack[i].add(p.text)
            return i + 1
        if v == 1 and cands and f in _NEVER_NESTED:
            # 一、 (壹、, （一）) never sits under a deeper style: a second 一、 starts over at its level
            i = cands[-1]
            del self.stack[i + 1:]
            self.stack[i].last = v
            self.stack[i].add(p.text)
            self.findings.add("guessed", f"'{m.raw}' starts its count again at the same level",
                              p.line, p.text[:30])
            return i + 1
        if v == 1 or not cands:
            if v != 1 and not cands and self.stack:
                # A style first seen in the middle of its count: place it by the usual rank.
                rank = _RANK.get(f, 9)
                for i, lv in enumerate(self.stack):
                    if _RANK.get(lv.family, 9) > rank and lv.fmt is None:
                        del self.stack[i:]
                        break
            self.stack.append(_Level(f, v, shape=shape))
            self.stack[-1].add(p.text)
            return len(self.stack)
        # Numbers that skip or repeat: stay at the innermost level of this style.
        i = cands[-1]
        del self.stack[i + 1:]
        self.findings.add("guessed", f"marker '{m.raw}' does not continue the count of its "
                          f"level (after {self.stack[i].last}); kept at that level", p.line, p.text[:30])
        self.stack[i].last = v
        self.stack[i].add(p.text)
        return i + 1

    # -- tree ----------------------------------------------------------------
    def build(self, paras: list[Para]) -> Node:
        """The root of a plan body's tree: its parts are the top-level nodes and the text
        around them, in order."""
        paras = self.split_glued(paras)
        self._plain_headings(paras)
        root = Node(None, 0)
        path: list[Node] = [root]
        for p in paras:
            if p.marker is not None and p.marker.family in _WORD_FAMILIES and p.level is None \
                    and p.list_key is None and not self._continues(p.marker):
                # "Secondly, …" or "二是…" that continues no count is prose, not a marker
                p = Para(p.src.text if p.src.table is None else p.text, p.line, p.src, None, None, None,
                         False, "")
            if p.marker is None and p.level is None and p.src.table is None \
                    and (m := re.match(r"^\s*(\d{1,2})[.．](?=\d)", p.text)) and (
                        self._expects("arabic", int(m.group(1)))
                        or (m.group(1) == "1" and re.match(r"(?:1[0-2]|[1-9])月(?!份?以[上下内])", p.text[m.end():]))):
                # 2.6月底前完成… after item 1.: the count goes on (the 6 is a month, not 2.6);
                # 1.6月底前完成… opens a count: 1.6 months would be written 1.6个月
                marker = mk.Marker("arabic", "1.", int(m.group(1)), m.group(0).strip(), m.end())
                p = Para(p.text[m.end():].strip(), p.line, p.src, marker, None, p.list_key, p.heading_hint, p.lead)
            opens = p.marker is not None or p.level is not None or p.list_key is not None or p.heading_hint \
                or bool(p.lead)
            if opens and p.src.table is None:
                depth = self.place(p)
                depth = min(depth, len(path))  # never deeper than one below the current node
                if depth > MAX_NESTING:
                    path[-1].parts.append(("text", (p.marker.raw if p.marker else "") + p.text, p.line))
                    continue
                node = self._node(p, depth)
                del path[depth:]
                parent = path[-1]
                parent.parts.append(("node", node, p.line))
                path.append(node)
                continue
            target = self._text_target(path, p)
            if p.src.table is not None:
                target.parts.append(("table", p.src.table, p.line))
            else:
                target.parts.append(("text", p.text, p.line))
        self._finish(root)
        return root

    def _plain_headings(self, paras: list[Para]) -> None:
        """Unnumbered headings in plain text: a short line the numbering restarts under
        (第二部分工作 / 1、…), or a short line ending in a colon with its text below
        (提升护理质量： / 一是…)."""
        for k, p in enumerate(paras[:-1]):
            if p.marker is not None or p.level is not None or p.list_key is not None or p.src.table is not None \
                    or p.heading_hint or p.lead:
                continue
            nxt = paras[k + 1]
            t = p.text.strip()
            restart = (nxt.marker is not None and nxt.marker.value == 1 and len(t) <= 20
                       and not re.search(r"[。，、；：,;:.!?！？]", t) and nxt.level is None)
            colon = (len(t) <= 16 and t.endswith(("：", ":")) and not re.search(r"[。，、；,;]", t)
                     and nxt.marker is None and nxt.level is None and nxt.src.table is None)
            if restart or colon:
                p.heading_hint = True

    def _expects(self, family: str, value: int) -> bool:
        """Whether an open level of ``family`` has reached ``value - 1``."""
        return value > 1 and any(lv.family == family and lv.last == value - 1 for lv in self.stack)

    def _continues(self, m: mk.Marker) -> bool:
        """Whether an ordinal word starts a count (一是, First) or continues an open one."""
        if m.value == 1:
            return True
        return any(self._compatible(lv.family, m.family) and lv.last is not None and lv.last + 1 == m.value
                   for lv in self.stack)

    def _text_target(self, path: list[Node], p: Para) -> Node:
        """The node a plain paragraph belongs to: the innermost one (text that closes the
        plan is moved out of it later), except that a Markdown paragraph or table at the
        margin after a list belongs to what holds the list."""
        k = len(path) - 1
        if p.src.style in ("p", "table"):
            while k > 0 and path[k].para is not None and path[k].para.src.style == "li":
                k -= 1
        return path[k]

    def _node(self, p: Para, depth: int) -> Node:
        node = Node(p, depth, p.marker)
        text = p.text
        if p.lead and text.startswith(p.lead) and len(text) > len(p.lead):
            # a bold run-in title: its full stop is the writer's to put back
            node.title = p.lead.strip().rstrip("。.")
            node.lead_text = text[len(p.lead):].strip()
        elif p.level is not None or p.heading_hint or (p.marker and p.marker.family == "bracket"
                                                        and is_title(text, self.locale)):
            node.title, node.heading = text, True
        elif is_title(text, self.locale):
            node.title, node.heading = text, True  # confirmed in _finish
        else:
            title, rest = run_in(text, self.locale)
            node.title, node.lead_text = title, rest if title else text
        return node

    def _finish(self, node: Node) -> None:
        for child in node.children:
            self._finish(child)
        if node.para is None:
            return
        has_content = bool(node.parts)
        if node.heading and not has_content and node.para.level is None and not node.para.heading_hint:
            # A short numbered sentence with nothing under it is an item, not a heading.
            node.heading = False
            node.title, node.lead_text = run_in(node.title, self.locale)
        if node.heading:
            node.title = node.title.rstrip("：:。.;；").strip() or node.title
