"""Times as plans write them, read into the model's ``when`` notation.

Chinese: 2025年6月30日, 6月, 6月份, 第一季度, 上半年, 1月—2月, 3—10月, 10月至次年1月,
9月18日—23日, 6月底前, 于3月15日前, 4月起, 12月中旬, 全年.  English: 14 March 2025,
March 2025, by June 2025, by end of June, April–June 2025, from April, Q3 2025, the first
quarter, September to October, in 2009.  :func:`find_times` finds them in a sentence and
gives each as a ``when`` string (``2025-06-30``, ``6``, ``Q1``, ``by 6``, ``3..10``,
``from 4``, ``09-18``), leaving a year out where the text leaves it out.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .. import formatting
from .markers import cn_value

_CN = "〇零一二三四五六七八九十两"
_CN_YEAR = "〇零一二三四五六七八九○"
_DASH = r"\s*(?:—|–|－|-|~|～|至|到|－－|——)\s*"

#: English month names and their abbreviations (Sept too), as the writer spells the names.
MONTHS_EN = {m.lower(): i for i, m in enumerate(formatting.MONTHS_EN, 1)}
MONTHS_EN.update({m[:3]: i for m, i in list(MONTHS_EN.items())})
MONTHS_EN["sept"] = 9
_MON = rf"({'|'.join(sorted(MONTHS_EN, key=len, reverse=True))})\.?"  # longest first


def _num(token: str) -> int | None:
    if token is None:
        return None
    token = token.strip()
    if token.isdigit():
        return int(token)
    if token == "元":
        return 1
    return cn_value(token)


def cn_year(token: str) -> int | None:
    """二〇二五 → 2025; 2025 → 2025; 114 (a ROC year) → 2025."""
    if token.isdigit():
        return int(token) + (1911 if len(token) == 3 else 0)
    digits = {"〇": "0", "○": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
              "六": "6", "七": "7", "八": "8", "九": "9"}
    if len(token) == 4 and all(c in digits for c in token):
        return int("".join(digits[c] for c in token))
    return None


@dataclass
class Time:
    """A time found in a text: where it is and its ``when`` notation."""

    start: int
    end: int
    when: str
    kind: str  # date, month, quarter, half, year, range, deadline, from


# 2025年 · 二〇二五年 · 114年 (a year of the Republic of China, as Taiwan dates: 2025)
_Y = rf"(?:(?<!\d)(\d{{4}}|1[0-4]\d|[{_CN_YEAR}]{{4}})\s*年\s*)"
_M = rf"(\d{{1,2}}|[{_CN}]{{1,3}}|元)\s*月(?:份)?"
_D = rf"(\d{{1,2}}|[{_CN}]{{1,3}})\s*[日号]"

_ZH_PATTERNS = [
    # 9月18日—23日 (a range of days inside one month)
    ("dayrange", re.compile(rf"{_Y}?{_M}\s*{_D}{_DASH}(\d{{1,2}})\s*[日号]")),
    # 2025年11月至2026年2月, 10月至次年1月, 1月—2月, 3—10月
    ("monthrange", re.compile(rf"{_Y}?(?:(\d{{1,2}}|[{_CN}]{{1,3}})\s*月(?:份)?|(\d{{1,2}})){_DASH}(次年|翌年|明年)?{_Y}?{_M}")),
    # 第二季度至第四季度 二至四季度 2—4季度
    ("quarterrange", re.compile(rf"{_Y}?第?([一二三四1-4])(?:季度?)?{_DASH}第?([一二三四1-4])季度?")),
    # 第一季度 一季度 1季度, and 第一季 as Taiwan writes it
    ("quarter", re.compile(rf"{_Y}?(?:第([一二三四1-4])季度?|([一二三四1-4])季度)")),
    ("half", re.compile(rf"{_Y}?(上半年|下半年)")),
    # 年底前 年末 (the end of the plan's year); 2025年底 is read by "yearonly"
    ("yearend", re.compile(rf"(?<![\d{_CN}xX×_＿])(?<!每年)(?:今年|本年|当年|全年)?(年底|年末)")),
    ("date", re.compile(rf"{_Y}?{_M}\s*{_D}")),
    ("month", re.compile(rf"{_Y}?{_M}(?!\s*[\d{_CN}]+\s*[日号])")),
    ("yearonly", re.compile(rf"(\d{{4}})\s*年(?!\s*[\d{_CN}]|度|来|以来|以前|的)")),
]
_ZH_DEADLINE_AFTER = re.compile(r"^\s*(?:底|末)?\s*(?:以前|之前|前)(?!期|提)")
_ZH_END_OF = re.compile(r"^\s*(?:底|末)")
_ZH_FROM_AFTER = re.compile(r"^\s*(?:起|开始|開始)")
_ZH_FROM_BEFORE = re.compile(r"(?:从|從|自)\s*$")
_ZH_PART = re.compile(r"^\s*(上旬|中旬|下旬|初|中|底|末)")


def _when_point(year: int | None, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return str(year)
    if day is None:
        return f"{year}-{month:02d}" if year else str(month)
    return f"{year}-{month:02d}-{day:02d}" if year else f"{month:02d}-{day:02d}"


def _valid(month: int | None, day: int | None = None) -> bool:
    if month is None or not 1 <= month <= 12:
        return False
    if day is not None:
        try:
            dt.date(2000, month, day)
        except ValueError:
            return False
    return True


def _scan(text: str, patterns: list, when_of, place) -> list[Time]:
    """The times ``patterns`` find in ``text``, left to right, not overlapping (the first
    pattern that takes a span wins): ``when_of(kind, m)`` reads a match (None: not a time),
    ``place(kind, m, when)`` gives ``(start, end, when, kind)`` with the words around it."""
    found: list[Time] = []
    taken = [False] * (len(text) + 1)
    for kind, pattern in patterns:
        for m in pattern.finditer(text):
            if any(taken[m.start():m.end()]):
                continue
            when = when_of(kind, m)
            if when is None:
                continue
            s, e, when, wkind = place(kind, m, when)
            for k in range(m.start(), e):
                taken[k] = True
            found.append(Time(s, e, when, wkind))
    found.sort(key=lambda t: t.start)
    return found


def find_times_zh(text: str) -> list[Time]:
    """The times in a Chinese text, left to right, not overlapping."""
    return _scan(text, _ZH_PATTERNS, _zh_when, _zh_place)


def _zh_place(kind: str, m: re.Match, when: str) -> tuple[int, int, str, str]:
    """A Chinese time with the words that make it a deadline (6月底前) or a start (从3月起)."""
    s, e = m.start(), m.end()
    after, before = m.string[e:e + 12], m.string[max(0, s - 6):s]
    wkind = kind
    if kind in ("month", "date", "quarter", "half", "yearonly", "yearend"):
        if (d := _ZH_DEADLINE_AFTER.match(after)):
            when, wkind = "by " + when, "deadline"
            e += d.end()
        elif (f := _ZH_FROM_AFTER.match(after)) or _ZH_FROM_BEFORE.search(before):
            when, wkind = "from " + when, "from"
            if f:
                e += f.end()
        elif (p := _ZH_PART.match(after)):
            e += p.end()
    elif kind == "monthrange" and (d := _ZH_DEADLINE_AFTER.match(after)):
        e += d.end()
    return s, e, when, wkind


def _zh_when(kind: str, m: re.Match) -> str | None:
    g = m.groups()
    if kind == "dayrange":
        year = cn_year(g[0]) if g[0] else None
        month, d1, d2 = _num(g[1]), _num(g[2]), int(g[3])
        if not (_valid(month, d1) and _valid(month, d2)) or d2 <= d1:
            return None
        return f"{_when_point(year, month, d1)}..{_when_point(year, month, d2)}" if year \
            else f"{month:02d}-{d1:02d}..{month:02d}-{d2:02d}"
    if kind == "monthrange":
        y1 = cn_year(g[0]) if g[0] else None
        m1 = _num(g[1]) if g[1] else _num(g[2])
        nxt, y2, m2 = g[3], (cn_year(g[4]) if g[4] else None), _num(g[5])
        if not (_valid(m1) and _valid(m2)):
            return None
        if nxt and y2 is None:
            return f"{m1}..next {m2}"  # resolved against the plan's year by the caller
        if y1 and not y2:
            y2 = y1 if m2 >= m1 else None
        if y1 and y2:
            return f"{y1}-{m1:02d}..{y2}-{m2:02d}"
        if not y1 and not y2 and m2 > m1:
            return f"{m1}..{m2}"
        if not y1 and y2:
            return f"{y2 if m1 <= m2 else y2 - 1}-{m1:02d}..{y2}-{m2:02d}"
        return None
    if kind == "quarterrange":
        year = cn_year(g[0]) if g[0] else None
        q1, q2 = _num(g[1]), _num(g[2])
        if not q1 < q2:
            return None
        return f"{year}-Q{q1}..{year}-Q{q2}" if year else f"Q{q1}..Q{q2}"
    if kind == "quarter":
        year = cn_year(g[0]) if g[0] else None
        q = _num(g[1] or g[2])
        return f"{year}-Q{q}" if year else f"Q{q}"
    if kind == "yearend":
        return "12"
    if kind == "half":
        year = cn_year(g[0]) if g[0] else None
        h = "H1" if g[1] == "上半年" else "H2"
        return f"{year}-{h}" if year else h
    if kind == "date":
        year = cn_year(g[0]) if g[0] else None
        month, day = _num(g[1]), _num(g[2])
        return _when_point(year, month, day) if _valid(month, day) else None
    if kind == "month":
        year = cn_year(g[0]) if g[0] else None
        month = _num(g[1])
        return _when_point(year, month) if _valid(month) else None
    if kind == "yearonly":
        year = int(g[0])
        return str(year) if 1949 <= year <= 2200 else None
    return None


_EN_PATTERNS = [
    ("date", re.compile(rf"\b(\d{{1,2}})\s+{_MON}\s+(\d{{4}})\b", re.I)),
    ("date_us", re.compile(rf"\b{_MON}\s+(\d{{1,2}}),\s*(\d{{4}})\b", re.I)),
    ("daymonth", re.compile(rf"\b(\d{{1,2}})\s+{_MON}(?!\s+\d)", re.I)),
    ("monthrange", re.compile(rf"\b{_MON}(?:\s+(\d{{4}}))?\s*(?:–|—|-|to|until|through)\s*{_MON}(?:\s+(\d{{4}}))?\b", re.I)),
    ("quarterrange", re.compile(r"\bQ([1-4])(?:\s+(\d{4}))?\s*(?:–|—|-|to|until|through)\s*Q([1-4])(?:\s+(\d{4}))?\b", re.I)),
    ("quarter", re.compile(r"\b(?:Q([1-4])(?:\s+(\d{4}))?|(?:the\s+)?(first|second|third|fourth)\s+quarter(?:\s+of\s+(\d{4}))?)\b", re.I)),
    ("half", re.compile(r"\b(?:H([12])(?:\s+(\d{4}))?|(?:the\s+)?(first|second)\s+half(?:\s+of\s+(?:the\s+year|(\d{4})))?)\b", re.I)),
    ("month", re.compile(rf"\b{_MON}(?:\s+(\d{{4}}))?\b", re.I)),
    ("yearonly", re.compile(r"\b(?:in|by|during|for)\s+((?:19|20)\d{2})\b(?!\s*[–-])", re.I)),
]
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def find_times_en(text: str) -> list[Time]:
    """The times in an English text, left to right, not overlapping."""
    return _scan(text, _EN_PATTERNS, _en_when, _en_place)


_EN_BY = re.compile(r"\bby\s+(the\s+)?(end\s+of\s+)?$", re.I)
_EN_FROM = re.compile(r"\b(from|starting(\s+in)?|beginning(\s+in)?|as of)\s+$", re.I)


def _en_place(kind: str, m: re.Match, when: str) -> tuple[int, int, str, str]:
    """An English time with the words that make it a deadline (by June) or a start (from April)."""
    s, e = m.start(), m.end()
    at = max(0, s - 30)
    before = m.string[at:s]
    if kind != "monthrange" and (by := _EN_BY.search(before)):
        return at + by.start(), e, "by " + when, "deadline"
    if kind != "monthrange" and _EN_FROM.search(before):
        return s, e, "from " + when, "from"
    return s, e, when, kind


def _en_when(kind: str, m: re.Match) -> str | None:
    g = m.groups()
    if kind == "month" and g[0].lower() in ("may", "mar") and not g[1]:
        # "may" is a verb and "mar" a word more often than months
        if g[0] != g[0].capitalize():
            return None
        if g[0] == "May" and not re.search(r"\b(in|by|from|until|of|end of)\s+$", m.string[max(0, m.start() - 12):m.start()], re.I):
            return None
    if kind == "date":
        day, month, year = int(g[0]), MONTHS_EN[g[1].lower().rstrip(".")], int(g[2])
        return _when_point(year, month, day) if _valid(month, day) else None
    if kind == "daymonth":
        day, month = int(g[0]), MONTHS_EN[g[1].lower().rstrip(".")]
        return f"{month:02d}-{day:02d}" if _valid(month, day) else None
    if kind == "date_us":
        month, day, year = MONTHS_EN[g[0].lower().rstrip(".")], int(g[1]), int(g[2])
        return _when_point(year, month, day) if _valid(month, day) else None
    if kind == "monthrange":
        m1, y1, m2, y2 = MONTHS_EN[g[0].lower().rstrip(".")], g[1], MONTHS_EN[g[2].lower().rstrip(".")], g[3]
        y1 = int(y1) if y1 else None
        y2 = int(y2) if y2 else None
        if y2 and not y1:
            y1 = y2 if m1 <= m2 else y2 - 1
        if y1 and not y2:
            y2 = y1 if m2 >= m1 else y1 + 1
        if y1:
            return f"{y1}-{m1:02d}..{y2}-{m2:02d}"
        return f"{m1}..{m2}" if m2 > m1 else f"{m1}..next {m2}"
    if kind == "quarterrange":
        q1, q2, y1, y2 = int(g[0]), int(g[2]), g[1], g[3]
        y1 = y1 or y2
        y2 = y2 or y1
        if not (q1 < q2 or (y1 and y2 and int(y2) > int(y1))):
            return None
        return f"{y1}-Q{q1}..{y2}-Q{q2}" if y1 else f"Q{q1}..Q{q2}"
    if kind == "quarter":
        q = int(g[0]) if g[0] else _ORD[g[2].lower()]
        year = g[1] or g[3]
        return f"{year}-Q{q}" if year else f"Q{q}"
    if kind == "half":
        h = int(g[0]) if g[0] else _ORD[g[2].lower()]
        year = g[1] or g[3]
        return f"{year}-H{h}" if year else f"H{h}"
    if kind == "month":
        month = MONTHS_EN[g[0].lower().rstrip(".")]
        return _when_point(int(g[1]) if g[1] else None, month)
    if kind == "yearonly":
        return g[0]
    return None


def find_times(text: str, locale: str) -> list[Time]:
    """The times in ``text`` (see the module docstring)."""
    return find_times_en(text) if locale == "en" else find_times_zh(text)


# -- a date of issue ----------------------------------------------------------------
_ISSUE_ZH = re.compile(rf"^\s*(?:中華民國|中华民国|民國|民国)?\s*(\d{{4}}|1[0-4]\d|[{_CN_YEAR}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*月(?:\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*日)?\s*$")
_ISSUE_NUM = re.compile(r"^\s*(\d{4})\s*[-./]\s*(\d{1,2})(?:\s*[-./]\s*(\d{1,2}))?\s*$")
_ISSUE_EN = re.compile(rf"^\s*(?:(\d{{1,2}})\s+)?{_MON}\s+(?:(\d{{1,2}}),\s*)?(\d{{4}})\s*$", re.I)
_PLACEHOLDER_DATE = re.compile(r"^\s*(?:(?:20|19)?[_＿xX×]{1,4}|[xX]{2}|\s*)\s*年\s*(?:[\d一二三四五六七八九十]{0,3}|[_＿xX×\s]*)\s*月"
                               r"\s*(?:[\d一二三四五六七八九十]{0,3}|[_＿xX×\s]*)\s*日?\s*$|^\s*[xX]{2}\s*年.{0,4}月\s*$")


def issue_date(text: str) -> dt.date | tuple[int, int] | None:
    """A date standing alone on a line: a day (date) or a month (year, month) tuple."""
    for pattern in (_ISSUE_ZH, _ISSUE_NUM):
        if m := pattern.match(text):
            year = cn_year(m.group(1))
            month = _num(m.group(2))
            day = _num(m.group(3)) if m.group(3) else None
            if year and _valid(month, day) and 1949 <= year <= 2200:
                return dt.date(year, month, day) if day else (year, month)
            return None
    if m := _ISSUE_EN.match(text):
        day = int(m.group(1) or m.group(3)) if (m.group(1) or m.group(3)) else None
        month, year = MONTHS_EN[m.group(2).lower().rstrip(".")], int(m.group(4))
        if _valid(month, day):
            return dt.date(year, month, day) if day else (year, month)
    return None


def is_placeholder_date(text: str) -> bool:
    """A blank or placeholder date line: 20__年 月 日, XX年十二月, 年 月 日."""
    t = text.strip()
    return bool(t) and "年" in t and bool(_PLACEHOLDER_DATE.match(t))
