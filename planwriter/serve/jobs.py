"""The work behind each endpoint, as plain functions of an Environment and request data.

These run in the worker processes (:mod:`planwriter.serve.workers`), so that a
plan that takes too long can be stopped.  Each takes and returns plain data
(bytes, str, dicts), raises :class:`~planwriter.errors.PlanError` (or one of the
:mod:`~planwriter.serve.problems`) for bad input, and never touches HTTP.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

import planwriter
from .. import loader, plainyaml
from ..environment import Environment
from ..errors import PlanError
from ..model import Plan
from .problems import Malformed, NotAvailable, NotFound, TooLarge

#: Output formats of /v1/render: content type and file suffix.
FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "md": ("text/markdown; charset=utf-8", ".md"),
    "pdf": ("application/pdf", ".pdf"),
    "yaml": ("application/yaml; charset=utf-8", ".yaml"),
}

#: The name errors give a plan that came in a request body.
BODY = "<request>"


# -- reading plans ----------------------------------------------------------
def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise Malformed(f"invalid JSON: '{key}' is given twice in one object; keep one", BODY)
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise Malformed(f"invalid JSON: {name} is not a number JSON allows", BODY)


def _depth(data: Any) -> int:
    """How deeply lists and mappings nest in ``data`` (iteratively: no recursion limit)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return deepest


def parse_json(body: bytes) -> Any:
    """JSON text as data: strict (no NaN, no duplicate keys), UTF-8, bounded in depth."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise Malformed(f"not UTF-8 text (byte 0x{body[e.start]:02X} at offset {e.start})", BODY) from None
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        raise Malformed(f"invalid JSON: {e.msg} (column {e.colno})", BODY, e.lineno) from None
    except RecursionError:
        raise Malformed("the JSON nests too deeply to be a plan", BODY) from None
    if _depth(data) > plainyaml.MAX_NESTING:
        raise Malformed("the JSON nests too deeply to be a plan", BODY)
    return data


def plan_from_json(data: Any) -> Plan:
    """Validate JSON data as a plan, with the command line's messages and field paths."""
    return loader.validate(data, loader.Source(BODY))


def plan_from_yaml(body: bytes, name: str = BODY) -> Plan:
    """Load a YAML plan; a file that is not YAML is :class:`Malformed`, a bad plan a PlanError."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = body.count(b"\n", 0, e.start) + 1
        raise Malformed(f"not UTF-8 text (byte 0x{body[e.start]:02X}); save the file as UTF-8",
                        name, line) from None
    try:
        data, source = loader.parse_yaml(text, name)
    except PlanError as e:
        raise Malformed(e.message, e.file, e.line, e.field) from None
    return loader.validate(data, source)


def read_plan(body: bytes, media: str) -> Plan:
    """The plan in a request body of ``media`` ``json`` or ``yaml``."""
    return plan_from_json(parse_json(body)) if media == "json" else plan_from_yaml(body)


def plan_json(plan: Plan) -> dict[str, Any]:
    """A plan as JSON data: every field it sets, defaults left out."""
    return plan.model_dump(mode="json", exclude_defaults=True)


def _plain_numbers(data: Any) -> Any:
    if isinstance(data, float) and data.is_integer():
        return int(data)
    if isinstance(data, dict):
        return {k: _plain_numbers(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain_numbers(v) for v in data]
    return data


def plan_yaml(plan: Plan) -> str:
    """A plan as the YAML a user would write: field order kept, texts per language inline."""
    return yaml.safe_dump(_plain_numbers(plan_json(plan)), allow_unicode=True, sort_keys=False,
                          width=100, default_flow_style=None)


# -- the jobs ---------------------------------------------------------------
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def file_name(title: str, suffix: str) -> str:
    """A download name from a document title: no path or reserved characters, not too long."""
    name = " ".join(_UNSAFE.sub(" ", title).split()).strip(" .")[:80].strip() or "plan"
    return name + suffix


def _capped(data: bytes, limit: int) -> bytes:
    if len(data) > limit:
        raise TooLarge(f"the rendered document is {len(data):,} bytes; this server returns at "
                       f"most {limit:,} bytes")
    return data


def render(env: Environment, body: bytes, media: str, to: str, locale: str | None,
           max_output: int) -> tuple[bytes, str, str]:
    """A plan rendered to ``to``: the bytes, their content type and a file name."""
    plan = read_plan(body, media)
    content_type, suffix = FORMATS[to]
    doc = env.compose(plan, locale)
    if to == "docx":
        data = env.docx_writer().write(doc)
    elif to == "md":
        from ..writers.markdown import write_markdown
        data = write_markdown(doc).encode("utf-8")
    elif to == "pdf":
        render_pdf = getattr(env, "render_pdf", None)
        if render_pdf is None:
            raise NotAvailable(pdf_missing())
        try:
            data = render_pdf(plan, locale)
        except PlanError as e:
            if not office_suite():  # not the plan's fault: this machine has no LibreOffice
                raise NotAvailable(e.message) from None
            raise
    else:
        data = plan_yaml(plan).encode("utf-8")
    return _capped(data, max_output), content_type, file_name(doc.title, suffix)


def check(env: Environment, body: bytes, media: str) -> dict[str, Any]:
    """Every finding of :func:`planwriter.check`, with counts."""
    findings = planwriter.check(read_plan(body, media), env)
    errors = sum(f.severity == "error" for f in findings)
    return {"findings": [f.as_dict() for f in findings], "errors": errors,
            "warnings": len(findings) - errors}


def validate(env: Environment, body: bytes, media: str) -> dict[str, Any]:
    """A valid plan's languages and its JSON; an invalid one raises its errors."""
    plan = read_plan(body, media)
    for locale in plan.meta.locales:
        env.compose(plan, locale)
    return {"valid": True, "locales": list(plan.meta.locales), "plan": plan_json(plan)}


