"""Numbering markers at the start of a paragraph: 一、 （一） 1. 1、 （1） ① 一是 第一， A. a) • …

:func:`parse` reads the marker a paragraph starts with and says which *family* it belongs to
(variants of one style, such as ``1.`` ``1、`` ``1．``, are one family), its value (the item's
number) and the *style key* the model uses for it (``1、``, ``（一）``, ``first`` …).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..numbering import ORDINALS, roman_lower

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9,
              # financial numerals, as Taiwanese plans number their top level (壹、貳、參)
              "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "叄": 3, "肆": 4, "伍": 5, "陆": 6,
              "陸": 6, "柒": 7, "捌": 8, "玖": 9}
_CN_TENS = {"十": 10, "拾": 10}
_FINANCIAL = set("壹贰貳叁參叄肆伍陆陸柒捌玖拾")
CN_NUM = "〇零一二三四五六七八九十两壹贰貳叁參叄肆伍陆陸柒捌玖拾"


def cn_value(text: str) -> int | None:
    """The value of a Chinese numeral below 100: 一 → 1, 十二 → 12, 二十 → 20, 貳 → 2."""
    if not text or len(text) > 3:
        return None
    if all(c in _CN_DIGITS for c in text):
        if len(text) == 1:
            return _CN_DIGITS[text]
        return None
    tens = [i for i, c in enumerate(text) if c in _CN_TENS]
    if len(tens) != 1:
        return None
    i = tens[0]
    left, right = text[:i], text[i + 1:]
    if (left and (len(left) > 1 or left not in _CN_DIGITS)) or \
            (right and (len(right) > 1 or right not in _CN_DIGITS)):
        return None
    return (_CN_DIGITS[left] if left else 1) * 10 + (_CN_DIGITS[right] if right else 0)


#: I … XV: numbers as writers write them, no higher than a plan's sections go.
_ROMANS = {roman_lower(n).upper(): n for n in range(1, 16)}


def roman_value(text: str) -> int | None:
    """I → 1, IV → 4, XII → 12 (upper or lower case, up to XV)."""
    return _ROMANS.get(text.upper())


_ORDINALS = {w.lower(): i for i, w in enumerate(ORDINALS, 1)}


@dataclass(frozen=True)
class Marker:
    """A numbering marker at the start of a paragraph.

    ``family`` groups variants of one style (``1.`` and ``1、`` are family ``arabic``);
    ``style`` is the model's style key for it (``1、``); ``value`` the item number (None for
    bullets and 【】); ``end`` the offset where the paragraph's own text begins.
    """

    family: str
    style: str
    value: int | None
    raw: str
    end: int
    depth: int = 1  # for decimal outline numbers 1.2.3: the number of parts

    @property
    def numbered(self) -> bool:
        return self.family not in ("bullet", "bracket")


_SP = r"[ \t\u3000]*"
_CN = f"[{CN_NUM}]{{1,3}}"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN_DIGIT = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_PAREN_IDEO = "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"
_DOT_DIGIT = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
_BULLETS = "•·●○■□◆◇▪▫►▶➢✓√※◎▲△-–—*+"
_OPEN, _CLOSE = "(（", ")）"
# Characters after "1.5" that make it a number, not an outline number "1.5 …".
_UNIT_CHARS = "倍万亿元岁个人次名家所户张天年月日小时分钟米吨台件项期场篇"

_LABEL_EN = (r"objective|goal|aim|priority|strategy|target|outcome|action|task|initiative|activity|measure|"
             r"recommendation|pillar|workstream|focus area|key result|result area")
# Order matters: the first pattern that matches wins.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    # Objective 1: … · Priority A – … · 目标一： · 任务2： (a label word numbered)
    ("label", re.compile(rf"^{_SP}(?P<word>{_LABEL_EN})\s+(\d{{1,2}}|[A-H]|[IVX]{{1,4}})\s*[:：.–—-](?=\s)" + _SP, re.I)),
    ("label", re.compile(rf"^{_SP}(?P<word>目标|目標|任务|任務|措施|举措|舉措|专项行动|專項行動|行动|行動|重点|重點)"
                         rf"({_CN}|\d{{1,2}})[：:]" + _SP)),
    # （一） (一) （一、 ㈠ , optionally followed by 、 or . (a common slip: （二）、)
    ("paren_cn", re.compile(rf"^{_SP}[{_OPEN}]{_SP}({_CN}|[—－\-]){_SP}[{_CLOSE}][、.．,，:：]?{_SP}")),
    ("paren_ideo", re.compile(rf"^{_SP}([{_PAREN_IDEO}])[、.．]?{_SP}")),
    # （1） (1) ⑴ ; not (1,000) or (2025)
    ("paren_arabic", re.compile(rf"^{_SP}[{_OPEN}]{_SP}(\d{{1,3}}){_SP}[{_CLOSE}][、.．,，:：]?{_SP}")),
    ("paren_digit", re.compile(rf"^{_SP}([{_PAREN_DIGIT}])[、.．]?{_SP}")),
    ("circled", re.compile(rf"^{_SP}([{_CIRCLED}])[、.．]?{_SP}")),
    # (a) (i)
    ("paren_roman", re.compile(rf"^{_SP}\((i{{1,3}}|iv|vi{{0,3}}|ix|x)\){_SP}")),
    ("paren_alpha", re.compile(rf"^{_SP}\(([a-z])\){_SP}")),
    # 第一阶段 第二部分 (phases), 第一， 第一、 (ordinal words); not 第一次 or 第一责任人
    ("phase", re.compile(rf"^{_SP}第({_CN}|\d{{1,2}})(阶段|步)[：:，,、.．]?{_SP}")),
    ("ordinal_cn", re.compile(rf"^{_SP}第({_CN})[，,、：:]{_SP}")),
    # 一是 二是 (the Chinese run-in enumeration); also 其一，
    ("shi", re.compile(rf"^{_SP}({_CN})是(?=[^的否为])")),
    # 一、 二. 十一、 壹、 ; not 一个 or 一线
    ("cn", re.compile(rf"^{_SP}({_CN}){_SP}[、.．,，:：](?!\d){_SP}")),
    # 1.2.3 decimal outline (two parts or more)
    ("decimal", re.compile(rf"^{_SP}(\d{{1,2}}(?:[.．]\d{{1,2}}){{1,3}})(?:[.．]|(?=[ \t\u3000])|(?=[\u4e00-\u9fff])(?![{_UNIT_CHARS}]))" + _SP)),
    # 1. 1、 1． 1， ; not 1.5 or 2025.
    ("arabic", re.compile(rf"^{_SP}(\d{{1,3}}){_SP}(?:[.．](?![\d.．])|[、,，](?!\d{{1,2}}(?:[、,，.．%‰]|$)|[.．、]))" + _SP)),
    ("dot_digit", re.compile(rf"^{_SP}([{_DOT_DIGIT}]){_SP}")),
    # 1) 1）
    ("arabic_paren", re.compile(rf"^{_SP}(\d{{1,2}})[)）](?![\d])" + _SP)),
    # A. B、 (a capital letter as a list marker: followed by a space or a Han character)
    ("alpha_upper", re.compile(rf"^{_SP}([A-H])[.．、](?=[ \t\u3000]|[\u4e00-\u9fff])" + _SP)),
    # a) b)
    ("alpha_lower", re.compile(rf"^{_SP}([a-h])\)" + _SP)),
    # I. II. IV. (upper-case Roman numerals as list markers)
    ("roman", re.compile(rf"^{_SP}([IVX]{{1,5}})[.．](?=[ \t])" + _SP)),
    # 【工作目标】 a bracketed heading
    ("bracket", re.compile(rf"^{_SP}【([^【】]{{1,30}})】{_SP}")),
    # • bullets
    ("bullet", re.compile(rf"^{_SP}([{re.escape(_BULLETS)}]){_SP}(?=\S)")),
]

_EN_ORDINAL = re.compile(
    rf"^\s*(?:(?:the\s+)?({'|'.join(_ORDINALS)})(?:ly)?(?:\s*,\s*|\s+is\s+(?:to\s+)?|\s*:\s*)"
    rf"|(?:({'|'.join(list(_ORDINALS)[:10])})ly)\s*,?\s*)", re.I)

#: The family of each pattern (variants that belong together) and the model's style key.
_FAMILY = {
    "paren_cn": ("paren_cn", "（一）"), "paren_ideo": ("paren_cn", "（一）"),
    "paren_arabic": ("paren_arabic", "（1）"), "paren_digit": ("paren_arabic", "（1）"),
    "circled": ("circled", "①"), "paren_roman": ("paren_roman", "(i)"),
    "paren_alpha": ("paren_alpha", "(a)"), "phase": ("phase", "第一阶段"),
    "ordinal_cn": ("ordinal_cn", "第一，"), "shi": ("shi", "一是"), "cn": ("cn", "一、"),
    "decimal": ("decimal", "1.1"), "arabic": ("arabic", "1."), "dot_digit": ("arabic", "1."),
    "arabic_paren": ("arabic_paren", "1)"), "alpha_upper": ("alpha_upper", "A."),
    "alpha_lower": ("alpha_lower", "a)"), "roman": ("roman", "I."),
    "bracket": ("bracket", "【】"), "bullet": ("bullet", "•"),
}


def _value(kind: str, token: str) -> int | None:
    if kind in ("paren_cn", "phase", "ordinal_cn", "shi", "cn"):
        if kind == "paren_cn" and token in "—－-":
            return 1  # （—）: an em dash typed for 一
        if token.isdigit():
            return int(token)
        return cn_value(token)
    if kind == "paren_ideo":
        return _PAREN_IDEO.index(token) + 1
    if kind == "paren_digit":
        return _PAREN_DIGIT.index(token) + 1
    if kind == "circled":
        return _CIRCLED.index(token) + 1
    if kind == "dot_digit":
        return _DOT_DIGIT.index(token) + 1
    if kind in ("paren_arabic", "arabic", "arabic_paren"):
        return int(token)
    if kind == "decimal":
        return int(re.split(r"[.．]", token)[-1])
    if kind == "paren_roman":
        return roman_value(token)
    if kind in ("paren_alpha", "alpha_lower"):
        return ord(token) - ord("a") + 1
    if kind == "alpha_upper":
        return ord(token) - ord("A") + 1
    if kind == "roman":
        return roman_value(token)
    return None


def parse(text: str) -> Marker | None:
    """The numbering marker ``text`` starts with, or None.

    >>> parse("（二）、医疗安全治理").style, parse("（二）、医疗安全治理").value
    ('（一）', 2)
    """
    if not text:
        return None
    if m := _EN_ORDINAL.match(text):
        word = (m.group(1) or m.group(2)).lower()
        rest = text[m.end():]
        if rest[:1].isalpha() or rest[:1] == '"':
            return Marker("ordinal_en", "first", _ORDINALS[word], m.group(0), m.end())
    for kind, pattern in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        if kind == "label":
            word, token = m.group("word"), m.group(2)
            value = (int(token) if token.isdigit() else cn_value(token) if not token.isascii()
                     else roman_value(token) if len(token) > 1 or token in "IVX" else ord(token.upper()) - 64)
            if value is None or not text[m.end():].strip():
                continue
            first = "1" if token.isdigit() else ("一" if not token.isascii() else ("I" if token in "IVX" else "A"))
            punct = text[m.end(2):m.end()].strip()
            # Priority I and Priority A look alike: a single I, V or X counts as Roman
            sep = " " if word.isascii() else ""
            return Marker("label:" + word.lower(), f"{word}{sep}{first}{' ' if punct in '–—-' else ''}{punct}",
                          value, m.group(0).strip(), m.end())
        token = m.group(1)
        rest = text[m.end():]
        if not rest.strip():
            # A marker alone on a line is a marker only for brackets (【目标】).
            if kind != "bracket":
                return None
        if kind == "cn" and rest[:1] in "是个些般线切类下":
            return None
        if kind == "arabic" and rest[:1] in "%‰":
            return None
        if kind == "bullet" and token in "-–—*+" and not text.lstrip().startswith(token + " "):
            return None  # "-5%" or "—— 摘自" are not bullets
        if kind == "bullet" and token in "—–-" and rest[:1] in "—–-":
            return None
        value = _value(kind, token)
        if value is None and kind not in ("bracket", "bullet"):
            continue
        family, style = _FAMILY[kind]
        if kind == "cn" and any(c in _FINANCIAL for c in token):
            family, style = "cn_financial", "壹、"
        if kind == "arabic" and re.match(rf"{_SP}\d{{1,2}}{_SP}[、,，]", text):
            style = "1、"
        depth = token.count(".") + token.count("．") + 1 if kind == "decimal" else 1
        if kind == "decimal":
            family = f"decimal{depth}"
            style = ".".join("1" * depth)
        end = m.end() if kind != "bracket" else m.start(1)
        return Marker(family, style, value, m.group(0).strip(), end, depth)
    return None


def strip(text: str) -> tuple[Marker | None, str]:
    """``(marker, rest)``: the marker ``text`` starts with, and the text after it.

    For a 【】 heading the rest keeps the words inside the brackets, without them.
    """
    marker = parse(text)
    if marker is None:
        return None, text.strip()
    if marker.family == "bracket":
        inner = re.match(rf"{_SP}【([^【】]*)】", text)
        return marker, (inner.group(1) + text[inner.end():]).strip()
    return marker, text[marker.end:].strip()


#: Patterns that find markers of a given family inside running text (glued items,
#: headings run into the previous sentence): family → regex with the value in group 1.
_INLINE = {
    "paren_arabic": re.compile(rf"[{_OPEN}](\d{{1,2}})[{_CLOSE}]"),
    "paren_cn": re.compile(rf"[{_OPEN}]({_CN})[{_CLOSE}]"),
    "circled": re.compile(f"([{_CIRCLED}])"),
    "arabic": re.compile(r"(?<![\d.．/：:])(\d{1,2})[、.．](?![\d.．、%])"),
    "cn": re.compile(rf"(?<![{CN_NUM}第])({_CN})、"),
    "paren_digit": re.compile(f"([{_PAREN_DIGIT}])"),
    "shi": re.compile(rf"({_CN})是(?=[^的否为])"),
}


def inline_markers(text: str, family: str):
    """``(start, value)`` for every marker of ``family`` inside ``text``."""
    pattern = _INLINE.get(family)
    if pattern is None:
        return []
    out = []
    for m in pattern.finditer(text):
        token = m.group(1)
        if family == "circled":
            value = _CIRCLED.index(token) + 1
        elif family == "paren_digit":
            value = _PAREN_DIGIT.index(token) + 1
        elif token.isdigit():
            value = int(token)
        else:
            value = cn_value(token)
        if value is not None:
            out.append((m.start(), value))
    return out
