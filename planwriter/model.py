"""The plan model: what a work plan is, independent of any output format.

Build a :class:`Plan` in Python or load one from YAML with :func:`planwriter.load`.
Every text field takes either one string (used for every language) or a mapping
of languages, ``{zh: …, en: …}``, so one file can hold the Chinese and the
English plan.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

from . import fields as f
from .errors import PlanError, PlanErrors
from .fields import Bad, field
from .numbering import MAX_DEPTH, leading_marker
from .schedule import parse_when, when_text

#: The languages a plan may be written in: Chinese, English and Traditional Chinese.
LOCALES: tuple[str, ...] = ("zh", "en", "zh-Hant")
ORG_TYPES: tuple[str, ...] = ("township_health_center", "community_health_center", "hospital",
                              "community", "health_bureau", "school", "other")
SECTION_KINDS: tuple[str, ...] = (
    "preamble", "situation", "guiding_ideology", "principles", "goals", "tasks", "measures",
    "schedule", "responsibilities", "safeguards", "inspection", "closing", "custom")
#: Kinds rendered as unnumbered running text, without a heading.
UNNUMBERED_KINDS = ("preamble", "closing")
COMPARATORS: tuple[str, ...] = (
    "at_least", "at_most", "reach", "increase_by", "decrease_by", "decrease_to", "below",
    "above", "not_exceeding", "equal", "eliminate", "increase_by_points", "decrease_by_points")
_COMPARATOR_ALIASES = {"≥": "at_least", ">=": "at_least", "≤": "at_most", "<=": "at_most",
                       "<": "below", ">": "above", "=": "equal"}
#: Comparators that say how a rate moves in percentage points (提高3个百分点), not percent.
POINTS = ("increase_by_points", "decrease_by_points")
UNITS: tuple[str, ...] = (
    "percent", "permille", "per_10k", "per_100k", "years", "yuan", "wan_yuan", "yi_yuan",
    "persons", "person_times", "wan_persons", "items", "institutions", "facilities",
    "households", "beds", "times", "days", "none")
_UNIT_ALIASES = {"%": "percent", "‰": "permille", "/万": "per_10k", "per 10,000": "per_10k",
                 "/10万": "per_100k", "per 100,000": "per_100k", "per100k": "per_100k",
                 "1/100000": "per_100k", "岁": "years", "元": "yuan", "万元": "wan_yuan",
                 "亿元": "yi_yuan", "人": "persons", "人次": "person_times", "万人": "wan_persons",
                 "个": "items", "家": "institutions", "所": "facilities", "户": "households",
                 "张": "beds", "次": "times", "天": "days", "日": "days", "": "none"}
#: Currencies written with their ISO code (unit: LKR); 元 and 万元 are units of their own.
CURRENCIES = ("CNY", "USD", "EUR", "GBP", "JPY", "HKD", "MOP", "TWD", "LKR", "INR", "PKR", "NPR",
              "BDT", "THB", "VND", "KHR", "LAK", "MMK", "MYR", "SGD", "IDR", "PHP", "KRW", "AUD",
              "NZD", "CAD", "CHF", "KES", "TZS", "UGX", "ETB", "NGN", "ZAR", "EGP")
LAYOUTS = ("auto", "table", "list", "sentence", "phases")

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
                hint = ""
                if not isinstance(lang, str) or not lang.isidentifier() or t is None:
                    # {en: per 1,000 people} — the comma ended the text, the rest became a key
                    hint = "; a comma inside { } ends a text, so put a text with commas in quotes"
                raise Bad(f"'{lang}' is not a language planwriter writes; use "
                          f"{', '.join(LOCALES[:-1])} or {LOCALES[-1]}{hint}")
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
    "description": "2025-06-30, 06-30 (in the plan's year), 2025-06, 6, Q1, 2025-Q3, H1, 2025, "
                   "a range 2025-09..2025-10, a deadline 'by 2025-06', an open start "
                   "'from 2025-04', or a day and time '2025-09-18 09:00' ('..11:30' for a span)"})


# --------------------------------------------------------------------------- small kinds

def _style(value: Any) -> Any:
    """A numbering style (一、 （一） 1. … or none), or one per language {zh: 一是, en: first}."""
    from .numbering import style_name
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value in (1, 1.1):
        value = "1." if value == 1 else "1.1"  # YAML reads an unquoted 1. or 1.1 as a number
    if isinstance(value, str):
        return style_name(value)
    if isinstance(value, dict) and value:
        out = {}
        for lang, name in value.items():
            if lang not in LOCALES:
                raise ValueError(f"'{lang}' is not a language planwriter writes; use "
                                 f"{', '.join(LOCALES[:-1])} or {LOCALES[-1]}")
            if isinstance(name, (int, float)) and not isinstance(name, bool) and name in (1, 1.1):
                name = "1." if name == 1 else "1.1"
            if not isinstance(name, str):
                raise ValueError("a numbering style is a name such as 一、, （一）, 1., 一是 or none")
            out[lang] = style_name(name)
        return out
    raise ValueError("a numbering style is a name such as 一、, （一）, 1., 一是 or none, or one "
                     "per language {zh: 一是, en: first}")


STYLE = f.Anything(_style, {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "object"}],
                            "description": "壹、 一、 （一） 1. 1、 （1） ① 一是 第一， 第一阶段 A. a) 1) • 【】 "
                                           "none; in English 1. 1.1 A. (a) (i) a) 1) first phase • "
                                           "none; or per language {zh: 一是, en: first}"})


def _unit(value: Any) -> Any:
    if isinstance(value, str):
        key = value if value in UNITS else _UNIT_ALIASES.get(value.strip())
        if key is not None:
            return key
        if value.strip().upper() in CURRENCIES and value.strip().isupper():
            return value.strip()
        if not value.strip():
            return "none"
        import difflib
        if value.isascii() and (close := difflib.get_close_matches(value.strip(), UNITS, n=1,
                                                                  cutoff=0.75)):
            raise ValueError(f"'{value}' is not a unit; did you mean '{close[0]}'? (a unit of your "
                             "own is written as a text: 台, or {zh: 台, en: machines})")
    try:
        return _TEXT.read(value, (), f.Context())  # a unit of the author's own: 台, {zh: 台, en: machines}
    except Bad as e:
        raise ValueError(f"should be a unit ({', '.join(UNITS)}, an ISO currency such as LKR), or "
                         f"a unit of your own as a text: {e}") from None


UNIT = f.Anything(_unit, {"anyOf": [{"enum": list(UNITS)}, {"type": "string"}, {"type": "object"}],
                          "description": "percent (%), permille (‰), per_10k (/万), per_100k (/10万), "
                                         "years (岁), yuan (元), wan_yuan (万元), yi_yuan (亿元), "
                                         "an ISO currency (LKR, USD), persons (人), person_times (人次), "
                                         "wan_persons (万人), items (个), institutions (家), "
                                         "facilities (所), households (户), beds (张), times (次), "
                                         "days (天), none; or a unit of your own: 台, {zh: 台, en: machines}"})


class _MonthDate(NamedTuple):
    """A date given to the month only: ``2025-03`` (printed 2025年3月 / March 2025)."""

    year: int
    month: int

    def isoformat(self) -> str:
        return f"{self.year}-{self.month:02d}"

    def __plain__(self) -> str:
        return self.isoformat()


MonthDate = _MonthDate
_MONTH_ONLY = re.compile(r"\s*(\d{4})-(\d{1,2})\s*")


def _plan_date(value: Any) -> Any:
    if isinstance(value, str) and (m := _MONTH_ONLY.fullmatch(value)):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"invalid date {value.strip()!r}: month must be in 1..12")
        return MonthDate(year, month)
    try:
        return f.Date().read(value, (), f.Context())
    except Bad as e:
        raise ValueError(str(e).replace("such as 2025-01-15", "such as 2025-01-15 (or a month, 2025-03)")) from None


PLAN_DATE = f.Parsed(_plan_date, lambda d: d.isoformat(),
                     {"type": "string", "description": "2025-01-15, or a month: 2025-03"})


def _text_or_texts(value: Any) -> Any:
    """One text, or a list of them (several issuers)."""
    if isinstance(value, list):
        if not value:
            raise ValueError("needs at least one entry")
        out = []
        for v in value:
            try:
                out.append(_TEXT.read(v, (), f.Context()))
            except Bad as e:
                raise ValueError(str(e)) from None
        return out
    try:
        return _TEXT.read(value, (), f.Context())
    except Bad as e:
        raise ValueError(str(e)) from None


TEXTS = f.Anything(_text_or_texts, {"anyOf": [{"type": "string"}, {"type": "object"},
                                             {"type": "array"}]})


def _rows(value: Any) -> Any:
    """Table rows: lists of cells, each a text or a number."""
    if not isinstance(value, list):
        raise ValueError("should be a list of rows, each a list of cells ([a, b, c])")
    out = []
    for i, row in enumerate(value):
        if not isinstance(row, list):
            raise ValueError(f"row {i + 1} should be a list of cells ([a, b, c])")
        cells = []
        for cell in row:
            if isinstance(cell, (int, float)) and not isinstance(cell, bool):
                cells.append(cell)
            elif cell is None:
                cells.append(_TEXT.read("", (), f.Context()))
            else:
                try:
                    cells.append(_TEXT.read(cell, (), f.Context()))
                except Bad as e:
                    raise ValueError(f"row {i + 1}: {e}") from None
        out.append(cells)
    return out


# --------------------------------------------------------------------------- models

class Period(f.Model):
    """The span a plan covers, when it is not one calendar year."""

    start = field(f.Date(), description="The first day: 2025-07-01")
    end = field(f.Date(), description="The last day: 2026-06-30")

    def _check(self, loc, ctx):
        if self.end < self.start:
            raise Bad("period ends before it starts")


class Notice(f.Model):
    """A transmittal notice printed before the plan (关于印发…的通知)."""

    title = field(OPTIONAL_TEXT, None,
                  description="Default: 关于印发《<plan title>》的通知 / Notice on Issuing ‘<plan title>’")
    doc_number = field(OPTIONAL_TEXT, None, description="The notice's document number: 青卫发〔2025〕3号")
    addressees = field(OPTIONAL_TEXT, None, description="To whom: 各乡镇卫生院，县直各医疗卫生单位")
    text = field(OPTIONAL_TEXT, None,
                 description="Default: 现将《<plan title>》印发给你们，请结合实际认真贯彻落实。")
    issuer = field(f.Optional(TEXTS), None, description="Default: the plan's issuer")
    date = field(f.Optional(PLAN_DATE), None, description="Default: the plan's date")
    attachments = field(f.List(TEXT), factory=list,
                        description="The notice's own attachments, listed after its text (附件：…); "
                                    "often the plan it sends out")


class Meta(f.Model):
    """Who writes the plan, for when, and in which languages."""

    organisation = field(TEXT, description="The institution, e.g. 青山镇卫生院")
    org_type = field(f.Choice(ORG_TYPES), "other",
                     description="The kind of institution, which the blocks' wording follows: "
                                 + ", ".join(ORG_TYPES))
    year = field(f.Optional(f.Int(ge=1949, le=2200)), None,
                 description="The plan's year; leave it out for a plan without one")
    period = field(f.Optional(f.Nested(Period)), None,
                   description="The span covered, when it is not the calendar year")
    locales = field(f.List(f.Choice(LOCALES), min_length=1), factory=lambda: ["zh"],
                    description="The languages the file holds; the first is the default")
    title = field(OPTIONAL_TEXT, None, description="Overrides the default title")
    subtitle = field(OPTIONAL_TEXT, None, description="A line under the title, as written")
    status = field(OPTIONAL_TEXT, None,
                   description="The draft's status under the title: 征求意见稿 → （征求意见稿）, Draft v2")
    doc_number = field(OPTIONAL_TEXT, None, description="The document number: 青卫发〔2025〕3号")
    addressees = field(OPTIONAL_TEXT, None,
                       description="To whom (主送机关): 各乡镇卫生院，县直各医疗卫生单位")
    superior = field(OPTIONAL_TEXT, None, description="The superior body, e.g. 县卫生健康局")
    issuer = field(f.Optional(TEXTS), None,
                   description="Defaults to the organisation; a list for several issuers")
    date = field(f.Optional(PLAN_DATE), None, description="Date of issue: 2025-01-15, or a month: 2025-03")
    attachments = field(f.List(TEXT), factory=list,
                        description="Attachments listed after the body (附件：1. …)")
    notice = field(f.Optional(f.Nested(Notice)), None,
                   description="A transmittal notice printed before the plan")
    numbering = field(f.Optional(f.List(STYLE)), None,
                      description="Marker styles by depth for the whole plan, e.g. [一、, （一）, 1.]")
    currency = field(UNIT, "yuan", description="The unit of budget amounts without one of their own")

    def _check(self, loc, ctx):
        if self.year is not None and self.period is not None and self.period.start.year != self.year:
            raise Bad(f"year {self.year} does not match the period, which starts in "
                      f"{self.period.start.year}; give one or the other")
        if len(set(self.locales)) != len(self.locales):
            raise Bad("locales lists a language twice")
        if self.numbering is not None and len(self.numbering) > MAX_DEPTH:
            ctx.fail(loc + ("numbering",), f"gives {len(self.numbering)} levels; plans have at most "
                                           f"{MAX_DEPTH}")

    @property
    def span(self) -> tuple[dt.date, dt.date] | None:
        """First and last day the plan covers (None for a plan without a year)."""
        if self.period is not None:
            return self.period.start, self.period.end
        if self.year is None:
            return None
        return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)

    @property
    def plan_year(self) -> int | None:
        if self.year is not None:
            return self.year
        return self.period.start.year if self.period is not None else None


class Baseline(f.Model):
    """Where an indicator stands now: a value, and the year it was measured."""

    value = field(f.Number(), description="The value measured: 62 (in the indicator's unit)")
    year = field(f.Optional(f.Int(ge=1949, le=2200)), None,
                 description="The year of the value (default: the year before the plan)")


def _number_or(model: type, key: str, other: str) -> f.Kind:
    """A value given as a bare number (``key`` of ``model``) or as the whole ``model``; written
    back as the number while ``other`` is unset (62, or {value: 62, year: 2023})."""
    nested = f.Nested(model)
    number = f.Parsed(lambda v: model.model_validate({key: v}), lambda m: getattr(m, key), {"type": "number"})
    return f.OneOf((number, nested), lambda v: nested if isinstance(v, dict) else number,
                   dump=lambda m, json: getattr(m, key) if getattr(m, other) is None
                   else m.model_dump(mode="json"))


BASELINE = _number_or(Baseline, "value", "year")


def _by(value: Any) -> Any:
    """A milestone's time: a year (2030) or any schedule time (2025-06, by 2025-06)."""
    if isinstance(value, int) and not isinstance(value, bool) and 1949 <= value <= 2200:
        return parse_when(str(value))
    return parse_when(value)