def import_file(env: Environment, data: bytes, filename: str, fmt: str | None) -> dict[str, Any]:
    """An existing plan (DOCX, text, Markdown, HTML …) read into the model, as JSON."""
    read = getattr(planwriter, "read_with_findings", None)
    if read is None:
        raise NotAvailable(import_missing())
    suffix = os.path.splitext(os.path.basename(filename))[1].lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,8}", suffix):
        suffix = ""
    with tempfile.TemporaryDirectory(prefix="planwriter-import-") as tmp:
        path = os.path.join(tmp, "upload" + suffix)
        with open(path, "wb") as f:
            f.write(data)
        try:
            reading = read(Path(path), format=fmt)
        except PlanError as e:
            raise PlanError(e.message, filename or e.file, e.line, e.field) from None
    name = os.path.basename(filename) or "upload"
    findings = [{**f.as_dict(), "file": name} for f in reading.findings]
    return {"plan": plan_json(reading.plan), "findings": findings}


def block(env: Environment, key: str, locale: str, params: dict[str, Any]) -> dict[str, Any]:
    """One block's metadata and its text rendered with ``params``, as Markdown."""
    from ..library import show_block
    try:
        info = env.block(key)
    except PlanError as e:
        raise NotFound(e.message) from None
    return {**block_info(info), "locale": locale, "markdown": show_block(env, key, locale, params)}


def preset(env: Environment, name: str, locale: str | None, year: int | None) -> dict[str, Any]:
    """A preset as a starting plan (one language or both, moved to ``year``), as JSON."""
    from ..library import new_plan, preset_names
    if name not in preset_names(env):
        raise NotFound(f"unknown preset '{name}' (presets: {', '.join(preset_names(env))})")
    text = new_plan(env, name, locale=locale, year=year)
    return {"name": name, "plan": plan_json(planwriter.loads(text, f"preset {name}"))}


JOBS = {"render": render, "check": check, "validate": validate, "import": import_file,
        "block": block, "preset": preset}


# -- shared with the routes -------------------------------------------------
def block_info(info: Any) -> dict[str, Any]:
    """A block's metadata as ``planwriter blocks --format json`` prints it."""
    return {"key": info.key, "title": info.title, "kinds": info.kinds,
            "org_types": info.org_types, "params": info.params}


def office_suite() -> str | None:
    """The LibreOffice program PDF output runs, if this machine has one."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_missing() -> str:
    return "PDF output is not available: this planwriter has no Environment.render_pdf"


def import_missing() -> str:
    return "importing plans is not available: this planwriter has no planwriter.read"
