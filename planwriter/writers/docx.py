"""DOCX output: a document tree serialised against a reference document.

Like pandoc's ``--reference-doc``, all formatting lives in a reference .docx:
its styles, page setup, headers and footers are reused as they are and only
the body is generated.  The bundled references (``planwriter/data/
reference-{zh,en}.docx``, made by ``tools/make_reference_docx.py``) follow
GB/T 9704-2012 for Chinese and a plain report layout for English.

Style IDs the writer uses (all defined in the bundled references; any that a
user's reference lacks are copied in from the bundled one of the document's
locale):

==================  =========  ===================================================
style ID            type       used for
==================  =========  ===================================================
``PlanTitle``       paragraph  the document title
``PlanHeading1-5``  paragraph  numbered headings, by level (一、 （一） 1. （1） ①)
``PlanBody``        paragraph  plain body paragraphs
``PlanItem1-5``     paragraph  numbered paragraphs, by level
``PlanItemTitle``   character  the run-in title of a numbered paragraph
``PlanCaption``     paragraph  table caption (above the table)
``PlanTable``       table      table borders and cell margins
``PlanTableHeader`` paragraph  header-row cells
``PlanTableText``   paragraph  body cells
``PlanSignature``   paragraph  issuing body in the closing block
``PlanDate``        paragraph  date in the closing block
``PlanPageNumber``  paragraph  page number in the footers (reference only)
==================  =========  ===================================================

Numbers are written as ordinary text (from :mod:`planwriter.numbering`), so
Word, WPS and LibreOffice show identical numbering.

Speed: the reference is read once per writer and locale; every package part
except ``word/document.xml`` and ``docProps/core.xml`` is kept compressed in
memory, and :meth:`DocxWriter.write` only builds the body markup, deflates it
and lays out the zip container (fixed timestamps, so equal documents give
byte-identical files).
"""
from __future__ import annotations

import copy
import io
import os
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from importlib import resources

from lxml import etree

from ..numbering import Numberer
from ..tree import Document, Heading, Item, Paragraph, Signature, Table

__all__ = ["DocxWriter", "write_docx", "reference_docx", "STYLE_IDS"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = "{%s}" % W_NS

LOCALES = ("zh", "en")

STYLE_IDS = (
    "PlanTitle",
    *(f"PlanHeading{i}" for i in range(1, 6)),
    "PlanBody",
    *(f"PlanItem{i}" for i in range(1, 6)),
    "PlanItemTitle",
    "PlanCaption",
    "PlanTable",
    "PlanTableHeader",
    "PlanTableText",
    "PlanSignature",
    "PlanDate",
)

_DOC_HEAD = (
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'
)
_DOC_TAIL = "</w:body></w:document>"

_CORE = (
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:creator>planwriter</dc:creator><dc:language>{lang}</dc:language>"
    "</cp:coreProperties>"
)
_LANG = {"zh": "zh-CN", "en": "en-GB"}

# XML 1.0 forbids most C0 controls, lone surrogates and U+FFFE/U+FFFF.
_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")



def _esc(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if not text.isprintable():  # cheap pre-check; most text never reaches the regex
        text = _INVALID_XML.sub("", text)
    return text


def _em_width(text: str) -> float:
    """Width in ems of ``text`` in a CJK face: wide characters 1, others ½."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


# --------------------------------------------------------------------------- zip container

_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DOS_TIME = 0


@dataclass(frozen=True)
class _Entry:
    name: bytes
    data: bytes  # raw deflate stream
    crc: int
    size: int


def _deflate(data: bytes) -> bytes:
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush()


def _entry(name: str, data: bytes) -> _Entry:
    return _Entry(name.encode("utf-8"), _deflate(data), zlib.crc32(data), len(data))


def _zip(entries: list[_Entry]) -> bytes:
    """Lay out a zip archive of pre-deflated entries (fixed 1980-01-01 timestamps)."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for e in entries:
        local = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0x0800, 8, _DOS_TIME, _DOS_DATE,
            e.crc, len(e.data), e.size, len(e.name), 0,
        )
        central.append(struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x0800, 8, _DOS_TIME, _DOS_DATE,
            e.crc, len(e.data), e.size, len(e.name), 0, 0, 0, 0, 0o644 << 16, offset,
        ) + e.name)
        out += (local, e.name, e.data)
        offset += len(local) + len(e.name) + len(e.data)
    cd = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(cd), offset, 0)
    out += (cd, end)
    return b"".join(out)


# --------------------------------------------------------------------------- reference handling


