"""The document tree: a small, format-neutral description of a rendered plan.

Composition turns a :class:`~planwriter.model.Plan` into a :class:`Document`;
writers turn a :class:`Document` into bytes or text.  Nodes carry *depth*
(``level``), never numbering text: each writer numbers headings and items
from their level with :mod:`planwriter.numbering`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True)
class Heading:
    """A numbered heading at ``level`` (1 = top-level section)."""

    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph of plain text."""

    text: str


#: Punctuation that may end a run-in title as it stands, per locale.
_FINAL_PUNCT = {"zh": frozenset("。！？；：，、.!?;:…"), "en": frozenset(".!?:;…")}
_FULL_STOP = {"zh": "。", "en": "."}


@dataclass(frozen=True)
class Item:
    """A numbered paragraph at ``level``; ``title`` is an optional run-in lead."""

    level: int
    text: str
    title: str = ""

    def lead(self, locale: str) -> str:
        """The run-in title as printed: closed with a full stop unless it ends in punctuation."""
        if not self.title or self.title[-1] in _FINAL_PUNCT[locale]:
            return self.title
        return self.title + _FULL_STOP[locale]


@dataclass(frozen=True)
class Table:
    """A table with one header row; every row has as many cells as the header."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    widths: tuple[float, ...] = ()  # relative column widths; empty = equal


@dataclass(frozen=True)
class Signature:
    """The closing block: issuing body and date, already formatted as text."""

    issuer: str
    date: str


Block = Union[Heading, Paragraph, Item, Table, Signature]


@dataclass(frozen=True)
class Document:
    """A whole document: its locale, title and blocks in reading order."""

    locale: str
    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    #: For each block, the field path of the plan it was made from (empty when unknown).
    origins: tuple[str, ...] = field(default_factory=tuple, compare=False, repr=False)

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]

