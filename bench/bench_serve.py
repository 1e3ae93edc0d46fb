"""Load test of `planwriter serve` on the loopback interface.

Starts `python -m planwriter serve --port 0` as its own process, sends N render requests at
once (default 200, DOCX and Markdown of the township example, half JSON and half YAML),
checks every answer byte for byte against the library's own output, and reports latency
(p50, p90, p99, max), throughput, and the memory (RSS) of the server and its workers.
The same process first times the library rendering the same plans, as the baseline the
server's throughput is compared with.  Bounded: one round of N requests, a deadline per
request and for the whole run; the server is stopped at the end.

    python bench/bench_serve.py                      # 200 concurrent requests
    python bench/bench_serve.py --requests 400 --workers 2
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

import planwriter
from planwriter.serve import Limits
from planwriter.serve.jobs import plan_json

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples" / "township-health-center.yaml"


def rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and every process below it, in KiB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, StopIteration):
            continue
    return total


def cpu_seconds(pid: int) -> dict[int, float]:
    """CPU time (user + system) of ``pid`` and each process below it, by pid."""
    ticks = os.sysconf("SC_CLK_TCK")
    out, todo = {}, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out[p] = (int(fields[11]) + int(fields[12])) / ticks
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            continue
    return out


class Peak(threading.Thread):
    """Samples the RSS of a process tree every 20 ms; ``peak`` is the highest seen."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, rss_kib(self.pid))
            self.stop.wait(0.02)


def baseline(plan, runs: int = 200) -> dict[str, float]:
    """Median seconds for the library to load and render each request kind, in this process."""
    text = PLAN.read_text(encoding="utf-8")
    out = {}
    for to in ("docx", "md"):
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            p = planwriter.loads(text)
            planwriter.render_docx(p) if to == "docx" else planwriter.render_markdown(p)
            times.append(time.perf_counter() - t)
        out[to] = statistics.median(times)
    return out


async def fire(url: str, n: int, deadline: float, expected: dict) -> tuple[list[float], list[str]]:
    yaml_body = PLAN.read_bytes()
    json_body = json.dumps(plan_json(planwriter.load(PLAN)), ensure_ascii=False).encode("utf-8")
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    latencies: list[float] = []
    failures: list[str] = []
    async with httpx.AsyncClient(base_url=url, timeout=deadline, limits=limits) as client:
        async def one(i: int) -> None:
            to = "docx" if i % 2 == 0 else "md"
            body, kind = (json_body, "json") if i % 4 < 2 else (yaml_body, "yaml")
            t = time.perf_counter()
            try:
                r = await client.post(f"/v1/render?to={to}", content=body,
                                      headers={"content-type": f"application/{kind}"})
            except httpx.HTTPError as e:
                failures.append(f"request {i}: {type(e).__name__}: {e}")
                return
            latencies.append(time.perf_counter() - t)
            if r.status_code != 200:
                failures.append(f"request {i}: {r.status_code} {r.text[:200]}")
            elif r.content != expected[to]:
                failures.append(f"request {i}: {to} differs from the library's output")
        await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(n))), deadline)
    return latencies, failures


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q / 100 * len(values)) - 1))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--workers", type=int, default=None, help="server --workers (default: its own)")
    ap.add_argument("--deadline", type=float, default=300.0, help="seconds for the whole round")
    args = ap.parse_args()

    plan = planwriter.load(PLAN)
    expected = {"docx": planwriter.render_docx(plan),
                "md": planwriter.render_markdown(plan).encode("utf-8")}
    base = baseline(plan)

    cmd = [sys.executable, "-m", "planwriter", "serve", "--port", "0"]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    server = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stderr.readline()
        match = re.search(r"editor at (http://127\.0\.0\.1:\d+)/", line)
        if not match:
            print(f"the server did not start: {line}", file=sys.stderr)
            return 1
        url = match.group(1)
        idle = rss_kib(server.pid)
        # Warm up: start the workers, as they are on a server that has been running.
        warm = asyncio.run(fire(url, 8, args.deadline, expected))
        if warm[1]:
            print("\n".join(warm[1]), file=sys.stderr)
            return 1
        warm_rss = rss_kib(server.pid)
        peak = Peak(server.pid)
        peak.start()
        cpu_before, client_before = cpu_seconds(server.pid), time.process_time()
        t = time.perf_counter()
        latencies, failures = asyncio.run(fire(url, args.requests, args.deadline, expected))
        wall = time.perf_counter() - t
        cpu_after, client_cpu = cpu_seconds(server.pid), time.process_time() - client_before
        peak.stop.set()
        peak.join()
        after = rss_kib(server.pid)
        health = httpx.get(url + "/healthz").json()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()

    workers = args.workers or Limits().workers
    mean_render = (base["docx"] + base["md"]) / 2
    ideal = workers / mean_render
    print(f"planwriter {health['version']}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"{workers} workers")
    print(f"library baseline in this process: load+render_docx {base['docx'] * 1000:.1f} ms, "
          f"load+render_markdown {base['md'] * 1000:.1f} ms")
    print(f"{args.requests} concurrent requests: {len(latencies)} answered, {len(failures)} failed, "
          f"in {wall:.2f} s ({args.requests / wall:.0f} requests/s)")
    if latencies:
        print("latency: p50 {:.0f} ms, p90 {:.0f} ms, p99 {:.0f} ms, max {:.0f} ms".format(
            *(percentile(latencies, q) * 1000 for q in (50, 90, 99, 100))))
    spent = {p: cpu_after[p] - cpu_before.get(p, 0.0) for p in cpu_after}
    main_cpu = spent.pop(server.pid, 0.0)
    n = max(1, args.requests)
    served = (main_cpu + sum(spent.values())) / n
    print(f"CPU per request: server process {main_cpu / n * 1000:.1f} ms, workers "
          f"{sum(spent.values()) / n * 1000:.1f} ms, this load generator {client_cpu / n * 1000:.1f} ms")
    print(f"server CPU per request / the library's own load+render in this process: "
          f"{served / mean_render:.2f}; throughput / {workers} workers at the library's speed: "
          f"{args.requests / wall / ideal:.2f} (the load generator shares the CPUs)")
    print(f"memory (server and workers, RSS): idle {idle / 1024:.0f} MiB, warm {warm_rss / 1024:.0f} "
          f"MiB, peak {peak.peak / 1024:.0f} MiB, after {after / 1024:.0f} MiB")
    for f in failures[:10]:
        print("  " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
