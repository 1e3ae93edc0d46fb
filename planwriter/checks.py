"""Checks a plan for the mistakes that validation cannot see.

A plan can be valid and still not be ready to issue: a ``20xx`` left in a
sentence, a coverage rate of 120%, a deadline after the plan's year, a heading
with nothing under it.  :func:`check` composes the plan in each of its
languages, scans the rendered text and the plan's data, and returns
:class:`Finding` objects located by file, line and field.

Codes (stable; severities in brackets)
======================================

PW100 [error]    the plan does not compose in a language (an unknown block, a
                 missing block parameter …); the message is the composer's.
PW101 [error]    an unfilled placeholder: ``xx``, ``XX``, ``××``, ``20xx``,
                 ``20__``, ``__``, ``xx%``, ``[ ]``, ``（ ）``, ``TODO``, ``TBD``,
                 ``FIXME``, 待补充/待填写.
PW102 [error]    a text (or block parameter) given per language lacks one of
                 the plan's languages (meta.locales).
PW201 [error]    a percentage above 100 (or per mille above 1000) as an
                 ``at_least`` or ``reach`` target.
PW202 [error]    a negative target or baseline.
PW203 [error]    a ``decrease_by`` larger than the baseline it decreases.
PW204 [error]    one indicator name with two different targets.
PW205 [warning]  a target carried over from last year's plan (``confirmed: false``,
                 as ``planwriter new --from`` writes them) that nobody has looked at again:
                 still last year's value (its baseline). Change it, or set ``confirmed: true``.
PW206 [error]    a budget whose stated total is not the sum of its lines.
PW301 [warning]  a schedule entry outside the plan's year or period.
PW302 [warning]  a schedule entry that ends before the entry above it starts
                 (entries out of order).
PW303 [warning]  a schedule entry without an owner in a plan that assigns
                 responsibilities.
PW401 [warning]  a section with no text, block, items or data (preamble and
                 closing have default text and are never empty).
PW402 [warning]  a heading with nothing under it.
PW403 [warning]  a paragraph or item that repeats another one (character
                 5-gram Jaccard similarity ≥ 0.9, texts of 15 characters or more).
PW404 [warning]  a text in the wrong language: in the Chinese version, three or
                 more Latin words outnumbering its words of Chinese (two Han
                 characters to a word; acronyms such as HIS or DRG beside
                 Chinese, URLs and e-mail addresses count for neither); in the
                 English version, Chinese characters.
PW405 [warning]  half-width punctuation in Chinese text: an ASCII , . ; : ? !
                 ( ) " or ' next to a Han character in the Chinese version
                 (decimal points, "1." numbering, URLs and Latin-only phrases
                 are left alone); the first one in each text is reported.
PW501 [warning]  a library block used in a plan for an institution type the
                 block does not declare (village clinics in a hospital's plan);
                 its wording is written for other institutions.  Plans of type
                 ``other`` (the default) are not checked.
PW502 [warning]  a glossary term spelled two ways in one language of the plan
                 (院感科 beside 医院感染管理科, center beside centre); the
                 other spelling is reported, with the glossary's word.

Errors are things a reader would see as plainly wrong; warnings may be
intended.  ``planwriter check`` exits 2 when there are errors, 1 with
``--strict`` when there are warnings, and 0 otherwise.
"""
from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Any, Iterable, Literal

from . import model as m
from .errors import PlanError
from .tree import Document, Heading, Item, Paragraph, Signature, Table  # noqa: F401

Severity = Literal["error", "warning"]

SEVERITY: dict[str, Severity] = {
    "PW100": "error", "PW101": "error", "PW102": "error",
    "PW201": "error", "PW202": "error", "PW203": "error", "PW204": "error", "PW205": "warning",
    "PW206": "error",
    "PW301": "warning", "PW302": "warning", "PW303": "warning",
    "PW401": "warning", "PW402": "warning", "PW403": "warning", "PW404": "warning",
    "PW405": "warning", "PW501": "warning", "PW502": "warning",
}


