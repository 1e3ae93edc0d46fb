#!/usr/bin/env python3
"""Measure how much of the sample plans the block library covers.

The seed pages (``shared/seeds`` next to the repository) are collections of
health work plans copied from template websites.  This tool

1. splits every page into individual plans,
2. strips site cruft lines and splits plans into paragraphs,
3. finds near-duplicate paragraphs that recur in two or more different plans
   (character 5-gram Jaccard >= 0.7, clustered with union-find),
4. decides for each cluster which library block covers it, by matching the
   ``topics`` declared in ``templates/blocks.yaml`` against the cluster text,
5. runs the same near-duplicate detection over the rendered Chinese blocks,
   to show that the library stores each passage once,
6. finds the recurring themes of the seeds by meaning (``themes.yaml``) and the
   blocks that carry each of them in both languages, with the words that show it.

Blocks are rendered through planwriter's own environment, so the report
measures the wording users get.

Usage::

    python tools/seed_coverage.py [--seeds DIR] [--json] [--check] [--show N]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planwriter.composer import parse_markup
from planwriter.environment import Environment
from planwriter.library import sample_meta

import yaml

REPO = Path(__file__).resolve().parent.parent


def _default_seeds() -> Path:
    """``$PLANWRITER_SEEDS``, else the first ``shared/seeds`` beside the checkout or above it."""
    if os.environ.get("PLANWRITER_SEEDS"):
        return Path(os.environ["PLANWRITER_SEEDS"])
    for folder in REPO.parents:
        if (folder / "shared" / "seeds").is_dir():
            return folder / "shared" / "seeds"
    return REPO.parent / "shared" / "seeds"


DEFAULT_SEEDS = _default_seeds()
TEMPLATES = REPO / "templates"

SHINGLE = 5
THRESHOLD = 0.7
MIN_CHARS = 15

# ---------------------------------------------------------------------------
# 1. Splitting pages into plans
# ---------------------------------------------------------------------------
# A plan starts at a header of one of these forms:
#   * a line ending in "篇<n>"                 "2023年度乡镇卫生院工作计划 篇1"
#   * a short line about a 计划 ending in a
#     bracketed Chinese numeral                 "2021医院年度工作计划（一）"
#   * "... work plan ... (<n>)" anywhere in
#     the text (the English pages run headers
#     into the neighbouring paragraph)          "Township Health Center Work Plan (3)"
# Text before the first header of a page is the page's own introduction and is
# dropped.  A page without any header is one plan.
ZH_PLAN_HEADER = re.compile(
    r"^[^\n]{0,40}?篇\s*\d+\s*$"
    r"|^[^\n]{0,40}计划\s*[（(][一二三四五六七八九十]+[)）]\s*$",
    re.M,
)
EN_PLAN_HEADER = re.compile(
    r"(?i)(?:\d{4}\s+)?(?:[a-z]+\s+){0,6}work plan(?:\s+[a-z]+){0,6}(?:\s+\d{4})?\s*\(\d+\)"
)

# Lines that are website furniture, not plan text.  Matched case-insensitively
# against the NFKC-normalised line.
CRUFT_LINE_PATTERNS = [
    r"来源[:：]", r"范文都", r"手机版", r"当前位置", r"我要投稿", r"阅读[:：]",
    r"相关文章", r"本文链接", r"copyright", r"版权", r"icp备", r"★",
    r"more content", r"recommended article", r"popular articles",
    r"related articles", r"var _hmt", r"\(通用\d+篇\)", r"汇总.{0,3}篇",
    r"小编", r"仅供参考", r"^work plan > ",
]
CRUFT_LINE = re.compile("|".join(CRUFT_LINE_PATTERNS), re.I)

# Clusters whose text matches one of these are not plan content (page
# introductions, site phrases).  Kept short on purpose: everything else must be
# covered by a block.
CRUFT_CLUSTER_PATTERNS = [
    r"以下是.{0,6}(整理|收集)", r"欢迎(大家)?阅读", r"希望对(大家|你)",
    r"i hope it will be helpful", r"i compiled",
]
CRUFT_CLUSTER = re.compile("|".join(CRUFT_CLUSTER_PATTERNS), re.I)


@dataclass
class Plan:
    source: str
    index: int
    paragraphs: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.source}#{self.index}"


def split_plans(text: str, source: str) -> list[Plan]:
    """Split one seed page into plans (see the header patterns above)."""
    text = text.replace("\r\n", "\n")
    cuts = [(m.start(), m.end()) for m in ZH_PLAN_HEADER.finditer(text)]
    cuts += [(m.start(), m.end()) for m in EN_PLAN_HEADER.finditer(text)]
    cuts.sort()
    if not cuts:
        bodies = [text]
    else:
        bodies = [text[end: (cuts[i + 1][0] if i + 1 < len(cuts) else len(text))]
                  for i, (_, end) in enumerate(cuts)]
    plans = []
    for i, body in enumerate(bodies, 1):
        plan = Plan(source, i, split_paragraphs(body))
        if plan.paragraphs:
            plans.append(plan)
    return plans


def split_paragraphs(body: str) -> list[str]:
    """Every non-empty, non-cruft line of a plan is a paragraph."""
    out = []
    for line in body.split("\n"):
        line = line.strip()
        if not line or CRUFT_LINE.search(unicodedata.normalize("NFKC", line)):
            continue
        out.append(line)
    return out


# ---------------------------------------------------------------------------
# 2. Normalisation and near-duplicate clustering
# ---------------------------------------------------------------------------
LEADING_NUMBER = re.compile(
    r"^(?:[(（]?[一二三四五六七八九十\d]+[)）、.,，:：]|第[一二三四五六七八九十]+[、,，]?"
    r"|(?:first|second|third|fourth|fifth|sixth|seventh)[,.]?)\s*",
    re.I,
)


def normalise(par: str) -> str:
    """Fold width (NFKC), case and whitespace; drop a leading list number."""
    s = unicodedata.normalize("NFKC", par).lower()
    s = re.sub(r"\s+", " ", s).strip()
    prev = None
    while prev != s:
        prev, s = s, LEADING_NUMBER.sub("", s, count=1)
    return s


def shingles(s: str, k: int = SHINGLE) -> set[str]:
    s = s.replace(" ", "") if _mostly_cjk(s) else s
    return {s[i: i + k] for i in range(max(1, len(s) - k + 1))}


def _mostly_cjk(s: str) -> bool:
    cjk = sum(1 for c in s if "\u4e00" <= c <= "\u9fff")
    return cjk * 2 > len(s)


@dataclass
class Par:
    owner: str      # plan id (or block key)
    text: str       # original text
    norm: str
    grams: set[str]


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def make_pars(owned: list[tuple[str, str]]) -> list[Par]:
    pars = []
    for owner, text in owned:
        norm = normalise(text)
        if len(norm) >= MIN_CHARS:
            pars.append(Par(owner, text, norm, shingles(norm)))
    return pars


def near_duplicate_clusters(pars: list[Par], threshold: float = THRESHOLD) -> list[list[int]]:
    """Clusters (lists of indexes into ``pars``) of paragraphs that recur in
    two or more different owners at Jaccard >= threshold.

    Candidates come from an inverted index of shingles; a pair is only scored
    if its size ratio allows the threshold (|A∩B| <= min size, so
    J <= min/max), and the exact Jaccard is computed from the shared-shingle
    count.
    """
    index: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pars):
        for g in p.grams:
            index[g].append(i)
    uf = _UnionFind(len(pars))
    linked = set()
    for i, p in enumerate(pars):
        counts: dict[int, int] = defaultdict(int)
        for g in p.grams:
            for j in index[g]:
                if j > i:
                    counts[j] += 1
        a = len(p.grams)
        for j, inter in counts.items():
            q = pars[j]
            if q.owner == p.owner:
                continue
            b = len(q.grams)
            if min(a, b) < threshold * max(a, b):
                continue
            if inter / (a + b - inter) >= threshold:
                uf.union(i, j)
                linked.update((i, j))
    groups: dict[int, list[int]] = defaultdict(list)
    for i in sorted(linked):
        groups[uf.find(i)].append(i)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


# ---------------------------------------------------------------------------
# 3. Coverage by block topics
# ---------------------------------------------------------------------------
# Rule: a cluster is covered by the block whose topic terms have the most
# distinct hits in the cluster's normalised text (ties: longer matched terms
# win).  It counts as covered when that block has at least 2 distinct hits,
# or 1 hit of a specific term: a Chinese term of 6+ characters or a Latin
# term of 16+ characters.
SPECIFIC_CJK = 6
SPECIFIC_LATIN = 16


def _specific(term: str) -> bool:
    return len(term) >= (SPECIFIC_CJK if _mostly_cjk(term) else SPECIFIC_LATIN)


def load_blocks() -> dict[str, dict[str, Any]]:
    with open(TEMPLATES / "blocks.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def match_block(text: str, blocks: dict[str, dict[str, Any]]) -> tuple[str | None, list[str], bool]:
    """Best block for ``text``: (key, matched terms, covered?)."""
    best: tuple[int, int, str] | None = None
    best_terms: list[str] = []
    for key, meta in blocks.items():
        terms = [normalise(t) for t in meta.get("topics", [])]
        hits = sorted({t for t in terms if t and t in text})
        if not hits:
            continue
        score = (len(hits), sum(len(t) for t in hits), key)
        if best is None or score[:2] > best[:2]:
            best, best_terms = score, hits
    if best is None:
        return None, [], False
    covered = len(best_terms) >= 2 or any(_specific(t) for t in best_terms)
    return best[2], best_terms, covered


# ---------------------------------------------------------------------------
# 4. Block rendering, through planwriter itself
# ---------------------------------------------------------------------------
#: The library as planwriter renders it (bundled templates only).
LIBRARY = Environment()

CONTEXT = {
    "zh": {"org": "青山镇卫生院", "org_type": "township_health_center", "year": 2025,
           "superior": "青山县卫生健康局"},
    "en": {"org": "Qingshan Township Health Center", "org_type": "township_health_center",
           "year": 2025, "superior": "Qingshan County Health Bureau"},
}


def render_block(key: str, locale: str, params: dict[str, Any] | None = None,
                 org_type: str = "township_health_center") -> str:
    """Block ``key`` rendered in a sample context for an institution of ``org_type``,
    defaults overridden by ``params``."""
    meta = sample_meta(org_type)
    context = {**CONTEXT[locale], "org_type": org_type, "org": meta["organisation"][locale],
               "superior": meta["superior"][locale]}
    return LIBRARY.render_block(key, locale, context, params)


def block_paragraphs(rendered: str, locale: str = "zh") -> list[str]:
    """Paragraph and item texts of a rendered block (markup removed)."""
    sep = "：" if locale == "zh" else ": "
    return [f"{p.title}{sep}{p.text}" if p.title else p.text for p in parse_markup(rendered, locale)]


# ---------------------------------------------------------------------------
# 5. Themes, by meaning
# ---------------------------------------------------------------------------
# A theme (tools/themes.yaml) is a subject plans give a heading or paragraph to.
# Its facets name their subject with an anchor and say what a passage on it
# says with concepts, each a group of words meaning the same thing in the
# seeds' wording and the library's, in Chinese and English.  A passage carries
# a facet when it names the anchor and `need` of the concepts.  Seed passages
# are WINDOW consecutive paragraphs of a plan, the first naming the anchor; a block's passage is its
# title and the whole block as rendered for one institution type.
THEMES = Path(__file__).resolve().parent / "themes.yaml"
WINDOW = 4


@dataclass
class Facet:
    theme: str
    name: dict[str, str]
    anchor: re.Pattern
    concepts: list[re.Pattern]
    need: int

    def hits(self, text: str) -> list[str] | None:
        """The words of ``text`` (normalised) that carry the facet, anchor first; None if it does not."""
        anchor = self.anchor.search(text)
        if anchor is None:
            return None
        found = [m.group() for c in self.concepts if (m := c.search(text))]
        return [anchor.group()] + found if len(found) >= self.need else None


def _words(words: list[Any]) -> re.Pattern:
    parts = []
    for w in sorted({normalise(str(x)) for x in words}, key=len, reverse=True):
        if re.search(r"[a-z]", w):
            parts.append(r"(?<![a-z])" + re.escape(w) + r"(?:s|es)?(?![a-z])")
        else:
            parts.append(re.escape(w))
    return re.compile("|".join(parts))


def load_themes(path: Path = THEMES) -> dict[str, dict[str, Any]]:
    """Theme key → {title, facets: [Facet]} from ``themes.yaml``."""
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
    themes = {}
    for key, spec in data.items():
        facets = spec.get("facets") or [spec]
        themes[key] = {"title": spec["title"], "facets": [
            Facet(key, f.get("name", spec["title"]), _words(f["anchor"]),
                  [_words(c) for c in f["concepts"]], int(f.get("need", 1))) for f in facets]}
    return themes


def seed_themes(plans: list[Plan], themes: dict[str, dict[str, Any]]) -> dict[str, list[dict]]:
    """Facet (theme, index) → the seed plans that carry it, with the passage and words."""
    out: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for plan in plans:
        norms = [normalise(p) for p in plan.paragraphs]
        for key, theme in themes.items():
            for i, facet in enumerate(theme["facets"]):
                # A passage starts at a paragraph that names the facet's anchor.
                for start in (k for k, n in enumerate(norms) if facet.anchor.search(n)):
                    words = facet.hits(" ".join(norms[start:start + WINDOW]))
                    if words:
                        out[(key, i)].append({"plan": plan.id, "words": words,
                                              "sample": plan.paragraphs[start][:80]})
                        break
    return out


def block_themes(themes: dict[str, dict[str, Any]], blocks: dict[str, dict[str, Any]] | None = None
                 ) -> dict[tuple[str, int], list[dict]]:
    """Facet (theme, index) → the blocks that carry it in both languages, with the words and
    the sentences that carry them."""
    blocks = load_blocks() if blocks is None else blocks
    out: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for block in blocks:
        for org_type in blocks[block].get("org_types") or ["other"]:
            # A block brings its title into the plan unless the plan gives one.
            texts = {loc: " ".join([blocks[block]["title"][loc]]
                                   + block_paragraphs(render_block(block, loc, org_type=org_type), loc))
                     for loc in ("zh", "en")}
            norms = {loc: normalise(t) for loc, t in texts.items()}
            for key, theme in themes.items():
                for i, facet in enumerate(theme["facets"]):
                    if any(r["block"] == block for r in out[(key, i)]):
                        continue
                    zh, en = facet.hits(norms["zh"]), facet.hits(norms["en"])
                    if zh and en:
                        # How much of the block is about the facet: every use of its words.
                        score = sum(len(p.findall(norms[loc])) for loc in norms
                                    for p in [facet.anchor, *facet.concepts])
                        out[(key, i)].append({"block": block, "org_type": org_type, "score": score,
                                              "zh": zh, "en": en,
                                              "zh_sample": _sentence(texts["zh"], zh[0]),
                                              "en_sample": _sentence(texts["en"], en[0])})
    for rows in out.values():  # the block most about the facet first
        rows.sort(key=lambda r: -r["score"])
    return out


def _sentence(text: str, word: str) -> str:
    """The sentence of ``text`` that holds ``word`` (matched as normalised)."""
    for s in re.split(r"(?<=[。；！？])|(?<=[.;!?]) ", text):
        if word in normalise(s):
            return s.strip()[:90]
    return text[:90]


def analyse_themes(seeds: Path, themes: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Every theme: the seed plans that carry it, whether it recurs, and the blocks that
    carry each of its facets."""
    themes = load_themes() if themes is None else themes
    plans: list[Plan] = []
    for path in sorted(seeds.glob("*.txt")):
        plans += split_plans(path.read_text(encoding="utf-8"), path.name[:3])
    in_seeds = seed_themes(plans, themes)
    in_blocks = block_themes(themes)
    rows = []
    for key, theme in themes.items():
        facets = []
        for i, facet in enumerate(theme["facets"]):
            facets.append({"name": facet.name, "seeds": in_seeds.get((key, i), []),
                           "blocks": in_blocks.get((key, i), [])})
        carriers = {s["plan"] for f in facets for s in f["seeds"]}
        rows.append({"theme": key, "title": theme["title"], "plans": len(carriers),
                     "recurring": len(carriers) >= 2,
                     "carried": all(f["blocks"] for f in facets), "facets": facets})
    recurring = [r for r in rows if r["recurring"]]
    return {"themes": len(rows), "recurring": len(recurring),
            "carried": sum(r["carried"] for r in recurring), "rows": rows}


