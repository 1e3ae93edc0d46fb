"""Reference documents: the bundled ones, and a user's, checked and made safe to reuse.

A user's reference is untrusted.  Reading it (through :mod:`.container`) refuses what cannot
make a sound DOCX — malformed or missing parts, relationships that point nowhere, absurd page
sizes — with a :class:`PlanError` naming the file, and drops what must not travel into every
plan: external relationships (remote templates, tracking images, links) and macro, ActiveX and
embedded-object parts.  Each drop is reported as a warning string.
"""
from __future__ import annotations

import copy
import posixpath
import re
from dataclasses import dataclass, field

from lxml import etree

from ...errors import PlanError
from .container import Entry, entry, parse_xml, read_package, rels_name, resolve_target

from .skeleton import R_NS, STYLE_IDS, W_NS, Skeleton

PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_W = "{%s}" % W_NS
_R = "{%s}" % R_NS
_PR = "{%s}" % PR_NS
_CT = "{%s}" % CT_NS

_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

#: Parts that carry code or foreign objects: never copied into a plan.
_ACTIVE = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml)$|(^|/)(activeX|embeddings)/", re.I)
#: Elements that make no sense without the relationship they point to.
_DROP_WITH_REL = {"OLEObject", "control", "attachedTemplate", "subDoc", "altChunk"}

# Page sizes Word accepts (up to 22 inches), and the narrowest type area worth writing in.
_MIN_PAGE, _MAX_PAGE, _MIN_TEXT = 1440, 31680, 720

_DEFAULT_SECT = (
    f'<w:sectPr xmlns:w="{W_NS}"><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" '
    'w:right="1417" w:bottom="1417" w:left="1417" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>'
)


@dataclass
class _Package:
    """A package being checked: its parts, where it came from, what was dropped."""

    parts: dict[str, bytes]
    source: str
    warnings: list[str] = field(default_factory=list)

    def xml(self, name: str) -> etree._Element:
        return parse_xml(self.parts[name], name, self.source)

    def fail(self, message: str) -> PlanError:
        return PlanError(message, self.source)


def _listing(items: list[str], limit: int = 3) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _drop_active_parts(pkg: _Package) -> set[str]:
    dropped = sorted(n for n in pkg.parts if _ACTIVE.search(n))
    for name in dropped:
        del pkg.parts[name]
        pkg.parts.pop(rels_name(name), None)
    if dropped:
        pkg.warnings.append(f"{pkg.source}: dropped {len(dropped)} part{'s' * (len(dropped) > 1)} "
                            f"with macros, ActiveX controls or embedded objects ({_listing(dropped)})")
    return set(dropped)


def _owner_of(rels: str) -> str:
    """The part whose relationships ``rels`` holds ('' for the package)."""
    folder, base = posixpath.split(rels)
    return posixpath.join(posixpath.dirname(folder), base[:-len(".rels")])


def _check_relationships(pkg: _Package, dropped: set[str]) -> None:
    """Drop external and dangling-by-drop relationships; refuse ones that point nowhere."""
    external: list[str] = []
    for rels in sorted(n for n in pkg.parts if n.endswith(".rels") and "_rels/" in f"/{n}"):
        owner = _owner_of(rels)
        if owner and owner not in pkg.parts:
            continue  # relationships of a part that is not there are never read
        root = pkg.xml(rels)
        gone: set[str] = set()
        for rel in list(root):
            if rel.tag != _PR + "Relationship":
                continue
            rid, target = rel.get("Id", ""), rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                external.append(f"{target} in {rels}")
            else:
                part = resolve_target(owner, target)
                if part in dropped:
                    pass
                elif part not in pkg.parts:
                    raise pkg.fail(f"relationship {rid} in {rels} points to {part}, "
                                   "which is not in the package")
                else:
                    continue
            root.remove(rel)
            gone.add(rid)
        if gone:
            pkg.parts[rels] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            if owner and owner.endswith(".xml"):
                _strip_references(pkg, owner, gone)
    if external:
        pkg.warnings.append(f"{pkg.source}: dropped {len(external)} external relationship"
                            f"{'s' * (len(external) > 1)} ({_listing(external)})")


