#!/usr/bin/env python3
"""Does the import of a large page stay linear in its size?

Builds a web page (site furniture, scripts, and a plan of many sections, items, targets
and dated steps) and a hard-wrapped text of the same plan at 1× and 4× a base size, imports
each in this process, and prints the time per megabyte and the 4×/1× ratio of the times.
A linear importer gives about 4; the script exits 1 above 6 (a generous bound for noise).

    python bench/bench_import.py [--base-items 400] [--repeat 3]
"""
from __future__ import annotations

import argparse
import sys
import time

from planwriter.readers import read_all

SENTENCE = "进一步加强医疗质量管理，落实首诊负责、三级查房、病历书写等核心制度，{k}号项目参合率达到{v}%以上，3月启动，6月底前完成中期督查。"


def page(items: int) -> bytes:
    nav = "<div class='nav'>" + "".join(f"<a href='/{k}'>栏目{k}</a> | " for k in range(200)) + "</div>"
    script = "<script>" + "var x = 1; function f(a) { return a + 1; }\n" * 2000 + "</script>"
    body = ["<h1>青山镇卫生院2025年工作计划</h1>"]
    for s in range(1, items // 20 + 1):
        body.append(f"<h2>第{s}部分工作</h2>")
        for k in range(1, 21):
            body.append(f"<p>{k}、" + SENTENCE.format(k=k, v=80 + k % 20) + "</p>")
    footer = "<div class='footer'>Copyright © 2025 范文网 版权所有</div>"
    return f"<html><head><title>计划</title>{script}</head><body>{nav}{''.join(body)}{footer}</body></html>".encode("utf-8")


def wrapped(items: int) -> bytes:
    lines = ["青山镇卫生院2025年工作计划", ""]
    for s in range(1, items // 20 + 1):
        lines.append(f"第{s}部分工作")
        for k in range(1, 21):
            text = f"{k}、" + SENTENCE.format(k=k, v=80 + k % 20)
            lines.extend(text[i:i + 32] for i in range(0, len(text), 32))
    return "\n".join(lines).encode("utf-8")


def timed(data: bytes, fmt: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        read_all(data, fmt)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base-items", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    worst = 0.0
    print("| input | size 1× | time 1× | size 4× | time 4× | ratio 4×/1× |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, make, fmt in (("HTML page", page, "html"), ("hard-wrapped text", wrapped, "text")):
        small, large = make(args.base_items), make(4 * args.base_items)
        t1, t4 = timed(small, fmt, args.repeat), timed(large, fmt, args.repeat)
        ratio = t4 / t1
        worst = max(worst, ratio)
        print(f"| {name} | {len(small) / 1e6:.2f} MB | {t1:.2f} s | {len(large) / 1e6:.2f} MB | {t4:.2f} s | {ratio:.2f} |")
    return 0 if worst <= 6 else 1


if __name__ == "__main__":
    sys.exit(main())
