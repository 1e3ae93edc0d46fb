"""DOCX: paragraphs with their style, outline level, numbering, bold and alignment.

As pandoc's Docx reader does, the document is first read into an intermediate list of
paragraphs, with numbering resolved through ``numbering.xml``: the paragraph's ``numPr``
(or its style's) names a numbering instance and level; the instance names an abstract
numbering, whose level gives the format (``decimal``, ``chineseCounting``, ``upperRoman``,
``decimalEnclosedCircle`` …) and the text (``（%2）``, ``%1、``); counters advance per list
and restart below a level that advances.  So a plan whose 一、 and （一） come from Word's
numbering, not from typed text, keeps them.

A DOCX is a ZIP archive from anyone: members are read with a cap on their unpacked size and
on the packing ratio (zip bombs), XML without entities or network access.  Lines are body
paragraphs and table rows, counted in document order from 1.
"""
from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from ..errors import PlanError
from ..numbering import chinese_numeral, circled, roman_lower
from .lines import Line

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{%s}" % W
#: The most a member may unpack to, and the most it may be packed (a zip bomb packs more).
MAX_MEMBER_BYTES = 64 << 20
MAX_RATIO = 200
MAX_MEMBERS = 10_000

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_comments=True, remove_pis=True)


def _read_member(z: zipfile.ZipFile, name: str, file: str) -> bytes | None:
    try:
        info = z.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_MEMBER_BYTES:
        raise PlanError(f"not read: {name} in the DOCX unpacks to {info.file_size:,} bytes "
                        f"(at most {MAX_MEMBER_BYTES:,})", file)
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1 << 20:
        raise PlanError(f"not read: {name} in the DOCX is packed {info.file_size // info.compress_size}:1, "
                        "as zip bombs are", file)
    try:
        with z.open(info) as f:
            data = f.read(MAX_MEMBER_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as e:
        raise PlanError(f"the DOCX is damaged: cannot unpack {name} ({e})", file) from None
    if len(data) > MAX_MEMBER_BYTES:
        raise PlanError(f"not read: {name} in the DOCX unpacks to more than {MAX_MEMBER_BYTES:,} bytes", file)
    return data


def _xml(data: bytes | None, name: str, file: str):
    if data is None:
        return None
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as e:
        raise PlanError(f"the DOCX is damaged: {name} is not well-formed XML ({e.msg})", file) from None


def _val(el, tag: str, attr: str = "val") -> str | None:
    if el is None:
        return None
    child = el.find(_W + tag)
    if child is None:
        return None
    return child.get(_W + attr)


def _on(el) -> bool:
    """Whether a toggle property (w:b, w:i) is on."""
    return el is not None and el.get(_W + "val", "true").lower() not in ("0", "false", "off", "none")


class _Styles:
    """Paragraph styles: name, outline level, numbering, bold and alignment, with inheritance."""

    def __init__(self, root) -> None:
        self.raw: dict[str, dict] = {}
        self.default_para = None
        if root is None:
            return
        for st in root.iter(_W + "style"):
            sid = st.get(_W + "styleId")
            if not sid:
                continue
            name_el = st.find(_W + "name")
            ppr = st.find(_W + "pPr")
            rpr = st.find(_W + "rPr")
            num = ppr.find(_W + "numPr") if ppr is not None else None
            self.raw[sid] = {
                "name": (name_el.get(_W + "val") if name_el is not None else sid) or sid,
                "based": _val(st, "basedOn"),
                "outline": _val(ppr, "outlineLvl"),
                "num": (_val(num, "numId"), _val(num, "ilvl")) if num is not None else None,
                "bold": _on(rpr.find(_W + "b")) if rpr is not None and rpr.find(_W + "b") is not None else None,
                "jc": _val(ppr, "jc"),
            }
            if st.get(_W + "type") == "paragraph" and st.get(_W + "default") in ("1", "true"):
                self.default_para = sid

    def get(self, sid: str | None, key: str):
        seen = 0
        while sid and sid in self.raw and seen < 20:
            value = self.raw[sid].get(key)
            if value is not None:
                return value
            sid = self.raw[sid].get("based")
            seen += 1
        return None

    def name(self, sid: str | None) -> str:
        if sid and sid in self.raw:
            return self.raw[sid]["name"]
        return sid or ""


def _format(fmt: str, n: int) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
               "ideographTraditional", "taiwaneseCounting", "taiwaneseCountingThousand",
               "japaneseCounting", "koreanCounting"):
        text = chinese_numeral(n) if 0 < n < 10000 else str(n)
        if fmt == "chineseLegalSimplified":
            text = text.translate(str.maketrans("一二三四五六七八九十", "壹贰叁肆伍陆柒捌玖拾"))
        return text
    if fmt == "upperRoman":
        return roman_lower(n).upper()
    if fmt == "lowerRoman":
        return roman_lower(n)
    if fmt in ("upperLetter", "lowerLetter"):
        letters = ""
        k = n
        while k > 0:
            k, r = divmod(k - 1, 26)
            letters = chr(ord("A") + r) + letters
        return letters if fmt == "upperLetter" else letters.lower()
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return circled(n)
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "bullet":
        return "•"
    if fmt == "none":
        return ""
    return str(n)


