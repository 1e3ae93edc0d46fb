"""Tables typed as text: rows of short cells lined up with spaces (序号　指标名称　目标值 /
1　　县域内就诊率　　≥90%), read as the table they show.

A plain text (or a PDF copied as text) has no table markup; its author lines the cells up
with runs of spaces, or with one ideographic space between Chinese words.  Three or more
such rows in a row, with the same number of cells, are one table — also where a page break
(its page number and running head, already dropped as clutter) falls between two rows.
"""
from __future__ import annotations

import re

from .lines import Line

#: where one cell ends and the next begins: a run of spaces, or one space that a Chinese
#: word stands beside (Latin words are spaced within a cell)
_GAP = re.compile(r"\s{2,}|(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_PROSE = re.compile(r"[。；;，,：:！!？?]")
MIN_ROWS = 3
MIN_CELLS = 3
MAX_CELL = 30


def _cells(ln: Line) -> list[str] | None:
    """A line's cells, or None when it is not a row of a typed table."""
    if ln.table is not None or ln.level is not None or ln.marker or ln.style or ln.zone:
        return None
    text = ln.text
    if not _HAN.search(text) or _PROSE.search(text):
        return None
    cells = [c for c in _GAP.split(text) if c]
    if len(cells) < MIN_CELLS or any(len(c) > MAX_CELL for c in cells):
        return None
    return cells


def join_tables(lines: list[Line]) -> list[Line]:
    """``lines`` with each run of typed table rows made one table line."""
    out: list[Line] = []
    k, n = 0, len(lines)
    while k < n:
        first = _cells(lines[k])
        j = k + 1
        if first is not None:
            while j < n and (c := _cells(lines[j])) is not None and len(c) == len(first):
                j += 1
        if first is not None and j - k >= MIN_ROWS:
            rows = [_cells(ln) for ln in lines[k:j]]
            out.append(Line(" ".join(" ".join(r) for r in rows), lines[k].line, lines[j - 1].end, table=rows,
                            row_lines=[ln.line for ln in lines[k:j]], blank_before=lines[k].blank_before,
                            indent=lines[k].indent))
            k = j
        else:
            out.append(lines[k])
            k += 1
    return out
