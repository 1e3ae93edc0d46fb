"""Work on a plan sent in the request: render, check, validate; and importing existing plans."""
from __future__ import annotations

from typing import Literal, Optional
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile

import planwriter
from ..schemas import Locale
from .. import jobs
from ..deps import Auth, PlanBody, ServerDep, media_type
from ..problems import Malformed, NotAvailable
from ..schemas import CheckResponse, ImportResponse, ValidateResponse, errors

router = APIRouter(prefix="/v1", dependencies=[Auth], tags=["plans"])

_YAML_EXAMPLE = """meta:
  organisation: 青山镇卫生院
  year: 2025
sections:
  - kind: goals
    indicators:
      - {name: 居民电子健康档案建档率, comparator: at_least, value: 90, unit: percent}
"""
#: The request body of every endpoint that takes a plan.
PLAN_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/Plan"}},
    "application/yaml": {"schema": {"type": "string"}, "example": _YAML_EXAMPLE}}}}
_COMMON = (400, 401, 403, 413, 415, 422, 503)
_FILES = {fmt: {"schema": {"type": "string", "format": "binary"}}
          for fmt in ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                      "application/pdf")}
_FILES.update({t: {"schema": {"type": "string"}} for t in ("text/markdown", "application/yaml")})


def _disposition(name: str) -> str:
    """An attachment named ``name``; clients that cannot read UTF-8 names get plan.<suffix>."""
    ascii_name = name if name.isascii() else "plan" + name[name.rfind("."):]
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


@router.post("/render", openapi_extra=PLAN_BODY, summary="Render a plan to DOCX, Markdown, PDF or YAML",
             responses={200: {"content": _FILES, "description": "The document, as an attachment "
                                                                "named after the plan's title"},
                        **errors(*_COMMON, 501)},
             response_class=Response)
async def render(srv: ServerDep, body: PlanBody,
                 to: Literal["docx", "md", "pdf", "yaml"] = Query("docx", description="Output format"),
                 locale: Optional[Locale] = Query(None, description="Language of a bilingual plan "
                                                                    "(default: its first)")):
    """The plan (JSON or YAML body) rendered with the server's templates and reference document."""
    if to == "pdf" and getattr(srv.env, "render_pdf", None) is None:
        raise NotAvailable(jobs.pdf_missing())
    data, content_type, name = await srv.pool.run("render", *body, to, locale, srv.limits.max_output)
    return Response(data, media_type=content_type,
                    headers={"content-disposition": _disposition(name)})


@router.post("/check", openapi_extra=PLAN_BODY, summary="Find the slips validation cannot see",
             responses={200: {"model": CheckResponse}, **errors(*_COMMON)})
async def check(srv: ServerDep, body: PlanBody):
    """Every finding of ``planwriter check`` (placeholders, impossible targets, schedule slips …),
    each with its code, severity, line and field path. An invalid plan is 422 with its errors."""
    return JSONResponse(await srv.pool.run("check", *body))


@router.post("/validate", openapi_extra=PLAN_BODY, summary="Validate a plan in every language",
             responses={200: {"model": ValidateResponse}, **errors(*_COMMON)})
async def validate(srv: ServerDep, body: PlanBody):
    """200 with the plan as JSON when it is valid and composes in each of its languages;
    422 with every error, each with its field path (and line, for YAML), when not."""
    return JSONResponse(await srv.pool.run("validate", *body))


_UPLOAD = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary",
                            "description": "The plan: .docx, .txt, .md, .html …"},
                   "format": {"type": "string", "description": "The reader to use, when the "
                                                               "file name does not tell"}}}}}}}


@router.post("/import", openapi_extra=_UPLOAD, summary="Read an existing plan into the model",
             responses={200: {"model": ImportResponse}, **errors(400, 401, 403, 413, 415, 422, 501, 503)})
async def import_plan(request: Request, srv: ServerDep):
    """An uploaded plan (last year's DOCX, a text or web page) read by ``planwriter.read``,
    answered as the plan's JSON with the reader's findings."""
    if getattr(planwriter, "read", None) is None:
        raise NotAvailable(jobs.import_missing())
    media_type(request, {"multipart/form-data": "form"})
    form = await request.form(max_files=1, max_fields=4)
    try:
        upload = form.get("file")
        fmt = form.get("format")
        if not isinstance(upload, UploadFile):
            raise Malformed("send the plan as the form field 'file' (curl -F file=@plan.docx)")
        if fmt is not None and not isinstance(fmt, str):
            raise Malformed("the form field 'format' is a text, such as docx or txt")
        data = await upload.read()
        name = upload.filename or "upload"
    finally:
        await form.close()
    return JSONResponse(await srv.pool.run("import", data, name, fmt or None))
