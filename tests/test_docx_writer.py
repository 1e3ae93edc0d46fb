"""The DOCX writer, checked by reopening its output as a user's word processor would."""
from __future__ import annotations

import io
import zipfile

import docx
import pytest

import planwriter
from docx.shared import Mm, Pt, RGBColor

from planwriter.tree import Document, Heading, Item, Paragraph, Signature, Table
from planwriter.writers.docx import DocxWriter, reference_docx, write_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def zh_doc() -> Document:
    return Document("zh", "关于印发2025年工作计划的通知", (
        Paragraph("为做好2025年工作，制定本计划。"),
        Heading(1, "总体要求"),
        Heading(2, "指导思想"),
        Item(3, "严格执行制度。", "加强院感管理"),
        Item(4, "每季度检查1次。"),
        Item(4, "发现问题限期整改。"),
        Item(3, "落实“三查七对”制度。", "提升质量？"),
        Heading(2, "工作目标"),
        Item(3, "目标明确。"),
        Heading(1, "重点任务"),
        Heading(2, "第一项"),
        Table(("序号", "任务", "责任部门"), (("1", "院感检查", "医务科"), ("2", "质量评估", "质控科")),
              caption="任务分工表", widths=(1, 4, 2)),
        Signature("青山市卫生健康委员会", "2025年1月15日"),
    ))


def en_doc() -> Document:
    return Document("en", "Quality & Safety Plan <2025>", (
        Paragraph("This plan sets out the year's work."),
        Heading(1, "Objectives"),
        Heading(2, "Safety"),
        Item(3, "Apply the policy in every ward.", "Infection control"),
        Item(4, "Audit each quarter."),
        Item(4, "Close findings in 30 days."),
        Item(3, "Review monthly.", "Is it working?"),
        Heading(2, "Quality"),
        Item(3, "Track indicators."),
        Heading(1, "Delivery"),
        Heading(2, "Oversight"),
        Table(("No.", "Task", "Owner"), (("1", "Audit", "Medical Office"), ("2", "Review", "Quality"))),
        Signature("City General Hospital", "15 January 2025"),
    ))


def reopen(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def paragraphs(d) -> list:
    return [p for p in d.paragraphs if p.text]


def by_text(d, start: str):
    return next(p for p in d.paragraphs if p.text.startswith(start))


def resolved_fonts(d, style_id: str) -> dict[str, str]:
    """rFonts attributes of a style, following basedOn, then docDefaults."""
    styles = d.styles.element
    out: dict[str, str] = {}
    sid = style_id
    while sid:
        st = styles.find(f"{W}style[@{W}styleId='{sid}']")
        if st is None:
            break
        rf = st.find(f"{W}rPr/{W}rFonts")
        if rf is not None:
            for k, v in rf.attrib.items():
                out.setdefault(k.replace(W, ""), v)
        based = st.find(f"{W}basedOn")
        sid = based.get(f"{W}val") if based is not None else None
    rf = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    if rf is not None:
        for k, v in rf.attrib.items():
            out.setdefault(k.replace(W, ""), v)
    return out


@pytest.fixture(scope="module")
def zh_bytes() -> bytes:
    return write_docx(zh_doc())


@pytest.fixture(scope="module")
def en_bytes() -> bytes:
    return write_docx(en_doc())


# --------------------------------------------------------------------------- page setup


def test_zh_page_is_a4_with_gbt9704_margins(zh_bytes):
    sec = reopen(zh_bytes).sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(0.5) and abs(sec.page_height - Mm(297)) < Mm(0.5)
    assert abs(sec.top_margin - Mm(37)) < Mm(0.2)
    assert abs(sec.left_margin - Mm(28)) < Mm(0.2)
    # type area 156 × 225 mm
    assert abs(sec.page_width - sec.left_margin - sec.right_margin - Mm(156)) < Mm(0.3)
    assert abs(sec.page_height - sec.top_margin - sec.bottom_margin - Mm(225)) < Mm(0.3)
    grid = sec._sectPr.find(f"{W}docGrid")
    assert grid.get(f"{W}linePitch") == "579"  # 22 lines per page


def test_en_page_is_a4_with_25mm_margins(en_bytes):
    sec = reopen(en_bytes).sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(0.5) and abs(sec.page_height - Mm(297)) < Mm(0.5)
    for m in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin):
        assert abs(m - Mm(25)) < Mm(0.2)


