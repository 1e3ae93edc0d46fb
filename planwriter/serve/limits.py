"""The server's limits per request, and the body-size limit enforced while a body arrives."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass

from .. import loader
from .problems import Malformed, TooLarge, error_body


@dataclass(frozen=True)
class Limits:
    """What one request may cost the server.

    ``max_body``: bytes of a plan in a request (the loader's limit for plan files);
    ``max_upload``: bytes of a file sent to /v1/import; ``max_output``: bytes of a
    rendered document; ``timeout``: seconds of work on one plan; ``workers``: plans
    worked on at once (one process each); ``queue``: requests that may wait for a
    worker before more are refused with 503; ``memory``: address space of a worker
    process, in bytes (None: no limit).
    """

    max_body: int = loader.MAX_BYTES
    max_upload: int = 10 << 20
    max_output: int = 32 << 20
    timeout: float = 30.0
    workers: int = max(1, min(4, os.cpu_count() or 1))
    queue: int = 256
    memory: int | None = 4 << 30


class BodyLimit:
    """ASGI middleware: refuse a body over its limit with 413, before and while it arrives.

    A declared ``Content-Length`` over the limit is refused before any of the body
    is read; a body without one (chunked) is counted as it streams in and refused
    as soon as it passes the limit, so no more than the limit is ever held.
    """

    def __init__(self, app, limits: Limits, upload_paths: tuple[str, ...] = ()) -> None:
        self.app, self.limits, self.upload_paths = app, limits, upload_paths

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        upload = scope["path"] in self.upload_paths
        limit = self.limits.max_upload if upload else self.limits.max_body
        what = "an upload" if upload else "a plan in a request"
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                return await _answer(send, Malformed("Content-Length is not a number"))
            if int(declared) > limit:
                return await _answer(send, TooLarge(
                    f"the body is {int(declared):,} bytes; {what} may be at most {limit:,} bytes"))
        seen = 0
        started = False

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge(f"the body is over {limit:,} bytes; {what} may be at most "
                                   f"{limit:,} bytes")
            return message

        async def watched(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except TooLarge as e:
            if started:
                raise
            await _answer(send, e)


async def _answer(send, error) -> None:
    body = json.dumps(error_body(error), ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": error.status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
