"""Markdown (.md): headings, lists, tables and paragraphs as lines with hints.

A small reader of the Markdown plans are written in (CommonMark's block structure, GFM
tables), not a full CommonMark parser: ATX and setext headings give a level, list items
their marker, nesting and list, tables their rows; inline emphasis, links, images and
escapes are reduced to their text, and a bold run at the start of a paragraph is its run-in
title.  Soft-wrapped lines are joined; a hard break ("two spaces" or a backslash at the end
of a line) starts a new line of the plan, as in a signature block.
"""
from __future__ import annotations

import re

from . import markers
from .lines import Line

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_LIST = re.compile(r"^( *)([-*+]|\d{1,9}[.)])[ \t]+(.*)$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~&])")
_LEAD = re.compile(r"^(\*\*|__)(.+?)\1\s*")
_EMPH = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)|(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)")
_CODE = re.compile(r"`([^`]*)`")
_CJK_END = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]$")
_CJK_START = re.compile(r"^[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def inline(text: str) -> str:
    """Markdown inline markup reduced to its text."""
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _EMPH.sub(lambda m: m.group(2) or m.group(3) or m.group(4) or "", text)
    text = _ESCAPE.sub(r"\1", text)
    return text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def _join(a: str, b: str) -> str:
    if not a:
        return b
    if _CJK_END.search(a) or _CJK_START.search(b):
        return a + b
    return a + " " + b


def _breaks_before(piece: str, before: str) -> bool:
    """Whether a line of a Markdown paragraph starts a line of the plan of its own: a bold
    label (**Prepared by:** …) or a numbered marker after a finished sentence (a) …)."""
    t = piece.strip()
    if (m := _LEAD.match(t)) and m.group(2).rstrip().endswith((":", "：")) or re.match(r"^(\*\*|__)[^*_]{1,40}\1\s*[:：]", t):
        return True
    marker = markers.parse(inline(t))
    return marker is not None and marker.numbered and before.rstrip()[-1:] in ".;:!?。；：！？"


def _cells(row: str) -> list[str]:
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return [inline(c.strip()) for c in re.split(r"(?<!\\)\|", row)]


def lines_of(text: str) -> list[Line]:
    """The paragraphs, headings, list items and tables of a Markdown text."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[Line] = []
    para: list[tuple[int, str]] = []
    list_counter = 0
    in_list = False
    list_indents: list[int] = []
    current: dict | None = None  # the paragraph or list item being gathered
    blank = True

    def flush() -> None:
        nonlocal current
        if current is None:
            return
        parts = current["parts"]
        # Hard breaks split one Markdown paragraph into several lines of the plan.
        pieces: list[tuple[int, str]] = [(parts[0][0], "")]
        for k, (number, piece, hard) in enumerate(parts):
            start, acc = pieces[-1]
            if k and acc and _breaks_before(piece, acc):
                pieces.append((number, piece.strip()))
            else:
                pieces[-1] = (start, _join(acc, piece.strip()))
            if hard:
                pieces.append((number + 1, ""))
        for k, (number, body) in enumerate(p for p in pieces if p[1].strip()):
            sub = k > 0 and current["list_id"] and markers.parse(inline(body).strip()) is not None
            lead = ""
            if k == 0 and (m := _LEAD.match(body)):
                lead = inline(m.group(2)).strip()
            clean = inline(body).strip()
            if not clean:
                continue
            out.append(Line(clean, number, parts[-1][0], marker=current["marker"] if k == 0 else "",
                            list_id=current["list_id"],
                            list_level=current["list_level"] + 1 if sub else current["list_level"],
                            lead=lead, bold=bool(lead) and lead == clean,
                            blank_before=current["blank"] if k == 0 else False,
                            style=current["style"]))
        current = None

    i = 0
    fence = None
    while i < len(raw_lines):
        number = i + 1
        raw = raw_lines[i]
        if fence:
            if raw.strip().startswith(fence):
                fence = None
            i += 1
            continue
        if i == 0 and raw.strip() == "---":  # YAML front matter
            end = next((j for j in range(1, len(raw_lines)) if raw_lines[j].strip() in ("---", "...")), None)
            if end is not None:
                i = end + 1
                continue
        if m := _FENCE.match(raw):
            flush()
            fence = m.group(1)
            i += 1
            continue
        if not raw.strip():
            flush()
            blank = True
            i += 1
            continue
        if raw.lstrip().startswith("<!--"):
            flush()
            while i < len(raw_lines) and "-->" not in raw_lines[i]:
                i += 1
            i += 1
            continue
        if (m := _ATX.match(raw)):
            flush()
            body = inline((m.group(2) or "").strip())
            if body:
                out.append(Line(body, number, level=len(m.group(1)), style=f"h{len(m.group(1))}",
                                blank_before=blank))
            in_list = False
            blank = False
            i += 1
            continue
        if current is not None and not current["marker"] and (s := _SETEXT.match(raw)) \
                and len(current["parts"]) >= 1:
            level = 1 if s.group(1).startswith("=") else 2
            body = inline(" ".join(p[1].strip() for p in current["parts"]))
            start = current["parts"][0][0]
            current = None
            out.append(Line(body, start, number, level=level, style=f"h{level}", blank_before=blank))
            blank = False
            i += 1
            continue
        if _RULE.match(raw):
            flush()
            i += 1
            continue
        if raw.lstrip().startswith("|") and i + 1 < len(raw_lines) and _TABLE_SEP.match(raw_lines[i + 1]):
            flush()
            rows, at = [_cells(raw)], [number]
            j = i + 2
            while j < len(raw_lines) and raw_lines[j].strip().startswith("|"):
                rows.append(_cells(raw_lines[j]))
                at.append(j + 1)
                j += 1
            out.append(Line(" ".join(" ".join(r) for r in rows), number, j, table=rows,
                            row_lines=at, blank_before=blank, style="table"))
            in_list = False
            blank = False
            i = j
            continue
        if m := _LIST.match(raw):
            indent = len(m.group(1))
            if current is not None and current["marker"] == "" and not blank and m.group(2)[0].isdigit() \
                    and not m.group(2).startswith("1"):
                # "2025. A sentence" inside a paragraph is not a list (CommonMark: only 1. interrupts)
                current["parts"].append((number, raw, False))
                i += 1
                continue
            flush()
            if not in_list:
                list_counter += 1
                list_indents = []
                in_list = True
            while list_indents and list_indents[-1] > indent:
                list_indents.pop()
            if not list_indents or list_indents[-1] < indent:
                list_indents.append(indent)
            marker = "•" if m.group(2) in "-*+" else m.group(2)
            body = m.group(3)
            hard = body.endswith("  ") or body.endswith("\\")
            current = {"parts": [(number, body.rstrip("\\"), hard)], "marker": marker,
                       "list_id": f"md{list_counter}", "list_level": len(list_indents) - 1,
                       "blank": blank, "style": "li"}
            blank = False
            i += 1
            continue
        stripped = raw.strip()
        if stripped.startswith(">"):
            stripped = stripped.lstrip("> ").strip()
        hard = raw.endswith("  ") or raw.rstrip().endswith("\\")
        if current is None:
            if in_list and blank and not raw.startswith((" ", "\t")):
                in_list = False
            # a paragraph indented under a list item belongs to it ("li-p"); one at the margin
            # after the list ("p") does not
            current = {"parts": [], "marker": "", "list_id": "", "list_level": None,
                       "blank": blank, "style": "li-p" if in_list and raw.startswith((" ", "\t")) else "p"}
        current["parts"].append((number, stripped.rstrip("\\"), hard))
        blank = False
        i += 1
    flush()
    return out
