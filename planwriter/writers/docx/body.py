"""The body markup: one method per node type of the document tree."""
from __future__ import annotations

import re

from ...numbering import Numberer
from ...tree import Document, Heading, Item, Paragraph, Signature, Table
from .tables import column_widths, em_width, table_xml

# XML 1.0 forbids most C0 controls, lone surrogates and U+FFFE/U+FFFF (compiled when first
# needed: the class spans most of Unicode and takes milliseconds to compile).
_INVALID_XML: re.Pattern | None = None

#: Cell text size in points, per locale, as in the bundled table styles.
_CELL_PT = {"zh": 14, "en": 10}
#: What keeps the last body paragraph on the page of the signature (GB/T 9704 7.3.5: the
#: signature never stands on a page without body text), with two of its lines at least.
_KEEP = "<w:keepNext/><w:widowControl/>"


def esc(text: str) -> str:
    """``text`` escaped for XML character data, without characters XML cannot hold."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if not text.isprintable():  # cheap pre-check; most text never reaches the regex
        global _INVALID_XML
        if _INVALID_XML is None:
            _INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
        text = _INVALID_XML.sub("", text)
    return text


def runs(text: str, rpr: str = "") -> str:
    """Runs for ``text``; line feeds become breaks and tabs become tab stops."""
    open_ = f"<w:r>{rpr}" if rpr else "<w:r>"
    if "\n" not in text and "\t" not in text and "\r" not in text:
        return f'{open_}<w:t xml:space="preserve">{esc(text)}</w:t></w:r>' if text else ""
    out = [open_]
    for k, line in enumerate(re.split(r"\r\n|\r|\n", text)):
        if k:
            out.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                out.append("<w:tab/>")
            if piece:
                out.append(f'<w:t xml:space="preserve">{esc(piece)}</w:t>')
    out.append("</w:r>")
    return "".join(out)


def para(style: str, content: str, extra_ppr: str = "") -> str:
    """A paragraph of ``style``; ``extra_ppr`` follows the style in schema order."""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra_ppr}</w:pPr>{content}</w:p>'


class BodyBuilder:
    """Builds the ``w:body`` content for one locale, text width and set of style IDs.

    ``item_indents`` maps an item level to its style's (left, hanging) indent in twips;
    English sub-items of an item are indented so that their number starts where their
    parent's text does, whatever level they are at.
    """

    def __init__(self, locale: str, text_width: int, styles: dict[str, str] | None = None,
                 item_indents: dict[int, tuple[int, int]] | None = None) -> None:
        self.locale = locale
        self.zh = locale == "zh"
        self.width = text_width
        self.styles = styles or {}
        self.indents = item_indents or {}
        # Chinese runs carry the East Asian hint so ambiguous punctuation (“ ” …)
        # is set in the CJK face.
        self.rpr = '<w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>' if self.zh else ""
        title_style = self.style("PlanItemTitle")
        self.title_rpr = (
            f'<w:rPr><w:rStyle w:val="{title_style}"/><w:rFonts w:hint="eastAsia"/></w:rPr>' if self.zh
            else f'<w:rPr><w:rStyle w:val="{title_style}"/></w:rPr>'
        )

    def style(self, sid: str) -> str:
        return self.styles.get(sid, sid)

    def build(self, doc: Document) -> str:
        out: list[str] = []
        rpr = self.rpr
        if doc.title:
            out.append(para(self.style("PlanTitle"), runs(doc.title, rpr)))
        numberer = Numberer(doc.locale)
        # Where the text of the latest item or heading at each level starts (None: a heading).
        self._text_at: dict[int, int | None] = {}
        blocks = doc.blocks
        for k, block in enumerate(blocks):
            keep = k + 1 < len(blocks) and isinstance(blocks[k + 1], Signature)
            if isinstance(block, Paragraph):
                out.append(para(self.style("PlanBody"), runs(block.text, rpr), _KEEP if keep else ""))
            elif isinstance(block, Item):
                out.append(self._item(numberer.next(block.level), block, keep))
            elif isinstance(block, Heading):
                prefix = numberer.next(block.level)
                self._text_at = {lv: x for lv, x in self._text_at.items() if lv < block.level}
                self._text_at[block.level] = None
                out.append(para(self.style(f"Heading{block.level}"), runs(prefix + block.text, rpr),
                                _KEEP if keep else ""))
            elif isinstance(block, Table):
                out.append(self._table(block, keep))
            elif isinstance(block, Signature):
                out.append(self._signature(block))
            else:  # pragma: no cover - the tree has no other node types
                raise TypeError(f"cannot write {type(block).__name__} to DOCX")
        return "".join(out)

    def _item(self, prefix: str, item: Item, keep: bool) -> str:
        style = self.style(f"PlanItem{item.level}")
        rpr = self.rpr
        ppr = _KEEP if keep else ""
        if self.zh:
            if not item.title:
                return para(style, runs(prefix + item.text, rpr), ppr)
            title = item.lead("zh")
            return para(style, runs(prefix, rpr) + runs(title, self.title_rpr) + runs(item.text, rpr), ppr)
        # English: the number hangs in the indent, separated by a tab.
        ppr += self._indent(item.level)
        lead = f'<w:r><w:t xml:space="preserve">{esc(prefix.rstrip())}</w:t><w:tab/></w:r>'
        if not item.title:
            return para(style, lead + runs(item.text), ppr)
        title = item.lead("en")
        text = (" " + item.text) if item.text else ""
        return para(style, lead + runs(title, self.title_rpr) + runs(text), ppr)

    def _indent(self, level: int) -> str:
        """Direct indentation that starts a sub-item's number at its parent item's text."""
        left, hanging = self.indents.get(level, (0, 0))
        parent = self._text_at.get(level - 1) if level > 1 else None
        self._text_at = {lv: x for lv, x in self._text_at.items() if lv < level}
        start = parent if parent is not None else 0
        self._text_at[level] = start + hanging
        if start == left - hanging:
            return ""
        return f'<w:ind w:left="{start + hanging}" w:hanging="{hanging}"/>'

    def _table(self, table: Table, keep: bool) -> str:
        if not table.header:
            return ""
        em = _CELL_PT["zh" if self.zh else "en"] * 20
        cols = column_widths([table.header, *table.rows], self.width, em)
        out: list[str] = []
        if table.caption:
            out.append(para(self.style("PlanCaption"), runs(table.caption, self.rpr)))
        out.append(table_xml(table.header, table.rows, cols, self.width, lambda t: runs(t, self.rpr),
                             {sid: self.style(sid) for sid in ("PlanTable", "PlanTableHeader", "PlanTableText")},
                             shade_header=not self.zh, keep_last_row=keep))
        # Keep a following paragraph from touching the table's bottom border.
        out.append(f'<w:p><w:pPr><w:pStyle w:val="{self.style("PlanBody")}"/>{"<w:keepNext/>" if keep else ""}'
                   '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:rPr><w:sz w:val="12"/></w:rPr>'
                   '</w:pPr></w:p>')
        return "".join(out)

    def _signature(self, sig: Signature) -> str:
        rpr = self.rpr
        issuer_ppr = date_ppr = ""
        if self.zh and sig.issuer and sig.date:
            # GB/T 9704 7.3.5.1: the date sits four characters from the right
            # margin and the issuer is centred over the date.
            wi, wd = em_width(sig.issuer), em_width(sig.date)
            issuer_chars, date_chars = max(0.0, 4 + (wd - wi) / 2), 4.0
            issuer_ppr = self._right_ind(issuer_chars)
            date_ppr = self._right_ind(date_chars)
        out = []
        if sig.issuer:
            out.append(para(self.style("PlanSignature"), runs(sig.issuer, rpr), issuer_ppr))
        if sig.date:
            if not sig.issuer:
                date_ppr = '<w:spacing w:before="1158"/>' + date_ppr if self.zh else '<w:spacing w:before="480"/>'
            out.append(para(self.style("PlanDate"), runs(sig.date, rpr), date_ppr))
        return "".join(out)

    @staticmethod
    def _right_ind(chars: float) -> str:
        return f'<w:ind w:rightChars="{int(round(chars * 100))}" w:right="{int(round(chars * 320))}"/>'