class _Numbering:
    """numbering.xml: numbering instances, their abstract definitions, and running counters."""

    def __init__(self, root) -> None:
        self.abstract: dict[str, dict[int, dict]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        for an in root.iter(_W + "abstractNum"):
            aid = an.get(_W + "abstractNumId")
            levels = {}
            for lvl in an.iter(_W + "lvl"):
                try:
                    ilvl = int(lvl.get(_W + "ilvl", "0"))
                    start = int(_val(lvl, "start") or "1")
                except ValueError:
                    continue
                levels[ilvl] = {"start": start, "fmt": _val(lvl, "numFmt") or "decimal",
                                "text": _val(lvl, "lvlText") or "", "restart": _val(lvl, "lvlRestart")}
            link = _val(an, "numStyleLink") or _val(an, "styleLink")
            self.abstract[aid] = levels
            if link:
                self.abstract.setdefault(f"link:{link}", levels)
        for num in root.iter(_W + "num"):
            nid = num.get(_W + "numId")
            aid = _val(num, "abstractNumId")
            overrides = {}
            for ov in num.iter(_W + "lvlOverride"):
                try:
                    ilvl = int(ov.get(_W + "ilvl", "0"))
                    start = _val(ov, "startOverride")
                    if start is not None:
                        overrides[ilvl] = int(start)
                except ValueError:
                    continue
            self.nums[nid] = (aid, overrides)

    def marker(self, num_id: str | None, ilvl: int) -> tuple[str, str] | None:
        """(marker text, list key) for the next paragraph of list ``num_id`` at ``ilvl``."""
        if not num_id or num_id == "0" or num_id not in self.nums:
            return None
        aid, overrides = self.nums[num_id]
        levels = self.abstract.get(aid)
        if not levels:
            return None
        # Instances of one abstract numbering share counters unless they restart it.
        counters = self.counters.setdefault(f"n{num_id}" if overrides else f"a{aid}", {})
        if ilvl not in levels:
            ilvl = max((k for k in levels if k <= ilvl), default=min(levels))
        lvl = levels[ilvl]
        start = overrides.get(ilvl, lvl["start"])
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        # the list the paragraph belongs to, for its place in the outline: the abstract
        # numbering (an instance that restarts a level goes on the same multi-level list)
        key = f"a{aid}"
        if lvl["fmt"] == "bullet":
            return "•", key

        def fill(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            value = counters.get(k, levels.get(k, {"start": 1})["start"])
            return _format(levels.get(k, lvl)["fmt"], value)
        text = re.sub(r"%([1-9])", fill, lvl["text"]).strip()
        return (text or _format(lvl["fmt"], counters[ilvl])), key


def _run_text(r) -> str:
    out = []
    for el in r.iter():
        tag = el.tag
        if tag == _W + "t":
            out.append(el.text or "")
        elif tag == _W + "tab":
            out.append(" ")
        elif tag in (_W + "br", _W + "cr"):
            out.append("\n")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
    return "".join(out)


def _runs(p):
    """The runs of a paragraph in reading order, leaving out deleted text and fallbacks."""
    for el in p.iter(_W + "r"):
        skip = False
        for anc in el.iterancestors():
            tag = anc.tag
            if anc is p:
                break
            if tag in (_W + "del", _W + "moveFrom") or tag.endswith("}Fallback") or tag == _W + "txbxContent":
                skip = True
                break
        if not skip:
            yield el


def lines_of(data: bytes, file: str = "<input>", warn=None) -> list[Line]:
    """The body paragraphs and table rows of a DOCX, as lines with hints."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise PlanError("not a DOCX: it is not a ZIP package (save it from Word or WPS as .docx)", file) from None
    with z:
        if len(z.infolist()) > MAX_MEMBERS:
            raise PlanError(f"not read: the DOCX holds {len(z.infolist()):,} parts", file)
        doc = _xml(_read_member(z, "word/document.xml", file), "word/document.xml", file)
        if doc is None:
            raise PlanError("not a DOCX: it has no word/document.xml (an .xlsx or .pptx?)", file)
        styles = _Styles(_xml(_read_member(z, "word/styles.xml", file), "word/styles.xml", file))
        numbering = _Numbering(_xml(_read_member(z, "word/numbering.xml", file), "word/numbering.xml", file))
    body = doc.find(_W + "body")
    if body is None:
        raise PlanError("the DOCX has no body", file)
    out: list[Line] = []
    count = 0

    def paragraph(p, number: int) -> list[Line]:
        ppr = p.find(_W + "pPr")
        sid = _val(ppr, "pStyle") or styles.default_para
        name = styles.name(sid)
        lname = name.lower()
        texts, bolds = [], []
        for r in _runs(p):
            t = _run_text(r)
            if not t:
                continue
            rpr = r.find(_W + "rPr")
            b = rpr.find(_W + "b") if rpr is not None else None
            bold = _on(b) if b is not None else bool(styles.get(sid, "bold"))
            texts.append(t)
            bolds.append(bold)
        text = "".join(texts)
        if not text.strip():
            return []
        level = None
        outline = _val(ppr, "outlineLvl") or styles.get(sid, "outline")
        m = re.match(r"(?:heading|标题)\s*(\d)$", lname)
        if m:
            level = int(m.group(1))
        elif outline is not None and outline.isdigit() and int(outline) < 9:
            level = int(outline) + 1
        style = "title" if lname in ("title", "标题") else name
        num = ppr.find(_W + "numPr") if ppr is not None else None
        num_id, ilvl = (_val(num, "numId"), _val(num, "ilvl")) if num is not None else (None, None)
        if num_id is None:
            linked = styles.get(sid, "num")
            if linked:
                num_id, ilvl = linked
        marker, list_key = "", ""
        if num_id:
            got = numbering.marker(num_id, int(ilvl or 0) if (ilvl or "0").isdigit() else 0)
            if got:
                marker, list_key = got
        lead = ""
        if bolds and bolds[0] and not all(bolds):
            k = 0
            while k < len(bolds) and bolds[k]:
                k += 1
            lead = "".join(texts[:k]).strip()
        jc = _val(ppr, "jc") or styles.get(sid, "jc") or ""
        align = {"center": "center", "right": "right", "end": "right", "both": ""}.get(jc, "")
        pieces = [t for t in text.split("\n")]
        lines = []
        for k, piece in enumerate(pieces):
            if not piece.strip():
                continue
            lines.append(Line(piece.strip(), number, level=level if k == 0 else None, style=style,
                              marker=marker if k == 0 else "", list_id=list_key if k == 0 else "",
                              list_level=int(ilvl or 0) if (marker and k == 0) else None,
                              bold=bool(bolds) and all(bolds), lead=lead if k == 0 else "",
                              align=align, blank_before=False))
        return lines

    def walk(container) -> None:
        nonlocal count
        for el in container:
            tag = el.tag
            if tag == _W + "p":
                count += 1
                out.extend(paragraph(el, count))
            elif tag == _W + "tbl":
                rows, at = [], []
                for tr in el.iter(_W + "tr"):
                    count += 1
                    cells = []
                    for tc in tr.iter(_W + "tc"):
                        cell = " ".join("".join(_run_text(r) for r in _runs(cp)).strip()
                                        for cp in tc.iter(_W + "p")).strip()
                        cells.append(" ".join(cell.split()))
                    if any(cells):
                        rows.append(cells)
                        at.append(count)
                if rows:
                    width = max(len(r) for r in rows)
                    rows = [r + [""] * (width - len(r)) for r in rows]
                    out.append(Line(" ".join(" ".join(r) for r in rows), at[0], at[-1], table=rows,
                                    row_lines=at, blank_before=False))
            elif tag in (_W + "sdt", _W + "customXml", _W + "sdtContent", _W + "ins", _W + "smartTag"):
                walk(el)
    walk(body)
    if not out:
        raise PlanError("the DOCX holds no text (a scanned document? save its text, or run OCR first)", file)
    return out