@dataclass(frozen=True)
class Finding:
    """One problem found in a plan, located like a :class:`~planwriter.PlanError`."""

    code: str
    severity: Severity
    message: str
    file: str = ""
    line: int | None = None
    field: str = ""

    def __str__(self) -> str:
        # Formatted by PlanError, so that findings and errors locate alike:
        # ``file:line: CODE severity: field: message``.
        label = f"{self.code} {self.severity}"
        return str(PlanError(self.message, self.file, self.line,
                             f"{label}: {self.field}" if self.field else label))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _lazy:
    """A regular expression compiled on first use. Character classes spanning the CJK
    blocks take milliseconds to compile; a command that never needs one (render checks
    only placeholders and targets) should not pay for it."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, *args) -> None:
        self._args, self._compiled = args, None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)


# -- placeholders -----------------------------------------------------------
_LATIN = "A-Za-z"
PLACEHOLDER = re.compile(
    r"(?:19|20)(?:\d[xX×]|[xX×]{2}|_{2})(?![" + _LATIN + r"])"   # 20xx, 202x, 20××, 20__
    r"|(?<![" + _LATIN + r"])(?:x{2,}|X{2,}|×{2,}|ｘ{2,}|Ｘ{2,})(?![" + _LATIN + r"])%?"  # xx, XX%
    r"|_{2,}"                                                     # __ blanks
    r"|\[\s*\]|【\s*】|\(\s*\)|（\s*）"                            # [ ] and empty brackets
    r"|(?<![" + _LATIN + r"])(?:TODO|TBD|FIXME)(?![" + _LATIN + r"])"
    r"|待补充|待填写"
)

_CJK = _lazy(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")
_HAN = _lazy(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_HAN_CHAR = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# URLs and e-mail addresses: neither English nor Chinese, and ASCII punctuation belongs there.
_ADDRESS = (r"(?:https?|ftp)://[^\s" + _HAN_CHAR + r"，。；：？！（）“”‘’、]+"
            r"|www\.[^\s" + _HAN_CHAR + r"，。；：？！（）“”‘’、]+"
            r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = _lazy(_ADDRESS, re.ASCII)
# Where ASCII punctuation belongs in Chinese: addresses, and "1." or "1.2."
# numbering at the start of a text or after a space.
_ASCII_STRETCH = _lazy(_ADDRESS + r"|(?:^|(?<=\s))\d+(?:\.\d+)*\.(?!\d)", re.ASCII)
# An acronym (HIS, PACS, DRG, CT) reads the same in either language.
_ACRONYM = re.compile(r"[A-Z]{1,6}s?")
_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub("", text)


def _grams(text: str, n: int = 5) -> set[str]:
    t = _norm(text).lower()
    return {t[i:i + n] for i in range(max(1, len(t) - n + 1))}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _wrong_language(text: str, locale: str) -> bool:
    """Whether ``text`` is in the other language, counted in words, not letters.

    A run of Latin letters is one word; Chinese has about one word to two Han
    characters.  Beside Chinese, acronyms are names, not English; URLs and
    e-mail addresses are neither.
    """
    if locale == "en":
        return bool(_HAN.search(text)) or len(_CJK.findall(text)) >= 2
    han = len(_HAN.findall(text))
    words = _LATIN_WORD.findall(_URL.sub(" ", text))
    if han:
        words = [w for w in words if not _ACRONYM.fullmatch(w)]
    return len(words) >= 3 and len(words) > han / 2


# -- half-width punctuation in Chinese -------------------------------------
_HALF_WIDTH = {",": "，", ".": "。", ";": "；", ":": "：", "?": "？", "!": "！",
               "(": "（", ")": "）", '"': "“”", "'": "‘’"}
_HALF_WIDTH_NEXT_TO_HAN = _lazy(
    r"(?<=[" + _HAN_CHAR + r"])[,.;:?!()\"']"             # 宣传活动,
    r"|[,.;:?!()\"'](?=[ \t]*[" + _HAN_CHAR + r"])")       # "健康 or , 提高


def _half_width(text: str) -> re.Match | None:
    """The first ASCII punctuation mark next to a Han character in ``text``."""
    allowed = [m.span() for m in _ASCII_STRETCH.finditer(text)]
    for match in _HALF_WIDTH_NEXT_TO_HAN.finditer(text):
        i = match.start()
        if not any(a <= i < b for a, b in allowed):
            return match
    return None


# -- plan fields -----------------------------------------------------------
def _nodes(node: m.Node, path: str) -> Iterable[tuple[str, m.Node]]:
    """``node`` and every item under it (in content parts and schedule phases too), with paths."""
    yield path, node
    for sub, child in m.child_nodes(node):
        yield from _nodes(child, f"{path}.{sub}")


def _data(node: m.Node, path: str, kind: str) -> Iterable[tuple[str, list]]:
    """The lists of ``kind`` (indicators, schedule, actions …) a node holds, with their paths:
    its own field, or its content parts'."""
    if node.content is not None:
        for j, part in enumerate(node.content):
            if getattr(part, kind) is not None:
                yield f"{path}.content[{j}].{kind}", getattr(part, kind)
    elif getattr(node, kind):
        yield f"{path}.{kind}", getattr(node, kind)


