"""When things happen: dates, months, quarters, half-years and ranges of them.

A plan writes times the way offices do — ``Q1``, ``2025-06``, ``by 2025-06``,
``2025-09..2025-10`` — and :func:`parse_when` turns each into a :class:`When`
with a kind and a first and last day, once the plan's year is known.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

#: Years a plan may name; anything else is a typo.
MIN_YEAR, MAX_YEAR = 1949, 2200

_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")  # a date without its year: 09-18
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_AT = re.compile(r"^(.+?)(?:[ T])([01]?\d|2[0-3]):([0-5]\d)$")
_MONTH = re.compile(r"^(?:(\d{4})-)?(\d{1,2})$")
_QUARTER = re.compile(r"^(?:(\d{4})-)?Q([1-4])$", re.I)
_HALF = re.compile(r"^(?:(\d{4})-)?H([12])$", re.I)
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Point:
    """One time span of a given kind (a day, month, quarter, half-year or year)."""

    kind: str
    number: int  # day-of-month, month, quarter or half; 0 for a year
    year: int | None  # None = the plan's year
    month: int = 0  # for kind 'date'
    time: str = ""  # for kind 'date': a time of day, "09:00"

    def resolve(self, plan_year: int) -> tuple[dt.date, dt.date]:
        y = self.year or plan_year
        if self.kind == "date":
            d = dt.date(y, self.month, self.number)
            return d, d
        if self.kind == "month":
            first, last = self.number, self.number
        elif self.kind == "quarter":
            first, last = 3 * self.number - 2, 3 * self.number
        elif self.kind == "half":
            first, last = 6 * self.number - 5, 6 * self.number
        else:
            first, last = 1, 12
        return dt.date(y, first, 1), dt.date(y, last, calendar.monthrange(y, last)[1])


@dataclass(frozen=True)
class When:
    """A schedule time: one point, a range ``start..end``, a deadline ``by point``, an
    open start ``from point``, or a day with a span of hours (``until`` its end time)."""

    start: Point
    end: Point | None = None
    deadline: bool = False
    opening: bool = False
    until: str = ""  # the end time of a span of hours within the start's day

    def __str__(self) -> str:
        return when_text(self)

    def span(self, period: int | tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
        """First and last day, given the plan's year or its period (first and last day).

        A point written without a year (``Q1``, ``6``) falls in the year that puts
        it inside the period, so ``Q1`` in a July-to-June plan is next year's.
        """
        if isinstance(period, int):
            period = (dt.date(period, 1, 1), dt.date(period, 12, 31))
        start_year = year_of(self.start, period)
        first, last = self.start.resolve(start_year)
        if self.end is not None:
            _, last = self.end.resolve(year_of(self.end, period, after=first))
        if self.deadline:
            first = min(period[0], first)
        if self.opening:
            last = max(period[1], last)
        return first, last


def year_of(p: Point, period: tuple[dt.date, dt.date], after: dt.date | None = None) -> int:
    """The year of ``p``: its own, or the first year that places it inside ``period``
    (and not before ``after``, for the end of a range)."""
    if p.year is not None:
        return p.year
    start, end = period
    years = [y for y in range(start.year, end.year + 1)
             if after is None or p.resolve(y)[1] >= after]
    for inside in (True, False):  # a year that holds the point whole, else one it overlaps
        for year in years:
            first, last = p.resolve(year)
            if (start <= first and last <= end) if inside else (last >= start and first <= end):
                return year
    return start.year


def _point(text: str) -> Point:
    t = text.strip()
    if (m := _AT.match(t)) and (_DATE.match(m.group(1).strip()) or _DAY.match(m.group(1).strip())):
        day = _point(m.group(1))
        return Point("date", day.number, day.year, day.month, f"{int(m.group(2)):02d}:{m.group(3)}")
    if (m := re.match(r"^(\d{4})", t)) and not MIN_YEAR <= int(m.group(1)) <= MAX_YEAR:
        raise ValueError(f"year {m.group(1)} in {text!r} is not between {MIN_YEAR} and {MAX_YEAR}")
    if m := _DATE.match(t):
        y, mo, d = map(int, m.groups())
        try:
            dt.date(y, mo, d)
        except ValueError as e:
            raise ValueError(f"invalid date {t!r}: {e}") from None
        return Point("date", d, y, mo)
    if m := _DAY.match(t):
        mo, d = map(int, m.groups())
        try:
            dt.date(2000, mo, d)  # a leap year: 02-29 is a day in some years
        except ValueError as e:
            raise ValueError(f"invalid date {t!r}: {e}") from None
        return Point("date", d, None, mo)
    if m := _QUARTER.match(t):
        return Point("quarter", int(m.group(2)), int(m.group(1)) if m.group(1) else None)
    if m := _HALF.match(t):
        return Point("half", int(m.group(2)), int(m.group(1)) if m.group(1) else None)
    if m := _YEAR.match(t):
        return Point("year", 0, int(m.group(1)))
    if m := _MONTH.match(t):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"month {month} is not 1..12")
        return Point("month", month, int(m.group(1)) if m.group(1) else None)
    raise ValueError(
        f"cannot read time {text!r}; write a date (2025-06-30, or 06-30 in the plan's year), "
        "month (2025-06 or 6), quarter (Q1, 2025-Q3), half-year (H1), year (2025), a range "
        "(2025-09..2025-10), a deadline (by 2025-06), an open start (from 2025-04) or a day "
        "and time (2025-09-18 09:00, 2025-09-18 09:00..11:30)"
    )


def parse_when(value: object) -> When:
    """Read a schedule time from YAML (a string, a date or a month number)."""
    if isinstance(value, When):
        return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return When(Point("date", value.day, value.year, value.month))
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("a time must be text such as Q1, 2025-06 or 2025-06-30")
    text = value.strip()
    deadline = opening = False
    if text.lower().startswith("by "):
        deadline, text = True, text[3:]
    elif text.lower().startswith("from "):
        opening, text = True, text[5:]
    if ".." in text:
        if deadline:
            raise ValueError("a deadline ('by …') cannot be a range")
        if opening:
            raise ValueError("an open start ('from …') cannot be a range")
        a, b = text.split("..", 1)
        if m := _TIME.match(b.strip()):  # 2025-09-18 09:00..11:30: hours within one day
            start = _point(a)
            if not start.time:
                raise ValueError(f"{value!r}: a range that ends at a time of day starts at one "
                                 "too (2025-09-18 09:00..11:30)")
            until = f"{int(m.group(1)):02d}:{m.group(2)}"
            if until <= start.time:
                raise ValueError(f"range {value!r} ends before it starts")
            return When(start, until=until)
        start, end = _point(a), _point(b)
        if (start.year is None) != (end.year is None):
            raise ValueError("give the year on both ends of a range or on neither")
        probe = 2000  # any leap year to compare spans of year-less points
        if start.resolve(probe)[0] > end.resolve(probe)[1]:
            raise ValueError(f"range {value!r} ends before it starts")
        return When(start, end)
    return When(_point(text), None, deadline, opening)


def _point_text(p: Point) -> str:
    y = f"{p.year}-" if p.year else ""
    if p.kind == "date":
        day = f"{y}{p.month:02d}-{p.number:02d}"
        return f"{day} {p.time}" if p.time else day
    if p.kind == "month":
        return f"{y}{p.number:02d}" if y else str(p.number)
    if p.kind == "quarter":
        return f"{y}Q{p.number}"
    if p.kind == "half":
        return f"{y}H{p.number}"
    return str(p.year)


def when_text(w: When) -> str:
    """The canonical written form of a time, the inverse of :func:`parse_when`."""
    if w.end is not None:
        return f"{_point_text(w.start)}..{_point_text(w.end)}"
    if w.until:
        return f"{_point_text(w.start)}..{w.until}"
    return ("by " if w.deadline else "from " if w.opening else "") + _point_text(w.start)

