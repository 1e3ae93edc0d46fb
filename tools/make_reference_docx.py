#!/usr/bin/env python3
"""Generate the bundled reference documents planwriter/data/reference-{zh,en}.docx.

The reference documents carry every style, the page setup and the footers the
DOCX writer uses (see :mod:`planwriter.writers.docx` for the style IDs).  They
play the role of pandoc's ``reference.docx``: users may open one in Word or
WPS, restyle it, keep a letterhead header, and pass it back with
``--reference-doc``.

Chinese follows GB/T 9704-2012 (党政机关公文格式): A4, top 37 mm, left 28 mm,
type area 156 × 225 mm, 22 lines × 28 characters of 3号仿宋, 2号小标宋 title,
一、黑体 / （一）楷体 / 1. and （1）仿宋 headings, 4号 “— 1 —” page numbers placed
right on odd and left on even pages.

Run ``python tools/make_reference_docx.py`` from the repository root; the
output is deterministic (fixed zip timestamps and document properties).
"""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.shared import Twips
from lxml import etree

from planwriter.writers.docx import fonts

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = f'xmlns:w="{W_NS}"'
W = "{%s}" % W_NS

OUT_DIR = Path(__file__).resolve().parent.parent / "planwriter" / "data"

FIXED_DATE = (1980, 1, 1, 0, 0, 0)

# --------------------------------------------------------------------------- helpers


def rpr(
    *,
    ascii: str | None = None,
    ea: str | None = None,
    hint_ea: bool = False,
    b: bool | None = None,
    i: bool | None = None,
    color: str | None = None,
    scale: int | None = None,
    sz: int | None = None,
    lang: tuple[str, str] | None = None,
) -> str:
    """Run properties in schema order.  ``sz`` is in points (float allowed)."""
    out = []
    if ascii or ea:
        attrs = []
        if ascii:
            attrs += [f'w:ascii="{ascii}"', f'w:hAnsi="{ascii}"', f'w:cs="{ascii}"']
        if ea:
            attrs.append(f'w:eastAsia="{ea}"')
        if hint_ea:
            attrs.append('w:hint="eastAsia"')
        out.append(f"<w:rFonts {' '.join(attrs)}/>")
    if b is not None:
        v = "" if b else ' w:val="0"'
        out.append(f"<w:b{v}/><w:bCs{v}/>")
    if i is not None:
        v = "" if i else ' w:val="0"'
        out.append(f"<w:i{v}/><w:iCs{v}/>")
    if color:
        out.append(f'<w:color w:val="{color}"/>')
    if scale is not None:
        out.append(f'<w:w w:val="{scale}"/>')
    if sz is not None:
        half = int(round(sz * 2))
        out.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    if lang:
        out.append(f'<w:lang w:val="{lang[0]}" w:eastAsia="{lang[1]}" w:bidi="ar-SA"/>')
    return "".join(out)


def _element(tag: str, attrs: list[tuple[str, object]]) -> str:
    """An empty element with the attributes whose values are set, in the given order; '' if none."""
    given = [f'{name}="{value}"' for name, value in attrs if value is not None]
    return f"<{tag} {' '.join(given)}/>" if given else ""


def ppr(
    *,
    keep_next: bool = False,
    keep_lines: bool = False,
    widow: bool | None = None,
    border_bottom: str | None = None,
    snap: bool | None = None,
    before: int | None = None,
    before_lines: int | None = None,
    after: int | None = None,
    line: int | None = None,
    rule: str = "auto",
    left: int | None = None,
    right: int | None = None,
    right_chars: int | None = None,
    first: int | None = None,
    first_chars: int | None = None,
    hanging: int | None = None,
    jc: str | None = None,
    outline: int | None = None,
) -> str:
    """Paragraph properties in schema order.  Lengths in twips."""
    out = []
    if keep_next:
        out.append("<w:keepNext/>")
    if keep_lines:
        out.append("<w:keepLines/>")
    if widow is not None:
        out.append("<w:widowControl/>" if widow else '<w:widowControl w:val="0"/>')
    if border_bottom:
        out.append(f'<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="4" w:color="{border_bottom}"/></w:pBdr>')
    if snap is not None:
        out.append("<w:snapToGrid/>" if snap else '<w:snapToGrid w:val="0"/>')
    out.append(_element("w:spacing", [("w:before", before), ("w:beforeLines", before_lines),
                                      ("w:after", after), ("w:line", line),
                                      ("w:lineRule", rule if line is not None else None)]))
    out.append(_element("w:ind", [("w:left", left), ("w:rightChars", right_chars), ("w:right", right),
                                  ("w:firstLineChars", first_chars), ("w:firstLine", first),
                                  ("w:hanging", hanging)]))
    if jc:
        out.append(f'<w:jc w:val="{jc}"/>')
    if outline is not None:
        out.append(f'<w:outlineLvl w:val="{outline}"/>')
    return "".join(out)


