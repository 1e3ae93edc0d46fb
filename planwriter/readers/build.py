"""The shared stage: lines with hints, from any reader, into plans.

    lines ─▶ clutter ─▶ unwrap ─▶ split into plans ─▶ frame ─▶ outline ─▶ data ─▶ plan data
          ─▶ fitted to the model ─▶ validated Plan

Every step reports what it dropped, guessed or changed as a located finding; nothing is
dropped without one.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from .. import model as m
from ..errors import PlanError
from . import clutter, markers
from . import placeholders as ph
from .emit import Emitter
from .fit import fit, without_data as _without_data
from .frame import Frame, read_frame
from .lines import Finding, Findings, Line
from .outline import Outliner, Para
from .split import split as split_page
from .texttables import join_tables
from .unwrap import unwrap

#: More text than this is not one page of plans (a 50 MB page holds far less text).
MAX_TEXT_CHARS = 8 << 20
MAX_LINES = 200_000


@dataclass
class Reading:
    """One imported plan: the validated :class:`~planwriter.Plan`, its data (what its YAML
    holds), the findings, and the source lines it came from."""

    plan: m.Plan
    data: dict
    findings: list[Finding]
    lines: tuple[int, int]
    title_line: int | None = None
    frame: Frame | None = None
    extra: dict = field(default_factory=dict)


_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_HALF = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_HAN = "\u4e00-\u9fff\u3400-\u4dbf"
_HALF_PUNCT = re.compile(rf"(?<=[{_HAN}）》”])([,;:?!])|([,;:?!])(?=[{_HAN}（《“])")
_PARENS = re.compile(rf"\(([^()]*[{_HAN}][^()]*)\)")


#: Full-width digits (１１４年９月, as Taiwanese pages often type them) as the figures the
#: readers' patterns and the model's numbers are written in.
_FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def clean_text(text: str) -> str:
    """A line's text with zero-width characters, control characters and entity remnants
    removed, full-width digits as figures and spaces collapsed."""
    text = _ZERO_WIDTH.sub("", text).translate(_FULL_DIGITS)
    text = _CONTROL.sub("", text)
    text = text.replace("\xa0", " ").replace("\u3000", " ")
    text = re.sub(r"(?<![A-Za-z&])gt;", "＞", text)
    text = re.sub(r"(?<![A-Za-z&])lt;", "＜", text)
    text = text.replace("&nbsp;", " ").replace("&amp;", "&")
    return re.sub(r"[ \t]{2,}", "  ", text).strip()


def full_width(text: str) -> tuple[str, int]:
    """Half-width punctuation beside Chinese made full-width: ``(text, changes)``."""
    n = 0

    def repl(mm: re.Match) -> str:
        nonlocal n
        n += 1
        return _HALF[mm.group(1) or mm.group(2)]
    text = _HALF_PUNCT.sub(repl, text)

    def paren(mm: re.Match) -> str:
        nonlocal n
        n += 1
        return "（" + mm.group(1) + "）"
    text = _PARENS.sub(paren, text)
    return text, n


#: A paragraph that starts with 一是 (First, 第一，) and goes on to 二是 (second, 第二，) is
#: one paragraph of running text, not an item.
_ENUMERATIONS = {"shi": re.compile(r"[。；;，,]\s*二是"), "ordinal_cn": re.compile(r"[。；;，,]\s*第二[，,、]"),
                 "ordinal_en": re.compile(r"[.;,]\s*(the\s+)?second(ly)?\b", re.I)}


def _para(ln: Line, locale: str) -> Para:
    text = ln.text
    marker = None
    if ln.marker:
        if ln.marker in "•·●○■□◆◇▪-*+":
            marker = markers.Marker("bullet", "•", None, ln.marker, 0)
        else:
            marker = markers.parse(ln.marker + ("X" if locale == "en" else "甲"))
            if marker is not None:
                marker = markers.Marker(marker.family, marker.style, marker.value, ln.marker, 0, marker.depth)
    if marker is None and ln.table is None:
        marker, rest = markers.strip(text)
        if marker is not None and marker.family in _ENUMERATIONS and _ENUMERATIONS[marker.family].search(rest):
            marker = None  # 一是…二是… in one paragraph: an enumeration in running text
        elif marker is not None:
            text = rest
    elif marker is not None:
        text = text.strip()
    list_key = (ln.list_id, ln.list_level) if ln.list_id and ln.list_level is not None else None
    heading_hint = bool(ln.bold and not ln.lead.endswith(("。", ".", "：", ":")) and len(text) <= 40
                        and ln.table is None and not re.search(r"[。；;]", text[:-1]))
    lead = ln.lead if ln.lead and ln.lead != ln.text else ""
    if lead and marker is not None and lead.startswith(marker.raw):
        lead = lead[len(marker.raw):].strip()
    return Para(text, ln.line, ln, marker, ln.level, list_key, heading_hint, lead)


class Builder:
    """Builds the plans of one input from its lines."""

    def __init__(self, file: str, env: Any = None, org: str | None = None,
                 year: int | None = None, fill: bool = False) -> None:
        self.file = file
        self.env = env
        self.org = org
        self.year = year
        self.fill = fill

    def read(self, lines: list[Line], split: bool = False) -> list[Reading]:
        try:
            return self._read(lines, split)
        except RecursionError:
            raise PlanError("the input nests too deeply to be read as a plan", self.file) from None

    def _read(self, lines: list[Line], split: bool) -> list[Reading]:
        if len(lines) > MAX_LINES:
            raise PlanError(f"the input has {len(lines):,} paragraphs; an import takes at most "
                            f"{MAX_LINES:,}", self.file)
        total = sum(len(ln.text) for ln in lines)
        if total > MAX_TEXT_CHARS:
            raise PlanError(f"the input holds {total:,} characters of text; an import takes at most "
                            f"{MAX_TEXT_CHARS:,}", self.file)
        page = Findings(self.file)
        cleaned = []
        for ln in lines:
            text = clean_text(ln.text)
            if not text and ln.table is None:
                continue
            if ln.table is not None:
                ln = ln.but(table=[[clean_text(c) for c in row] for row in ln.table])
            cleaned.append(ln.but(text=text))
        classes = clutter.classify(cleaned)
        kept: list[Line] = []
        for ln, cls in zip(cleaned, classes):
            if cls:
                page.add("dropped", clutter.CLASSES[cls], ln.line, ln.text)
                continue
            text, junk = clutter.trim(ln.text)
            if junk:
                page.add("dropped", "a link stuck to the end of a line", ln.line, junk)
                ln = ln.but(text=text)
            kept.append(ln)
        kept = unwrap(join_tables(kept), lambda line, text: page.add("changed", "joined a paragraph broken "
                                                        "across lines", line, text))
        intro, segments = split_page(kept)
        for ln in intro:
            page.add("dropped", "the page's own title and introduction, before the first plan",
                     ln.line, ln.text)
        if not segments or not any(seg.lines for seg in segments):
            raise PlanError("no plan text found (the input is empty, or only site navigation and "
                            "links)", self.file)
        if not split and len(segments) > 1:
            page.add("dropped", f"the page holds {len(segments)} plans; this is the first "
                     f"(import --split -d DIR writes each)", segments[1].header_line)
            segments = segments[:1]
        readings = []
        segments = [seg for seg in segments if seg.lines]
        starts = [min([seg.lines[0].line] + ([seg.header_line] if seg.header_line else [])) for seg in segments]
        for k, seg in enumerate(segments):
            findings = Findings(self.file)
            # page findings go to the plan whose lines hold them (before the first: the first)
            stop = starts[k + 1] if k + 1 < len(segments) else None
            findings.items.extend(f for f in page.items
                                  if (k == 0 and (f.line is None or f.line < starts[0]))
                                  or (f.line is not None and f.line >= starts[k] and (stop is None or f.line < stop)))
            readings.append(self.plan(seg.lines, findings, seg.title, seg.header_line))
        return readings

    def plan(self, lines: list[Line], findings: Findings, title: str = "",
             header_line: int | None = None) -> Reading:
        frame, body = read_frame(lines, findings, title, header_line)
        locale = "en" if frame.language == "en" else "zh"
        changes = 0
        if locale == "zh":
            fixed = []
            for ln in body:
                text, n = full_width(ln.text)
                changes += n
                fixed.append(ln.but(text=text) if n else ln)
            body = fixed
            if changes:
                findings.add("changed", f"made {changes} half-width punctuation mark"
                             f"{'s' if changes > 1 else ''} beside Chinese full-width", body[0].line if body else None)
        for ln in lines:
            for found in ph.find(ln.text):
                findings.add("placeholder", "a blank left to fill", ln.line, found)
        if self.fill and (self.org or self.year):
            body = [self._fill(ln, findings) for ln in body]
            frame.title, _ = ph.fill(frame.title, self.org, self.year)
        paras = [_para(ln, locale) for ln in body]
        outliner = Outliner(locale, findings)
        root = outliner.build(paras)
        parts, nodes = list(root.parts), root.children
        preamble = []
        trailing = []
        if nodes:
            first_node = next(i for i, p in enumerate(parts) if p[0] == "node")
            last_node = max(i for i, p in enumerate(parts) if p[0] == "node")
            preamble = parts[:first_node]
            trailing = parts[last_node + 1:]
            # text between top-level nodes belongs to the node before it
            for i in range(first_node, last_node + 1):
                if parts[i][0] != "node":
                    owner = next(p for p in reversed(parts[:i]) if p[0] == "node")[1]
                    owner.parts.append(parts[i])
        else:
            preamble = parts
        trailing = self._closing(nodes, trailing)
        emitter = Emitter(frame, findings, self.env, self.org, self.year)
        data = emitter.plan(preamble, nodes, trailing)
        data = _limit_depth(data, findings)
        fitted = fit(data, findings)
        plan = self._validate(fitted, findings)
        plan, fitted = self._composable(plan, fitted, data, findings)
        span = (lines[0].line, max(ln.end for ln in lines)) if lines else (0, 0)
        return Reading(plan, fitted, findings.items, span, frame.title_line, frame, {"full": data})

    def _closing(self, nodes: list, trailing: list) -> list:
        """Text after the last top-level node that closes the plan (总之…, 在新的一年里…) is a
        closing section, even where the reader attached it to the last item."""
        if trailing or not nodes:
            return trailing
        node = nodes[-1]
        while node.children and node.parts and node.parts[-1][0] == "node":
            node = node.children[-1]
        tail = []
        while node.parts and node.parts[-1][0] == "text" and _closing_text(node.parts[-1][1]):
            tail.insert(0, node.parts.pop())
        return tail

    def _fill(self, ln: Line, findings: Findings) -> Line:
        text, n = ph.fill(ln.text, self.org, self.year)
        if n:
            findings.add("changed", f"filled {n} blank{'s' if n > 1 else ''} with "
                         f"{' and '.join(x for x in (self.org, str(self.year) if self.year else '') if x)}",
                         ln.line, ln.text[:30])
            return ln.but(text=text)
        return ln

    def _composable(self, plan: m.Plan, fitted: dict, data: dict, findings: Findings):
        """The plan, checked to compose; where it does not, its data is put back as text."""
        if self.env is None:
            return plan, fitted
        try:
            for locale in plan.meta.locales:
                self.env.compose(plan, locale)
            return plan, fitted
        except PlanError as e:
            problem = e.message
        # Put back as text the data of the sections that do not compose, one section at a
        # time; the data of the others stays.
        sections = list(data["sections"])
        for i, section in enumerate(sections):
            try:
                single = m.Plan.model_validate(fit({"meta": data["meta"], "sections": [section]},
                                                   Findings(self.file)))
                for locale in single.meta.locales:
                    self.env.compose(single, locale)
            except (PlanError, ValueError, TypeError) as e:
                sections[i] = _without_data(section)
                findings.add("changed", f"data read from the text of section {i + 1} stays text: the "
                             f"plan would not compose with it ({getattr(e, 'message', e)})")
        plain = fit({**data, "sections": sections}, Findings(self.file))
        try:
            plan = self._validate(plain, findings)
            for locale in plan.meta.locales:
                self.env.compose(plan, locale)
            return plan, plain
        except PlanError:
            findings.add("changed", f"data read from the text stays text: the plan would not "
                         f"compose with it ({problem})")
        plain = fit(_without_data(data), Findings(self.file))
        plan = self._validate(plain, findings)
        try:
            for locale in plan.meta.locales:
                self.env.compose(plan, locale)
        except PlanError as e:
            raise PlanError(f"the imported plan does not compose: {e.message}", self.file, None,
                            e.field) from None
        return plan, plain

    def _validate(self, data: dict, findings: Findings) -> m.Plan:
        try:
            return m.Plan.model_validate(data)
        except PlanError as e:
            raise PlanError(f"the imported plan does not fit the model: {e.message}", self.file,
                            None, e.field) from None
        except (ValueError, TypeError) as e:  # the model's own report of what does not fit
            raise PlanError(f"the imported plan does not fit the model: {e}", self.file) from None


_CLOSING = re.compile(r"^(总之|總之|综上|綜上|总而言之|在新的一年里|新的一年里|新的一年|展望|我们坚信|我们相信|让我们|"
                      r"救死扶伤本来|in short|in conclusion|to sum up|overall,|finally,)", re.I)


def _closing_text(text: str) -> bool:
    return bool(_CLOSING.match(text.strip()))


def _limit_depth(data: dict, findings: Findings) -> dict:
    """Nodes nested deeper than the model's five levels, folded into the text of the fifth."""
    from ..numbering import MAX_DEPTH

    def fold(node: dict, depth: int) -> None:
        holders = [node] + [part for part in node.get("content") or [] if "items" in part]
        for holder in holders:
            items = holder.get("items")
            if not items:
                continue
            if depth >= MAX_DEPTH:
                text = "\n\n".join(t for t in (_flat_text(child) for child in items) if t)
                del holder["items"]
                if holder is node:
                    node["text"] = "\n\n".join(t for t in (node.get("text", ""), text) if t)
                else:
                    holder["text"] = text
                findings.add("changed", f"items nested deeper than {MAX_DEPTH} levels kept as text of "
                             f"their level-{MAX_DEPTH} item")
                continue
            for child in items:
                fold(child, depth + 1)
    for s in data["sections"]:
        fold(s, 1)
    return data


def _flat_text(node: dict) -> str:
    def plain(v: Any) -> str:
        return v if isinstance(v, str) else (next(iter(v.values()), "") if isinstance(v, dict) else "")
    out = ["".join(plain(node.get(k, "")) for k in ("title", "text"))]
    for part in node.get("content") or []:
        out.append(plain(part.get("text", "")) or "".join(part.get("_source") or []))
        for child in part.get("items", []):
            out.append(_flat_text(child))
    for child in node.get("items", []):
        out.append(_flat_text(child))
    return "\n\n".join(x for x in out if x)


def normalise_nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)
