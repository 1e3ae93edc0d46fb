"""Heading and item numbers, derived from depth alone.

Chinese official documents number four levels as 一、 （一） 1. （1） (GB/T 9704-2012,
7.3.3); a fifth level uses circled digits.  English plans use decimal outline
numbers for the first three levels (1. / 1.1 / 1.1.1), then (a) and (i).
"""
from __future__ import annotations

import functools
from typing import Callable

MAX_DEPTH = 5

_DIGITS = "零一二三四五六七八九"


def _four(n: int) -> str:
    """0 < n < 10,000 in Chinese numerals, with 零 for inner zeros (1005 → 一千零五)."""
    units = ["", "十", "百", "千"]
    digits = [int(d) for d in str(n)]
    out: list[str] = []
    zero = False
    for i, d in enumerate(digits):
        pos = len(digits) - i - 1
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_DIGITS[d] + units[pos])
    return "".join(out)


_MYRIADS = ["", "万", "亿", "万亿"]


@functools.lru_cache(maxsize=1024)
def chinese_numeral(n: int) -> str:
    """Write a positive integer in Chinese numerals: 1 → 一, 21 → 二十一, 10001 → 一万零一.

    Works up to 10**16 - 1 (万亿); higher numbers are written in digits.
    """
    if n < 1:
        raise ValueError(f"chinese_numeral takes a positive integer, got {n}")
    if n >= 10 ** 16:
        return str(n)
    groups = []
    while n:
        n, g = divmod(n, 10000)
        groups.append(g)
    out: list[str] = []
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            continue
        # A zero before this group (its thousands, or a whole group skipped) is read 零.
        if out and (g < 1000 or groups[i + 1] == 0):
            out.append("零")
        out.append(_four(g) + _MYRIADS[i])
    text = "".join(out)
    # 一十 → 十 at the start (10–19 are read 十, 十一 …, 100000 is 十万)
    return text[1:] if text.startswith("一十") else text


def circled(n: int) -> str:
    """①–⑳, then (21), (22) … where no circled digit exists."""
    return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"


def roman_lower(n: int) -> str:
    vals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
            (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def alpha_lower(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


Formatter = Callable[[tuple[int, ...]], str]

STYLES: dict[str, tuple[Formatter, ...]] = {
    "zh": (
        lambda p: f"{chinese_numeral(p[-1])}、",
        lambda p: f"（{chinese_numeral(p[-1])}）",
        lambda p: f"{p[-1]}.",
        lambda p: f"（{p[-1]}）",
        lambda p: circled(p[-1]),
    ),
    "en": (
        lambda p: f"{p[0]}. ",
        lambda p: ".".join(map(str, p[:2])) + " ",
        lambda p: ".".join(map(str, p[:3])) + " ",
        lambda p: f"({alpha_lower(p[-1])}) ",
        lambda p: f"({roman_lower(p[-1])}) ",
    ),
}


class Numberer:
    """Hands out numbers for a sequence of numbered blocks given their levels.

    Counters below a level restart whenever a block at that level appears, so
    numbering restarts correctly under each parent.
    """

    def __init__(self, locale: str) -> None:
        self._styles = STYLES[locale]
        self._path: list[int] = []

    def next(self, level: int) -> str:
        if not 1 <= level <= len(self._styles):
            raise ValueError(f"numbering supports levels 1..{len(self._styles)}, got {level}")
        del self._path[level:]
        while len(self._path) < level:
            self._path.append(0)
        self._path[level - 1] += 1
        return self._styles[level - 1](tuple(self._path))
