#!/usr/bin/env python3
"""Build the DOCX input of the development set: a school's plan sent out with its notice.

The notice has a letterhead, a document number, addressees, a signature and a printing
record; the plan's numbering is Word numbering (numbering.xml: 一、 in chineseCountingThousand,
（一） through lvlText, ① as decimalEnclosedCircle, a restart through lvlOverride), with a
responsibility table and an attachment list.  Run from anywhere: ``python build.py``.
"""
from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml

HERE = Path(__file__).resolve().parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

NUMBERING = f"""<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="3"><w:multiLevelType w:val="hybridMultilevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCountingThousand"/><w:lvlText w:val="%1、"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCountingThousand"/><w:lvlText w:val="（%2）"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%3"/></w:lvl>
</w:abstractNum>
<w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num>
<w:num w:numId="6"><w:abstractNumId w:val="3"/>
<w:lvlOverride w:ilvl="2"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
</w:numbering>"""


def numbered(p, num_id: int, ilvl: int) -> None:
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def school_docx(path: Path) -> None:
    d = docx.Document()
    d.part.numbering_part._element = parse_xml(NUMBERING)
    d.sections[0].footer.paragraphs[0].text = "— 1 —"
    head = d.add_paragraph("青山市第一中学文件")
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph("青一中发〔2025〕4号").alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph("关于印发《青山市第一中学2025年学校卫生与健康教育工作计划》的通知").alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph("各处室、各年级组：")
    d.add_paragraph("现将《青山市第一中学2025年学校卫生与健康教育工作计划》印发给你们，请认真贯彻执行。")
    d.add_paragraph("青山市第一中学").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.add_paragraph("2025年2月10日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.add_paragraph("青山市第一中学2025年学校卫生与健康教育工作计划", style="Title")
    d.add_paragraph("为落实“健康第一”的教育理念，提高学生健康素养，根据上级有关要求，结合我校实际，制定本计划。")

    def item(text: str, ilvl: int, num_id: int = 5) -> None:
        p = d.add_paragraph(text)
        numbered(p, num_id, ilvl)

    item("工作目标", 0)
    d.add_paragraph("学生体质健康测试合格率达到95%以上，近视率较上年下降1个百分点，"
                    "健康教育课开课率达到100%，全年无重大传染病暴发和食物中毒事件。")
    item("主要工作", 0)
    item("加强健康教育。每学期每班健康教育课不少于6课时，开展专题讲座4次以上。", 1)
    item("做好常见病防控。", 1)
    item("每学期开展一次视力筛查，建立学生视力档案。", 2)
    item("落实每天两次眼保健操，督查覆盖全部班级。", 2)
    item("加强传染病防控。", 1)
    item("严格落实晨午检制度，因病缺课登记追踪率达到100%。", 2, num_id=6)
    item("3月底前完成新生预防接种证查验。", 2, num_id=6)
    item("责任分工", 0)
    table = d.add_table(rows=4, cols=3)
    for r, row in enumerate([["部门", "职责", "完成时间"],
                             ["政教处", "组织健康教育和眼保健操督查", "全年"],
                             ["总务处", "保障食堂和饮用水卫生", "全年"],
                             ["校医室", "开展视力筛查和晨午检汇总", "每学期"]]):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    d.add_paragraph("附件：1．2025年学校健康教育课程安排表")
    d.add_paragraph("2．学生视力筛查登记表")
    d.add_paragraph("抄送：市教育局体卫艺科。")
    d.add_paragraph("青山市第一中学办公室                2025年2月10日印发")
    d.save(path)


if __name__ == "__main__":
    school_docx(HERE / "school-health.docx")
