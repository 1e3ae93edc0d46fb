"""Reading plans from YAML, with every error located by file, line and field."""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from . import model as m
from .errors import PlanError

#: Plans are a few dozen kilobytes; anything this large is not a plan.
MAX_BYTES = 1 << 20
#: Lists and mappings nest about 15 deep in the deepest plan; far more is not a plan.
MAX_NESTING = 64


@dataclass
class Source:
    """A loaded file's name and the line of every field path in it."""

    file: str
    lines: dict[str, int] = field(default_factory=dict)

    def line(self, path: str) -> int | None:
        """The line of ``path`` or of its nearest enclosing field."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""

    def error(self, message: str, path: str = "") -> PlanError:
        return PlanError(message, self.file, self.line(path), path)


def _walk(node: yaml.Node, path: str, lines: dict[str, int], file: str = "<string>") -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for k, v in node.value:
            key = k.value if isinstance(k, yaml.ScalarNode) else "?"
            sub = f"{path}.{key}" if path else key
            if key in seen and key != "<<":
                # PyYAML keeps the last of duplicate keys silently; a plan never means that.
                raise PlanError(f"'{key}' is given twice (first on line {seen[key]}); keep one",
                                file, k.start_mark.line + 1, sub)
            seen[key] = k.start_mark.line + 1
            lines[sub] = k.start_mark.line + 1
            _walk(v, sub, lines, file)
            lines[sub] = k.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            _walk(v, f"{path}[{i}]", lines, file)


class _PlanLoader(yaml.SafeLoader):
    """The safe loader, with an invalid date (2025-02-30) reported as a located error."""

    def construct_yaml_timestamp(self, node):  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as e:
            raise yaml.constructor.ConstructorError(
                None, None, f"invalid date {node.value!r}: {e}", node.start_mark) from None


_PlanLoader.add_constructor("tag:yaml.org,2002:timestamp", _PlanLoader.construct_yaml_timestamp)


def _path_at(source: Source, line: int) -> str:
    """The deepest field path that starts on ``line``."""
    paths = [p for p, n in source.lines.items() if n == line]
    return max(paths, key=len, default="")


def _yaml_error(e: yaml.YAMLError, file: str, text: str = "") -> PlanError:
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
    elif "constructor for the tag" in problem:
        msg += "; plans are plain YAML: remove the '!' tag"
    msg = " ".join(msg.split())  # one line, always
    return PlanError(msg, file, mark.line + 1 if mark else None)


def parse_yaml(text: str, file: str = "<string>") -> tuple[Any, Source]:
    """Parse YAML safely and map every field path to its line.

    Anchors and aliases are refused: a plan never needs them, and they are the
    way to blow up memory ("billion laughs").
    """
    source = Source(file)
    try:
        depth = 0
        for ev in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None):
                raise PlanError("YAML anchors and aliases (&name, *name) are not supported; "
                                "write the text out", file, ev.start_mark.line + 1)
            if isinstance(ev, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    raise PlanError("the YAML nests too deeply to be a plan", file,
                                    ev.start_mark.line + 1)
            elif isinstance(ev, yaml.CollectionEndEvent):
                depth -= 1
        loader = _PlanLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise PlanError("the file is empty; a plan needs 'meta' and 'sections'", file, 1)
            _walk(node, "", source.lines, file)
            try:
                data = loader.construct_document(node)
            except yaml.constructor.ConstructorError as e:
                err = _yaml_error(e, file, text)
                if err.line is not None and "invalid date" in err.message:
                    err = PlanError(err.message.removeprefix("invalid YAML: "), file, err.line,
                                    _path_at(source, err.line))
                raise err from None
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        raise _yaml_error(e, file, text) from None
    except RecursionError:
        raise PlanError("the YAML nests too deeply to be a plan", file) from None
    return data, source


def read_text(path: str | os.PathLike) -> str:
    """Read a plan file as UTF-8 text (a BOM is accepted), refusing oversize files."""
    name = os.fspath(path)
    try:
        size = os.path.getsize(name)
        if size > MAX_BYTES:
            raise PlanError(f"file is {size:,} bytes; a plan may be at most {MAX_BYTES:,} bytes", name)
        with open(name, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise PlanError(f"cannot read file: {e.strerror}", name) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise PlanError(f"not UTF-8 text (byte 0x{raw[e.start]:02X}); save the file as UTF-8",
                        name, line) from None


# Which model a mapping at a given key holds, for "did you mean" suggestions.
_MODEL_AT = {"": m.Plan, "meta": m.Meta, "period": m.Period, "sections": m.Section,
             "items": m.Node, "indicators": m.Indicator, "schedule": m.ScheduleEntry,
             "responsibilities": m.Responsibility}


def _model_for(loc: tuple) -> type[BaseModel] | None:
    keys = [p for p in loc if isinstance(p, str)]
    return _MODEL_AT.get(keys[-1] if keys else "")


def _clean_loc(loc: tuple) -> tuple:
    """Drop pydantic's union-branch and wrapper names from a location."""
    out = []
    for p in loc:
        if isinstance(p, str) and (p in ("str", "float", "int", "bool") or "[" in p
                                   or p.startswith(("function-", "constrained-", "Text"))):
            continue
        out.append(p)
    return tuple(out)


