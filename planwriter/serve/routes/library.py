"""The block library, presets and the plan schema: what a plan can be built from."""
from __future__ import annotations

import re
from typing import Any, Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from ...library import new_plan, preset_names
from ...loader import loads
from ...model import Plan
from ..schemas import Locale
from .. import jobs
from ..deps import Auth, ServerDep
from ..problems import Malformed
from ..schemas import BlockShown, BlockSummary, PlanResponse, PresetSummary, errors

router = APIRouter(prefix="/v1", dependencies=[Auth], tags=["library"])

_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _matches(info: Any, words: list[str]) -> bool:
    haystack = " ".join([info.key, *info.title.values(), *info.topics]).lower()
    return all(w in haystack for w in words)


@router.get("/blocks", summary="List the library's blocks",
            responses={200: {"model": list[BlockSummary]}, **errors(400, 401, 403)})
async def list_blocks(srv: ServerDep,
                      kind: Optional[str] = Query(None, description="Only blocks for this section kind"),
                      org_type: Optional[str] = Query(None, description="Only blocks for this institution type"),
                      q: Optional[str] = Query(None, max_length=200,
                                               description="Words that must all appear in the key, "
                                                           "a title or the block's topics")):
    """Every block with its titles, section kinds, institution types and typed parameters."""
    from ...library import list_blocks as found
    words = (q or "").lower().split()
    return JSONResponse([jobs.block_info(b) for b in found(srv.env, kind=kind, org_type=org_type)
                         if _matches(b, words)])


@router.get("/blocks/{key:path}", summary="Show one block rendered",
            responses={200: {"model": BlockShown}, **errors(400, 401, 403, 404, 422, 503)})
async def show_block(request: Request, srv: ServerDep, key: str,
                     locale: Locale = Query("zh", description="Language to render in")):
    """The block's metadata and its text as Markdown; any other query parameter sets a block
    parameter (``?hand_hygiene_rate=95``; numbers are read as numbers)."""
    params: dict[str, Any] = {}
    for name, value in request.query_params.multi_items():
        if name == "locale":
            continue
        if name in params:
            raise Malformed(f"parameter '{name}' is given twice; keep one", field=f"params.{name}")
        params[name] = (float(value) if "." in value else int(value)) if _NUMBER.fullmatch(value) else value
    return JSONResponse(await srv.pool.run("block", key, locale, params))


@router.get("/presets", summary="List the presets",
            responses={200: {"model": list[PresetSummary]}, **errors(401, 403)})
async def list_presets(srv: ServerDep):
    """The presets a plan can start from, with the institution each is written for."""
    if srv.presets is None:
        srv.presets = [_preset_summary(srv.env, name) for name in preset_names(srv.env)]
    return JSONResponse(srv.presets)


def _preset_summary(env: Any, name: str) -> dict[str, Any]:
    meta = loads(new_plan(env, name), f"preset {name}").meta
    return {"name": name, "organisation": meta.organisation.root, "org_type": meta.org_type,
            "locales": list(meta.locales), "year": meta.year}


@router.get("/presets/{name}", summary="A preset as a starting plan",
            responses={200: {"model": PlanResponse}, **errors(400, 401, 403, 404, 422, 503)})
async def get_preset(srv: ServerDep, name: str,
                     locale: Optional[Locale] = Query(None, description="Keep one language only"),
                     year: Optional[int] = Query(None, ge=1949, le=2200,
                                                 description="Move the plan and its schedule to this year")):
    """The complete plan the preset holds, as JSON, ready to edit and render."""
    return JSONResponse(await srv.pool.run("preset", name, locale, year))


@router.get("/schema", summary="The JSON Schema of plans")
async def schema():
    """The JSON Schema of a plan, as ``planwriter schema`` prints it."""
    return JSONResponse(Plan.model_json_schema())
