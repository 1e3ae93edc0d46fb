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
    "PW201": "error", "PW202": "error", "PW203": "error", "PW204": "error",
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

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_HAN_CHAR = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# URLs and e-mail addresses: neither English nor Chinese, and ASCII punctuation belongs there.
_ADDRESS = (r"(?:https?|ftp)://[^\s" + _HAN_CHAR + r"，。；：？！（）“”‘’、]+"
            r"|www\.[^\s" + _HAN_CHAR + r"，。；：？！（）“”‘’、]+"
            r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(_ADDRESS, re.ASCII)
# Where ASCII punctuation belongs in Chinese: addresses, and "1." or "1.2."
# numbering at the start of a text or after a space.
_ASCII_STRETCH = re.compile(_ADDRESS + r"|(?:^|(?<=\s))\d+(?:\.\d+)*\.(?!\d)", re.ASCII)
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
_HALF_WIDTH_NEXT_TO_HAN = re.compile(
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
    yield path, node
    for i, child in enumerate(node.items):
        yield from _nodes(child, f"{path}.items[{i}]")


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


class _Checker:
    def __init__(self, plan: m.Plan, env: Any, locales: list[str]) -> None:
        self.plan, self.env, self.locales = plan, env, locales
        source = plan.source
        self.file = source.file if source is not None else ""
        self.findings: list[Finding] = []
        self._seen: set[tuple[str, str, str]] = set()
        self.scanned: list[tuple[str, str]] = []  # (field prefix, text) of the texts scanned

    def add(self, code: str, message: str, field: str = "", line: int | None = None) -> None:
        key = (code, field, message)
        if key in self._seen:
            return
        self._seen.add(key)
        source = self.plan.source
        if line is None and source is not None:
            line = source.line(field)
        self.findings.append(Finding(code, SEVERITY[code], message, self.file, line, field))

    # -- where a rendered text comes from ----------------------------------
    def fields(self, locale: str) -> list[tuple[str, str]]:
        out = []
        for loc, text in self.plan.texts():
            try:
                out.append((m.field_path(loc), text.get(locale)))
            except KeyError:
                pass
        for i, s in enumerate(self.plan.sections):
            for path, node in _nodes(s, f"sections[{i}]"):
                for name, value in node.params.items():
                    for p, v in _param_texts(value, f"{path}.params.{name}"):
                        if isinstance(v, dict):
                            v = v.get(locale, "")
                        out.append((p, v))
        return out

    def locate(self, fields: list[tuple[str, str]], prefix: str, needle: str, unit: str,
               cursor: list[int] | None = None) -> str:
        """The plan field that most likely produced ``needle`` inside rendered ``unit``.

        ``cursor`` is ``[first, last]``: fields from index ``first`` on are preferred,
        so that a text repeated in two fields is found in each, and ``last`` records
        the furthest field matched.
        """
        n_needle, n_unit = _norm(needle), _norm(unit)
        after = cursor[0] if cursor else 0
        best, best_key = -1, (0, 0)
        for index, (path, text) in enumerate(fields):
            if not (path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "[")):
                continue
            t = _norm(text)
            if not t or n_needle not in t:
                continue
            key = (2 if (t in n_unit or n_unit in t) else 1, 1 if index >= after else 0)
            if key > best_key:
                best, best_key = index, key
        if best >= 0:
            if cursor is not None:
                cursor[1] = max(cursor[1], best)
            return fields[best][0]
        if prefix.startswith("sections["):
            section = self.plan.sections[int(prefix[9:prefix.index("]")])]
            blocks = [p for p, node in _nodes(section, prefix) if node.block]
            if len(blocks) == 1:
                return f"{blocks[0]}.block"
        return prefix

    # -- data checks -------------------------------------------------------
    def languages(self) -> None:
        wanted = self.plan.meta.locales
        for loc, text in self.plan.texts():
            if isinstance(text.root, dict):
                missing = [x for x in wanted if x not in text.root]
                if missing:
                    self.add("PW102", f"has no '{missing[0]}' text (the plan's languages are "
                                      f"{', '.join(wanted)})", m.field_path(loc))
        for i, s in enumerate(self.plan.sections):
            for path, node in _nodes(s, f"sections[{i}]"):
                for name, value in node.params.items():
                    for p, v in _param_texts(value, f"{path}.params.{name}"):
                        if isinstance(v, dict) and (missing := [x for x in wanted if x not in v]):
                            self.add("PW102", f"has no '{missing[0]}' text (the plan's languages "
                                              f"are {', '.join(wanted)})", p)

    def indicators(self) -> None:
        seen: dict[tuple[str, str], tuple[str, tuple]] = {}
        for i, s in enumerate(self.plan.sections):
            for path, node in _nodes(s, f"sections[{i}]"):
                for j, ind in enumerate(node.indicators):
                    p = f"{path}.indicators[{j}]"
                    limit = {"percent": 100, "permille": 1000}.get(ind.unit)
                    if limit is not None and ind.comparator in ("at_least", "reach") \
                            and ind.value > limit:
                        sign = "%" if ind.unit == "percent" else "‰"
                        self.add("PW201", f"a target of {ind.value:g}{sign} cannot be reached: "
                                          f"a rate is at most {limit}{sign}", f"{p}.value")
                    if ind.value < 0:
                        hint = (" (use the opposite comparator for a fall or a rise)"
                                if ind.comparator in ("increase_by", "decrease_by") else "")
                        self.add("PW202", f"a target of {ind.value:g} is negative{hint}", f"{p}.value")
                    if ind.baseline is not None and ind.baseline < 0:
                        self.add("PW202", f"a baseline of {ind.baseline:g} is negative",
                                 f"{p}.baseline")
                    if ind.comparator == "decrease_by" and ind.baseline is not None \
                            and ind.value > ind.baseline >= 0:
                        self.add("PW203", f"cannot decrease by {ind.value:g} from a baseline "
                                          f"of {ind.baseline:g}", f"{p}.value")
                    target = (ind.comparator, ind.value, ind.unit)
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

    def schedule(self) -> None:
        meta = self.plan.meta
        start, end = meta.span
        assigns = any(s.kind == "responsibilities" or n.responsibilities
                      for i, s in enumerate(self.plan.sections)
                      for _, n in _nodes(s, f"sections[{i}]"))
        for i, s in enumerate(self.plan.sections):
            for path, node in _nodes(s, f"sections[{i}]"):
                previous = None
                for j, entry in enumerate(node.schedule):
                    p = f"{path}.schedule[{j}]"
                    first, last = entry.when.span(meta.span)
                    if last > end or (not entry.when.deadline and first < start):
                        self.add("PW301", f"'{entry.when}' is outside the plan's period "
                                          f"({start.isoformat()} to {end.isoformat()})", f"{p}.when")
                    begins = last if entry.when.deadline else first
                    if previous is not None and last < previous[1]:
                        self.add("PW302", f"'{entry.when}' ends before the entry above it "
                                          f"('{previous[0]}') starts; list entries in date order",
                                 f"{p}.when")
                    previous = (entry.when, begins)
                    if entry.owner is None and assigns:
                        self.add("PW303", "has no owner, though the plan assigns responsibilities",
                                 p)

    @cached_property
    def empty_sections(self) -> frozenset[int]:
        """Indexes of the sections with nothing in them (PW401)."""
        return frozenset(
            i for i, s in enumerate(self.plan.sections)
            if s.kind not in m.UNNUMBERED_KINDS
            and not (s.text or s.block or s.items or s.indicators or s.schedule
                     or s.responsibilities))

    def sections(self) -> None:
        for i in sorted(self.empty_sections):
            kind = self.plan.sections[i].kind
            self.add("PW401", f"the '{kind}' section is empty: give it a text, a block, "
                              "items or data, or remove it", f"sections[{i}]")

    # -- rendered text -----------------------------------------------------
    def compose(self, plan: m.Plan, locale: str) -> Document | None:
        try:
            return self.env.compose(plan, locale)
        except PlanError as e:
            if not (e.message.startswith("has no '") and e.message.endswith("' text")):
                self.add("PW100", f"the '{locale}' version does not compose: {e.message}",
                         e.field, e.line)
            return None  # a missing language is reported as PW102

    def rendered(self, locale: str) -> None:
        """Compose section by section, so that a failure in one leaves the rest checked."""
        fields = self.fields(locale)
        self.scanned = []
        frame = self.compose(self.plan.model_copy(update={"sections": []}), locale)
        if frame is not None:
            self.scan(fields, "meta", frame.title, locale, "the title")
        units: list[tuple[str, str]] = []  # (field, text) of paragraphs and items, in order
        for i, section in enumerate(self.plan.sections):
            prefix = f"sections[{i}]"
            doc = self.compose(self.plan.model_copy(update={"sections": [section]}), locale)
            if doc is None:
                continue
            blocks = doc.blocks
            cursor = [0, -1]
            for k, b in enumerate(blocks):
                # Fields of this block are looked for from the cursor on; the next block's
                # after the last field this one matched.
                here = [cursor[0], -1]
                texts: list[str] = []
                if isinstance(b, Heading):
                    texts = [b.text]
                    rest = blocks[k + 1:]
                    # A sibling or an ancestor's sibling (heading or item) is not content.
                    if (not rest or (isinstance(rest[0], (Heading, Item))
                                     and rest[0].level <= b.level)) \
                            and not (b.level == 1 and i in self.empty_sections):
                        self.add("PW402", f"heading '{b.text}' has nothing under it",
                                 self.locate(fields, prefix, b.text, b.text, here))
                elif isinstance(b, (Paragraph, Item)):
                    if isinstance(b, Item) and b.title:
                        texts.append(b.title)
                        self.locate(fields, prefix, b.title, b.title, here)
                    texts.append(b.text)
                    if b.text:
                        units.append((self.locate(fields, prefix, b.text, b.text, here), b.text))
                elif isinstance(b, Table):
                    texts = list(b.header) + [c for row in b.rows for c in row]
                elif isinstance(b, Signature):
                    continue  # the issuer is the organisation, checked with the title
                for t in texts:
                    self.scan(fields, prefix, t, locale, cursor=here)
                if here[1] >= cursor[0]:
                    cursor[0] = here[1] + 1
        if frame is not None:
            for b in frame.blocks:
                if isinstance(b, Signature):
                    self.scan(fields, "meta", b.issuer, locale)
        self.duplicates(units)
        self.spellings(fields, locale)

    def scan(self, fields: list[tuple[str, str]], prefix: str, text: str, locale: str,
             what: str = "", cursor: list[int] | None = None) -> None:
        self.scanned.append((prefix, text))
        for match in PLACEHOLDER.finditer(text):
            field = self.locate(fields, prefix, match.group(), text, cursor)
            self.add("PW101", f"unfilled placeholder '{match.group()}' in "
                              f"{what or repr(_excerpt(text, match))}", field)
        if text and _wrong_language(text, locale):
            language = "Chinese" if locale == "zh" else "English"
            self.add("PW404", f"{_excerpt(text)!r} is not in {language}, the language of the "
                              f"'{locale}' version", self.locate(fields, prefix, text, text, cursor))
        if locale == "zh" and (match := _half_width(text)):
            mark = match.group()
            i = match.start()
            needle = text[max(0, i - 2):i + 3].strip()
            self.add("PW405", f"half-width '{mark}' in Chinese text "
                              f"{_excerpt(text, match, 20)!r}; use '{_HALF_WIDTH[mark]}'",
                     self.locate(fields, prefix, needle, text, cursor))

    def duplicates(self, units: list[tuple[str, str]]) -> None:
        kept: list[tuple[str, str, set[str]]] = []
        for field, text in units:
            if len(_norm(text)) < 15:
                continue
            grams = _grams(text)
            for other_field, other, other_grams in kept:
                if _jaccard(grams, other_grams) >= 0.9:
                    self.add("PW403", f"{_excerpt(text)!r} repeats the text at {other_field}", field)
                    break
            else:
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

    def spellings(self, fields: list[tuple[str, str]], locale: str) -> None:
        """PW502: a glossary term written in two spellings in one language."""
        glossary = self.env.glossary
        # term → spelling → (prefix, text, the spelling as written) where it is first found
        first: dict[str, dict[str, tuple[str, str, str]]] = {}
        for prefix, text in self.scanned:
            for key, hits in glossary.found(text, locale).items():
                for _, _, written in hits:
                    spelling = glossary.spelling(key, locale, written)
                    first.setdefault(key, {}).setdefault(spelling, (prefix, text, written))
        for key, spelt in first.items():
            if len(spelt) < 2:
                continue
            word = glossary.term(key, locale, self.plan.meta.org_type)
            for spelling, (prefix, text, written) in spelt.items():
                if glossary.is_variant(key, locale, spelling):
                    other = next(s for s in spelt if s != spelling)
                    self.add("PW502", f"'{written}' and '{spelt[other][2]}' name the same thing; "
                                      f"write '{word}' throughout",
                             self.locate(fields, prefix, written, text))

    def run(self) -> list[Finding]:
        self.languages()
        self.indicators()
        self.schedule()
        self.sections()
        self.fit()
        for locale in self.locales:
            self.rendered(locale)
        return sorted(self.findings, key=lambda f: (f.line is None, f.line or 0, f.code))


def _excerpt(text: str, match: re.Match | None = None, width: int = 30) -> str:
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    if match is None:
        return text[:width] + "…"
    a = max(0, match.start() - width // 2)
    return ("…" if a else "") + text[a:a + width] + ("…" if a + width < len(text) else "")


def check(plan: m.Plan, env: Any = None, locales: Iterable[str] | None = None) -> list[Finding]:
    """Everything that looks wrong in ``plan``, in every language it holds.

    ``env`` is the :class:`~planwriter.Environment` to compose with (default: the
    bundled templates); ``locales`` limits the languages checked.
    """
    if env is None:
        from . import default_environment
        env = default_environment()
    chosen = list(locales) if locales is not None else list(plan.meta.locales)
    return _Checker(plan, env, [x for x in chosen if x in plan.meta.locales]).run()


def exit_code(findings: list[Finding], strict: bool = False) -> int:
    """2 with errors, 1 with warnings under ``strict``, else 0."""
    if any(f.severity == "error" for f in findings):
        return 2
    return 1 if strict and findings else 0
