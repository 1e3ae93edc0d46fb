#!/usr/bin/env python3
"""How close is planwriter, end to end, to the floor? Ratios against baselines run in the same run.

On an 80-item Chinese plan (three sections of sub-headed items, half with run-in titles, an
indicator table and a schedule table), measured here, now, on this machine:

1. ``load()`` + ``render_docx()`` from a YAML file, against a floor that reads the same plan
   from JSON and writes the same document with lxml and zipfile (no styles);
2. ``render_markdown()`` of the loaded plan, against one compiled Jinja template that writes the
   same Markdown from the same data;
3. one ``planwriter render plan.yaml -o x.docx`` process, against one docxtpl process that
   renders the same content from JSON into a template (paired, alternating runs);
4. the DOCX writer alone on the composed document, against the lxml floor, at 80 and 800 items;
5. memory over 1,000 documents through one environment;
6. a batch of plans through ``render -d`` with one worker against all cores.

    pip install -e '.[bench]'      # docxtpl, for the process baseline
    python bench/bench_speed.py [--quick]

Only ratios are meaningful: every baseline runs in the same process (or, for whole
processes, in alternation with planwriter's) right next to what it is compared with.
"""
from __future__ import annotations

import argparse
import gc
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import yaml  # noqa: E402
from lxml import etree  # noqa: E402

import planwriter  # noqa: E402

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS

_CLAUSES = [
    ["严格执行《医疗机构感染预防与控制基本制度》", "落实医疗质量安全核心制度", "健全院科两级质量控制体系",
     "完善危急值报告和处置流程", "规范抗菌药物分级管理", "推进临床路径管理", "加强急诊急救能力建设",
     "落实处方点评和合理用药监测"],
    ["落实手卫生、环境清洁消毒和医疗废物管理等要求", "明确科室负责人和专职人员职责",
     "将考核结果与绩效分配挂钩", "建立问题清单和整改台账", "组织全员培训并开展考核",
     "定期召开专题会议研究解决问题", "完善信息系统监测功能", "做好患者告知和随访工作"],
    ["每季度开展1次专项检查", "每月通报检查结果", "年底前完成全面评估", "每半年开展一次督导",
     "重点科室每月自查", "发现问题限期整改", "纳入年度目标责任考核", "及时总结推广经验做法"],
]


def _text(n: int) -> str:
    """A sentence of the genre, different for every item number."""
    a, b, c = _CLAUSES
    return f"{a[n % 8]}，{b[(n // 8) % 8]}，{c[(n * 3 + n // 64) % 8]}，确保第{n}项任务按期完成。"
SECTIONS = [
    ("总体要求", ["坚持以人民健康为中心", "坚持问题导向", "坚持系统治理"]),
    ("重点任务", ["加强医院感染管理", "提升医疗质量", "优化服务流程", "强化人才培养"]),
    ("保障措施", ["加强组织领导", "强化督导考核", "做好宣传引导"]),
]


def bench_plan(items: int = 80) -> dict:
    """The benchmark plan as plain data (the same for YAML, JSON and every baseline)."""
    subs = sum(len(s) for _, s in SECTIONS)
    per, extra = divmod(items, subs)
    sections: list[dict] = [{"kind": "preamble", "text": "为贯彻落实上级部署，进一步提升医疗服务质量和安全水平，"
                                                        "结合本院实际，制定本计划。"}]
    n = 0
    for title, subtitles in SECTIONS:
        section: dict = {"kind": "custom", "title": title, "items": []}
        for sub in subtitles:
            count = per + (1 if extra > 0 else 0)
            extra -= 1
            children = []
            for k in range(count):
                n += 1
                child: dict = {"text": _text(n)}
                if k % 2 == 0:
                    child["title"] = f"落实第{n}项措施"
                children.append(child)
            section["items"].append({"title": sub, "items": children})
        sections.append(section)
    sections.insert(2, {"kind": "goals", "layout": "table", "indicators": [
        {"name": f"指标{i}", "comparator": "at_least", "value": 90 + i % 10, "unit": "percent"}
        for i in range(1, 9)]})
    sections.append({"kind": "schedule", "schedule": [
        {"when": f"2025-{m:02d}", "what": f"开展医院感染专项检查{m}", "owner": "医务科"} for m in range(1, 13)]})
    assert n == items
    return {"meta": {"organisation": "青山县人民医院", "org_type": "hospital", "year": 2025,
                     "date": "2025-01-15"}, "sections": sections}


# --------------------------------------------------------------------------- floors

def _run(parent, text: str) -> None:
    t = etree.SubElement(etree.SubElement(parent, W + "r"), W + "t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


_SKELETON = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>").encode(),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>').encode(),
}
_CN = "一二三四五六七八九十"