class Milestone(f.Model):
    """One dated target of an indicator: by 2025 reach 80%."""

    by = field(f.Parsed(_by, when_text, {"type": ["integer", "string"]}),
               description="The year (2025) or time (2025-06) the target is to be met by")
    value = field(f.Number(), description="The target at that time: 80")
    comparator = field(f.Optional(f.Choice(COMPARATORS, aliases=_COMPARATOR_ALIASES)), None,
                       description="Default: the indicator's")


class Indicator(f.Model):
    """A numeric target: 参合率达到95%以上 / a participation rate of at least 95%."""

    name = field(TEXT, description="What is measured: 高血压患者规范管理率 / standard management of hypertension")
    comparator = field(f.Choice(COMPARATORS, aliases=_COMPARATOR_ALIASES), "reach",
                       description="at_least, at_most, reach, increase_by, decrease_by, decrease_to, "
                                   "below, above, not_exceeding, equal, eliminate (杜绝…), "
                                   "increase_by_points, decrease_by_points; or ≥ ≤ < > =")
    value = field(f.Optional(f.Number()), None,
                  description="The target (not needed for eliminate, nor with targets)")
    unit = field(UNIT, "none",
                 description="%, ‰, /万, /10万, 岁, 元, 万元, 亿元, 人, 人次, 万人, 个, 家, 所, 户, 张, 次, "
                             "天, an ISO currency (USD, LKR), or a unit of your own (台)")
    baseline = field(f.Optional(BASELINE), None,
                     description="Where it stands now: 62, or {value: 62, year: 2024}")
    targets = field(f.List(f.Nested(Milestone)), factory=list,
                    description="Dated targets: [{by: 2025, value: 79.5}, {by: 2030, value: 80}]")
    confirmed = field(f.Bool(), True,
                      description="False for a target carried over from last year's plan and not "
                                  "yet looked at again (check warns until it is)")

    def _check(self, loc, ctx):
        if self.comparator == "eliminate":
            if self.value not in (None, 0) or self.targets:
                ctx.fail(loc + ("value",), "'eliminate' (杜绝…) takes no value")
        elif self.targets:
            if self.value is not None:
                ctx.fail(loc + ("value",), "give a value or targets, not both")
        elif self.value is None:
            ctx.fail(loc + ("value",), "is required (or give targets: [{by: 2025, value: …}])")