# ---------------------------------------------------------------------------
# 6. Report
# ---------------------------------------------------------------------------
def analyse(seeds: Path) -> dict[str, Any]:
    plans: list[Plan] = []
    for path in sorted(seeds.glob("*.txt")):
        plans += split_plans(path.read_text(encoding="utf-8"), path.name[:3])
    pars = make_pars([(p.id, t) for p in plans for t in p.paragraphs])
    clusters = near_duplicate_clusters(pars)
    blocks = load_blocks()

    total_chars = sum(len(p.norm) for p in pars)
    dup_chars = sum(len(pars[i].norm) for c in clusters for i in c)
    rows = []
    for n, members in enumerate(clusters, 1):
        text = " ".join(pars[i].norm for i in members)
        sample = pars[members[0]].text
        if CRUFT_CLUSTER.search(text):
            status, key, terms = "cruft", None, []
        else:
            key, terms, covered = match_block(text, blocks)
            status = "covered" if covered else "uncovered"
        rows.append({
            "cluster": n, "paragraphs": len(members),
            "plans": len({pars[i].owner for i in members}),
            "status": status, "block": key, "terms": terms,
            "sample": sample[:60],
        })
    content = [r for r in rows if r["status"] != "cruft"]
    return {
        "plans": len(plans),
        "paragraphs": len(pars),
        "duplicate_share": round(dup_chars / total_chars, 4) if total_chars else 0.0,
        "clusters": len(clusters),
        "content_clusters": len(content),
        "covered": sum(r["status"] == "covered" for r in rows),
        "uncovered": sum(r["status"] == "uncovered" for r in rows),
        "cruft_clusters": len(rows) - len(content),
        "rows": rows,
        "library": analyse_library(blocks),
    }


