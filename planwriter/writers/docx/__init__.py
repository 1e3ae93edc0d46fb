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
``Heading1-5``      paragraph  numbered headings, by level (一、 （一） 1. （1） ①);
                               Word's built-in "heading 1"…"heading 5", so that
                               navigation panes, TOC fields and pandoc see them
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

The package: :mod:`.container` (bounded zip reading, zip writing), :mod:`.package`
(reference documents, checked and made safe), :mod:`.body` (the body markup),
:mod:`.tables` (column widths and table markup), :mod:`.fonts` (the font fallbacks).

Speed: the reference is read once per writer and locale; every package part
except ``word/document.xml`` and ``docProps/core.xml`` is kept compressed in
memory, and :meth:`DocxWriter.write` only builds the body markup, deflates it
and lays out the zip container (fixed timestamps, so equal documents give
byte-identical files).
"""
from __future__ import annotations

import os

from ...errors import PlanError
from ...tree import Document
from .body import BodyBuilder, esc
from .container import entry, write_zip
from .skeleton import LOCALES, R_NS, STYLE_IDS, W_NS, Skeleton, bundled_skeleton, reference_docx

__all__ = ["DocxWriter", "write_docx", "reference_docx", "STYLE_IDS"]

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
_LANGUAGE_NAME = {"zh": "Chinese", "en": "English"}
#: The largest reference document file read at all.
_MAX_FILE = 256 * 1024 * 1024


class DocxWriter:
    """Serialises a Document to DOCX bytes using a reference document for styles and page setup.

    ``reference`` is a path to a .docx whose styles, page setup, headers and
    footers are used as they are (plan styles it lacks are copied in from the
    bundled reference of each document's locale).  ``None`` uses the bundled
    reference of each document's locale.  A reference that cannot make a sound
    document raises :class:`PlanError` naming the file; what it holds that must not
    be copied (external links, macros, embedded objects) is dropped and listed in
    :attr:`warnings`.
    """

    def __init__(self, reference: str | os.PathLike | None = None) -> None:
        self._user: bytes | None = None
        self._source = os.fspath(reference) if reference is not None else ""
        self._skeletons: dict[str, Skeleton] = {}
        self._builders: dict[str, BodyBuilder] = {}
        if reference is not None:
            try:
                with open(reference, "rb") as fh:
                    self._user = fh.read(_MAX_FILE + 1)
            except OSError as e:
                raise PlanError(f"cannot read reference document: {e.strerror}", self._source) from None
            if len(self._user) > _MAX_FILE:
                raise PlanError(f"not a usable reference document: larger than {_MAX_FILE // 2**20} MB",
                                self._source)
            self._skeleton(LOCALES[0])  # fail here, once, on a file that is not usable

    @property
    def warnings(self) -> list[str]:
        """What was dropped from the user's reference document, one line each."""
        return list(self._skeleton(LOCALES[0]).warnings) if self._user is not None else []

    def warnings_for(self, locale: str) -> list[str]:
        """:attr:`warnings`, and whether the reference's language differs from ``locale``'s."""
        out = self.warnings
        if self._user is not None:
            language = self._skeleton(LOCALES[0]).language
            if language and language != locale:
                name = _LANGUAGE_NAME[language]
                out.append(f"{self._source}: the reference document is {'an' if name[0] in 'AEIOU' else 'a'} "
                           f"{name} one, but the document is in {_LANGUAGE_NAME.get(locale, locale)}")
        return out

    def _skeleton(self, locale: str) -> Skeleton:
        sk = self._skeletons.get(locale)
        if sk is None:
            if self._user is None:
                sk = bundled_skeleton(locale)
            else:
                from .package import build_skeleton
                try:
                    sk = build_skeleton(self._user, self._source, reference_docx(locale))
                except PlanError as e:
                    raise PlanError(f"not a usable reference document: {e.message}", self._source) from None
            self._skeletons[locale] = sk
            self._builders[locale] = BodyBuilder(locale, sk.text_width, sk.style_ids, sk.item_indents)
        return sk

    def write(self, doc: Document) -> bytes:
        """Return the DOCX package for ``doc`` as bytes."""
        if doc.locale not in LOCALES:
            raise ValueError(f"unknown locale {doc.locale!r}; expected one of {LOCALES}")
        sk = self._skeleton(doc.locale)
        body = self._builders[doc.locale].build(doc)
        main = entry(sk.main_name, (_DOC_HEAD + body + sk.sect_pr + _DOC_TAIL).encode("utf-8"), 1)
        entries = list(sk.before)
        if sk.core_name:
            core = entry(sk.core_name, _CORE.format(title=esc(doc.title), lang=_LANG[doc.locale])
                         .encode("utf-8"), 1)
            entries += [core, main] if sk.core_first else [main, core]
        else:
            entries.append(main)
        entries.extend(sk.after)
        return write_zip(entries)



def write_docx(doc: Document, reference: str | os.PathLike | None = None) -> bytes:
    """Render ``doc`` to DOCX bytes (with the bundled reference unless ``reference`` is given).

    A one-off: to render many documents, keep a :class:`DocxWriter` (or an
    Environment, which keeps one) so the reference is read once.
    """
    return DocxWriter(reference).write(doc)
