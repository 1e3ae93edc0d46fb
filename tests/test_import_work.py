"""The importer's work grows linearly with its input: counted, not timed.

Every Python and C function call made while importing a page is counted with
``sys.setprofile`` (deterministic, unlike a clock); four times the page must cost at most
six times the calls (a linear reader gives about four; a quadratic one sixteen).
"""
import sys

import pytest

from planwriter.readers import read_all

SENTENCE = "进一步加强医疗质量管理，落实首诊负责、三级查房等核心制度，{k}号项目参合率达到{v}%以上，3月启动，6月底前完成中期督查。"


def html_page(items: int) -> bytes:
    nav = "<div class='nav'>" + "".join(f"<a href='/{k}'>栏目{k}</a> | " for k in range(items // 4)) + "</div>"
    body = ["<h1>青山镇卫生院2025年工作计划</h1>"]
    for s in range(1, items // 20 + 1):
        body.append(f"<h2>第{s}部分工作</h2>")
        body.extend(f"<p>{k}、" + SENTENCE.format(k=k, v=80 + k % 20) + "</p>" for k in range(1, 21))
    table = "<table>" + "".join(f"<tr><td>{m}月</td><td>工作{m}</td></tr>" for m in range(1, 13)) * (items // 100) + "</table>"
    return f"<html><body>{nav}{''.join(body)}{table}<div class='footer'>Copyright © 2025</div></body></html>".encode()


def wrapped_text(items: int) -> bytes:
    lines = ["青山镇卫生院2025年工作计划", ""]
    for s in range(1, items // 20 + 1):
        lines.append(f"第{s}部分工作")
        for k in range(1, 21):
            text = f"{k}、" + SENTENCE.format(k=k, v=80 + k % 20)
            lines.extend(text[i:i + 32] for i in range(0, len(text), 32))
    return "\n".join(lines).encode("utf-8")


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
