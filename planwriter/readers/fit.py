"""Plan data fitted to the model this planwriter has, losing no text.

The readers write plan data in the model's full contract (:mod:`planwriter.readers.emit`).
What the installed model cannot hold is lowered here, found out by asking the model itself
(its fields, and whether it accepts a value): data it cannot place goes back into the text
it was read from (every data part keeps that text under ``_source``), and frame fields it
lacks are reported.  With the whole contract in the model this changes nothing.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import re
from typing import Any

from .. import model as m
from ..errors import PlanError
from .lines import Findings

_DATA_KEYS = ("indicators", "schedule", "responsibilities", "table", "budget", "actions")
#: Meta fields of the new model whose values are checked one by one before they are written.
_NEW_META = ("subtitle", "status", "doc_number", "addressees", "notice", "attachments", "currency")


@functools.lru_cache(maxsize=None)
def _fields(name: str) -> frozenset[str]:
    cls = getattr(m, name, None)
    return frozenset(cls.model_fields) if cls is not None else frozenset()


@functools.lru_cache(maxsize=None)
def _hant_available() -> bool:
    """Whether this installation can write Traditional Chinese (OpenCC is optional)."""
    try:
        from .. import hant
        hant._converter()
        return True
    except (ImportError, PlanError):
        return False


def _items_back(node: dict) -> dict:
    """A node with the targets and dates read from its items put back as those items."""
    node = dict(node)
    for key in ("indicators", "schedule"):
        if f"_items_{key}" in node:
            node["items"] = node.pop(f"_items_{key}") + node.get("items", [])
            node.pop(key, None)
            node.pop("layout", None)
    if "content" in node:
        node["content"] = [({"items": p[f"_items_{k}"]} if f"_items_{k}" in p else p)
                           for p in node["content"] for k in [next((k for k in ("indicators", "schedule")
                                                                   if f"_items_{k}" in p), "")]]
    return node


def _nearest_style(style: str) -> str:
    """The style this model knows that looks most like one it does not: 壹、 → 一、,
    Objective 1: → 1., 目标一： → 一、."""
    from . import markers
    m = markers.parse(style + ("甲" if not style.isascii() else " x"))
    family = m.family if m else ""
    if family == "cn_financial" or (family.startswith("label:") and not style.isascii()):
        return "一、"
    return {"paren_arabic": "（1）", "paren_cn": "（一）", "circled": "①"}.get(family, "1.")


@functools.lru_cache(maxsize=None)
def _run_in_holds_more() -> bool:
    """Whether this model composes a run-in paragraph (heading: false) with sub-items and data."""
    probe = {"meta": {"organisation": "x", "year": 2025, "locales": ["zh"]},
             "sections": [{"kind": "tasks", "title": "x", "items": [
                 {"heading": False, "text": "甲。", "items": [{"text": "乙。"}]},
                 {"heading": False, "content": [{"text": "丙。"}, {"indicators": [
                     {"name": "丁率", "value": 90, "unit": "percent"}], "layout": "sentence"}]}]}]}
    try:
        from .. import default_environment
        default_environment().compose(m.Plan.model_validate(probe), "zh")
        return True
    except Exception:  # any refusal means no
        return False


def _own_text(node: dict) -> bool:
    """Whether an item's own words come first (the model opens an untitled item with them)."""
    content = node.get("content")
    return bool(content[0].get("text")) if content else bool(node.get("text"))


def _holds_data(node: dict) -> bool:
    return any(k in node for k in _DATA_KEYS) or any(any(k in p for k in _DATA_KEYS)
                                                     for p in node.get("content") or [])


@functools.lru_cache(maxsize=None)
def _untitled_data_ok() -> bool:
    """Whether this model composes an item without a title or text whose sentence is a target."""
    probe = {"meta": {"organisation": "x", "year": 2025, "locales": ["zh"]},
             "sections": [{"kind": "tasks", "title": "x", "items": [
                 {"content": [{"indicators": [{"name": "乙率", "value": 90, "unit": "percent"}],
                               "layout": "sentence", "lead": "甲，"}]}, {"text": "丙。"}]}]}
    try:
        from .. import default_environment
        plan = m.Plan.model_validate(probe)
        default_environment().compose(plan, "zh")
        return True
    except Exception:  # any refusal means no
        return False


