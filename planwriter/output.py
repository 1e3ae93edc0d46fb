"""Writing output files atomically: all of the new file, or the old one untouched."""
from __future__ import annotations

import os
import secrets

from .errors import PlanError


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A failure at any point leaves no partial file and keeps a previous file.
    """
    target = os.path.abspath(os.fspath(path))
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        parent = folder
        while parent and not os.path.exists(parent):
            parent = os.path.dirname(parent) if os.path.dirname(parent) != parent else ""
        if parent and not os.path.isdir(parent):
            raise PlanError(f"cannot write {os.fspath(path)}: {parent} is a file, not a folder")
        raise PlanError(f"cannot write {os.fspath(path)}: folder {folder} does not exist")
    if os.path.isdir(target):
        raise PlanError(f"cannot write {os.fspath(path)}: it is a folder")
    # Created with mode 0666 so the kernel applies the user's umask, as for any new file.
    tmp = os.path.join(folder, f".planwriter-{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as e:
        raise PlanError(f"cannot write {os.fspath(path)}: {e.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except OSError as e:
        os.unlink(tmp)
        raise PlanError(f"cannot write {os.fspath(path)}: {e.strerror}") from None
    except BaseException:
        os.unlink(tmp)
        raise