def pstyle(sid: str, name: str, p: str, r: str, *, next_: str | None = None, based: str = "Normal",
           builtin: bool = False) -> str:
    """A paragraph style; ``builtin`` for Word's own (``heading 1`` …), which tools recognise."""
    nxt = f'<w:next w:val="{next_}"/>' if next_ else ""
    custom = "" if builtin else ' w:customStyle="1"'
    priority = '<w:uiPriority w:val="9"/>' if builtin else ""
    return (
        f'<w:style {NSDECL} w:type="paragraph"{custom} w:styleId="{sid}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="{based}"/>{nxt}{priority}<w:qFormat/>'
        f"<w:pPr>{p}</w:pPr><w:rPr>{r}</w:rPr></w:style>"
    )


def heading(level: int, p: str, r: str) -> str:
    """Word's built-in ``heading N`` style (ID ``HeadingN``) with the plan's look."""
    return pstyle(f"Heading{level}", f"heading {level}", p, r, next_="PlanBody", builtin=True)


def cstyle(sid: str, name: str, r: str) -> str:
    return (
        f'<w:style {NSDECL} w:type="character" w:customStyle="1" w:styleId="{sid}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/>'
        f"<w:rPr>{r}</w:rPr></w:style>"
    )


def tstyle(sid: str, name: str, color: str) -> str:
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{color}"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return (
        f'<w:style {NSDECL} w:type="table" w:customStyle="1" w:styleId="{sid}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="TableNormal"/>'
        f"<w:tblPr><w:jc w:val=\"center\"/><w:tblBorders>{borders}</w:tblBorders>"
        '<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        "</w:style>"
    )


def field_runs(instr: str, rp: str = "") -> str:
    r = f"<w:rPr>{rp}</w:rPr>" if rp else ""
    return (
        f'<w:r>{r}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{r}<w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
        f'<w:r>{r}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{r}<w:t>1</w:t></w:r>"
        f'<w:r>{r}<w:fldChar w:fldCharType="end"/></w:r>'
    )


def text_run(text: str, rp: str = "") -> str:
    r = f"<w:rPr>{rp}</w:rPr>" if rp else ""
    return f'<w:r>{r}<w:t xml:space="preserve">{text}</w:t></w:r>'


# --------------------------------------------------------------------------- locales

# GB/T 9704-2012 geometry, in twips (1 mm = 56.6929 twips).
ZH = dict(
    page=(11906, 16838),
    margins=dict(top=2098, bottom=1984, left=1587, right=1474, header=851, footer=1247),
    # 22 lines of 28.95 pt.  The 28-character line comes from setting body
    # glyphs 98 % wide (16 pt × 0.98 = 15.68 pt × 28 = 439 pt ≤ 442.2 pt)
    # rather than from a character grid: LibreOffice misreads the negative
    # w:charSpace a linesAndChars grid needs and letter-spaces every line, and
    # it drops a full-width comma that ends a line set with negative letter
    # spacing (w:spacing), the other way to condense text.
    grid=dict(type="lines", linePitch="579"),
    lang=("en-US", "zh-CN"),
)
EN = dict(
    page=(11906, 16838),
    margins=dict(top=1417, bottom=1417, left=1417, right=1417, header=708, footer=567),
    grid=dict(linePitch="360"),
    lang=("en-GB", "zh-CN"),
)

FS = fonts.FANGSONG.name         # 仿宋_GB2312
HEI = fonts.HEI.name             # 黑体
KAI = fonts.KAI.name             # 楷体_GB2312
XBS = fonts.XIAOBIAOSONG.name    # 方正小标宋简体
SONG = fonts.SONG.name           # 宋体
TNR = "Times New Roman"


#: Chinese body text is set flush left, not justified.  A line of Chinese alone fills the
#: 28-character measure either way; but LibreOffice, which does not compress punctuation at a
#: line end as Word does, letter-spaces a justified line whose next unbreakable piece (61%）。)
#: does not fit, so such a line ends up to three characters short instead.
BODY_JC = "left"


