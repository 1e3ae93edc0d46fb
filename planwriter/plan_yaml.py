"""Plan data written as the YAML a person would write by hand.

:func:`dump` writes keys in the model's order, short texts as plain scalars (quoted only
where YAML needs it), long Chinese text and text of several paragraphs as literal block
scalars (``|-``), long English text folded (``>-``), short lists of plain words in flow style
(``[zh, en]``).  What it writes loads back to the same data (``yaml.safe_load``).
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from typing import Any

import yaml

#: Key order per mapping kind; keys not listed follow in their own order.
ORDER = [
    # plan and meta
    "meta", "sections", "organisation", "org_type", "year", "period", "start", "end", "locales",
    "kind", "title", "subtitle", "status", "doc_number", "addressees", "superior", "issuer", "date",
    "notice", "attachments", "numbering", "currency",
    # sections and items
    "numbered", "heading", "block", "params", "text", "lead", "tail", "content", "indicators",
    "layout", "schedule", "responsibilities", "table", "budget", "actions", "items",
    # indicators, schedule entries, tables, actions
    "name", "comparator", "value", "unit", "baseline", "targets", "by", "confirmed",
    "when", "phase", "what", "owner", "duties", "header", "rows", "caption", "notes",
    "lines", "item", "amount", "total", "timeline", "kpis", "outcome",
]
_RANK = {k: i for i, k in enumerate(ORDER)}
_WIDTH = 88
_PLAIN_START = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]")
_PLAIN_BAD = re.compile(r": |\s#|:$|\t|^\s|\s$")
_FLOW_BAD = re.compile(r"[,\[\]{}]")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _plain_ok(text: str) -> bool:
    if not text or "\n" in text or _PLAIN_START.match(text) or _PLAIN_BAD.search(text):
        return False
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or c in "\u2028\u2029\ufeff" for c in text):
        return False
    try:
        return yaml.safe_load(text) == text
    except yaml.YAMLError:
        return False


def _quoted(text: str) -> str:
    if "'" not in text and "\n" not in text and text.isprintable():
        return "'" + text + "'"
    return json.dumps(text, ensure_ascii=False)


def _block_ok(text: str) -> bool:
    lines = text.split("\n")
    return (not text.startswith((" ", "\t")) and not text.endswith((" ", "\n"))
            and all(ln == ln.rstrip(" \t") for ln in lines)
            and all(ch.isprintable() or ch in "\n\t" for ch in text) and "\r" not in text)


def _fold(text: str, width: int) -> list[str]:
    words, lines, line = text.split(" "), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    lines.append(line)
    return lines


def _scalar(value: Any, indent: int) -> tuple[str, list[str]]:
    """(inline text, block lines) for a scalar; block lines go under the key."""
    if value is None:
        return "null", []
    if isinstance(value, bool):
        return ("true" if value else "false"), []
    if isinstance(value, int):
        return str(value), []
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)), []
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(), []
    text = str(value)
    pad = " " * (indent + 2)
    long = _width(text) + indent > _WIDTH
    if ("\n" in text or long) and _block_ok(text):
        latin = not re.search(r"[\u3000-\u9fff\uff00-\uffef]", text)
        if latin and "\n" not in text and "  " not in text:
            return ">-", [pad + ln for ln in _fold(text, max(40, _WIDTH - indent - 2))]
        return "|-", [(pad + ln) if ln else "" for ln in text.split("\n")]
    if _plain_ok(text) or _ISO_DATE.match(text):
        # an ISO date is written plain, as a person writes it; the plan loader reads it as a date
        return text, []
    return _quoted(text), []


def _key(k: Any) -> str:
    k = str(k)
    return k if _plain_ok(k) and ":" not in k else _quoted(k)


def _ordered(d: dict) -> list[tuple[Any, Any]]:
    items = list(d.items())
    return sorted(items, key=lambda kv: (_RANK.get(kv[0], len(ORDER)), items.index(kv)))


def _flow(values: list) -> str | None:
    """A short list of plain scalars in flow style, or None."""
    out = []
    for v in values:
        if isinstance(v, (dict, list)) or v is None:
            return None
        s, block = _scalar(v, 0)
        if block or (isinstance(v, str) and (_FLOW_BAD.search(v) or not _plain_ok(v))):
            return None
        out.append(s)
    text = "[" + ", ".join(out) + "]"
    return text if _width(text) <= 60 else None


def _emit(value: Any, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        for k, v in _ordered(value):
            key = _key(k)
            if isinstance(v, dict) and v:
                out.append(f"{pad}{key}:")
                _emit(v, indent + 2, out)
            elif isinstance(v, list) and v:
                flow = _flow(v)
                if flow is not None:
                    out.append(f"{pad}{key}: {flow}")
                else:
                    out.append(f"{pad}{key}:")
                    _emit(v, indent + 2, out)
            elif isinstance(v, (dict, list)):
                out.append(f"{pad}{key}: {'{}' if isinstance(v, dict) else '[]'}")
            else:
                inline, block = _scalar(v, indent)
                out.append(f"{pad}{key}: {inline}")
                out.extend(block)
        return
    if isinstance(value, list):
        for v in value:
            if isinstance(v, dict) and v:
                sub: list[str] = []
                _emit(v, indent + 2, sub)
                first = sub[0][indent + 2:]
                out.append(f"{pad}- {first}")
                out.extend(sub[1:])
            elif isinstance(v, list) and v:
                flow = _flow(v)
                if flow is not None:
                    out.append(f"{pad}- {flow}")
                else:
                    sub = []
                    _emit(v, indent + 2, sub)
                    out.append(f"{pad}- {sub[0][indent + 2:]}")
                    out.extend(sub[1:])
            else:
                inline, block = _scalar(v, indent)
                out.append(f"{pad}- {inline}")
                out.extend(block)
        return
    inline, block = _scalar(value, indent - 2)
    out.append(pad + inline)
    out.extend(block)


def dump(data: Any) -> str:
    """``data`` as hand-written-looking YAML (see the module docstring)."""
    out: list[str] = []
    _emit(data, 0, out)
    return "\n".join(out) + "\n"
