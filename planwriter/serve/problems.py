"""What a request can get wrong, each with the HTTP status that says so.

Every error the service answers with is a :class:`~planwriter.errors.PlanError`
(message, file, line, field), so a client reads the same one-line messages and
field paths as the command line prints.  The subclasses here only add a status;
a plain ``PlanError`` (an invalid plan) is 422.
"""
from __future__ import annotations

from typing import Any

from ..errors import PlanError, one_line


def _problem(name: str, status: int, doc: str) -> type[PlanError]:
    return type(name, (PlanError,), {"status": status, "__doc__": doc, "__module__": __name__})


Malformed = _problem("Malformed", 400, "The body is not JSON or YAML that can be read at all.")
Unauthorized = _problem("Unauthorized", 401, "No bearer token where the server requires one.")
Forbidden = _problem("Forbidden", 403, "A bearer token that is not the server's.")
NotFound = _problem("NotFound", 404, "No such block, preset or page.")
TooLarge = _problem("TooLarge", 413, "A body, upload or rendered document over the server's limit.")
Unsupported = _problem("Unsupported", 415, "A content type the endpoint does not read.")
TooSlow = _problem("TooSlow", 422, "Work on a plan past the server's time limit (the same plan "
                                   "fails again, so not a 5xx).")
NotAvailable = _problem("NotAvailable", 501, "A feature this installation of planwriter lacks.")
Busy = _problem("Busy", 503, "Every worker and queue place is taken; try again shortly.")


def status_of(error: PlanError) -> int:
    """The HTTP status for ``error``: its class's, or 422 for an invalid plan."""
    return getattr(error, "status", 422)


def error_body(error: PlanError) -> dict[str, Any]:
    """The JSON of an error response: the first one-line message and every located error."""
    return {"error": str(error),
            "errors": [{**e.as_dict(), "message": one_line(e.message), "text": str(e)}
                       for e in error.errors]}