def floor_docx_from_json(text: str) -> bytes:
    """Read the plan from JSON and write the same paragraphs and tables with lxml + zipfile."""
    data = json.loads(text)
    root = etree.Element(W + "document", nsmap={"w": W_NS})
    body = etree.SubElement(root, W + "body")
    meta = data["meta"]
    _run(etree.SubElement(body, W + "p"), f"{meta['organisation']}{meta['year']}年工作计划")
    top = 0
    for s in data["sections"]:
        if s["kind"] == "preamble":
            _run(etree.SubElement(body, W + "p"), s["text"])
            continue
        top += 1
        _run(etree.SubElement(body, W + "p"), f"{_CN[top - 1]}、{s.get('title', s['kind'])}")
        for i, sub in enumerate(s.get("items", []), 1):
            _run(etree.SubElement(body, W + "p"), f"（{_CN[i - 1]}）{sub['title']}")
            for j, item in enumerate(sub.get("items", []), 1):
                _run(etree.SubElement(body, W + "p"), f"{j}.{item.get('title', '')}{item['text']}")
        rows = [(f"{x['name']}", f"{x['value']}%以上") for x in s.get("indicators", [])] + \
               [(x["when"], x["what"], x["owner"]) for x in s.get("schedule", [])]
        if rows:
            tbl = etree.SubElement(body, W + "tbl")
            for row in rows:
                tr = etree.SubElement(tbl, W + "tr")
                for cell in row:
                    _run(etree.SubElement(etree.SubElement(tr, W + "tc"), W + "p"), cell)
    _run(etree.SubElement(body, W + "p"), meta["organisation"])
    _run(etree.SubElement(body, W + "p"), "2025年1月15日")
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, part in _SKELETON.items():
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), part, zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo("word/document.xml", (1980, 1, 1, 0, 0, 0)), xml, zipfile.ZIP_DEFLATED)
    return out.getvalue()


MARKDOWN_FLOOR = """\
# {{ meta.organisation }}{{ meta.year }}年工作计划
{% set top = namespace(n=0) %}
{%- for s in sections %}
{%- if s.kind == "preamble" %}

{{ s.text }}
{%- else %}{% set top.n = top.n + 1 %}

## {{ cn[top.n - 1] }}、{{ s.title or s.kind }}
{%- for sub in s.get("items", []) %}

### （{{ cn[loop.index0] }}）{{ sub.title }}
{%- for item in sub.get("items", []) %}

{{ loop.index }}.{{ item.title or "" }}{{ item.text }}
{%- endfor %}{% endfor %}
{%- if s.get("indicators") %}

| 指标 | 目标 |
| --- | --- |
{%- for x in s.indicators %}
| {{ x.name }} | {{ x.value }}%以上 |
{%- endfor %}{% endif %}
{%- if s.get("schedule") %}

| 时间 | 工作内容 | 责任部门 |
| --- | --- | --- |
{%- for x in s.schedule %}
| {{ x.when }} | {{ x.what }} | {{ x.owner }} |
{%- endfor %}{% endif %}
{%- endif %}{% endfor %}

{{ meta.organisation }}
2025年1月15日
"""


# --------------------------------------------------------------------------- timing

def paired_ms(ours, base, runs: int, warmup: int = 3) -> tuple[float, float]:
    """Median milliseconds of two functions timed in alternation, so that whatever else the
    machine is doing falls on both alike."""
    for _ in range(warmup):
        ours()
        base()
    ta, tb = [], []
    for i in range(runs):
        for fn, acc in ((ours, ta), (base, tb)) if i % 2 else ((base, tb), (ours, ta)):
            t0 = time.perf_counter()
            fn()
            acc.append(time.perf_counter() - t0)
    return statistics.median(ta) * 1000, statistics.median(tb) * 1000


def paired_processes(a: list[str], b: list[str], runs: int) -> tuple[float, float]:
    """Median wall time (ms) of two commands run alternately, ``runs`` times each.

    Both run as installed programs do: with compiled bytecode kept (an editable install
    would otherwise compile planwriter's sources in every process under
    PYTHONDONTWRITEBYTECODE, while the peer's installed files are compiled once).
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    ta, tb = [], []
    for i in range(runs + 1):
        for cmd, acc in ((a, ta), (b, tb)) if i % 2 else ((b, tb), (a, ta)):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           env=env)
            if i:  # the first round warms the page cache
                acc.append(time.perf_counter() - t0)
    return statistics.median(ta) * 1000, statistics.median(tb) * 1000


DOCXTPL_SCRIPT = """\
import json, sys
from docxtpl import DocxTemplate
data = json.load(open(sys.argv[1], encoding="utf-8"))
lines, rows = [], []
cn = "一二三四五六七八九十"
lines.append(data["meta"]["organisation"] + str(data["meta"]["year"]) + "年工作计划")
top = 0
for s in data["sections"]:
    if s["kind"] == "preamble":
        lines.append(s["text"]); continue
    top += 1
    lines.append(cn[top - 1] + "、" + s.get("title", s["kind"]))
    for i, sub in enumerate(s.get("items", []), 1):
        lines.append("（" + cn[i - 1] + "）" + sub["title"])
        for j, item in enumerate(sub.get("items", []), 1):
            lines.append(str(j) + "." + item.get("title", "") + item["text"])
    rows += [x["name"] + "\\t" + str(x["value"]) + "%以上" for x in s.get("indicators", [])]
    rows += [x["when"] + "\\t" + x["what"] + "\\t" + x["owner"] for x in s.get("schedule", [])]
