"""Importing plans from each format and encoding, and refusing what is not a plan."""
import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml

import planwriter
from planwriter.readers import lines_of, read_all, read_with_findings
from planwriter.tree import Heading, Item

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ZH = ("白云社区卫生服务中心2025年工作计划\n\n一、工作目标\n家庭医生签约率达到75%以上。\n"
      "二、主要任务\n（一）基本医疗\n1.做好慢病管理。\n2.开展健康教育。\n（二）公共卫生\n1.做好预防接种。\n")


def structure(plan):
    doc = planwriter.compose(plan)
    return [(b.level, b.text if isinstance(b, Heading) else (b.title or b.text))
            for b in doc.blocks if isinstance(b, (Heading, Item))]


EXPECTED = [(1, "工作目标"), (1, "主要任务"), (2, "基本医疗"), (3, "做好慢病管理。"), (3, "开展健康教育。"),
            (2, "公共卫生"), (3, "做好预防接种。")]


# -- encodings ---------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "big5"])
def test_text_in_each_encoding(tmp_path, encoding):
    text = ZH if encoding != "big5" else ZH.replace("务", "務").replace("划", "劃").replace("医", "醫") \
        .replace("疗", "療").replace("开", "開").replace("预", "預").replace("卫", "衛").replace("签", "簽") \
        .replace("约", "約").replace("达", "達").replace("庭", "庭").replace("区", "區").replace("心", "心") \
        .replace("标", "標").replace("务", "務").replace("作", "作").replace("计", "計").replace("慢", "慢") \
        .replace("病", "病").replace("管", "管").replace("理", "理").replace("展", "展").replace("健", "健") \
        .replace("康", "康").replace("育", "育").replace("公", "公").replace("共", "共").replace("种", "種") \
        .replace("础", "礎").replace("本", "本").replace("主", "主").replace("要", "要").replace("任", "任") \
        .replace("家", "家").replace("生", "生").replace("率", "率").replace("以", "以").replace("上", "上")
    path = tmp_path / "plan.txt"
    path.write_bytes(text.encode(encoding))
    reading = read_with_findings(path)
    assert len(structure(reading.plan)) == len(EXPECTED)
    if encoding in ("gbk", "gb18030", "big5"):
        expected = "BIG5" if encoding == "big5" else "GB18030"
        assert any(f"read as {expected}" in f.message for f in reading.findings)


def test_gb18030_beyond_gbk(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(ZH.replace("白云社区", "𠮷云社区").encode("gb18030"))
    assert read_with_findings(path).plan.meta.organisation.root.startswith("𠮷")


def test_mixed_encodings_are_read_line_by_line(tmp_path):
    lines = ZH.split("\n")
    data = "\n".join(lines[:4]).encode("utf-8") + b"\n" + "\n".join(lines[4:]).encode("gbk")
    path = tmp_path / "mixed.txt"
    path.write_bytes(data)
    reading = read_with_findings(path)
    assert structure(reading.plan) == EXPECTED
    assert any("mixed encodings" in f.message for f in reading.findings)


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "looks like a PDF"),
    (bytes(range(256)) * 40, "not a text file"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Word"),
    ("计划".encode("utf-8") + b"\xff\xfe\xfa" * 50 + b"\x81\x30", "not UTF-8, GBK, GB18030 or Big5"),
])
def test_binary_junk_is_one_line_error(tmp_path, data, message):
    path = tmp_path / "junk.txt"
    path.write_bytes(data)
    with pytest.raises(planwriter.PlanError) as e:
        read_with_findings(path)
    assert message in str(e.value) and "\n" not in str(e.value) and str(e.value).startswith(str(path))


def test_an_empty_or_all_clutter_input(tmp_path):
    for text in ("", "\n\n  \n", "当前位置：首页 > 工作计划\n手机版\nCopyright © 2025 范文网\n"):
        path = tmp_path / "empty.txt"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(planwriter.PlanError, match="no plan text found"):
            read_with_findings(path)


# -- DOCX ---------------------------------------------------------------------------
NUMBERING = f"""<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="7"><w:multiLevelType w:val="multilevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="8"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
<w:num w:numId="4"><w:abstractNumId w:val="7"/></w:num>
<w:num w:numId="5"><w:abstractNumId w:val="8"/></w:num>
</w:numbering>"""


