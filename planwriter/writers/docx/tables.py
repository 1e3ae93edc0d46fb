"""Tables: column widths from the content, and the table markup.

Each column gets at least the width that keeps its short cells (names, offices, dates) on
one line, and the rest of the type area goes to the columns with the most text, as a browser
lays out an automatic table, but computed here so that Word, WPS and LibreOffice agree.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable, Sequence

#: Cell margins left and right (twips), as in the reference's table style, plus a little slack.
CELL_PADDING = 2 * 85 + 40
#: A piece of a cell up to this many ems wide is never broken over lines, when it can fit.
UNBROKEN_EMS = 8.0
#: No column is narrower than this many ems of text.
MIN_EMS = 2.0

_BREAKS = re.compile(r"[\s，。、；：！？,.;:!?/（）()《》“”]+")


class _Wide(dict):
    """Whether a character is wide (CJK): worked out once per character."""

    def __missing__(self, c: str) -> bool:
        wide = self[c] = unicodedata.east_asian_width(c) in "WF"
        return wide


_WIDE = _Wide()


def em_width(text: str) -> float:
    """Width in ems of ``text``: wide (CJK) characters 1, others ½."""
    if text.isascii():
        return 0.5 * len(text)
    wide = _WIDE
    n = sum(1 for c in text if wide[c])
    return n + 0.5 * (len(text) - n)


def display_width(text: str) -> float:
    """:func:`em_width` plus the quarter em that word processors put between CJK and Latin
    text (``autoSpaceDE``/``autoSpaceDN``), as in 12月20日."""
    if text.isascii():
        return 0.5 * len(text)
    wide = _WIDE
    flags = [wide[c] for c in text if not c.isspace()]
    return em_width(text) + 0.25 * sum(a != b for a, b in zip(flags, flags[1:]))


def _widest_line(text: str) -> float:
    return max((display_width(line) for line in text.splitlines()), default=0.0)


def _widest_piece(text: str) -> float:
    """The widest run between break opportunities (punctuation, spaces, line ends)."""
    return max((display_width(p) for p in _BREAKS.split(text)), default=0.0)


#: The widths of cell texts already measured: cells repeat (offices, dates, units), in a table
#: and from one document to the next. Bounded: emptied when full.
_MEASURED: dict[str, tuple[float, float]] = {}
_MEASURED_MAX = 4096


def measure(text: str) -> tuple[float, float]:
    """A cell's ``(natural, least)`` widths in ems: its widest line, and the narrowest it should
    be (all of it when short, else its longest piece between breaks, capped)."""
    got = _MEASURED.get(text)
    if got is None:
        whole = _widest_line(text)
        got = (whole, whole if whole <= UNBROKEN_EMS else min(_widest_piece(text), UNBROKEN_EMS))
        if len(_MEASURED) >= _MEASURED_MAX:
            _MEASURED.clear()
        _MEASURED[text] = got
    return got


def column_widths(rows: Sequence[Sequence[str]], available: int, em: int) -> list[int]:
    """Widths in twips of the columns of ``rows`` (header included), adding up to ``available``.

    ``em`` is the width of one em of cell text in twips (the font size in points × 20).
    """
    ncols = max((len(r) for r in rows), default=0)
    if ncols == 0:
        return []
    sizes = [[measure(str(r[c])) if c < len(r) else (0.0, 0.0) for r in rows] for c in range(ncols)]
    natural = [max(MIN_EMS, max(w[0] for w in col)) * em + CELL_PADDING for col in sizes]
    least = [max(MIN_EMS, max(w[1] for w in col)) * em + CELL_PADDING for col in sizes]
    if sum(natural) <= available:
        return _fill(natural, natural, available)
    if sum(least) >= available:
        return _fill([0.0] * ncols, least, available)
    # Everyone gets the least; what is left goes where text still has to wrap.
    return _fill(least, [n - m for n, m in zip(natural, least)], available)


def _fill(base: Sequence[float], weights: Sequence[float], available: int) -> list[int]:
    """``base`` plus ``available - sum(base)`` shared by ``weights``, in whole twips."""
    spare = available - sum(base)
    total = sum(weights) or 1.0
    cols = [int(b + spare * w / total) for b, w in zip(base, weights)]
    cols[-1] += available - sum(cols)
    return cols


#: A cell that is a quantity: 120 · 30.5 · 120万元 · 95%以上 · LKR 2 million · CNY 305,000.
_QUANTITY = re.compile(r"(?:[A-Z]{3} )?[-+]?\d[\d,]*(?:\.\d+)?(?: ?(?:million|billion))?[%‰万亿元人次个家所户张天岁以上内]{0,4}")


def numeric_columns(rows: Sequence[Sequence[str]]) -> list[bool]:
    """Which columns of ``rows`` (the body, without the header) hold only quantities: they
    are set flush right, so that the digits line up."""
    ncols = max((len(r) for r in rows), default=0)
    out = []
    for c in range(ncols):
        cells = [str(r[c]).strip() for r in rows if c < len(r) and str(r[c]).strip()]
        out.append(bool(cells) and all(_QUANTITY.fullmatch(x) for x in cells))
    return out


def table_xml(header: Sequence[str], rows: Sequence[Sequence[str]], cols: list[int], width: int,
              runs: Callable[[str], str], styles: dict[str, str], shade_header: bool,
              keep_last_row: bool = False, strong: Callable[[str], str] | None = None,
              right_header: bool = True) -> str:
    """A ``w:tbl`` with a repeating header row and rows that never split; columns of
    quantities are set flush right.

    ``keep_last_row`` keeps the last row on the page of what follows the table; with
    ``strong`` (runs in bold), the last row is a total and set with it. ``right_header``
    sets the heading of a column of quantities flush right too (English practice; Chinese
    tables centre their headings).
    """
    ncols = len(cols)
    out = [
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{styles["PlanTable"]}"/>'
        f'<w:tblW w:w="{width}" w:type="dxa"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>'
    ]
    out.extend(f'<w:gridCol w:w="{c}"/>' for c in cols)
    out.append("</w:tblGrid>")
    shade = '<w:shd w:val="clear" w:color="auto" w:fill="E7ECF3"/>' if shade_header else ""
    tcpr = [f'<w:tcPr><w:tcW w:w="{c}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>' for c in cols]
    head_tcpr = [f'<w:tcPr><w:tcW w:w="{c}" w:type="dxa"/>{shade}<w:vAlign w:val="center"/></w:tcPr>'
                 for c in cols]

    right = numeric_columns(rows) + [False] * ncols
    jc = ['<w:jc w:val="right"/>' if right[c] else "" for c in range(ncols)]

    def row(cells, style, props, header, keep=False, write=runs):
        trpr = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>"
        cells = tuple(cells)[:ncols] + ("",) * (ncols - len(cells))
        extra = "<w:keepNext/>" if keep else ""
        align = jc if right_header or not header else [""] * ncols
        body = "".join(
            f'<w:tc>{p}<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra}{j}</w:pPr>{write(str(c))}</w:p></w:tc>'
            for p, c, j in zip(props, cells, align)
        )
        return f"<w:tr>{trpr}{body}</w:tr>"

    out.append(row(header, styles["PlanTableHeader"], head_tcpr, True, keep_last_row and not rows))
    last = len(rows) - 1
    out.extend(row(r, styles["PlanTableText"], tcpr, False, keep_last_row and i == last,
                   strong if strong is not None and i == last else runs)
               for i, r in enumerate(rows))
    out.append("</w:tbl>")
    return "".join(out)
