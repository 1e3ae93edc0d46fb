"""Reading input files: bounded in size and time, whatever the path turns out to be.

A path may name a regular file, a pipe (``-`` for standard input, ``<(command)``, a
named pipe) or something that is not an input at all (a folder, ``/dev/zero``, a
terminal, a socket). Regular files and pipes are read up to a size cap; a pipe
that stays silent is given up after a while; everything else is refused with one
line, so that no path can make planwriter wait forever or read until memory runs out.
"""
from __future__ import annotations

import errno
import os
import select
import stat
import sys

from .errors import PlanError

#: How long a pipe may stay silent before reading gives up (seconds).
PIPE_TIMEOUT = 60.0
STDIN = "-"


def display_name(path: str) -> str:
    """The name used in messages: ``<stdin>`` for ``-``."""
    return "<stdin>" if path == STDIN else path


def _too_large(name: str, size: int | None, limit: int, what: str) -> PlanError:
    if size is None:
        return PlanError(f"input is more than {limit:,} bytes; {what} may be at most {limit:,} bytes",
                         name)
    return PlanError(f"file is {size:,} bytes; {what} may be at most {limit:,} bytes", name)


def _read_pipe(fd: int, name: str, limit: int, what: str, timeout: float) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        if timeout is not None:
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                raise PlanError(f"no input arrived for {timeout:g} seconds; giving up", name)
        try:
            chunk = os.read(fd, min(1 << 16, limit + 1 - total))
        except BlockingIOError:
            continue
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise _too_large(name, None, limit, what)


def read_bytes(path: str, limit: int, *, what: str = "a plan",
               timeout: float | None = None, pipes: bool = True, shown: str | None = None) -> bytes:
    """The bytes of ``path`` (``-`` = standard input), at most ``limit`` of them.

    Raises :class:`~planwriter.PlanError` for a missing or unreadable path, a folder,
    a device or socket, input over ``limit`` bytes, or a pipe silent for ``timeout``
    seconds (or any pipe, unless ``pipes``). ``shown`` is the name used in messages.
    """
    name = shown or display_name(path)
    if timeout is None:
        timeout = PIPE_TIMEOUT
    if path == STDIN:
        if sys.stdin is None:
            raise PlanError("there is no standard input to read", name)
        try:
            fd = sys.stdin.fileno()
        except (AttributeError, OSError, ValueError):  # an in-memory stream
            stream = getattr(sys.stdin, "buffer", sys.stdin)
            data = stream.read(limit + 1)
            data = data.encode("utf-8") if isinstance(data, str) else data
            if len(data) > limit:
                raise _too_large(name, None, limit, what) from None
            return data
        try:
            st = os.fstat(fd)
        except OSError as e:
            raise PlanError(f"cannot read standard input: {e.strerror}", name) from None
        if stat.S_ISREG(st.st_mode):
            return _read_regular(fd, st, name, limit, what)
        # A terminal or a pipe: read until end of input (a terminal user ends with Ctrl-D).
        return _read_pipe(fd, name, limit, what, None if os.isatty(fd) else timeout)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
                     | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        if e.errno == errno.ENXIO:  # a socket, or a pipe's writer end only
            raise PlanError(f"cannot read {what} from this kind of file", name) from None
        if e.errno == errno.EISDIR:
            raise PlanError(f"is a folder, not {what} file", name) from None
        raise PlanError(f"cannot read file: {e.strerror}", name) from None
    try:
        st = os.fstat(fd)
        mode = st.st_mode
        if stat.S_ISDIR(mode):
            raise PlanError(f"is a folder, not {what} file", name)
        if stat.S_ISREG(mode):
            return _read_regular(fd, st, name, limit, what)
        if stat.S_ISFIFO(mode) and pipes:
            os.set_blocking(fd, True)
            return _read_pipe(fd, name, limit, what, timeout)
        kind = "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"
        raise PlanError(f"is {kind}, not {what} file; give a file, or - for standard input", name)
    except OSError as e:
        raise PlanError(f"cannot read file: {e.strerror}", name) from None
    finally:
        os.close(fd)


def _read_regular(fd: int, st: os.stat_result, name: str, limit: int, what: str) -> bytes:
    if st.st_size > limit:
        raise _too_large(name, st.st_size, limit, what)
    os.set_blocking(fd, True)
    chunks: list[bytes] = []
    total = 0
    while True:  # the file may grow while it is read: never take more than the cap
        chunk = os.read(fd, min(1 << 20, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise _too_large(name, None, limit, what)
