"""Worker processes that do the work on plans, each job with a hard time limit.

A render, check or import runs in one of ``size`` worker processes; at most
``size`` run at once and at most ``queue`` more wait for a free worker, and a
request beyond that is refused at once (:class:`~.problems.Busy`).  A job that
runs past ``timeout`` seconds has its worker killed (with anything it started,
such as an office suite converting to PDF) and replaced, so a plan cannot hold
a worker, or the machine, for longer than the limit.

Workers are fresh Python processes started on first use; each rebuilds the
server's :class:`~planwriter.Environment` from its template folders and
reference document, and sees nothing of a request but its data.
"""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..errors import PlanError
from .problems import Busy, TooSlow, error_body, status_of

#: How long a new worker may take to import planwriter and load its templates.
START_TIMEOUT = 120.0


def main(fd: int) -> None:
    """A worker's life: read its settings, build the environment, answer jobs until told to stop.

    Started as ``python -c "…main(FD)"`` (see :class:`_Worker`), never by forking the
    server, so it shares nothing with it but the socket ``FD``.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which stops us
    conn = Connection(fd)
    template_dirs, reference_doc, env_limits, memory = conn.recv()
    if memory:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    from ..environment import Environment
    from .jobs import JOBS
    options = {"limits": env_limits} if env_limits is not None else {}
    env = Environment(template_dirs, reference_doc=reference_doc, **options)
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        name, args = job
        conn.send(run_job(env, JOBS[name], args))


def run_job(env: Any, fn, args: tuple) -> tuple:
    """``("ok", result)`` or ``("error", status, body)``: never an exception."""
    try:
        return ("ok", fn(env, *args))
    except PlanError as e:
        return ("error", status_of(e), error_body(e))
    except RecursionError:
        return ("error", 422, error_body(PlanError("the plan nests too deeply to render")))
    except MemoryError:
        return ("error", 413, error_body(PlanError("the plan needs more memory than this server "
                                                   "allows a render")))
    except Exception as e:  # a bug in planwriter: still one line of JSON
        return ("error", 500, error_body(PlanError(f"internal error: {type(e).__name__}: {e}")))


class _Worker:
    """One worker process, in a session of its own, and the socket to it."""

    def __init__(self, env_args: tuple, memory: int | None) -> None:
        ours, theirs = socket.socketpair()
        fd = theirs.fileno()
        self.process = subprocess.Popen(
            [sys.executable, "-c", f"from planwriter.serve.workers import main; main({fd})"],
            pass_fds=(fd,), stdin=subprocess.DEVNULL, start_new_session=True)
        theirs.close()
        self.conn = Connection(ours.detach())
        self.conn.send((*env_args, memory))
        if not self.conn.poll(START_TIMEOUT):
            self.kill()
            raise RuntimeError("a render worker did not start")
        self.conn.recv()

    def call(self, job: tuple, timeout: float) -> tuple:
        self.conn.send(job)
        if not self.conn.poll(timeout):
            self.kill()
            raise TimeoutError
        return self.conn.recv()

    def kill(self) -> None:
        """Kill the worker and everything it started (in its session or a session of its own)."""
        for pid in [*_descendants(self.process.pid), self.process.pid]:
            for kill, target in ((os.killpg, pid), (os.kill, pid)):
                try:
                    kill(target, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        self.process.wait(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.kill()
        else:
            self.conn.close()


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (Linux /proc; elsewhere none, and the session kill serves)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children") as f:
                    children = [int(c) for c in f.read().split()]
            except OSError:
                continue
            found.extend(children)
            todo.extend(children)
    return found


class WorkerPool:
    """``size`` worker processes behind an asyncio queue of free ones."""

    def __init__(self, env_args: tuple, size: int, queue: int, timeout: float,
                 memory: int | None = None) -> None:
        self.env_args, self.size, self.queue, self.timeout = env_args, size, queue, timeout
        self.memory = memory
        self._threads: ThreadPoolExecutor | None = None
        self._free: asyncio.Queue | None = None
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._pending = 0

    @property
    def pending(self) -> int:
        """Jobs running or waiting now."""
        return self._pending

    def _start(self) -> _Worker:
        worker = _Worker(self.env_args, self.memory)
        with self._lock:
            self._all.append(worker)
        return worker

    def _forget(self, worker: _Worker) -> None:
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)

    def _call(self, worker: _Worker | None, job: tuple) -> tuple[_Worker | None, tuple | None]:
        """Run ``job`` on ``worker`` (started here if None); (worker to reuse, reply)."""
        if worker is not None and worker.process.poll() is not None:  # died while idle
            worker.kill()
            self._forget(worker)
            worker = None
        if worker is None:
            worker = self._start()
        try:
            return worker, worker.call(job, self.timeout)
        except TimeoutError:
            self._forget(worker)
            return None, None
        except (EOFError, OSError, BrokenPipeError):  # the worker died (killed, out of memory)
            worker.kill()
            self._forget(worker)
            return None, ("error", 500, error_body(PlanError(
                "internal error: the render worker stopped unexpectedly")))

    def open(self) -> None:
        """Make the pool ready in the running event loop (workers start on first use)."""
        self._threads = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="planwriter-job")
        self._free = asyncio.Queue()
        for _ in range(self.size):
            self._free.put_nowait(None)  # a slot whose worker starts on first use

    async def run(self, name: str, *args: Any) -> Any:
        """The result of job ``name``; the job's error as :class:`Failed`; Busy when full."""
        assert self._free is not None and self._threads is not None, "WorkerPool.open() first"
        if self._pending >= self.size + self.queue:
            raise Busy(f"the server is busy ({self._pending} requests in progress); "
                       "try again shortly")
        self._pending += 1
        try:
            worker = await self._free.get()
        except BaseException:
            self._pending -= 1
            raise
        loop = asyncio.get_running_loop()
        job = loop.run_in_executor(self._threads, self._call, worker, (name, args))

        def done(f: asyncio.Future) -> None:
            # Runs when the job ends, even if the request was cancelled meanwhile, so a
            # worker is never handed out while it still works on someone else's job.
            self._pending -= 1
            ok = not f.cancelled() and f.exception() is None
            self._free.put_nowait(f.result()[0] if ok else None)  # type: ignore[union-attr]
        job.add_done_callback(done)
        _, reply = await asyncio.shield(job)
        if reply is None:
            raise TooSlow(f"the work on this plan took longer than the server's limit of "
                          f"{self.timeout:g} s")
        if reply[0] == "ok":
            return reply[1]
        raise Failed(reply[1], reply[2])

    def close(self) -> None:
        """Stop every worker (and the jobs they run)."""
        with self._lock:
            workers, self._all = self._all, []
        for w in workers:
            w.stop()
        if self._threads is not None:
            self._threads.shutdown(wait=False, cancel_futures=True)


class Failed(Exception):
    """A job's error as it came from the worker: status and JSON body."""

    def __init__(self, status: int, body: dict) -> None:
        super().__init__(status, body)
        self.status, self.body = status, body