class ScheduleEntry(f.Model):
    """One line of a schedule (when, what, who), or a phase with its own items."""

    when = field(WHEN, description="2025-03, 03-15, Q1, H2, 2025-03..2025-04, from 2025-05, "
                                   "by 2025-06, 2025-09-18 09:00..11:30")
    what = field(OPTIONAL_TEXT, None, description="What is done then")
    owner = field(OPTIONAL_TEXT, None,
                  description="Who does it (an owner column appears when any entry has one)")
    phase = field(OPTIONAL_TEXT, None, description="The phase's name: 动员部署 / Mobilisation")
    items = field(f.List(f.Nested(lambda: Node)), factory=list,
                  description="What happens in this phase")

    def _check(self, loc, ctx):
        if self.what is None and self.phase is None and not self.items:
            ctx.fail(loc + ("what",), "is required (or give the phase and its items)")


class Responsibility(f.Model):
    """One office or person and the duties it carries."""

    owner = field(TEXT, description="The office or person: 医务科 / Medical Affairs")
    duties = field(TEXT, description="What it is responsible for")


class TableData(f.Model):
    """A table: a header row, rows of cells, and an optional caption and notes."""

    header = field(f.List(TEXT, min_length=1), description="The column headings")
    rows = field(f.Anything(_rows, {"type": "array", "items": {"type": "array"}}), factory=list,
                 description="Rows of cells, as many as the header has columns")
    caption = field(OPTIONAL_TEXT, None, description="The table's title, above it")
    notes = field(f.Optional(TEXTS), None, description="Notes under the table (注：…)")

    def _check(self, loc, ctx):
        for i, row in enumerate(self.rows):
            if len(row) != len(self.header):
                ctx.fail(loc + ("rows", i), f"has {len(row)} cells; the header has {len(self.header)}")


