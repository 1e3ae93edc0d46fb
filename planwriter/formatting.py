"""Locale-aware formatting of numbers, dates, months and lists.

Numbers, dates and months follow CLDR (zh_Hans_CN and en_GB) and are written here
directly, since they are on every rendering's path; lists go through Babel.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

#: Babel locales behind planwriter's languages: mainland Chinese, British-style English dates
#: and Traditional Chinese (Taiwan).
BABEL_LOCALES = {"zh": "zh_Hans_CN", "en": "en_GB", "zh-Hant": "zh_Hant_TW"}


def continuing(text: str) -> str:
    """An English phrase as it reads inside a sentence: its first letter in lower case unless
    the word is a name or an acronym ('By the end of June' → 'by the end of June'; 'WHO' stays)."""
    if text[:1].isupper() and text[1:2].islower():
        return text[0].lower() + text[1:]
    return text


_ZH_STOPS = "。！？；…”’）"
_ZH_JOINS = "，,；;。：:、！？（(“‘—…"


def sentence_close(tail: str, locale: str) -> str:
    """How a sentence ends after its last target: a stop, or ``tail`` joined on and stopped.
    Chinese: 由儿保医生负责 → ，由儿保医生负责。; English: 'with support from the county
    hospital' → ' with support from the county hospital.'; a tail that opens with its own
    punctuation keeps it."""
    tail = (tail or "").strip()
    if locale == "en":
        if not tail:
            return "."
        if tail[0].isalnum() or tail[0] in "(‘“'\"":
            tail = " " + tail
        return tail if tail[-1] in ".!?…" or tail.endswith((".)", ".”", "?”")) else tail + "."
    if not tail:
        return "。"
    if tail[0] not in _ZH_JOINS:
        tail = "，" + tail
    return tail if tail[-1] in _ZH_STOPS else tail + "。"


#: English verbs that open a target as an instruction, and how the target follows the name:
#: Increase X to at least 90% / by 25%; Keep X below 2%; Achieve X of at least 90%.
_EN_IMPERATIVES = {
    "to": {"increase", "raise", "reduce", "lower", "cut", "bring", "grow", "expand", "decrease",
           "improve", "boost", "extend", "lift", "push", "drive", "shorten"},
    "bare": {"keep", "maintain", "hold", "sustain"},
    "of": {"achieve", "attain", "secure", "deliver"},
}


def imperative(lead: str, locale: str) -> str | None:
    """How an English lead that is an instruction (Reduce, Increase the, Keep) takes its
    targets: 'to', 'bare' or 'of'; None for any other lead (By 2026, …) and in Chinese."""
    lead = (lead or "").strip()
    if locale != "en" or not lead or lead[-1] in ",:;—–.":
        return None
    words = lead.lower().split()
    while len(words) > 1 and words[-1] in ("the", "our", "its", "their", "a", "an"):
        words.pop()
    # the verb opens the lead (Reduce …, Keep the …) or ends it (We strive to increase the …)
    for verb in (words[0], words[-1]):
        how = next((how for how, verbs in _EN_IMPERATIVES.items() if verb in verbs), None)
        if how is not None:
            return how
    return None


def _decimals(value: float, places: int) -> str:
    """``value`` with at most ``places`` decimals (half to even), trailing zeros dropped."""
    d = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    text = f"{d:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _exact(value: float, scale: float, places: int) -> bool:
    """Whether ``value / scale`` is written exactly with ``places`` decimals."""
    scaled = value / scale
    return abs(scaled * 10 ** places - round(scaled * 10 ** places)) < 1e-6


class Formatter:
    """Formats values for one language; exposed to templates as filters."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._babel = BABEL_LOCALES[locale]
        self.chinese = locale.startswith("zh")

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

    def amount(self, value: float | int) -> str:
        """A count or sum as officials write it.

        Chinese: plain digits below ten thousand, then 万 and 亿 where they are exact to two
        decimals (3万, 1000万, 28.6万, 1.5亿; 12345 stays 12345; 萬 and 億 in zh-Hant). English: digit groups, then
        million and billion where exact to one decimal (286,000; 3 million; 1.2 billion).
        """
        v = float(value)
        if self.chinese:
            words = ("億", "萬") if self.locale == "zh-Hant" else ("亿", "万")
            for scale, word in zip((1e8, 1e4), words):
                if abs(v) >= scale and _exact(v, scale, 2):
                    return _decimals(v / scale, 2) + word
            return _decimals(v, 3)
        for scale, word in ((1e9, " billion"), (1e6, " million")):
            if abs(v) >= scale and _exact(v, scale, 1):
                return _decimals(v / scale, 1) + word
        return self.number(value)

    def percent(self, value: float | int) -> str:
        """Percentage points as text: 95 → 95%."""
        return f"{self.number(value)}%"

    def date(self, value) -> str:
        """2025年1月15日 / 15 January 2025 (no leading zeros): CLDR's long date of
        zh_Hans_CN and en_GB; a date given to the month only, 2025年3月 / March 2025."""
        if not isinstance(value, dt.date):  # a month-only date (year, month)
            if self.locale == "en":
                return f"{MONTHS_EN[value.month - 1]} {value.year}"
            return f"{value.year}年{value.month}月"
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

    def either(self, items: list[str]) -> str:
        """[a, b, c] → a、b或c / a, b or c."""
        if not items:
            return ""
        from babel.lists import format_list
        return format_list([str(i) for i in items], style="or", locale=self._babel)


MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
