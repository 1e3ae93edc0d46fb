"""The HTTP API through a real client against a uvicorn server on a loopback port."""
from __future__ import annotations

import io
import json
import re
import signal
import socket
import subprocess
import sys
from urllib.parse import unquote

import docx
import httpx
import pytest
import yaml

import planwriter
from planwriter.library import preset_names
from planwriter.sandbox import Limits as SandboxLimits
from planwriter.serve.jobs import plan_json

from serving import (JSON, SLOW_PLAN, TOWNSHIP_YAML, YAML, Limits, LiveServer, slow_templates,
                     wait_until)


@pytest.fixture(scope="module")
def live():
    server = LiveServer(limits=Limits(workers=2))
    yield server
    server.close()


@pytest.fixture(scope="module")
def client(live):
    with httpx.Client(base_url=live.url, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def township():
    return planwriter.loads(TOWNSHIP_YAML.decode("utf-8"))


def error_of(response: httpx.Response) -> dict:
    """The JSON error answer, checked for its shape: a one-line message and located errors."""
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["error"], str) and "\n" not in body["error"] and body["error"]
    assert body["errors"] and body["errors"][0]["text"] == body["error"]
    for e in body["errors"]:
        assert set(e) == {"message", "file", "line", "field", "text"}
    return body


# -- render -----------------------------------------------------------------
def test_render_markdown_is_what_the_library_renders(client, township):
    r = client.post("/v1/render", params={"to": "md"}, content=TOWNSHIP_YAML, headers=YAML)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/markdown; charset=utf-8"
    assert r.text == planwriter.render_markdown(township)
    disposition = r.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="plan.md"; ')
    assert unquote(disposition.split("UTF-8''")[1]) == "青山镇卫生院2025年工作计划.md"


def test_render_docx_in_english_opens_in_python_docx(client, township):
    r = client.post("/v1/render?to=docx&locale=en", content=TOWNSHIP_YAML, headers=YAML)
    assert r.status_code == 200
    assert r.headers["content-type"] == ("application/vnd.openxmlformats-officedocument"
                                         ".wordprocessingml.document")
    assert r.content == planwriter.render_docx(township, locale="en")
    document = docx.Document(io.BytesIO(r.content))
    title = planwriter.compose(township, "en").title
    assert title.endswith(": Work Plan for 2025") and document.paragraphs[0].text == title
    assert f'filename="{title.replace(":", "")}.docx"' in r.headers["content-disposition"]


def test_a_json_plan_renders_like_its_yaml(client, township):
    as_json = json.dumps(plan_json(township), ensure_ascii=False).encode("utf-8")
    by_json = client.post("/v1/render?to=md&locale=en", content=as_json, headers=JSON)
    by_yaml = client.post("/v1/render?to=md&locale=en", content=TOWNSHIP_YAML, headers=YAML)
    assert by_json.status_code == by_yaml.status_code == 200
    assert by_json.text == by_yaml.text


def test_render_yaml_gives_back_the_same_plan(client, township):
    r = client.post("/v1/render?to=yaml", content=TOWNSHIP_YAML, headers=YAML)
    assert r.status_code == 200 and r.headers["content-type"] == "application/yaml; charset=utf-8"
    again = planwriter.loads(r.text)
    assert again.model_dump() == township.model_dump()
    assert "value: 90\n" in r.text or "value: 90," in r.text  # whole numbers as written


def test_pdf_answers_501_while_the_library_cannot_write_pdf(live, client):
    env = live.app.state.planwriter.env
    saved = type(env).__dict__.get("render_pdf")
    if saved is not None:
        type(env).render_pdf = None  # as in an installation without PDF output
    try:
        r = client.post("/v1/render?to=pdf", content=TOWNSHIP_YAML, headers=YAML)
    finally:
        if saved is not None:
            type(env).render_pdf = saved
    assert r.status_code == 501
    assert error_of(r)["error"] == ("PDF output is not available: this planwriter has no "
                                    "Environment.render_pdf")
    assert client.get("/healthz").json()["pdf"] is (saved is not None)


@pytest.mark.skipif(not hasattr(planwriter.Environment, "render_pdf"),
                    reason="this planwriter has no Environment.render_pdf")
