"""``planwriter serve``: the app on a socket, with uvicorn."""
from __future__ import annotations

import ipaddress
import socket

import click

from ..environment import Environment
from ..errors import PlanError
from .limits import Limits


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port``, or a one-line error."""
    try:
        info = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(info[0], socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted connections inherit it: without it a response written in two parts waits
        # for the client's delayed acknowledgement, some 40 ms per request on a kept-alive
        # connection.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind(info[4])
        sock.listen(128)
    except OSError as e:
        raise PlanError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    return sock


def run(env: Environment, host: str, port: int, token: str | None, **limits) -> None:
    """Serve ``env`` on ``host``:``port`` until interrupted."""
    if not is_loopback(host) and not token:
        raise PlanError(f"--host {host} makes the API reachable from other machines; give "
                        "--token TOKEN (or set PLANWRITER_TOKEN), and clients send "
                        "'Authorization: Bearer TOKEN'")
    import uvicorn

    from .app import create_app
    settings = Limits(**{k: v for k, v in limits.items() if v is not None})
    app = create_app(env, token=token or None, limits=settings)
    sock = listen(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound}/"
    click.echo(f"planwriter: editor at {url}{'#token=…' if token else ''}, API docs at {url}docs"
               + (" (token required)" if token else ""), err=True)
    if not is_loopback(host):
        click.echo(f"planwriter: listening on {host}, reachable from other machines", err=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                            timeout_graceful_shutdown=5)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:  # Ctrl-C: uvicorn has shut down cleanly; so do we
        pass
    click.echo("planwriter: server stopped", err=True)


__all__ = ["run", "is_loopback", "listen"]