class BudgetLine(f.Model):
    """One line of a budget: what, and how much."""

    item = field(TEXT, description="What the money is for: 设备购置 / Equipment")
    amount = field(f.Number(ge=0), description="How much, in the budget's unit")
    note = field(OPTIONAL_TEXT, None, description="A remark (a note column appears when any line has one)")


class Budget(f.Model):
    """A budget table with a total computed from its lines."""

    lines = field(f.List(f.Nested(BudgetLine), min_length=1),
                  description="The lines; the total row is computed from them")
    unit = field(f.Optional(UNIT), None, description="万元, yuan, LKR … (default: meta.currency)")
    total = field(f.Optional(f.Number(ge=0)), None,
                  description="The total as stated (check flags one that does not add up)")
    caption = field(OPTIONAL_TEXT, None, description="The table's title, above it")


class Amount(f.Model):
    """A sum of money with its unit."""

    amount = field(f.Number(ge=0), description="How much: 2.5")
    unit = field(f.Optional(UNIT), None, description="Default: meta.currency")


AMOUNT = _number_or(Amount, "amount", "unit")


class Kpi(f.Model):
    """A measure of an action's success, with the time it is to be met by."""

    text = field(TEXT, description="The measure: 重点人群签约率达到75% / 75% of priority groups signed up")
    by = field(f.Optional(WHEN), None, description="When it is to be met: 2025-06 (read as 6月底前 / by the end of June)")