def zh_styles() -> tuple[str, list[str]]:
    body_p = dict(widow=False, before=0, after=0, line=579, rule="exact")
    body_r = rpr(ascii=TNR, ea=FS, hint_ea=True, scale=98, sz=16)
    styles = [
        pstyle("PlanTitle", "Plan Title",
               ppr(keep_next=True, keep_lines=True, widow=False, snap=False, before=0, after=579, line=700,
                   rule="exact",
                   first=0, first_chars=0, jc="center"),
               rpr(ascii=TNR, ea=XBS, hint_ea=True, sz=22), next_="PlanBody"),
        pstyle("PlanBody", "Plan Body", ppr(**body_p, first_chars=200, first=640, jc=BODY_JC), body_r),
    ]
    heading_fonts = [HEI, KAI, FS, FS, FS]
    for lvl, font in enumerate(heading_fonts, 1):
        styles.append(heading(
            lvl,
            ppr(keep_next=True, keep_lines=True, **body_p, first_chars=200, first=640, jc=BODY_JC, outline=lvl - 1),
            rpr(ascii=TNR, ea=font, hint_ea=True, b=False, i=False, color="000000", scale=98, sz=16)))
    for lvl in range(1, 6):
        styles.append(pstyle(f"PlanItem{lvl}", f"Plan Item {lvl}",
                             ppr(**body_p, first_chars=200, first=640, jc=BODY_JC), body_r))
    styles += [
        cstyle("PlanItemTitle", "Plan Item Title", ""),
        pstyle("PlanCaption", "Plan Caption",
               ppr(keep_next=True, widow=False, before=0, after=0, line=579, rule="exact", first=0, first_chars=0,
                   jc="center"),
               rpr(ascii=TNR, ea=HEI, hint_ea=True, sz=16)),
        tstyle("PlanTable", "Plan Table", "000000"),
        pstyle("PlanTableHeader", "Plan Table Header",
               ppr(keep_next=True, widow=False, snap=False, before=0, after=0, line=240, first=0, first_chars=0,
                   jc="center"),
               rpr(ascii=TNR, ea=HEI, hint_ea=True, b=False, sz=14)),
        pstyle("PlanTableText", "Plan Table Text",
               ppr(widow=False, snap=False, before=0, after=0, line=240, first=0, first_chars=0, jc="left"),
               rpr(ascii=TNR, ea=FS, hint_ea=True, sz=14)),
        pstyle("PlanSignature", "Plan Signature",
               ppr(keep_next=True, widow=False, before=1158, before_lines=200, after=0, line=579, rule="exact",
                   first=0, first_chars=0, right=1280, right_chars=400, jc="right"), body_r),
        pstyle("PlanDate", "Plan Date",
               ppr(widow=False, before=0, after=0, line=579, rule="exact", first=0, first_chars=0, right=1280,
                   right_chars=400, jc="right"), body_r),
        pstyle("PlanPageNumber", "Plan Page Number",
               ppr(widow=False, snap=False, before=0, after=0, line=240, first=0, first_chars=0),
               rpr(ascii=SONG, ea=SONG, sz=14), based="Footer"),
    ]
    defaults = rpr(ascii=TNR, ea=FS, hint_ea=True, sz=16, lang=ZH["lang"])
    return defaults, styles


