"""Shared fixtures: paths, the default environment and golden-file comparison.

Run ``pytest --update-goldens`` to rewrite golden files after an intended change,
then review the diff.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import planwriter

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def _languages(path: Path) -> list[str]:
    import yaml
    return yaml.safe_load(path.read_text(encoding="utf-8"))["meta"].get("locales", ["zh"])


#: Every example in every language it is written in.
EXAMPLE_CASES = [pytest.param(p, loc, id=f"{loc}-{p.stem}") for p in EXAMPLE_FILES for loc in _languages(p)]


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", help="rewrite golden files")


@pytest.fixture
def golden(request):
    update = request.config.getoption("--update-goldens")

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if update or not path.exists():
            if not update:
                pytest.fail(f"golden file {path} is missing; run pytest --update-goldens")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
        assert actual == path.read_text(encoding="utf-8"), f"output differs from {path}"
    return check


@pytest.fixture(scope="session")
def township():
    return planwriter.load(EXAMPLES / "township-health-center.yaml")


def make_plan(sections, locales=("zh", "en"), **meta):
    """A minimal valid plan around ``sections``, for tests."""
    data = {"meta": {"organisation": {"zh": "青山镇卫生院", "en": "Qingshan Township Health Center"},
                     "year": 2025, "locales": list(locales), **meta},
            "sections": sections}
    if len(locales) == 1:
        data["meta"]["organisation"] = data["meta"]["organisation"][locales[0]]
    return planwriter.Plan.model_validate(data)
