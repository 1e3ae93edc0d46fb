"""What a request can get wrong, each with the HTTP status that says so.

Every error the service answers with is a :class:`~planwriter.errors.PlanError`
(message, file, line, field), so a client reads the same one-line messages and
field paths as the command line prints.  The subclasses here only add a status;
a plain ``PlanError`` (an invalid plan) is 422.
"""
from __future__ import annotations

from typing import Any

from ..errors import PlanError, one_line


class Malformed(PlanError):
    """The body is not JSON or YAML that can be read at all (400)."""

    status = 400


class Unauthorized(PlanError):
    """No bearer token where the server requires one (401)."""

    status = 401


class Forbidden(PlanError):
    """A bearer token that is not the server's (403)."""

    status = 403


class NotFound(PlanError):
    """No such block, preset or page (404)."""

    status = 404


class TooLarge(PlanError):
    """A body, upload or rendered document over the server's limit (413)."""

    status = 413


class Unsupported(PlanError):
    """A content type the endpoint does not read (415)."""

    status = 415


class TooSlow(PlanError):
    """Work on a plan that ran past the server's time limit (422: the same plan fails again)."""

    status = 422


class NotAvailable(PlanError):
    """A feature this installation of planwriter does not have (501)."""

    status = 501


class Busy(PlanError):
    """Every render slot and queue place is taken; try again shortly (503)."""

    status = 503


def status_of(error: PlanError) -> int:
    """The HTTP status for ``error``: its class's, or 422 for an invalid plan."""
    return getattr(error, "status", 422)


def error_body(error: PlanError) -> dict[str, Any]:
    """The JSON of an error response: the first one-line message and every located error."""
    return {"error": str(error),
            "errors": [{**e.as_dict(), "message": one_line(e.message), "text": str(e)}
                       for e in error.errors]}