def _numbered(p, num_id, ilvl):
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def make_docx(body, heading_styles=False) -> bytes:
    d = docx.Document()
    d.part.numbering_part._element = parse_xml(NUMBERING)
    d.add_paragraph("白云社区卫生服务中心2025年工作计划", style="Title")
    for kind, text, level in body:
        if kind == "num":
            p = d.add_paragraph(text, style=f"Heading {level + 1}" if heading_styles and level < 2 else None)
            _numbered(p, 4, level)
        elif kind == "bullet":
            _numbered(d.add_paragraph(text), 5, 0)
        elif kind == "heading":
            d.add_paragraph(text, style=f"Heading {level}")
        elif kind == "lead":
            p = d.add_paragraph()
            p.add_run(text[0]).bold = True
            p.add_run(text[1])
        elif kind == "table":
            t = d.add_table(rows=0, cols=len(text[0]))
            for row in text:
                for cell, value in zip(t.add_row().cells, row):
                    cell.text = value
        elif kind == "right":
            d.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            d.add_paragraph(text)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


BODY = [("num", "工作目标", 0), ("num", "家庭医生签约率达到75%以上。", 2), ("num", "主要任务", 0),
        ("num", "基本医疗", 1), ("num", "做好慢病管理。", 2), ("num", "开展健康教育。", 2),
        ("num", "公共卫生", 1), ("num", "做好预防接种。", 2)]


def test_docx_word_numbering_is_resolved_through_numbering_xml():
    data = make_docx(BODY)
    markers = [ln.marker for ln in lines_of(data, "docx")]
    assert markers == ["", "一、", "1.", "二、", "（一）", "1.", "2.", "（二）", "1."]
    plan = planwriter.read(data, "docx")
    assert structure(plan) == [(1, "工作目标"), (2, "家庭医生签约率达到75%以上。"), (1, "主要任务"),
                               (2, "基本医疗"), (3, "做好慢病管理。"), (3, "开展健康教育。"),
                               (2, "公共卫生"), (3, "做好预防接种。")]


def test_docx_heading_styles_bold_leads_tables_and_signature():
    data = make_docx([("heading", "工作目标", 1), ("plain", "全年门诊量增长10%。", 0), ("heading", "重点工作", 1),
                      ("lead", ("加强队伍建设。", "选派骨干进修学习。"), 0), ("bullet", "开展义诊活动。", 0),
                      ("bullet", "开展健康讲座。", 0), ("heading", "进度安排", 1),
                      ("table", [["时间", "工作内容", "责任人"], ["3月", "制定方案", "办公室"], ["6月底前", "中期督查", "质控科"]], 0),
                      ("right", "白云社区卫生服务中心", 0), ("right", "2025年1月15日", 0)])
    reading = read_with_findings(data, "docx")
    plan = reading.plan
    assert plan.meta.issuer is not None and str(plan.meta.issuer) == "白云社区卫生服务中心"
    assert str(plan.meta.date) == "2025-01-15"
    tasks = plan.sections[1]
    assert str(tasks.items[0].title) == "加强队伍建设" and str(tasks.items[0].text) == "选派骨干进修学习。"
    schedule = plan.sections[2]
    assert [(str(e.when), str(e.what), str(e.owner)) for e in schedule.schedule] == \
        [("3", "制定方案", "办公室"), ("by 6", "中期督查", "质控科")]


def test_docx_lines_count_paragraphs_and_table_rows():
    data = make_docx([("plain", "第一段。", 0), ("table", [["甲", "乙"], ["丙", "丁"]], 0), ("plain", "第二段。", 0)])
    lines = lines_of(data, "docx")
    assert [(ln.line, ln.text) for ln in lines if ln.table is None] == \
        [(1, "白云社区卫生服务中心2025年工作计划"), (2, "第一段。"), (5, "第二段。")]
    assert [ln.row_lines for ln in lines if ln.table] == [[3, 4]]


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("data, message", [
    (b"PK\x03\x04not really a zip", "not a DOCX: it is not a ZIP package"),
    (_zip({"xl/workbook.xml": b"<x/>"}), "no word/document.xml"),
    (_zip({"word/document.xml": b"<w:document xmlns:w='%s'><w:body><w:p></w:p></w:body></w:document>" % W.encode()}),
     "holds no text"),
    (_zip({"word/document.xml": b"<w:document"}), "not well-formed XML"),
    (_zip({"word/document.xml": b"<w:document xmlns:w='%s'><w:body>" % W.encode() + b" " * (80 << 20)
           + b"</w:body></w:document>"}), "zip bomb"),
])
def test_bad_docx_is_one_line_error(tmp_path, data, message):
    path = tmp_path / "plan.docx"
    path.write_bytes(data)
    with pytest.raises(planwriter.PlanError) as e:
        read_with_findings(path)
    assert message in str(e.value) or ("unpacks to" in str(e.value) and message == "zip bomb")
    assert "\n" not in str(e.value)


