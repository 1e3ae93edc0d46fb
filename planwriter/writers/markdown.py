"""Markdown writer: a Document as CommonMark with GFM tables.

The title is a level-1 heading and a heading at tree level L is a level L+1
heading; numbered items are paragraphs that begin with their number.  User
text is escaped so that it never turns into Markdown structure.
"""
from __future__ import annotations

import re

from ..numbering import Numberer
from ..tree import Document, Heading, Item, Paragraph, Signature, Table

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
        self.numbers = Numberer(doc.locale)

    def write(self) -> str:
        out = [f"# {escape_inline(self.doc.title)}"]
        for block in self.doc.blocks:
            out.append(getattr(self, type(block).__name__.lower())(block))
        return "\n\n".join(out) + "\n"

    def heading(self, h: Heading) -> str:
        return f"{'#' * (h.level + 1)} {escape_inline(self.numbers.next(h.level) + _line(h.text))}"

    def paragraph(self, p: Paragraph) -> str:
        return _text(p.text)

    def item(self, i: Item) -> str:
        number = self.numbers.next(i.level)
        text, lead = _line(i.text), _line(i.lead(self.doc.locale))  # a line break would end the paragraph
        if not lead:
            line = escape_inline(number + text)
        elif self.doc.locale == "zh":
            # No emphasis: CommonMark will not close ** after CJK punctuation.
            line = escape_inline(number + lead + text)
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
        return "\n".join(lines)

    def signature(self, s: Signature) -> str:
        return _text(s.issuer) + "  \n" + _text(s.date) if s.issuer else _text(s.date)


def _line(text: str) -> str:
    """Text on one line: a newline inside a heading or an item would end it early."""
    if "\n" not in text:
        return text.strip()
    return " ".join(text.split("\n")).strip()


def write_markdown(doc: Document) -> str:
    """Serialise a Document to Markdown text."""
    return MarkdownWriter(doc).write()