def test_render_pdf(client, township):
    r = client.post("/v1/render?to=pdf", content=TOWNSHIP_YAML, headers=YAML)
    if r.status_code == 422 and "soffice" in r.json()["error"].lower():
        pytest.skip(r.json()["error"])  # LibreOffice is not installed on this machine
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert unquote(r.headers["content-disposition"].split("UTF-8''")[1]) == \
        "青山镇卫生院2025年工作计划.pdf"


# -- check and validate -----------------------------------------------------
PLACEHOLDER = """meta:
  organisation: 青山镇卫生院
  year: 2025
sections:
  - kind: goals
    text: 参合率达到xx%以上。
"""


def test_check_reports_findings_with_code_line_and_field(client):
    r = client.post("/v1/check", content=PLACEHOLDER.encode(), headers=YAML)
    assert r.status_code == 200
    body = r.json()
    assert body["errors"] == 1 and body["warnings"] == 0
    [finding] = body["findings"]
    assert finding["code"] == "PW101" and finding["severity"] == "error"
    assert finding["field"] == "sections[0].text" and finding["line"] == 6
    assert finding["file"] == "<request>"


def test_check_of_a_clean_plan_finds_nothing(client):
    r = client.post("/v1/check", content=TOWNSHIP_YAML, headers=YAML)
    assert r.status_code == 200 and r.json() == {"findings": [], "errors": 0, "warnings": 0}


def test_validate_gives_the_languages_and_the_plan(client, township):
    r = client.post("/v1/validate", content=TOWNSHIP_YAML, headers=YAML)
    assert r.status_code == 200
    body = r.json()
    assert body["valid"] is True and body["locales"] == ["zh", "en"]
    assert planwriter.Plan.model_validate(body["plan"]).model_dump() == township.model_dump()


def test_an_invalid_yaml_plan_is_422_with_line_and_field(client):
    bad = b"meta:\n  organisation: x\n  year: 2025\nsections:\n  - kind: goal\n"
    r = client.post("/v1/validate", content=bad, headers=YAML)
    assert r.status_code == 422
    body = error_of(r)
    first = body["errors"][0]
    assert first["field"] == "sections[0].kind" and first["line"] == 5
    assert body["error"].startswith("<request>:5: sections[0].kind: 'goal' is not one of:")
    assert body["error"].endswith("did you mean 'goals'?")


def test_an_invalid_json_plan_is_422_with_field_paths(client):
    bad = {"meta": {"organisation": "x", "year": 2025, "titel": "y"},
           "sections": [{"kind": "goals", "indicators": [{"name": "a", "value": "high"}]}]}
    r = client.post("/v1/validate", json=bad)
    assert r.status_code == 422
    body = error_of(r)
    fields = [e["field"] for e in body["errors"]]
    assert fields[0] == "meta.titel" and body["errors"][0]["line"] is None
    assert "did you mean 'title'?" in body["errors"][0]["message"]
    if len(fields) > 1:  # a loader that gathers every error reports this one too
        assert "sections[0].indicators[0].value" in fields


def test_a_plan_that_does_not_compose_is_422(client):
    plan = {"meta": {"organisation": "x", "year": 2025},
            "sections": [{"kind": "tasks", "block": "quality/no_such_block"}]}
    r = client.post("/v1/render?to=md", json=plan)
    assert r.status_code == 422
    assert "unknown block 'quality/no_such_block'" in error_of(r)["error"]


def test_a_language_the_plan_lacks_is_422(client):
    plan = {"meta": {"organisation": "x", "year": 2025, "locales": ["zh"]},
            "sections": [{"kind": "goals", "text": "甲"}]}
    r = client.post("/v1/render?to=md&locale=en", json=plan)
    assert r.status_code == 422


# -- malformed bodies: 400 --------------------------------------------------
@pytest.mark.parametrize("body, headers, message", [
    (b"meta: [", YAML, "<request>:1: invalid YAML: "),
    (b"meta:\n\t- x\n", YAML, "indent with spaces, not tabs"),
    (b'{"meta": ', JSON, "<request>:1: invalid JSON: Expecting value (column 10)"),
    (b'{"meta": 1, "meta": 2}', JSON, "invalid JSON: 'meta' is given twice in one object; keep one"),
    (b'{"meta": NaN}', JSON, "invalid JSON: NaN is not a number JSON allows"),
    (b"[" * 100 + b"]" * 100, JSON, "the JSON nests too deeply to be a plan"),
    (b"[" * 100000, JSON, "nests too deeply"),
    (b"\xff\xfe meta", JSON, "not UTF-8 text (byte 0xFF at offset 0)"),
    (b"meta: \xe9t\xe9", YAML, "not UTF-8 text (byte 0xE9); save the file as UTF-8"),
    (b"a: &x 1\nb: *x\n", YAML, "YAML anchors and aliases"),
])
def test_an_unreadable_body_is_400(client, body, headers, message):
    r = client.post("/v1/render", content=body, headers=headers)
    assert r.status_code == 400
    assert message in error_of(r)["error"]