def _error_loc(err: dict) -> tuple:
    """An error's location; the last part of an unknown field's is the user's key, as given."""
    if err["type"] == "extra_forbidden":
        return _clean_loc(err["loc"][:-1]) + tuple(err["loc"][-1:])
    return _clean_loc(err["loc"])


def _describe(err: dict, data: Any) -> tuple[str, tuple]:
    loc = _error_loc(err)
    kind = err["type"]
    if kind == "extra_forbidden":
        key = loc[-1]
        model = _model_for(loc[:-1])
        msg = f"unknown field '{key}'"
        if model is not None:
            known = [f for f in model.model_fields if not f.startswith("_")]
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            msg += f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(known)})"
        return msg, loc
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip()]
        got = err.get("input")
        msg = f"'{got}' is not one of: {', '.join(choices)}"
        close = difflib.get_close_matches(str(got), choices, n=1, cutoff=0.6)
        if close:
            msg += f"; did you mean '{close[0]}'?"
        return msg, loc
    if kind == "missing":
        return "is required", loc
    if kind == "list_type":
        return "should be a list (one '- ' line per entry)", loc
    if kind == "too_short":
        n = err.get("ctx", {}).get("min_length", 1)
        return f"needs at least {n} entr{'y' if n == 1 else 'ies'}", loc
    if kind in ("model_type", "model_attributes_type", "dict_type") and _model_for(loc):
        return "should be a mapping of fields (key: value lines)", loc
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return msg[0].lower() + msg[1:], loc


def validate(data: Any, source: Source) -> m.Plan:
    """Validate parsed YAML into a Plan, raising one located :class:`PlanError`."""
    if not isinstance(data, dict):
        raise source.error("a plan is a mapping with 'meta' and 'sections'")
    try:
        plan = m.Plan.model_validate(data)
    except ValidationError as e:
        errors = e.errors()
        # A text that is neither a string nor a mapping fails both union branches:
        # report it once, as one thing.
        first = errors[0]
        msg, loc = _describe(first, data)
        if any("dict[" in str(p) for p in first["loc"]) or first["type"] == "string_type":
            siblings = [x for x in errors if _clean_loc(x["loc"]) == loc]
            if len(siblings) > 1 or first["type"] in ("string_type", "dict_type"):
                msg = "should be a text, or a mapping of texts per language {zh: …, en: …}"
            bad_keys = [x["input"] for x in errors if x["type"] == "literal_error"
                        and x["loc"][-1] == "[key]" and _clean_loc(x["loc"][:-2]) == loc]
            if bad_keys:
                msg = (f"'{bad_keys[0]}' is not a language planwriter writes; "
                       f"use {' or '.join(m.LOCALES)}")
        path = m.field_path(loc)
        # Errors inside the field reported (say, both branches of a text) count as one.
        locs = {_error_loc(x) for x in errors}
        rest = sum(1 for c in locs if c[:len(loc)] != loc
                   and not any(o != c and c[:len(o)] == o for o in locs))
        if rest > 0:
            msg += f" (and {rest} more error{'s' if rest > 1 else ''})"
        raise source.error(msg, path) from None
    except PlanError as e:
        raise source.error(e.message, e.field) from None
    plan._source = source
    return plan


def loads(text: str, file: str = "<string>") -> m.Plan:
    """Load a plan from YAML text."""
    data, source = parse_yaml(text, file)
    return validate(data, source)


def load(path: str | os.PathLike) -> m.Plan:
    """Load and validate a plan from a YAML file."""
    name = os.fspath(path)
    return loads(read_text(name), name)
