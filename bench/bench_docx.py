#!/usr/bin/env python3
"""How fast is the DOCX writer compared with the floor and the usual alternatives?

In one warm process, renders the 80-item reference plan (bench/reference_plan.py)
with:

(a) floor      – WordprocessingML body built directly with lxml and zipped into a
                 cached, minimal, unstyled skeleton;
(b) planwriter – planwriter.writers.docx.DocxWriter.write;
(c) docxtpl    – a Jinja-tagged template re-loaded and rendered per document (if importable);
(d) python-docx – Document() + add_paragraph/add_table per block.

Prints median milliseconds per document and the ratio to the floor, then
renders 1,000 documents and reports RSS and tracemalloc growth.

    python bench/bench_docx.py [--iterations 200] [--locale zh]
"""
from __future__ import annotations

import argparse
import gc
import io
import statistics
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from lxml import etree  # noqa: E402

from planwriter.numbering import Numberer  # noqa: E402
from planwriter.tree import Heading, Item, Paragraph, Signature, Table  # noqa: E402
from planwriter.writers.docx import DocxWriter  # noqa: E402
from reference_plan import reference_plan  # noqa: E402

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS

# --------------------------------------------------------------------------- (a) the lxml floor

_SKELETON = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    ).encode(),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    ).encode(),
}


def _floor_text(parent, text):
    r = etree.SubElement(parent, W + "r")
    t = etree.SubElement(r, W + "t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def floor_write(doc) -> bytes:
    root = etree.Element(W + "document", nsmap={"w": W_NS})
    body = etree.SubElement(root, W + "body")
    _floor_text(etree.SubElement(body, W + "p"), doc.title)
    num = Numberer(doc.locale)
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            _floor_text(etree.SubElement(body, W + "p"), b.text)
        elif isinstance(b, (Heading, Item)):
            p = etree.SubElement(body, W + "p")
            _floor_text(p, num.next(b.level) + getattr(b, "title", "") + b.text)
        elif isinstance(b, Table):
            tbl = etree.SubElement(body, W + "tbl")
            for row in (b.header, *b.rows):
                tr = etree.SubElement(tbl, W + "tr")
                for cell in row:
                    _floor_text(etree.SubElement(etree.SubElement(tr, W + "tc"), W + "p"), cell)
        elif isinstance(b, Signature):
            _floor_text(etree.SubElement(body, W + "p"), b.issuer)
            _floor_text(etree.SubElement(body, W + "p"), b.date)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in _SKELETON.items():
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo("word/document.xml", (1980, 1, 1, 0, 0, 0)), xml, zipfile.ZIP_DEFLATED)
    return out.getvalue()


# --------------------------------------------------------------------------- (c) docxtpl


def make_docxtpl():
    try:
        from docxtpl import DocxTemplate
    except ImportError:
        return None
    import docx

    t = docx.Document()
    t.add_paragraph("{{ title }}")
    t.add_paragraph("{%p for line in lines %}")
    t.add_paragraph("{{ line }}")
    t.add_paragraph("{%p endfor %}")
    table = t.add_table(rows=3, cols=1)
    table.rows[0].cells[0].text = "{%tr for row in rows %}"
    table.rows[1].cells[0].text = "{{ row }}"
    table.rows[2].cells[0].text = "{%tr endfor %}"
    buf = io.BytesIO()
    t.save(buf)
    template = buf.getvalue()

    def render(doc) -> bytes:
        num = Numberer(doc.locale)
        lines, rows = [], []
        for b in doc.blocks:
            if isinstance(b, Paragraph):
                lines.append(b.text)
            elif isinstance(b, (Heading, Item)):
                lines.append(num.next(b.level) + getattr(b, "title", "") + b.text)
            elif isinstance(b, Table):
                rows += ["\t".join(r) for r in (b.header, *b.rows)]
            elif isinstance(b, Signature):
                lines += [b.issuer, b.date]
        tpl = DocxTemplate(io.BytesIO(template))
        tpl.render({"title": doc.title, "lines": lines, "rows": rows})
        out = io.BytesIO()
        tpl.save(out)
        return out.getvalue()

    return render


# --------------------------------------------------------------------------- (d) python-docx API


def python_docx_write(doc) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(doc.title, style="Title")
    num = Numberer(doc.locale)
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            d.add_paragraph(b.text)
        elif isinstance(b, Heading):
            d.add_paragraph(num.next(b.level) + b.text, style=f"Heading {min(b.level, 9)}")
        elif isinstance(b, Item):
            p = d.add_paragraph(num.next(b.level))
            if b.title:
                p.add_run(b.title).bold = True
            p.add_run(b.text)
        elif isinstance(b, Table):
            if b.caption:
                d.add_paragraph(b.caption, style="Caption")
            t = d.add_table(rows=1 + len(b.rows), cols=len(b.header))
            for r, row in enumerate((b.header, *b.rows)):
                for c, cell in enumerate(row):
                    t.cell(r, c).text = cell
        elif isinstance(b, Signature):
            d.add_paragraph(b.issuer)
            d.add_paragraph(b.date)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- harness


def median_ms(fn, doc, iterations: int, warmup: int = 5) -> float:
    for _ in range(warmup):
        fn(doc)
    times = []
    for _ in range(iterations):
        t0 = time.perf_counter()
        fn(doc)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def rss_kib() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--slow-iterations", type=int, default=30, help="for docxtpl and python-docx")
    ap.add_argument("--locale", default="zh", choices=["zh", "en"])
    ap.add_argument("--documents", type=int, default=1000, help="documents for the memory check")
    args = ap.parse_args(argv)

    doc = reference_plan(args.locale)
    writer = DocxWriter()
    writer.write(doc)  # load the reference once, outside the timings

    cases = [("lxml floor", floor_write, args.iterations),
             ("planwriter DocxWriter", writer.write, args.iterations)]
    tpl = make_docxtpl()
    if tpl is not None:
        cases.append(("docxtpl", tpl, args.slow_iterations))
    cases.append(("python-docx API", python_docx_write, args.slow_iterations))

    print(f"reference plan: locale={args.locale}, {sum(isinstance(b, Item) for b in doc.blocks)} items, "
          f"{sum(isinstance(b, Table) for b in doc.blocks)} tables, "
          f"planwriter output {len(writer.write(doc)):,} bytes")
    print(f"{'writer':<24}{'median ms/doc':>14}{'× floor':>10}{'runs':>7}")
    floor = None
    for name, fn, n in cases:
        ms = median_ms(fn, doc, n)
        floor = floor or ms
        print(f"{name:<24}{ms:>14.3f}{ms / floor:>10.2f}{n:>7}")

    # Memory: 1,000 documents through one writer.
    gc.collect()
    rss0 = rss_kib()
    tracemalloc.start()
    for _ in range(50):
        writer.write(doc)
    gc.collect()
    snap0, _ = tracemalloc.get_traced_memory()
    for _ in range(args.documents):
        writer.write(doc)
    gc.collect()
    snap1, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss1 = rss_kib()
    print(f"\nmemory over {args.documents:,} documents: tracemalloc {snap1 - snap0:+,} bytes "
          f"(peak {peak / 1024:,.0f} KiB), RSS {rss1 - rss0:+,} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
