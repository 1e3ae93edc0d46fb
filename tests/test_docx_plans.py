"""Whole plans as DOCX: reopened with python-docx, text and styles against golden files."""
import io

import docx
import pytest
from docx.oxml.ns import qn

import planwriter
from planwriter.numbering import Numberer
from planwriter.tree import Heading, Item, Paragraph, Signature, Table

from conftest import EXAMPLE_CASES



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


@pytest.mark.parametrize("path, locale", EXAMPLE_CASES)
def test_docx_text_and_styles_match_golden(path, locale, golden):
    data = planwriter.render_docx(planwriter.load(path), locale)
    golden(f"docx/{path.stem}.{locale}.txt", extract(data))


@pytest.mark.parametrize("path, locale", EXAMPLE_CASES)
def test_docx_holds_every_heading_item_paragraph_and_table(path, locale):
    plan = planwriter.load(path)
    doc = planwriter.compose(plan, locale)
    d = docx.Document(io.BytesIO(planwriter.render_docx(plan, locale)))
    texts = [p.text.replace("\t", " " if locale == "en" else "") for p in d.paragraphs]
    first = doc.notice if doc.notice is not None else doc  # a transmittal notice comes first
    assert texts[0] == (first.doc_number or first.title)
    assert doc.title in texts
    numbers = Numberer(locale, doc.numbering)
    wanted = []
    for b in doc.blocks:
        if isinstance(b, Heading):
            wanted.append("".join(numbers.label(b.level, b.text, b.style)))
        elif isinstance(b, Item):
            first = b.lead(locale) if b.title else b.text
            wanted.append(numbers.label(b.level, first, b.style)[0].strip())  # number first; title and text follow
            wanted.append(b.text)
        elif isinstance(b, Paragraph):
            wanted.append(b.text)
        elif isinstance(b, Signature):
            wanted += [*b.issuers, b.date]
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
        assert [tuple(c.text for c in r.cells) for r in dt.rows[1:]] == \
            list(t.rows) + ([t.total] if t.total is not None else [])


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_items_at_one_level_are_all_headings_when_one_has_sub_items(locale):
    from conftest import make_plan
    from planwriter.writers.markdown import write_markdown

    plan = make_plan([{"kind": "tasks", "items": [
        {"title": {"zh": "加强质量管理", "en": "Quality"}, "text": {"zh": "每月检查。", "en": "Inspect monthly."},
         "items": [{"text": {"zh": "结果通报。", "en": "Publish results."}}]},
        {"title": {"zh": "合理用药", "en": "Medicines"}, "text": {"zh": "每月点评处方。", "en": "Review prescriptions."}},
    ]}, {"kind": "safeguards", "items": [
        {"title": {"zh": "组织保障", "en": "Leadership"}, "text": {"zh": "成立领导小组。", "en": "Form a group."}},
        {"title": {"zh": "经费保障", "en": "Funding"}, "text": {"zh": "落实经费。", "en": "Fund the work."}},
    ]}])
    doc = planwriter.compose(plan, locale)
    tasks = [b for b in doc.blocks if isinstance(b, (Heading, Item)) and b.level == 2]
    assert [type(b).__name__ for b in tasks] == ["Heading", "Heading", "Item", "Item"]
    # the same in both formats: headings in the DOCX (built-in heading 2) and in Markdown (###)
    d = docx.Document(io.BytesIO(planwriter.render_docx(plan, locale)))
    styles = [p.style.style_id for p in d.paragraphs if p.text.startswith(("（一）", "（二）", "1.1 ", "1.2 ",
                                                                          "2.1\t", "2.2\t"))]
    assert styles[:2] == ["Heading2", "Heading2"] and set(styles[2:]) == {"PlanItem2"}
    md = write_markdown(doc)
    first, second = (("（一）加强质量管理", "（二）合理用药") if locale == "zh" else ("1.1 Quality", "1.2 Medicines"))
    assert f"### {first}\n" in md and f"### {second}\n" in md
