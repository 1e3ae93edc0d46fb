"""PDF output: the DOCX through LibreOffice, with a clear line when LibreOffice is missing,
fails or hangs, and nothing left behind.

The failure cases run a stand-in ``soffice`` (a small script) so they run everywhere; the
real conversions need LibreOffice and skip without it (fail under PLANWRITER_REQUIRE_VISUAL=1).
"""
from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import planwriter
from planwriter.cli import main
from planwriter.errors import PlanError
from planwriter.writers.pdf import MISSING, docx_to_pdf, find_soffice

from conftest import EXAMPLES

TOWNSHIP = EXAMPLES / "township-health-center.yaml"
REAL = find_soffice()
needs_libreoffice = pytest.mark.skipif(
    REAL is None and os.environ.get("PLANWRITER_REQUIRE_VISUAL") != "1",
    reason="needs LibreOffice (soffice) on PATH")


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """A temporary folder of its own, to see what a conversion leaves behind."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def fake_soffice(tmp_path: Path, body: str) -> str:
    """A stand-in soffice: a Python script whose main part is ``body``."""
    path = tmp_path / "bin" / "soffice"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"#!{sys.executable}\nimport os, sys, time, subprocess\n{body}\n", encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def test_missing_libreoffice_is_one_line_that_says_what_to_install(tmp_path, monkeypatch, private_tmp):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PlanError) as caught:
        planwriter.render_pdf(planwriter.load(TOWNSHIP))
    assert str(caught.value) == MISSING and "\n" not in MISSING
    assert "apt-get install libreoffice-writer-nogui" in MISSING
    out = tmp_path / "plan.pdf"
    result = CliRunner().invoke(main, ["render", str(TOWNSHIP), "-o", str(out)])
    assert result.exit_code == 2 and result.stderr == f"planwriter: error: {MISSING}\n"
    assert not out.exists() and list(private_tmp.iterdir()) == []


def test_a_failing_conversion_names_the_cause_and_leaves_nothing(tmp_path, private_tmp):
    exe = fake_soffice(tmp_path, 'print("Error: source file could not be loaded", file=sys.stderr)\nsys.exit(1)')
    with pytest.raises(PlanError) as caught:
        docx_to_pdf(b"PK not really", soffice=exe)
    assert str(caught.value) == ("LibreOffice could not convert the document to PDF "
                                 "(exit status 1: Error: source file could not be loaded)")
    assert list(private_tmp.iterdir()) == []


def test_a_conversion_that_writes_no_pdf_is_an_error(tmp_path, private_tmp):
    exe = fake_soffice(tmp_path, "sys.exit(0)")
    with pytest.raises(PlanError, match=r"^LibreOffice could not convert the document to PDF \(exit status 0\)$"):
        docx_to_pdf(b"PK", soffice=exe)
    assert list(private_tmp.iterdir()) == []


def ended(pid: int) -> bool:
    """Whether process ``pid`` has ended (gone, or a zombie waiting to be reaped)."""
    for _ in range(100):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


def test_a_hanging_conversion_is_stopped_with_its_children(tmp_path, private_tmp):
    pids = tmp_path / "pids"
    exe = fake_soffice(tmp_path, f"""
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
open({str(pids)!r}, "w").write(f"{{os.getpid()}} {{child.pid}}")
time.sleep(600)""")
    with pytest.raises(PlanError) as caught:
        docx_to_pdf(b"PK", soffice=exe, timeout=2)
    assert str(caught.value) == "LibreOffice did not finish the PDF within 2 seconds"
    assert all(ended(int(pid)) for pid in pids.read_text().split())
    assert list(private_tmp.iterdir()) == []


def test_each_conversion_gets_its_own_profile_and_font_configuration(tmp_path, private_tmp):
    seen = tmp_path / "seen"
    exe = fake_soffice(tmp_path, f"""
profile = next(a for a in sys.argv if a.startswith("-env:UserInstallation="))
conf = open(os.environ["FONTCONFIG_FILE"], encoding="utf-8").read()
out = sys.argv[sys.argv.index("--outdir") + 1]
os.makedirs(out)
open(os.path.join(out, "plan.pdf"), "wb").write(b"%PDF-1.7 fake")
open({str(seen)!r}, "a").write(profile + " " + str("<family>仿宋_GB2312</family>" in conf and
                                                   "<family>FandolFang</family>" in conf) + "\\n")""")
    results = []
    threads = [threading.Thread(target=lambda: results.append(docx_to_pdf(b"PK", soffice=exe))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [b"%PDF-1.7 fake"] * 2
    lines = seen.read_text().split("\n")[:2]
    assert len({ln.split()[0] for ln in lines}) == 2 and all(ln.endswith("True") for ln in lines)
    assert list(private_tmp.iterdir()) == []


@needs_libreoffice
def test_render_pdf_from_the_command_line_and_python(tmp_path, private_tmp):
    plan = planwriter.load(TOWNSHIP)
    out = tmp_path / "plan.pdf"
    result = CliRunner().invoke(main, ["render", str(TOWNSHIP), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    forced = tmp_path / "plan.out"
    assert CliRunner().invoke(main, ["render", str(TOWNSHIP), "--to", "pdf", "--locale", "en",
                                     "-o", str(forced)]).exit_code == 0
    assert forced.read_bytes().startswith(b"%PDF-")
    # two conversions at once, each in its own profile
    results: list[bytes] = []
    threads = [threading.Thread(target=lambda loc=loc: results.append(planwriter.render_pdf(plan, loc)))
               for loc in ("zh", "en")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 and all(r.startswith(b"%PDF-") for r in results)
    assert list(private_tmp.iterdir()) == []