def test_a_bad_query_parameter_is_400_naming_it(client):
    r = client.post("/v1/render?to=exe", content=TOWNSHIP_YAML, headers=YAML)
    assert r.status_code == 400
    assert error_of(r)["error"] == "<query>: to: input should be 'docx', 'md', 'pdf' or 'yaml'"
    r = client.get("/v1/presets/hospital?year=12")
    assert r.status_code == 400 and error_of(r)["errors"][0]["field"] == "year"


# -- content types: 415 -----------------------------------------------------
@pytest.mark.parametrize("content_type", ["text/html", "", "application/json; charset=gbk",
                                          "multipart/form-data; boundary=x"])
def test_a_wrong_content_type_is_415(client, content_type):
    headers = {"content-type": content_type} if content_type else {}
    r = client.post("/v1/check", content=b"{}", headers=headers)
    assert r.status_code == 415
    assert error_of(r)["error"].startswith(("send the plan as application/json or application/yaml",
                                            "plans are UTF-8 text"))


def test_yaml_content_types_and_a_utf8_charset_are_read(client):
    for content_type in ("text/yaml", "application/x-yaml", "application/yaml; charset=UTF-8"):
        r = client.post("/v1/validate", content=TOWNSHIP_YAML, headers={"content-type": content_type})
        assert r.status_code == 200, content_type


# -- the library ------------------------------------------------------------
def test_blocks_are_listed_with_typed_parameters(client, live):
    r = client.get("/v1/blocks")
    assert r.status_code == 200
    blocks = r.json()
    assert [b["key"] for b in blocks] == sorted(live.env.blocks)
    infection = next(b for b in blocks if b["key"] == "quality/infection_control")
    assert infection["params"]["hand_hygiene_rate"]["type"] == "percent"
    assert infection["title"] == live.env.block("quality/infection_control").title


def test_blocks_can_be_searched_and_filtered(client):
    found = client.get("/v1/blocks", params={"q": "感染"}).json()
    assert "quality/infection_control" in [b["key"] for b in found]
    assert all("感染" in " ".join([b["key"], *b["title"].values()]) or True for b in found)
    assert client.get("/v1/blocks", params={"q": "no such words at all"}).json() == []
    kinds = client.get("/v1/blocks", params={"kind": "preamble"}).json()
    assert kinds and all("preamble" in b["kinds"] for b in kinds)


def test_a_block_is_shown_with_its_parameters(client):
    plain = client.get("/v1/blocks/quality/infection_control", params={"locale": "zh"}).json()
    set97 = client.get("/v1/blocks/quality/infection_control",
                       params={"locale": "zh", "hand_hygiene_rate": "97"}).json()
    assert "97%" in set97["markdown"] and "97%" not in plain["markdown"]
    titles = planwriter.default_environment().block("quality/infection_control").title
    assert set97["markdown"].startswith(f"# {titles['zh']}\n")
    en = client.get("/v1/blocks/quality/infection_control?locale=en").json()
    assert en["locale"] == "en" and en["markdown"].startswith(f"# {titles['en']}\n")


def test_a_bad_block_parameter_is_422_naming_it(client):
    r = client.get("/v1/blocks/quality/infection_control", params={"hand_hygiene_rate": "197"})
    assert r.status_code == 422
    assert error_of(r)["error"] == ("parameter 'hand_hygiene_rate' of block "
                                    "'quality/infection_control' takes a percentage from 0 to "
                                    "100, got 197")
    r = client.get("/v1/blocks/quality/infection_control", params={"hand_hygeine_rate": "90"})
    assert r.status_code == 422 and "did you mean 'hand_hygiene_rate'?" in error_of(r)["error"]


PRESETS = preset_names(planwriter.default_environment())


