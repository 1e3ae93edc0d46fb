#!/usr/bin/env python3
"""Build the held-out import inputs from ``src/``.

Some inputs are stored as their authors' files would be: the county work points as
GB18030 text hard-wrapped at 32 characters (as text copied out of a PDF), the police plan
with CRLF line ends, the nursing plan as a DOCX whose numbering is real Word numbering
(numbering.xml, no typed numbers). Run from anywhere: ``python build.py``.
"""
from __future__ import annotations

import io
import textwrap
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import qn

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"


def hard_wrap(text: str, width: int) -> str:
    out = []
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        if len(body) <= width or not body:
            out.append(line.rstrip())
            continue
        first = True
        while body:
            take = width - (2 if first and indent else 0)
            out.append(("　　" if first and indent else "") + body[:take])
            body = body[take:]
            first = False
    return "\n".join(out) + "\n"


NUMBERING = """<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/><w:lvlJc w:val="left"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="singleLevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"""


def numbered(p, num_id: int, ilvl: int) -> None:
    ppr = p._p.get_or_add_pPr()
    ppr.append(parse_xml(
        f'<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f'<w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def nursing_docx() -> bytes:
    d = docx.Document()
    d.part.numbering_part._element = parse_xml(NUMBERING)
    d.sections[0].header.paragraphs[0].text = "青山县人民医院"
    t = d.add_paragraph("青山县人民医院2025年护理工作计划", style="Title")
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph("2025年，护理部将以患者为中心，以提升护理质量和保障患者安全为主线，"
                    "深入推进优质护理服务，结合医院年度工作目标，制定本计划。")
    d.add_paragraph("")

    def h(text, level):
        p = d.add_paragraph(text, style=f"Heading {level}")
        numbered(p, 1, level - 1)

    def li(text, num_id=1, ilvl=2):
        p = d.add_paragraph(text, style="List Paragraph")
        numbered(p, num_id, ilvl)

    h("工作目标", 1)
    li("优质护理服务病房覆盖率达到100%。", 2, 0)
    li("患者满意度达到95%以上，护理不良事件主动上报率提高10%。", 2, 0)
    li("护理文书书写合格率不低于98%。", 2, 0)
    h("重点工作", 1)
    h("加强护理队伍建设", 2)
    li("新入职护士规范化培训合格率达到100%。")
    li("全年选派10名骨干护士到省级医院进修。")
    h("提升专科护理水平", 2)
    li("建设伤口造口、静脉治疗、糖尿病3个护理专科小组。")
    li("开展护理新技术、新项目不少于5项。")
    h("保障护理安全", 2)
    p = d.add_paragraph()
    p.add_run("落实核心制度。").bold = True
    p.add_run("严格执行查对、交接班、分级护理等核心制度，住院患者跌倒发生率控制在0.2‰以下。")
    h("进度安排", 1)
    table = d.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("时间", "工作内容", "责任人")):
        cell.text = text
    for row in (("1月—3月", "修订护理制度和应急预案", "护理部"),
                ("4月—6月", "开展专科护理培训", "各专科小组"),
                ("7月—9月", "护理质量督查", "护理部、科护士长"),
                ("10月—12月", "总结评估与表彰", "护理部")):
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    h("保障措施", 1)
    d.add_paragraph("护理部每月召开一次护士长例会，分析护理质量问题，持续改进护理工作。")
    for text in ("青山县人民医院护理部", "2025年1月"):
        d.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    core = d.core_properties
    core.author, core.title = "护理部", "2025年护理工作计划"
    import datetime as dt
    core.created = core.modified = dt.datetime(2025, 1, 6)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def main() -> None:
    county = (SRC / "county-work-points.txt").read_text(encoding="utf-8")
    (HERE / "county-work-points.txt").write_bytes(hard_wrap(county, 32).encode("gb18030"))
    police = (SRC / "police-community.txt").read_text(encoding="utf-8")
    (HERE / "police-community.txt").write_bytes(police.replace("\n", "\r\n").encode("utf-8"))
    # the Markdown plans and the school page are stored as they are: they are their own source
    (HERE / "hospital-nursing.docx").write_bytes(nursing_docx())


if __name__ == "__main__":
    main()
