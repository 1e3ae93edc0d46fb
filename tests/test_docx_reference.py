"""User reference documents are untrusted: hostile ones give one located line, never a file.

Each hostile document is built here from the bundled reference with :mod:`zipfile`, then
passed to ``planwriter render --reference-doc`` and to the Python API.
"""
from __future__ import annotations

import io
import re
import struct
import warnings
import zipfile

import docx
import pytest
from click.testing import CliRunner

import planwriter
from planwriter.cli import main
from planwriter.errors import PlanError
from planwriter.writers.docx import DocxWriter, reference_docx
from planwriter.writers.docx.container import Entry, write_zip

from conftest import EXAMPLES

TOWNSHIP = EXAMPLES / "township-health-center.yaml"
PREFIX = "not a usable reference document: "
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def zipped(parts: dict[str, bytes], method=zipfile.ZIP_DEFLATED, methods=None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, blob in parts.items():
            z.writestr(name, blob, compress_type=(methods or {}).get(name, method))
    return out.getvalue()


def changed(**edits) -> bytes:
    """The zh reference with parts replaced (bytes), removed (None) or edited (a function)."""
    parts = parts_of(reference_docx("zh"))
    for key, edit in edits.items():
        name = NAMES.get(key, key)
        if edit is None:
            del parts[name]
        elif callable(edit):
            parts[name] = edit(parts[name])
        else:
            parts[name] = edit
    return zipped(parts)


NAMES = {"styles": "word/styles.xml", "document": "word/document.xml", "rels": "_rels/.rels",
         "doc_rels": "word/_rels/document.xml.rels", "types": "[Content_Types].xml",
         "settings_rels": "word/_rels/settings.xml.rels"}


def sub(pattern: str, repl: str):
    def edit(blob: bytes) -> bytes:
        new, n = re.subn(pattern.encode(), repl.encode(), blob)
        assert n, pattern
        return new
    return edit


def both(first, second):
    return lambda blob: second(first(blob))


def central_patch(data: bytes, name: str, offset: int, fmt: str, value: int) -> bytes:
    """Overwrite a field of ``name``'s central directory header (and local header flags)."""
    buf = bytearray(data)
    pos = 0
    while (pos := buf.find(b"PK\x01\x02", pos)) >= 0:
        nlen = struct.unpack_from("<H", buf, pos + 28)[0]
        if bytes(buf[pos + 46:pos + 46 + nlen]) == name.encode():
            struct.pack_into(fmt, buf, pos + offset, value)
            return bytes(buf)
        pos += 4
    raise AssertionError(name)


def encrypted() -> bytes:
    return central_patch(reference_docx("zh"), "word/styles.xml", 8, "<H", 0x0801)


def lying_size() -> bytes:
    return central_patch(reference_docx("zh"), "word/styles.xml", 24, "<I", 10)


def bad_crc() -> bytes:
    parts = parts_of(reference_docx("zh"))
    data = bytearray(zipped(parts, methods={"word/styles.xml": zipfile.ZIP_STORED}))
    at = data.find(b"<w:styles")
    data[at + 1] ^= 0x20
    return bytes(data)


def with_member(name: str, blob: bytes) -> bytes:
    parts = parts_of(reference_docx("zh"))
    parts[name] = blob
    return zipped(parts)


def many_members() -> bytes:
    parts = parts_of(reference_docx("zh"))
    parts.update({f"customXml/item{i}.xml": b"<a/>" for i in range(1000)})
    return zipped(parts)


def too_much_in_all() -> bytes:
    parts = parts_of(reference_docx("zh"))
    zeros = bytes(60 * 1024 * 1024)
    parts.update({f"word/media/big{i}.bin": zeros for i in range(5)})
    return zipped(parts)


def duplicated() -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        warnings.simplefilter("ignore")
        for name, blob in parts_of(reference_docx("zh")).items():
            z.writestr(name, blob)
        z.writestr("word/styles.xml", b"<x/>")
    return out.getvalue()


def footer_rel() -> tuple[str, str]:
    rels = parts_of(reference_docx("zh"))["word/_rels/document.xml.rels"].decode()
    rid, target = re.search(r'Id="(rId\d+)"[^>]*Target="(footer\d\.xml)"|Target="(footer\d\.xml)"[^>]*Id="(rId\d+)"',
                            rels).group(1, 2)
    return rid, target


RID, FOOTER = footer_rel()

HOSTILE = [
    ("not-a-zip", lambda: b"plain text, not a document\n", "not a zip archive"),
    ("empty-file", lambda: b"", "not a zip archive"),
    ("encrypted-member", encrypted, "member word/styles.xml is encrypted"),
    ("bzip2-member", lambda: zipped(parts_of(reference_docx("zh")), methods={"word/styles.xml": zipfile.ZIP_BZIP2}),
     "member word/styles.xml uses compression method 12; only stored and deflated members are supported"),
    ("lzma-member", lambda: zipped(parts_of(reference_docx("zh")), methods={"word/styles.xml": zipfile.ZIP_LZMA}),
     "member word/styles.xml uses compression method 14; only stored and deflated members are supported"),
    ("size-header-lies", lying_size, "member word/styles.xml is corrupt (bad CRC-32)"),
    ("bad-crc", bad_crc, "member word/styles.xml is corrupt (bad CRC-32)"),
    ("zip-bomb-member", lambda: with_member("word/media/bomb.bin", bytes(65 * 1024 * 1024)),
     "member word/media/bomb.bin is larger than 64 MB uncompressed"),
    ("zip-bomb-total", too_much_in_all, "members add up to more than 256 MB uncompressed"),
    ("too-many-members", many_members, f"{len(parts_of(reference_docx('zh'))) + 1000} members, more than the 1000 allowed"),
    ("member-name-escapes", lambda: with_member("../evil.xml", b"<a/>"),
     "member name '../evil.xml' is not a valid part name"),
    ("member-twice", duplicated, "member word/styles.xml appears twice"),
    ("no-content-types", lambda: changed(types=None),
     "no [Content_Types].xml (a zip file, but not a Word document)"),
    ("no-package-rels", lambda: changed(rels=None), "no _rels/.rels (a zip file, but not a Word document)"),
    ("no-main-relationship", lambda: changed(rels=sub(r'Type="[^"]*/officeDocument"', 'Type="x/other"')),
     "no main document (no officeDocument relationship in _rels/.rels)"),
    ("main-part-missing", lambda: changed(document=None),
     "relationship officeDocument in _rels/.rels points to word/document.xml, which is not in the package"),
    ("footer-missing", lambda: changed(**{f"word/{FOOTER}": None}),
     f"relationship {RID} in word/_rels/document.xml.rels points to word/{FOOTER}, which is not in the package"),
    ("styles-malformed", lambda: changed(styles=b'<?xml version="1.0"?>\n<w:styles xmlns:w="x">\n<unclosed>'),
     "part word/styles.xml is not well-formed XML (line 3)"),
    ("entity-expansion", lambda: changed(styles=b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "bbbb">'
                                         b'<!ENTITY c "&b;&b;&b;&b;">]><w:styles xmlns:w="http://schemas.'
                                         b'openxmlformats.org/wordprocessingml/2006/main">&c;</w:styles>'),
     "part word/styles.xml has a DOCTYPE declaration, which Word documents never have"),
    ("header-malformed", lambda: changed(**{f"word/{FOOTER}": b"<w:ftr><w:p>"}),
     f"part word/{FOOTER} is not well-formed XML (line 1)"),
    ("styles-not-styles", lambda: changed(styles=b'<?xml version="1.0"?><w:styles xmlns:w="x"/>'),
     "part word/styles.xml is not a styles part"),
    ("no-styles-relationship", lambda: changed(doc_rels=sub(r'<Relationship [^>]*/styles"[^>]*/>', "")),
     "no styles part (no styles relationship in word/_rels/document.xml.rels)"),
    ("document-not-a-body", lambda: changed(document=b'<?xml version="1.0"?><html/>'),
     "part word/document.xml is not a Word document body"),
    ("page-width-absurd", lambda: changed(document=sub(r'w:w="11906"', 'w:w="50000"')),
     "page setup: page width 50000 twips is outside 1440–31680 (1 to 22 inches)"),
    ("page-height-zero", lambda: changed(document=sub(r'w:h="16838"', 'w:h="0"')),
     "page setup: page height 0 twips is outside 1440–31680 (1 to 22 inches)"),
    ("page-width-not-a-number", lambda: changed(document=sub(r'w:w="11906"', 'w:w="wide"')),
     'page setup: w:pgSz w:w="wide" is not a length in twips'),
    ("page-width-infinite", lambda: changed(document=sub(r'w:w="11906"', 'w:w="1e400"')),
     'page setup: w:pgSz w:w="1e400" is not a length in twips'),
    ("margin-absurd", lambda: changed(document=sub(r'w:top="\d+"', 'w:top="-900000"')),
     "page setup: top margin -900000 twips is larger than a page"),
    ("margins-leave-no-room", lambda: changed(document=both(sub(r'w:left="\d+"', 'w:left="6000"'),
                                                            sub(r'w:right="\d+"', 'w:right="6000"'))),
     "page setup: the margins leave a type area of 0 × 12756 twips, too small to write in"),
    ("header-relationship-missing", lambda: changed(document=sub(r"<w:sectPr(\s[^>]*)?>", r'\g<0><w:headerReference '
                                                              'w:type="default" r:id="rId99"/>')),
     "section properties in word/document.xml refer to relationship rId99, which "
     "word/_rels/document.xml.rels does not have"),
]

@pytest.fixture(scope="module")
def township():
    return planwriter.load(TOWNSHIP)


@pytest.mark.parametrize("make, message", [(m, msg) for _, m, msg in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_reference_gives_one_line_and_no_file(tmp_path, township, make, message):
    ref = tmp_path / "letterhead.docx"
    ref.write_bytes(make())
    expected = f"{ref}: {PREFIX}{message}"
    out = tmp_path / "plan.docx"
    result = CliRunner().invoke(main, ["render", str(TOWNSHIP), "--reference-doc", str(ref), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == f"planwriter: error: {expected}\n"
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["letterhead.docx"]
    with pytest.raises(PlanError) as caught:
        planwriter.Environment(reference_doc=ref).render_docx(township)
    assert str(caught.value) == expected
    with pytest.raises(PlanError) as caught:
        DocxWriter(ref)
    assert str(caught.value) == expected


# --------------------------------------------------------------------------- dropped with a warning

VBA_TYPE = "application/vnd.ms-office.vbaProject"


def with_active_content() -> bytes:
    parts = parts_of(reference_docx("zh"))
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 macro"
    parts["word/activeX/activeX1.xml"] = b'<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX"/>'
    parts["word/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0 ole"
    rels = parts["word/_rels/document.xml.rels"].decode()
    rels = rels.replace("</Relationships>",
                        '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
                        'Target="vbaProject.bin"/>'
                        '<Relationship Id="rIdAx" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/control" '
                        'Target="activeX/activeX1.xml"/>'
                        '<Relationship Id="rIdOle" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject" '
                        'Target="embeddings/oleObject1.bin"/></Relationships>')
    parts["word/_rels/document.xml.rels"] = rels.encode()
    types = parts["[Content_Types].xml"].decode().replace(
        "wordprocessingml.document.main+xml", "wordprocessingml.template.main+xml").replace(
        "</Types>", f'<Override PartName="/word/vbaProject.bin" ContentType="{VBA_TYPE}"/></Types>')
    parts["[Content_Types].xml"] = types.encode()
    return zipped(parts)


def with_external_links() -> bytes:
    parts = parts_of(reference_docx("zh"))
    parts["word/_rels/settings.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
        b'Target="http://tracker.example/t.dotm" TargetMode="External"/></Relationships>')
    parts["word/settings.xml"] = re.sub(
        rb"(<w:settings[^>]*>)", rb'\1<w:attachedTemplate r:id="rId1"/>', parts["word/settings.xml"], count=1)
    if b"xmlns:r=" not in parts["word/settings.xml"][:2000]:
        parts["word/settings.xml"] = parts["word/settings.xml"].replace(
            b"<w:settings ", b'<w:settings xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ', 1)
    return zipped(parts)


DROPPED = [
    ("macros-activex-ole", with_active_content,
     ["dropped 3 parts with macros, ActiveX controls or embedded objects (word/activeX/activeX1.xml, "
      "word/embeddings/oleObject1.bin, word/vbaProject.bin)"]),
    ("external-template", with_external_links,
     ["dropped 1 external relationship (http://tracker.example/t.dotm in word/_rels/settings.xml.rels)"]),
]


@pytest.mark.parametrize("make, expected", [(m, w) for _, m, w in DROPPED], ids=[d[0] for d in DROPPED])
def test_active_content_and_external_links_are_dropped_with_a_warning(tmp_path, township, make, expected):
    ref = tmp_path / "letterhead.docx"
    ref.write_bytes(make())
    out = tmp_path / "plan.docx"
    result = CliRunner().invoke(main, ["render", str(TOWNSHIP), "--reference-doc", str(ref), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "".join(f"planwriter: warning: {ref}: {w}\n" for w in expected) + f"wrote {out}\n"
    writer = DocxWriter(ref)
    assert writer.warnings == [f"{ref}: {w}" for w in expected]
    data = out.read_bytes()
    assert data == writer.write(planwriter.compose(township))
    parts = parts_of(data)
    assert not any(re.search(r"vbaProject|activeX|embeddings", n) for n in parts)
    blob = b"".join(parts.values())
    assert b"tracker.example" not in blob and b"attachedTemplate" not in blob
    assert b"vbaProject" not in blob and b"template.main+xml" not in blob
    assert b"wordprocessingml.document.main+xml" in parts["[Content_Types].xml"]
    d = docx.Document(io.BytesIO(data))  # still a document Word can open
    assert d.paragraphs[0].text == planwriter.compose(township).title


# --------------------------------------------------------------------------- other warnings and limits


def test_reference_in_the_other_language_is_a_warning(tmp_path, township):
    ref = tmp_path / "zh-reference.docx"
    ref.write_bytes(reference_docx("zh"))
    out = tmp_path / "plan.docx"
    result = CliRunner().invoke(main, ["render", str(TOWNSHIP), "--locale", "en", "--reference-doc", str(ref),
                                       "-o", str(out)])
    assert result.exit_code == 0
    assert result.stderr == (f"planwriter: warning: {ref}: the reference document is a Chinese one, but the "
                             f"document is in English\nwrote {out}\n")
    assert DocxWriter(ref).warnings_for("zh") == []
    ref.write_bytes(reference_docx("en"))
    assert DocxWriter(ref).warnings_for("zh") == [
        f"{ref}: the reference document is an English one, but the document is in Chinese"]


def test_reference_doc_with_markdown_output_is_a_warning(tmp_path):
    ref = tmp_path / "ref.docx"
    ref.write_bytes(reference_docx("zh"))
    out = tmp_path / "plan.md"
    result = CliRunner().invoke(main, ["render", str(TOWNSHIP), "--reference-doc", str(ref), "-o", str(out)])
    assert result.exit_code == 0 and out.exists()
    assert result.stderr == ("planwriter: warning: --reference-doc applies to DOCX and PDF output; "
                             f"ignored for Markdown\nwrote {out}\n")


def test_output_beyond_zip_limits_is_refused_not_a_struct_error():
    huge = Entry(b"word/media/huge.bin", b"", 0, 2 ** 32)
    with pytest.raises(PlanError, match="larger than 4 GB"):
        write_zip([huge])
    many = [Entry(f"p{i}".encode(), b"", 0, 0) for i in range(0xFFFF)]
    with pytest.raises(PlanError, match="more than a zip file can"):
        write_zip(many)


def test_reference_without_heading_styles_gets_the_bundled_ones(tmp_path, township):
    def drop_headings(blob: bytes) -> bytes:
        return re.sub(rb'<w:style [^>]*w:styleId="Heading\d".*?</w:style>', b"", blob, flags=re.S)
    ref = tmp_path / "ref.docx"
    ref.write_bytes(changed(styles=drop_headings))
    d = docx.Document(io.BytesIO(planwriter.Environment(reference_doc=ref).render_docx(township)))
    assert d.styles["Heading 1"].element.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "黑体"
    assert next(p for p in d.paragraphs if p.text.startswith("一、")).style.style_id == "Heading1"


def test_localised_heading_style_ids_are_used(tmp_path, township):
    """Chinese Word saves "heading 1" under the style ID "1": the writer uses that ID."""
    ref = tmp_path / "ref.docx"
    ref.write_bytes(changed(styles=lambda b: re.sub(rb'w:styleId="Heading(\d)"', rb'w:styleId="\1"', b)))
    d = docx.Document(io.BytesIO(planwriter.Environment(reference_doc=ref).render_docx(township)))
    ids = {s.get(f"{W}styleId") for s in d.styles.element.iter(f"{W}style")}
    assert "Heading1" not in ids and "1" in ids
    assert next(p for p in d.paragraphs if p.text.startswith("一、")).style.style_id == "1"


# -- the bundled references, taken apart once ---------------------------------------------
@pytest.mark.parametrize("locale", ["zh", "en"])
def test_the_ready_made_skeleton_is_the_bundled_reference_taken_apart(locale):
    """The skeleton shipped beside each bundled reference is exactly what building it from
    the reference gives, so that the writer can use it without parsing the reference."""
    from planwriter.writers.docx.package import build_skeleton
    from planwriter.writers.docx.skeleton import bundled_skeleton, reference_docx, skeleton_from_json
    from importlib import resources
    ref = reference_docx(locale)
    ready = resources.files("planwriter").joinpath("data").joinpath(f"reference-{locale}.skeleton.json")
    shipped = skeleton_from_json(ready.read_text(encoding="utf-8"), ref)
    assert shipped is not None, "the ready-made skeleton is out of date: run tools/make_reference_docx.py"
    assert shipped == build_skeleton(ref, f"bundled reference-{locale}.docx", None)
    assert bundled_skeleton(locale) == shipped


def test_a_skeleton_for_other_reference_bytes_is_not_used():
    from planwriter.writers.docx.skeleton import reference_docx, skeleton_from_json, skeleton_to_json
    from planwriter.writers.docx.package import build_skeleton
    ref = reference_docx("zh")
    text = skeleton_to_json(build_skeleton(ref, "x", None), ref)
    assert skeleton_from_json(text, ref + b"changed") is None