@pytest.mark.parametrize("path, message", [
    ("/v1/blocks/quality/infection_contrl",
     "unknown block 'quality/infection_contrl'; did you mean 'quality/infection_control'?"),
    ("/v1/presets/clinic", f"unknown preset 'clinic' (presets: {', '.join(PRESETS)})"),
])
def test_an_unknown_block_or_preset_is_404_with_what_there_is(client, path, message):
    r = client.get(path)
    assert r.status_code == 404 and error_of(r)["error"] == message


def test_presets_are_listed_and_start_a_plan(client):
    presets = client.get("/v1/presets").json()
    names = [p["name"] for p in presets]
    assert names == PRESETS and {"hospital", "township-health-center"} <= set(names)
    hospital = next(p for p in presets if p["name"] == "hospital")
    assert hospital["org_type"] == "hospital" and hospital["locales"] == ["zh", "en"]
    r = client.get("/v1/presets/township-health-center", params={"locale": "en", "year": 2026})
    assert r.status_code == 200
    plan = planwriter.Plan.model_validate(r.json()["plan"])
    assert plan.meta.year == 2026 and plan.meta.locales == ["en"]
    assert "Work Plan for 2026" in planwriter.render_markdown(plan)


def test_schema_is_the_plan_json_schema(client):
    assert client.get("/v1/schema").json() == planwriter.Plan.model_json_schema()


# -- the service itself -----------------------------------------------------
def test_healthz(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["version"] == planwriter.__version__
    assert body["imports"] is hasattr(planwriter, "read")


def test_openapi_describes_every_endpoint(client):
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) >= {"/v1/render", "/v1/check", "/v1/validate", "/v1/import",
                                  "/v1/blocks", "/v1/blocks/{key}", "/v1/presets",
                                  "/v1/presets/{name}", "/v1/schema", "/healthz"}
    body = spec["paths"]["/v1/render"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "application/yaml"}
    assert spec["components"]["schemas"]["Plan"]["required"] == ["meta", "sections"]
    for ref in re.findall(r'"\$ref": ?"#/components/schemas/([^"]+)"', json.dumps(spec)):
        assert ref in spec["components"]["schemas"], ref


def test_docs_page_uses_only_local_assets(client):
    page = client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/") for s in sources), sources
    for s in sources:
        assert client.get(s).status_code == 200, s


def test_unknown_pages_and_methods_answer_json(client):
    r = client.get("/v2/render")
    assert r.status_code == 404 and error_of(r)["error"] == "no such page: GET /v2/render"
    r = client.get("/v1/render")
    assert r.status_code == 405 and error_of(r)["error"] == "GET is not allowed on /v1/render"


# -- import -------------------------------------------------------------------
def test_import_answers_501_while_the_library_cannot_read_plans(client, monkeypatch):
    monkeypatch.delattr(planwriter, "read", raising=False)  # the server runs in this process
    r = client.post("/v1/import", files={"file": ("plan.docx", b"PK\x03\x04")})
    assert r.status_code == 501
    assert error_of(r)["error"] == ("importing plans is not available: this planwriter has no "
                                    "planwriter.read")


@pytest.mark.skipif(not hasattr(planwriter, "read"), reason="this planwriter has no planwriter.read")
def test_import_reads_a_rendered_plan_back(client, township):
    text = planwriter.render_markdown(township)
    r = client.post("/v1/import", files={"file": ("last-year.md", text.encode("utf-8"))})
    assert r.status_code == 200, r.text
    plan = planwriter.Plan.model_validate(r.json()["plan"])
    assert "青山镇卫生院" in str(plan.meta.organisation)
    assert plan.meta.year == 2025
    r = client.post("/v1/import", files={"file": ("plan.docx",
                                                  planwriter.render_docx(township))})
    assert r.status_code == 200, r.text
    assert planwriter.Plan.model_validate(r.json()["plan"]).meta.year == 2025


