"""The DOCX as an office suite lays it out: every example in both languages through LibreOffice.

Needs LibreOffice (soffice), poppler-utils (pdftotext, pdfinfo, pdftoppm) and pandoc, which
``.ci/run`` installs with the free CJK fonts that ``tests/fonts.conf`` maps to the official
font names.  Without them these tests skip, unless ``PLANWRITER_REQUIRE_VISUAL=1`` (set in CI)
makes them fail.  ``PLANWRITER_VISUAL_PNGS=1`` keeps PNGs of the first and last page of each
example under ``tests/visual/`` to look at (git ignores them).
"""
from __future__ import annotations

import collections
import io
import os
import re
import shutil
import statistics
import subprocess
import unicodedata
from pathlib import Path

import docx
import pytest

import planwriter
from planwriter.numbering import Numberer
from planwriter.tree import Document, Heading, Paragraph, Signature
from planwriter.writers.docx import write_docx
from planwriter.writers.docx.tables import display_width
from planwriter.writers.pdf import docx_to_pdf, find_soffice

from conftest import EXAMPLE_CASES

HERE = Path(__file__).resolve().parent
TOOLS = {"soffice": find_soffice(), **{t: shutil.which(t) for t in ("pdftotext", "pdfinfo", "pdftoppm", "pandoc")}}
MISSING = [t for t, path in TOOLS.items() if path is None]
REQUIRED = os.environ.get("PLANWRITER_REQUIRE_VISUAL") == "1"
CASES = [tuple(c.values) for c in EXAMPLE_CASES]

#: Punctuation whose every occurrence must reach the PDF (the page numbers add em dashes).
PUNCTUATION = "，。、；：？！“”‘’（）《》〔〕【】…·,.;:?!()%"
#: Type area of the Chinese reference, in points from the page's top left corner.
ZH_LEFT, ZH_WIDTH = 1587 / 20, 8845 / 20


@pytest.fixture(scope="module", autouse=True)
def tools():
    if MISSING:
        message = f"needs {', '.join(MISSING)} on PATH (see .ci/run)"
        if REQUIRED:
            pytest.fail(f"PLANWRITER_REQUIRE_VISUAL=1 but this machine lacks them: {message}")
        pytest.skip(message)


@pytest.fixture(scope="module", autouse=True)
def fonts(tools):
    """The free fonts the pictures use (tests/fonts.conf), for every conversion in this module."""
    old = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(HERE / "fonts.conf")
    yield
    if old is None:
        del os.environ["FONTCONFIG_FILE"]
    else:
        os.environ["FONTCONFIG_FILE"] = old


def run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, timeout=120).stdout.decode("utf-8")


class Rendered:
    """One example in one language: its document tree, DOCX, PDF and the PDF's text."""

    def __init__(self, path: Path, locale: str, folder: Path) -> None:
        plan = planwriter.load(path)
        self.name = f"{path.stem}.{locale}"
        self.locale = locale
        self.doc = planwriter.compose(plan, locale)
        self.docx = folder / f"{self.name}.docx"
        self.docx.write_bytes(planwriter.render_docx(plan, locale))
        self.pdf = folder / f"{self.name}.pdf"
        self.pdf.write_bytes(docx_to_pdf(self.docx.read_bytes()))
        info = run(TOOLS["pdfinfo"], "-f", "1", "-l", "999", str(self.pdf))
        self.pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        self.sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info, re.M)
        self.page_texts = [run(TOOLS["pdftotext"], "-layout", "-f", str(n), "-l", str(n), str(self.pdf), "-")
                           for n in range(1, self.pages + 1)]
        self.bbox = run(TOOLS["pdftotext"], "-bbox", str(self.pdf), "-")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, fonts):
    folder = tmp_path_factory.mktemp("visual")
    out = {(p.stem, loc): Rendered(p, loc, folder) for p, loc in CASES}
    if os.environ.get("PLANWRITER_VISUAL_PNGS") == "1":
        keep = HERE / "visual"
        for r in out.values():
            for tag, page in (("first", 1), ("last", r.pages)):
                run(TOOLS["pdftoppm"], "-png", "-r", "60", "-singlefile", "-f", str(page), "-l", str(page),
                    str(r.pdf), str(keep / f"{r.name}-{tag}"))
    return out


