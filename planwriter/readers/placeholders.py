"""Blanks left for the writer to fill: xx年, 20__, ××, 某某医院, **广场, ≥ _ _%, （ 月 日）.

:func:`find` locates them in a text; :func:`fill` replaces the obvious ones when the
organisation and the year are known (``import --org NAME --year Y``): a blank year becomes
the year, a blank organisation name before 医院 / 卫生院 / 社区卫生服务中心 … becomes the
organisation.  Everything else stays for ``planwriter check`` to report at its line.
"""
from __future__ import annotations

import re

_YEAR_BLANK = r"(?:20|19)(?:[xX×_＿]{2,4}|\d[xX×_＿])(?:[xX×_＿]{0,2})|[xX×]{2}|~|～|＿{2,}|_{2,}"
_YEAR = re.compile(rf"(?<![A-Za-z\d])({_YEAR_BLANK})(?=\s*(?:年度|年|学年))")
_ORG_WORDS = r"(?:乡镇卫生院|中心卫生院|卫生院|社区卫生服务中心|社区卫生服务站|人民医院|中医院|医院|卫生室|卫生所|派出所|社区|街道|乡|镇|县|市|区|学校|小学|中学)"
_ORG = re.compile(rf"(?:某某|某|[xX×]{{1,3}}|＊{{2,}}|\*{{2,}}|_{{2,}}|＿{{2,}})(?={_ORG_WORDS})")
PATTERN = re.compile(
    r"(?:19|20)(?:[xX×_＿]{2,4}|\d[xX×_＿])[xX×_＿]{0,2}(?![A-Za-z])"   # 20xx 201x 201_ 20__
    r"|(?<![A-Za-z])(?:[xX]{2,}|×{2,}|ｘ{2,}|Ｘ{2,})(?![A-Za-z])%?"     # xx XX ××
    r"|某某\S{0,6}?(?=[，。、；：\s]|$)|某某"                            # 某某医院
    r"|[＊*]{2,}"                                                       # **广场
    r"|(?:[_＿]\s*){2,}%?"                                             # __ , _ _%
    r"|(?<=[\u4e00-\u9fff])-{2,}(?=[%\u4e00-\u9fff])|--(?=%)"          # --所 --%
    r"|[（(]\s{1,}月\s*日\s*[）)]|[（(]\s*[）)]"                        # （ 月 日） （ ）
    r"|(?:^|(?<=\s))年\s+月\s+日|(?<=年)\s{1,}月\s{1,}日"               # 年 月 日
    r"|(?<![A-Za-z])~(?=年)|～(?=年)"                                   # ~年
    r"|(?<![A-Za-z])[xX](?=[\u4e00-\u9fff]{0,3}(?:医院|科|地位|级|技术|治疗|外科|更新|五规划|单位|学会|种|所))"  # x医院
    r"|(?<=[\u4e00-\u9fff])\s+年(?=\s+[\u4e00-\u9fff])"            # 制定 年 镇…
    r"|gt;\s*[xX]{2}|≥\s*[_＿]"
)


def find(text: str) -> list[str]:
    """The placeholders in ``text``, as they stand."""
    return [m.group().strip() for m in PATTERN.finditer(text) if m.group().strip()]


def fill(text: str, org: str | None = None, year: int | None = None) -> tuple[str, int]:
    """``(text, replacements)`` with blank years and blank organisation names filled."""
    n = 0
    if year:
        text, k = _YEAR.subn(str(year), text)
        n += k
    if org:
        def org_repl(m: re.Match) -> str:
            rest = text[m.end():m.end() + 12]
            # "xx医院" → the organisation when its name ends in the same word
            for word in ("乡镇卫生院", "中心卫生院", "卫生院", "社区卫生服务中心", "人民医院", "中医院", "医院",
                         "派出所", "学校", "小学", "中学"):
                if rest.startswith(word) and org.endswith(word):
                    return org[: -len(word)]
            return m.group()
        new, k = _ORG.subn(org_repl, text)
        if new != text:
            n += sum(1 for a, b in zip(_ORG.findall(text), _ORG.findall(new)) if a != b) or k
        text = new
    return text, n
