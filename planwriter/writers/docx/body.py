"""The body markup: one method per node type of the document tree."""
from __future__ import annotations

import re

from ...numbering import Numberer
from ...tree import (Addressees, Attachments, Document, Fields, Heading, Item, PageBreak, Paragraph,
                     Signature, Table)
from .tables import column_widths, em_width, table_xml

# XML 1.0 forbids most C0 controls, lone surrogates and U+FFFE/U+FFFF (compiled when first
# needed: the class spans most of Unicode and takes milliseconds to compile).
_INVALID_XML: re.Pattern | None = None

#: Cell text size in points, per locale, as in the bundled table styles.
_CELL_PT = {"zh": 14, "en": 10}
#: What keeps the last body paragraph on the page of the signature (GB/T 9704 7.3.5: the
#: signature never stands on a page without body text), with two of its lines at least.
_KEEP = "<w:keepNext/><w:widowControl/>"
#: A paragraph that starts at the margin, without the body's first-line indent.
_NO_INDENT = '<w:ind w:firstLineChars="0" w:firstLine="0"/>'
_SPACING_TIGHT = '<w:spacing w:before="0" w:after="0"/>'


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


#: Where a Chinese title may break: after 关于印发, before or after a year, before the kind of document or
#: 的通知 (GB/T 9704 7.3.1: a title of several lines breaks where its meaning does).
_TITLE_BREAKS = re.compile(r"(?<=关于印发)|(?<=关于)|(?<=\d年)|(?<=年度)|(?<=》)|(?<![\d《])(?=\d{4}年)"
                           r"|(?=(?:工作计划|工作要点|实施方案|工作方案|行动方案|工作规划|的通知))")
#: The title's size in twips an em (2号, 22 pt).
_TITLE_EM = 440


