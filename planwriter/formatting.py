"""Locale-aware formatting of numbers, dates, months and lists (Babel)."""
from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal

#: Babel locales behind planwriter's languages: mainland Chinese and British-style English dates.
BABEL_LOCALES = {"zh": "zh_Hans_CN", "en": "en_GB"}


class Formatter:
    """Formats values for one language; exposed to templates as filters."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._babel = BABEL_LOCALES[locale]

    def number(self, value: float | int) -> str:
        """95 → 95, 99.5 → 99.5, 12000 → 12,000."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return format_decimal(value, format="#,##0.###", locale=self._babel)

    def percent(self, value: float | int) -> str:
        """Percentage points as text: 95 → 95%."""
        return f"{self.number(value)}%"

    def date(self, value: dt.date) -> str:
        """2025年1月15日 / 15 January 2025 (no leading zeros)."""
        return format_date(value, format="long", locale=self._babel)

    def month_name(self, month: int) -> str:
        """6 → 6月 / June."""
        return format_date(dt.date(2000, month, 1), format="MMMM", locale=self._babel)

    def list(self, items: list[str]) -> str:
        """[a, b, c] → a、b和c / a, b and c."""
        return format_list([str(i) for i in items], locale=self._babel) if items else ""
