"""Block YAML as plans are written, read with string operations alone.

Nearly every plan is block YAML of one simple shape: ``key: value`` lines, ``- `` entries,
plain or quoted one-line scalars, one-line flow collections ({zh: …, en: …}), ``|`` and ``>``
texts, comments and blank lines. Reading that shape line by line takes about half the time
of building the parser's events, so :func:`planwriter.plainyaml.read` asks this module first.

:func:`read` returns exactly what the full reader returns (the same values, read with the
same YAML 1.2 meanings, and the same line of every field), or None as soon as the text
steps outside the shape: flow collections over several lines or with anything but scalars
and flow collections in them, ``|+`` texts and explicit indentation, escapes, anchors, tags,
plain scalars over several lines, duplicate keys, odd indentation, tabs, unusual line
breaks, document markers, and anything that is not valid YAML at all. The full reader then
reads the text (and reports its errors); so this module never decides alone what a text
means, and never reports an error.
"""
from __future__ import annotations

import re
from typing import Any

from .plainyaml import MAX_NESTING, scalar

#: Characters left to the parser: tabs, a carriage return not before a line feed, YAML's
#: other line breaks (NEL, U+2028, U+2029) and what the reader of :mod:`yaml` refuses as not
#: printable (control characters, surrogates, U+FFFE, U+FFFF).
_LEAVE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]")
#: YAML's longest implicit key (the parser refuses longer ones).
MAX_KEY = 1024
#: The headers of block texts read here (not |+ or >+, nor explicit indentation).
_BLOCK_TEXTS = frozenset({"|", "|-", ">", ">-"})
#: A mapping key (a plain name) and the rest of its line.
_KEY = re.compile(r"([A-Za-z_][\w./-]*):(?: +(.*))?$")
#: Characters that cannot start a plain scalar.
_INDICATORS = frozenset("[]{},#&*!|>'\"%@`")
#: A key in a flow mapping, with its colon and the spaces after it.
_FLOW_KEY = re.compile(r"([A-Za-z_][\w./-]*): +")
#: A plain scalar in a flow collection: none of the characters that end or complicate one.
_FLOW_PLAIN = re.compile(r"[^ ,\[\]{}#:?'\"!&*|>%@`-][^,\[\]{}#:?]*|-[^ ,\[\]{}#:?][^,\[\]{}#:?]*")


class _Outside(Exception):
    """The text steps outside block YAML of the simple shape: leave it to the full reader."""