# --------------------------------------------------------------------------- styles and fonts


def test_zh_styles_and_east_asian_fonts(zh_bytes):
    d = reopen(zh_bytes)
    title = d.paragraphs[0]
    assert title.text == "关于印发2025年工作计划的通知"
    assert title.style.style_id == "PlanTitle"
    assert title.style.font.size == Pt(22)
    assert resolved_fonts(d, "PlanTitle")["eastAsia"] == "方正小标宋简体"
    expected = {"一、总体要求": ("Heading1", "黑体"), "（一）指导思想": ("Heading2", "楷体_GB2312"),
                "1.加强院感管理": ("PlanItem3", "仿宋_GB2312"), "（1）每季度": ("PlanItem4", "仿宋_GB2312"),
                "为做好": ("PlanBody", "仿宋_GB2312")}
    for start, (sid, font) in expected.items():
        p = by_text(d, start)
        assert p.style.style_id == sid
        assert resolved_fonts(d, sid)["eastAsia"] == font
        assert p.style.font.size == Pt(16)
        assert not p.style.font.bold
    for level, font in zip(range(1, 6), ("黑体", "楷体_GB2312", "仿宋_GB2312", "仿宋_GB2312", "仿宋_GB2312")):
        fonts = resolved_fonts(d, f"Heading{level}")
        assert fonts["eastAsia"] == font and fonts["ascii"] == "Times New Roman"
    body = d.styles["Plan Body"]
    ind = body.element.find(f"{W}pPr/{W}ind")
    assert ind.get(f"{W}firstLineChars") == "200" and ind.get(f"{W}firstLine") == "640"
    sp = body.element.find(f"{W}pPr/{W}spacing")
    assert sp.get(f"{W}line") == "579" and sp.get(f"{W}lineRule") == "exact"
    lang = d.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(f"{W}eastAsia") == "zh-CN"
    assert resolved_fonts(d, "Normal")["eastAsia"] == "仿宋_GB2312"


def test_en_styles_keep_a_cjk_east_asian_font(en_bytes):
    d = reopen(en_bytes)
    assert d.paragraphs[0].style.style_id == "PlanTitle"
    for sid in ("PlanTitle", "Heading1", "Heading2", "PlanBody", "PlanItem3"):
        assert resolved_fonts(d, sid)["eastAsia"] == "SimSun"
    assert d.styles["heading 1"].font.bold and d.styles["heading 1"].font.size == Pt(14)
    assert d.styles["Plan Body"].font.size == Pt(11)
    ind = d.styles["Plan Item 3"].element.find(f"{W}pPr/{W}ind")
    assert int(ind.get(f"{W}hanging")) > 0  # numbers hang in the margin of the text


# --------------------------------------------------------------------------- numbering


def test_zh_numbering_four_levels_restarts_under_new_parent(zh_bytes):
    texts = [p.text for p in paragraphs(reopen(zh_bytes))]
    assert "一、总体要求" in texts and "二、重点任务" in texts
    assert "（一）指导思想" in texts and "（二）工作目标" in texts
    assert "（一）第一项" in texts  # restarts under 二、
    assert "1.加强院感管理。严格执行制度。" in texts
    assert "（1）每季度检查1次。" in texts and "（2）发现问题限期整改。" in texts
    assert "2.提升质量？落实“三查七对”制度。" in texts  # no 。 after final punctuation
    assert "1.目标明确。" in texts  # restarts under （二）


def test_en_numbering_four_levels_and_bold_run_in_title(en_bytes):
    d = reopen(en_bytes)
    texts = [p.text for p in paragraphs(d)]
    assert "1. Objectives" in texts and "2. Delivery" in texts
    assert "1.1 Safety" in texts and "1.2 Quality" in texts and "2.1 Oversight" in texts
    assert "1.1.1\tInfection control. Apply the policy in every ward." in texts
    assert "(a)\tAudit each quarter." in texts and "(b)\tClose findings in 30 days." in texts
    assert "1.1.2\tIs it working? Review monthly." in texts
    assert "1.2.1\tTrack indicators." in texts
    item = by_text(d, "1.1.1")
    bold = [r.text for r in item.runs if r.style.style_id == "PlanItemTitle"]
    assert bold == ["Infection control."] and d.styles["Plan Item Title"].font.bold


