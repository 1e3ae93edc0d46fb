"""Plain text (.txt): every non-blank line is a paragraph, with its indent and source line.

Joining lines that a fixed width broke (text copied from a PDF or a web page) is left to
the shared stage, which does it for every format.
"""
from __future__ import annotations

from .lines import Line

_INDENT = {" ": 1, "\t": 4, "\u3000": 2, "\xa0": 1}


def lines_of(text: str) -> list[Line]:
    """The paragraphs of a plain text, one :class:`Line` per non-blank line."""
    out: list[Line] = []
    blank = True
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        raw = raw.replace("\f", "")
        stripped = raw.strip(" \t\u3000\xa0\ufeff")
        if not stripped:
            blank = True
            continue
        indent = 0
        for ch in raw:
            if ch not in _INDENT:
                break
            indent += _INDENT[ch]
        out.append(Line(stripped, number, indent=indent, blank_before=blank))
        blank = False
    return out