def _kpi_pick(value: Any) -> f.Kind:
    return _KPI_MODEL if isinstance(value, dict) and "text" in value else _KPI_TEXT


_KPI_MODEL = f.Nested(Kpi)
_KPI_TEXT = f.Parsed(lambda v: Kpi.model_validate({"text": v}), lambda k: k.text.root,
                     {"anyOf": [{"type": "string"}, {"type": "object"}]})
KPI = f.OneOf((_KPI_TEXT, _KPI_MODEL), _kpi_pick,
              dump=lambda k, json: k.text.root if k.by is None else k.model_dump(mode="json"))


class Action(f.Model):
    """An action of an action plan (a line of a 任务分解表): what, who, when, cost, measures."""

    title = field(TEXT, description="What is to be done")
    text = field(OPTIONAL_TEXT, None, description="How, in a paragraph or more")
    owner = field(OPTIONAL_TEXT, None, description="Who leads it: 基层卫生股 / Primary Care Section")
    timeline = field(f.Optional(WHEN), None, description="When: by 2025-06, 2025-03..2025-09, Q3")
    budget = field(f.Optional(AMOUNT), None, description="200, or {amount: 2.5, unit: 万元}")
    kpis = field(f.List(KPI), factory=list,
                 description="Measures of success: texts, or {text: …, by: 2025-06}")
    outcome = field(OPTIONAL_TEXT, None, description="The expected outcome")


