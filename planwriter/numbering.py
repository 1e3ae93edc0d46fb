"""Heading and item numbers: the marker styles plans use, and the numbers they give.

Chinese official documents number four levels as 一、 （一） 1. （1） (GB/T 9704-2012,
7.3.3); a fifth level uses circled digits. English plans use decimal outline
numbers (1. / 1.1 / 1.1.1), then (a) and (i). Those are the defaults by depth. An
author may choose another style for a level or for the items of one node — 一是/二是,
第一，, 第一阶段, A., a), 1), bullets, 【】 headings, or none — and a style chosen in one
language has a counterpart in the other (一是 → First, …).

A top level may be marked 壹、贰、 (Taiwan's plans do, above 一、; I. in English).

A style is named by its marker for the first item (``一、``, ``（一）``, ``1.1``, ``(a)``);
:data:`STYLE_NAMES` lists them, :func:`style_name` reads what a plan writes.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable

from .formatting import continuing

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


_CAPITALS = "零壹贰叁肆伍陆柒捌玖"


def chinese_capital(n: int) -> str:
    """A positive integer in the capital numerals a top level may be marked with (壹、贰、叁、
    … 拾、拾壹、贰拾); in digits from 100 on, where no plan goes."""
    if n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _CAPITALS[tens]) + "拾" if tens else "") + (_CAPITALS[ones] if ones else "")


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


ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth",
             "Tenth", "Eleventh", "Twelfth")


def _ordinal(n: int) -> str:
    return ORDINALS[n - 1] if n <= len(ORDINALS) else f"{n}th"


# --------------------------------------------------------------------------- styles

@dataclass(frozen=True)
class Style:
    """A way of marking the items of one level.

    ``make(n, path)`` is the marker of the n-th item (``path``: the numbers of the
    numbered levels above and this one). ``sep`` goes between a marker and the text;
    ``wrap`` styles (【】) put the text inside the marker instead and take no number.
    """

    name: str
    make: Callable[[int, tuple[int, ...]], str]
    sep: str = ""
    numbered: bool = True
    wrap: tuple[str, str] | None = None


def _s(name, make, sep="", numbered=True, wrap=None) -> Style:
    return Style(name, make, sep, numbered, wrap)


_NONE = _s("none", lambda n, p: "", numbered=False)
_BRACKETS = _s("【】", lambda n, p: "", numbered=False, wrap=("【", "】"))
_BULLET = _s("•", lambda n, p: "•", " ")

ZH_STYLES: dict[str, Style] = {s.name: s for s in (
    _s("壹、", lambda n, p: f"{chinese_capital(n)}、"),
    _s("一、", lambda n, p: f"{chinese_numeral(n)}、"),
    _s("（一）", lambda n, p: f"（{chinese_numeral(n)}）"),
    _s("1.", lambda n, p: f"{n}."),
    _s("1、", lambda n, p: f"{n}、"),
    _s("（1）", lambda n, p: f"（{n}）"),
    _s("①", lambda n, p: circled(n)),
    _s("一是", lambda n, p: f"{chinese_numeral(n)}是"),
    _s("第一，", lambda n, p: f"第{chinese_numeral(n)}，"),
    _s("第一阶段", lambda n, p: f"第{chinese_numeral(n)}阶段", "："),
    _s("A.", lambda n, p: f"{alpha_lower(n).upper()}."),
    _s("a)", lambda n, p: f"{alpha_lower(n)})"),
    _s("1)", lambda n, p: f"{n})"),
    _BULLET, _BRACKETS, _NONE,
)}

EN_STYLES: dict[str, Style] = {s.name: s for s in (
    _s("1.", lambda n, p: f"{n}.", " "),
    _s("1.1", lambda n, p: ".".join(map(str, p)), " "),
    _s("A.", lambda n, p: f"{alpha_lower(n).upper()}.", " "),
    _s("a.", lambda n, p: f"{alpha_lower(n)}.", " "),
    _s("(a)", lambda n, p: f"({alpha_lower(n)})", " "),
    _s("a)", lambda n, p: f"{alpha_lower(n)})", " "),
    _s("(i)", lambda n, p: f"({roman_lower(n)})", " "),
    _s("i.", lambda n, p: f"{roman_lower(n)}.", " "),
    _s("I.", lambda n, p: f"{roman_lower(n).upper()}.", " "),
    _s("1)", lambda n, p: f"{n})", " "),
    _s("first", lambda n, p: f"{_ordinal(n)},", " "),
    _s("phase", lambda n, p: f"Phase {n}", ": "),
    _BULLET, _NONE,  # 【】 is Chinese: an English heading stands bare
)}

STYLES = {"zh": ZH_STYLES, "en": EN_STYLES}
#: The default style of each depth.
DEFAULTS = {"zh": ("一、", "（一）", "1.", "（1）", "①"), "en": ("1.", "1.1", "1.1", "(a)", "(i)")}

#: Other spellings of style names.
ALIASES = {"(一)": "（一）", "(1)": "（1）", "1．": "1.", "二是": "一是", "第一": "第一，",
           "第一,": "第一，", "bullet": "•", "bullets": "•", "●": "•", "·": "•", "-": "•",
           "1.1.1": "1.1", "decimal": "1.1", "[]": "【】", "unnumbered": "none",
           "First,": "first", "phase 1": "phase", "Phase 1": "phase"}

#: A style of one language read in the other: the counterpart of a style that the other
#: language does not have (a structural style — 一、, （一）, 1.1 — takes the default there).
COUNTERPARTS = {
    "en": {"壹、": "I.", "一是": "first", "第一，": "first", "第一阶段": "phase", "①": "(a)", "【】": "none"},
    "zh": {"first": "一是", "phase": "第一阶段", "a.": "a)", "(a)": "a)", "i.": "a)", "(i)": "a)",
           "I.": "A."},
}
_STRUCTURAL = {"一、", "（一）", "1.", "1、", "（1）", "①", "1.1"}

#: Every style name a plan may write.
STYLE_NAMES: tuple[str, ...] = tuple(dict.fromkeys([*ZH_STYLES, *EN_STYLES]))


def base_locale(locale: str) -> str:
    """The locale whose numbering ``locale`` uses (Traditional Chinese numbers as Chinese)."""
    return "zh" if locale.startswith("zh") else locale


def style_name(name: str) -> str:
    """The style a plan names (its own spelling or an alias); ValueError if there is none."""
    name = name.strip()
    if name in ZH_STYLES or name in EN_STYLES:
        return name
    if name in ALIASES:
        return ALIASES[name]
    import difflib
    close = difflib.get_close_matches(name, list(STYLE_NAMES), n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise ValueError(f"'{name}' is not a numbering style (styles: {' '.join(STYLE_NAMES)}){hint}")


def style_for(name: str | None, locale: str) -> str | None:
    """The style ``name`` (chosen in any language) as it is written in ``locale``; None for
    the default of the depth."""
    if name is None:
        return None
    styles = STYLES[base_locale(locale)]
    if name in styles:
        return name
    counterpart = COUNTERPARTS[base_locale(locale)].get(name)
    if counterpart is not None:
        return counterpart
    return None if name in _STRUCTURAL else None


def marker_of(style: str | None, level: int, locale: str) -> Style:
    loc = base_locale(locale)
    return STYLES[loc][style or DEFAULTS[loc][min(level, MAX_DEPTH) - 1]]


class Numberer:
    """Hands out markers for a sequence of numbered blocks given their levels and styles.

    Counters below a level restart whenever a block at that level appears, so numbering
    restarts under each parent; a block that is not numbered (``none``, 【】) takes no
    number, and its siblings count on as if it were not there. ``defaults`` are the
    plan's styles by depth (``meta.numbering``).
    """

    def __init__(self, locale: str, defaults: tuple[str | None, ...] = ()) -> None:
        self.locale = base_locale(locale)
        self._hant = locale == "zh-Hant"
        self._defaults = defaults
        self._path: list[int] = []
        self._shown: list[bool] = []
        self._names: list[str] = []  # the style of the latest block at each level
        self._styles: dict[tuple[int, str | None], Style] = {}

    def style(self, level: int, style: str | None) -> Style:
        got = self._styles.get((level, style))
        if got is None:
            name = self._defaults[level - 1] if style is None and level - 1 < len(self._defaults) else style
            got = self._styles[level, style] = marker_of(name, level, self.locale)
        return got

    def next(self, level: int, style: str | None = None) -> str:
        """The marker of the next block at ``level`` (empty for an unnumbered one)."""
        return self._advance(level, self.style(level, style))

    def _advance(self, level: int, s: Style) -> str:
        if not 1 <= level <= MAX_DEPTH:
            raise ValueError(f"numbering supports levels 1..{MAX_DEPTH}, got {level}")
        path, shown, names = self._path, self._shown, self._names
        depth = len(path)
        if depth > level:  # the levels below restart
            del path[level:], shown[level:], names[level:]
        elif depth < level:
            path += [0] * (level - depth)
            shown += [True] * (level - depth)
            names += [""] * (level - depth)
        i = level - 1
        names[i] = s.name
        if not s.numbered:
            shown[i] = False
            return ""
        n = path[i] = path[i] + 1
        shown[i] = True
        if s.name != "1.1":
            marker = s.make(n, (n,))
        else:
            # A decimal number carries the numbers of the decimal levels above it, up to one
            # numbered 1. (2.3.1 under 2.3 under 2.); it starts afresh under any other
            # style or a bare heading (1., 2. under a bare heading, not 1.1 under each).
            path = [n]
            for k in range(level - 2, -1, -1):
                if not self._names[k]:
                    continue  # a level skipped
                if self._names[k] not in ("1.1", "1.") or not self._shown[k]:
                    break
                path.insert(0, self._path[k])
                if self._names[k] == "1.":
                    break
            marker = f"{n}." if len(path) == 1 else s.make(n, tuple(path))
        return marker.replace("阶段", "階段") if self._hant else marker  # the one Simplified word

    def label(self, level: int, text: str, style: str | None = None) -> tuple[str, str]:
        """``(marker, text)`` of a heading or item: the marker with its separator, and the
        text (inside the marker's brackets for 【】)."""
        s = self.style(level, style)
        marker = self._advance(level, s)
        if s.wrap is not None:
            return "", f"{s.wrap[0]}{text}{s.wrap[1]}"
        if not marker:
            return "", text
        if s.name == "first":
            text = continuing(text)  # First, strengthen … (the sentence goes on)
        sep = s.sep
        if sep and sep.strip() in ("：", ":") and text[:1] in ("（", "("):
            sep = " " if sep == ": " else ""  # 第一阶段（3月—4月）：… / Phase 1 (March–April): …
        return marker + sep, text


# --------------------------------------------------------------------------- typed markers

_CN = "一二三四五六七八九十百千零〇壹贰貳叁參肆伍陆陸柒捌玖拾"
#: A number typed at the start of a title (四、, （二）, 1.2 , (a) , ①, 一是, 第三，, 第一阶段).
LEADING_MARKER = re.compile(
    rf"^\s*(?:[{_CN}]+[、.．]"
    rf"|[（(][{_CN}]+[）)]"
    r"|[（(]\d{1,3}[）)]"
    r"|\d{1,3}(?:[.．]\d{1,3})+[.．]?\s?"
    r"|\d{1,3}[.．、](?!\d)"
    r"|\d{1,3}\)\s"
    r"|[①-⑳]"
    rf"|[{_CN}]{{1,3}}是"
    rf"|第[{_CN}]{{1,3}}(?:[，,、]|阶段|部分|条|章|节)"
    r"|[A-Za-z][.)]\s"
    r"|\((?:[a-z]|[ivx]{1,5})\)\s"
    r"|[•●·▪]\s?)"
)


def leading_marker(text: str) -> str | None:
    """The number typed at the start of ``text``, if any (``四、`` in ``四、加强管理``)."""
    m = LEADING_MARKER.match(text)
    return m.group().strip() if m else None
