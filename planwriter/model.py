"""The plan model: what a work plan is, independent of any output format.

Build a :class:`Plan` in Python or load one from YAML with :func:`planwriter.load`.
Every text field takes either one string (used for every language) or a mapping
of languages, ``{zh: …, en: …}``, so one file can hold the Chinese and the
English plan.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, Union

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, PrivateAttr,
                      RootModel, ValidationInfo, WithJsonSchema, field_validator, model_validator)

from .errors import PlanError, PlanErrors
from .numbering import MAX_DEPTH
from .schedule import When, parse_when

Locale = Literal["zh", "en"]
LOCALES: tuple[str, ...] = ("zh", "en")

OrgType = Literal["township_health_center", "community_health_center", "hospital",
                  "community", "other"]
ORG_TYPES: tuple[str, ...] = OrgType.__args__  # type: ignore[attr-defined]

SectionKind = Literal["preamble", "situation", "guiding_ideology", "principles", "goals",
                      "tasks", "measures", "schedule", "responsibilities", "safeguards",
                      "inspection", "closing", "custom"]
SECTION_KINDS: tuple[str, ...] = SectionKind.__args__  # type: ignore[attr-defined]
#: Kinds rendered as unnumbered running text, without a heading.
UNNUMBERED_KINDS = ("preamble", "closing")

Comparator = Literal["at_least", "at_most", "reach", "increase_by", "decrease_by"]
COMPARATORS: tuple[str, ...] = Comparator.__args__  # type: ignore[attr-defined]
Unit = Literal["percent", "permille", "per_100k", "persons", "yuan", "times", "none"]
UNITS: tuple[str, ...] = Unit.__args__  # type: ignore[attr-defined]
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


ParamValue = Annotated[Any, AfterValidator(_clean_value)]
ParamName = Annotated[str, AfterValidator(_clean)]

_BLOCK_KEY = re.compile(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*")


def _block_key(v: str | None) -> str | None:
    if v is not None and not _BLOCK_KEY.fullmatch(v):
        raise ValueError(f"{v!r} is not a block key; keys look like quality/infection_control "
                         "(run 'planwriter blocks' for the list)")
    return v


_DATE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*")


def _date(v: Any) -> Any:
    """'2025-01-15' as a date, with a plain message for one that does not exist."""
    if isinstance(v, str) and (m := _DATE.fullmatch(v)):
        try:
            return dt.date(*map(int, m.groups()))
        except ValueError as e:
            raise ValueError(f"invalid date {v.strip()!r}: {e}") from None
    return v


Date = Annotated[dt.date, BeforeValidator(_date)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


#: Key of the validation context under which texts note the languages they hold.
_LANGUAGES = "planwriter.languages"


class Text(RootModel[Union[str, dict[Locale, str]]]):
    """A text in one string (every language) or per language: ``{zh: …, en: …}``."""

    model_config = ConfigDict(frozen=True)

    @field_validator("root")
    @classmethod
    def _check(cls, v: str | dict[str, str], info: ValidationInfo) -> str | dict[str, str]:
        if isinstance(v, str):
            return _clean(v)
        if not v:
            raise ValueError("a text mapping needs at least one language (zh or en)")
        if info.context is not None and _LANGUAGES in info.context:
            info.context[_LANGUAGES].update(v)  # for the plan's check of its languages
        return {k: _clean(t) for k, t in v.items()}

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


def _when(v: Any) -> When:
    return parse_when(v)


WhenField = Annotated[
    When, BeforeValidator(_when), PlainSerializer(str),
    WithJsonSchema({"type": ["string", "integer"],
                    "description": "2025-06-30, 2025-06, 6, Q1, 2025-Q3, H1, 2025, "
                                   "2025-09..2025-10 or 'by 2025-06'"}),
]


class Period(_Strict):
    """The span a plan covers, when it is not one calendar year."""

    start: Date
    end: Date

    @model_validator(mode="after")
    def _ordered(self) -> "Period":
        if self.end < self.start:
            raise ValueError("period ends before it starts")
        return self


class Meta(_Strict):
    """Who writes the plan, for when, and in which languages."""

    organisation: Text = Field(description="The institution, e.g. 青山镇卫生院")
    org_type: OrgType = "other"
    year: int | None = Field(default=None, ge=1949, le=2200)
    period: Period | None = None
    locales: list[Locale] = Field(default_factory=lambda: ["zh"], min_length=1)
    title: Text | None = Field(default=None, description="Overrides the default title")
    superior: Text | None = Field(default=None, description="The superior body, e.g. 县卫生健康局")
    issuer: Text | None = Field(default=None, description="Defaults to the organisation")
    date: Date | None = Field(default=None, description="Date of issue")

    @model_validator(mode="after")
    def _year_or_period(self) -> "Meta":
        if self.year is None and self.period is None:
            raise ValueError("give the plan's year (year: 2025) or its period (period: {start, end})")
        if self.year is not None and self.period is not None and self.period.start.year != self.year:
            raise ValueError(f"year {self.year} does not match the period, which starts in "
                             f"{self.period.start.year}; give one or the other")
        if len(set(self.locales)) != len(self.locales):
            raise ValueError("locales lists a language twice")
        return self

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        if self.period is not None:
            return self.period.start, self.period.end
        assert self.year is not None
        return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)

    @property
    def plan_year(self) -> int:
        return self.year if self.year is not None else self.span[0].year


class Indicator(_Strict):
    """A numeric target: 参合率达到95%以上 / a participation rate of at least 95%."""

    name: Text
    comparator: Comparator = "reach"
    value: float = Field(allow_inf_nan=False)
    unit: Unit = "none"
    baseline: float | None = Field(default=None, allow_inf_nan=False)

    @field_validator("unit", mode="before")
    @classmethod
    def _unit_alias(cls, v: Any) -> Any:
        return _UNIT_ALIASES.get(v, v) if isinstance(v, str) else v


class ScheduleEntry(_Strict):
    """One line of a schedule: when, what, and who is responsible."""

    when: WhenField
    what: Text
    owner: Text | None = None


class Responsibility(_Strict):
    """One office or person and the duties it carries."""

    owner: Text
    duties: Text


class Node(_Strict):
    """A section or an item: its own text, a named block, nested items and data."""

    title: Text | None = None
    text: Text | None = None
    block: Annotated[str | None, AfterValidator(_block_key)] = Field(
        default=None, description="A template block key, e.g. quality/infection_control")
    params: dict[ParamName, ParamValue] = Field(default_factory=dict)
    items: list["Node"] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    schedule: list[ScheduleEntry] = Field(default_factory=list)
    responsibilities: list[Responsibility] = Field(default_factory=list)
    layout: Literal["auto", "table", "list"] = Field(
        default="auto", description="How indicators, schedule and responsibilities appear")


class Section(Node):
    """A top-level section of a given kind (goals, tasks, safeguards …)."""

    kind: SectionKind = "custom"


def _depth(node: Node) -> int:
    return 1 + max((_depth(i) for i in node.items), default=0)


def _deepest(node: Node, path: str, levels: int) -> str:
    """The path of the first item nested ``levels`` below ``node`` that has items of its own."""
    for i, child in enumerate(node.items):
        if _depth(child) >= levels:
            return _deepest(child, f"{path}.items[{i}]", levels - 1) if levels > 1 else path
    return path


class Plan(_Strict):
    """A whole work plan: metadata and ordered sections."""

    @classmethod
    def validate_data(cls, data: Any) -> "Plan":
        """Validate plain data (as read from YAML or JSON) into a Plan, quickly."""
        return cls.model_validate(data, context={_LANGUAGES: set()})

    meta: Meta
    sections: list[Section] = Field(min_length=1)
    _source: Any = PrivateAttr(default=None)  # a loader.Source when loaded from a file

    @model_validator(mode="after")
    def _check_depth(self, info: ValidationInfo) -> "Plan":
        errors: list[PlanError] = []
        for i, s in enumerate(self.sections):
            if _depth(s) > MAX_DEPTH:
                errors.append(PlanError(f"sections nest at most {MAX_DEPTH} levels deep "
                                        f"(section '{s.title or s.kind}' has {_depth(s)})",
                                        field=_deepest(s, f"sections[{i}]", MAX_DEPTH)))
        wanted = set(self.meta.locales)
        noted = info.context.get(_LANGUAGES) if info.context is not None else None
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
        return self

    @property
    def source(self) -> Any:
        """Where the plan was loaded from (file and line map), or None."""
        return self._source

    def texts(self):
        """Yield ``(path, Text)`` for every text in the plan, for checks."""
        yield from _texts(self, ())


_TEXT_FIELDS: dict[type, tuple[str, ...]] = {}


def _holds_texts(annotation: Any) -> bool:
    """Whether a field of this type can hold a Text, directly or in models and lists."""
    if isinstance(annotation, type) and issubclass(annotation, (Text, BaseModel)):
        return True
    if isinstance(annotation, str):  # a forward reference ("Node")
        return annotation in ("Node", "Section", "Text")
    return any(_holds_texts(a) for a in getattr(annotation, "__args__", ()))


def _text_fields(cls: type) -> tuple[str, ...]:
    names = _TEXT_FIELDS.get(cls)
    if names is None:
        names = tuple(n for n, f in cls.model_fields.items() if _holds_texts(f.annotation))
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
        elif isinstance(o, BaseModel):
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
    elif isinstance(obj, BaseModel):
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