def _accepts(name: str, probe: dict) -> bool:
    """Whether model class ``name`` validates ``probe``."""
    return _accepts_json(name, json.dumps(probe, sort_keys=True, ensure_ascii=False, default=str))


@functools.lru_cache(maxsize=4096)
def _accepts_json(name: str, probe: str) -> bool:
    cls = getattr(m, name, None)
    if cls is None:
        return False
    try:
        cls.model_validate(json.loads(probe))
        return True
    except (ValueError, TypeError, PlanError):
        return False


def _indicator_ok(data: dict) -> bool:
    clean = {k: v for k, v in data.items() if not k.startswith("_")}
    return _accepts("Indicator", clean)


def _entry_ok(data: dict) -> bool:
    clean = {k: v for k, v in data.items() if not k.startswith("_")}
    return _accepts("ScheduleEntry", clean)


class Fitter:
    """Lowers one plan's data to what the model accepts, reporting what moved."""

    def __init__(self, findings: Findings) -> None:
        self.findings = findings
        self.node_fields = _fields("Node")
        self.section_fields = _fields("Section")
        self.meta_fields = _fields("Meta")
        self.reported: set[str] = set()
        self.year: int | None = None

    def note(self, key: str, message: str, line: int | None = None) -> None:
        if key not in self.reported:
            self.reported.add(key)
            self.findings.add("changed", message, line)

    def kept(self, part: dict, what: str, said: str) -> None:
        """Reports data read from a sentence that the model would word otherwise: the sentence
        stays in the text as the author wrote it."""
        self.findings.add("kept", f"{what} that would not read as written stay in the text "
                          f"(the plan would say: {said})", part.get("_line"),
                          (part.get("_source") or [""])[0])

    # -- meta ------------------------------------------------------------------------
    def meta(self, meta: dict) -> dict:
        out = {}
        base = {"organisation": "x", "year": 2025}
        for key, value in meta.items():
            if key in self.meta_fields and key == "numbering" and not _accepts("Meta", {**base, key: value}):
                # the styles this model knows; a level in a style it does not gets its default
                kept = [v if _accepts("Meta", {**base, key: [v]}) else _nearest_style(v) for v in value]
                self.note("numbering", "some of the author's numbering styles are not in this "
                          f"planwriter's model: {[v for v, k in zip(value, kept) if k != v]}, written as "
                          f"{[k for v, k in zip(value, kept) if k != v]}")
                if _accepts("Meta", {**base, key: kept}):
                    out[key] = kept
            elif key in self.meta_fields and key in _NEW_META and not _accepts("Meta", {**base, key: value}):
                shown = value if isinstance(value, str) else repr(value)
                self.findings.add("dropped", f"meta.{key} in a form this planwriter's model does not take: {shown}")
            elif key in self.meta_fields:
                out[key] = value
            else:
                shown = value if isinstance(value, str) else repr(value)
                self.findings.add("dropped", f"meta.{key} is not in this planwriter's model: {shown}")
        locales = out.get("locales", ["zh"])
        if not _accepts("Meta", {"organisation": "x", "year": 2025, "locales": locales}) or \
                ("zh-Hant" in locales and not _hant_available()):
            self.note("locale", f"this planwriter has no '{locales[0]}' language; the plan is written as 'zh'")
            out["locales"] = ["zh" if locales[0].startswith("zh") else "en"]
        if "org_type" in out and not _accepts("Meta", {"organisation": "x", "year": 2025,
                                                      "org_type": out["org_type"]}):
            self.note("org_type", f"institution type '{out['org_type']}' is not in this model; wrote 'other'")
            out["org_type"] = "other"
        if isinstance(out.get("issuer"), list) and not _accepts(
                "Meta", {"organisation": "x", "year": 2025, "issuer": ["a", "b"]}):
            self.findings.add("changed", f"several issuers joined into one: {'、'.join(out['issuer'])}")
            out["issuer"] = "、".join(out["issuer"])
        if isinstance(out.get("date"), str) and not _accepts(
                "Meta", {"organisation": "x", "year": 2025, "date": out["date"]}):
            self.findings.add("dropped", f"a month-only date ({out['date']}) does not fit this model's "
                              "meta.date; set a day")
            del out["date"]
        if "year" not in out and "period" not in out and not _accepts("Meta", {"organisation": "x"}):
            year = out["date"].year if isinstance(out.get("date"), dt.date) else dt.date.today().year
            out["year"] = year
            self.findings.add("guessed", f"wrote year {year}: this model needs one (give --year Y)")
        if "period" in out and "year" in out and out["period"]["start"].year != out["year"]:
            del out["period"]
        return out

    # -- body ------------------------------------------------------------------------
    def plan(self, data: dict) -> dict:
        self.year = data["meta"].get("year")
        sections = [self.node(s, f"sections[{i}]", is_section=True) for i, s in enumerate(data["sections"])]
        return {"meta": self.meta(data["meta"]), "sections": sections}

    def node(self, node: dict, path: str, is_section: bool = False) -> dict:
        fields = self.section_fields if is_section else self.node_fields
        node = dict(node)
        if not is_section and not node.get("title") and _holds_data(node) and not _own_text(node) \
                and not _untitled_data_ok():
            # this model makes an item with data a heading, and a heading needs a title: the
            # data of an untitled paragraph goes back into its text
            kids = node.pop("items", None)
            node = without_data(_items_back(node))
            if kids is not None:
                node["items"] = node.get("items", []) + kids
            self.note("untitled", "targets and dates that are the whole of a numbered paragraph stay "
                      "in its text: this planwriter's model needs a title or a text beside data",
                      node.get("_line"))
        if node.get("heading") is False and (node.get("items") or _holds_data(node)
                                             or any("items" in p for p in node.get("content") or [])) \
                and not _run_in_holds_more():
            del node["heading"]  # this model's run-in paragraphs hold text only: a heading it is
            self.note("run-in", "numbered paragraphs with sub-items or data are written as headings: this "
                      "planwriter's model runs in text only", node.get("_line"))
        if "content" in node and "content" not in fields:
            node = self.flatten(node)
        for opt in ("numbering", "numbered", "heading"):
            if opt in node and opt not in fields:
                del node[opt]
                self.note(opt, f"the author's numbering choices ({opt}) are not in this planwriter's "
                          "model: every level is numbered the default way")
            elif opt == "numbering" and opt in node and not _accepts("Node", {"title": "x", opt: node[opt]}):
                near = _nearest_style(node[opt])
                self.note(f"style {node[opt]}", f"the numbering style '{node[opt]}' is not in this planwriter's "
                          f"model: written as '{near}'")
                node[opt] = near
        if "content" in node:
            node["content"] = [self.part(p, path) for p in node["content"]]
            for k, p in enumerate(node["content"]):
                if "items" in p:
                    p["items"] = [self.node(c, f"{path}.content[{k}].items[{i}]") for i, c in enumerate(p["items"])]
        else:
            node = self.part(node, path, whole=node)
        if "items" in node:
            node["items"] = [self.node(c, f"{path}.items[{i}]") for i, c in enumerate(node["items"])]
        return _clean(node)

    def part(self, part: dict, path: str, whole: dict | None = None) -> dict:
        """Data the model cannot hold turned back into its text."""
        part = dict(part)
        texts: list[str] = []
        if "indicators" in part:
            ok = all(_indicator_ok(i) for i in part["indicators"])
            if part.get("_garbled"):
                ok = False
                self.kept(part, "targets", part["_garbled"])
            layout = part.get("layout")
            if layout and not _accepts("Node", {"title": "x", "indicators": [{"name": "a", "value": 1}],
                                                 "layout": layout}):
                ok = False
            if any(k in part and k not in self.node_fields for k in ("lead", "tail")) \
                    and "content" not in self.node_fields:
                ok = False
            if not ok and "_items_indicators" in part:
                # a list of targets goes back to the items it was read from (fitted by node())
                part["items"] = part.pop("_items_indicators") + part.get("items", [])
            elif not ok:
                texts += part.get("_source_indicators") or part.get("_source") or \
                    [_indicator_text(i) for i in part["indicators"]]
            if not ok:
                for k in ("indicators", "layout", "lead", "tail"):
                    part.pop(k, None)
            if not ok and not part.pop("_garbled", None):
                self.note("indicators", "indicators read from sentences stay in the text: this "
                          "planwriter's model cannot place them inside running text", part.get("_line"))
        if "schedule" in part:
            entries = []
            for e in part["schedule"]:
                e = dict(e)
                if not _entry_ok(e) and isinstance(e.get("when"), str):
                    e["when"] = _with_year(e["when"], self.year)
                entries.append(e)
            garbled = part.pop("_garbled", None)
            if garbled:
                self.kept(part, "dated steps", garbled)
                texts += part.get("_source") or []
                del part["schedule"]
                part.pop("layout", None)
            elif all(_entry_ok(e) for e in entries):
                part["schedule"] = entries
            elif "_items_schedule" in part:
                # dated items go back to being items
                part["items"] = part.pop("_items_schedule") + part.get("items", [])
                del part["schedule"]
                self.note("schedule", "some schedule entries stay in the text: this planwriter's "
                          "model cannot hold their times or phases", part.get("_line"))
            else:
                if part.get("_source_table"):
                    texts += _rows_text(part["_source_table"])
                else:
                    texts += part.get("_source_schedule") or part.get("_source") or \
                        [f"{e.get('when')} {e.get('what')}" for e in entries]
                del part["schedule"]
                self.note("schedule", "some schedule entries stay in the text: this planwriter's "
                          "model cannot hold their times or phases", part.get("_line"))
        for key in ("table", "budget", "actions"):
            if key in part and key not in self.node_fields:
                value = part.pop(key)
                if part.get("_source_table"):
                    texts += _rows_text(part["_source_table"])
                elif key == "table":
                    texts += _rows_text([value.get("header", [])] + value.get("rows", []))
                else:
                    texts.append(str(value))
                what = {"table": "a table", "budget": "a budget", "actions": "an action table"}[key]
                self.note(key, f"{what} is kept as text: not in this planwriter's model", part.get("_line"))
        if texts:
            joined = "\n\n".join(t for t in texts if t)
            part["text"] = (part["text"] + "\n\n" + joined) if part.get("text") else joined
        return part

    def flatten(self, node: dict) -> dict:
        """``content`` parts in the model's fixed order (text, data, items), losing no text:
        data that text follows, or that repeats a kind already placed, goes back into text."""
        content = _whole_paragraphs(node.pop("content"))
        texts: list[str] = []
        data: dict[str, Any] = {}
        items: list[dict] = []
        # Data stays data only where no text follows it in the author's order (the model
        # writes text first): walking back from the end, the last part of each kind that
        # only data and items follow stays; the others become text where they stand.
        stays: set[int] = set()
        seen: set[str] = set()
        for idx in range(len(content) - 1, -1, -1):
            part = content[idx]
            if "items" in part:
                continue
            kind = next((k for k in _DATA_KEYS if k in part), None)
            if kind is None or kind in seen or "lead" in part or "tail" in part:
                break  # text (or data that becomes text): everything before it is text too
            seen.add(kind)
            stays.add(idx)
        for idx, part in enumerate(content):
            if "items" in part:
                items.extend(part["items"])
                continue
            if "text" in part and not any(k in part for k in _DATA_KEYS):
                if items:
                    self.note("order", "text after a node's items moved before them: this "
                              "planwriter's model keeps text, data and items in that order")
                texts.append(part["text"])
                continue
            key = next(k for k in _DATA_KEYS if k in part)
            if idx not in stays:
                source = part.get("_source")
                if source is None and part.get("_source_table"):
                    source = _rows_text(part["_source_table"])
                if source is None and key == "table":
                    source = _rows_text([part["table"].get("header", [])] + part["table"].get("rows", []))
                if source is None:
                    self.findings.add("dropped", f"{key} that this model cannot place", part.get("_line"))
                texts.extend(source or [])
                self.note("inline-data", "data read from the middle of a text stays in the text: "
                          "this planwriter's model keeps text, data and items in that order",
                          part.get("_line"))
                continue
            data[key] = part[key]
            if key != "table":  # (_source_table holds a table's rows: not this)
                data["_source_" + key] = part.get("_source")
            for k in ("_items_indicators", "_items_schedule"):
                if k in part:
                    data[k] = part[k]
            for opt in ("layout", "_source_table", "_line"):
                if opt in part:
                    data[opt] = part[opt]
        out = dict(node)
        if texts:
            out["text"] = "\n\n".join(t for t in texts if t)
        out.update(data)
        if items:
            out["items"] = items
        return out


