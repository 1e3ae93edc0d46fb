"""Paragraphs that a fixed line width or a stray line break cut into pieces, joined again.

Text copied from a PDF or a text page is hard-wrapped: every line is about as wide as the
widest, and a paragraph goes on until a line that is shorter or a line that starts a new
paragraph (indented, or with a marker).  Pages copied from sample sites also break single
paragraphs in the middle of a phrase ("…门诊发现" / "的慢性病人…").  :func:`unwrap`
detects the width, and joins a line with the next where the text plainly goes on.
"""
from __future__ import annotations

import re
import unicodedata

from . import markers
from .lines import Line

_GOES_ON = "，,、《“‘（(【「『—-"
_CONTINUES = "，,、。；;：:）)》”’」』的了和与及或"
_END = "。！？!?；;：:”’」』）)】"


def width(text: str) -> int:
    """Display width: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _unclosed(text: str) -> bool:
    for a, b in ("《》", "“”", "（）", "()", "【】", "「」"):
        if text.count(a) > text.count(b):
            return True
    return False


def wrap_width(lines: list[Line]) -> int | None:
    """The width a text was hard-wrapped at, or None when its lines are paragraphs.

    Only plain text has physical lines; the other formats give paragraphs (their lines
    carry a style)."""
    if any(ln.style for ln in lines):
        return None
    widths = [width(ln.text) + ln.indent for ln in lines if ln.table is None and len(ln.text) >= 8]
    if len(widths) < 6:
        return None
    widths.sort()
    top = widths[int(len(widths) * 0.9)]
    if top < 30:
        return None
    full = sum(1 for w in widths if top - 4 <= w <= top + 2)
    longer = sum(1 for w in widths if w > top + 6)
    if full >= max(4, len(widths) * 0.3) and longer <= len(widths) * 0.05:
        return top
    return None


def _mid_sentence(lines: list[Line], limit: int) -> bool:
    """Whether most lines of the wrap width stop in the middle of a sentence."""
    full = [ln.text.rstrip() for ln in lines if ln.table is None and width(ln.text) + ln.indent >= limit - 4]
    return bool(full) and sum(t[-1:] not in _END for t in full) >= 0.7 * len(full)


def _joinable(a: Line, b: Line) -> bool:
    if a.table is not None or b.table is not None or a.level is not None or b.level is not None:
        return False
    if b.marker or b.list_id or a.zone != b.zone:
        return False
    if markers.parse(b.text) is not None:
        return False
    from .split import header
    if header(b.text) is not None or header(a.text) is not None:
        return False  # a plan header on a page of plans starts a plan, whatever came before
    return True


def unwrap(lines: list[Line], changed=None) -> list[Line]:
    """The lines with paragraphs broken across lines joined; ``changed(line, text)`` hears
    of each join."""
    if not lines:
        return lines
    limit = wrap_width(lines)
    # A blank line ends a paragraph, unless the whole text is double-spaced and its full
    # lines stop in the middle of sentences (a hard-wrapped text set with blank lines)
    double = limit is not None and all(ln.blank_before for ln in lines[1:]) and _mid_sentence(lines, limit)
    out: list[Line] = [lines[0]]
    pieces: list[list[str]] = [[lines[0].text]]  # the texts of each output line, joined at the end
    for b in lines[1:]:
        a = out[-1]
        join = False
        if _joinable(a, b):
            # judge by the last physical line of what has been joined so far
            ta, tb = pieces[-1][-1].rstrip(), b.text.lstrip()
            latin = not re.search(r"[\u4e00-\u9fff]", ta[-3:] + tb[:3])
            first = len(pieces[-1]) == 1
            if limit and (not b.blank_before or double) and width(ta) + (a.indent if first else 0) >= limit - 4 \
                    and b.indent <= a.indent \
                    and not (b.indent and not a.indent) and not (ta[-1:] in "。！？!?" and b.indent):
                join = True  # a full line of a hard-wrapped text goes on in the next
            elif first and b.indent >= 2 and ta[-1:] not in "。！？!?" and (m := markers.parse(a.text)) \
                    and (width(ta) >= limit - 8 if limit else len(ta) >= 16) \
                    and abs(b.indent - a.indent - width(a.text[:m.end])) <= 2:
                join = True  # a hanging indent: the item's text goes on under its first word
            elif ta[-1:] in _GOES_ON or _unclosed("".join(pieces[-1][-3:])):
                join = True
            elif tb[:1] in _CONTINUES and ta[-1:] not in _END:
                join = True
            elif latin and ta[-1:].isalpha() and tb[:1].islower():
                join = True
        if join:
            ta, tb = pieces[-1][-1].rstrip(), b.text.lstrip()
            sep = " " if re.match(r"[A-Za-z0-9,]", ta[-1:] or " ") and re.match(r"[A-Za-z0-9(]", tb[:1] or " ") \
                and not (ta[-1:].isdigit() and tb[:1].isdigit()) else ""
            if ta.endswith("-") and tb[:1].islower():
                sep = ""
            pieces[-1][-1] = ta
            pieces[-1].append(sep + tb)
            # the joined line's text so far: its last pieces are enough to judge the next join
            out[-1] = a.but(text="".join(pieces[-1][-2:]), end=b.end)
            if changed:
                changed(b.line, tb[:20])
        else:
            out.append(b)
            pieces.append([b.text])
    return [ln.but(text="".join(p)) if len(p) > 1 else ln for ln, p in zip(out, pieces)]