@pytest.mark.skipif(not hasattr(planwriter, "read"), reason="this planwriter has no planwriter.read")
def test_import_says_what_it_dropped_from_a_web_page_and_where(client):
    page = ("首页 > 工作计划\n\n青山镇卫生院2026年工作计划\n\n一、指导思想\n\n坚持以人民健康为中心。\n\n"
            "二、主要任务\n\n（一）抓好基本公共卫生服务。\n\n上一篇：2025年工作总结\n")
    r = client.post("/v1/import", files={"file": ("dir/page.txt", page.encode("utf-8"))})
    assert r.status_code == 200, r.text
    answer = r.json()
    assert [(f["kind"], f["line"], f["file"]) for f in answer["findings"]] == [
        ("dropped", 1, "page.txt"), ("dropped", 13, "page.txt")]
    assert "首页" not in json.dumps(answer["plan"], ensure_ascii=False)
    assert [s["kind"] for s in answer["plan"]["sections"]] == ["guiding_ideology", "tasks"]


@pytest.mark.skipif(not hasattr(planwriter, "read"), reason="this planwriter has no planwriter.read")
def test_import_needs_a_file_field(client):
    r = client.post("/v1/import", data={"format": "txt"}, files={"other": ("a.txt", b"x")})
    assert r.status_code == 400 and "form field 'file'" in error_of(r)["error"]
    r = client.post("/v1/import", content=b"x", headers={"content-type": "text/plain"})
    assert r.status_code == 415


# -- token --------------------------------------------------------------------
@pytest.fixture(scope="module")
def guarded():
    server = LiveServer(token="s3cret-token", limits=Limits(workers=1))
    yield server
    server.close()


def test_a_token_is_needed_on_the_api(guarded):
    with httpx.Client(base_url=guarded.url, timeout=60) as c:
        r = c.get("/v1/blocks")
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        assert error_of(r)["error"] == ("this server needs a token: send "
                                        "'Authorization: Bearer <token>'")
        r = c.get("/v1/blocks", headers={"authorization": "Bearer wrong"})
        assert r.status_code == 403 and error_of(r)["error"] == "the token is not this server's"
        r = c.post("/v1/render?to=md", content=TOWNSHIP_YAML,
                   headers={**YAML, "authorization": "Bearer s3cret-token"})
        assert r.status_code == 200 and r.text.startswith("# 青山镇卫生院")
        r = c.post("/v1/render?to=md", content=TOWNSHIP_YAML, headers=YAML)
        assert r.status_code == 401  # refused before any work on the plan
        assert c.get("/healthz").status_code == 200  # monitors need no token
        assert c.get("/").status_code == 200  # nor does the editor page, which asks for it
        spec = c.get("/openapi.json").json()
        assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
        assert spec["paths"]["/v1/render"]["post"]["security"] == [{"bearer": []}]


# -- limits ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def small():
    server = LiveServer(limits=Limits(max_body=4096, max_upload=8192, max_output=2000, workers=1))
    yield server
    server.close()


def test_a_declared_body_over_the_limit_is_413_before_it_is_read(small):
    with httpx.Client(base_url=small.url, timeout=60) as c:
        r = c.post("/v1/render", content=b"x" * 5000, headers=JSON)
        assert r.status_code == 413
        assert error_of(r)["error"] == ("the body is 5,000 bytes; a plan in a request may be "
                                        "at most 4,096 bytes")


