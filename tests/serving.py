"""Helpers for the service tests: a real uvicorn server on a free loopback port."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import uvicorn

from planwriter import Environment
from planwriter.serve import Limits, create_app
from planwriter.serve.cli import listen

ROOT = Path(__file__).resolve().parent.parent
TOWNSHIP_YAML = (ROOT / "examples" / "township-health-center.yaml").read_bytes()
YAML = {"content-type": "application/yaml"}
JSON = {"content-type": "application/json"}


class LiveServer:
    """``create_app(env, **options)`` served by uvicorn in a thread, on 127.0.0.1:<free port>."""

    def __init__(self, env: Environment | None = None, **options) -> None:
        self.env = env or Environment()
        self.app = create_app(self.env, **options)
        self.sock = listen("127.0.0.1", 0)  # as `planwriter serve` listens
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)

    @property
    def pool(self):
        return self.app.state.planwriter.pool

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.sock.close()


def slow_templates(tmp: Path) -> Path:
    """A template folder whose block 'slow/forever' never finishes (the sandbox allows it)."""
    for locale in ("zh", "en"):
        (tmp / locale / "blocks" / "slow").mkdir(parents=True)
        (tmp / locale / "blocks" / "slow" / "forever.j2").write_text(
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            encoding="utf-8")
    (tmp / "blocks.yaml").write_text(
        "slow/forever:\n  title: {zh: 慢, en: Slow}\n  kinds: [custom]\n", encoding="utf-8")
    return tmp


SLOW_PLAN = b"""meta: {organisation: x, year: 2025}
sections:
  - {kind: custom, title: slow, block: slow/forever}
"""


def wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.01)


__all__ = ["LiveServer", "Limits", "slow_templates", "SLOW_PLAN", "TOWNSHIP_YAML", "YAML", "JSON",
           "wait_until"]