def _strip_references(pkg: _Package, name: str, gone: set[str]) -> None:
    """Remove what in part ``name`` points to the relationships ``gone``."""
    root = pkg.xml(name)
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        for attr in [a for a in el.attrib if a.startswith(_R) and el.get(a) in gone]:
            if etree.QName(el).localname in _DROP_WITH_REL and el.getparent() is not None:
                el.getparent().remove(el)
                break
            del el.attrib[attr]
    pkg.parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _fix_content_types(pkg: _Package, main: str, dropped: set[str]) -> None:
    """Drop overrides of dropped parts; the main part is always a plain document."""
    root = pkg.xml("[Content_Types].xml")
    has_main = False
    for el in list(root):
        if el.tag != _CT + "Override":
            continue
        part = el.get("PartName", "").lstrip("/")
        if part in dropped:
            root.remove(el)
        elif part == main:
            el.set("ContentType", _MAIN_TYPE)
            has_main = True
    if not has_main:
        etree.SubElement(root, _CT + "Override", PartName=f"/{main}", ContentType=_MAIN_TYPE)
    pkg.parts["[Content_Types].xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                      standalone=True)


def _related(pkg: _Package, part: str, kind: str) -> str | None:
    """The part that ``part`` relates to with a relationship type ending in ``/kind``."""
    rels = rels_name(part)
    if rels not in pkg.parts:
        return None
    for rel in pkg.xml(rels):
        if rel.get("Type", "").endswith("/" + kind) and rel.get("TargetMode") != "External":
            return resolve_target(part, rel.get("Target", ""))
    return None


def _twips(sect: etree._Element, tag: str, attr: str, default: int, source: str) -> int:
    el = sect.find(_W + tag)
    raw = el.get(_W + attr) if el is not None else None
    if raw is None:
        return default
    try:
        value = float(raw)
        if value != value or abs(value) > 10 ** 7:
            raise ValueError
    except ValueError:
        raise PlanError(f"page setup: w:{tag} w:{attr}=\"{raw}\" is not a length in twips", source) from None
    return int(value)


def _geometry(sect: etree._Element, source: str) -> int:
    """The width of the type area in twips, after checking the page setup is plausible."""
    width = _twips(sect, "pgSz", "w", 11906, source)
    height = _twips(sect, "pgSz", "h", 16838, source)
    for name, value in (("width", width), ("height", height)):
        if not _MIN_PAGE <= value <= _MAX_PAGE:
            raise PlanError(f"page setup: page {name} {value} twips is outside "
                            f"{_MIN_PAGE}–{_MAX_PAGE} (1 to 22 inches)", source)
    margins = {a: _twips(sect, "pgMar", a, 1417, source) for a in ("top", "bottom", "left", "right")}
    gutter = _twips(sect, "pgMar", "gutter", 0, source)
    for name, value in (*margins.items(), ("gutter", gutter)):
        if abs(value) > _MAX_PAGE:
            raise PlanError(f"page setup: {name} margin {value} twips is larger than a page", source)
    text_width = width - abs(margins["left"]) - abs(margins["right"]) - abs(gutter)
    text_height = height - abs(margins["top"]) - abs(margins["bottom"])
    if text_width < _MIN_TEXT or text_height < _MIN_TEXT:
        raise PlanError(f"page setup: the margins leave a type area of {max(text_width, 0)} × "
                        f"{max(text_height, 0)} twips, too small to write in", source)
    return text_width


def _language(pkg: _Package, styles: etree._Element) -> str:
    """'zh' or 'en' from the document's declared language (core properties, then styles)."""
    code = ""
    if "docProps/core.xml" in pkg.parts:
        lang = pkg.xml("docProps/core.xml").find("{http://purl.org/dc/elements/1.1/}language")
        code = (lang.text or "").strip() if lang is not None else ""
    if not code:
        lang = styles.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}lang")
        code = lang.get(_W + "val", "") if lang is not None else ""
    code = code.lower()
    return "zh" if code.startswith("zh") else "en" if code.startswith("en") else ""


def _item_indents(styles: etree._Element, ids: dict[str, str]) -> dict[int, tuple[int, int]]:
    by_id = {s.get(_W + "styleId"): s for s in styles.iter(_W + "style")}
    out = {}
    for level in range(1, 6):
        ind = by_id.get(ids.get(f"PlanItem{level}"), etree.Element("x")).find(f"{_W}pPr/{_W}ind")
        try:
            out[level] = (int(ind.get(_W + "left") or ind.get(_W + "start") or 0),
                          int(ind.get(_W + "hanging") or 0)) if ind is not None else (0, 0)
        except ValueError:
            out[level] = (0, 0)
    return out


