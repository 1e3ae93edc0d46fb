"""PDF output: the DOCX converted by LibreOffice, headless.

Each conversion runs ``soffice`` in a temporary folder of its own, with a private user
profile (so that conversions can run side by side: LibreOffice lets one profile serve one
process only), a time limit, and a fontconfig file that maps the official font names of the
Chinese reference (仿宋_GB2312, 黑体, 楷体_GB2312, 方正小标宋简体, 宋体) to the free fonts
installed (see :mod:`planwriter.writers.docx.fonts`).  The folder is removed whatever
happens, and a conversion that runs out of time is killed with all its processes.
"""
from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import PlanError, one_line
from ..tree import Document
from .docx import fonts, write_docx

__all__ = ["docx_to_pdf", "write_pdf", "find_soffice", "DEFAULT_TIMEOUT"]

#: Seconds a conversion may take before it is stopped.
DEFAULT_TIMEOUT = 180.0

MISSING = ("PDF output needs LibreOffice, and soffice is not on the PATH: install it "
           "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui; Fedora: dnf install "
           "libreoffice-writer; macOS: brew install --cask libreoffice) or write .docx instead")

#: Where TeX Live keeps the Fandol fonts, outside fontconfig's usual folders.
_FANDOL_DIRS = ("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol",
                "/usr/share/texmf/fonts/opentype/public/fandol",
                "/usr/local/texlive/*/texmf-dist/fonts/opentype/public/fandol",
                "/opt/homebrew/share/texmf-dist/fonts/opentype/public/fandol")


def find_soffice() -> str | None:
    """The LibreOffice program on the PATH (``soffice`` or ``libreoffice``), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _fontconfig(folder: Path) -> Path:
    """A fontconfig file that reads the user's configuration, then adds the stand-ins."""
    base = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    dirs = sorted({d for pattern in _FANDOL_DIRS for d in glob.glob(pattern) if os.path.isdir(d)})
    path = folder / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f'<include ignore_missing="yes">{_xml(os.path.abspath(base))}</include>\n'
        + "".join(f"<dir>{_xml(d)}</dir>\n" for d in dirs)
        + fonts.fontconfig_aliases() + "\n</fontconfig>\n", encoding="utf-8")
    return path


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.communicate()


def docx_to_pdf(data: bytes, *, timeout: float = DEFAULT_TIMEOUT, soffice: str | None = None) -> bytes:
    """Convert the DOCX ``data`` to PDF bytes with LibreOffice.

    Raises :class:`PlanError` (one line) when LibreOffice is not installed, fails, or takes
    longer than ``timeout`` seconds; no file is left behind in any case.
    """
    exe = soffice or find_soffice()
    if exe is None:
        raise PlanError(MISSING)
    with tempfile.TemporaryDirectory(prefix="planwriter-pdf-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        src = folder / "plan.docx"
        src.write_bytes(data)
        out = folder / "out"
        # HOME stays: fontconfig finds the user's own fonts (~/.local/share/fonts) through it.
        env = dict(os.environ, FONTCONFIG_FILE=str(_fontconfig(folder)), SAL_USE_VCLPLUGIN="svp")
        cmd = [exe, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--invisible",
               "--norestore", "--nolockcheck", "--nodefault", "--convert-to", "pdf:writer_pdf_Export",
               "--outdir", str(out), str(src)]
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, env=env, cwd=tmp, start_new_session=True)
        except OSError as e:
            raise PlanError(f"cannot run LibreOffice ({exe}): {e.strerror}") from None
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise PlanError(f"LibreOffice did not finish the PDF within {timeout:g} seconds") from None
        except BaseException:
            _kill(proc)
            raise
        pdf = out / "plan.pdf"
        result = pdf.read_bytes() if pdf.is_file() else b""
        if proc.returncode != 0 or not result.startswith(b"%PDF-"):
            lines = [ln for ln in err.decode("utf-8", "replace").splitlines() if ln.strip()]
            detail = f": {one_line(lines[-1].strip())[:200]}" if lines else ""
            raise PlanError(f"LibreOffice could not convert the document to PDF "
                            f"(exit status {proc.returncode}{detail})")
    return result


def write_pdf(doc: Document, reference: str | os.PathLike | None = None, *,
              timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Render ``doc`` to PDF bytes: its DOCX (see :func:`~planwriter.writers.docx.write_docx`)
    converted by LibreOffice."""
    return docx_to_pdf(write_docx(doc, reference), timeout=timeout)