def analyse_library(blocks: dict[str, dict[str, Any]] | None = None, locale: str = "zh") -> dict[str, Any]:
    blocks = load_blocks() if blocks is None else blocks
    owned = []
    for key in blocks:
        for par in block_paragraphs(render_block(key, locale), locale):
            owned.append((key, par))
    pars = make_pars(owned)
    clusters = near_duplicate_clusters(pars)
    return {
        "blocks": len(blocks), "paragraphs": len(pars),
        "clusters": len(clusters),
        "duplicates": [sorted({pars[i].owner for i in c}) for c in clusters],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of seed pages")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if a content cluster or a recurring theme is not covered")
    ap.add_argument("--show", type=int, default=0,
                    help="also print N sample characters per cluster, and the evidence of each theme")
    args = ap.parse_args(argv)
    if not args.seeds.is_dir():
        print(f"seed folder not found: {args.seeds}", file=sys.stderr)
        return 2
    rep = analyse(args.seeds)
    rep["themes"] = analyse_themes(args.seeds)
    if args.json:
        print(json.dumps(rep, ensure_ascii=False, indent=2))
    else:
        print(f"{'#':>3}  {'pars':>4} {'plans':>5}  {'status':<9}  {'block':<32} terms")
        for r in rep["rows"]:
            line = (f"{r['cluster']:>3}  {r['paragraphs']:>4} {r['plans']:>5}  {r['status']:<9}  "
                    f"{r['block'] or '-':<32} {', '.join(r['terms'])}")
            if args.show:
                line += f"  | {r['sample'][:args.show]}"
            print(line)
        lib = rep["library"]
        print()
        print(f"seeds:   {rep['plans']} plans, {rep['paragraphs']} paragraphs, "
              f"{rep['duplicate_share']:.1%} of paragraph text near-duplicate, "
              f"{rep['clusters']} clusters across plans")
        print(f"         {rep['covered']}/{rep['content_clusters']} content clusters covered, "
              f"{rep['uncovered']} uncovered, {rep['cruft_clusters']} cruft clusters")
        print(f"library: {lib['blocks']} blocks, {lib['paragraphs']} paragraphs, "
              f"{lib['clusters']} near-duplicate clusters across blocks")
        print()
        print_themes(rep["themes"], args.show)
    themes = rep["themes"]
    if args.check and (rep["uncovered"] or themes["carried"] < themes["recurring"]):
        return 1
    return 0


