"""The API in process: the worker pool, the limits it sets, and the README's curl example."""
from __future__ import annotations

import re
import shutil
import subprocess

import docx
import pytest
from fastapi.testclient import TestClient

import planwriter
from planwriter.serve import Limits, create_app
from planwriter.serve.cli import is_loopback
from planwriter.serve.jobs import file_name, plan_yaml

from serving import ROOT, TOWNSHIP_YAML, YAML, LiveServer, wait_until


@pytest.fixture(scope="module")
def app():
    return create_app(planwriter.Environment(), limits=Limits(workers=1, memory=3 << 30))


def test_a_worker_that_died_is_replaced(app):
    with TestClient(app) as client:
        assert client.post("/v1/render?to=md", content=TOWNSHIP_YAML, headers=YAML).status_code == 200
        pool = app.state.planwriter.pool
        [worker] = pool._all
        worker.process.kill()
        worker.process.wait(10)
        r = client.post("/v1/render?to=md", content=TOWNSHIP_YAML, headers=YAML)
        assert r.status_code == 200 and r.text.startswith("# 青山镇卫生院")
        assert len(pool._all) == 1 and pool._all[0] is not worker


def test_workers_run_with_the_memory_limit_in_a_session_of_their_own(app):
    with TestClient(app) as client:
        client.post("/v1/render?to=md", content=TOWNSHIP_YAML, headers=YAML)
        [worker] = app.state.planwriter.pool._all
        limits = open(f"/proc/{worker.process.pid}/limits").read()
        assert re.search(r"Max address space\s+3221225472\s+3221225472", limits)
        assert open(f"/proc/{worker.process.pid}/stat").read().split()[5] == str(worker.process.pid)


def test_workers_stop_with_the_server(app):
    with TestClient(app) as client:
        client.post("/v1/render?to=md", content=TOWNSHIP_YAML, headers=YAML)
        [worker] = app.state.planwriter.pool._all
    assert worker.process.poll() is not None


def test_loopback_hosts():
    assert all(map(is_loopback, ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "192.168.1.5", "example.org", ""]))


def test_download_names_carry_no_path_or_reserved_characters():
    assert file_name("青山镇卫生院2025年工作计划", ".docx") == "青山镇卫生院2025年工作计划.docx"
    assert file_name("../../etc/passwd", ".md") == "etc passwd.md"
    assert file_name('A: "B" <C>\n', ".md") == "A B C.md"
    assert file_name("...", ".pdf") == "plan.pdf"
    assert len(file_name("长" * 500, ".docx")) == 85


def test_plan_yaml_reads_back_as_the_same_plan(township):
    text = plan_yaml(township)
    assert planwriter.loads(text).model_dump() == township.model_dump()
    name = township.meta.organisation.root
    assert f"{{zh: {name['zh']}, en: {name['en']}}}" in text
    assert "items: []" not in text and "params: {}" not in text  # defaults are left out


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_the_readme_curl_example_works(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [block] = [b for b in re.findall(r"```sh\n(.*?)```", readme, flags=re.S) if "curl " in b]
    (tmp_path / "plan.yaml").write_bytes(TOWNSHIP_YAML)
    server = LiveServer(limits=Limits(workers=1))
    try:
        script = block.replace("http://127.0.0.1:8000", server.url)
        r = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    finally:
        server.close()
    assert r.returncode == 0, r.stderr
    assert r.stdout == '{"findings":[],"errors":0,"warnings":0}'
    assert docx.Document(str(tmp_path / "plan.docx")).paragraphs[0].text == "青山镇卫生院2025年工作计划"


def test_a_killed_worker_takes_what_it_started_with_it():
    """Work past the time limit may have started programs in sessions of their own (LibreOffice
    converting to PDF does); killing the worker kills them too."""
    from planwriter.serve.workers import _Worker, _descendants

    tree = subprocess.Popen(["bash", "-c", "setsid sleep 300 & sleep 300 & wait"],
                            start_new_session=True)
    wait_until(lambda: len(_descendants(tree.pid)) == 2)
    children = _descendants(tree.pid)
    worker = _Worker.__new__(_Worker)
    worker.process, worker.conn = tree, type("Conn", (), {"close": lambda self: None})()
    worker.kill()
    for pid in children:
        wait_until(lambda: not _alive(pid))


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not hasattr(planwriter.Environment, "render_pdf"),
                    reason="this planwriter has no Environment.render_pdf")
def test_pdf_without_libreoffice_is_501(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # workers start with this PATH: no soffice on it
    server = LiveServer(limits=Limits(workers=1))
    try:
        import httpx
        r = httpx.post(server.url + "/v1/render?to=pdf", content=TOWNSHIP_YAML, headers=YAML,
                       timeout=120)
        health = httpx.get(server.url + "/healthz").json()
    finally:
        server.close()
    assert r.status_code == 501 and "LibreOffice" in r.json()["error"]
    assert health["pdf"] is False
