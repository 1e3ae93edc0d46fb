#!/usr/bin/env python3
"""Score planwriter's importer against gold annotations.

Every ``*.gold.yaml`` in the given folders names an input (``input:``) and says what a
careful reader finds in it (format: ``tests/data/import-gold/README.md``).  The input is
imported as ``planwriter import`` would (``--split`` when the gold lists several plans) and
compared plan by plan: headings and items at the right level, item boundaries, indicators,
schedule entries, clutter left, plan text kept, placeholders found.

Usage::

    python tools/import_score.py [DIR ...] [--inputs DIR] [--json] [--quiet]

Without a folder it scores ``tests/data/import-gold`` (the sample pages, read from
``--inputs``, default ``../shared/seeds``) and ``tests/data/import-heldout``.
"""
from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

import planwriter
from planwriter import model as m, readers
from planwriter.readers import markers
from planwriter.readers.dates import find_times

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DIRS = [REPO / "tests" / "data" / "import-gold", REPO / "tests" / "data" / "import-heldout"]
DEFAULT_INPUTS = next((p / "shared" / "seeds" for p in REPO.parents if (p / "shared" / "seeds").is_dir()),
                      REPO.parent / "shared" / "seeds")


# -- normalisation -------------------------------------------------------------------
def norm(text: str) -> str:
    """NFKC, lower case, without spaces and punctuation: what 'the same text' compares."""
    t = unicodedata.normalize("NFKC", text).lower()
    return "".join(c for c in t if not c.isspace() and not unicodedata.category(c).startswith("P"))


def strip_marker(text: str) -> str:
    m = markers.parse(text.strip())
    if m is not None and m.family != "bracket":
        return text.strip()[m.end:]
    return text


