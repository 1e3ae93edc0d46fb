"""The library's terminology: one term for one thing, in each language and for each institution.

``templates/glossary.yaml`` (and a ``glossary.yaml`` in any template folder on the
search path, whose entries override the bundled ones) holds two mappings:

``terms``
    key → ``{zh: …, en: …, variants: {zh: […], en: […]}, parity: true}``.  A form is
    one string, or a mapping of institution types (``org_type``) to strings with
    ``other`` as the fallback: ``self: {zh: {hospital: 我院, community: 本社区, other: 本单位}}``.
    Blocks write ``{{ term('infection_department') }}`` and get the form for the
    language and institution they are rendered for.  ``variants`` are other
    spellings of the same thing (院感科 for 医院感染管理科): the library never uses
    them, and ``planwriter check`` reports a plan that spells a term two ways.
    ``parity: false`` exempts a term from the rule that a block which uses it in
    one language uses it in the other.

``out_of_place``
    org type → ``{zh: […], en: […]}``: words that do not belong in a plan of that
    type (villages in an urban centre, obstetrics in a community health service
    centre, 科室 in a residents' committee).  No block renders one of them for an
    institution type it declares.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from .errors import PlanError
from .model import LOCALES, ORG_TYPES

#: The fallback key of a form given per institution type.
FALLBACK = "other"
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class Term:
    """One glossary entry: its forms per language, its other spellings, whether parity applies."""

    key: str
    forms: dict[str, Any]
    variants: dict[str, tuple[str, ...]] = field(default_factory=dict)
    parity: bool = True

    def form(self, locale: str, org_type: str | None = None) -> str:
        """The term in ``locale`` for an institution of ``org_type``."""
        if locale == "zh-Hant" and locale not in self.forms:
            from .hant import to_traditional
            return to_traditional(self.form("zh", org_type))
        form = self.forms[locale]
        if isinstance(form, dict):
            return form.get(org_type or FALLBACK, form[FALLBACK])
        return form

    def spellings(self, locale: str) -> tuple[str, ...]:
        """Every spelling of the term in ``locale``: its forms first, then its variants."""
        form = self.forms.get(locale)
        forms = sorted(set(form.values())) if isinstance(form, dict) else ([form] if form else [])
        return tuple(forms) + self.variants.get(locale, ())


def _pattern(words: Iterable[str]) -> re.Pattern | None:
    """A pattern finding any of ``words``: Chinese as written, Latin words whole and in any case,
    with an optional plural ending (centre, centres)."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        if _LATIN.search(w):
            parts.append(r"(?<![A-Za-z])" + re.escape(w) + r"(?:s|es)?(?![A-Za-z])")
        else:
            parts.append(re.escape(w))
    return re.compile("|".join(parts), re.I) if parts else None


