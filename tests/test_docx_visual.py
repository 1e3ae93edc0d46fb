"""Render DOCX output with LibreOffice and rasterise it, when the tools are installed.

Runs wherever ``soffice`` and ``pdftoppm`` are on PATH (CI images with
LibreOffice included) and is skipped, with the reason, elsewhere.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from planwriter.tree import Document, Heading, Item, Paragraph, Signature, Table
from planwriter.writers.docx import write_docx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")


def sample(locale: str) -> Document:
    zh = locale == "zh"
    blocks = [Paragraph("为做好全年工作，制定本计划。" if zh else "This plan sets out the year's work.")]
    for s in range(1, 3):
        blocks.append(Heading(1, "重点任务" if zh else "Key tasks"))
        blocks.append(Heading(2, "加强管理" if zh else "Management"))
        for i in range(6):
            blocks.append(Item(3, ("严格执行制度，每季度开展专项检查，发现问题限期整改。" if zh else
                                   "Apply the policy in every ward and audit each quarter.") * 3,
                               ("措施" if zh else "Measure") + str(i) if i % 2 == 0 else ""))
    blocks.append(Table(("序号", "任务") if zh else ("No.", "Task"),
                        tuple((str(i), ("检查" if zh else "Audit") + str(i)) for i in range(1, 6)),
                        caption="任务表" if zh else "Table 1. Tasks"))
    blocks.append(Signature("青山市卫生健康委员会" if zh else "City Health Commission",
                            "2025年1月15日" if zh else "15 January 2025"))
    return Document(locale, "2025年度工作计划" if zh else "Work Plan 2025", tuple(blocks))


def _pages(pdf: Path) -> int:
    data = pdf.read_bytes()
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", data)]
    if counts:
        return max(counts)
    return len(re.findall(rb"/Type\s*/Page\b", data))


@pytest.mark.skipif(SOFFICE is None or PDFTOPPM is None,
                    reason="needs LibreOffice (soffice) and poppler (pdftoppm) on PATH")
@pytest.mark.parametrize("locale", ["zh", "en"])
def test_libreoffice_renders_pages(locale, tmp_path):
    src = tmp_path / f"plan-{locale}.docx"
    src.write_bytes(write_docx(sample(locale)))
    profile = tmp_path / "lo-profile"
    proc = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(src)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = tmp_path / f"plan-{locale}.pdf"
    assert pdf.exists(), f"soffice failed: {proc.stdout}\n{proc.stderr}"
    assert _pages(pdf) >= 1
    subprocess.run([PDFTOPPM, "-png", "-r", "40", str(pdf), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=120)
    pngs = sorted(tmp_path.glob("page*.png"))
    assert pngs and pngs[0].stat().st_size > 1000
    assert len(pngs) == _pages(pdf)
