"""Errors as values with a location, before they are messages."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

#: How many errors a message lists before it says "and N more".
MAX_LISTED = 20


def one_line(text: str) -> str:
    """``text`` made safe to print on one line: newlines and other control characters are
    shown as escapes (``\\n``, ``\\x1b``), so input echoed in a message cannot start a line
    of its own or drive the terminal."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else
                       f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


@dataclass
class PlanError(Exception):
    """Bad input: a message with the file, line and field it concerns.

    ``str(error)`` is the one-line message users see, e.g.
    ``plan.yaml:12: sections[2].indicators[0].value: Input should be a valid number``.
    """

    message: str
    file: str = ""
    line: int | None = None
    field: str = ""

    def __str__(self) -> str:
        where = self.file or ("<plan>" if self.field or self.line else "")
        if self.line is not None:
            where += f":{self.line}"
        text = f"{self.field}: {self.message}" if self.field else self.message
        return one_line(f"{where}: {text}" if where else text)

    @property
    def errors(self) -> list["PlanError"]:
        """Every error this one stands for (itself, unless it gathers several)."""
        return [self]

    def as_dict(self) -> dict[str, Any]:
        """The error as JSON-ready data: message, file, line, field."""
        return {"message": self.message, "file": self.file, "line": self.line,
                "field": self.field}


class PlanErrors(PlanError):
    """Several errors found at once in one input, in the order of the file.

    ``str()`` is the first error; :attr:`errors` lists them all, and :func:`lines` gives the
    lines to print (at most :data:`MAX_LISTED`, then "and N more").
    """

    def __init__(self, errors: Iterable[PlanError]) -> None:
        flat: list[PlanError] = []
        for e in errors:
            flat.extend(e.errors)
        if not flat:
            raise ValueError("PlanErrors needs at least one error")
        first = flat[0]
        super().__init__(first.message, first.file, first.line, first.field)
        self._errors = flat

    @property
    def errors(self) -> list[PlanError]:
        return list(self._errors)


def lines(error: PlanError, limit: int = MAX_LISTED) -> list[str]:
    """The one-line messages of ``error`` and everything it gathers, capped at ``limit``."""
    errs = error.errors
    out = [str(e) for e in errs[:limit]]
    if len(errs) > limit:
        out.append(f"and {len(errs) - limit} more error{'s' if len(errs) - limit > 1 else ''}")
    return out


class TemplateError(PlanError):
    """A template or block could not be found or rendered."""