# --------------------------------------------------------------------------- footers


def test_zh_footer_page_field_em_dashes_odd_right_even_left(zh_bytes):
    d = reopen(zh_bytes)
    assert d.settings.odd_and_even_pages_header_footer
    sec = d.sections[0]
    odd, even = sec.footer.paragraphs[0], sec.even_page_footer.paragraphs[0]
    for p in (odd, even):
        assert [t.text.strip() for t in p._p.iter(f"{W}instrText")] == ["PAGE"]
        assert p.text.startswith("— ") and p.text.endswith(" —")
    assert odd.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert even.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.LEFT
    assert odd.style.font.size == Pt(14)
    assert resolved_fonts(d, odd.style.style_id)["eastAsia"] == "宋体"


def test_en_footer_has_page_x_of_y(en_bytes):
    p = reopen(en_bytes).sections[0].footer.paragraphs[0]
    instr = [t.text.strip() for t in p._p.iter(f"{W}instrText")]
    assert instr == ["PAGE", "NUMPAGES"]
    assert p.text == "Page 1 of 1"


# --------------------------------------------------------------------------- tables and signature


def test_tables_repeat_header_and_rows_do_not_split(zh_bytes):
    d = reopen(zh_bytes)
    (table,) = d.tables
    rows = table._tbl.findall(f"{W}tr")
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])
    assert [c.text for c in table.rows[0].cells] == ["序号", "任务", "责任部门"]
    assert [c.text for c in table.rows[2].cells] == ["2", "质量评估", "质控科"]
    cols = [int(g.get(f"{W}w")) for g in table._tbl.findall(f"{W}tblGrid/{W}gridCol")]
    assert sum(cols) == 8845  # type area width in twips (156 mm)
    # every cell fits on one line: 14 pt characters are 280 twips wide
    assert cols[1] >= 4 * 280 and cols[2] >= 4 * 280 and cols[0] >= 2 * 280
    caption = by_text(d, "任务分工表")
    assert caption.style.style_id == "PlanCaption"
    assert caption._p.getnext().tag == f"{W}tbl"  # caption above the table


def test_zh_signature_date_right_with_four_character_inset(zh_bytes):
    d = reopen(zh_bytes)
    date = d.paragraphs[-1]
    assert date.text == "2025年1月15日"
    issuer = date._p.getprevious()
    assert docx.text.paragraph.Paragraph(issuer, date._parent).text == "青山市卫生健康委员会"
    assert issuer.find(f"{W}pPr/{W}ind") is not None  # centred over the date
    ind = date._p.find(f"{W}pPr/{W}ind")
    assert ind.get(f"{W}rightChars") == "400"
    assert date.style.paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT


def test_en_signature_text(en_bytes):
    texts = [p.text for p in paragraphs(reopen(en_bytes))]
    assert texts[-2:] == ["City General Hospital", "15 January 2025"]


# --------------------------------------------------------------------------- text and determinism


def test_all_text_round_trips_with_escaping():
    doc = Document("en", "A & B <c> \"d\" 'e'", (
        Paragraph("Ünïcödé e\u0301 😀 中文 & <tags> ]]>"),
        Paragraph("line one\nline two"),
        Item(1, "x < y && y > z"),
    ))
    d = reopen(write_docx(doc))
    texts = [p.text for p in paragraphs(d)]
    assert texts == ["A & B <c> \"d\" 'e'", "Ünïcödé e\u0301 😀 中文 & <tags> ]]>", "line one\nline two",
                     "1.\tx < y && y > z"]


def test_zh_text_round_trips(zh_bytes):
    d = reopen(zh_bytes)
    got = "".join(p.text for p in d.paragraphs)
    expected = ("关于印发2025年工作计划的通知" "为做好2025年工作，制定本计划。" "一、总体要求" "（一）指导思想"
                "1.加强院感管理。严格执行制度。" "（1）每季度检查1次。" "（2）发现问题限期整改。"
                "2.提升质量？落实“三查七对”制度。" "（二）工作目标" "1.目标明确。" "二、重点任务" "（一）第一项"
                "任务分工表" "青山市卫生健康委员会" "2025年1月15日")
    assert got == expected