def print_themes(themes: dict[str, Any], show: int = 0) -> None:
    """The themes table: each theme's seed plans and, for each facet, the block that
    carries it with the words that show it, in both languages."""
    print(f"{'theme':<24} {'plans':>5}  {'facet':<28} {'block':<34} evidence")
    for row in themes["rows"]:
        for i, facet in enumerate(row["facets"]):
            best = facet["blocks"][0] if facet["blocks"] else None
            name = row["theme"] if i == 0 else ""
            plans = str(row["plans"]) if i == 0 else ""
            evidence = (f"seeds: {len(facet['seeds'])} plans "
                        f"({', '.join(facet['seeds'][0]['words']) if facet['seeds'] else '-'})")
            if best:
                evidence += f"; zh: {', '.join(best['zh'])}; en: {', '.join(best['en'])}"
            print(f"{name:<24} {plans:>5}  {facet['name']['en'][:28]:<28} "
                  f"{(best['block'] if best else 'NOT CARRIED'):<34} {evidence}")
            if show and best:
                print(f"{'':<31}seed  {facet['seeds'][0]['plan']}: {facet['seeds'][0]['sample'][:show]}")
                print(f"{'':<31}zh    {best['zh_sample'][:show]}")
                print(f"{'':<31}en    {best['en_sample'][:show * 2]}")
    print()
    print(f"themes:  {themes['recurring']} of {themes['themes']} themes recur in two or more plans; "
          f"{themes['carried']}/{themes['recurring']} carried by blocks in both languages")


if __name__ == "__main__":
    sys.exit(main())