#: The keys of a content part that say what the part is.
PART_KINDS = ("text", "items", "indicators", "schedule", "responsibilities", "table", "block",
              "actions", "budget")


class Part(f.Model):
    """One part of a node's content, in the author's order: a text, items, data, a table …"""

    text = field(OPTIONAL_TEXT, None, description="A paragraph (a blank line starts another)")
    items = field(f.Optional(f.List(f.Nested(lambda: Node))), None, description="Numbered items")
    indicators = field(f.Optional(f.List(f.Nested(Indicator))), None, description="Numeric targets")
    schedule = field(f.Optional(f.List(f.Nested(ScheduleEntry))), None,
                     description="A schedule, or phases")
    responsibilities = field(f.Optional(f.List(f.Nested(Responsibility))), None,
                             description="Who is responsible for what")
    table = field(f.Optional(f.Nested(TableData)), None, description="A table of your own")
    block = field(f.Optional(f.Str(_block_key)), None,
                  description="A template block key, e.g. quality/infection_control")
    params = field(f.Mapping(f.Anything(_param_value), key=_param_name), factory=dict,
                   description="Values for the block's parameters")
    actions = field(f.Optional(f.List(f.Nested(Action))), None,
                    description="Actions with owner, timeline, budget and KPIs")
    budget = field(f.Optional(f.Nested(Budget)), None, description="A budget table")
    layout = field(f.Choice(LAYOUTS), "auto",
                   description="How the data appears: table, list, sentence, phases")
    lead = field(OPTIONAL_TEXT, None, description="Words that open an indicator sentence")
    tail = field(OPTIONAL_TEXT, None,
                 description="Words that go on after the targets of an indicator sentence, to its end "
                             "(由儿保医生负责 / with support from the county hospital)")
    numbering = field(f.Optional(STYLE), None, description="The marker style of these items")

    @property
    def what(self) -> str:
        """Which kind of part this is: text, items, indicators …"""
        what = self.__dict__.get("_what")
        if what is None:
            what = self.__dict__["_what"] = next(k for k in PART_KINDS if getattr(self, k) is not None)
        return what

    def _check(self, loc, ctx):
        given = [k for k in PART_KINDS if getattr(self, k) is not None]
        if len(given) != 1:
            raise Bad(f"a content part holds one of {', '.join(PART_KINDS)}; "
                      + (f"this one has {' and '.join(given)}" if given else "this one has none"))
        if self.params and self.block is None:
            ctx.fail(loc + ("params",), "params go with a block")