def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def dice(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


def names_match(a: str, b: str) -> bool:
    a, b = norm(a), norm(b)
    return bool(a and b) and (a in b or b in a or dice(a, b) >= 0.5)


#: The words a target is phrased with. The model writes a target in its own words (保持在95%
#:以上 comes out as 达到95%以上, "remains above 95" as "should reach at least 95"); the target
#: itself is scored under ind, so text kept leaves these words out on both sides.
_TARGET_WORDS = re.compile(
    r"在上年度?的?基础上|在去年的?基础上|较上年|比上年|较去年|比去年|保持在|控制在|稳定在|维持在|不低于|不少于|不超过|不高于|达到|或以上|以上|以下|以内|"
    r"低于|高于|降至|下降|提高|提升|增长|降低|增加|减少|要求|至少|达|"
    r"should|will|shall|reach(?:es|ed)?|remains?|stays?|kept|controlled|maintained|is|are|be|to|at least|at most|"
    r"above|below|under|over|more than|less than|no more than|no less than|not less than|not more than|"
    r"increase[sd]?|decrease[sd]?|reduced?|by|of|the|percent|per cent")


def _without_target_words(text: str) -> str:
    from planwriter.readers.script import fold, numbers
    # in simplified script, as the pattern is, with figures for numbers in words (一节 → 1节)
    return _TARGET_WORDS.sub("", numbers(fold(text))[0])


def char_recall(gold: list[str], output: str) -> tuple[int, int]:
    """(characters of the gold lines found in order in ``output``, characters in all);
    the words targets are phrased with are left out of both."""
    output = _without_target_words(output)
    gold = [_without_target_words(g) for g in gold]
    found = total = 0
    for g in gold:
        if not g:
            continue
        total += len(g)
        if g in output:
            found += len(g)
            continue
        anchor = -1
        size = min(8, max(2, len(g) // 2))  # short lines anchor on shorter pieces
        for k in range(0, max(1, len(g) - size + 1), max(1, len(g) // 6)):
            anchor = output.find(g[k:k + size])
            if anchor >= 0:
                anchor = max(0, anchor - k)
                break
        if anchor < 0:
            continue
        window = output[max(0, anchor - 20):anchor + len(g) * 2 + 40]
        sm = difflib.SequenceMatcher(None, g, window, autojunk=False)
        found += sum(b.size for b in sm.get_matching_blocks())
    return found, total


# -- the importer's output, walked --------------------------------------------------
@dataclass
class Entry:
    level: int
    role: str  # heading or item
    text: str  # title, or the first words of an item
    content: str  # the node's own text, data included
    target: bool = False  # an item that is one target of a list (named by the target's name)


def _t(value: Any, locale: str) -> str:
    if value is None:
        return ""
    if hasattr(value, "get"):
        try:
            return value.get(locale)
        except KeyError:
            return str(value)
    return str(value)


def _field(obj: Any, name: str, default=None):
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _num(value: Any) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def walk_plan(plan: Any, env: Any) -> tuple[list[Entry], list[dict], list[dict]]:
    """(outline entries, indicators, schedule entries) of an imported plan (a Plan, or plan data)."""
    locale = _field(_field(plan, "meta"), "locales")[0]
    locale = "zh" if str(locale).startswith("zh") and env is not None and locale not in ("zh", "en") else locale
    entries: list[Entry] = []
    inds: list[dict] = []
    sched: list[dict] = []

    def data_of(obj: Any) -> None:
        for i in _field(obj, "indicators", []) or []:
            unit = _field(i, "unit", "none")
            inds.append({"name": _t(_field(i, "name"), locale), "comparator": str(_field(i, "comparator", "reach")),
                         "value": _field(i, "value"), "unit": _t(unit, locale) if not isinstance(unit, str) else unit})
        for e in _field(obj, "schedule", []) or []:
            what = _t(_field(e, "what"), locale) or _t(_field(e, "phase"), locale)
            sched.append({"when": str(_field(e, "when")), "what": what, "phase": _t(_field(e, "phase"), locale)})
        for a in _field(obj, "actions", []) or []:
            if _field(a, "timeline") is not None:
                sched.append({"when": str(_field(a, "timeline")), "what": _t(_field(a, "title"), locale)})

    def children_of(node: Any) -> list:
        kids = list(_field(node, "items", []) or [])
        for part in _field(node, "content", []) or []:
            kids.extend(_field(part, "items", []) or [])
        return kids

    def has_data(node: Any) -> bool:
        """Whether a node holds more than paragraphs (targets worded as a sentence are one)."""
        def more(obj: Any, keys: tuple) -> bool:
            return any(_field(obj, k) for k in keys) and not (
                str(_field(obj, "layout")) == "sentence" and not any(_field(obj, k) for k in keys[2:]))
        if more(node, ("indicators", "schedule", "responsibilities", "table", "budget", "actions", "block")):
            return True
        return any(more(p, ("indicators", "schedule", "table", "budget", "actions", "block"))
                   for p in _field(node, "content", []) or [])

    composer = None
    if env is not None and isinstance(plan, m.Plan):
        from planwriter.composer import Composer
        written = str(plan.meta.locales[0])  # the plan's own script: zh-Hant targets read 達到
        composer = Composer(plan, env, written if written in ("zh", "en", "zh-Hant") else "zh")

    def sentence(obj: Any) -> str | None:
        """Indicators laid out as one sentence, worded as the plan renders them (lead, targets
        and tail): the text of the paragraph they make."""
        if composer is None or str(_field(obj, "layout")) != "sentence":
            return None
        try:
            return composer.indicator_paragraph(_field(obj, "indicators"), _field(obj, "lead"),
                                                _field(obj, "tail"), "scorer")
        except Exception:  # noqa: BLE001 - a plan the model refuses is scored on its words alone
            return None

    def data_text(obj: Any) -> list[str]:
        """The words of a node's data (schedule, indicators, tables, actions) in reading order."""
        texts = []
        steps = _field(obj, "schedule", []) or []
        if steps and composer is not None and str(_field(obj, "layout")) == "sentence":
            try:  # dated steps said in a sentence, as the plan renders them
                texts.append(composer.schedule_sentence(steps, "scorer"))
                steps = []
            except Exception:  # noqa: BLE001 - scored on their words alone
                pass
        for e in steps:
            texts += [str(_field(e, "when") or ""), _t(_field(e, "phase"), locale), _t(_field(e, "what"), locale)]
        said = sentence(obj) if _field(obj, "indicators") else None
        if said is not None:
            texts.append(said)
        for i in _field(obj, "indicators", []) or []:
            if not listed(obj) and said is None:
                texts.append(_t(_field(i, "name"), locale) + _num(_field(i, "value")))
        table = _field(obj, "table")
        for row in ([_field(table, "header")] + list(_field(table, "rows", []) or [])) if table else []:
            texts += [_t(c, locale) for c in row or []]
        for a in _field(obj, "actions", []) or []:
            texts += [_t(_field(a, "title"), locale), _t(_field(a, "text"), locale)]
        return texts

    def listed(obj: Any) -> bool:
        """Whether a node's or part's indicators are laid out as items of their own."""
        return bool(_field(obj, "indicators")) and str(_field(obj, "layout") or "list") in ("list", "auto")

    def lead(obj: Any) -> str:
        return "" if sentence(obj) is not None else _t(_field(obj, "lead"), locale)

    def own_text(node: Any) -> str:
        texts = [_t(_field(node, "text"), locale), lead(node)] + data_text(node)
        for part in _field(node, "content", []) or []:
            texts += [_t(_field(part, "text"), locale), lead(part)] + data_text(part)
        return " ".join(t for t in texts if t)

    def indicator_items(node: Any, depth: int) -> None:
        """Targets laid out as a list are numbered items, one each."""
        for obj in [node] + list(_field(node, "content", []) or []):
            if listed(obj):
                for i in _field(obj, "indicators"):
                    name = _t(_field(i, "name"), locale)
                    entries.append(Entry(depth, "item", name, norm(name + _num(_field(i, "value"))), True))

    def visit(siblings: list, depth: int, sections: bool) -> None:
        rule = any(children_of(n) or has_data(n) for n in siblings)
        for n in siblings:
            if sections and str(_field(n, "kind")) in ("preamble", "closing"):
                data_of(n)
                continue
            title = _t(_field(n, "title"), locale)
            if sections and not title:
                title = env.render_part(f"sections/{_field(n, 'kind')}.j2", "title", locale if locale in ("zh", "en") else "zh",
                                        org="", year=2025, org_type="other", superior="", period="") or ""
            flag = _field(n, "heading")
            role = "heading" if sections or flag is True or (flag is None and rule) else "item"
            text = own_text(n)
            entries.append(Entry(depth, role, title or text[:30], norm(title + text)))
            indicator_items(n, depth + 1)
            data_of(n)
            for part in _field(n, "content", []) or []:
                data_of(part)
            visit(children_of(n), depth + 1, False)
    visit(list(_field(plan, "sections")), 1, True)
    return entries, inds, sched


# -- gold ----------------------------------------------------------------------------
def _lines_spec(spec: Any) -> list[tuple[int, str]]:
    """[(line, partial text or '')] from a list of lines, ranges and {line, text}."""
    out = []
    for item in spec or []:
        if isinstance(item, dict):
            out.append((int(item["line"]), str(item.get("text", ""))))
        elif isinstance(item, str) and "-" in item:
            a, b = item.split("-")
            out.extend((n, "") for n in range(int(a), int(b) + 1))
        else:
            out.append((int(item), ""))
    return out


def _range(spec: Any) -> tuple[int, int]:
    if isinstance(spec, str) and "-" in spec:
        a, b = spec.split("-")
        return int(a), int(b)
    return int(spec), int(spec)


UNIT_SCALE = {"wan_persons": ("persons", 1e4), "wan_yuan": ("yuan", 1e4), "yi_yuan": ("yuan", 1e8),
              "%": ("percent", 1), "‰": ("permille", 1), "人": ("persons", 1), "人次": ("person_times", 1),
              "元": ("yuan", 1), "次": ("times", 1), "岁": ("years", 1), "歲": ("years", 1),
              "户": ("households", 1), "個": ("items", 1), "个": ("items", 1), "家": ("institutions", 1),
              "所": ("facilities", 1), "张": ("beds", 1), "天": ("days", 1), "名": ("persons", 1)}


def unit_value(unit: str, value: float) -> tuple[str, float]:
    unit = unit or "none"
    base, scale = UNIT_SCALE.get(unit, (unit, 1))
    return base, float(value) * scale


def same_indicator(g: dict, o: dict) -> bool:
    gu, gv = unit_value(str(g.get("unit", "none")), g["value"])
    ou, ov = unit_value(str(o.get("unit", "none")), o["value"] if o["value"] is not None else float("nan"))
    comp = {"≥": "at_least", "≤": "at_most", "<": "below", ">": "above", "=": "equal"}
    return (abs(gv - ov) < 1e-9 and norm(gu) == norm(ou)
            and comp.get(g["comparator"], g["comparator"]) == comp.get(o["comparator"], o["comparator"])
            and names_match(g["name"], o["name"]))


def same_step(g: dict, o: dict) -> bool:
    return when_key(g["when"]) == when_key(o["when"]) and (
        names_match(str(g["what"]), o["what"]) or dice(norm(str(g["what"])), norm(o["what"])) >= 0.2)


def _pair(gold: list[dict], found: list[dict], same, say, missed, extra) -> int:
    """How many gold entries find an entry of their own in ``found``; ``say`` hears of the
    gold entries left over (``missed``) and of the found ones (``extra``)."""
    free = list(range(len(found)))
    matched = 0
    for g in gold:
        j = next((j for j in free if same(g, found[j])), None)
        if j is None:
            say(missed(g))
            continue
        free.remove(j)
        matched += 1
    for j in free:
        say(extra(found[j]))
    return matched


def when_key(when: str, locale: str = "zh") -> str:
    """A time's notation reduced for comparison: years and leading zeros do not matter when one
    side leaves them out."""
    w = str(when).strip().lower()
    w = re.sub(r"\b(\d{4})-", "", w)  # 2025-06 → 06
    w = re.sub(r"\b0(\d)\b", r"\1", w)
    return w.replace(" ", "")


@dataclass
class Counts:
    """Sums for one plan, or for all."""

    c: dict = field(default_factory=lambda: defaultdict(float))

    def add(self, key: str, value: float) -> None:
        self.c[key] += value

    def __iadd__(self, other: "Counts") -> "Counts":
        for k, v in other.c.items():
            self.c[k] += v
        return self

    def ratio(self, num: str, den: str) -> float | None:
        return self.c[num] / self.c[den] if self.c[den] else None


def input_lines(path: Path) -> dict[int, str]:
    """The text of each line of an input, as its format reads it."""
    data = path.read_bytes()
    fmt = readers.detect_format(path.name, data)
    out: dict[int, str] = {}
    for ln in readers.lines_of(data, fmt, str(path)):
        if ln.table is not None and ln.row_lines:
            for row, at in zip(ln.table, ln.row_lines):
                out[at] = (out.get(at, "") + " " + " ".join(row)).strip()
        else:
            out[ln.line] = (out.get(ln.line, "") + " " + ln.text).strip()
    return out


def score_file(gold_path: Path, inputs: Path | None, env: Any, as_read: bool = False) -> list[dict]:
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    name = gold.get("input") or gold_path.name.replace(".gold.yaml", "")
    candidates = [gold_path.parent / name] + ([inputs / name] if inputs else [])
    path = next((p for p in candidates if p.exists()), None)
    if path is None:
        return [{"plan": f"{name}", "error": "input not found"}]
    plans = gold.get("plans") or []
    split = gold.get("split", len(plans) > 1)
    try:
        readings = readers.read_all(path, split=split, env=env)
    except planwriter.PlanError as e:
        return [{"plan": name, "error": str(e)}]
    texts = input_lines(path)
    clutter = _lines_spec(gold.get("clutter"))
    clutter_lines = {n for n, part in clutter if not part}
    partial = defaultdict(list)
    for n, part in clutter:
        if part:
            partial[n].append(part)
    # everything the importer produced, for clutter
    rendered_all = []
    for r in readings:
        try:
            rendered_all.append(planwriter.render_markdown(r.plan, env=env))
        except planwriter.PlanError:
            rendered_all.append("")
    # the titles are the plans' own (a page title repeating one is clutter all the same)
    out_all = norm("".join(_strip_md(x.split("\n", 1)[1] if "\n" in x else "") for x in rendered_all))
    rows = []
    page = Counts()
    for n, part in clutter:
        text = norm(part or texts.get(n, ""))
        if not text:
            continue
        page.add("clutter", len(text))
        if text in out_all and len(text) >= 2:
            page.add("clutter_left", len(text))
    used: set[int] = set()
    for k, gp in enumerate(plans):
        lo, hi = _range(gp.get("lines", f"1-{max(texts, default=1)}"))
        best, overlap = None, 0
        for i, r in enumerate(readings):
            if i in used:
                continue
            ov = min(hi, r.lines[1]) - max(lo, r.lines[0])
            if ov > overlap:
                best, overlap = i, ov
        row = {"plan": f"{name}#{k + 1}", "counts": Counts(), "details": []}
        say = row["details"].append
        rows.append(row)
        c = row["counts"]
        body_lines = [n for n in range(lo, hi + 1) if n in texts and n not in clutter_lines
                      and n != gp.get("title_line")]
        gold_text = []
        for n in body_lines:
            t = texts[n]
            for part in partial.get(n, []):
                t = t.replace(part, "")
            for other in plans:  # another plan's header run into this line
                if other is not gp and other.get("title_line") == n and other.get("title") in t:
                    t = t[:t.index(other["title"])]
            gold_text.append(norm(strip_marker(t)))
        closing = set(_lines_spec(gp.get("closing")) and [n for n, _ in _lines_spec(gp.get("closing"))])
        outline = gp.get("outline") or []
        for e in outline:
            c.add("g_heading" if "heading" in e else "g_item", 1)
        c.add("g_ind", len(gp.get("indicators") or []))
        c.add("g_sched", len(gp.get("schedule") or []))
        c.add("g_ph", len(gp.get("placeholders") or []))
        c.add("g_title", 1 if gp.get("title") else 0)
        if best is None:
            c.add("text", sum(len(t) for t in gold_text))
            continue
        used.add(best)
        r = readings[best]
        locale = r.plan.meta.locales[0]
        entries, inds, sched = walk_plan(r.plan, env)
        if as_read and "full" in r.extra:
            # indicators and schedule as the importer read them, before fitting to the model
            _, inds, sched = walk_plan(r.extra["full"], env)
        # outline
        taken: set[int] = set()
        gold_entries = []
        for e in outline:
            role = "heading" if "heading" in e else "item"
            gold_entries.append((e, role, norm(str(e.get("heading") or e.get("item")))))
        for e, role, gtext in gold_entries:
            for j, oe in enumerate(entries):
                if j in taken or oe.level != e["level"]:
                    continue
                otext = norm(oe.text) if role == "heading" else oe.content
                ok = (gtext == norm(oe.text) or (gtext and (otext.startswith(gtext[:12]) or
                                                           norm(oe.text).startswith(gtext[:12]))))
                if not ok and role == "item" and gtext:
                    # a target in the item's opening words, in the model's wording (要求90% → 达到90%)
                    g, o = _without_target_words(gtext), _without_target_words(otext)
                    ok = len(g) >= 4 and o.startswith(g[:12])
                if oe.target and not ok:  # a target's item, written from its name: the name opens it
                    ok = len(norm(oe.text)) >= 3 and gtext.startswith(norm(oe.text))
                if role == "heading" and not ok:
                    ok = bool(gtext) and dice(gtext, norm(oe.text)) >= 0.8
                if ok:
                    taken.add(j)
                    c.add("m_heading" if role == "heading" else "m_item", 1)
                    c.add("m_role", 1 if oe.role == role else 0)
                    c.add("m_any", 1)
                    e["_match"] = j
                    if oe.role != role:
                        say(f"role: line {e['line']} is a {role}, imported as a {oe.role}: {oe.text[:30]}")
                    break
            else:
                say(f"missed {role}: line {e['line']} level {e['level']}: {e.get('heading') or e.get('item')}")
        for j, oe in enumerate(entries):
            c.add("o_heading" if oe.role == "heading" else "o_item", 1)
            if j in taken:
                c.add("om_heading" if oe.role == "heading" else "om_item", 1)
            else:
                say(f"extra {oe.role}: level {oe.level}: {oe.text[:40]}")
        # boundaries: the matched node holds the text between this entry and the next
        starts = []
        for e, _, gtext in gold_entries:
            starts.append((e["line"], gtext))
        joined, pos_of_line = "", {}
        for n, t in zip(body_lines, gold_text):
            pos_of_line[n] = len(joined)
            joined += t
        positions = []
        ends = sorted(pos_of_line[n] for n in closing if n in pos_of_line)
        for (line, gtext) in starts:
            base = pos_of_line.get(line)
            if base is None:
                positions.append(None)
                continue
            at = joined.find(gtext[:8], base) if gtext else base
            positions.append(at if at >= 0 else base)
        for idx, (e, role, gtext) in enumerate(gold_entries):
            if "_match" not in e or positions[idx] is None:
                continue
            nxt = next((p for p in positions[idx + 1:] if p is not None), len(joined))
            nxt = min([nxt] + [p for p in ends if p > positions[idx]])
            if "end" in e:  # the entry's own text stops at this line
                nxt = min([nxt] + [pos_of_line[n] for n in pos_of_line if n > int(e["end"])])
            span = joined[positions[idx]:nxt]
            for n, _ in _lines_spec(e.get("also", [])):  # lines after its items that belong to it
                k = body_lines.index(n) if n in body_lines else -1
                if k >= 0:
                    span += gold_text[k]
            c.add("g_bound", 1)
            content = entries[e["_match"]].content
            if span == content or dice(_without_target_words(span), _without_target_words(content)) >= 0.8:
                c.add("m_bound", 1)
            else:
                say(f"boundary: line {e['line']}: gold {span[:20]}…{span[-12:]} / "
                    f"imported {entries[e['_match']].content[:20]}…{entries[e['_match']].content[-12:]}")
        # indicators
        c.add("m_ind", _pair(gp.get("indicators") or [], inds, same_indicator, say,
                             lambda g: f"missed indicator: line {g['line']}: {g['name']} {g['comparator']} "
                                       f"{g['value']} {g.get('unit', '')}",
                             lambda o: f"extra indicator: {o['name']} {o['comparator']} {o['value']} {o['unit']}"))
        c.add("o_ind", len(inds))
        # schedule
        c.add("m_sched", _pair(gp.get("schedule") or [], sched, same_step, say,
                               lambda g: f"missed schedule: line {g['line']}: {g['when']} {g['what']}",
                               lambda o: f"extra schedule: {o['when']} {o['what'][:30]}"))
        c.add("o_sched", len(sched))
        # placeholders reported at their line
        reported = [(f.line, f.text) for f in r.findings if f.kind == "placeholder"]
        for g in gp.get("placeholders") or []:
            gt = norm(str(g["text"]))
            if any(line == g["line"] and (norm(t) in gt or gt in norm(t)) for line, t in reported):
                c.add("m_ph", 1)
            else:
                say(f"missed placeholder: line {g['line']}: {g['text']}")
        # text kept, in the plan rendered to Markdown
        md = norm(_strip_md(rendered_all[best]))
        found, total = char_recall(gold_text, md)
        c.add("text", total)
        c.add("kept", found)
        for n, g in zip(body_lines, gold_text):
            f1, t1 = char_recall([g], md)
            if t1 and f1 / t1 < 0.9:
                say(f"text: line {n} kept {100 * f1 / t1:.0f}%: {texts[n][:40]}")
        frame_lines = [norm(str(gp.get("title", "")))] + gold_text
        found, total = char_recall(frame_lines, md)
        c.add("all", total)
        c.add("all_kept", found)
        if gp.get("title") and norm(gp["title"]) == norm(_t(r.plan.meta.title, locale) if r.plan.meta.title
                                                         else rendered_all[best].split("\n", 1)[0].lstrip("# ")):
            # (a plan whose title is the one planwriter would write leaves it out)
            c.add("m_title", 1)
    if rows:
        rows[0]["counts"] += page
    return rows


def blocks_share(folder: Path, inputs: Path | None, env: Any) -> str:
    """How much of the plans' text --match-blocks replaces with library blocks (characters)."""
    from planwriter.importing import import_file
    from planwriter.readers.blocks import _node_text, _words
    replaced = total = plans = 0
    for gold_path in sorted(folder.glob("*.gold.yaml")):
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        name = gold.get("input") or gold_path.name.replace(".gold.yaml", "")
        path = next((p for p in [gold_path.parent / name] + ([inputs / name] if inputs else []) if p.exists()), None)
        if path is None:
            continue
        try:
            for imp in import_file(path, split=len(gold.get("plans") or []) > 1, match_blocks=True, env=env):
                size = imp.reading.extra.get("text_size") or 0
                plans += 1
                total += size
                replaced += imp.replaced * size
        except planwriter.PlanError:
            continue
    share = replaced / total if total else 0.0
    return f"--match-blocks: library blocks replace {100 * share:.1f}% of the text of {plans} plans"


def _strip_md(md: str) -> str:
    out = []
    for line in md.splitlines():
        line = re.sub(r"^#+\s*", "", line)
        line = line.replace("\\", "")
        if re.match(r"^\|\s*-", line):
            continue
        line = line.replace("|", " ").replace("**", "")
        out.append(strip_marker(line))
    return "\n".join(out)


COLUMNS = [
    ("headings P", "om_heading", "o_heading"), ("headings R", "m_heading", "g_heading"),
    ("items P", "om_item", "o_item"), ("items R", "m_item", "g_item"),
    ("role", "m_role", "m_any"), ("bounds", "m_bound", "g_bound"),
    ("ind P", "m_ind", "o_ind"), ("ind R", "m_ind", "g_ind"),
    ("sched P", "m_sched", "o_sched"), ("sched R", "m_sched", "g_sched"),
    ("clutter left", "clutter_left", "clutter"), ("text kept", "kept", "text"),
    ("round trip", "all_kept", "all"), ("placeh.", "m_ph", "g_ph"), ("title", "m_title", "g_title"),
]


def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{100 * v:.1f}"


def table(rows: list[dict], total: Counts, title: str) -> str:
    head = "| plan | " + " | ".join(c[0] for c in COLUMNS) + " |"
    lines = [f"### {title}", "", head, "|" + "---|" * (len(COLUMNS) + 1)]
    for row in rows:
        if "error" in row:
            lines.append(f"| {row['plan']} | error: {row['error']} |")
            continue
        lines.append(f"| {row['plan']} | " + " | ".join(_fmt(row['counts'].ratio(a, b)) for _, a, b in COLUMNS) + " |")
    lines.append("| **overall** | " + " | ".join(f"**{_fmt(total.ratio(a, b))}**" for _, a, b in COLUMNS) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="*", type=Path, help="folders of NAME.gold.yaml files")
    ap.add_argument("--inputs", type=Path, default=DEFAULT_INPUTS,
                    help="where inputs not beside their gold file are (default: ../shared/seeds)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--quiet", action="store_true", help="only the overall line per folder")
    ap.add_argument("--details", action="store_true", help="list what each plan missed or added")
    ap.add_argument("--match-blocks", action="store_true",
                    help="also report the share of the plans' text that --match-blocks replaces "
                         "with library blocks")
    ap.add_argument("--as-read", action="store_true",
                    help="score indicators and schedule as read, before they are fitted to the "
                         "model this planwriter has")
    args = ap.parse_args(argv)
    env = planwriter.default_environment()
    report = {}
    for folder in args.dirs or DEFAULT_DIRS:
        rows: list[dict] = []
        for gold in sorted(folder.glob("*.gold.yaml")):
            rows.extend(score_file(gold, args.inputs, env, args.as_read))
        total = Counts()
        for r in rows:
            if "counts" in r:
                total += r["counts"]
        report[str(folder)] = {"rows": rows, "total": total}
        if not args.json:
            shown = [] if args.quiet else rows
            print(table(shown, total, f"{folder.name} ({len(rows)} plans)"))
            print()
            if args.match_blocks:
                print(blocks_share(folder, args.inputs, env))
                print()
            if args.details:
                for row in rows:
                    for line in row.get("details", []):
                        print(f"{row['plan']}: {line}")
    if args.json:
        out = {}
        for folder, r in report.items():
            out[folder] = {
                "overall": {name: r["total"].ratio(a, b) for name, a, b in COLUMNS},
                "plans": {row["plan"]: ({name: row["counts"].ratio(a, b) for name, a, b in COLUMNS}
                                        if "counts" in row else {"error": row["error"]}) for row in r["rows"]},
            }
        print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