def test_same_document_gives_identical_bytes(zh_bytes):
    assert write_docx(zh_doc()) == zh_bytes
    assert DocxWriter().write(zh_doc()) == zh_bytes
    with zipfile.ZipFile(io.BytesIO(zh_bytes)) as z:
        assert z.testzip() is None
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
        assert "dcterms:created" not in core and "dcterms:modified" not in core
        assert "关于印发2025年工作计划的通知" in core


def test_one_writer_serves_both_locales():
    w = DocxWriter()
    assert reopen(w.write(en_doc())).paragraphs[0].style.style_id == "PlanTitle"
    assert reopen(w.write(zh_doc())).sections[0].footer.paragraphs[0].text.endswith("—")


def test_unknown_locale_is_rejected():
    with pytest.raises(ValueError):
        write_docx(Document("fr", "Plan", ()))
    with pytest.raises(ValueError):
        reference_docx("fr")


def test_bundled_reference_documents_open_and_define_the_styles():
    for loc in ("zh", "en"):
        d = reopen(reference_docx(loc))
        ids = {s.style_id for s in d.styles}
        assert {"PlanTitle", "PlanBody", "Heading1", "Heading5", "PlanItem3", "PlanTable",
                "PlanTableHeader", "PlanSignature", "PlanDate"} <= ids


# --------------------------------------------------------------------------- user reference documents