def title_lines(title: str, capacity: float) -> str:
    """A Chinese title too long for one line, broken where its meaning does and into lines as
    even as can be, the first no shorter (关于印发《青山县卫生健康局2025年 / 工作计划》的通知);
    as it is when it fits, or when no break gives lines that fit."""
    if "\n" in title or em_width(title) <= capacity:
        return title
    best: tuple[float, int] | None = None
    for m in _TITLE_BREAKS.finditer(title):
        first, rest = em_width(title[:m.start()]), em_width(title[m.start():])
        if not first or not rest or first > capacity or rest > capacity:
            continue
        score = abs(first - rest) + (0.5 if first < rest else 0)
        if best is None or score < best[0]:
            best = (score, m.start())
    return title if best is None else title[:best[1]] + "\n" + title[best[1]:]


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
        self.zh = locale.startswith("zh")
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

    def _bold_runs(self, text: str) -> str:
        """Runs in bold (a total row)."""
        return runs(text, '<w:rPr><w:rFonts w:hint="eastAsia"/><w:b/><w:bCs/></w:rPr>' if self.zh
                    else "<w:rPr><w:b/><w:bCs/></w:rPr>")

    def build(self, doc: Document) -> str:
        out: list[str] = []
        if doc.notice is not None:
            out.append(self.build(doc.notice))
        rpr = self.rpr
        body, centred = self.style("PlanBody"), _NO_INDENT + '<w:jc w:val="center"/>'
        if doc.doc_number:
            out.append(para(body, runs(doc.doc_number, rpr), centred))
        if doc.title:
            title = title_lines(doc.title, self.width / _TITLE_EM) if self.zh else doc.title
            out.append(para(self.style("PlanTitle"), runs(title, rpr)))
        for line in doc.subtitle.split("\n"):
            if line.strip():
                out.append(para(body, runs(line, rpr), centred))
        numberer = Numberer(doc.locale, doc.numbering)
        # Where the text of the latest item or heading at each level starts (None: a heading).
        self._text_at: dict[int, int | None] = {}
        blocks = doc.blocks
        for k, block in enumerate(blocks):
            keep = k + 1 < len(blocks) and isinstance(blocks[k + 1], (Signature, Attachments))
            if isinstance(block, Paragraph):
                out.append(para(body, runs(block.text, rpr), _KEEP if keep else ""))
            elif isinstance(block, Item):
                out.append(self._item(numberer, block, keep))
            elif isinstance(block, Heading):
                marker, text = numberer.label(block.level, block.text, block.style)
                self._text_at = {lv: x for lv, x in self._text_at.items() if lv < block.level}
                self._text_at[block.level] = None
                out.append(para(self.style(f"Heading{block.level}"), runs(marker + text, rpr),
                                _KEEP if keep else ""))
            elif isinstance(block, Table):
                out.append(self._table(block, keep))
            elif isinstance(block, Signature):
                out.append(self._signature(block))
            elif isinstance(block, Fields):
                out.append(self._fields(block, keep))
            elif isinstance(block, Addressees):
                text = block.text if block.text[-1:] in "：:" else block.text + ("：" if self.zh else ":")
                out.append(para(body, runs(text, rpr), _NO_INDENT))
            elif isinstance(block, Attachments):
                out.append(self._attachments(block))
            elif isinstance(block, PageBreak):
                out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
            else:  # pragma: no cover - the tree has no other node types
                raise TypeError(f"cannot write {type(block).__name__} to DOCX")
        return "".join(out)

    def _item(self, numberer: Numberer, item: Item, keep: bool) -> str:
        style = self.style(f"PlanItem{item.level}")
        rpr = self.rpr
        ppr = _KEEP if keep else ""
        if self.zh:
            if not item.title:
                marker, text = numberer.label(item.level, item.text, item.style)
                return para(style, runs(marker + text, rpr), ppr)
            marker, title = numberer.label(item.level, item.lead(self.locale), item.style)
            return para(style, runs(marker, rpr) + runs(title, self.title_rpr) + runs(item.text, rpr), ppr)
        # English: the number hangs in the indent, separated by a tab.
        ppr += self._indent(item.level)
        first = item.lead("en") if item.title else item.text
        marker, first = numberer.label(item.level, first, item.style)
        lead = f'<w:r><w:t xml:space="preserve">{esc(marker.rstrip())}</w:t><w:tab/></w:r>' \
            if marker else ""
        if not item.title:
            return para(style, lead + runs(first), ppr)
        text = (" " + item.text) if item.text else ""
        return para(style, lead + runs(first, self.title_rpr) + runs(text), ppr)

    def _fields(self, f: Fields, keep: bool) -> str:
        """An action's lines: the label (as a run-in title) and the value, a line each."""
        sep = "：" if self.zh else ": "
        out = []
        for i, (label, value) in enumerate(f.pairs):
            last = i == len(f.pairs) - 1
            out.append(para(self.style("PlanBody"), runs(label + sep, self.title_rpr) + runs(value, self.rpr),
                            ("<w:keepNext/>" if not last or keep else "") + _SPACING_TIGHT
                            + ("" if self.zh else _NO_INDENT)))  # Chinese lines indent as the body does
        return "".join(out)

    def _attachments(self, a: Attachments) -> str:
        """附件：1.… with the later ones aligned under the first (GB/T 9704 7.3.4)."""
        sep = "：" if self.zh else ": "
        body, rpr = self.style("PlanBody"), self.rpr
        if len(a.items) == 1:
            return para(body, runs(a.label + sep + a.items[0], rpr), '<w:spacing w:before="320"/>')
        num = "{}." if self.zh else "{}. "
        out = [para(body, runs(a.label + sep + num.format(1) + a.items[0], rpr),
                    '<w:spacing w:before="320"/>')]
        hang = em_width(a.label + sep) if self.zh else 0
        for i, item in enumerate(a.items[1:], 2):
            ind = (f'<w:ind w:firstLineChars="{int(200 + hang * 100)}" w:firstLine="{int((2 + hang) * 320)}"/>'
                   if self.zh else '<w:ind w:left="1440" w:firstLine="0"/>')
            out.append(para(body, runs(num.format(i) + item, rpr), ind))
        return "".join(out)

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
        cols = column_widths([table.header, *table.rows, *([table.total] if table.total else [])],
                             self.width, em)
        out: list[str] = []
        if table.caption:
            out.append(para(self.style("PlanCaption"), runs(table.caption, self.rpr)))
        rows = table.rows + ((table.total,) if table.total is not None else ())
        out.append(table_xml(table.header, rows, cols, self.width, lambda t: runs(t, self.rpr),
                             {sid: self.style(sid) for sid in ("PlanTable", "PlanTableHeader", "PlanTableText")},
                             shade_header=not self.zh, keep_last_row=keep,
                             strong=self._bold_runs if table.total is not None else None,
                             right_header=not self.zh))
        # Keep a following paragraph from touching the table's bottom border.
        out.append(f'<w:p><w:pPr><w:pStyle w:val="{self.style("PlanBody")}"/>{"<w:keepNext/>" if keep else ""}'
                   '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:rPr><w:sz w:val="12"/></w:rPr>'
                   '</w:pPr></w:p>')
        for note in table.notes:  # 注：… under the table, at the margin
            out.append(para(self.style("PlanBody"), runs(note, self.rpr),
                            ("<w:keepNext/>" if keep else "") + _NO_INDENT))
        return "".join(out)

    def _signature(self, sig: Signature) -> str:
        """The issuers, one a line (the lead issuer first, GB/T 9704 7.3.5.2), and the date."""
        rpr = self.rpr
        issuers = sig.issuers
        out = []
        date_ppr, wd = "", 0.0
        if self.zh and issuers and sig.date:
            # GB/T 9704 7.3.5.1: the date sits four characters from the right
            # margin and each issuer is centred over the date.
            wd = em_width(sig.date)
            date_ppr = self._right_ind(4.0)
        for k, issuer in enumerate(issuers):
            ppr = "<w:keepNext/>" + ('<w:spacing w:before="0"/>' if k else "")
            if date_ppr:
                ppr += self._right_ind(max(0.0, 4 + (wd - em_width(issuer)) / 2))
            out.append(para(self.style("PlanSignature"), runs(issuer, rpr), ppr))
        if sig.date:
            if not issuers:
                date_ppr = '<w:spacing w:before="1158"/>' + date_ppr if self.zh else '<w:spacing w:before="480"/>'
            out.append(para(self.style("PlanDate"), runs(sig.date, rpr), date_ppr))
        return "".join(out)

    @staticmethod
    def _right_ind(chars: float) -> str:
        return f'<w:ind w:rightChars="{int(round(chars * 100))}" w:right="{int(round(chars * 320))}"/>'