def _whole_paragraphs(content: list[dict]) -> list[dict]:
    """Parts read from one paragraph put back as that paragraph, unless the paragraph was
    one data part and nothing else."""
    out: list[dict] = []
    i = 0
    while i < len(content):
        part = content[i]
        para = part.get("_para")
        if para is None:
            out.append(part)
            i += 1
            continue
        j = i
        while j < len(content) and content[j].get("_para") == para:
            j += 1
        group = content[i:j]
        if len(group) == 1 and not {"lead", "tail", "text"} & set(group[0]):
            out.append(group[0])
        else:
            out.append({"text": para[1]})
        i = j
    return _join_texts(out)


def _join_texts(parts: list[dict]) -> list[dict]:
    out: list[dict] = []
    for p in parts:
        if out and set(p) == {"text"} and set(out[-1]) == {"text"}:
            out[-1] = {"text": out[-1]["text"] + "\n\n" + p["text"]}
        else:
            out.append(p)
    return out


def _with_year(when: str, year: int | None) -> str:
    """A time of day and month without a year (09-18, by 03-15, 09-18..09-23) given the
    plan's year, for a model that needs one."""
    if not year:
        return when
    return re.sub(r"(?<![\d-])(\d{2})-(\d{2})(?![\d-])", lambda m: f"{year}-{m.group(1)}-{m.group(2)}", when)