def case_ids(case):
    return f"{case[0].stem}-{case[1]}"


@pytest.mark.parametrize("case", CASES, ids=case_ids)
def test_pages_are_a4_and_chinese_text_stays_in_the_type_area(rendered, case):
    r = rendered[case[0].stem, case[1]]
    assert r.pages >= 2 if case[0].stem != "township-health-center" else r.pages >= 1
    assert len(r.sizes) == r.pages
    assert all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in r.sizes)
    if r.locale == "zh":
        pages = re.findall(r"<page .*?</page>", r.bbox, re.S)
        words = [[tuple(map(float, m)) for m in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', page)] for page in pages]
        body = [w for page in words for w in page if w[1] < 700]  # above the footer's page number
        assert min(w[0] for w in body) == pytest.approx(ZH_LEFT, abs=1.5)
        # full-width punctuation may hang by at most one character
        assert max(w[2] for w in body) <= ZH_LEFT + ZH_WIDTH + 16.5
        for page in words:  # 22 lines of 16 pt text a page at most (GB/T 9704)
            assert len({round(w[1]) for w in page if round(w[3] - w[1]) == 21 and w[1] < 700}) <= 22


@pytest.mark.parametrize("case", CASES, ids=case_ids)
def test_signature_never_stands_alone_on_the_last_page(rendered, case):
    r = rendered[case[0].stem, case[1]]
    sig = next((b for b in r.doc.blocks if isinstance(b, Signature)), None)
    page = r.page_texts[-1]
    if sig is None:  # a plan issued by a notice: the notice is signed, on its own first page
        sig = next(b for b in r.doc.notice.blocks if isinstance(b, Signature))
        page = r.page_texts[0]
    assert sig.issuer in page.replace(" ", "") or sig.issuer in page
    assert body_lines(page, sig) >= 1


def body_lines(page: str, sig: Signature) -> int:
    """Lines of a page's text other than the signature and the page number."""
    squeeze = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    skip = {squeeze(x) for x in (*sig.issuers, sig.date)}
    return sum(1 for ln in page.splitlines()
               if squeeze(ln) and squeeze(ln) not in skip
               and not re.fullmatch(r"—\d+—|Page\d+of\d+", squeeze(ln)))


def docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "".join(p.text for p in d.paragraphs) + "".join(cells)


@pytest.mark.parametrize("case", CASES, ids=case_ids)
def test_every_punctuation_mark_reaches_the_pdf(rendered, case):
    r = rendered[case[0].stem, case[1]]
    want = collections.Counter(c for c in docx_text(r.docx) if c in PUNCTUATION)
    got = collections.Counter(c for c in "".join(r.page_texts) if c in PUNCTUATION)
    assert sum(want.values()) > 20
    assert {c: (n, got[c]) for c, n in want.items() if got[c] != n} == {}


def line_pitches(bbox_layout: str) -> dict[int, list[tuple[float, str]]]:
    """Each line's width per em of its text (CJK 1, Latin ½, ¼ between them), by text size."""
    out = collections.defaultdict(list)
    for m in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>',
                         bbox_layout, re.S):
        text = "".join(re.findall(r"<word [^>]*>([^<]*)</word>", m.group(5)))
        if len(text) >= 6:
            x0, y0, x1, y1 = map(float, m.group(1, 2, 3, 4))
            out[round(y1 - y0)].append(((x1 - x0) / display_width(text), text))
    return out


@pytest.mark.parametrize("case", [c for c in CASES if c[1] == "zh"], ids=case_ids)
def test_no_line_is_spaced_wider_than_its_neighbours(rendered, case):
    """No Chinese line is letter-spaced: each line's width per em stays within 8 % of the usual
    one for its text size (a justified line that could not take the next number, 61%）。, used
    to be 14 % wider).  English is set flush left in a proportional face, so never spaced out."""
    r = rendered[case[0].stem, case[1]]
    pitches = line_pitches(run(TOOLS["pdftotext"], "-bbox-layout", str(r.pdf), "-"))
    assert pitches
    for lines in pitches.values():
        usual = statistics.median(p for p, _ in lines)
        assert [t for p, t in lines if p > usual * 1.08] == []


@pytest.mark.parametrize("case", CASES, ids=case_ids)
def test_pandoc_reads_the_heading_tree(rendered, case):
    r = rendered[case[0].stem, case[1]]
    gfm = run(TOOLS["pandoc"], str(r.docx), "-f", "docx", "-t", "gfm", "--wrap=none")
    got = [(len(m.group(1)), m.group(2).strip().replace("\\", "")) for m in re.finditer(r"^(#+) (.*)$", gfm, re.M)]
    numbers = Numberer(r.locale, r.doc.numbering)
    want = []
    for b in r.doc.blocks:
        if isinstance(b, Heading):
            want.append((b.level, "".join(numbers.label(b.level, b.text, b.style))))
        elif hasattr(b, "level"):
            numbers.next(b.level, b.style)
    assert want and got == want


@pytest.mark.parametrize("case", CASES, ids=case_ids)
def test_short_table_cells_stay_on_one_line(rendered, case):
    """Names, offices and times (up to eight characters) are never broken inside."""
    r = rendered[case[0].stem, case[1]]
    lines = [re.sub(r"\s+", "", ln) for text in r.page_texts for ln in text.splitlines()]
    d = docx.Document(str(r.docx))
    cells = {c.text for t in d.tables for row in t.rows for c in row.cells}
    short = [c for c in cells if c and sum(1 if unicodedata.east_asian_width(ch) in "WF" else 0.5
                                           for ch in c) <= (8 if r.locale == "zh" else 6)]
    assert d.tables == [] or short
    assert [c for c in short if not any(re.sub(r"\s+", "", c) in ln for ln in lines)] == []


# --------------------------------------------------------------------------- the break at every position


def filler(locale: str, n: int, tail_lines: int) -> Document:
    """``n`` one-line paragraphs, then one of ``tail_lines`` lines, then the signature."""
    zh = locale == "zh"
    one = "第{}段：按期完成各项任务。" if zh else "Paragraph {}: complete each task on time."
    long = ("全面落实各项工作措施，确保年度目标任务按期完成。" if zh else
            "Carry out every measure in the plan so that the targets for the year are met on time. ") * tail_lines
    blocks = [Paragraph(one.format(i)) for i in range(1, n + 1)] + [Paragraph(long.strip())]
    blocks.append(Signature("青山县卫生健康局" if zh else "Qingshan County Health Bureau",
                            "2025年1月15日" if zh else "15 January 2025"))
    return Document(locale, "工作计划" if zh else "Work Plan", tuple(blocks))


@pytest.mark.parametrize("locale, counts", [("zh", range(8, 34)), ("en", range(28, 72, 2))])
def test_signature_keeps_body_text_at_every_page_break_position(tmp_path, locale, counts):
    """Plans whose length puts the page break at every line near the end of the first page."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for n in counts:
        (folder / f"n{n:03}.docx").write_bytes(write_docx(filler(locale, n, 2)))
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([TOOLS["soffice"], f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "pdf"), *sorted(map(str, folder.iterdir()))],
                   check=True, capture_output=True, timeout=300)
    pages = {}
    for n in counts:
        pdf = tmp_path / "pdf" / f"n{n:03}.pdf"
        count = int(re.search(r"^Pages:\s+(\d+)", run(TOOLS["pdfinfo"], str(pdf)), re.M).group(1))
        last = run(TOOLS["pdftotext"], "-layout", "-f", str(count), "-l", str(count), str(pdf), "-")
        sig = filler(locale, n, 2).blocks[-1]
        assert body_lines(last, sig) >= 1, f"{n} paragraphs: the signature stands alone on page {count}"
        pages[n] = count
    assert len(set(pages.values())) >= 2  # the range really crosses a page break
