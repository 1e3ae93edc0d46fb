"""Health, the browsable API docs and the editor: pages that need no token."""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

import planwriter
from ..deps import ServerDep
from ..jobs import office_suite
from ..schemas import Health

STATIC = Path(__file__).resolve().parent.parent / "static"

router = APIRouter(tags=["system"])


def _version() -> str:
    try:
        return version("planwriter")
    except PackageNotFoundError:
        return planwriter.__version__


@router.get("/healthz", response_model=Health, summary="Is the server up, and what can it do")
async def healthz(srv: ServerDep) -> Health:
    """Always answered, without a token: for monitors, and for the editor to know what to offer."""
    pdf = getattr(srv.env, "render_pdf", None) is not None and office_suite() is not None
    return Health(version=_version(), pdf=pdf, imports=getattr(planwriter, "read", None) is not None)


@router.get("/", include_in_schema=False)
async def editor() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8",
                        headers={"cache-control": "no-cache"})


@router.get("/docs", include_in_schema=False)
async def docs() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json", title="planwriter API",
        swagger_js_url="/docs-assets/swagger-ui-bundle.js",
        swagger_css_url="/docs-assets/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
        swagger_ui_parameters={"validatorUrl": None, "defaultModelsExpandDepth": 0})