class Node(f.Model):
    """A section or an item: its text, a named block, data, tables and nested items."""

    title = field(OPTIONAL_TEXT, None,
                  description="The heading or run-in title, without a number (the numbering adds it)")
    text = field(OPTIONAL_TEXT, None, description="Paragraphs (a blank line starts another)")
    block = field(f.Optional(f.Str(_block_key)), None,
                  description="A template block key, e.g. quality/infection_control")
    params = field(f.Mapping(f.Anything(_param_value), key=_param_name), factory=dict,
                   description="Values for the block's parameters")
    indicators = field(f.List(f.Nested(Indicator)), factory=list, description="Numeric targets")
    schedule = field(f.List(f.Nested(ScheduleEntry)), factory=list,
                     description="A schedule, or phases (entries with a phase name or items)")
    responsibilities = field(f.List(f.Nested(Responsibility)), factory=list,
                             description="Who is responsible for what")
    table = field(f.Optional(f.Nested(TableData)), None, description="A table of your own")
    actions = field(f.List(f.Nested(Action)), factory=list,
                    description="Actions with owner, timeline, budget and KPIs")
    budget = field(f.Optional(f.Nested(Budget)), None, description="A budget table")
    items = field(f.List(f.Nested(lambda: Node)), factory=list,
                  description="Sub-items, numbered one level down")
    content = field(f.Optional(f.List(f.Nested(Part), min_length=1)), None,
                    description="The node's parts in the author's order, instead of the fields "
                                "text, block, indicators, schedule, responsibilities, table, "
                                "actions, budget and items")
    layout = field(f.Choice(LAYOUTS), "auto",
                   description="How data appears: table, list, sentence (indicators as one "
                               "sentence), phases (a schedule as numbered phases)")
    lead = field(OPTIONAL_TEXT, None, description="Words that open an indicator sentence")
    tail = field(OPTIONAL_TEXT, None,
                 description="Words that go on after the targets of an indicator sentence, to its end "
                             "(由儿保医生负责 / with support from the county hospital)")
    numbering = field(f.Optional(STYLE), None,
                      description="The marker style of this node's items: 一是, A., none …")
    numbered = field(f.Bool(), True, description="False: this heading or item takes no number")
    heading = field(f.Optional(f.Bool()), None,
                    description="Whether this item is a heading (true) or a numbered paragraph "
                                "with a run-in title (false); default: headings when any sibling "
                                "has items, data or a block")

    def _check(self, loc, ctx):
        if self.content is not None:
            simple = [k for k in ("text", "block", "table", "budget") if getattr(self, k) is not None]
            simple += [k for k in ("indicators", "schedule", "responsibilities", "actions", "items")
                       if getattr(self, k)]
            if simple:
                ctx.fail(loc + ("content",), f"give content or {', '.join(simple)}, not both "
                                             "(put the text, items and data into content)")
        if self.params and self.block is None:
            ctx.fail(loc + ("params",), "params go with a block")
        if self.title is not None:
            for text in ([self.title.root] if isinstance(self.title.root, str)
                         else self.title.root.values()):
                marker = leading_marker(text)
                if marker:
                    ctx.fail(loc + ("title",),
                             f"'{text}' starts with the number '{marker}', and planwriter numbers "
                             "headings itself; remove it (the parent's numbering chooses the style)")
                    break

    def parts(self) -> list[Part]:
        """The node's content in order: ``content`` as given, or the simple fields as parts
        (text, block, indicators, schedule, responsibilities, table, actions, budget, items).
        A model does not change, so the list is made once."""
        if self.content is not None:
            return self.content
        cached = self.__dict__.get("_parts")
        if cached is not None:
            return cached
        out = []
        make = Part.model_construct
        if self.text is not None:
            out.append(make(text=self.text, _what="text"))
        if self.block is not None:
            out.append(make(block=self.block, params=self.params, _what="block"))
        for name in ("indicators", "schedule", "responsibilities"):
            if getattr(self, name):
                out.append(make(**{name: getattr(self, name)}, layout=self.layout, lead=self.lead,
                                 tail=self.tail, _what=name))
        if self.table is not None:
            out.append(make(table=self.table, _what="table"))
        if self.actions:
            out.append(make(actions=self.actions, layout=self.layout, _what="actions"))
        if self.budget is not None:
            out.append(make(budget=self.budget, _what="budget"))
        if self.items:
            out.append(make(items=self.items, _what="items"))
        self.__dict__["_parts"] = out
        return out


