"""Plain YAML: a safe, one-pass YAML 1.2 reader that maps every field to its line.

Plans are plain data. This reader builds Python values straight from the parser's
events (libyaml's C parser where PyYAML has it, the pure-Python one elsewhere),
so a file is parsed once, and it reads scalars with YAML 1.2 meanings: ``010`` is
ten, ``33:45`` and ``yes`` are text, and dates stay text until the model reads
them. What a plan never needs is refused with its line: anchors and aliases
(the way to blow up memory), merge keys (``<<``), tags other than the standard
ones, duplicate keys, several documents, absurd nesting and numbers of hundreds
of digits.

Error messages for malformed YAML are PyYAML's own (from its pure-Python parser,
which is run again on the rare file that fails), so they read the same whatever
parser did the work.
"""
from __future__ import annotations

import math
import re
from typing import Any, Callable

from .errors import PlanError

# PyYAML is imported when a text needs its parser: the plans blockyaml reads never do.

#: Lists and mappings nest about 15 deep in the deepest plan; far more is not a plan.
MAX_NESTING = 64
#: Longer runs of digits are not numbers a plan means (and would cost time to convert).
MAX_DIGITS = 100

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = frozenset({".nan", ".NaN", ".NAN"})
_STD = "tag:yaml.org,2002:"


class Lines(dict):
    """Field path → line number (1-based) of everything read."""


def scalar(text: str) -> Any:
    """A plain (unquoted) scalar with its YAML 1.2 core-schema meaning.

    ``null``/``~``/empty → None, ``true``/``false`` → bool, integers (``010`` is ten,
    ``0o17``, ``0x1F``), floats (``.5``, ``1e3``, ``.inf``, ``.nan``); anything else is
    the text itself. Raises ``ValueError`` for a number with more than
    :data:`MAX_DIGITS` digits.
    """
    if len(text) > 5 and not ("0" <= text[0] <= "9" or text[0] in "-+."):
        return text  # fast path: ordinary words
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text):
        if len(text) > MAX_DIGITS:
            raise ValueError(f"a number of {len(text.lstrip('+-')):,} digits is too long; "
                             "quote it if it is a text")
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text, 10)
    if _FLOAT.fullmatch(text):
        if len(text) > MAX_DIGITS + 10:
            raise ValueError(f"a number of {len(text):,} characters is too long; "
                             "quote it if it is a text")
        return float(text)
    if _INF.fullmatch(text):
        return -math.inf if text[0] == "-" else math.inf
    if text in _NAN:
        return math.nan
    return text


def _tagged(tag: str, value: str, line: int, file: str) -> Any:
    """A scalar with an explicit standard tag (``!!str 2025``)."""
    kind = tag[len(_STD):] if tag.startswith(_STD) else None
    if kind == "str":
        return value
    try:
        if kind in ("int", "float", "bool", "null"):
            v = scalar(value)
            ok = {"int": lambda: isinstance(v, int) and not isinstance(v, bool),
                  "float": lambda: isinstance(v, (int, float)) and not isinstance(v, bool),
                  "bool": lambda: isinstance(v, bool),
                  "null": lambda: v is None}[kind]()
            if ok:
                return float(v) if kind == "float" else v
            raise ValueError(f"'{value}' is not a valid !!{kind}")
    except ValueError as e:
        raise PlanError(str(e), file, line) from None
    raise _tag_error(tag, file, line)


def _tag_error(tag: str, file: str, line: int) -> PlanError:
    return PlanError(f"invalid YAML: could not determine a constructor for the tag '{tag}'; "
                     "plans are plain YAML: remove the '!' tag", file, line)


def _line(event) -> int:
    return event.start_mark.line + 1


