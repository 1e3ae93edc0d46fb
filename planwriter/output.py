"""Writing output: all of the new file or the old one untouched, and never over what is not ours.

A regular file (or a new one) is written to a temporary file beside it and renamed
into place, so a failure leaves no partial file and keeps a previous one. A
symbolic link is followed: the file it points to is replaced, the link stays.
Anything else that can be opened for writing (``/dev/stdout``, ``/dev/null``, a
named pipe, a terminal) is written through, as ``cat > path`` would, and is never
replaced by a rename. ``-`` is standard output.
"""
from __future__ import annotations

import os
import secrets
import stat
import sys
from typing import Iterable

from .errors import PlanError

STDOUT = "-"


def _display(path: str) -> str:
    return "standard output" if path == STDOUT else path


def same_file(a: str, b: str) -> bool:
    """Whether paths ``a`` and ``b`` name one existing file (through links and all)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_not_input(output: str, inputs: Iterable[str]) -> None:
    """Refuse an output path that is one of the input files."""
    if output == STDOUT:
        return
    for source in inputs:
        if source != "-" and same_file(output, source):
            raise PlanError(f"cannot write {output}: it is the input file {source}; "
                            "choose another output")


def write_output(path: str | os.PathLike, data: bytes, *, binary: bool = False,
                 inputs: Iterable[str] = ()) -> None:
    """Write ``data`` to ``path``: ``-`` (standard output), a special file, or a regular file.

    ``binary`` output is refused on a terminal. ``inputs`` are the files the output was
    made from; writing over one of them is refused.
    """
    name = os.fspath(path)
    check_not_input(name, inputs)
    if name == STDOUT:
        _write_stream(sys.stdout, data, binary)
        return
    try:
        st = os.stat(name)  # follows symbolic links
    except (FileNotFoundError, NotADirectoryError):
        st = None  # a new file (write_atomic says what is wrong with its folder)
    except OSError as e:
        raise PlanError(f"cannot write {name}: {e.strerror}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise PlanError(f"cannot write {name}: it is a folder")
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_through(name, data, binary)
        return
    target = os.path.realpath(name) if os.path.islink(name) else os.path.abspath(name)
    write_atomic(target, data, shown=name, mode=None if st is None else stat.S_IMODE(st.st_mode))


def is_terminal(stream) -> bool:
    """Whether ``stream`` is a terminal (False for in-memory streams)."""
    try:
        return os.isatty(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return False


def _write_stream(stream, data: bytes, binary: bool) -> None:
    if stream is None:
        raise PlanError("cannot write to standard output: there is none")
    if binary and is_terminal(stream):
        raise PlanError("will not write a binary document to the terminal; "
                        "redirect standard output to a file, or use -o FILE")
    stream.flush()
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:  # a text-only stream (as in tests)
        stream.write(data.decode("utf-8", "replace"))
        stream.flush()


def _write_through(name: str, data: bytes, binary: bool) -> None:
    try:
        fd = os.open(name, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        raise PlanError(f"cannot write {name}: {e.strerror}") from None
    try:
        if binary and os.isatty(fd):
            raise PlanError(f"cannot write {name}: will not write a binary document to a terminal")
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
    except OSError as e:
        raise PlanError(f"cannot write {name}: {e.strerror}") from None
    finally:
        os.close(fd)


def write_atomic(path: str | os.PathLike, data: bytes, *, shown: str | None = None,
                 mode: int | None = None) -> None:
    """Write ``data`` to the regular file ``path`` through a temporary file and a rename.

    A failure at any point leaves no partial file and keeps a previous file. ``mode`` is
    given to the new file (a replaced file keeps its permissions); ``shown`` is the name
    used in messages.
    """
    target = os.path.abspath(os.fspath(path))
    shown = shown or os.fspath(path)
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        parent = folder
        while parent and not os.path.exists(parent):
            parent = os.path.dirname(parent) if os.path.dirname(parent) != parent else ""
        if parent and not os.path.isdir(parent):
            raise PlanError(f"cannot write {shown}: {parent} is a file, not a folder")
        raise PlanError(f"cannot write {shown}: folder {folder} does not exist")
    if os.path.isdir(target):
        raise PlanError(f"cannot write {shown}: it is a folder")
    # Created with mode 0666 so the kernel applies the user's umask, as for any new file.
    tmp = os.path.join(folder, f".planwriter-{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as e:
        raise PlanError(f"cannot write {shown}: {e.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(f.fileno(), mode)
        os.replace(tmp, target)
    except OSError as e:
        _remove(tmp)
        raise PlanError(f"cannot write {shown}: {e.strerror}") from None
    except BaseException:
        _remove(tmp)
        raise


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def create_new(path: str | os.PathLike, data: bytes, *, force: bool = False) -> None:
    """Write a new file at ``path``, refusing any existing path (a dangling symbolic link
    included) unless ``force``; with ``force`` it is written as :func:`write_output` does."""
    name = os.fspath(path)
    if name != STDOUT and os.path.lexists(name) and not force:
        if os.path.islink(name):
            raise PlanError(f"{name} is a symbolic link; use --force to write through it")
        raise PlanError(f"{name} exists; use --force to replace it")
    write_output(name, data)
