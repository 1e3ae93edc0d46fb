"""The ASGI application: the API routers, error answers, limits and the editor's files."""
from __future__ import annotations

import contextlib
from typing import Any
import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from ..environment import Environment
from ..errors import PlanError, PlanErrors
from ..fields import MODEL_MARKER
from ..model import Plan, field_path
from .deps import Server
from .limits import BodyLimit, Limits
from .problems import Malformed, NotFound, error_body, status_of
from .routes import library, plans, system
from .workers import Failed, WorkerPool

log = logging.getLogger("planwriter.serve")

DESCRIPTION = """\
planwriter as a local service: render work plans (工作计划) to DOCX, Markdown, PDF and YAML,
check and validate them, browse the block library and presets, and import existing plans.

Plans are sent as JSON (`application/json`) or YAML (`application/yaml`). Every error is JSON:
`error` is the one-line message the command line prints, and `errors` lists every error found,
each with its `message`, `file`, `line` and `field` path. Statuses: 400 unreadable body,
401/403 token, 404 unknown block or preset, 413 over a size limit, 415 wrong content type,
422 invalid plan (or past the time limit), 501 not in this installation, 503 busy.
"""


def _env_args(env: Environment) -> tuple:
    """How a worker process rebuilds ``env``: template folders, reference document, limits."""
    ref = env.reference_doc
    return (tuple(str(d) for d in env.template_dirs), None if ref is None else str(ref),
            getattr(env, "limits", None))


def _docs_assets() -> Path | None:
    try:
        import fastapi_offline
    except ImportError:  # the docs page then has no assets; the API works all the same
        return None
    return Path(fastapi_offline.__file__).resolve().parent / "static"


def create_app(env: Environment, *, token: str | None = None, limits: Limits = Limits()) -> FastAPI:
    """The planwriter API and editor for ``env``'s templates and reference document.

    ``token``: when given, every /v1 request needs ``Authorization: Bearer <token>``.
    ``limits``: sizes, time, and how many plans are worked on at once.
    """
    env.blocks  # a broken template folder fails here, when the server starts, not per request
    pool = WorkerPool(_env_args(env), limits.workers, limits.queue, limits.timeout, limits.memory)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        pool.open()
        try:
            yield
        finally:
            pool.close()

    app = FastAPI(title="planwriter", version=system._version(), description=DESCRIPTION,
                  lifespan=lifespan, docs_url=None, redoc_url=None,
                  separate_input_output_schemas=False)
    app.state.planwriter = Server(env, limits, pool, token)
    for router in (plans.router, library.router, system.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=system.STATIC), name="static")
    assets = _docs_assets()
    if assets is not None:
        app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")
    app.add_middleware(BodyLimit, limits=limits, upload_paths=("/v1/import",))
    _answer_errors(app)
    _describe_plans(app)
    return app


def _json(error: PlanError, status: int | None = None, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(error_body(error), status_code=status or status_of(error), headers=headers)


def _answer_errors(app: FastAPI) -> None:
    @app.exception_handler(PlanError)
    async def plan_error(request: Request, e: PlanError):
        headers = {"retry-after": "1"} if status_of(e) == 503 else (
            {"www-authenticate": "Bearer"} if status_of(e) == 401 else None)
        return _json(e, headers=headers)

    @app.exception_handler(Failed)
    async def failed(request: Request, e: Failed):
        return JSONResponse(e.body, status_code=e.status)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, e: RequestValidationError):
        errs = []
        for err in e.errors():
            part, *loc = err.get("loc", ()) or ("request",)
            msg = err.get("msg", "is not valid")
            errs.append(Malformed(msg[:1].lower() + msg[1:], f"<{part}>", field=field_path(tuple(loc))))
        return _json(PlanErrors(errs) if errs else Malformed("the request is not valid"), 400)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, e: HTTPException):
        if e.status_code == 404:
            error: PlanError = NotFound(f"no such page: {request.method} {request.url.path}")
        elif e.status_code == 405:
            error = PlanError(f"{request.method} is not allowed on {request.url.path}")
        else:
            error = PlanError(str(e.detail))
        return _json(error, e.status_code, getattr(e, "headers", None))

    @app.exception_handler(Exception)
    async def internal(request: Request, e: Exception):
        log.exception("internal error")
        return _json(PlanError(f"internal error: {type(e).__name__}"), 500)


def _point_at_models(node: Any) -> None:
    """Replace the stand-ins the plan model gives pydantic by references to its schemas."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dict) and MODEL_MARKER in value:
                node[key] = {"$ref": f"#/components/schemas/{value[MODEL_MARKER]}"}
            else:
                _point_at_models(value)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, dict) and MODEL_MARKER in value:
                node[i] = {"$ref": f"#/components/schemas/{value[MODEL_MARKER]}"}
            else:
                _point_at_models(value)


def _describe_plans(app: FastAPI) -> None:
    """Put the Plan schema (and what it refers to) among the OpenAPI components."""
    def openapi():
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi
            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes, separate_input_output_schemas=False)
            plan = Plan.model_json_schema(ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(plan.pop("$defs", {}))
            components["Plan"] = plan
            _point_at_models(schema)
            if app.state.planwriter.token is not None:  # the docs page's Authorize button
                schema["components"]["securitySchemes"] = {"bearer": {"type": "http",
                                                                      "scheme": "bearer"}}
                for path, item in schema["paths"].items():
                    for op in item.values() if path.startswith("/v1/") else ():
                        op["security"] = [{"bearer": []}]
            app.openapi_schema = schema
        return app.openapi_schema
    app.openapi = openapi