def _rows_text(rows: list[list]) -> list[str]:
    """A table's rows as lines of text, cells set apart by an ideographic space."""
    return ["　".join(str(c) for c in r) for r in rows if r]


def _indicator_text(i: dict) -> str:
    return f"{i.get('name')}{i.get('value')}"


def _clean(node: dict) -> dict:
    out = {}
    for k, v in node.items():
        if k.startswith("_"):
            continue
        if k == "layout" and v == "sentence":
            out[k] = v
            continue
        out[k] = v
    if "content" in out:
        out["content"] = [{k: v for k, v in p.items() if not k.startswith("_")} for p in out["content"]]
    return out


def fit(data: dict, findings: Findings) -> dict:
    """``data`` lowered to what this planwriter's model accepts (see the module docstring)."""
    return Fitter(findings).plan(data)


def _one_per_paragraph(parts: Any) -> Any:
    """Content parts with the parts read from one paragraph after the first left out (that
    paragraph comes back whole, once)."""
    if not isinstance(parts, list):
        return parts
    out, seen = [], set()
    for p in parts:
        para = p.get("_para") if isinstance(p, dict) else None
        if para is not None:
            if para[0] in seen:
                continue
            seen.add(para[0])
        out.append(p)
    return out


_PART_KEYS = {"text", "_para", "_source", "_source_table", "_line", "_garbled", "layout", "lead", "tail", "caption", "indicators",
              "schedule", "table", "responsibilities", "_items_indicators", "_items_schedule"}


def without_data(data: Any) -> Any:
    """Plan data with every data part read from text turned back into that text."""
    if isinstance(data, list):
        return [without_data(x) for x in data]
    if not isinstance(data, dict):
        return data
    text = None
    if "_para" in data:
        text = data["_para"][1]
    elif ("_source" in data or "_source_table" in data) and any(
            k in data for k in ("indicators", "schedule", "table")):
        text = "\n\n".join(data.get("_source") or _rows_text(data.get("_source_table", [])))
    if text is not None:
        # the part (or the node whose simple fields it fills) keeps its text, not its data;
        # what else a node holds (its title, items, flags) stays
        rest = {k: without_data(v) for k, v in data.items() if k not in _PART_KEYS}
        return {**rest, "text": text} if "title" in rest or "items" in rest else {"text": text, **rest}
    out = {k: without_data(_one_per_paragraph(v) if k == "content" else v) for k, v in data.items()}
    content = out.get("content")
    if isinstance(content, list) and all(set(p) == {"text"} for p in content) and "text" not in out:
        out["text"] = "\n\n".join(p["text"] for p in out.pop("content"))  # text alone needs no parts
    return out
