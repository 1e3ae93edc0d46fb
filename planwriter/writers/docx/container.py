"""The zip container of a DOCX package: bounded reading of untrusted archives, and writing.

Reading trusts nothing an archive declares: the member count, each member's size and the sum
of all sizes are capped, members are inflated with a bounded read, and only stored or deflated,
unencrypted members with sound names are accepted.  Every problem is a :class:`PlanError`
naming the file.  Writing lays out pre-deflated members with fixed timestamps, so equal
documents give byte-identical files.
"""
from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass

from ...errors import PlanError

#: Limits on a reference document: members, bytes per member, bytes in all (uncompressed).
MAX_MEMBERS = 1000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024

_PARSER = None


def xml_parser():
    """The parser for package XML: no entities, no DTDs, no network, no huge trees.
    (lxml is imported here, when a reference is taken apart, and not to write a document.)"""
    global _PARSER
    if _PARSER is None:
        from lxml import etree
        _PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                                  huge_tree=False, remove_blank_text=False)
    return _PARSER


def _mb(n: int) -> str:
    return f"{n // (1024 * 1024)} MB"


def parse_xml(data: bytes, name: str, source: str):
    """Parse the package part ``name``; a malformed part is a PlanError naming ``source``."""
    from lxml import etree
    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as e:
        raise PlanError(f"part {name} is not well-formed XML (line {e.lineno})", source) from None
    if root is None:
        raise PlanError(f"part {name} is empty", source)
    if root.getroottree().docinfo.doctype:
        raise PlanError(f"part {name} has a DOCTYPE declaration, which Word documents never have", source)
    return root


def _check_name(name: str, source: str) -> None:
    parts = name.split("/")
    if (not name or name.startswith("/") or "\\" in name or any(p in ("", ".", "..") for p in parts)
            or any(ord(c) < 0x20 for c in name)):
        raise PlanError(f"member name {name!r} is not a valid part name", source)


def read_package(data: bytes, source: str) -> dict[str, bytes]:
    """The members of the zip archive ``data`` by name, within the limits above.

    ``source`` names the file in errors.  Folders are skipped.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise PlanError("not a zip archive", source) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise PlanError(f"{len(infos)} members, more than the {MAX_MEMBERS} allowed", source)
        parts: dict[str, bytes] = {}
        total = 0
        for info in infos:
            name = info.filename
            if info.is_dir():
                continue
            _check_name(name, source)
            if name in parts:
                raise PlanError(f"member {name} appears twice", source)
            if info.flag_bits & 0x1:
                raise PlanError(f"member {name} is encrypted", source)
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise PlanError(f"member {name} uses compression method {info.compress_type}; "
                                "only stored and deflated members are supported", source)
            blob = _bounded_read(archive, info, min(MAX_MEMBER_BYTES, MAX_TOTAL_BYTES - total), source)
            total += len(blob)
            parts[name] = blob
    return parts


def _bounded_read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, source: str) -> bytes:
    """Inflate one member, reading at most ``limit`` + 1 bytes whatever its header says."""
    name = info.filename
    too_big = (f"member {name} is larger than {_mb(MAX_MEMBER_BYTES)} uncompressed"
               if limit == MAX_MEMBER_BYTES else
               f"members add up to more than {_mb(MAX_TOTAL_BYTES)} uncompressed")
    if info.file_size > limit:
        raise PlanError(too_big, source)
    try:
        with archive.open(info) as fh:
            blob = fh.read(limit + 1)
            if len(blob) > limit:
                raise PlanError(too_big, source)
            if len(blob) != info.file_size:
                raise PlanError(f"member {name} is corrupt (its size does not match its header)", source)
    except PlanError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
            RuntimeError) as e:
        detail = "bad CRC-32" if "CRC" in str(e) else type(e).__name__
        raise PlanError(f"member {name} is corrupt ({detail})", source) from None
    if zlib.crc32(blob) != info.CRC:
        raise PlanError(f"member {name} is corrupt (bad CRC-32)", source)
    return blob


def part_folder(name: str) -> str:
    """The folder of part ``name`` ('' for the package root)."""
    return posixpath.dirname(name)


def rels_name(part: str) -> str:
    """The relationships part of ``part`` ('' for the package itself)."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{base}.rels") if part else "_rels/.rels"


def resolve_target(part: str, target: str) -> str:
    """The part name a relationship of ``part`` points to."""
    target = target.split("#", 1)[0]
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(part_folder(part), target))


# --------------------------------------------------------------------------- writing

_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DOS_TIME = 0
_ZIP32_MAX = 0xFFFFFFFF


@dataclass(frozen=True)
class Entry:
    """One member to write: its name, raw deflate stream, CRC-32 and uncompressed size."""

    name: bytes
    data: bytes
    crc: int
    size: int


def _deflate(data: bytes, level: int) -> bytes:
    co = zlib.compressobj(level, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush()


def entry(name: str, data: bytes, level: int = 6) -> Entry:
    """A member ``name`` holding ``data``, deflated at ``level`` (a document's own parts use
    level 1: WordprocessingML is so repetitive that it deflates to a few per cent of its size
    at any level, and level 1 takes a quarter of the time)."""
    return Entry(name.encode("utf-8"), _deflate(data, level), zlib.crc32(data), len(data))


def write_zip(entries: list[Entry]) -> bytes:
    """Lay out a zip archive of pre-deflated entries (fixed 1980-01-01 timestamps).

    Archives beyond the classic zip limits (4 GB, 65,535 members) are refused with a
    PlanError; the limits on reference documents keep real output far below them.
    """
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    if len(entries) >= 0xFFFF:
        raise PlanError(f"the DOCX would hold {len(entries)} members, more than a zip file can")
    for e in entries:
        if e.size >= _ZIP32_MAX or len(e.data) >= _ZIP32_MAX or offset >= _ZIP32_MAX:
            raise PlanError("the DOCX would be larger than 4 GB, more than a zip file can hold")
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
    if offset + len(cd) >= _ZIP32_MAX:
        raise PlanError("the DOCX would be larger than 4 GB, more than a zip file can hold")
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(cd), offset, 0)
    out += (cd, end)
    return b"".join(out)