def read(text: str) -> tuple[Any, dict[str, int]] | None:
    """``(data, lines)`` as :func:`planwriter.plainyaml.read` gives them, or None."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if _LEAVE.search(text):
        return None
    try:
        return _Reader(text).document()
    except (_Outside, ValueError, RecursionError):
        return None


class _Reader:
    """One pass over the lines, with a stack of the open collections (as the parser's
    events would open and close them)."""

    def __init__(self, text: str) -> None:
        self.raw = text.split("\n")
        self.lines: dict[str, int] = {}

    def document(self) -> tuple[Any, dict[str, int]]:
        raw, lines, key_re, inline = self.raw, self.lines, _KEY.match, self.inline
        size = len(raw)
        root: dict[str, Any] = {}
        # The open collections: [indentation, container, path, is a mapping]; the innermost
        # is also kept in the four locals below.
        stack: list[list[Any]] = []
        ind0, cont, path, is_map = -1, None, "", True
        pending = None  # (mapping, key, path, indentation): a value on the lines below
        i = 0
        while i < size:
            line = raw[i]
            body = line.lstrip(" ")
            if not body or body[0] == "#":
                i += 1
                continue
            ind = len(line) - len(body)
            if body[-1] == " ":
                body = body.rstrip(" ")
            dash = body[0] == "-" and (len(body) == 1 or body[1] == " ")
            if cont is None:  # the first line: the root mapping
                if ind or dash:
                    raise _Outside
                lines[""] = i + 1
                ind0, cont = 0, root
                stack.append([0, root, "", True])
            elif pending is not None:
                owner, key, sub, at = pending
                pending = None
                if ind > at or (ind == at and dash):  # a nested (or, at ``at``, indentless) block
                    if len(stack) >= MAX_NESTING:
                        raise _Outside
                    new: Any = [] if dash else {}
                    owner[key] = new
                    ind0, cont, path, is_map = ind, new, sub, not dash
                    stack.append([ind, new, sub, is_map])
                else:
                    owner[key] = None
            while ind < ind0:  # collections closed by a shallower line
                stack.pop()
                ind0, cont, path, is_map = stack[-1]
            if ind > ind0:
                raise _Outside  # a scalar going on, or an indentation of its own
            if not is_map and not dash:  # a key after an indentless list: the list ends
                stack.pop()
                if not stack:
                    raise _Outside
                ind0, cont, path, is_map = stack[-1]
                if ind != ind0 or not is_map:
                    raise _Outside
            while True:  # (again for "- key: value" and "- - x", read from their column)
                if is_map:
                    if dash:
                        raise _Outside
                    m = key_re(body)
                    if m is None:
                        raise _Outside
                    key, rest = m.group(1), m.group(2)
                    if key in cont or len(key) > MAX_KEY:
                        raise _Outside
                    sub = f"{path}.{key}" if path else key
                    lines[sub] = i + 1
                    if rest is None or rest[0] == "#":
                        pending = (cont, key, sub, ind)
                        cont[key] = None
                    elif rest in _BLOCK_TEXTS:
                        cont[key], i = self.literal(i, ind, rest[0] == ">", rest[-1] != "-")
                        i -= 1
                    else:
                        cont[key] = inline(rest, sub, i, len(stack))
                    break
                if not dash or len(body) == 1:
                    raise _Outside
                rest = body[2:]
                if rest[0] == " ":
                    rest = rest.lstrip(" ")
                here = f"{path}[{len(cont)}]"
                lines[here] = i + 1
                first = rest[0]
                inner_dash = first == "-" and (len(rest) == 1 or rest[1] == " ")
                if inner_dash or (first not in _INDICATORS and key_re(rest)):
                    # A compact collection: its column is where ``rest`` begins.
                    if len(stack) >= MAX_NESTING:
                        raise _Outside
                    new = [] if inner_dash else {}
                    cont.append(new)
                    ind = ind + len(body) - len(rest)
                    ind0, cont, path, is_map = ind, new, here, not inner_dash
                    stack.append([ind, new, here, is_map])
                    body, dash = rest, inner_dash
                    continue
                if first in "|>#":
                    raise _Outside
                cont.append(inline(rest, here, i, len(stack)))
                break
            i += 1
        if cont is None:
            raise _Outside  # nothing but comments
        if pending is not None:
            pending[0][pending[1]] = None
        return root, lines

    # -- scalars -----------------------------------------------------------------------
    def inline(self, rest: str, path: str, i: int, depth: int) -> Any:
        """The value written on the rest of a line: a scalar or a flow collection."""
        first = rest[0]
        if first == "'" or first == '"':
            value, end = _quoted(rest, 0)
            _after(rest, end)
            return value
        if first == "[" or first == "{":
            return self.flow(rest, path, i, depth)
        cut = rest.find(" #")
        if cut >= 0:
            rest = rest[:cut].rstrip(" ")
        if first in _INDICATORS or (first in "-?:" and (len(rest) == 1 or rest[1] == " ")):
            raise _Outside
        if ": " in rest or rest[-1] == ":":
            raise _Outside
        return scalar(rest)

    def flow(self, rest: str, path: str, i: int, depth: int) -> Any:
        """A flow collection on one line: [zh, en] · {zh: 文本, en: A text} · [{…}, {…}]."""
        value, pos = self.flow_value(rest, 0, path, i, depth)
        _after(rest, pos)
        return value

    def flow_value(self, s: str, pos: int, path: str, i: int, depth: int) -> tuple[Any, int]:
        """The flow value at ``s[pos]`` (spaces before it skipped) and the position after it."""
        size = len(s)
        while pos < size and s[pos] == " ":
            pos += 1
        if pos == size:
            raise _Outside
        c = s[pos]
        if c == "{" or c == "[":
            if depth + 1 >= MAX_NESTING:
                raise _Outside
            is_map, close = c == "{", ("}" if c == "{" else "]")
            out: Any = {} if is_map else []
            lines = self.lines
            pos += 1
            while True:
                while pos < size and s[pos] == " ":
                    pos += 1
                if pos < size and s[pos] == close:  # the end (after a comma, or empty)
                    return out, pos + 1
                if is_map:
                    m = _FLOW_KEY.match(s, pos)
                    if m is None:
                        raise _Outside
                    key = m.group(1)
                    if key in out or len(key) > MAX_KEY:
                        raise _Outside
                    sub = f"{path}.{key}" if path else key
                    lines[sub] = i + 1
                    out[key], pos = self.flow_value(s, m.end(), sub, i, depth + 1)
                else:
                    sub = f"{path}[{len(out)}]"
                    lines[sub] = i + 1
                    value, pos = self.flow_value(s, pos, sub, i, depth + 1)
                    out.append(value)
                while pos < size and s[pos] == " ":
                    pos += 1
                if pos < size and s[pos] == ",":
                    pos += 1
                elif pos < size and s[pos] == close:
                    return out, pos + 1
                else:
                    raise _Outside
        if c == "'" or c == '"':
            return _quoted(s, pos)
        m = _FLOW_PLAIN.match(s, pos)
        if m is None:
            raise _Outside
        return scalar(m.group().rstrip(" ")), m.end()

    def literal(self, i: int, indent: int, folded: bool, clip: bool) -> tuple[str, int]:
        """A ``|`` or ``>`` text (``|-``, ``>-``: without its last line break) on the lines
        after line ``i``: ``(text, next line)``."""
        raw = self.raw
        last = len(raw)
        j = i + 1
        if j >= last:
            raise _Outside
        first = raw[j]
        width = len(first) - len(first.lstrip(" "))
        if width <= indent or not first.strip(" "):
            raise _Outside  # an empty text, or blank lines before it: leave them to the parser
        chunks: list[str] = []
        end = j  # one past the last line with text
        while j < last:
            line = raw[j]
            body = line.lstrip(" ")
            if not body:
                if len(line) > width:
                    raise _Outside
                chunks.append("")
            elif len(line) - len(body) < width:
                break
            else:
                chunks.append(line[width:])
                end = j + 1
            j += 1
        kept = chunks[:end - (i + 1)]
        text = _fold(kept) if folded else "\n".join(kept)
        if clip and end < last:  # the last line of text ends with a line break
            text += "\n"
        return text, j


def _fold(lines: list[str]) -> str:
    """The lines of a ``>`` text folded as YAML folds them: a line break between two lines of
    text is a space, a blank line a line break; lines indented further keep their breaks."""
    out = [lines[0]]
    prev, k, size = lines[0], 1, len(lines)
    while k < size:
        blank = 0
        while lines[k] == "":  # the last line has text, so this stops
            blank += 1
            k += 1
        line = lines[k]
        if prev[0] != " " and line[0] != " ":
            out.append("\n" * blank if blank else " ")
        else:
            out.append("\n" * (blank + 1))
        out.append(line)
        prev = line
        k += 1
    return "".join(out)


def _quoted(s: str, pos: int) -> tuple[str, int]:
    """The one-line quoted scalar at ``s[pos]`` (``'…'`` with ``''`` for a quote, or ``"…"``
    without escapes) and the position after its closing quote."""
    if s[pos] == "'":
        j = pos + 1
        while True:
            j = s.find("'", j)
            if j < 0:
                raise _Outside  # goes on to the next line
            if s[j + 1:j + 2] != "'":
                return s[pos + 1:j].replace("''", "'"), j + 1
            j += 2
    j = s.find('"', pos + 1)
    if j < 0 or "\\" in s[pos:j]:
        raise _Outside
    return s[pos + 1:j], j + 1


def _after(rest: str, k: int) -> None:
    """Nothing but a comment may follow a quoted scalar on its line."""
    tail = rest[k:]
    if tail and not (tail[0] == " " and tail.lstrip(" ").startswith("#")):
        if tail.strip(" "):
            raise _Outside