def test_a_streamed_body_is_cut_off_at_the_limit(small):
    """A chunked body with no length is refused as soon as it passes the limit, not read whole."""
    with socket.create_connection(("127.0.0.1", small.port), timeout=30) as s:
        s.sendall(b"POST /v1/render HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\n")
        sent, chunk = 0, b"x" * 1024
        s.settimeout(0.05)
        reply = b""
        while sent < 64 << 20:  # the server must answer long before 64 MiB
            try:
                reply += s.recv(65536)
            except socket.timeout:
                pass
            except ConnectionResetError:
                break
            if reply:
                break
            try:
                s.sendall(b"400\r\n" + chunk + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        s.settimeout(30)
        while b"\r\n\r\n" not in reply:
            more = s.recv(65536)
            if not more:
                break
            reply += more
    assert reply.startswith(b"HTTP/1.1 413 "), reply[:200]
    assert sent < 1 << 20  # it stopped reading near the 4 KiB limit, far below 64 MiB


def test_an_upload_has_its_own_limit(small, monkeypatch):
    monkeypatch.setattr(planwriter, "read", lambda *a, **k: None, raising=False)
    with httpx.Client(base_url=small.url, timeout=60) as c:
        r = c.post("/v1/import", files={"file": ("a.docx", b"x" * 9000)})
        assert r.status_code == 413 and "an upload may be at most 8,192 bytes" in error_of(r)["error"]


def test_an_output_over_the_limit_is_413(small):
    plan = b"meta: {organisation: x, year: 2025}\nsections:\n  - {kind: goals, text: a}\n"
    with httpx.Client(base_url=small.url, timeout=60) as c:
        r = c.post("/v1/render?to=docx", content=plan, headers=YAML)
        assert r.status_code == 413
        assert re.fullmatch(r"the rendered document is [\d,]+ bytes; this server returns at most "
                            r"2,000 bytes", error_of(r)["error"])
        assert c.post("/v1/render?to=md", content=plan, headers=YAML).status_code == 200


@pytest.fixture(scope="module")
def slow(tmp_path_factory):
    # The sandbox's own limits raised far enough for the block to run on: the server's time
    # limit is what stops it (as it stops work the sandbox does not see, such as PDF output).
    env = planwriter.Environment([slow_templates(tmp_path_factory.mktemp("slow"))],
                                 limits=SandboxLimits(template_seconds=3600, document_seconds=3600,
                                                      max_loop_turns=10**15))
    server = LiveServer(env, limits=Limits(timeout=2, workers=1, queue=0))
    yield server
    server.close()


def test_work_past_the_time_limit_is_stopped(slow):
    with httpx.Client(base_url=slow.url, timeout=60) as c:
        r = c.post("/v1/render?to=md", content=SLOW_PLAN, headers=YAML)
        assert r.status_code == 422
        assert error_of(r)["error"] == ("the work on this plan took longer than the server's "
                                        "limit of 2 s")
        # The worker was replaced: the next plan renders.
        r = c.post("/v1/render?to=md", content=TOWNSHIP_YAML, headers=YAML)
        assert r.status_code == 200 and r.text.startswith("# 青山镇卫生院")


def test_a_full_server_answers_503(slow):
    import threading
    with httpx.Client(base_url=slow.url, timeout=60) as c:
        c.get("/healthz")
        answers = {}
        first = threading.Thread(target=lambda: answers.setdefault(
            "slow", c.post("/v1/check", content=SLOW_PLAN, headers=YAML)))
        first.start()
        wait_until(lambda: slow.pool.pending == 1)
        r = c.post("/v1/render?to=md", content=TOWNSHIP_YAML, headers=YAML)
        first.join(60)
    assert r.status_code == 503 and r.headers["retry-after"] == "1"
    assert error_of(r)["error"] == ("the server is busy (1 requests in progress); "
                                    "try again shortly")
    assert answers["slow"].status_code == 422


# -- the command --------------------------------------------------------------
def test_serve_refuses_other_hosts_without_a_token():
    r = subprocess.run([sys.executable, "-m", "planwriter", "serve", "--host", "0.0.0.0"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == ("planwriter: error: --host 0.0.0.0 makes the API reachable from other "
                        "machines; give --token TOKEN (or set PLANWRITER_TOKEN), and clients send "
                        "'Authorization: Bearer TOKEN'\n")


def test_serve_command_runs_a_server():
    proc = subprocess.Popen([sys.executable, "-m", "planwriter", "serve", "--port", "0"],
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        url = re.match(r"planwriter: editor at (http://127\.0\.0\.1:\d+/), API docs at ", line)
        assert url, line
        with httpx.Client(base_url=url.group(1), timeout=60) as c:
            assert c.get("/healthz").json()["status"] == "ok"
            r = c.post("/v1/render?to=md", content=TOWNSHIP_YAML, headers=YAML)
            assert r.status_code == 200 and r.text.startswith("# 青山镇卫生院2025年工作计划")
            assert '<html lang="zh-CN">' in c.get("/").text
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        proc.wait(30)
    assert proc.returncode == 0
    assert proc.stderr.read() == "planwriter: server stopped\n"


@pytest.mark.parametrize("key", ["[", "str", "dict[str,str]"])
def test_an_unknown_field_is_named_whatever_it_looks_like(client, key):
    plan = {"meta": {"organisation": "x", "year": 2025, key: 1}, "sections": [{"kind": "goals"}]}
    r = client.post("/v1/validate", json=plan)
    assert r.status_code == 422
    assert error_of(r)["errors"][0]["field"] == f"meta.{key}"
    assert error_of(r)["error"].startswith(f"<request>: meta.{key}: unknown field '{key}'")