def reference_docx(locale: str) -> bytes:
    """The bundled reference document for ``locale`` ("zh" or "en") as bytes."""
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}; expected one of {LOCALES}")
    return resources.files("planwriter").joinpath("data").joinpath(f"reference-{locale}.docx").read_bytes()


def _read_package(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {info.filename: z.read(info) for info in z.infolist() if not info.is_dir()}


def _main_part_name(parts: dict[str, bytes]) -> str:
    rels = etree.fromstring(parts["_rels/.rels"])
    for rel in rels:
        if rel.get("Type", "").endswith("/officeDocument"):
            return rel.get("Target").lstrip("/")
    return "word/document.xml"


def _styles_part_name(parts: dict[str, bytes], main: str) -> str | None:
    folder, _, base = main.rpartition("/")
    rels_name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    if rels_name not in parts:
        return None
    for rel in etree.fromstring(parts[rels_name]):
        if rel.get("Type", "").endswith("/styles"):
            target = rel.get("Target")
            return target.lstrip("/") if target.startswith("/") else (f"{folder}/{target}" if folder else target)
    return None


def _merge_styles(user: bytes, bundled: bytes) -> bytes | None:
    """Copy the plan styles (and what they are based on) missing from ``user``.

    Returns the new styles part, or ``None`` when nothing was missing.
    """
    uroot = etree.fromstring(user)
    broot = etree.fromstring(bundled)
    have = {s.get(_W + "styleId") for s in uroot.iter(_W + "style")}
    by_id = {s.get(_W + "styleId"): s for s in broot.iter(_W + "style")}
    todo = [sid for sid in STYLE_IDS if sid not in have]
    added = False
    while todo:
        sid = todo.pop(0)
        if sid in have or sid not in by_id:
            continue
        style = copy.deepcopy(by_id[sid])
        uroot.append(style)
        have.add(sid)
        added = True
        for tag in ("basedOn", "next", "link"):
            ref = style.find(_W + tag)
            if ref is not None and ref.get(_W + "val") not in have:
                todo.append(ref.get(_W + "val"))
    if not added:
        return None
    return etree.tostring(uroot, xml_declaration=True, encoding="UTF-8", standalone=True)


@dataclass(frozen=True)
class _Skeleton:
    """Everything about a reference document that does not change per render."""

    before: tuple[_Entry, ...]  # parts zipped before the main document part
    after: tuple[_Entry, ...]
    main_name: str
    core_name: str | None
    core_first: bool  # whether core.xml comes before the main part
    sect_pr: str
    text_width: int  # twips between the margins


def _build_skeleton(data: bytes, locale: str, merge_from: bytes | None) -> _Skeleton:
    parts = _read_package(data)
    main = _main_part_name(parts)
    if merge_from is not None:
        styles_name = _styles_part_name(parts, main)
        if styles_name and styles_name in parts:
            bparts = _read_package(merge_from)
            merged = _merge_styles(parts[styles_name], bparts[_styles_part_name(bparts, _main_part_name(bparts))])
            if merged is not None:
                parts[styles_name] = merged
    root = etree.fromstring(parts[main])
    body = root.find(_W + "body")
    sect = body.find(_W + "sectPr") if body is not None else None
    if sect is None:
        sect_xml = (
            f'<w:sectPr xmlns:w="{W_NS}"><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" '
            'w:right="1417" w:bottom="1417" w:left="1417" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>'
        )
        sect = etree.fromstring(sect_xml)
    else:
        sect_xml = etree.tostring(sect, encoding="unicode")

    def twips(el, attr, default):
        try:
            return int(float(el.get(_W + attr))) if el is not None and el.get(_W + attr) else default
        except ValueError:
            return default

    pg_sz, pg_mar = sect.find(_W + "pgSz"), sect.find(_W + "pgMar")
    width = twips(pg_sz, "w", 11906) - twips(pg_mar, "left", 1417) - twips(pg_mar, "right", 1417) \
        - twips(pg_mar, "gutter", 0)
    core = "docProps/core.xml" if "docProps/core.xml" in parts else None
    before: list[_Entry] = []
    after: list[_Entry] = []
    core_first = False
    seen_main = False
    for name, blob in parts.items():
        if name == main:
            seen_main = True
            continue
        if name == core:
            core_first = not seen_main
            continue
        (after if seen_main else before).append(_entry(name, blob))
    return _Skeleton(tuple(before), tuple(after), main, core, core_first, sect_xml, max(width, 1440))


# --------------------------------------------------------------------------- body markup


def _runs(text: str, rpr: str = "") -> str:
    """Runs for ``text``; line feeds become breaks and tabs become tab stops."""
    open_ = f"<w:r>{rpr}" if rpr else "<w:r>"
    if "\n" not in text and "\t" not in text and "\r" not in text:
        return f'{open_}<w:t xml:space="preserve">{_esc(text)}</w:t></w:r>' if text else ""
    out = [open_]
    for k, line in enumerate(re.split(r"\r\n|\r|\n", text)):
        if k:
            out.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                out.append("<w:tab/>")
            if piece:
                out.append(f'<w:t xml:space="preserve">{_esc(piece)}</w:t>')
    out.append("</w:r>")
    return "".join(out)


def _para(style: str, runs: str, extra_ppr: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra_ppr}</w:pPr>{runs}</w:p>'


class _BodyBuilder:
    """Builds the ``w:body`` content for one locale and text width."""

    def __init__(self, locale: str, text_width: int) -> None:
        self.locale = locale
        self.zh = locale == "zh"
        self.width = text_width
        # Chinese runs carry the East Asian hint so ambiguous punctuation (“ ” …)
        # is set in the CJK face.
        self.rpr = '<w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>' if self.zh else ""
        self.title_rpr = (
            '<w:rPr><w:rStyle w:val="PlanItemTitle"/><w:rFonts w:hint="eastAsia"/></w:rPr>' if self.zh
            else '<w:rPr><w:rStyle w:val="PlanItemTitle"/></w:rPr>'
        )

    def build(self, doc: Document) -> str:
        out: list[str] = []
        rpr = self.rpr
        if doc.title:
            out.append(_para("PlanTitle", _runs(doc.title, rpr)))
        numberer = Numberer(doc.locale)
        for block in doc.blocks:
            if isinstance(block, Paragraph):
                out.append(_para("PlanBody", _runs(block.text, rpr)))
            elif isinstance(block, Item):
                out.append(self._item(numberer.next(block.level), block))
            elif isinstance(block, Heading):
                prefix = numberer.next(block.level)
                out.append(_para(f"PlanHeading{block.level}", _runs(prefix + block.text, rpr)))
            elif isinstance(block, Table):
                out.append(self._table(block))
            elif isinstance(block, Signature):
                out.append(self._signature(block))
            else:  # pragma: no cover - the tree has no other node types
                raise TypeError(f"cannot write {type(block).__name__} to DOCX")
        return "".join(out)

    def _item(self, prefix: str, item: Item) -> str:
        style = f"PlanItem{item.level}"
        rpr = self.rpr
        if self.zh:
            if not item.title:
                return _para(style, _runs(prefix + item.text, rpr))
            title = item.lead("zh")
            return _para(style, _runs(prefix, rpr) + _runs(title, self.title_rpr) + _runs(item.text, rpr))
        # English: the number hangs in the indent, separated by a tab.
        lead = f'<w:r><w:t xml:space="preserve">{_esc(prefix.rstrip())}</w:t><w:tab/></w:r>'
        if not item.title:
            return _para(style, lead + _runs(item.text))
        title = item.lead("en")
        text = (" " + item.text) if item.text else ""
        return _para(style, lead + _runs(title, self.title_rpr) + _runs(text))

    def _table(self, table: Table) -> str:
        ncols = len(table.header)
        if ncols == 0:
            return ""
        weights = [float(w) for w in table.widths] if len(table.widths) == ncols else []
        if not weights or any(w < 0 for w in weights) or sum(weights) <= 0:
            weights = [1.0] * ncols
        total = sum(weights)
        cols = [int(self.width * w / total) for w in weights]
        cols[-1] += self.width - sum(cols)
        rpr = self.rpr
        out: list[str] = []
        if table.caption:
            out.append(_para("PlanCaption", _runs(table.caption, rpr)))
        out.append(
            '<w:tbl><w:tblPr><w:tblStyle w:val="PlanTable"/>'
            f'<w:tblW w:w="{self.width}" w:type="dxa"/><w:jc w:val="center"/>'
            '<w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            'w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>'
        )
        out.extend(f'<w:gridCol w:w="{c}"/>' for c in cols)
        out.append("</w:tblGrid>")
        tcpr = [f'<w:tcPr><w:tcW w:w="{c}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>' for c in cols]
        head_tcpr = tcpr if self.zh else [
            f'<w:tcPr><w:tcW w:w="{c}" w:type="dxa"/><w:shd w:val="clear" w:color="auto" w:fill="E7ECF3"/>'
            '<w:vAlign w:val="center"/></w:tcPr>' for c in cols
        ]

        def row(cells, style, props, header):
            trpr = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>"
            cells = tuple(cells)[:ncols] + ("",) * (ncols - len(cells))
            body = "".join(
                f'<w:tc>{p}<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{_runs(str(c), rpr)}</w:p></w:tc>'
                for p, c in zip(props, cells)
            )
            return f"<w:tr>{trpr}{body}</w:tr>"

        out.append(row(table.header, "PlanTableHeader", head_tcpr, True))
        out.extend(row(r, "PlanTableText", tcpr, False) for r in table.rows)
        out.append("</w:tbl>")
        # Keep a following paragraph from touching the table's bottom border.
        out.append('<w:p><w:pPr><w:pStyle w:val="PlanBody"/><w:spacing w:after="0" w:line="240" '
                   'w:lineRule="auto"/><w:rPr><w:sz w:val="12"/></w:rPr></w:pPr></w:p>')
        return "".join(out)

    def _signature(self, sig: Signature) -> str:
        rpr = self.rpr
        issuer_ppr = date_ppr = ""
        if self.zh and sig.issuer and sig.date:
            # GB/T 9704 7.3.5.1: the date sits four characters from the right
            # margin and the issuer is centred over the date.
            wi, wd = _em_width(sig.issuer), _em_width(sig.date)
            issuer_chars, date_chars = max(0.0, 4 + (wd - wi) / 2), 4.0
            issuer_ppr = self._right_ind(issuer_chars)
            date_ppr = self._right_ind(date_chars)
        out = []
        if sig.issuer:
            out.append(_para("PlanSignature", _runs(sig.issuer, rpr), issuer_ppr))
        if sig.date:
            if not sig.issuer:
                date_ppr = '<w:spacing w:before="1158"/>' + date_ppr if self.zh else '<w:spacing w:before="480"/>'
            out.append(_para("PlanDate", _runs(sig.date, rpr), date_ppr))
        return "".join(out)

    @staticmethod
    def _right_ind(chars: float) -> str:
        return f'<w:ind w:rightChars="{int(round(chars * 100))}" w:right="{int(round(chars * 320))}"/>'


# --------------------------------------------------------------------------- public API


class DocxWriter:
    """Serialises a Document to DOCX bytes using a reference document for styles and page setup.

    ``reference`` is a path to a .docx whose styles, page setup, headers and
    footers are used as they are (plan styles it lacks are copied in from the
    bundled reference of each document's locale).  ``None`` uses the bundled
    reference of each document's locale.
    """

    def __init__(self, reference: str | os.PathLike | None = None) -> None:
        self._user: bytes | None = None
        self._skeletons: dict[str, _Skeleton] = {}
        self._builders: dict[str, _BodyBuilder] = {}
        if reference is not None:
            # Fail here, once, on a file that is not a usable Word document.
            try:
                with open(reference, "rb") as fh:
                    self._user = fh.read()
                self._skeleton(LOCALES[0])
            except OSError as e:
                raise ValueError(f"cannot read reference document {os.fspath(reference)}: "
                                 f"{e.strerror}") from None
            except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError) as e:
                raise ValueError(f"reference document {os.fspath(reference)} is not a usable "
                                 f"DOCX file ({type(e).__name__}: {e})") from None

    def _skeleton(self, locale: str) -> _Skeleton:
        sk = self._skeletons.get(locale)
        if sk is None:
            bundled = reference_docx(locale)
            if self._user is None:
                sk = _build_skeleton(bundled, locale, None)
            else:
                sk = _build_skeleton(self._user, locale, bundled)
            self._skeletons[locale] = sk
            self._builders[locale] = _BodyBuilder(locale, sk.text_width)
        return sk

    def write(self, doc: Document) -> bytes:
        """Return the DOCX package for ``doc`` as bytes."""
        if doc.locale not in LOCALES:
            raise ValueError(f"unknown locale {doc.locale!r}; expected one of {LOCALES}")
        sk = self._skeleton(doc.locale)
        body = self._builders[doc.locale].build(doc)
        main = _entry(sk.main_name, (_DOC_HEAD + body + sk.sect_pr + _DOC_TAIL).encode("utf-8"))
        entries = list(sk.before)
        if sk.core_name:
            core = _entry(sk.core_name, _CORE.format(title=_esc(doc.title), lang=_LANG[doc.locale])
                          .encode("utf-8"))
            if sk.core_first:
                entries.append(core)
                entries.append(main)
            else:
                entries.append(main)
                entries.append(core)
        else:
            entries.append(main)
        entries.extend(sk.after)
        return _zip(entries)


def write_docx(doc: Document, reference: str | os.PathLike | None = None) -> bytes:
    """Render ``doc`` to DOCX bytes (with the bundled reference unless ``reference`` is given).

    A one-off: to render many documents, keep a :class:`DocxWriter` (or an
    Environment, which keeps one) so the reference is read once.
    """
    return DocxWriter(reference).write(doc)
