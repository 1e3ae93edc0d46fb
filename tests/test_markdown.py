"""Markdown output: golden files, and Markdown that parses back to the plan's structure."""
import pytest
from markdown_it import MarkdownIt

import planwriter
from planwriter.numbering import Numberer
from planwriter.tree import Addressees, Attachments, Fields, Heading, Item, Paragraph, Signature, Table
from planwriter.writers.markdown import write_markdown

from conftest import EXAMPLE_CASES, make_plan

MD = MarkdownIt("commonmark").enable("table")


def plain(token):
    """The text a reader sees in an inline token (escapes resolved, emphasis dropped)."""
    out = []
    for c in token.children:
        if c.type in ("text", "code_inline"):
            out.append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


def parse(text):
    """(headings as (level, text), paragraph texts, table body rows) from Markdown."""
    tokens = MD.parse(text)
    headings, paragraphs, rows, in_body = [], [], 0, False
    for i, t in enumerate(tokens):
        if t.type == "heading_open":
            headings.append((int(t.tag[1]), plain(tokens[i + 1])))
        elif t.type == "paragraph_open":
            paragraphs.append(plain(tokens[i + 1]))
        elif t.type in ("tbody_open", "tbody_close"):
            in_body = t.type == "tbody_open"
        elif t.type == "tr_open" and in_body:
            rows += 1
    return headings, paragraphs, rows


def expected(doc):
    """Headings and paragraph texts a reader should find, numbered as the writer numbers: a
    transmittal notice first, then the plan's number, title, status lines and body."""
    heads, paras = [], []
    for part in ([doc.notice] if doc.notice is not None else []) + [doc]:
        h, p = _expected_part(part)
        heads += h
        paras += p
    return heads, paras


def _expected_part(doc):
    numbers = Numberer(doc.locale, doc.numbering)
    heads, paras = [(1, doc.title)], [doc.doc_number] if doc.doc_number else []
    paras += [line for line in doc.subtitle.split("\n") if line.strip()]
    stop = "。" if doc.locale == "zh" else "."
    colon = "：" if doc.locale == "zh" else ":"
    for b in doc.blocks:
        if isinstance(b, Addressees):
            paras.append(b.text if b.text[-1:] in "：:" else b.text + colon)
        elif isinstance(b, Fields):
            sep = "：" if doc.locale == "zh" else ": "
            paras.append("\n".join(label + sep + value for label, value in b.pairs))
        elif isinstance(b, Table):
            paras += [b.caption] if b.caption else []
            paras += ["\n".join(b.notes)] if b.notes else []
        elif isinstance(b, Attachments):
            sep, num = ("：", "{}.") if doc.locale == "zh" else (": ", "{}. ")
            paras.append(b.label + sep + ("\n".join(num.format(i + 1) + x for i, x in enumerate(b.items))
                                          if len(b.items) > 1 else b.items[0]))
        if isinstance(b, Heading):
            heads.append((b.level + 1, "".join(numbers.label(b.level, b.text, b.style))))
        elif isinstance(b, Item):
            lead = (b.title + ("" if b.title[-1] in "。.:：" else stop) + ("" if doc.locale == "zh" else " ")
                    if b.title else "")
            paras.append("".join(numbers.label(b.level, lead + b.text, b.style)).rstrip())
        elif isinstance(b, Paragraph):
            paras.append(b.text)
        elif isinstance(b, Signature):
            paras.append("\n".join((*b.issuers, b.date)))
    return heads, paras




@pytest.mark.parametrize("path, locale", EXAMPLE_CASES)
def test_examples_match_golden_markdown(path, locale, golden):
    plan = planwriter.load(path)
    golden(f"markdown/{path.stem}.{locale}.md", planwriter.render_markdown(plan, locale))


@pytest.mark.parametrize("path, locale", EXAMPLE_CASES)
def test_markdown_parses_back_to_the_same_structure(path, locale):
    doc = planwriter.compose(planwriter.load(path), locale)
    headings, paragraphs, rows = parse(write_markdown(doc))
    heads, paras = expected(doc)
    assert headings == heads
    assert paragraphs == paras
    assert rows == sum(len(b.rows) + (b.total is not None) for b in doc.blocks if isinstance(b, Table))


@pytest.mark.parametrize("text", ["1. not a list", "# not a heading", "- not a bullet", "> not a quote",
                                  "**not bold**", "a | b", "---", "<b>not html</b>", "[x](y)", "`code`",
                                  "back\\slash", "2) also not a list", "==="])
def test_user_text_never_becomes_structure(text):
    plan = make_plan([{"kind": "goals", "text": text, "items": [{"text": text}]}], locales=("en",))
    tokens = MD.parse(planwriter.render_markdown(plan))
    kinds = [t.type for t in tokens if t.type.endswith("_open")]
    assert kinds == ["heading_open", "heading_open", "paragraph_open", "paragraph_open"]
    inline = [t for t in tokens if t.type == "inline"]
    assert plain(inline[2]) == text
    assert plain(inline[3]) == "1.1 " + text


def test_table_cells_escape_pipes():
    plan = make_plan([{"kind": "schedule", "schedule": [{"when": "Q1", "what": "a | b"}]}],
                     locales=("en",))
    assert "| Q1 | a \\| b |" in planwriter.render_markdown(plan)


def test_tree_blocks_are_values_for_code_that_builds_documents():
    import dataclasses

    item = Item(2, "落实制度。", "加强管理")
    assert item == Item(level=2, text="落实制度。", title="加强管理", style=None)
    assert item != Item(2, "落实制度。", "加强管理", "1.")
    assert hash(item) == hash(Item(2, "落实制度。", "加强管理")) and len({item, Paragraph("x")}) == 2
    assert (item.title, item.style, Item(1, "x").title) == ("加强管理", None, "")
    assert repr(Paragraph("x")) == "Paragraph(text='x')"
    assert dataclasses.replace(item, level=3) == Item(3, "落实制度。", "加强管理")
    for block, name in ((item, "text"), (Paragraph("x"), "text")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(block, name, "changed")
    with pytest.raises(TypeError):
        Item(1)  # text is required
