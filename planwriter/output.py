"""Writing output files atomically: all of the new file, or the old one untouched."""
from __future__ import annotations

import os
import tempfile

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
    try:
        fd, tmp = tempfile.mkstemp(prefix=".planwriter-", dir=folder)
    except OSError as e:
        raise PlanError(f"cannot write {os.fspath(path)}: {e.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        # mkstemp creates 0600 files; give the file the permissions a new file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as e:
        os.unlink(tmp)
        raise PlanError(f"cannot write {os.fspath(path)}: {e.strerror}") from None
    except BaseException:
        os.unlink(tmp)
        raise