tpl = DocxTemplate(sys.argv[2])
tpl.render({"lines": lines, "rows": rows})
tpl.save(sys.argv[3])
"""


def docxtpl_template(path: Path) -> None:
    import docx
    t = docx.Document()
    t.add_paragraph("{%p for line in lines %}")
    t.add_paragraph("{{ line }}")
    t.add_paragraph("{%p endfor %}")
    table = t.add_table(rows=3, cols=1)
    table.rows[0].cells[0].text = "{%tr for row in rows %}"
    table.rows[1].cells[0].text = "{{ row }}"
    table.rows[2].cells[0].text = "{%tr endfor %}"
    t.save(str(path))


def rss_kib() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs (for a smoke test)")
    args = ap.parse_args(argv)
    runs = 20 if args.quick else 200
    proc_runs = 4 if args.quick else 15
    work = Path(tempfile.mkdtemp(prefix="planwriter-bench-"))
    data = bench_plan(80)
    yaml_path, json_path = work / "plan.yaml", work / "plan.json"
    yaml_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200),
                         encoding="utf-8")
    json_text = json.dumps(data, ensure_ascii=False)
    json_path.write_text(json_text, encoding="utf-8")
    env = planwriter.Environment()
    rows: list[tuple[str, float, float, str]] = []

    # 1. load + render_docx from a file, against the JSON floor
    ours, floor = paired_ms(lambda: env.render_docx(planwriter.load(yaml_path)),
                            lambda: floor_docx_from_json(json_path.read_text(encoding="utf-8")), runs)
    rows.append(("load() + render_docx() from a file", ours, floor, "lxml floor from JSON"))

    # 2. render_markdown against one Jinja template
    import jinja2
    plan = planwriter.load(yaml_path)
    template = jinja2.Environment().from_string(MARKDOWN_FLOOR)
    ours, floor = paired_ms(lambda: env.render_markdown(plan),
                            lambda: template.render(data, cn="一二三四五六七八九十"), runs)
    rows.append(("render_markdown()", ours, floor, "one Jinja template"))

    # 3. one-document processes, paired
    try:
        import docxtpl  # noqa: F401
        script, tpl = work / "docxtpl_one.py", work / "tpl.docx"
        script.write_text(DOCXTPL_SCRIPT, encoding="utf-8")
        docxtpl_template(tpl)
        ours, peer = paired_processes(
            [sys.executable, "-m", "planwriter", "render", str(yaml_path), "-o", str(work / "x.docx"), "-q"],
            [sys.executable, str(script), str(json_path), str(tpl), str(work / "y.docx")], proc_runs)
        rows.append(("one-document CLI process", ours, peer, "docxtpl process"))
    except ImportError:
        print("docxtpl is not installed (pip install -e '.[bench]'): skipping the process pair")

    # 4. the DOCX writer alone at 80 and 800 items
    from bench_docx import floor_write
    for items in (80, 800):
        doc = env.compose(planwriter.Plan.model_validate(bench_plan(items)))
        writer = env.docx_writer()
        ours, floor = paired_ms(lambda: writer.write(doc), lambda: floor_write(doc),
                                runs if items == 80 else runs // 4)
        rows.append((f"DOCX writer, {items} items", ours, floor, "lxml floor, same tree"))

    print(f"{'step':<38}{'planwriter ms':>14}{'baseline ms':>13}{'ratio':>8}  baseline")
    for name, a, b, base in rows:
        print(f"{name:<38}{a:>14.2f}{b:>13.2f}{a / b:>8.2f}  {base}")

    # 5. memory over 1,000 documents
    gc.collect()
    for _ in range(50):
        env.render_docx(plan)
    gc.collect()
    rss0 = rss_kib()
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    for _ in range(100 if args.quick else 1000):
        env.render_docx(plan)
    gc.collect()
    after, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"\nmemory over {100 if args.quick else 1000:,} documents: tracemalloc {after - before:+,} "
          f"bytes (peak {peak / 1024:,.0f} KiB), RSS {rss_kib() - rss0:+,} KiB")

    # 6. a batch through render -d: one worker against all cores
    batch = work / "batch"
    batch.mkdir()
    paths = []
    for i in range(8 if args.quick else 96):
        p = batch / f"plan{i:02d}.yaml"
        p.write_text(yaml_path.read_text(encoding="utf-8"), encoding="utf-8")
        paths.append(str(p))
    base = [sys.executable, "-m", "planwriter", "render", *paths, "--to", "docx", "-q"]
    one, many = paired_processes(base + ["-d", str(work / "o1"), "--jobs", "1"],
                                 base + ["-d", str(work / "o2")], 2 if args.quick else 3)
    print(f"batch of {len(paths)} plans: {one:,.0f} ms with one worker, {many:,.0f} ms with "
          f"{os.cpu_count()} ({one / many:.2f}× faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
