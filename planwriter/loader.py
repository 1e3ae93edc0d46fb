"""Reading plans from YAML, with every error located by file, line and field."""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from . import inputs, plainyaml
from . import model as m
from .errors import PlanError, PlanErrors
from .plainyaml import MAX_NESTING  # noqa: F401  (part of this module's interface)

#: Plans are a few dozen kilobytes; anything this large is not a plan.
MAX_BYTES = 1 << 20


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


def parse_yaml(text: str, file: str = "<string>") -> tuple[Any, Source]:
    """Parse plain YAML (see :mod:`planwriter.plainyaml`) and map every field path to its line."""
    data, lines = plainyaml.read(text, file)
    return data, Source(file, lines)


def decode(raw: bytes, name: str) -> str:
    """Bytes of a plan file as text: UTF-8, with or without a byte-order mark."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise PlanError(f"not UTF-8 text (byte 0x{raw[e.start]:02X}); save the file as UTF-8",
                        name, line) from None


def read_text(path: str | os.PathLike) -> str:
    """Read a plan file as UTF-8 text, refusing anything but a bounded file or pipe.

    ``-`` is standard input. See :func:`planwriter.inputs.read_bytes` for what is refused.
    """
    name = os.fspath(path)
    raw = inputs.read_bytes(name, MAX_BYTES, what="a plan")
    return decode(raw, inputs.display_name(name))


# Which model a mapping at a given key holds, for "did you mean" suggestions.
_MODEL_AT = {"": m.Plan, "meta": m.Meta, "period": m.Period, "sections": m.Section,
             "items": m.Node, "indicators": m.Indicator, "schedule": m.ScheduleEntry,
             "responsibilities": m.Responsibility}


def _model_for(loc: tuple) -> type[BaseModel] | None:
    keys = [p for p in loc if isinstance(p, str)]
    return _MODEL_AT.get(keys[-1] if keys else "")


def _clean_loc(loc: tuple, data: Any, missing: bool = False) -> tuple:
    """The part of a pydantic location that names fields of the data: union branches
    (``str``, ``dict[…]``, ``function-after[…]``) and key markers are dropped.

    A name is kept when the data has it there; a name the data lacks is kept only as the
    last part of a ``missing`` error (the field that should be there).
    """
    out: list = []
    cur = data
    for i, p in enumerate(loc):
        if isinstance(p, int) and not isinstance(p, bool) and isinstance(cur, list) \
                and 0 <= p < len(cur):
            out.append(p)
            cur = cur[p]
        elif isinstance(p, str) and isinstance(cur, dict) and p in cur:
            out.append(p)
            cur = cur[p]
        elif missing and i == len(loc) - 1 and isinstance(p, str):
            out.append(p)
    return tuple(out)


def _describe(err: dict, data: Any, model_for=_model_for) -> tuple[str, tuple]:
    loc = _clean_loc(err["loc"], data, err["type"] == "missing")
    kind = err["type"]
    if kind == "extra_forbidden":
        key = loc[-1]
        model = model_for(loc[:-1])
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
    if kind in ("model_type", "model_attributes_type", "dict_type") and model_for(loc):
        return "should be a mapping of fields (key: value lines)", loc
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return msg[0].lower() + msg[1:], loc


def _text_union(raw_loc: tuple, data: Any) -> tuple | None:
    """The location of the text whose mapping branch ``raw_loc`` is in, if any."""
    for i, p in enumerate(raw_loc):
        if isinstance(p, str) and p.startswith("dict["):
            return _clean_loc(raw_loc[:i], data)
    return None


def _errors(errors: list[dict], data: Any, source: Source, model_for=_model_for) -> list[PlanError]:
    """Pydantic's errors as located PlanErrors, one per field, in the order of the file.

    A field that fails in several ways (a text that is neither a string nor a mapping
    fails both branches) is reported once; errors inside a field already reported are
    part of that report.
    """
    groups: dict[tuple, list[dict]] = {}
    bad_language: dict[tuple, Any] = {}
    texts: set[tuple] = set()  # texts that failed as a string and as a mapping
    for err in errors:
        loc = _clean_loc(err["loc"], data, err["type"] == "missing")
        raw = err["loc"]
        if (text := _text_union(raw, data)) is not None:
            texts.add(text)
            if err["type"] == "literal_error" and raw[-1] == "[key]":
                bad_language.setdefault(text, err.get("input"))
        groups.setdefault(loc, []).append(err)
    kept: set[tuple] = set()
    out: list[PlanError] = []
    for loc, errs in groups.items():
        if any(loc[:i] in kept for i in range(len(loc))):
            continue  # inside a field that is already reported
        kept.add(loc)
        first = errs[0]
        msg, _ = _describe(first, data, model_for)
        if loc in texts:
            msg = "should be a text, or a mapping of texts per language {zh: …, en: …}"
            if loc in bad_language:
                msg = (f"'{bad_language[loc]}' is not a language planwriter writes; "
                       f"use {' or '.join(m.LOCALES)}")
        out.append(source.error(msg, m.field_path(loc)))
    out.sort(key=lambda e: (e.line is None, e.line or 0))
    return out


def validate(data: Any, source: Source) -> m.Plan:
    """Validate parsed YAML into a Plan.

    Raises a located :class:`PlanError`; when a plan has several errors, a
    :class:`~planwriter.errors.PlanErrors` that lists them all.
    """
    if not isinstance(data, dict):
        raise source.error("a plan is a mapping with 'meta' and 'sections'")
    try:
        plan = m.Plan.validate_data(data)
    except ValidationError as e:
        errs = _errors(e.errors(), data, source)
        raise (errs[0] if len(errs) == 1 else PlanErrors(errs)) from None
    except PlanError as e:
        errs = [source.error(x.message, x.field) for x in e.errors]
        raise (errs[0] if len(errs) == 1 else PlanErrors(errs)) from None
    plan._source = source
    return plan


def loads(text: str, file: str = "<string>") -> m.Plan:
    """Load a plan from YAML text."""
    data, source = parse_yaml(text, file)
    return validate(data, source)


def load(path: str | os.PathLike) -> m.Plan:
    """Load and validate a plan from a YAML (or JSON) file; ``-`` reads standard input."""
    name = os.fspath(path)
    return loads(read_text(name), inputs.display_name(name))
