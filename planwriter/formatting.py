"""Locale-aware formatting of numbers, dates, months and lists.

Numbers, dates and months follow CLDR (zh_Hans_CN and en_GB) and are written here
directly, since they are on every rendering's path; lists go through Babel.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

#: Babel locales behind planwriter's languages: mainland Chinese and British-style English dates.
BABEL_LOCALES = {"zh": "zh_Hans_CN", "en": "en_GB"}


class Formatter:
    """Formats values for one language; exposed to templates as filters."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._babel = BABEL_LOCALES[locale]

    def number(self, value: float | int) -> str:
        """95 → 95, 99.5 → 99.5, 12000 → 12,000 (at most three decimals, rounded half to even).

        Both languages group thousands with a comma and use a full stop for decimals, as
        Babel's zh_Hans_CN and en_GB do; this is their pattern ``#,##0.###`` without the
        cost of a Babel call per number.
        """
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"not a number: {value!r}")
        if isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError(f"not a finite number: {value!r}")
            if value.is_integer():
                value = int(value)
            else:
                d = Decimal(repr(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN)
                text = f"{d:,.3f}".rstrip("0").rstrip(".")
                return "0" if text in ("-0", "") else text
        return f"{value:,}"

    def percent(self, value: float | int) -> str:
        """Percentage points as text: 95 → 95%."""
        return f"{self.number(value)}%"

    def date(self, value: dt.date) -> str:
        """2025年1月15日 / 15 January 2025 (no leading zeros): CLDR's long date of
        zh_Hans_CN and en_GB."""
        if self.locale == "en":
            return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"
        return f"{value.year}年{value.month}月{value.day}日"

    def month_name(self, month: int) -> str:
        """6 → 6月 / June."""
        return MONTHS_EN[month - 1] if self.locale == "en" else f"{month}月"

    def list(self, items: list[str]) -> str:
        """[a, b, c] → a、b和c / a, b and c."""
        if not items:
            return ""
        from babel.lists import format_list
        return format_list([str(i) for i in items], locale=self._babel)


MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
