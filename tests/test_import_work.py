"""The importer's work grows linearly with its input: counted, not timed.

Every Python and C function call made while importing a page is counted with
``sys.setprofile`` (deterministic, unlike a clock); four times the page must cost at most
six times the calls (a linear reader gives about four; a quadratic one sixteen).
"""
import sys
from pathlib import Path

import pytest

from planwriter.readers import read_all

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from bench_import import SENTENCE, page as html_page, wrapped as wrapped_text  # noqa: E402  the bench's inputs


def markdown(items: int) -> bytes:
    out = ["# Riverside Action Plan 2026", ""]
    for s in range(1, items // 20 + 1):
        out += [f"## {s}. Area {s}", ""]
        out += [f"- Increase the number of visits in area {s}.{k} by {k}% by June 2026." for k in range(1, 21)]
        out.append("")
    return "\n".join(out).encode()


def docx_file(items: int) -> bytes:
    import io

    import docx
    d = docx.Document()
    d.add_paragraph("青山镇卫生院2025年工作计划", style="Title")
    for s in range(1, items // 20 + 1):
        d.add_paragraph(f"第{s}部分工作", style="Heading 1")
        for k in range(1, 21):
            d.add_paragraph(f"{k}、" + SENTENCE.format(k=k, v=80 + k % 20))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def calls(data: bytes, fmt: str) -> int:
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1
    sys.setprofile(profile)
    try:
        read_all(data, fmt)
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("make, fmt", [(html_page, "html"), (wrapped_text, "text"), (markdown, "markdown"),
                                       (docx_file, "docx")])
def test_work_is_linear_in_the_input(make, fmt):
    small, large = calls(make(200), fmt), calls(make(800), fmt)
    assert large <= 6 * small, (small, large, large / small)
