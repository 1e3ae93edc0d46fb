"""The load test runs in CI: 200 concurrent render requests, every one answered correctly.

Its figures (latency, memory) are printed by bench/bench_serve.py and not asserted here.
"""
import subprocess
import sys

from serving import ROOT


def test_200_concurrent_renders_are_all_answered_correctly():
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_serve.py"), "--requests", "200"],
                       capture_output=True, text=True, timeout=600)
    print(r.stdout)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "200 concurrent requests: 200 answered, 0 failed" in r.stdout