def _build(next_event: Callable[[], Any], file: str, lines: dict[str, int]) -> Any:
    """Plain data from a stream of parser events, recording each field's line.

    One pass, no recursion: the open collections are a stack of
    ``[container, path, pending key]`` (the key is None while a mapping waits for one).
    """
    from yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent,
                             ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent)
    ev = next_event()  # StreamStartEvent
    ev = next_event()
    if isinstance(ev, StreamEndEvent):
        raise PlanError("the file is empty; a plan needs 'meta' and 'sections'", file, 1)
    if not isinstance(ev, DocumentStartEvent):  # pragma: no cover - the parser guarantees it
        raise PlanError("invalid YAML: expected a document", file, _line(ev))
    stack: list[list[Any]] = []
    push, pop = stack.append, stack.pop
    root: Any = None
    top: list[Any] | None = None  # stack[-1]
    scalar_ = scalar
    while True:
        ev = next_event()
        cls = type(ev)
        if cls is ScalarEvent:
            if ev.anchor is not None:
                raise _anchor_error(file, _line(ev))
            line = ev.start_mark.line + 1
            if top is not None:
                container = top[0]
                if top[2] is None and type(container) is dict:
                    # A mapping key: always text, never twice.
                    k = ev.value
                    sub = f"{top[1]}.{k}" if top[1] else k
                    if k in container:
                        raise PlanError(f"'{k}' is given twice (first on line {lines[sub]}); "
                                        "keep one", file, line, sub)
                    if k == "<<" and ev.implicit[0]:
                        raise PlanError("YAML merge keys (<<) are not supported; write the "
                                        "fields out", file, line)
                    lines[sub] = line
                    top[2] = k
                    continue
            tag = ev.tag
            if tag is not None and tag != "!":
                value = _tagged(tag, ev.value, line, file)
            elif ev.implicit[0]:
                try:
                    value = scalar_(ev.value)
                except ValueError as e:
                    raise PlanError(str(e), file, line, _value_path(top, lines)) from None
            else:
                value = ev.value
            if top is None:
                root = value
                lines.setdefault("", line)
                break
            container = top[0]
            if type(container) is list:
                lines[f"{top[1]}[{len(container)}]"] = line
                container.append(value)
            else:
                container[top[2]] = value
                top[2] = None
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            line = ev.start_mark.line + 1
            if ev.anchor is not None:
                raise _anchor_error(file, line)
            is_map = cls is MappingStartEvent
            tag = ev.tag
            if tag is not None and tag != "!" and tag != (_STD + ("map" if is_map else "seq")):
                raise _tag_error(tag, file, line)
            if len(stack) >= MAX_NESTING:
                raise PlanError("the YAML nests too deeply to be a plan", file, line)
            new: Any = {} if is_map else []
            if top is None:
                root, path = new, ""
                lines.setdefault("", line)
            else:
                container = top[0]
                if type(container) is list:
                    path = f"{top[1]}[{len(container)}]"
                    lines[path] = line
                    container.append(new)
                elif top[2] is None:
                    raise PlanError("a mapping key must be a plain name, not a list or mapping",
                                    file, line)
                else:
                    k = top[2]
                    path = f"{top[1]}.{k}" if top[1] else k
                    container[k] = new
                    top[2] = None
            top = [new, path, None]
            push(top)
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            pop()
            if not stack:
                break
            top = stack[-1]
        elif cls is AliasEvent:
            raise _anchor_error(file, _line(ev))
        else:  # pragma: no cover - the parser sends nothing else inside a document
            break
    ev = next_event()  # DocumentEndEvent
    ev = next_event()
    if not isinstance(ev, StreamEndEvent):
        raise PlanError("invalid YAML: but found another document (expected a single document "
                        "in the stream)", file, _line(ev))
    return root


def _value_path(top: list[Any] | None, lines: dict[str, int]) -> str:
    """The field path of the value about to be placed in the open collection ``top``."""
    if top is None:
        return ""
    container, path, key = top[0], top[1], top[2]
    if type(container) is list:
        return f"{path}[{len(container)}]"
    return f"{path}.{key}" if path else key


def _anchor_error(file: str, line: int) -> PlanError:
    return PlanError("YAML anchors and aliases (&name, *name) are not supported; write the text out",
                     file, line)


def read(text: str, file: str = "<string>", *, quick: bool = True) -> tuple[Any, dict[str, int]]:
    """Parse one YAML document into plain data and a map of field path → line.

    Raises :class:`~planwriter.PlanError` with the file and line for anything that is
    not plain YAML or not YAML at all. Block YAML of the usual shape is read by
    :mod:`planwriter.blockyaml` (``quick=False``: by the parser, always), with the same
    result.
    """
    if quick:
        from .blockyaml import read as read_block
        got = read_block(text)
        if got is not None:
            return got
    import yaml
    try:  # libyaml, shipped in PyYAML's wheels; not every build has it
        from yaml.cyaml import CParser as _FastParser
    except ImportError:  # pragma: no cover - depends on the PyYAML build
        _FastParser = None
    lines: dict[str, int] = {}
    if _FastParser is not None:
        parser = None
        try:
            parser = _FastParser(text)
            return _build(parser.get_event, file, lines), lines
        except yaml.YAMLError:
            pass  # read it again below, for PyYAML's own message
        except RecursionError:
            raise PlanError("the YAML nests too deeply to be a plan", file) from None
        finally:
            if parser is not None:
                parser.dispose()
        lines.clear()
    loader = None
    try:
        loader = yaml.SafeLoader(text)
        return _build(loader.get_event, file, lines), lines
    except yaml.YAMLError as e:
        raise yaml_error(e, file, text) from None
    except RecursionError:
        raise PlanError("the YAML nests too deeply to be a plan", file) from None
    finally:
        if loader is not None:
            loader.dispose()


def yaml_error(e: yaml.YAMLError, file: str, text: str = "") -> PlanError:
    """A PyYAML error as one located line, with a hint for the usual causes."""
    import yaml
    if isinstance(e, yaml.reader.ReaderError):
        line = text.count("\n", 0, e.position) + 1 if text else None
        if isinstance(e.character, int):
            return PlanError(f"contains control character U+{e.character:04X}, which a plan "
                             "cannot hold; remove it", file, line)
        return PlanError(f"cannot read the file: {e.reason}", file, line)
    problem = getattr(e, "problem", None) or str(e)
    mark = getattr(e, "problem_mark", None)
    if mark is None or "end of stream" in problem:  # an unclosed quote: point at its start
        mark = getattr(e, "context_mark", None) or mark
    context = getattr(e, "context", None)
    msg = f"invalid YAML: {problem}"
    if context:
        msg += f" ({context})"
    if "\\t" in problem or "'\\t'" in msg:
        msg += "; indent with spaces, not tabs"
    elif "quoted scalar" in (context or ""):
        msg += "; a quote opened here is not closed"
    elif problem.startswith(("mapping values are not allowed", "did not find expected key",
                             "expected <block end>")):
        msg += "; check the indentation of this line and the one above"
    msg = " ".join(msg.split())  # one line, always
    return PlanError(msg, file, mark.line + 1 if mark else None)
