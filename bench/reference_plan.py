"""An 80-item reference work plan with two tables, built directly from tree nodes.

Used by ``bench/bench_docx.py`` and handy for looking at rendered pages:

    python bench/reference_plan.py zh out.docx
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planwriter.tree import Document, Heading, Item, Paragraph, Signature, Table  # noqa: E402

ZH_SECTIONS = [
    ("总体要求", ["坚持以人民健康为中心", "坚持问题导向", "坚持系统治理"]),
    ("重点任务", ["加强院感管理", "提升医疗质量", "优化服务流程", "强化人才培养"]),
    ("保障措施", ["加强组织领导", "强化督导考核", "做好宣传引导"]),
]
ZH_TEXT = ("严格执行《医疗机构感染预防与控制基本制度》，落实手卫生、环境清洁消毒和医疗废物管理等要求，"
           "每季度开展1次专项检查，发现问题限期整改，确保“应改尽改”。")

EN_SECTIONS = [
    ("Objectives", ["Patient safety", "Quality of care", "Access to services"]),
    ("Key tasks", ["Infection control", "Clinical quality", "Service pathways", "Workforce development"]),
    ("Delivery and oversight", ["Governance", "Monitoring and review", "Communication"]),
]
EN_TEXT = ("Apply the infection prevention and control policy in every ward, including hand hygiene, "
           "environmental cleaning and clinical waste handling; audit each quarter and close findings "
           "within 30 days.")


def reference_plan(locale: str = "zh", items: int = 80) -> Document:
    """A plan with headings at two levels, ``items`` numbered paragraphs and two tables."""
    zh = locale == "zh"
    sections = ZH_SECTIONS if zh else EN_SECTIONS
    text = ZH_TEXT if zh else EN_TEXT
    subs = sum(len(s) for _, s in sections)
    per_sub, extra = divmod(items, subs)
    blocks: list = [Paragraph(
        "为贯彻落实上级部署，进一步提升医疗服务质量和安全水平，结合本院实际，制定本计划。" if zh else
        "This plan sets out how the hospital will improve the quality and safety of care over the coming year."
    )]
    n = 0
    for s_idx, (section, subsections) in enumerate(sections):
        blocks.append(Heading(1, section))
        for sub in subsections:
            blocks.append(Heading(2, sub))
            count = per_sub + (1 if extra > 0 else 0)
            extra -= 1
            for k in range(count):
                n += 1
                title = (f"落实第{n}项措施" if zh else f"Measure {n}") if k % 2 == 0 else ""
                level = 4 if k % 5 == 4 else 3
                blocks.append(Item(level, text, title))
        if s_idx == 1:
            blocks.append(Table(
                header=("序号", "工作任务", "责任部门", "完成时限") if zh else
                ("No.", "Task", "Owner", "Due"),
                rows=tuple(
                    (str(i), ("开展院感专项检查" if zh else "Run an infection control audit") + f" {i}",
                     "医务科" if zh else "Medical Office", "2025年6月30日" if zh else "30 June 2025")
                    for i in range(1, 13)
                ),
                caption="重点任务分工表" if zh else "Table 1. Responsibilities",
                widths=(1, 5, 2, 2),
            ))
    blocks.append(Table(
        header=("指标", "目标值") if zh else ("Indicator", "Target"),
        rows=tuple((f"指标{i}" if zh else f"Indicator {i}", f"≥{90 + i % 10}%") for i in range(1, 9)),
        caption="考核指标" if zh else "Table 2. Indicators",
    ))
    blocks.append(Signature("××市第一人民医院" if zh else "City General Hospital",
                            "2025年1月15日" if zh else "15 January 2025"))
    assert n == items
    return Document(locale, "××市第一人民医院2025年度医疗质量安全工作计划" if zh else
                    "City General Hospital: Quality and Safety Plan 2025", tuple(blocks))


if __name__ == "__main__":
    from planwriter.writers.docx import write_docx

    loc = sys.argv[1] if len(sys.argv) > 1 else "zh"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else f"reference-plan-{loc}.docx")
    out.write_bytes(write_docx(reference_plan(loc)))
    print(out)