def en_styles() -> tuple[str, list[str]]:
    SERIF, SANS, EA = "Cambria", "Calibri", "SimSun"
    INK, ACCENT = "222222", "1F3A5F"
    body_p = dict(before=0, after=120, line=276)
    body_r = rpr(ascii=SERIF, ea=EA, sz=11, color=INK)
    styles = [
        pstyle("PlanTitle", "Plan Title",
               ppr(keep_next=True, keep_lines=True, border_bottom=ACCENT, before=0, after=360, line=240,
                   first=0, jc="left"),
               rpr(ascii=SANS, ea=EA, b=True, color=ACCENT, sz=22), next_="PlanBody"),
        pstyle("PlanBody", "Plan Body", ppr(**body_p, first=0, jc="left"), body_r),
    ]
    heads = [  # size, before, after, bold, italic
        (14, 360, 120, True, False),
        (12, 280, 100, True, False),
        (11, 240, 80, True, False),
        (11, 200, 60, True, True),
        (11, 160, 60, False, True),
    ]
    for lvl, (sz, before, after, b, i) in enumerate(heads, 1):
        styles.append(heading(
            lvl,
            ppr(keep_next=True, keep_lines=True, before=before, after=after, line=240, first=0, jc="left",
                outline=lvl - 1),
            rpr(ascii=SANS, ea=EA, b=b, i=i, color=ACCENT, sz=sz)))
    # (left, hanging): every number starts at the margin; the writer indents a sub-item of an
    # item so that its number starts where its parent's text does.
    items = [(425, 425), (567, 567), (794, 794), (425, 425), (425, 425)]
    for lvl, (left, hang) in enumerate(items, 1):
        styles.append(pstyle(f"PlanItem{lvl}", f"Plan Item {lvl}",
                             ppr(**body_p, left=left, hanging=hang, jc="left"), body_r))
    styles += [
        cstyle("PlanItemTitle", "Plan Item Title", rpr(b=True)),
        pstyle("PlanCaption", "Plan Caption",
               ppr(keep_next=True, before=120, after=80, line=240, first=0, jc="left"),
               rpr(ascii=SANS, ea=EA, b=True, color=ACCENT, sz=10)),
        tstyle("PlanTable", "Plan Table", "A6A6A6"),
        pstyle("PlanTableHeader", "Plan Table Header",
               ppr(keep_next=True, before=0, after=0, line=240, first=0, jc="left"),
               rpr(ascii=SANS, ea=EA, b=True, color=INK, sz=10)),
        pstyle("PlanTableText", "Plan Table Text",
               ppr(before=0, after=0, line=240, first=0, jc="left"),
               rpr(ascii=SERIF, ea=EA, color=INK, sz=10)),
        pstyle("PlanSignature", "Plan Signature",
               ppr(keep_next=True, before=480, after=0, line=276, first=0, jc="left"),
               rpr(ascii=SERIF, ea=EA, b=True, color=INK, sz=11)),
        pstyle("PlanDate", "Plan Date", ppr(before=0, after=0, line=276, first=0, jc="left"), body_r),
        pstyle("PlanPageNumber", "Plan Page Number",
               ppr(before=0, after=0, line=240, first=0, jc="center"),
               rpr(ascii=SANS, ea=EA, color="595959", sz=9), based="Footer"),
    ]
    defaults = rpr(ascii=SERIF, ea=EA, sz=11, lang=EN["lang"])
    return defaults, styles


SAMPLES = {
    "zh": [
        ("PlanTitle", "关于印发××工作计划的通知（参考样式）"),
        ("PlanBody", "正文使用3号仿宋字体，每页22行，每行28字，首行缩进2字。"),
        ("Heading1", "一、一级标题（黑体）"),
        ("Heading2", "（一）二级标题（楷体）"),
        ("Heading3", "1.三级标题（仿宋）"),
        ("Heading4", "（1）四级标题（仿宋）"),
        ("PlanItem3", "1.编号段落。编号段落与正文同字体同行距。"),
        ("PlanCaption", "表题样式"),
        ("PlanSignature", "××单位"),
        ("PlanDate", "2025年1月15日"),
    ],
    "en": [
        ("PlanTitle", "Work Plan (reference styles)"),
        ("PlanBody", "Body text is set in an 11 pt serif with 1.15 line spacing."),
        ("Heading1", "1. Heading level 1"),
        ("Heading2", "1.1 Heading level 2"),
        ("Heading3", "1.1.1 Heading level 3"),
        ("PlanItem3", "1.1.1\tNumbered paragraph with a hanging indent."),
        ("PlanCaption", "Table caption"),
        ("PlanSignature", "Issuing body"),
        ("PlanDate", "15 January 2025"),
    ],
}

KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Header", "HeaderChar", "Footer",
               "FooterChar", "TableGrid"}


def footer_paragraph(locale: str, align: str) -> str:
    if locale == "zh":
        ind = '<w:ind w:right="280" w:rightChars="100"/>' if align == "right" else \
              '<w:ind w:left="280" w:leftChars="100"/>'
        return (
            f'<w:p {NSDECL}><w:pPr><w:pStyle w:val="PlanPageNumber"/>{ind}<w:jc w:val="{align}"/></w:pPr>'
            + text_run("— ") + field_runs("PAGE") + text_run(" —") + "</w:p>"
        )
    return (
        f'<w:p {NSDECL}><w:pPr><w:pStyle w:val="PlanPageNumber"/><w:jc w:val="center"/></w:pPr>'
        + text_run("Page ") + field_runs("PAGE") + text_run(" of ") + field_runs("NUMPAGES") + "</w:p>"
    )


