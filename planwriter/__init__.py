"""planwriter: complete, bilingual work plans from a structured model.

    import planwriter
    plan = planwriter.load("examples/township-health-center.yaml")
    text = planwriter.render_markdown(plan)            # str
    data = planwriter.render_docx(plan, locale="en")   # bytes

Each function takes an optional ``env`` (:class:`Environment`) that carries the
template search path and the DOCX reference document; without one, a default
environment with the bundled templates is used.
"""
from __future__ import annotations

import functools

from .environment import Environment
from .errors import PlanError, PlanErrors, TemplateError
from .loader import load, loads
from .model import Indicator, Meta, Node, Plan, Responsibility, ScheduleEntry, Section, Text
from .tree import Document
from .checks import Finding, check

__all__ = ["Environment", "PlanError", "PlanErrors", "TemplateError", "load", "loads", "Plan", "Meta",
           "Section", "Node", "Indicator", "ScheduleEntry", "Responsibility", "Text",
           "Document", "compose", "render_markdown", "render_docx", "default_environment",
           "check", "Finding"]
__version__ = "0.1.0"


@functools.lru_cache(maxsize=1)
def default_environment() -> Environment:
    """The environment with the bundled templates and reference documents only."""
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
