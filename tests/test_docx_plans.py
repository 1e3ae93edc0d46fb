"""Whole plans as DOCX: reopened with python-docx, text and styles against golden files."""
import io

import docx
import pytest
from docx.oxml.ns import qn

import planwriter
from planwriter.numbering import Numberer
from planwriter.tree import Heading, Item, Paragraph, Signature, Table

from conftest import EXAMPLES

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def extract(data: bytes) -> str:
    """One line per paragraph or table row: style, East Asian font of its style, text."""
    d = docx.Document(io.BytesIO(data))
    fonts = {}
    for s in d.styles.element.findall(qn("w:style")):
        rfonts = s.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        fonts[s.get(qn("w:styleId"))] = rfonts.get(qn("w:eastAsia"), "") if rfonts is not None else ""
    lines = []
    body = d.element.body
    for el in body:
        if el.tag == qn("w:p"):
            p = docx.text.paragraph.Paragraph(el, d)
            sid = p.style.style_id if p.style is not None else ""
            lines.append(f"{sid} [{fonts.get(sid, '')}] {p.text}")
        elif el.tag == qn("w:tbl"):
            t = docx.table.Table(el, d)
            for r, row in enumerate(t.rows):
                header = "header" if row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None else "row"
                lines.append(f"{header}: " + " | ".join(c.text for c in row.cells))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("locale", ["zh", "en"])
def test_docx_text_and_styles_match_golden(path, locale, golden):
    data = planwriter.render_docx(planwriter.load(path), locale)
    golden(f"docx/{path.stem}.{locale}.txt", extract(data))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("locale", ["zh", "en"])
def test_docx_holds_every_heading_item_paragraph_and_table(path, locale):
    plan = planwriter.load(path)
    doc = planwriter.compose(plan, locale)
    d = docx.Document(io.BytesIO(planwriter.render_docx(plan, locale)))
    texts = [p.text.replace("\t", " " if locale == "en" else "") for p in d.paragraphs]
    assert texts[0] == doc.title
    numbers = Numberer(locale)
    wanted = []
    for b in doc.blocks:
        if isinstance(b, Heading):
            wanted.append(numbers.next(b.level) + b.text)
        elif isinstance(b, Item):
            wanted.append(numbers.next(b.level).strip())  # number first; title and text follow
            wanted.append(b.text)
        elif isinstance(b, Paragraph):
            wanted.append(b.text)
        elif isinstance(b, Signature):
            wanted += [b.issuer, b.date]
    joined = "\n".join(texts)
    pos = 0
    for w in wanted:  # every piece appears, in document order
        found = joined.find(w, pos)
        assert found >= 0, f"missing or out of order: {w!r}"
        pos = found + len(w) if w else pos
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(d.tables) == len(tables)
    for t, dt in zip(tables, d.tables):
        assert tuple(c.text for c in dt.rows[0].cells) == t.header
        assert [tuple(c.text for c in r.cells) for r in dt.rows[1:]] == list(t.rows)
