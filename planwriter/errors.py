"""Errors as values with a location, before they are messages."""
from __future__ import annotations

from dataclasses import dataclass


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
        return f"{where}: {text}" if where else text


class TemplateError(PlanError):
    """A template or block could not be found or rendered."""
