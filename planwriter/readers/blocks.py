"""Passages that say what a library block says, replaced by that block (``--match-blocks``).

Every block is rendered through the :class:`~planwriter.Environment` in the plan's language
(so the comparison is with the wording users get, whatever the library holds today) and
compared with each section and item of the imported plan by meaning, not by equality:
character trigrams of the normalised texts (NFKC, no spaces or punctuation), and the
block's topic terms (``topics`` in ``blocks.yaml``) found in the passage.  A passage close
enough becomes ``block:`` with ``params:`` read back from its text: a block parameter that
its text shows as a number (a target of 95%) is found by rendering the block with a marker
value and reading the number that stands in the passage where the marker stood.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..composer import parse_markup
from ..errors import PlanError
from .lines import Findings

#: How alike a passage and a block must be (score), and their trigrams at the least.
THRESHOLD = 0.42
MIN_DICE = 0.22
_SENTINEL = 73.25
_STOP = set("this that with from have will shall should must their there which when where what into "
            "also more most such than then them they were been being over under each every other "
            "work good well make made take further strengthen improve carry continue ensure".split())


def _norm(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).lower()
    return "".join(c for c in t if not c.isspace() and not unicodedata.category(c).startswith("P"))


def _grams(text: str, n: int = 3) -> set[str]:
    """Character trigrams of Chinese, word pairs of Latin text (letters alone say little)."""
    if re.search(r"[a-z]{3}", text) and not re.search(r"[\u4e00-\u9fff]", text):
        # content words, stemmed crudely (plural s, -ing, -ed), without the commonest words
        return {re.sub(r"(ing|ed|es|s)$", "", w) for w in text.split()
                if len(w) > 3 and w not in _STOP}
    return {text[i:i + n] for i in range(max(1, len(text) - n + 1))}


def _words(text: str) -> str:
    """Latin text reduced to lower-case words (kept apart), Chinese as in :func:`_norm`."""
    if re.search(r"[\u4e00-\u9fff]", text):
        return _norm(text)
    return " ".join(re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", text).lower()))


@dataclass
class _Block:
    key: str
    text: str  # normalised rendered text
    grams: set
    topics: list[str]
    numbers: dict[str, str]  # numeric parameter → the words just before it in the block
    org_types: list[str]


def _render(env: Any, key: str, locale: str, context: dict, params: dict | None = None) -> str | None:
    try:
        out = env.render_block(key, locale, context, params or {})
        return "\n".join(p.title + p.text for p in parse_markup(out, locale))
    except (PlanError, ValueError, KeyError):
        return None  # a block that needs parameters the sample context lacks


def library(env: Any, locale: str, context: dict) -> list[_Block]:
    """The library's blocks rendered in ``locale``, ready to compare."""
    out = []
    for key, info in env.blocks.items():
        text = _render(env, key, locale, context)
        if not text:
            continue
        numbers = {}
        for name, spec in info.params.items():
            if spec.get("type") in ("percent", "count", "number"):
                marked = _render(env, key, locale, context, {name: _SENTINEL if spec.get("type") != "count" else 7331})
                if not marked:
                    continue
                sentinel = "73.25" if spec.get("type") != "count" else "7331"
                at = marked.find(sentinel)
                if at > 0:
                    before = _words(marked[max(0, at - 16):at]).replace(" ", "")
                    numbers[name] = before[-8:]
        out.append(_Block(key, _words(text), _grams(_words(text)), [t.lower() for t in info.topics],
                          numbers, list(info.org_types)))
    return out


def _node_text(node: dict, locale: str) -> str:
    parts = []

    def text(v: Any) -> str:
        if isinstance(v, dict):
            return str(v.get(locale) or next(iter(v.values()), ""))
        return str(v or "")
    for key in ("title", "text"):
        if node.get(key):
            parts.append(text(node[key]))
    for part in node.get("content") or []:
        if part.get("text"):
            parts.append(text(part["text"]))
        for child in part.get("items") or []:
            parts.append(_node_text(child, locale))
    for child in node.get("items") or []:
        parts.append(_node_text(child, locale))
    return "\n".join(p for p in parts if p)


_DATA = ("indicators", "schedule", "responsibilities", "table", "budget", "actions")
_OPTIONS = ("layout", "lead", "tail", "caption")


def _data_text(node: dict, meta: dict, env: Any, locale: str) -> str:
    """The words a node's data (targets, steps, tables) is rendered with, as the plan would
    print them: targets read from a passage are part of what it says."""
    parts = []
    if any(k in node for k in _DATA):
        parts.append({k: node[k] for k in _DATA + _OPTIONS if k in node and (k in _DATA or k != "caption")})
    parts += [p for p in node.get("content") or [] if any(k in p for k in _DATA)]
    if not parts:
        return ""
    # each target on its own (name, verb, figure), as a block words it; the lead and the tail as text
    leads, tails = [], []
    for i, p in enumerate(parts):
        if "indicators" in p:
            if p.get("lead"):
                leads.append({"text": p["lead"]})
            if p.get("tail"):
                tails.append({"text": p["tail"]})
            parts[i] = {"indicators": p["indicators"], "layout": "list"}
    parts = leads + parts + tails
    from .. import model as m
    try:
        plan = m.Plan.model_validate({"meta": meta, "sections": [{"kind": "custom", "title": "x", "content": parts}]})
        text = env.render_markdown(plan, locale)
    except (PlanError, ValueError, TypeError):
        return ""
    return "\n".join(line for line in text.splitlines() if line.strip() and not line.startswith("#"))