@pytest.fixture
def letterhead(tmp_path):
    """A reference made by python-docx: red letterhead header, Letter paper, own Normal style."""
    d = docx.Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(216), Mm(279)
    sec.top_margin = Mm(50)
    run = sec.header.paragraphs[0].add_run("青山市卫生健康委员会文件")
    run.font.color.rgb = RGBColor(0xC0, 0, 0)
    run.font.size = Pt(26)
    body = d.styles.add_style("PlanBody", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    body.font.size = Pt(12)
    path = tmp_path / "letterhead.docx"
    d.save(path)
    return path


def test_user_reference_header_and_page_setup_are_honoured(letterhead):
    data = DocxWriter(letterhead).write(zh_doc())
    d = reopen(data)
    sec = d.sections[0]
    assert sec.header.paragraphs[0].text == "青山市卫生健康委员会文件"
    assert abs(sec.page_width - Mm(216)) < Mm(0.5) and abs(sec.top_margin - Mm(50)) < Mm(0.5)
    ids = {s.style_id for s in d.styles}
    # missing plan styles are merged from the bundled zh reference …
    assert {"PlanTitle", "Heading1", "PlanItem3", "PlanTable", "PlanDate"} <= ids
    # the reference's own "heading 1" (python-docx's, blue) is kept, as pandoc keeps it
    assert by_text(d, "一、总体要求").style.name == "Heading 1"
    assert d.styles["Heading 1"].font.color.rgb == RGBColor(0x36, 0x5F, 0x91)
    # … but the reference's own definition wins
    assert d.styles["PlanBody"].font.size == Pt(12)
    assert "".join(p.text for p in d.paragraphs).startswith("关于印发2025年工作计划的通知为做好")
    # tables follow the reference's type area
    cols = [int(g.get(f"{W}w")) for g in d.tables[0]._tbl.findall(f"{W}tblGrid/{W}gridCol")]
    assert abs(sum(cols) - (sec.page_width - sec.left_margin - sec.right_margin) / 635) <= 1


def test_write_docx_with_reference_path(letterhead):
    assert write_docx(en_doc(), reference=letterhead) == DocxWriter(str(letterhead)).write(en_doc())
    d = reopen(write_docx(en_doc(), reference=letterhead))
    assert resolved_fonts(d, "PlanTitle")["eastAsia"] == "SimSun"


# --------------------------------------------------------------------------- layout from content


def grid(d, n=0):
    return [int(g.get(f"{W}w")) for g in d.tables[n]._tbl.findall(f"{W}tblGrid/{W}gridCol")]


def test_table_columns_follow_their_content():
    duties = "负责社区卫生服务站的日常管理，组织开展健康教育、慢性病随访和老年人健康体检等工作。" * 2
    doc = Document("zh", "分工", (Table(("责任人", "工作职责"), (("社区党委书记", duties), ("社区医生", duties)),
                                        widths=(1, 1)),))
    cols = grid(reopen(write_docx(doc)))
    assert sum(cols) == 8845
    # 社区党委书记 (six 14 pt characters) on one line, the duties take the rest
    assert 6 * 280 <= cols[0] < 2 * 6 * 280 and cols[1] > 3 * cols[0]
    # numbers and CJK side by side need the quarter em between them too
    doc = Document("zh", "进度", (Table(("时间", "工作内容"), (("12月20日", duties),)),))
    assert grid(reopen(write_docx(doc)))[0] >= (4 + 0.75) * 280


def test_table_columns_never_exceed_the_type_area_and_keep_minimums():
    words = "Coordinate quarterly reviews with every department and publish the results promptly. "
    doc = Document("en", "Plan", (Table(tuple(f"Column {i}" for i in range(8)),
                                        ((words * 3,) * 8,)),))
    cols = grid(reopen(write_docx(doc)))
    assert sum(cols) == 9072 and min(cols) >= 2 * 200  # 9072 twips between 25 mm margins


def test_english_sub_items_start_at_their_parents_text():
    doc = Document("en", "Plan", (
        Heading(1, "Tasks"), Heading(2, "Quality"), Heading(3, "Records"),
        Item(4, "Audit records."),            # under a heading: the number at the margin
        Heading(3, "Medicines"),
        Item(4, "Review prescriptions."),
        Item(2, "Staff."), Item(3, "Train staff."), Item(4, "Test them."),  # item under item
    ))
    d = reopen(write_docx(doc))

    def start_and_text(prefix):
        p = by_text(d, prefix)
        ind = p._p.find(f"{W}pPr/{W}ind")
        if ind is None:
            ind = d.styles.element.find(f"{W}style[@{W}styleId='{p.style.style_id}']/{W}pPr/{W}ind")
        left, hanging = int(ind.get(f"{W}left")), int(ind.get(f"{W}hanging") or 0)
        return left - hanging, left
    assert start_and_text("(a)\tAudit")[0] == 0 and start_and_text("(a)\tReview")[0] == 0
    _, staff_text = start_and_text("1.2\tStaff")
    train_start, train_text = start_and_text("1.2.1\tTrain")
    assert train_start == staff_text
    assert start_and_text("(a)\tTest")[0] == train_text


@pytest.mark.parametrize("title, lines", [
    ("关于印发《青山县卫生健康局2025年工作计划》的通知", ["关于印发《青山县卫生健康局", "2025年工作计划》的通知"]),
    ("关于印发《青山县2025年卫生健康工作要点》的通知", ["关于印发《青山县2025年", "卫生健康工作要点》的通知"]),
    ("临沧市临翔区忙畔街道社区卫生服务中心2025年基本公共卫生服务项目工作计划",
     ["临沧市临翔区忙畔街道社区卫生服务中心", "2025年基本公共卫生服务项目工作计划"]),
    ("青山县人民医院2025年工作计划", ["青山县人民医院2025年工作计划"]),
])
def test_a_long_chinese_title_breaks_where_its_meaning_does(title, lines):
    from planwriter.writers.docx.body import title_lines
    assert title_lines(title, 20.1).split("\n") == lines  # 2号 on the 156 mm type area


def test_the_notice_title_of_a_docx_is_set_on_two_balanced_lines():
    plan = planwriter.loads("meta:\n  organisation: 青山县卫生健康局\n  year: 2025\n  date: 2025-03-01\n"
                            "  notice: {}\nsections:\n  - kind: tasks\n    text: 做好各项工作。\n")
    d = docx.Document(io.BytesIO(planwriter.render_docx(plan)))
    title = next(p for p in d.paragraphs if p.text.startswith("关于印发"))
    assert title.text == "关于印发《青山县卫生健康局\n2025年工作计划》的通知"
