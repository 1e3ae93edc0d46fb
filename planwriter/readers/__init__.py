"""Readers: existing plans (text, Markdown, DOCX, web pages) into the plan model.

    import planwriter
    plan = planwriter.read("last-year.docx")               # a Plan
    reading = planwriter.readers.read_with_findings("page.txt")
    reading.plan, reading.findings                         # the plan, and what was dropped,
                                                           # guessed, kept as a placeholder
    for r in planwriter.readers.read_all("page.txt"):     # a page holding several plans
        ...

As pandoc's readers do, each format has its own module that only turns the input into
paragraphs with hints (:mod:`.text`, :mod:`.markdown`, :mod:`.docx`, :mod:`.html`); one
shared stage (:mod:`.build`) turns those into plans for every format.  Readers never print:
what they drop, guess or keep as a placeholder comes back as :class:`Finding` objects
located by line.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import PlanError
from .build import Builder, Reading
from .lines import Finding, Line

__all__ = ["read", "read_with_findings", "read_all", "Reading", "Finding", "Line", "FORMATS",
           "detect_format", "lines_of"]

#: File extensions and the format each names.
FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
           ".docx": "docx", ".html": "html", ".htm": "html", ".xhtml": "html"}
_NAMES = {"text", "markdown", "docx", "html"}


def detect_format(name: str, data: bytes | None = None) -> str:
    """The format of an input: from its extension, else from its first bytes."""
    ext = Path(name).suffix.lower()
    if ext in FORMATS:
        return FORMATS[ext]
    if data is not None:
        head = data[:2048].lstrip().lower()
        if data.startswith(b"PK\x03\x04"):
            return "docx"
        if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head or b"<p>" in head:
            return "html"
        if head.startswith(b"#") or b"\n## " in data[:4096]:
            return "markdown"
    return "text"


def lines_of(data: bytes | str, fmt: str, name: str = "<input>", warn=None) -> list[Line]:
    """The paragraphs of an input in format ``fmt``, with the hints its format gives."""
    fmt = FORMATS.get("." + fmt.lower().lstrip("."), fmt.lower()) if fmt else fmt  # txt, md, htm: their formats
    if fmt not in _NAMES:
        raise PlanError(f"unknown import format '{fmt}' (formats: text, markdown, docx, html)", name)
    if fmt == "docx":
        from . import docx
        if isinstance(data, str):
            raise PlanError("a DOCX must be given as bytes or a file", name)
        return docx.lines_of(data, name, warn)
    if fmt == "html":
        from . import html
        return html.lines_of(data, name, warn)
    if isinstance(data, bytes):
        from .decode import decode
        data, _ = decode(data, name, warn)
    if fmt == "markdown":
        from . import markdown
        return markdown.lines_of(data)
    from . import text
    return text.lines_of(data)


def _load(source: str | os.PathLike | bytes, fmt: str | None) -> tuple[str, bytes | str, str]:
    if isinstance(source, bytes):
        name = "<input>"
        return name, source, fmt or detect_format(name, source)
    if isinstance(source, os.PathLike) or (isinstance(source, str) and "\n" not in source
                                            and len(source) < 4096 and os.path.exists(source)):
        name = os.fspath(source)
        from ..inputs import read_bytes
        from .decode import MAX_INPUT_BYTES
        # Bounded as every input is: a regular file (no pipe or device), at most the cap.
        data = read_bytes(name, MAX_INPUT_BYTES, what="a plan", pipes=False, shown=name)
        return name, data, fmt or detect_format(name, data)
    if isinstance(source, str):
        if "\n" not in source and len(source) < 300 and Path(source).suffix.lower() in FORMATS:
            raise PlanError("file not found", source)
        return "<text>", source, fmt or ("markdown" if source.lstrip().startswith("#") else "text")
    raise PlanError(f"cannot read a plan from {type(source).__name__}")


def read_all(source: str | os.PathLike | bytes, format: str | None = None, *, env: Any = None,
             org: str | None = None, year: int | None = None, fill: bool = False,
             split: bool = True) -> list[Reading]:
    """Every plan in ``source`` (a path, the text itself, or bytes), with its findings.

    ``format`` is text, markdown, docx or html (default: from the extension or content).
    ``org`` and ``year`` name the organisation and year; with ``fill`` they also replace
    blanks such as ``xx年`` and ``某某医院`` in the text.
    """
    name, data, fmt = _load(source, format)
    from . import decode as _decode_mod  # noqa: F401  (bytes are decoded by the readers)
    warnings: list[tuple[str, int | None]] = []
    lines = lines_of(data, fmt, name, lambda msg, line=None: warnings.append((msg, line)))
    if env is None:
        from .. import default_environment
        env = default_environment()
    readings = Builder(name, env, org, year, fill).read(lines, split=split)
    if warnings and readings:
        readings[0].findings[:0] = [Finding("guessed", msg, line, "", name) for msg, line in warnings]
    return readings


def read_with_findings(source: str | os.PathLike | bytes, format: str | None = None,
                       **options: Any) -> Reading:
    """The (first) plan in ``source`` with what was dropped, guessed and left as placeholders."""
    return read_all(source, format, split=False, **options)[0]


def read(source: str | os.PathLike | bytes, format: str | None = None, **options: Any):
    """The plan in ``source`` (a path, the text itself, or bytes) as a :class:`~planwriter.Plan`."""
    return read_with_findings(source, format, **options).plan
