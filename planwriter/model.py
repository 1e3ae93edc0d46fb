"""The plan model: what a work plan is, independent of any output format.

Build a :class:`Plan` in Python or load one from YAML with :func:`planwriter.load`.
Every text field takes either one string (used for every language) or a mapping
of languages, ``{zh: …, en: …}``, so one file can hold the Chinese and the
English plan.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from . import fields as f
from .errors import PlanError, PlanErrors
from .fields import Bad, field
from .numbering import MAX_DEPTH
from .schedule import parse_when, when_text

LOCALES: tuple[str, ...] = ("zh", "en")
ORG_TYPES: tuple[str, ...] = ("township_health_center", "community_health_center", "hospital",
                              "community", "other")
SECTION_KINDS: tuple[str, ...] = (
    "preamble", "situation", "guiding_ideology", "principles", "goals", "tasks", "measures",
    "schedule", "responsibilities", "safeguards", "inspection", "closing", "custom")
#: Kinds rendered as unnumbered running text, without a heading.
UNNUMBERED_KINDS = ("preamble", "closing")
COMPARATORS: tuple[str, ...] = ("at_least", "at_most", "reach", "increase_by", "decrease_by")
UNITS: tuple[str, ...] = ("percent", "permille", "per_100k", "persons", "yuan", "times", "none")
_UNIT_ALIASES = {"%": "percent", "‰": "permille", "per 100,000": "per_100k",
                 "per100k": "per_100k", "1/100000": "per_100k", "人": "persons",
                 "人次": "persons", "元": "yuan", "次": "times", "": "none"}

# C0 controls other than tab, newline and carriage return cannot appear in DOCX XML.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def describe_character(ch: str) -> str:
    """'control character U+0007', 'lone surrogate U+D800' or 'noncharacter U+FFFF'."""
    code = ord(ch)
    kind = ("lone surrogate" if 0xD800 <= code <= 0xDFFF else
            "noncharacter" if code in (0xFFFE, 0xFFFF) else "control character")
    return f"{kind} U+{code:04X}"


def _clean(text: str) -> str:
    if m := _CONTROL.search(text):
        raise ValueError(f"contains {describe_character(m.group())}, "
                         "which a document cannot hold; remove it")
    return text


def _clean_value(value: Any) -> Any:
    """A block parameter value, refused if any text in it holds a control character
    (which Markdown would carry and DOCX would drop) or a number is absurdly long."""
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        if value.bit_length() > 332:  # about 100 decimal digits
            raise ValueError("is a number too long to mean anything in a plan")
        return value
    if isinstance(value, dict):
        return {_clean(str(k)): _clean_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean_value(v) for v in value]
    raise ValueError(f"should be a text, a number or a list of them, not {type(value).__name__}")


_BLOCK_KEY = re.compile(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*")


def _block_key(v: str) -> str:
    if not _BLOCK_KEY.fullmatch(v):
        raise ValueError(f"{v!r} is not a block key; keys look like quality/infection_control "
                         "(run 'planwriter blocks' for the list)")
    return v


#: Key of the validation context under which texts note the languages they hold.
_LANGUAGES = "planwriter.languages"


class Text:
    """A text in one string (every language) or per language: ``{zh: …, en: …}``.

    ``root`` is the string or the mapping. Texts are immutable and compare by value.
    """

    __slots__ = ("root",)

    def __init__(self, root: str | dict[str, str]) -> None:
        try:
            object.__setattr__(self, "root", _TEXT.check(root, None))
        except Bad as e:
            raise ValueError(str(e)) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a Text cannot be changed")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and other.root == self.root

    def __hash__(self) -> int:
        root = self.root
        return hash(root if isinstance(root, str) else tuple(sorted(root.items())))

    def __repr__(self) -> str:
        return f"Text({self.root!r})"

    def __plain__(self) -> str | dict[str, str]:
        return self.root

    def get(self, locale: str) -> str:
        """The text in ``locale``; a plain string serves every locale."""
        if isinstance(self.root, str):
            return self.root
        if locale in self.root:
            return self.root[locale]
        raise KeyError(locale)

    def languages(self) -> tuple[str, ...]:
        return LOCALES if isinstance(self.root, str) else tuple(self.root)

    def __str__(self) -> str:
        return self.root if isinstance(self.root, str) else next(iter(self.root.values()))


class _TextKind(f.Kind):
    """A text: one string, or a mapping of languages to strings."""

    MESSAGE = "should be a text, or a mapping of texts per language {zh: …, en: …}"

    def check(self, v: Any, extra: dict | None) -> str | dict[str, str]:
        if isinstance(v, str):
            try:
                return _clean(v)
            except ValueError as e:
                raise Bad(str(e)) from None
        if not isinstance(v, dict):
            raise Bad(self.MESSAGE)
        if not v:
            raise Bad("a text mapping needs at least one language (zh or en)")
        out = {}
        for lang, t in v.items():
            if lang not in LOCALES:
                raise Bad(f"'{lang}' is not a language planwriter writes; use {' or '.join(LOCALES)}")
            if not isinstance(t, str):
                raise Bad(self.MESSAGE)
            try:
                out[lang] = _clean(t)
            except ValueError as e:
                raise Bad(str(e)) from None
        if extra is not None and _LANGUAGES in extra:
            extra[_LANGUAGES].update(out)  # for the plan's check of its languages
        return out

    def read(self, value, loc, ctx):
        if type(value) is str and not _CONTROL.search(value):  # the usual case, quickly
            root = value
        elif isinstance(value, Text):
            return value
        else:
            root = self.check(value, ctx.extra)
        text = _new_text(Text)
        _set(text, "root", root)
        return text

    def schema(self, defs):
        return {"anyOf": [{"type": "string"},
                          {"type": "object", "propertyNames": {"enum": list(LOCALES)},
                           "additionalProperties": {"type": "string"}, "minProperties": 1}]}

    def dump(self, value, json, lean=False):
        return value.root


_new_text = object.__new__
_set = object.__setattr__
_TEXT = _TextKind()
TEXT: f.Kind = _TEXT
OPTIONAL_TEXT: f.Kind = f.Optional(_TEXT)


def _param_value(value: Any) -> Any:
    return _clean_value(value)


def _param_name(name: str) -> str:
    return _clean(name)


WHEN = f.Parsed(parse_when, when_text, {
    "type": ["string", "integer"],
    "description": "2025-06-30, 2025-06, 6, Q1, 2025-Q3, H1, 2025, 2025-09..2025-10 or 'by 2025-06'"})


class Period(f.Model):
    """The span a plan covers, when it is not one calendar year."""

    start = field(f.Date())
    end = field(f.Date())

    def _check(self, loc, ctx):
        if self.end < self.start:
            raise Bad("period ends before it starts")


class Meta(f.Model):
    """Who writes the plan, for when, and in which languages."""

    organisation = field(TEXT, description="The institution, e.g. 青山镇卫生院")
    org_type = field(f.Choice(ORG_TYPES), "other")
    year = field(f.Optional(f.Int(ge=1949, le=2200)), None)
    period = field(f.Optional(f.Nested(Period)), None)
    locales = field(f.List(f.Choice(LOCALES), min_length=1), factory=lambda: ["zh"],
                    description="The languages the file holds; the first is the default")
    title = field(OPTIONAL_TEXT, None, description="Overrides the default title")
    superior = field(OPTIONAL_TEXT, None, description="The superior body, e.g. 县卫生健康局")
    issuer = field(OPTIONAL_TEXT, None, description="Defaults to the organisation")
    date = field(f.Optional(f.Date()), None, description="Date of issue")

    def _check(self, loc, ctx):
        if self.year is None and self.period is None:
            raise Bad("give the plan's year (year: 2025) or its period (period: {start, end})")
        if self.year is not None and self.period is not None and self.period.start.year != self.year:
            raise Bad(f"year {self.year} does not match the period, which starts in "
                      f"{self.period.start.year}; give one or the other")
        if len(set(self.locales)) != len(self.locales):
            raise Bad("locales lists a language twice")

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        if self.period is not None:
            return self.period.start, self.period.end
        assert self.year is not None
        return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)

    @property
    def plan_year(self) -> int:
        return self.year if self.year is not None else self.span[0].year


class Indicator(f.Model):
    """A numeric target: 参合率达到95%以上 / a participation rate of at least 95%."""

    name = field(TEXT)
    comparator = field(f.Choice(COMPARATORS), "reach")
    value = field(f.Number())
    unit = field(f.Choice(UNITS, aliases=_UNIT_ALIASES), "none")
    baseline = field(f.Optional(f.Number()), None)
    confirmed = field(f.Bool(), True, description="false while a target carried over from last "
                      "year's plan (new --from) awaits the author's confirmation")


class ScheduleEntry(f.Model):
    """One line of a schedule: when, what, and who is responsible."""

    when = field(WHEN)
    what = field(TEXT)
    owner = field(OPTIONAL_TEXT, None)


class Responsibility(f.Model):
    """One office or person and the duties it carries."""

    owner = field(TEXT)
    duties = field(TEXT)


class Node(f.Model):
    """A section or an item: its own text, a named block, nested items and data."""

    title = field(OPTIONAL_TEXT, None)
    text = field(OPTIONAL_TEXT, None)
    block = field(f.Optional(f.Str(_block_key)), None,
                  description="A template block key, e.g. quality/infection_control")
    params = field(f.Mapping(f.Anything(_param_value), key=_param_name), factory=dict,
                   description="Values for the block's parameters")
    items = field(f.List(f.Nested(lambda: Node)), factory=list)
    indicators = field(f.List(f.Nested(Indicator)), factory=list)
    schedule = field(f.List(f.Nested(ScheduleEntry)), factory=list)
    responsibilities = field(f.List(f.Nested(Responsibility)), factory=list)
    layout = field(f.Choice(("auto", "table", "list")), "auto",
                   description="How indicators, schedule and responsibilities appear")


class Section(Node):
    """A top-level section of a given kind (goals, tasks, safeguards …)."""

    kind = field(f.Choice(SECTION_KINDS), "custom")


def _depth(node: Node) -> int:
    return 1 + max((_depth(i) for i in node.items), default=0)


def _deepest(node: Node, path: str, levels: int) -> str:
    """The path of the first item nested ``levels`` below ``node`` that has items of its own."""
    for i, child in enumerate(node.items):
        if _depth(child) >= levels:
            return _deepest(child, f"{path}.items[{i}]", levels - 1) if levels > 1 else path
    return path


class Plan(f.Model):
    """A whole work plan: metadata and ordered sections."""

    meta = field(f.Nested(Meta))
    sections = field(f.List(f.Nested(Section), min_length=1))
    _source: Any = None  # a loader.Source when loaded from a file

    @classmethod
    def validate_data(cls, data: Any) -> "Plan":
        """Validate plain data (as read from YAML or JSON) into a Plan, quickly."""
        return cls.model_validate(data, context={_LANGUAGES: set()})

    def _check(self, loc, ctx):
        errors: list[PlanError] = []
        for i, s in enumerate(self.sections):
            if _depth(s) > MAX_DEPTH:
                errors.append(PlanError(f"sections nest at most {MAX_DEPTH} levels deep "
                                        f"(section '{s.title or s.kind}' has {_depth(s)})",
                                        field=_deepest(s, f"sections[{i}]", MAX_DEPTH)))
        wanted = set(self.meta.locales)
        noted = ctx.extra.get(_LANGUAGES)
        if (not noted <= wanted) if noted is not None else \
                any(type(t.root) is dict and not t.root.keys() <= wanted for t in _all_texts(self)):
            for path, text in self.texts():  # again, with paths, to say where
                if isinstance(text.root, dict):
                    for lang in text.root:
                        if lang not in wanted:
                            errors.append(PlanError(
                                f"has a text in '{lang}', but the plan's languages (meta.locales) "
                                f"are {', '.join(self.meta.locales)}", field=field_path(path)))
                            break
        if errors:
            raise errors[0] if len(errors) == 1 else PlanErrors(errors)

    @property
    def source(self) -> Any:
        """Where the plan was loaded from (file and line map), or None."""
        return self._source

    def texts(self):
        """Yield ``(path, Text)`` for every text in the plan, for checks."""
        yield from _texts(self, ())


_TEXT_FIELDS: dict[type, tuple[str, ...]] = {}


def _holds_texts(kind: f.Kind) -> bool:
    """Whether a field of this kind can hold a Text, directly or in models and lists."""
    if kind is _TEXT or isinstance(kind, f.Nested):
        return True
    inner = getattr(kind, "kind", None)
    return isinstance(inner, f.Kind) and _holds_texts(inner)


def _text_fields(cls: type) -> tuple[str, ...]:
    names = _TEXT_FIELDS.get(cls)
    if names is None:
        names = tuple(n for n, fd in cls.model_fields.items() if _holds_texts(fd.kind))
        _TEXT_FIELDS[cls] = names
    return names


def _all_texts(obj: Any) -> list[Text]:
    """Every Text under ``obj``, without their paths (a quick pass for checks)."""
    out: list[Text] = []
    stack = [obj]
    while stack:
        o = stack.pop()
        if type(o) is Text:
            out.append(o)
        elif type(o) is list:
            stack.extend(o)
        elif isinstance(o, f.Model):
            for name in _text_fields(type(o)):
                value = getattr(o, name)
                if value is not None:
                    stack.append(value)
    return out


def _texts(obj: Any, path: tuple):
    """Every Text under ``obj`` with its location, visiting only fields that can hold one."""
    if isinstance(obj, Text):
        yield path, obj
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _texts(v, path + (i,))
    elif isinstance(obj, f.Model):
        for name in _text_fields(type(obj)):
            value = getattr(obj, name)
            if value is not None:
                yield from _texts(value, path + (name,))


def is_localised(value: Any) -> bool:
    """Whether ``value`` is a per-language mapping such as ``{zh: …, en: …}``."""
    return isinstance(value, dict) and bool(value) and set(value) <= set(LOCALES)


def field_path(loc: tuple) -> str:
    """('sections', 2, 'items', 0, 'text') → 'sections[2].items[0].text'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
