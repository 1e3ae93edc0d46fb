"""A page that holds several plans, cut into one segment per plan.

Sample sites put many plans on one page, each under a header: ``…工作计划 篇3``,
``…工作计划（二）``, ``范文三：``, ``【篇四】``, or in the English versions ``… work plan
(2)`` — often run into the last sentence of the plan before.  What comes before the first
header is the page's own title and introduction.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lines import Line

_CN = "一二三四五六七八九十"
_HEADER_ZH = re.compile(
    rf"^(?P<title>.{{0,60}}?)\s*(?:篇\s*(?P<n1>\d{{1,2}}|[{_CN}]{{1,3}})"
    rf"|[（(](?P<n2>[{_CN}]{{1,3}}|\d{{1,2}})[)）]"
    rf"|范文\s*(?P<n3>[{_CN}]{{1,3}}|\d{{1,2}})\s*[：:]?)\s*$")
_HEADER_ZH_BRACKET = re.compile(rf"^【?\s*(?:篇|范文|第)\s*(?P<n>[{_CN}]{{1,3}}|\d{{1,2}})\s*(?:篇)?\s*】?\s*[：:]?\s*(?P<title>.{{0,60}})$")
_PLAN_WORD = re.compile(r"计划|計畫|方案|要点|要點|安排|打算|思路|总结|plan", re.I)
_HEADER_EN = re.compile(r"(?P<title>(?:\b\d{4}\s+)?(?:[A-Za-z]+\s+){0,8}?work plan(?:\s+[A-Za-z]+){0,6}(?:\s+\d{4})?)\s*\((?P<n>\d{1,2})\)\s*$", re.I)


@dataclass
class Segment:
    """The lines of one plan on a page, with the header that named it (if any)."""

    lines: list[Line]
    title: str = ""
    header_line: int | None = None
    number: int | None = None


def _number(token: str) -> int | None:
    from .markers import cn_value
    return int(token) if token.isdigit() else cn_value(token)


def header(text: str) -> tuple[str, int, int] | None:
    """``(title, number, offset)`` when a line is (or ends in) a plan header; offset is where
    the header starts in the line (0 unless it was run into the text before it)."""
    t = text.strip()
    if len(t) <= 70 and (m := _HEADER_ZH.match(t)) and _PLAN_WORD.search(m.group("title") or ""):
        n = m.group("n1") or m.group("n2") or m.group("n3")
        number = _number(n)
        if number is not None:
            return m.group("title").strip(" ：:-—"), number, 0
    if len(t) <= 70 and (m := _HEADER_ZH_BRACKET.match(t)) and (t.startswith("【") or t.startswith("篇")
                                                               or t.startswith("范文")):
        number = _number(m.group("n"))
        if number is not None:
            return m.group("title").strip(" ：:-—"), number, 0
    if m := _HEADER_EN.search(t):
        before = t[:m.start()].rstrip()
        title = m.group("title").strip()
        if before and not before.endswith((".", "!", "?", ":", ";")) and len(before) < 80:
            # a recommended-article title glued in front of the header
            return title, int(m.group("n")), m.start()
        return title, int(m.group("n")), m.start()
    return None


def split(lines: list[Line]) -> tuple[list[Line], list[Segment]]:
    """``(page lines, segments)``: the lines before the first plan and one segment per plan.

    With fewer than two headers the page is one plan (a lone header still names it).
    """
    found: list[tuple[int, str, int, int]] = []
    for i, ln in enumerate(lines):
        if ln.table is not None:
            continue
        h = header(ln.text)
        if h is not None:
            found.append((i, *h))
    # Numbers must count up from 1 (or 一) for a page of plans; else these are not headers.
    numbers = [f[2] for f in found]
    if len(found) < 2 or numbers[0] != 1 or any(b != a + 1 for a, b in zip(numbers, numbers[1:])):
        if len(found) == 1 and found[0][2] == 1 and found[0][3] == 0:
            i, title, _, _ = found[0]
            return lines[:i], [Segment(lines[i + 1:], title, lines[i].line, 1)]
        return [], [Segment(lines)]
    page = lines[:found[0][0]]
    segments = []
    for k, (i, title, number, offset) in enumerate(found):
        stop = found[k + 1][0] if k + 1 < len(found) else len(lines)
        body = list(lines[i + 1:stop])
        if k + 1 < len(found):
            nxt = found[k + 1]
            if nxt[3] > 0:  # the next header was run into this plan's last paragraph
                tail = lines[nxt[0]].text[:nxt[3]].rstrip()
                if tail:
                    body.append(lines[nxt[0]].but(text=tail))
        segments.append(Segment(body, title, lines[i].line, number))
    if found[0][3] > 0:
        page = page + [lines[found[0][0]].but(text=lines[found[0][0]].text[:found[0][3]].rstrip())]
    return page, segments
