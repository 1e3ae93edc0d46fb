"""Fuzzing the API from its own OpenAPI description: no input gets a 500, every error is JSON."""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st

import planwriter
from planwriter.serve import Limits, create_app
from planwriter.serve.jobs import plan_json

from serving import TOWNSHIP_YAML

APP = create_app(planwriter.Environment(), limits=Limits(workers=2, timeout=20))
SPEC = APP.openapi()
OPERATIONS = [(path, method, op) for path, item in SPEC["paths"].items()
              for method, op in item.items()]
PLAN = plan_json(planwriter.loads(TOWNSHIP_YAML.decode("utf-8")))
CONTENT_TYPES = ["application/json", "application/yaml", "text/yaml", "application/x-yaml",
                 "text/plain", "multipart/form-data; boundary=x", "", "application/json; charset=latin-1"]


@pytest.fixture(scope="module")
def client():
    with TestClient(APP, raise_server_exceptions=False) as c:
        yield c


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=12)


@st.composite
def mutated_plans(draw):
    """The township plan with one part replaced, removed or given an unknown field."""
    data = json.loads(json.dumps(PLAN))
    node, path = data, []
    for _ in range(draw(st.integers(0, 6))):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        key = draw(st.sampled_from(keys))
        if not isinstance(node[key], (dict, list)):
            break
        node, path = node[key], path + [key]
    keys = list(node) if isinstance(node, dict) else list(range(len(node)))
    action = draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "add" or not keys:
        if isinstance(node, dict):
            node[draw(st.text(min_size=1, max_size=10))] = draw(json_values)
        else:
            node.append(draw(json_values))
    elif action == "delete":
        del node[draw(st.sampled_from(keys))]
    else:
        node[draw(st.sampled_from(keys))] = draw(json_values)
    return data


def encoded(draw, data) -> tuple[bytes, str]:
    as_yaml = draw(st.booleans())
    if as_yaml:
        return yaml.safe_dump(data, allow_unicode=True).encode("utf-8"), "application/yaml"
    return json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json"


@st.composite
def bodies(draw):
    kind = draw(st.sampled_from(["plan", "json", "bytes", "text"]))
    if kind == "plan":
        body, content_type = encoded(draw, draw(mutated_plans()))
    elif kind == "json":
        body, content_type = encoded(draw, draw(json_values))
    elif kind == "bytes":
        body, content_type = draw(st.binary(max_size=300)), "application/json"
    else:
        body, content_type = draw(st.text(max_size=300)).encode("utf-8"), "application/yaml"
    if draw(st.integers(0, 9)) == 0:
        content_type = draw(st.sampled_from(CONTENT_TYPES))
    return body, content_type


def parameter(draw, spec) -> str:
    schema = spec.get("schema", {})
    options = [o.get("enum", []) for o in schema.get("anyOf", [schema])]
    known = [str(v) for group in options for v in group]
    if known and draw(st.booleans()):
        return draw(st.sampled_from(known))
    if any(o.get("type") == "integer" for o in schema.get("anyOf", [schema])) and draw(st.booleans()):
        return str(draw(st.integers(-10**6, 10**6)))
    return draw(st.text(st.characters(blacklist_categories=["Cs"]), max_size=20))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_no_request_gets_an_internal_error(client, data):
    path, method, op = data.draw(st.sampled_from(OPERATIONS))
    url, query = path, {}
    for p in op.get("parameters", []):
        if p["in"] == "path":
            value = parameter(data.draw, p) or "x"
            url = url.replace("{" + p["name"] + "}", quote(value, safe="/"))
        elif p["in"] == "query" and data.draw(st.booleans()):
            query[p["name"]] = parameter(data.draw, p)
    if "blocks/{key}" in path and data.draw(st.booleans()):
        query[data.draw(st.sampled_from(["hand_hygiene_rate", "lead_department", "x"]))] = \
            parameter(data.draw, {})
    kwargs = {"params": query}
    if method == "post":
        if path == "/v1/import":
            kwargs["files"] = {"file": (data.draw(st.text(max_size=20)) or "f",
                                        data.draw(st.binary(max_size=200)))}
        else:
            body, content_type = data.draw(bodies())
            kwargs.update(content=body, headers={"content-type": content_type} if content_type else {})
    r = client.request(method.upper(), url, **kwargs)
    assert r.status_code < 500 or r.status_code in (501, 503), (r.status_code, r.text[:500])
    if r.status_code >= 400:
        body = r.json()
        assert body["error"] and "\n" not in body["error"]
        assert str(r.status_code) in op["responses"] or r.status_code in (404, 405), \
            f"{r.status_code} is not documented for {method.upper()} {path}"
    elif path == "/v1/render":
        expected = {"docx": "application/vnd.openxmlformats", "md": "text/markdown",
                    "pdf": "application/pdf", "yaml": "application/yaml"}[query.get("to", "docx")]
        assert r.headers["content-type"].startswith(expected)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(plan=mutated_plans(), to=st.sampled_from(["md", "docx", "yaml"]))
def test_a_plan_that_validates_renders(client, plan, to):
    """validate composes every language; render the first: what validates, renders."""
    valid = client.post("/v1/validate", json=plan)
    rendered = client.post(f"/v1/render?to={to}", json=plan)
    assert valid.status_code in (200, 422) and rendered.status_code in (200, 422)
    if valid.status_code == 200:  # valid in every language, so in the first one too
        assert rendered.status_code == 200, rendered.text[:500]
    if rendered.status_code == 422:
        assert valid.status_code == 422 and rendered.json()["errors"]