def score(passage: str, block: _Block) -> tuple[float, float]:
    """(score, trigram Dice) of a normalised passage against a block."""
    g = _grams(passage)
    if not g or not block.grams:
        return 0.0, 0.0
    ratio = len(passage) / max(1, len(block.text))
    if not 0.35 <= ratio <= 3.0:
        return 0.0, 0.0  # a passage much longer or shorter than the block says something else
    dice = 2 * len(g & block.grams) / (len(g) + len(block.grams))
    hits = sum(1 for t in block.topics if _words(t) and _words(t) in passage)
    topic = min(1.0, hits / 3)
    return 0.65 * dice + 0.35 * topic, dice


def read_params(passage: str, block: _Block) -> dict[str, float]:
    """Numeric block parameters read back from a passage's text."""
    params = {}
    for name, before in block.numbers.items():
        for k in (8, 6, 4):
            ctx = before[-k:]
            if not ctx:
                continue
            m = re.search(re.escape(ctx) + r"(\d+(?:\.\d+)?)", passage.replace(" ", ""))
            if m:
                value = float(m.group(1))
                params[name] = int(value) if value.is_integer() else value
                break
    return params


def match_blocks(reading: Any, env: Any) -> float:
    """Replace the passages of an imported plan that match a library block; the share of the
    plan's text replaced.  ``reading`` (a :class:`~planwriter.readers.Reading`) is updated."""
    from .. import model as m
    data = reading.data
    locale = data["meta"]["locales"][0]
    locale = "en" if locale == "en" else "zh"
    context = {"org": str(data["meta"].get("organisation", "")), "org_type": data["meta"].get("org_type", "other"),
               "year": data["meta"].get("year", 2025), "superior": "", "period": ""}
    blocks = library(env, locale, context)
    if not blocks:
        return 0.0
    def data_texts(node: dict) -> list[str]:
        out = [_data_text(node, data["meta"], env, locale)]
        for child in [c for p in node.get("content") or [] for c in p.get("items") or []] + list(node.get("items") or []):
            out += data_texts(child)
        return out

    def passage_of(node: dict) -> str:
        return _words("\n".join(t for t in [_node_text(node, locale)] + data_texts(node) if t))

    total = sum(len(passage_of(s)) for s in data["sections"])
    reading.extra["text_size"] = total
    replaced = 0
    used: set[str] = set()
    findings = Findings(reading.findings[0].file if reading.findings else "")

    def visit(node: dict, path: str) -> bool:
        nonlocal replaced
        if node.get("block"):
            return False
        passage = passage_of(node)
        if len(passage) >= 20:
            best, best_score, best_dice = None, 0.0, 0.0
            for b in blocks:
                if b.key in used:
                    continue
                sc, dice = score(passage, b)
                if sc > best_score:
                    best, best_score, best_dice = b, sc, dice
            if best is not None and best_score >= THRESHOLD and best_dice >= MIN_DICE:
                params = read_params(passage, best)
                new = {k: node[k] for k in ("kind", "title", "numbered") if k in node}
                # (a block is a heading's body: a run-in paragraph holds only text)
                new["block"] = best.key
                if params:
                    new["params"] = params
                try:
                    env.block_params(best.key, params, locale)
                except PlanError:
                    new.pop("params", None)
                node.clear()
                node.update(new)
                used.add(best.key)
                replaced += len(passage)
                findings.add("changed", f"{path} replaced by library block '{best.key}' "
                             f"(similarity {best_score:.2f})")
                return True
        for i, child in enumerate(node.get("items") or []):
            visit(child, f"{path}.items[{i}]")
        for j, part in enumerate(node.get("content") or []):
            for i, child in enumerate(part.get("items") or []):
                visit(child, f"{path}.content[{j}].items[{i}]")
        return False

    for i, s in enumerate(data["sections"]):
        if s.get("kind") in ("preamble", "closing") and not s.get("text"):
            continue
        visit(s, f"sections[{i}]")
    try:
        plan = m.Plan.model_validate(data)
        for loc in plan.meta.locales:
            env.compose(plan, loc)
    except (PlanError, ValueError) as e:
        raise PlanError(f"--match-blocks made a plan that does not compose: {e}") from None
    reading.plan = plan
    reading.findings.extend(findings)
    return replaced / total if total else 0.0