# -- Markdown and HTML ---------------------------------------------------------------
def test_english_markdown_action_plan():
    text = ("# Riverside Clinic: Infection Prevention Action Plan 2025\n\n*Draft v3*\n\n"
            "## 1. Objectives\n\n- Achieve hand hygiene compliance of at least 90%.\n- Keep the surgical site infection rate below 2%.\n\n"
            "## 2. Actions\n\n| Action | Owner | Timeline |\n| --- | --- | --- |\n| Audit hand hygiene | Infection Control Nurse | by June 2025 |\n\n"
            "Dr Mary Okafor, Clinical Director\n\n14 March 2025\n")
    reading = read_with_findings(text, "markdown")
    assert reading.frame.language == "en" and reading.frame.status == "Draft v3"
    assert reading.frame.issuers == ["Dr Mary Okafor, Clinical Director"]
    assert [(s.kind, str(s.title) if s.title else "") for s in reading.plan.sections] == \
        [("goals", ""), ("tasks", "Actions")]
    assert [(str(e.when), str(e.what)) for e in reading.plan.sections[1].schedule] == \
        [("by 2025-06", "Audit hand hygiene")]


PAGE = """<!doctype html><html><head><meta charset="{charset}"><title>白云社区2025年健康教育工作计划_范文网</title>
<script>var _hmt = [];</script><style>p{{margin:0}}</style></head><body>
<div class="top-nav"><a href="/">首页</a> | <a href="/jh">工作计划</a> | <a href="/zj">工作总结</a></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/jh">工作计划</a> &gt; 社区工作计划</div>
<div class="article"><h1>白云社区2025年健康教育工作计划</h1>
<div class="info">来源：范文网　阅读：3,210 次</div>
<p>为提高辖区居民健康素养，制定本计划。</p>
<h2>一、工作目标</h2><p>居民健康素养水平达到30%以上。</p>
<h2>二、主要措施</h2><p><strong>（一）办好健康讲座。</strong>每季度举办健康讲座。</p>
<p><strong>（二）更新宣传栏。</strong>每两个月更新一次。</p>
<p style="text-align:right">白云社区居委会</p><p style="text-align:right">2025年1月8日</p></div>
<div class="share">分享到：<a>微信</a> <a>微博</a></div>
<div class="related"><h3>相关推荐</h3><ul><li><a>社区健康教育工作计划范文</a></li></ul></div>
<div id="footer">版权所有 范文网 京ICP备12345678号</div></body></html>"""


@pytest.mark.parametrize("charset, encoding", [("utf-8", "utf-8"), ("gbk", "gbk"), ("gb2312", "gb18030")])
def test_html_page_with_site_furniture(tmp_path, charset, encoding):
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.format(charset=charset).encode(encoding))
    reading = read_with_findings(path)
    plan = reading.plan
    assert str(plan.meta.title) == "白云社区2025年健康教育工作计划" and str(plan.meta.issuer) == "白云社区居委会"
    assert structure(plan) == [(1, "工作目标"), (1, "主要措施"), (2, "办好健康讲座"), (2, "更新宣传栏")]
    dropped = {f.message for f in reading.findings if f.kind == "dropped"}
    assert {"site navigation", "breadcrumb", "page metadata", "share or print links",
            "recommended or related articles", "copyright or paywall footer"} <= dropped
    text = planwriter.render_markdown(plan)
    assert "首页" not in text and "范文网" not in text and "分享" not in text


def test_a_page_of_several_plans_is_split(tmp_path):
    page = "范文网 > 工作计划\n\n社区工作计划 篇1\n\n一、目标\n做好健康教育。\n\n社区工作计划 篇2\n\n一、任务\n做好预防接种。\n"
    path = tmp_path / "page.txt"
    path.write_text(page, encoding="utf-8")
    readings = read_all(path)
    assert [r.lines for r in readings] == [(5, 6), (10, 11)] or len(readings) == 2
    assert [str(r.plan.meta.title) for r in readings] == ["社区工作计划", "社区工作计划"]
    single = read_with_findings(path)
    assert any("holds 2 plans" in f.message for f in single.findings)


def test_a_large_page_imports(tmp_path):
    """A page of some megabytes (navigation, scripts, thousands of items) is read, not refused."""
    items = "".join(f"<p>{k}、加强第{k}项工作，确保完成率达到{90 + k % 10}%以上。</p>" for k in range(1, 901))
    junk = "<div class='nav'>" + "<a href='#'>链接</a> | " * 20000 + "</div><script>" + "var x=1;" * 100000 + "</script>"
    page = f"<html><body>{junk}<h1>白云社区2025年工作计划</h1><h2>一、任务</h2>{items}</body></html>"
    path = tmp_path / "big.html"
    path.write_text(page, encoding="utf-8")
    plan = read_with_findings(path).plan
    assert len(plan.sections[-1].items) == 900