class Section(Node):
    """A top-level section of a given kind (goals, tasks, safeguards …)."""

    kind = field(f.Choice(SECTION_KINDS), "custom",
                 description="What the section is, which gives its default title: "
                             + ", ".join(SECTION_KINDS))


def child_nodes(node: Node) -> list[tuple[str, Node]]:
    """The items under ``node`` with their paths relative to it: its items, the items of its
    content parts and of its schedule's phases."""
    out = [(f"items[{i}]", c) for i, c in enumerate(node.items)]
    for j, part in enumerate(node.content or ()):
        out += [(f"content[{j}].items[{i}]", c) for i, c in enumerate(part.items or ())]
        out += [(f"content[{j}].schedule[{k}].items[{i}]", c)
                for k, e in enumerate(part.schedule or ()) for i, c in enumerate(e.items)]
    out += [(f"schedule[{k}].items[{i}]", c)
            for k, e in enumerate(node.schedule) for i, c in enumerate(e.items)]
    return out


def _children(node: Node):
    """The items under ``node`` (as :func:`child_nodes`, without their paths)."""
    yield from node.items
    for part in node.content or ():
        yield from part.items or ()
        for e in part.schedule or ():
            yield from e.items
    for e in node.schedule:
        yield from e.items


def _depth(node: Node) -> int:
    return 1 + max((_depth(c) for c in _children(node)), default=0)


def _deepest(node: Node, path: str, levels: int) -> str:
    """The path of the first item nested ``levels`` below ``node`` that has items of its own."""
    for sub, child in child_nodes(node):
        if _depth(child) >= levels:
            return _deepest(child, f"{path}.{sub}", levels - 1) if levels > 1 else path
    return path


class Plan(f.Model):
    """A whole work plan: metadata and ordered sections."""

    meta = field(f.Nested(Meta), description="Who writes the plan, for when, in which languages")
    sections = field(f.List(f.Nested(Section), min_length=1), description="The body, in order")
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
