"""Response models: what the API answers, for its OpenAPI description.

Plans and findings are the library's own classes; the rest are small wrappers.
"""
from __future__ import annotations

from typing import Any, Literal, Union

from pydantic import BaseModel, Field

from ..checks import Finding
from ..model import LOCALES, ORG_TYPES, Plan

#: The languages and institution types a request may name (for the OpenAPI description).
Locale = Literal[LOCALES]  # type: ignore[valid-type]
OrgType = Literal[ORG_TYPES]  # type: ignore[valid-type]
#: A text in one string or per language, as in plan files.
Text = Union[str, dict[Locale, str]]  # type: ignore[valid-type]


class ErrorDetail(BaseModel):
    """One located error: as :meth:`PlanError.as_dict`, plus the one-line ``text``."""

    message: str
    file: str = ""
    line: int | None = None
    field: str = Field("", description="The field path, e.g. sections[2].indicators[0].value")
    text: str = Field(description="The one-line message the command line prints")


class ErrorResponse(BaseModel):
    """Every error answer: the first one-line message and every error found."""

    error: str
    errors: list[ErrorDetail]


class CheckResponse(BaseModel):
    """The findings of planwriter check, in the order of the plan."""

    findings: list[Finding]
    errors: int
    warnings: int


class ValidateResponse(BaseModel):
    """A valid plan: the languages it composes in, and the plan as the server read it."""

    valid: bool = True
    locales: list[str]
    plan: Plan


class PlanResponse(BaseModel):
    """A plan as JSON (from a preset or an imported file)."""

    name: str | None = None
    plan: Plan


class ImportFinding(BaseModel):
    """What the reader dropped, guessed, changed or kept as a placeholder, and where."""

    kind: Literal["dropped", "guessed", "placeholder", "changed", "kept"] = Field(
        description="dropped (clutter), guessed, placeholder (left to fill), changed, kept (as text)")
    message: str
    file: str
    line: int | None = Field(None, description="The line of the uploaded file, when known")
    text: str = Field("", description="The text concerned, as the file had it")


class ImportResponse(BaseModel):
    """An imported plan as JSON, with what to look at before using it."""

    plan: Plan
    findings: list[ImportFinding]


class BlockSummary(BaseModel):
    """A library block's metadata, as ``planwriter blocks --format json`` prints it."""

    key: str
    title: dict[str, str]
    kinds: list[str]
    org_types: list[str]
    params: dict[str, dict[str, Any]] = Field(
        description="name -> {type: percent|month|count|number|text, default | required, description}")


class BlockShown(BlockSummary):
    """A block rendered in one language with the given parameters."""

    locale: str
    markdown: str


class PresetSummary(BaseModel):
    """A preset a plan can start from."""

    name: str
    organisation: Text
    org_type: OrgType
    locales: list[str]
    year: int | None = None


class Health(BaseModel):
    """The server is up; what this installation can do."""

    status: str = "ok"
    version: str
    pdf: bool = Field(description="Whether /v1/render?to=pdf is available (planwriter's PDF "
                                  "output and LibreOffice on this machine)")
    imports: bool = Field(description="Whether /v1/import is available")


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for error statuses, all with :class:`ErrorResponse`."""
    meaning = {400: "The body is not JSON or YAML that can be read", 401: "No bearer token",
               403: "Wrong bearer token", 404: "No such block or preset",
               413: "Body, upload or output over the server's limit",
               415: "A content type the endpoint does not read",
               422: "An invalid plan (every error, located), or work past the time limit",
               501: "Not available in this installation", 503: "Busy: try again shortly"}
    return {s: {"model": ErrorResponse, "description": meaning[s]} for s in statuses}