class Glossary:
    """The merged glossary of a template search path."""

    def __init__(self, terms: dict[str, Term], out_of_place: dict[str, dict[str, tuple[str, ...]]]):
        self.terms = terms
        self.out_of_place = out_of_place
        self._patterns: dict[tuple[str, str], re.Pattern | None] = {}

    # -- loading -------------------------------------------------------------
    @classmethod
    def merge(cls, documents: Sequence[tuple[Any, Any]]) -> "Glossary":
        """The glossary of ``documents`` — (data, Source) of each ``glossary.yaml`` on a
        search path, first searched first — with earlier entries overriding later ones."""
        terms: dict[str, Term] = {}
        misplaced: dict[str, dict[str, tuple[str, ...]]] = {}
        for data, source in reversed(list(documents)):
            if data is None:
                continue
            if not isinstance(data, dict) or not set(data) <= {"terms", "out_of_place"}:
                raise source.error("the glossary must be a mapping with 'terms' and 'out_of_place'")
            for name in ("terms", "out_of_place"):
                if not isinstance(data.get(name) or {}, dict):
                    raise source.error(f"'{name}' in the glossary must be a mapping", name)
            for key, entry in (data.get("terms") or {}).items():
                terms[str(key)] = _term(str(key), entry, source)
            for org_type, words in (data.get("out_of_place") or {}).items():
                where = f"out_of_place.{org_type}"
                if org_type not in ORG_TYPES:
                    raise source.error(f"unknown institution type '{org_type}' (types: "
                                       f"{', '.join(ORG_TYPES)})", where)
                if not isinstance(words, dict) or not set(words) <= set(LOCALES) or not all(
                        isinstance(w, list) for w in words.values()):
                    raise source.error("must map languages to lists of words", where)
                misplaced[org_type] = {loc: tuple(str(w) for w in words.get(loc) or ())
                                       for loc in LOCALES}
        return cls(terms, misplaced)

    @classmethod
    def from_folders(cls, folders: Sequence[Path]) -> "Glossary":
        """The glossary of the ``glossary.yaml`` files of template ``folders`` (first
        overrides), each read like a plan: bounded, plain YAML, every error located, and never
        through a link out of its folder."""
        from .environment import read_folder_yaml
        documents = [read_folder_yaml(folder, folder / "glossary.yaml", "the glossary")
                     for folder in folders]
        documents = [(data, source) for data, source in documents if source is not None]
        return cls.merge(documents)

    # -- use -----------------------------------------------------------------
    def term(self, key: str, locale: str, org_type: str | None = None) -> str:
        try:
            entry = self.terms[key]
        except KeyError:
            raise PlanError(f"the glossary has no term '{key}'") from None
        return entry.form(locale, org_type)

    def found(self, text: str, locale: str) -> dict[str, list[tuple[int, int, str]]]:
        """Term key → the spellings of it in ``text`` as (start, end, spelling).

        A spelling inside a longer spelling of the same term, or of another term that is a
        name (one with parity), is not counted: 院感 inside 院感科 is that department
        named once, and 医院感染 inside 医院感染管理科 names the department, not the
        subject.  Generic terms (``parity: false``, such as ``self``) swallow nothing:
        centre inside "the health centre" is still a spelling of centre.
        """
        hits = []
        for key in self.terms:
            pattern = self._pattern(key, locale)
            if pattern is not None:
                hits += [(m.start(), m.end(), m.group(), key) for m in pattern.finditer(text)]
        out: dict[str, list[tuple[int, int, str]]] = {}
        for start, end, word, key in hits:
            if any(s <= start and end <= e and (e - s) > (end - start)
                   and (other == key or self.terms[other].parity) for s, e, _, other in hits):
                continue
            out.setdefault(key, []).append((start, end, word))
        return out

    def spelling(self, key: str, locale: str, written: str) -> str:
        """Which of the term's spellings ``written`` is (folding case and plural endings)."""
        low = written.casefold()
        for s in sorted(self.terms[key].spellings(locale), key=len, reverse=True):
            if low == s.casefold() or (low.startswith(s.casefold()) and low[len(s):] in ("s", "es")):
                return s
        return written

    def is_variant(self, key: str, locale: str, spelling: str) -> bool:
        return spelling in self.terms[key].variants.get(locale, ())

    def misplaced(self, text: str, locale: str, org_type: str) -> list[str]:
        """The words of ``text`` that do not belong in a plan for ``org_type``."""
        key = ("out_of_place:" + org_type, locale)
        if key not in self._patterns:
            self._patterns[key] = _pattern(self.out_of_place.get(org_type, {}).get(locale, ()))
        pattern = self._patterns[key]
        return [m.group() for m in pattern.finditer(text)] if pattern else []

    def _pattern(self, key: str, locale: str) -> re.Pattern | None:
        if (key, locale) not in self._patterns:
            self._patterns[(key, locale)] = _pattern(self.terms[key].spellings(locale))
        return self._patterns[(key, locale)]


def _term(key: str, entry: Any, source: Any) -> Term:
    where = f"terms.{key}"
    if not isinstance(entry, dict) or not set(entry) <= {*LOCALES, "variants", "parity"}:
        raise source.error(f"term '{key}' must give zh, en and optionally variants and parity",
                           where)
    forms: dict[str, Any] = {}
    for loc in LOCALES:
        form = entry.get(loc)
        if form is None and loc == "zh-Hant":
            continue  # converted from zh when a Traditional Chinese plan asks for it
        if isinstance(form, dict):
            if FALLBACK not in form or not set(form) <= set(ORG_TYPES) or not all(
                    isinstance(v, str) and v for v in form.values()):
                raise source.error(f"term '{key}': a form per institution type needs "
                                   f"'{FALLBACK}' and known types only ({', '.join(ORG_TYPES)})",
                                   f"{where}.{loc}")
            forms[loc] = dict(form)
        elif isinstance(form, str) and form:
            forms[loc] = form
        else:
            raise source.error(f"term '{key}' has no '{loc}' form", where)
    variants = entry.get("variants") or {}
    if not isinstance(variants, dict) or not set(variants) <= set(LOCALES) or not all(
            isinstance(v, list) for v in variants.values()):
        raise source.error(f"term '{key}': variants must map languages to lists",
                           f"{where}.variants")
    return Term(key, forms, {loc: tuple(str(v) for v in vs) for loc, vs in variants.items()},
                entry.get("parity", True) is not False)
