"""Bringing existing plans in: ``planwriter import`` and ``planwriter new --from``.

:func:`import_file` reads a plan (or a page of plans) with :mod:`planwriter.readers` and
gives each as the YAML (or JSON) a person would write, checked to load back to the same
plan.  :func:`new_from` turns last year's plan file into this year's: the year, the dates
and the schedule move, last year's targets become this year's baselines, and every target
is marked ``confirmed: false`` for ``planwriter check`` to point at until it is changed or
confirmed.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import PlanError
from .plan_yaml import dump


@dataclass
class Imported:
    """One imported plan, ready to write: its reading, its text and a file name."""

    reading: Any
    text: str
    name: str
    replaced: float = 0.0  # share of the plan's text --match-blocks replaced by blocks
    notes: list[str] = field(default_factory=list)


def plan_text(data: dict, fmt: str = "yaml", source: str = "<import>") -> str:
    """Plan data as YAML or JSON, checked to load back to the same plan."""
    from .loader import loads
    from .model import Plan
    if fmt == "json":
        from .fields import dump_value  # (dates as ISO text)
        text = json.dumps(dump_value(data, True), ensure_ascii=False, indent=2) + "\n"
        return text
    text = dump(data)
    try:
        loaded = loads(text, source)
    except PlanError as e:
        raise PlanError(f"the imported plan does not load back from its YAML: {e}", source) from None
    if loaded.model_dump() != Plan.model_validate(data).model_dump():
        raise PlanError("the imported plan's YAML does not load back to the same plan", source)
    return text


def import_file(source: str | os.PathLike | bytes, *, fmt: str | None = None, split: bool = False,
                org: str | None = None, year: int | None = None, match_blocks: bool = False,
                out_format: str = "yaml", env: Any = None) -> list[Imported]:
    """The plans in ``source`` as :class:`Imported` files (one unless ``split``)."""
    from . import readers
    if env is None:
        from . import default_environment
        env = default_environment()
    readings = readers.read_all(source, fmt, env=env, org=org, year=year,
                                fill=bool(org or year), split=split)
    stem = Path(os.fspath(source)).stem if not isinstance(source, bytes) else "plan"
    ext = ".json" if out_format == "json" else ".yaml"
    out = []
    for k, r in enumerate(readings, 1):
        replaced = 0.0
        if match_blocks:
            from .readers.blocks import match_blocks as match
            replaced = match(r, env)
        text = plan_text(r.data, out_format, f"{stem}{ext}")
        name = f"{stem}{ext}" if len(readings) == 1 else f"{stem}-{k:02d}{ext}"
        out.append(Imported(r, text, name, replaced))
    return out


def report(imported: list[Imported]) -> list[str]:
    """The findings of an import, one line each; for a page of plans, under a line naming
    each plan and the lines it came from."""
    if len(imported) == 1:
        return [str(f) for f in imported[0].reading.findings]
    out = []
    for imp in imported:
        first, last = imp.reading.lines
        out.append(f"{imp.name} (lines {first}–{last}):")
        out.extend("  " + str(f) for f in imp.reading.findings)
    return out


def summary(imported: list[Imported]) -> str:
    """One line: how many plans, and what was dropped, guessed or left blank."""
    counts: dict[str, int] = {}
    for imp in imported:
        for f in imp.reading.findings:
            counts[f.kind] = counts.get(f.kind, 0) + 1
    n = len(imported)
    parts = [f"{counts[k]} {word if k != 'placeholder' or counts[k] == 1 else word + 's'}"
             for k, word in (("dropped", "dropped"), ("guessed", "guessed"), ("placeholder", "placeholder"),
                             ("changed", "changed")) if counts.get(k)]
    text = f"imported {n} plan{'s' if n != 1 else ''}"
    if parts:
        text += " (" + ", ".join(parts) + "; --report lists them)"
    replaced = [i.replaced for i in imported if i.replaced]
    if replaced:
        text += f"; library blocks replace {100 * sum(replaced) / len(imported):.0f}% of the text"
    return text


# -- new --from -----------------------------------------------------------------------
_LEVEL_COMPARATORS = {"at_least", "at_most", "reach", "below", "above", "not_exceeding", "equal",
                      "decrease_to", "≥", "≤", "<", ">", "="}


#: Fields whose strings are not texts to move years in: names of things, and the dates and
#: times that :func:`~planwriter.library.shift_years` moves.
_NOT_TEXTS = frozenset({"kind", "block", "comparator", "unit", "layout", "org_type", "numbering",
                        "when", "date", "start", "end"})


def _shift_year_text(text: str, old: int, delta: int) -> tuple[str, int]:
    """Years near the plan's own (old - 2 … old + 2) moved by ``delta``, in a text."""
    n = 0

    def repl(m: re.Match) -> str:
        nonlocal n
        year = int(m.group(1))
        if old - 2 <= year <= old + 2:
            n += 1
            return str(year + delta)
        return m.group(1)
    text = re.sub(r"(?<!\d)((?:19|20)\d{2})(?!\d)", repl, text)
    return text, n


def new_from(path: str | os.PathLike, year: int) -> tuple[str, list[str]]:
    """This year's plan from last year's file: ``(YAML text, notes)``."""
    from .library import shift_years
    from .loader import load, parse_yaml, read_text
    from . import model as m
    name = os.fspath(path)
    plan = load(name)  # errors in last year's plan are reported as they are
    data, _ = parse_yaml(read_text(name), name)
    meta = data["meta"]
    old = plan.meta.plan_year
    delta = year - old
    notes: list[str] = []
    moved_texts = 0

    def walk(value: Any, key: str = "") -> Any:
        """The years near the plan's own moved in every text (dates and times: below)."""
        nonlocal moved_texts
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str) and key not in _NOT_TEXTS:
            text, n = _shift_year_text(value, old, delta)
            moved_texts += bool(n)
            return text
        return value

    data = shift_years(walk(data), delta)  # dates, the period and schedule times, as presets move
    meta = data["meta"]
    if "year" in meta or "period" not in meta:
        meta["year"] = year
    confirmed_field = "confirmed" in m.Indicator.model_fields
    dict_baseline = _accepts_baseline_with_year()
    targets = 0

    def indicators(node: Any) -> None:
        nonlocal targets
        if isinstance(node, dict):
            for ind in node.get("indicators") or []:
                targets += 1
                comp = ind.get("comparator", "reach")
                if comp in _LEVEL_COMPARATORS and "value" in ind:
                    ind["baseline"] = {"value": ind["value"], "year": old} if dict_baseline else ind["value"]
                if confirmed_field:
                    ind["confirmed"] = False
            for v in node.values():
                indicators(v)
        elif isinstance(node, list):
            for v in node:
                indicators(v)
    indicators(data["sections"])
    notes.append(f"moved the plan from {old} to {year}: dates and schedule by {delta:+d} year"
                 f"{'s' if abs(delta) != 1 else ''}, years in {moved_texts} text"
                 f"{'s' if moved_texts != 1 else ''}")
    if targets:
        notes.append(f"{targets} target{'s' if targets != 1 else ''} to confirm: last year's value "
                     "is now the baseline; planwriter check lists each until it changes or is confirmed")
    text = dump(data)
    from .loader import loads
    loads(text, f"plan for {year}")
    return text, notes


def _accepts_baseline_with_year() -> bool:
    from . import model as m
    try:
        m.Indicator.model_validate({"name": "x", "value": 1, "baseline": {"value": 1, "year": 2025}})
        return True
    except Exception:  # the model has plain baselines only
        return False
