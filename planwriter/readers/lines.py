"""What every reader hands to the shared stage: paragraphs with hints, and findings.

A format reader (text, Markdown, DOCX, HTML) only turns its input into a list of
:class:`Line` objects: the text of each paragraph with what the format says about it (a
heading level, list numbering, bold, alignment, a table, the element it sat in) and
the source line it came from.  :mod:`planwriter.readers.build` turns those lines into a
plan, whatever the format was.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

FindingKind = Literal["dropped", "guessed", "placeholder", "changed", "kept"]


@dataclass
class Line:
    """One paragraph of an input, with what its format says about it.

    ``line`` and ``end`` are 1-based source lines (for DOCX: the body paragraph or table
    row, counted in document order).  ``level`` is a heading level the format gives
    (Markdown ``#``, a DOCX heading style or outline level, HTML ``h1``–``h6``);
    ``marker`` numbering the format supplies (DOCX numbering, a Markdown ordered list's
    ``3.``), with ``list_id`` and ``list_level`` saying which list and how deep.
    ``lead`` is a bold run the paragraph starts with (a run-in title).  ``table`` holds
    the rows of a table and ``row_lines`` the source line of each row.  ``zone`` names the page part an HTML element sat in
    (``nav``, ``footer``, ``aside`` …) and ``links`` how much of the text was link text.
    """

    text: str
    line: int
    end: int = 0
    level: int | None = None
    style: str = ""
    marker: str = ""
    list_id: str = ""
    list_level: int | None = None
    bold: bool = False
    lead: str = ""
    align: str = ""
    table: list[list[str]] | None = None
    row_lines: list[int] | None = None
    zone: str = ""
    links: float = 0.0
    blank_before: bool = True
    indent: int = 0

    def __post_init__(self) -> None:
        if not self.end:
            self.end = self.line

    def but(self, **changes) -> "Line":
        """A copy with some fields changed."""
        return replace(self, **changes)


@dataclass(frozen=True)
class Finding:
    """What a reader dropped, guessed, kept as a placeholder or changed, and where.

    ``str()`` is one line: ``page.txt:12: dropped: site navigation: '当前位置:…'``.
    """

    kind: FindingKind
    message: str
    line: int | None = None
    text: str = ""
    file: str = ""

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        excerpt = self.text if len(self.text) <= 40 else self.text[:39] + "…"
        tail = f": {excerpt!r}" if excerpt else ""
        from ..errors import one_line
        return one_line(f"{where}: {self.kind}: {self.message}{tail}")

    def as_dict(self) -> dict:
        return {"kind": self.kind, "message": self.message, "file": self.file,
                "line": self.line, "text": self.text}


@dataclass
class Findings:
    """The findings of one import, in the order they were made."""

    file: str = ""
    items: list[Finding] = field(default_factory=list)

    def add(self, kind: FindingKind, message: str, line: int | None = None, text: str = "") -> None:
        self.items.append(Finding(kind, message, line, text, self.file))

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)
