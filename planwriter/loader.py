"""Reading plans from YAML, with every error located by file, line and field."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any


from . import inputs, plainyaml
from . import model as m
from .errors import PlanError, PlanErrors
from .fields import Invalid

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


def problems_to_errors(problems, source: Source) -> list[PlanError]:
    """Validation problems as located PlanErrors, in the order of the file."""
    out = [source.error(p.message, m.field_path(p.loc)) for p in problems]
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
    except Invalid as e:
        errs = problems_to_errors(e.problems, source)
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
