"""Property tests: random valid plans render to Markdown (and DOCX) whose structure
is exactly the composed document's, whatever the text holds."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import planwriter
from planwriter import Environment
from planwriter.model import COMPARATORS, SECTION_KINDS, UNITS
from planwriter.numbering import Numberer, leading_marker
from planwriter.tree import Heading, Item, Paragraph, Signature, Table

SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ENV = Environment()
MD = MarkdownIt("commonmark").enable("table")
YEAR = 2025

# -- text --------------------------------------------------------------------------------
# Everything the model accepts: any Unicode but C0 controls other than tab/newline,
# surrogates and non-characters.  Markdown-significant punctuation, CJK, emoji and
# combining marks are drawn more often than chance would.
_SPECIAL = list("#*_`[]()<>|\\!&~-+=.:>0123456789 \n\t") + ["```", "---", "1. ", "- ", "> ",
                                                         "&amp;", "<b>", "    ", "#"]
_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_EMOJI = st.sampled_from(["😀", "🏥", "👩‍⚕️", "🇨🇳", "❤️", "✅"])
_COMBINING = st.sampled_from(["e\u0301", "a\u0308", "\u0303", "ñ", "n\u0303"])
_ANY = st.characters(blacklist_categories=("Cs", "Cc", "Co"),
                     blacklist_characters="\ufffe\uffff")
_PIECE = st.one_of(st.sampled_from(_SPECIAL), _CJK, _EMOJI, _COMBINING, _ANY,
                   st.text(alphabet="abcdefghij ", min_size=1, max_size=6))

text = st.lists(_PIECE, min_size=1, max_size=12).map("".join).filter(lambda s: s.strip())
# Run-in and heading titles: a title is one line.
# A title never starts with a number of its own (planwriter numbers headings; the model
# refuses "1. Goals" as a title).
title = text.map(lambda s: " ".join(s.split())).filter(lambda s: bool(s) and not leading_marker(s))


def localised(strategy, locales):
    """A text for every language: one string, or a mapping when the plan is bilingual."""
    if len(locales) == 1:
        return strategy
    return st.one_of(strategy, st.fixed_dictionaries({lc: strategy for lc in locales}))


# -- times -------------------------------------------------------------------------------
def _month_range():
    return st.tuples(st.integers(1, 12), st.integers(1, 12)).map(
        lambda p: f"{YEAR}-{min(p):02d}..{YEAR}-{max(p):02d}")


when = st.one_of(
    st.sampled_from(["Q1", "Q2", "Q3", "Q4", "H1", "H2", f"{YEAR}", f"{YEAR}-Q3"]),
    st.integers(1, 12),
    st.integers(1, 12).map(lambda m: f"{YEAR}-{m:02d}"),
    st.integers(1, 12).map(lambda m: f"by {YEAR}-{m:02d}"),
    st.dates(min_value=__import__("datetime").date(YEAR, 1, 1),
             max_value=__import__("datetime").date(YEAR, 12, 31)).map(lambda d: d.isoformat()),
    _month_range(),
    st.sampled_from([f"{YEAR + 1}-Q1", f"{YEAR}-11..{YEAR + 1}-02", f"{YEAR + 1}-03-31"]),
)


# -- plans -------------------------------------------------------------------------------
def indicator(locales):
    return st.fixed_dictionaries({
        "name": localised(title, locales),
        "comparator": st.sampled_from([c for c in COMPARATORS if c != "eliminate"]),
        "value": st.one_of(st.integers(0, 10**6), st.floats(0, 1000, allow_nan=False).map(
            lambda f: round(f, 3))),
        "unit": st.sampled_from(UNITS),
    }, optional={"baseline": st.integers(0, 1000)})


def schedule_entry(locales):
    return st.fixed_dictionaries({"when": when, "what": localised(text, locales)},
                                 optional={"owner": localised(title, locales)})


def responsibility(locales):
    return st.fixed_dictionaries({"owner": localised(title, locales),
                                  "duties": localised(text, locales)})


def node(locales, depth):
    """An item (or section body) whose items nest at most ``depth`` more levels."""
    children = (st.lists(st.deferred(lambda: node(locales, depth - 1)), max_size=3)
                if depth > 0 else st.just([]))
    return st.fixed_dictionaries(
        {"text": localised(text, locales)},
        optional={"title": localised(title, locales), "items": children,
                  "indicators": st.lists(indicator(locales), max_size=2),
                  "schedule": st.lists(schedule_entry(locales), max_size=2),
                  "layout": st.sampled_from(["auto", "table", "list"])})


def section(locales):
    return st.tuples(st.sampled_from(SECTION_KINDS), node(locales, 3),
                     st.lists(responsibility(locales), max_size=2),
                     localised(title, locales)).map(_section)


def _section(args):
    kind, body, duties, head = args
    body = {**body, "kind": kind}
    if duties and kind not in ("preamble", "closing"):
        body["responsibilities"] = duties
    if kind == "custom":
        body["title"] = head
    return body


@st.composite
def plans(draw):
    locales = draw(st.sampled_from([["zh"], ["en"], ["zh", "en"]]))
    meta = {"organisation": draw(localised(title, locales)), "locales": locales}
    if draw(st.booleans()):
        meta["year"] = YEAR
    else:  # a plan across two years, July to June
        meta["period"] = {"start": f"{YEAR}-07-01", "end": f"{YEAR + 1}-06-30"}
    if draw(st.booleans()):
        meta["date"] = "2025-01-15"
    if draw(st.booleans()):
        meta["title"] = draw(localised(title, locales))
    return planwriter.Plan.model_validate(
        {"meta": meta, "sections": draw(st.lists(section(locales), min_size=1, max_size=4))})


# -- reading Markdown back ------------------------------------------------------------------
def _inline_text(token) -> str:
    out = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


def read_back(markdown: str):
    tokens = MD.parse(markdown)
    headings, kinds, rows = [], [], 0
    for i, t in enumerate(tokens):
        if t.type == "heading_open":
            headings.append((int(t.tag[1]), _inline_text(tokens[i + 1])))
        if t.type.endswith("_open") and t.level == 0:
            kinds.append(t.type)
        if t.type == "tr_open":
            rows += 1
    return headings, kinds, rows


def expected_structure(doc):
    numbers = Numberer(doc.locale, doc.numbering)
    headings = [(1, doc.title)]
    kinds = ["heading_open"]
    rows = 0
    for b in doc.blocks:
        if isinstance(b, Heading):
            headings.append((b.level + 1, "".join(numbers.label(b.level, b.text, b.style))))
            kinds.append("heading_open")
        elif isinstance(b, Item):
            numbers.next(b.level, b.style)
            kinds.append("paragraph_open")
        elif isinstance(b, (Paragraph, Signature)):
            kinds.append("paragraph_open")
        elif isinstance(b, Table):
            kinds.append("table_open")
            rows += 1 + len(b.rows)
    return headings, kinds, rows


def _squash(s: str) -> str:
    return " ".join(s.split())


# -- properties -----------------------------------------------------------------------------
@SETTINGS
@given(plans())
def test_markdown_has_exactly_the_documents_structure(plan):
    for locale in plan.meta.locales:
        doc = ENV.compose(plan, locale)
        markdown = ENV.render_markdown(plan, locale)
        headings, kinds, rows = read_back(markdown)
        want_headings, want_kinds, want_rows = expected_structure(doc)
        assert kinds == want_kinds  # no user text became a list, quote, rule or code block
        assert [(lv, _squash(t)) for lv, t in headings] == \
               [(lv, _squash(t)) for lv, t in want_headings]
        assert rows == want_rows


@SETTINGS
@given(plans())
def test_rendering_is_deterministic(plan):
    for locale in plan.meta.locales:
        first = ENV.render_markdown(plan, locale).encode("utf-8")
        assert ENV.render_markdown(plan, locale).encode("utf-8") == first
        assert Environment().render_markdown(plan, locale).encode("utf-8") == first


@SETTINGS
@given(plans())
def test_check_never_crashes(plan):
    for finding in planwriter.check(plan, ENV):
        assert finding.code.startswith("PW") and finding.severity in ("error", "warning")
        assert "\n" not in str(finding)


# Regressions found by the properties above.
@pytest.mark.parametrize("source", [
    "1. not a list",
    "- not a list either",
    "> not a quote",
    "# not a heading",
    "```\nnot code\n```",
    "    indented, not code",
    "---",
    "a | b | c",
    "<div>not html</div>",
    "&amp; stays &amp;",
    "line one\nline two",
    "e\u0301 combining",
    "👩‍⚕️ 医生",
])
def test_text_never_becomes_structure(source):
    # A title may not start with a number of its own (the model refuses it); as text it may.
    heading = source if not leading_marker(source) else "On " + source
    plan = planwriter.Plan.model_validate({
        "meta": {"organisation": "X", "year": YEAR, "locales": ["en"]},
        "sections": [{"kind": "tasks", "title": heading, "text": source,
                      "items": [{"title": heading, "text": source},
                                {"text": source, "items": [{"text": source}]}],
                      "schedule": [{"when": "Q1", "what": source, "owner": source}]}]})
    doc = ENV.compose(plan, "en")
    headings, kinds, rows = read_back(ENV.render_markdown(plan, "en"))
    want_headings, want_kinds, want_rows = expected_structure(doc)
    assert kinds == want_kinds
    assert [(lv, _squash(t)) for lv, t in headings] == [(lv, _squash(t)) for lv, t in want_headings]
    assert rows == want_rows


# -- DOCX -----------------------------------------------------------------------------------
try:
    from planwriter.writers.docx import DocxWriter  # noqa: F401
    import docx as python_docx
    HAVE_DOCX = True
except ImportError:  # the DOCX writer or python-docx is not available
    HAVE_DOCX = False

needs_docx = pytest.mark.skipif(not HAVE_DOCX, reason="DOCX writer or python-docx not importable")
_TIMESTAMP = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def _docx_text(data: bytes) -> str:
    document = python_docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "".join("".join(parts).split())


def _normalised_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    if "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = _TIMESTAMP.sub(b"", parts["docProps/core.xml"])
    return parts


@needs_docx
@SETTINGS
@given(plans())
def test_docx_reopens_and_holds_every_heading_and_item(plan):
    for locale in plan.meta.locales:
        doc = ENV.compose(plan, locale)
        body = _docx_text(ENV.render_docx(plan, locale))
        for b in doc.blocks:
            if isinstance(b, (Heading, Item, Paragraph)):
                assert "".join(b.text.split()) in body
            if isinstance(b, Item) and b.title:
                assert "".join(b.title.split()) in body


@needs_docx
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_docx_is_deterministic_but_for_timestamps(plan):
    locale = plan.meta.locales[0]
    first = ENV.render_docx(plan, locale)
    again = Environment().render_docx(plan, locale)
    assert _normalised_parts(first) == _normalised_parts(again)


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.sampled_from(["Q1", "Q2", "Q3", "Q4", "H1", "H2"]), st.integers(1, 12),
                 st.integers(1, 12).map(lambda m: f"by {m}")),
       st.sampled_from([(f"{YEAR}-01-01", f"{YEAR}-12-31"), (f"{YEAR}-07-01", f"{YEAR + 1}-06-30"),
                        (f"{YEAR}-04-01", f"{YEAR + 1}-03-31")]))
def test_times_without_a_year_fall_inside_the_plan(when_text, period):
    """Q1, 6 or 'by 6' lands inside the plan whenever some year puts it there, and check agrees."""
    import datetime as dt
    from planwriter.schedule import parse_when
    start, end = (dt.date.fromisoformat(d) for d in period)
    w = parse_when(when_text)
    fits = any(start <= w.span(y)[0] and w.span(y)[1] <= end if not w.deadline else w.span(y)[1] <= end
               for y in (start.year, end.year))
    first, last = w.span((start, end))
    assert start <= last and first <= end
    assume(fits)
    plan = planwriter.Plan.model_validate({
        "meta": {"organisation": "甲", "period": {"start": period[0], "end": period[1]}},
        "sections": [{"kind": "schedule", "schedule": [{"when": when_text, "what": "事项"}]}]})
    assert not [f for f in planwriter.check(plan, ENV) if f.code == "PW301"]