def build(locale: str) -> bytes:
    geo = ZH if locale == "zh" else EN
    defaults, styles = zh_styles() if locale == "zh" else en_styles()
    d = docx.Document()

    # Drop parts the writer never needs (keeps the reference small and neutral).
    for rId, rel in list(d.part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml", "/numbering")):
            d.part.drop_rel(rId)
    pkg = d.part.package
    for rId, rel in list(pkg.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            pkg.rels.pop(rId)

    # Styles: trim the template's catalogue, set defaults, add the plan styles.
    st = d.styles.element
    for s in st.findall(W + "style"):
        if s.get(W + "styleId") not in KEEP_STYLES:
            st.remove(s)
    rdef = st.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    for child in list(rdef):
        rdef.remove(child)
    for el in parse_xml(f"<w:rPr {NSDECL}>{defaults}</w:rPr>"):
        rdef.append(el)
    pdef = st.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")
    for child in list(pdef):
        pdef.remove(child)
    if locale == "zh":
        pdef.append(parse_xml(f'<w:spacing {NSDECL} w:after="0" w:line="240" w:lineRule="auto"/>'))
    else:
        pdef.append(parse_xml(f'<w:spacing {NSDECL} w:after="120" w:line="276" w:lineRule="auto"/>'))
    for xml in styles:
        st.append(parse_xml(xml))

    # Page setup.
    sec = d.sections[0]
    sec.page_width, sec.page_height = Twips(geo["page"][0]), Twips(geo["page"][1])
    m = geo["margins"]
    sec.top_margin, sec.bottom_margin = Twips(m["top"]), Twips(m["bottom"])
    sec.left_margin, sec.right_margin = Twips(m["left"]), Twips(m["right"])
    sec.header_distance, sec.footer_distance = Twips(m["header"]), Twips(m["footer"])
    sec.gutter = Twips(0)
    grid = sec._sectPr.find(W + "docGrid")
    for k in list(grid.attrib):
        del grid.attrib[k]
    for k, v in geo["grid"].items():
        grid.set(W + k, v)

    # Footers with page numbers.
    if locale == "zh":
        d.settings.odd_and_even_pages_header_footer = True
        footers = [(sec.footer, "right"), (sec.even_page_footer, "left")]
    else:
        footers = [(sec.footer, "center")]
    for footer, align in footers:
        footer.is_linked_to_previous = False
        el = footer._element
        for p in el.findall(W + "p"):
            el.remove(p)
        el.append(parse_xml(footer_paragraph(locale, align)))

    # Settings: language of theme fonts, punctuation compression for Chinese.
    se = d.settings.element
    tfl = se.find(W + "themeFontLang")
    if tfl is not None:
        tfl.set(W + "eastAsia", "zh-CN")
        tfl.set(W + "val", "en-US" if locale == "zh" else "en-GB")
    csc = se.find(W + "characterSpacingControl")
    if csc is not None:
        csc.set(W + "val", "compressPunctuation" if locale == "zh" else "doNotCompress")
    rsids = se.find(W + "rsids")
    if rsids is not None:
        se.remove(rsids)

    # Sample body: one paragraph per style, so the reference is easy to restyle.
    body = d.element.body
    for p in body.findall(W + "p"):
        body.remove(p)
    sect = body.find(W + "sectPr")
    for sid, text in SAMPLES[locale]:
        runs = "".join(
            (text_run(part) if k == 0 else "<w:r><w:tab/></w:r>" + text_run(part))
            for k, part in enumerate(text.split("\t"))
        )
        sect.addprevious(parse_xml(f'<w:p {NSDECL}><w:pPr><w:pStyle w:val="{sid}"/></w:pPr>{runs}</w:p>'))

    cp = d.core_properties
    cp.title = "planwriter reference document (zh)" if locale == "zh" else "planwriter reference document (en)"
    cp.author = "planwriter"
    cp.comments = "Styles, page setup and footers used by planwriter's DOCX writer."
    cp.last_modified_by = ""
    cp.revision = 1
    cp.language = "zh-CN" if locale == "zh" else "en-GB"
    import datetime as _dt
    cp.created = cp.modified = _dt.datetime(2025, 1, 1, 0, 0, 0)

    raw = io.BytesIO()
    d.save(raw)
    return _finish(raw.getvalue(), locale)


def _finish(data: bytes, locale: str) -> bytes:
    """Rewrite the package with fixed timestamps and an extended font table."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "word/fontTable.xml":
                root = etree.fromstring(blob)
                for font in fonts.FONTS[locale]:
                    root.append(etree.fromstring(fonts.font_table_entry(font, NSDECL)))
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, blob)
    return out.getvalue()


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else OUT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    from planwriter.writers.docx.package import build_skeleton
    from planwriter.writers.docx.skeleton import skeleton_to_json
    for locale in ("zh", "en"):
        path = out_dir / f"reference-{locale}.docx"
        data = build(locale)
        path.write_bytes(data)
        print(f"wrote {path} ({path.stat().st_size} bytes)")
        # The reference taken apart once, so that writing a document never parses it.
        ready = out_dir / f"reference-{locale}.skeleton.json"
        ready.write_text(skeleton_to_json(build_skeleton(data, f"bundled reference-{locale}.docx", None),
                                          data), encoding="utf-8")
        print(f"wrote {ready}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
