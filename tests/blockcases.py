"""Every block of the library as rendered for every institution type it declares, for tests.

Blocks are rendered through planwriter's own environment (``tools/seed_coverage.py``
sets up the sample context), so the tests read what users get.
"""
from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
import seed_coverage as sc  # noqa: E402

from planwriter.composer import parse_markup  # noqa: E402
from planwriter.environment import localise  # noqa: E402

LOCALES = ("zh", "en")
BLOCKS = sc.load_blocks()
KEYS = sorted(BLOCKS)
#: (key, org_type) for every institution type each block declares.
CASES = [(k, t) for k in KEYS for t in BLOCKS[k]["org_types"]]
ENV = sc.LIBRARY


@functools.lru_cache(maxsize=None)
def _render(key: str, locale: str, org_type: str, params: str) -> str:
    return sc.render_block(key, locale, json.loads(params), org_type=org_type)


def render(key: str, locale: str, org_type: str, params: dict | None = None) -> str:
    """Block ``key`` in ``locale`` for an institution of ``org_type``."""
    return _render(key, locale, org_type, json.dumps(params or {}, sort_keys=True))


def pieces(key: str, locale: str, org_type: str, params: dict | None = None):
    return parse_markup(render(key, locale, org_type, params), locale)


def sentinels(key: str, which: int = 0) -> dict:
    """A value for every parameter of ``key`` that appears nowhere else in its text:
    distinct per parameter, and a second set (``which=1``) distinct from the first."""
    out = {}
    for i, (name, spec) in enumerate(sorted((BLOCKS[key].get("params") or {}).items())):
        kind = spec["type"]
        if kind == "percent":
            out[name] = 61.5 + 2 * i + which
        elif kind == "count":
            out[name] = 71 + 2 * i + which
        elif kind == "number":
            out[name] = 81.5 + 2 * i + which
        elif kind == "month":
            out[name] = 2 + i + 6 * which
        else:
            out[name] = {"zh": f"〔测试{i}{which}〕", "en": f"[test {i}{which}]"}
    return out


def shown(value, locale: str, spec: dict | None = None) -> str:
    """How a parameter value (of a parameter declared as ``spec``) is written in ``locale``:
    a month as 3月 / March, an amount in 万元 as 50万元 / CNY 500,000."""
    value = localise(value, locale)
    filters = ENV.jinja(locale).filters
    kind, unit = (spec or {}).get("type"), (spec or {}).get("unit")
    if kind == "month":
        return f"{value}月" if locale == "zh" else filters["month_name"](value)
    if unit == "wan_yuan":
        if locale == "zh":
            return f"{value:g}万元"
        return "CNY " + (f"{filters['num'](round(value / 100, 2))} million" if value >= 100
                         else filters["num"](value * 10000))
    if isinstance(value, (int, float)):
        return filters["num"](value)
    return value


def spec(key: str, name: str) -> dict:
    return BLOCKS[key]["params"][name]


# -- the measures a text states: numbers, as officials and English writers write them ----
_MONTHS = {m: i for i, m in enumerate(["January", "February", "March", "April", "May", "June", "July",
                                       "August", "September", "October", "November", "December"], 1)}
_ZH_NUMBER = re.compile(r"(?<![\dA-Za-z])(\d+(?:\.\d+)?)(万|亿)?")
_ZH_MONTH = re.compile(r"(?<!个)(?<![\d.])(\d{1,2})月(?!份?\d)")
_EN_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(million))?(?!\w)")
_EN_ORDINAL = re.compile(r"\b\d+(?:st|nd|rd|th)\b")
_EN_MONTH = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b")


def measures(text: str, locale: str) -> tuple[list[float], list[int]]:
    """The numbers a text states (万 and million multiplied out, thousands separators and
    ordinals such as 14th left aside) and the months it names, both sorted.

    Chinese numerals and English number words are words, not measures: 三会一课 and
    "once a year" carry none.
    """
    if locale == "zh":
        months = [int(m) for m in _ZH_MONTH.findall(text)]
        rest = _ZH_MONTH.sub(" ", text)
        numbers = [float(n) * {"万": 1e4, "亿": 1e8}.get(u, 1) for n, u in _ZH_NUMBER.findall(rest)]
    else:
        months = [_MONTHS[m] for m in _EN_MONTH.findall(text)]
        rest = _EN_ORDINAL.sub(" ", text)
        numbers = [float(n.replace(",", "")) * (1e6 if mil else 1) for n, mil in _EN_NUMBER.findall(rest)]
    return sorted(round(n, 6) for n in numbers), sorted(months)