def _params(node: m.Node, path: str) -> Iterable[tuple[str, dict]]:
    """The block parameters of a node (its own, or its content parts'), with their paths."""
    if node.content is not None:
        for j, part in enumerate(node.content):
            if part.params:
                yield f"{path}.content[{j}].params", part.params
    elif node.params:
        yield f"{path}.params", node.params


def _param_texts(value: Any, path: str) -> Iterable[tuple[str, Any]]:
    """Every string (or per-language mapping) in a block's parameters."""
    if m.is_localised(value):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _param_texts(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _param_texts(v, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, value


#: Texts compared with each new one at most, in PW403 (a bound on adversarial input).
_MAX_CANDIDATES = 200


def _section_index(origin: str) -> int | None:
    m_ = re.match(r"sections\[(\d+)\]", origin)
    return int(m_.group(1)) if m_ else None


class _Checker:
    def __init__(self, plan: m.Plan, env: Any, locales: list[str], errors_only: bool = False) -> None:
        self.plan, self.env, self.locales = plan, env, locales
        #: Only the error-level checks (what blocks a render), none of the warnings.
        self.errors_only = errors_only
        source = plan.source
        self.file = source.file if source is not None else ""
        self.findings: list[Finding] = []
        self._seen: set[tuple[str, str, str]] = set()
        self.scanned: list[tuple[str, str]] = []  # (field prefix, text) of the texts scanned

    def add(self, code: str, message: str, field: str = "", line: int | None = None) -> None:
        if self.errors_only and SEVERITY[code] != "error":
            return
        key = (code, field, message)
        if key in self._seen:
            return
        self._seen.add(key)
        source = self.plan.source
        if line is None and source is not None:
            line = source.line(field)
        self.findings.append(Finding(code, SEVERITY[code], message, self.file, line, field))

    # -- where a rendered text comes from ----------------------------------
    def node_at(self, path: str) -> Any:
        """What a field path such as ``sections[1].content[2].items[0]`` points at (a section,
        an item or a content part), or None."""
        obj: Any = self.plan
        for name, index in re.findall(r"([A-Za-z_]+)|\[(\d+)\]", path):
            try:
                obj = obj[int(index)] if index else getattr(obj, name)
            except (IndexError, AttributeError, TypeError, KeyError):
                return None
            if obj is None:
                return None
        return obj

    def refine(self, origin: str, needle: str, locale: str) -> str:
        """The field under ``origin`` (a node path, or a node's ``.block``/``.text``/``.title``)
        that holds ``needle``: a parameter of a block, an item's title or its text."""
        node_path, _, part = origin.rpartition(".")
        if not origin.endswith("]") and part in ("block", "title", "text", "kind"):
            base = node_path
        else:
            base, part = origin, ""
        if not base.startswith("sections["):
            return self.refine_meta(needle, locale) if origin.startswith("meta") else origin
        node = self.node_at(base)
        if node is None:
            return origin
        n_needle = _norm(needle)
        if part in ("", "block"):
            for name, value in (getattr(node, "params", None) or {}).items():
                for p, v in _param_texts(value, f"{base}.params.{name}"):
                    if isinstance(v, dict):
                        v = v.get(locale, "")
                    if n_needle and n_needle in _norm(str(v)):
                        return p
        if part == "":
            for name in ("title", "text"):
                text = getattr(node, name, None)
                if text is not None:
                    try:
                        if n_needle in _norm(text.get(locale)):
                            return f"{base}.{name}"
                    except KeyError:
                        pass
            return f"{base}.text" if getattr(node, "text", None) is not None else base
        return origin

    def refine_meta(self, needle: str, locale: str) -> str:
        meta = self.plan.meta
        for name in ("title", "organisation", "issuer", "superior"):
            text = getattr(meta, name)
            if text is not None:
                try:
                    if _norm(needle) in _norm(text.get(locale)):
                        return f"meta.{name}"
                except KeyError:
                    pass
        return "meta"

    # -- data checks -------------------------------------------------------
    def languages(self) -> None:
        wanted = self.plan.meta.locales

        def missing(texts: dict) -> list[str]:
            # A Traditional Chinese text is made from the Chinese one when not given.
            return [x for x in wanted if x not in texts and not (x == "zh-Hant" and "zh" in texts)]
        for loc, text in self.plan.texts():
            if isinstance(text.root, dict) and (gone := missing(text.root)):
                self.add("PW102", f"has no '{gone[0]}' text (the plan's languages are "
                                  f"{', '.join(wanted)})", m.field_path(loc))
        for i, s in enumerate(self.plan.sections):
            for path, node in _nodes(s, f"sections[{i}]"):
                for where, params in _params(node, path):
                    for name, value in params.items():
                        for p, v in _param_texts(value, f"{where}.{name}"):
                            if isinstance(v, dict) and (gone := missing(v)):
                                self.add("PW102", f"has no '{gone[0]}' text (the plan's "
                                                  f"languages are {', '.join(wanted)})", p)

    def indicators(self) -> None:
        seen: dict[tuple[str, str], tuple[str, tuple]] = {}
        for i, s in enumerate(self.plan.sections):
            for path, node in _nodes(s, f"sections[{i}]"):
                for where, inds in _data(node, path, "indicators"):
                    for j, ind in enumerate(inds):
                        self.indicator(ind, f"{where}[{j}]", seen)

    def indicator(self, ind: m.Indicator, p: str, seen: dict) -> None:
        unit = ind.unit if isinstance(ind.unit, str) else ""
        limit = {"percent": 100, "permille": 1000}.get(unit)
        sign = "%" if unit == "percent" else "‰"
        values = [(ind.comparator, ind.value, f"{p}.value")] if ind.value is not None else []
        values += [(t.comparator or ind.comparator, t.value, f"{p}.targets[{k}].value")
                   for k, t in enumerate(ind.targets)]
        for comparator, value, where in values:
            if limit is not None and comparator in ("at_least", "reach", "decrease_to", "equal") \
                    and value > limit:
                self.add("PW201", f"a target of {value:g}{sign} cannot be reached: "
                                  f"a rate is at most {limit}{sign}", where)
            if comparator in m.POINTS and value > 100:
                self.add("PW201", f"a change of {value:g} percentage points cannot happen: a "
                                  "rate moves within 100 points", where)
            if value < 0:
                hint = (" (use the opposite comparator for a fall or a rise)"
                        if comparator in ("increase_by", "decrease_by", *m.POINTS) else "")
                self.add("PW202", f"a target of {value:g} is negative{hint}", where)
        base = ind.baseline.value if ind.baseline is not None else None
        if base is not None and base < 0:
            self.add("PW202", f"a baseline of {base:g} is negative", f"{p}.baseline")
        if ind.value is not None and base is not None and base >= 0:
            if ind.comparator == "decrease_by" and ind.value > base:
                self.add("PW203", f"cannot decrease by {ind.value:g} from a baseline of {base:g}",
                         f"{p}.value")
            if ind.comparator == "decrease_by_points" and ind.value > base:
                self.add("PW203", f"cannot fall by {ind.value:g} percentage points from a baseline "
                                  f"of {base:g}", f"{p}.value")
        if not ind.confirmed and (base is None or ind.value == base or ind.targets):
            # (a target whose value no longer equals the baseline it was carried over as has
            # been changed: looked at again)
            self.add("PW205", "is last year's target, carried over: look at it again, then "
                              "change it or set 'confirmed: true'", f"{p}.value")
        target = (ind.comparator, ind.value, str(ind.unit),
                  tuple((str(t.by), t.value) for t in ind.targets))
        for locale in self.locales:
            try:
                name = " ".join(ind.name.get(locale).split()).casefold()
            except KeyError:
                continue
            first = seen.setdefault((locale, name), (p, target))
            if first[1] != target:
                self.add("PW204", f"indicator '{ind.name.get(locale)}' also has a "
                                  f"different target at {first[0]}", f"{p}.name")
                break

    def budgets(self) -> None:
        for i, s in enumerate(self.plan.sections):
            for path, node in _nodes(s, f"sections[{i}]"):
                for where, budget in _data(node, path, "budget"):
                    lines = sum(line.amount for line in budget.lines)
                    if budget.total is not None and abs(budget.total - lines) > 1e-6 * max(1, lines):
                        self.add("PW206", f"the total is {budget.total:g}, but the lines add up to "
                                          f"{lines:g}", f"{where}.total")

    def schedule(self) -> None:
        meta = self.plan.meta
        span = meta.span
        assigns = any(s.kind == "responsibilities" or any(True for _ in _data(n, "", "responsibilities"))
                      for i, s in enumerate(self.plan.sections)
                      for _, n in _nodes(s, f"sections[{i}]"))
        for i, s in enumerate(self.plan.sections):
            for path, node in _nodes(s, f"sections[{i}]"):
                for where, entries in _data(node, path, "schedule"):
                    self.entries(entries, where, span, assigns)

    def entries(self, entries: list[m.ScheduleEntry], path: str, span, assigns: bool) -> None:
        previous = None
        for j, entry in enumerate(entries):
            p = f"{path}[{j}]"
            if span is not None:
                start, end = span
                try:
                    first, last = entry.when.span(span)
                except ValueError:
                    continue  # a day the plan's year does not have: the composer says so
                if last > end or (not entry.when.deadline and first < start):
                    self.add("PW301", f"'{entry.when}' is outside the plan's period "
                                      f"({start.isoformat()} to {end.isoformat()})", f"{p}.when")
                begins = last if entry.when.deadline else first
                if previous is not None and last < previous[1]:
                    self.add("PW302", f"'{entry.when}' ends before the entry above it "
                                      f"('{previous[0]}') starts; list entries in date order",
                             f"{p}.when")
                previous = (entry.when, begins)
            if entry.owner is None and assigns and entry.phase is None and not entry.items:
                self.add("PW303", "has no owner, though the plan assigns responsibilities", p)

    @cached_property
    def empty_sections(self) -> frozenset[int]:
        """Indexes of the sections with nothing in them (PW401)."""
        return frozenset(
            i for i, s in enumerate(self.plan.sections)
            if s.kind not in m.UNNUMBERED_KINDS
            and not s.parts())

    def sections(self) -> None:
        for i in sorted(self.empty_sections):
            kind = self.plan.sections[i].kind
            self.add("PW401", f"the '{kind}' section is empty: give it a text, a block, "
                              "items or data, or remove it", f"sections[{i}]")

    # -- rendered text -----------------------------------------------------
    def compose(self, plan: m.Plan, locale: str) -> Document | None:
        errors: list[PlanError] = []
        doc = self.env.compose(plan, locale, errors=errors)
        for e in errors:
            if not (e.message.startswith("has no '") and e.message.endswith("' text")):
                self.add("PW100", f"the '{locale}' version does not compose: {e.message}",
                         e.field, e.line)
            # a missing language is reported as PW102
        return doc

    def rendered(self, locale: str, doc: Document | None = None) -> None:
        """Scan the document in ``locale`` (composed here unless given): every part that
        composes is checked, whatever fails elsewhere."""
        if doc is None:
            doc = self.compose(self.plan, locale)
        origins = doc.origins or ("",) * len(doc.blocks)
        self.scanned = []
        if doc.title:
            self.scan("meta", doc.title, locale, "the title")
        units: list[tuple[str, str]] = []  # (field, text) of paragraphs and items, in order
        blocks = doc.blocks
        for k, b in enumerate(blocks):
            origin = origins[k]
            if isinstance(b, Heading):
                rest = blocks[k + 1:k + 2]
                section = _section_index(origin)
                # A sibling or an ancestor's sibling (heading or item) is not content.
                if (not rest or (isinstance(rest[0], (Heading, Item)) and rest[0].level <= b.level)) \
                        and not (b.level == 1 and section in self.empty_sections):
                    self.add("PW402", f"heading '{b.text}' has nothing under it",
                             self.refine(origin, b.text, locale))
                self.scan(origin, b.text, locale)
            elif isinstance(b, (Paragraph, Item)):
                if isinstance(b, Item) and b.title:
                    self.scan(origin, b.title, locale)
                if b.text:
                    units.append((self.refine(origin, b.text, locale), b.text))
                    self.scan(origin, b.text, locale)
            elif isinstance(b, Table):
                for t in list(b.header) + [c for row in b.rows for c in row]:
                    self.scan(origin, t, locale)
            elif isinstance(b, Signature):
                self.scan("meta", b.issuer, locale)
        self.duplicates(units)
        self.spellings(locale)

    def scan(self, origin: str, text: str, locale: str, what: str = "") -> None:
        self.scanned.append((origin, text))
        for match in PLACEHOLDER.finditer(text):
            self.add("PW101", f"unfilled placeholder '{match.group()}' in "
                              f"{what or repr(_excerpt(text, match))}",
                     self.refine(origin, match.group(), locale))
        if self.errors_only:
            return
        if text and _wrong_language(text, locale):
            language = "Chinese" if locale == "zh" else "English"
            self.add("PW404", f"{_excerpt(text)!r} is not in {language}, the language of the "
                              f"'{locale}' version", self.refine(origin, text, locale))
        if locale == "zh" and (match := _half_width(text)):
            mark = match.group()
            i = match.start()
            needle = text[max(0, i - 2):i + 3].strip()
            self.add("PW405", f"half-width '{mark}' in Chinese text "
                              f"{_excerpt(text, match, 20)!r}; use '{_HALF_WIDTH[mark]}'",
                     self.refine(origin, needle, locale))

    def duplicates(self, units: list[tuple[str, str]], threshold: float = 0.9) -> None:
        """PW403 for each text that repeats an earlier one (Jaccard of character 5-grams ≥
        ``threshold``), found with prefix filtering: only texts sharing one of their rarest
        grams are compared, so the work grows with the number of texts, not its square."""
        if self.errors_only:
            return
        sets = [(field, text, _grams(text)) for field, text in units if len(_norm(text)) >= 15]
        frequency: dict[str, int] = {}
        for _, _, grams in sets:
            for g in grams:
                frequency[g] = frequency.get(g, 0) + 1
        index: dict[str, list[int]] = {}
        kept: list[tuple[str, str, set[str]]] = []
        for field, text, grams in sets:
            ordered = sorted(grams, key=lambda g: (frequency[g], g))
            prefix = ordered[:len(ordered) - math.ceil(threshold * len(ordered)) + 1]
            candidates: dict[int, None] = {}
            for g in prefix:
                for j in index.get(g, ()):
                    candidates[j] = None
            size = len(grams)
            for j in sorted(candidates)[:_MAX_CANDIDATES]:
                other_field, _, other = kept[j]
                if threshold * size <= len(other) <= size / threshold \
                        and _jaccard(grams, other) >= threshold:
                    self.add("PW403", f"{_excerpt(text)!r} repeats the text at {other_field}",
                             field)
                    break
            else:
                for g in prefix:
                    index.setdefault(g, []).append(len(kept))
                kept.append((field, text, grams))

    # -- institution fit and terminology ---------------------------------
    def fit(self) -> None:
        """PW501: blocks written for other institution types than the plan's."""
        org_type = self.plan.meta.org_type
        if org_type == "other":
            return
        for i, s in enumerate(self.plan.sections):
            for path, node in _nodes(s, f"sections[{i}]"):
                if not node.block:
                    continue
                try:
                    info = self.env.block(node.block)
                except PlanError:
                    continue  # an unknown block is PW100
                if info.org_types and org_type not in info.org_types:
                    self.add("PW501", f"block '{node.block}' is written for "
                                      f"{', '.join(info.org_types)}, not for {org_type} "
                                      "(meta.org_type); check that its wording fits", f"{path}.block")

    def spellings(self, locale: str) -> None:
        """PW502: a glossary term written in two spellings in one language."""
        if self.errors_only:
            return
        glossary = self.env.glossary
        # term → spelling → (origin, text, the spelling as written) where it is first found
        first: dict[str, dict[str, tuple[str, str, str]]] = {}
        for origin, text in self.scanned:
            for key, hits in glossary.found(text, locale).items():
                for _, _, written in hits:
                    spelling = glossary.spelling(key, locale, written)
                    first.setdefault(key, {}).setdefault(spelling, (origin, text, written))
        for key, spelt in first.items():
            if len(spelt) < 2:
                continue
            word = glossary.term(key, locale, self.plan.meta.org_type)
            for spelling, (origin, _, written) in spelt.items():
                if glossary.is_variant(key, locale, spelling):
                    other = next(s for s in spelt if s != spelling)
                    self.add("PW502", f"'{written}' and '{spelt[other][2]}' name the same thing; "
                                      f"write '{word}' throughout",
                             self.refine(origin, written, locale))

    def run(self, docs: dict[str, Document] | None = None) -> list[Finding]:
        self.languages()
        self.indicators()
        self.budgets()
        if not self.errors_only:
            self.schedule()
            self.sections()
            self.fit()
        for locale in self.locales:
            self.rendered(locale, (docs or {}).get(locale))
        return sorted(self.findings, key=lambda f: (f.line is None, f.line or 0, f.code))


def _excerpt(text: str, match: re.Match | None = None, width: int = 30) -> str:
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    if match is None:
        return text[:width] + "…"
    a = max(0, match.start() - width // 2)
    return ("…" if a else "") + text[a:a + width] + ("…" if a + width < len(text) else "")


def check(plan: m.Plan, env: Any = None, locales: Iterable[str] | None = None, *,
          errors_only: bool = False, documents: dict[str, Document] | None = None) -> list[Finding]:
    """Everything that looks wrong in ``plan``, in every language it holds.

    ``env`` is the :class:`~planwriter.Environment` to compose with (default: the
    bundled templates); ``locales`` limits the languages checked. ``errors_only`` runs
    only the error-level checks (what ``planwriter render`` refuses to write), and
    ``documents`` are the plan already composed, by locale, so it is not composed again.
    """
    if env is None:
        from . import default_environment
        env = default_environment()
    chosen = list(locales) if locales is not None else list(plan.meta.locales)
    return _Checker(plan, env, [x for x in chosen if x in plan.meta.locales],
                    errors_only).run(documents)


def exit_code(findings: list[Finding], strict: bool = False) -> int:
    """2 with errors, 1 with warnings under ``strict``, else 0."""
    if any(f.severity == "error" for f in findings):
        return 2
    return 1 if strict and findings else 0
