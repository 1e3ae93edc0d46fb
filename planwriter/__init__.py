"""planwriter: complete, bilingual work plans from a structured model.

    import planwriter
    plan = planwriter.load("examples/township-health-center.yaml")
    text = planwriter.render_markdown(plan)            # str
    data = planwriter.render_docx(plan, locale="en")   # bytes
    pdf = planwriter.render_pdf(plan)                  # bytes, with LibreOffice installed

Each function takes an optional ``env`` (:class:`Environment`) that carries the
template search path and the DOCX reference document; without one, a default
environment with the bundled templates is used.
"""
from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING

from .errors import PlanError, PlanErrors, TemplateError

__all__ = ["Environment", "PlanError", "PlanErrors", "TemplateError", "load", "loads", "Plan", "Meta",
           "Section", "Node", "Indicator", "ScheduleEntry", "Responsibility", "Text",
           "Document", "compose", "render_markdown", "render_docx", "render_pdf", "default_environment",
           "check", "Finding"]
__version__ = "0.1.0"

# Names and the module each comes from; imported on first use, so that a command
# pays only for what it uses (``planwriter schema`` needs no Jinja, ``--help`` no pydantic).
_LAZY = {
    "Environment": "environment", "load": "loader", "loads": "loader",
    "Plan": "model", "Meta": "model", "Section": "model", "Node": "model", "Indicator": "model",
    "ScheduleEntry": "model", "Responsibility": "model", "Text": "model",
    "Document": "tree", "check": "checks", "Finding": "checks",
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from .checks import Finding, check
    from .environment import Environment
    from .loader import load, loads
    from .model import Indicator, Meta, Node, Plan, Responsibility, ScheduleEntry, Section, Text
    from .tree import Document


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        try:  # a submodule: planwriter.loader, planwriter.checks …
            return importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError:
            raise AttributeError(f"module 'planwriter' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))


@functools.lru_cache(maxsize=1)
def default_environment() -> Environment:
    """The environment with the bundled templates and reference documents only."""
    from .environment import Environment
    return Environment()


def compose(plan: Plan, locale: str | None = None, env: Environment | None = None) -> Document:
    """The plan as a format-neutral document tree."""
    return (env or default_environment()).compose(plan, locale)


def render_markdown(plan: Plan, locale: str | None = None, env: Environment | None = None) -> str:
    """The plan as Markdown text."""
    return (env or default_environment()).render_markdown(plan, locale)


def render_docx(plan: Plan, locale: str | None = None, env: Environment | None = None) -> bytes:
    """The plan as the bytes of a DOCX file."""
    return (env or default_environment()).render_docx(plan, locale)


def render_pdf(plan: Plan, locale: str | None = None, env: Environment | None = None) -> bytes:
    """The plan as the bytes of a PDF file, converted from its DOCX by LibreOffice."""
    return (env or default_environment()).render_pdf(plan, locale)
