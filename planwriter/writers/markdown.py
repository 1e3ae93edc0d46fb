"""Markdown writer: a Document as CommonMark with GFM tables.

The title is a level-1 heading and a heading at tree level L is a level L+1
heading; numbered items are paragraphs that begin with their number.  User
text is escaped so that it never turns into Markdown structure.
"""
from __future__ import annotations

import re
from typing import Any

from ..numbering import Numberer
from ..tree import (Addressees, Attachments, Document, Fields, Heading, Item, PageBreak, Paragraph,
                    Signature, Table)

_INLINE = re.compile(r"([\\`*_\[\]<>#|~!&])")
# List markers need a following space (or end of line); '>' always quotes; a line of
# only '=' or '-' is a setext underline or a rule.
_BLOCK_START = re.compile(r"^(\s*)(>|[-+*](?=\s|$)|\d{1,9}[.)](?=\s|$)|[=-]+\s*$)")


def escape_inline(text: str) -> str:
    """Backslash-escape characters that Markdown reads as inline syntax."""
    return _INLINE.sub(r"\\\1", text) if _INLINE.search(text) else text


def escape_block_prefix(text: str) -> str:
    """Escape a line start that would be read as a list, quote or setext rule."""
    m = _BLOCK_START.match(text)
    if not m:
        return text
    marker = m.group(2)
    if marker[-1] in ".)":
        return m.group(1) + marker[:-1] + "\\" + marker[-1] + text[m.end():]
    return m.group(1) + "\\" + text[m.start(2):]


def _text(text: str) -> str:
    # Newlines inside one paragraph would end it early or start structure.
    return escape_block_prefix(escape_inline(_line(text)))


class MarkdownWriter:
    """Renders each node type with one method, mistune-style."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.chinese = doc.locale.startswith("zh")
        self.numbers = Numberer(doc.locale, doc.numbering)

    def write(self) -> str:
        out: list[str] = []
        if self.doc.notice is not None:
            out.append(MarkdownWriter(self.doc.notice).write().rstrip("\n"))
        out.extend(self.front(self.doc))
        methods: dict[type, Any] = {}
        for block in self.doc.blocks:
            kind = type(block)
            method = methods.get(kind)
            if method is None:
                method = methods[kind] = getattr(self, kind.__name__.lower())
            out.append(method(block))
        return "\n\n".join(out) + "\n"

    @staticmethod
    def front(doc: Document) -> list[str]:
        """The document number, the title and the lines under it."""
        out = [_text(doc.doc_number)] if doc.doc_number else []
        out.append(f"# {escape_inline(doc.title)}")
        out += [_text(line) for line in doc.subtitle.split("\n") if line.strip()]
        return out

    def heading(self, h: Heading) -> str:
        marker, text = self.numbers.label(h.level, _line(h.text), h.style)
        return f"{'#' * (h.level + 1)} {escape_inline(marker + text)}"

    def paragraph(self, p: Paragraph) -> str:
        return _text(p.text)

    def item(self, i: Item) -> str:
        text, lead = _line(i.text), _line(i.lead(self.doc.locale))  # a line break would end the paragraph
        if lead:
            number, lead = self.numbers.label(i.level, lead, i.style)
        else:
            number, text = self.numbers.label(i.level, text, i.style)
        if not lead:
            line = escape_inline(number + text)
        elif self.chinese:
            # No emphasis: CommonMark will not close ** after CJK punctuation.
            line = escape_inline(number + lead + text)
        elif number[:1].isalpha() and number.strip()[-1:] not in ".)":
            # A worded marker (Phase 1) belongs to the run-in title.
            line = f"**{escape_inline(number + lead)}** {escape_inline(text)}".rstrip()
        else:
            line = f"{escape_inline(number)}**{escape_inline(lead)}** {escape_inline(text)}".rstrip()
        # Escape the line as a whole: "2." alone looks like a list marker, "2.合理用药" does not.
        return escape_block_prefix(line)

    def table(self, t: Table) -> str:
        def row(cells) -> str:
            return "| " + " | ".join(escape_inline(" ".join(c.split())) or " " for c in cells) + " |"
        lines = [_text(t.caption), ""] if t.caption else []
        lines += [row(t.header), "| " + " | ".join("---" for _ in t.header) + " |"]
        lines += [row(r) for r in t.rows]
        if t.total is not None:
            lines.append(row(t.total))
        if t.notes:
            lines += ["", "  \n".join(_text(n) for n in t.notes)]
        return "\n".join(lines)

    def fields(self, f: Fields) -> str:
        sep = "：" if self.chinese else ": "
        if self.chinese:  # no emphasis after CJK punctuation (see item)
            return "  \n".join(_text(label + sep + value) for label, value in f.pairs)
        return "  \n".join(f"**{escape_inline(label)}**{sep}{escape_inline(_line(value))}"
                           for label, value in f.pairs)

    def addressees(self, a: Addressees) -> str:
        return _text(a.text + ("：" if self.chinese else ":") if a.text[-1:] not in "：:" else a.text)

    def attachments(self, a: Attachments) -> str:
        sep, num = ("：", "{}.") if self.chinese else (": ", "{}. ")
        if len(a.items) == 1:
            return _text(a.label + sep + a.items[0])
        lines = [a.label + sep + num.format(1) + a.items[0]]
        lines += [num.format(i) + item for i, item in enumerate(a.items[1:], 2)]
        return "  \n".join(_text(line) for line in lines)

    def pagebreak(self, b: PageBreak) -> str:
        return "---"

    def signature(self, s: Signature) -> str:
        return "  \n".join(_text(x) for x in (*s.issuers, s.date) if x)


def _line(text: str) -> str:
    """Text on one line: a newline inside a heading or an item would end it early."""
    if "\n" not in text:
        return text.strip()
    return " ".join(text.split("\n")).strip()


def write_markdown(doc: Document) -> str:
    """Serialise a Document to Markdown text."""
    return MarkdownWriter(doc).write()
