"""Request dependencies: the bearer token, the server's state, and plan bodies by content type."""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from ..environment import Environment
from .limits import Limits
from .problems import Forbidden, Unauthorized, Unsupported
from .workers import WorkerPool

#: Content types a plan may be sent as, and how each is read.
PLAN_TYPES = {"application/json": "json", "application/yaml": "yaml",
              "application/x-yaml": "yaml", "text/yaml": "yaml", "text/x-yaml": "yaml"}


@dataclass
class Server:
    """What every request of one app shares: environment, limits, workers, token."""

    env: Environment
    limits: Limits
    pool: WorkerPool
    token: str | None = None
    presets: list | None = None  # summaries, read once on first use


def server(request: Request) -> Server:
    return request.app.state.planwriter


def authorised(request: Request, srv: Annotated[Server, Depends(server)]) -> None:
    """Require ``Authorization: Bearer <token>`` when the server has a token."""
    if srv.token is None:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise Unauthorized("this server needs a token: send 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(given.strip().encode("utf-8", "surrogateescape"),
                               srv.token.encode("utf-8")):
        raise Forbidden("the token is not this server's")


def media_type(request: Request, accepted: dict[str, str] = PLAN_TYPES) -> str:
    """'json' or 'yaml' from the Content-Type header (UTF-8 only), else 415."""
    header = request.headers.get("content-type", "")
    kind, *params = [p.strip() for p in header.split(";")]
    kind = kind.lower()
    if kind not in accepted:
        got = f"'{header}'" if header else "no Content-Type"
        raise Unsupported(f"send the plan as application/json or application/yaml, not {got}")
    for p in params:
        name, _, value = p.partition("=")
        if name.strip().lower() == "charset" and value.strip(' "').lower() not in ("utf-8", "utf8"):
            raise Unsupported(f"plans are UTF-8 text; charset {value.strip()} is not supported")
    return accepted[kind]


async def plan_body(request: Request) -> tuple[bytes, str]:
    """The raw plan of a request and how to read it (parsed in a worker, under the time limit)."""
    media = media_type(request)
    return await request.body(), media


Auth = Depends(authorised)
ServerDep = Annotated[Server, Depends(server)]
PlanBody = Annotated[tuple[bytes, str], Depends(plan_body)]