def merge_styles(user: etree._Element, bundled: etree._Element) -> tuple[bool, dict[str, str]]:
    """Copy the plan styles (and what they are based on) missing from ``user``, in place.

    A style is missing when ``user`` has neither its ID nor its name; when only the name is
    there (a localised Word saves "heading 1" as style "1"), the user's ID is used for it.
    Returns whether anything was added and the ID to use for each of :data:`STYLE_IDS`.
    """
    def name_of(style):
        n = style.find(_W + "name")
        return (n.get(_W + "val") or "").lower() if n is not None else ""

    have = {s.get(_W + "styleId"): s for s in user.iter(_W + "style")}
    by_name = {name_of(s): sid for sid, s in have.items() if name_of(s)}
    by_id = {s.get(_W + "styleId"): s for s in bundled.iter(_W + "style")}
    ids = {sid: sid for sid in STYLE_IDS}
    for sid in STYLE_IDS:
        if sid not in have and sid in by_id and name_of(by_id[sid]) in by_name:
            ids[sid] = by_name[name_of(by_id[sid])]
    todo = [sid for sid in STYLE_IDS if ids[sid] not in have]
    added = False
    while todo:
        sid = todo.pop(0)
        if sid in have or sid not in by_id:
            continue
        style = copy.deepcopy(by_id[sid])
        user.append(style)
        have[sid] = style
        added = True
        for tag in ("basedOn", "next", "link"):
            ref = style.find(_W + tag)
            if ref is not None and ref.get(_W + "val") not in have:
                todo.append(ref.get(_W + "val"))
    return added, ids


def build_skeleton(data: bytes, source: str, merge_from: bytes | None) -> Skeleton:
    """Check and prepare the reference ``data`` (from file ``source``).

    ``merge_from`` is the bundled reference whose styles fill in what ``data`` lacks, or
    ``None`` when ``data`` is itself a bundled reference.
    """
    pkg = _Package(read_package(data, source), source)
    for required in ("[Content_Types].xml", "_rels/.rels"):
        if required not in pkg.parts:
            raise pkg.fail(f"no {required} (a zip file, but not a Word document)")
    main = _related(pkg, "", "officeDocument")
    if main is None:
        raise pkg.fail("no main document (no officeDocument relationship in _rels/.rels)")
    if main not in pkg.parts:
        raise pkg.fail(f"relationship officeDocument in _rels/.rels points to {main}, "
                       "which is not in the package")
    dropped = _drop_active_parts(pkg)
    for name in pkg.parts:  # every part copied into a plan must be sound XML
        if name.endswith((".xml", ".rels")):
            pkg.xml(name)
    _check_relationships(pkg, dropped)
    _fix_content_types(pkg, main, dropped)

    styles_name = _related(pkg, main, "styles")
    if styles_name is None:
        raise pkg.fail(f"no styles part (no styles relationship in {rels_name(main)})")
    styles = pkg.xml(styles_name)
    if styles.tag != _W + "styles":
        raise pkg.fail(f"part {styles_name} is not a styles part")
    ids = {sid: sid for sid in STYLE_IDS}
    if merge_from is not None:
        bundled = _Package(read_package(merge_from, "bundled reference"), "bundled reference")
        bundled_styles = bundled.xml(_related(bundled, _related(bundled, "", "officeDocument"), "styles"))
        added, ids = merge_styles(styles, bundled_styles)
        if added:
            pkg.parts[styles_name] = etree.tostring(styles, xml_declaration=True, encoding="UTF-8",
                                                    standalone=True)

    root = pkg.xml(main)
    body = root.find(_W + "body")
    if root.tag != _W + "document" or body is None:
        raise pkg.fail(f"part {main} is not a Word document body")
    sect = body.find(_W + "sectPr")
    if sect is None:
        sect = etree.fromstring(_DEFAULT_SECT)
    main_rels = pkg.xml(rels_name(main)) if rels_name(main) in pkg.parts else []
    known = {rel.get("Id") for rel in main_rels}
    for el in sect.iter():
        for attr, value in el.attrib.items():
            if attr.startswith(_R) and value not in known:
                raise pkg.fail(f"section properties in {main} refer to relationship {value}, "
                               f"which {rels_name(main)} does not have")
    text_width = _geometry(sect, source)
    sect_xml = etree.tostring(sect, encoding="unicode")

    core = "docProps/core.xml" if "docProps/core.xml" in pkg.parts else None
    before: list[Entry] = []
    after: list[Entry] = []
    core_first = seen_main = False
    for name, blob in pkg.parts.items():
        if name == main:
            seen_main = True
        elif name == core:
            core_first = not seen_main
        else:
            (after if seen_main else before).append(entry(name, blob))
    return Skeleton(tuple(before), tuple(after), main, core, core_first, sect_xml, text_width,
                    ids, _language(pkg, styles), tuple(pkg.warnings), _item_indents(styles, ids))
