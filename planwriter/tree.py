"""The document tree: a small, format-neutral description of a rendered plan.

Composition turns a :class:`~planwriter.model.Plan` into a :class:`Document`;
writers turn a :class:`Document` into bytes or text.  Nodes carry *depth*
(``level``) and the name of their marker style, never numbering text: each writer
numbers headings and items with :class:`planwriter.numbering.Numberer`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union


@dataclass(frozen=True)
class Heading:
    """A heading at ``level`` (1 = top-level section), numbered in ``style`` (None: the
    default for its level; ``none`` and ``【】`` take no number)."""

    level: int
    text: str
    style: Optional[str] = None


@dataclass(frozen=True, init=False)
class Paragraph:
    """A body paragraph of plain text."""

    text: str

    def __init__(self, text: str) -> None:
        self.__dict__["text"] = text  # (frozen: the one field set without __setattr__)


#: Punctuation that may end a run-in title as it stands, per locale.
_FINAL_PUNCT = {"zh": frozenset("。！？；：，、.!?;:…"), "en": frozenset(".!?:;…")}
_FULL_STOP = {"zh": "。", "en": "."}


@dataclass(frozen=True, init=False)
class Item:
    """A numbered paragraph at ``level``; ``title`` is an optional run-in lead; ``style`` as
    for :class:`Heading`."""

    level: int
    text: str
    title: str = ""
    style: Optional[str] = None

    def __init__(self, level: int, text: str, title: str = "", style: Optional[str] = None) -> None:
        # The most made block of all: its fields set straight (frozen: no __setattr__).
        d = self.__dict__
        d["level"], d["text"], d["title"], d["style"] = level, text, title, style

    def lead(self, locale: str) -> str:
        """The run-in title as printed: closed with a full stop unless it ends in punctuation."""
        base = "zh" if locale.startswith("zh") else locale
        if not self.title or self.title[-1] in _FINAL_PUNCT[base]:
            return self.title
        return self.title + _FULL_STOP[base]


@dataclass(frozen=True)
class Table:
    """A table with one header row; every row has as many cells as the header. ``total`` is a
    last row that sums the others (a budget's 合计); ``notes`` are printed under it."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    widths: tuple[float, ...] = ()  # relative column widths; empty = from the content
    notes: tuple[str, ...] = ()
    total: Optional[tuple[str, ...]] = None


@dataclass(frozen=True)
class Fields:
    """Labelled lines of one thing, such as an action's lead, timeline and budget:
    ``(label, value)`` pairs, printed together as one compact block."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Addressees:
    """To whom the document goes (主送机关), on a line of its own after the title."""

    text: str


@dataclass(frozen=True)
class Attachments:
    """The attachments of the document (附件：1. … 2. …), after the body."""

    label: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class PageBreak:
    """The next block starts a new page (between a transmittal notice and its plan)."""


@dataclass(frozen=True)
class Signature:
    """The closing block: issuing body (and any others) and date, already formatted as text."""

    issuer: str
    date: str
    others: tuple[str, ...] = ()

    @property
    def issuers(self) -> tuple[str, ...]:
        return ((self.issuer,) if self.issuer else ()) + self.others


Block = Union[Heading, Paragraph, Item, Table, Fields, Addressees, Attachments, PageBreak, Signature]


@dataclass(frozen=True)
class Document:
    """A whole document: its locale, title and blocks in reading order.

    ``doc_number`` is printed above the title and ``subtitle`` under it; ``notice`` is a
    transmittal notice printed before the document, on pages of its own; ``numbering`` the
    plan's marker styles by depth.
    """

    locale: str
    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    #: For each block, the field path of the plan it was made from (empty when unknown).
    origins: tuple[str, ...] = field(default_factory=tuple, compare=False, repr=False)
    subtitle: str = ""
    doc_number: str = ""
    notice: Optional["Document"] = None
    numbering: tuple[Optional[str], ...] = ()

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]
