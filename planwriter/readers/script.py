"""Traditional script and numbers written in words, made readable by the simplified-script rules.

The readers' patterns (comparators, section names, units) are written in simplified Chinese.
:func:`fold` maps the Traditional characters plans use to their simplified forms one for one,
so offsets in the folded text are offsets in the original; :func:`unfold` gives a name read
from folded text back in the author's script.  :func:`numbers` rewrites quantities written
in words (百分之九十五, 千分之零點八, 五个百分点) as figures, with a map back to the original
offsets.
"""
from __future__ import annotations

import re

from .markers import cn_value

_TRAD = ("達於為標準數額費護醫療衛險檢驗蓋養兒嬰產婦殘務參與過維穩鞏確實現減壓縮長較內間歲戶張個項場鐘時萬億"
         "點職離訓練績滿資質發蹤診斷統計總結際訪視導組織舉辦開會議講傳體並關係們應須將爭進轉聯專業員師學級區縣"
         "鄉鎮術機構設備補貼預約報銷繳納處齡規範續餘車電網線圖書館運動營災農貧藥劑嚴紀錄則帶殺環潔淨廁飲濟兩條"
         "樣隊責罰獎勵證聲覺優勢華勞園類廣這還後從眾邊臺灣歷義擴積極傷監測雙權認識課題獲調畫劃狀況顧驟節們覆蓋"
         "種週節")
_SIMP = ("达于为标准数额费护医疗卫险检验盖养儿婴产妇残务参与过维稳巩确实现减压缩长较内间岁户张个项场钟时万亿"
         "点职离训练绩满资质发踪诊断统计总结际访视导组织举办开会议讲传体并关系们应须将争进转联专业员师学级区县"
         "乡镇术机构设备补贴预约报销缴纳处龄规范续余车电网线图书馆运动营灾农贫药剂严纪录则带杀环洁净厕饮济两条"
         "样队责罚奖励证声觉优势华劳园类广这还后从众边台湾历义扩积极伤监测双权认识课题获调画划状况顾骤节们覆盖"
         "种周节")
assert len(_TRAD) == len(_SIMP)
_TABLE = str.maketrans(_TRAD, _SIMP)


def fold(text: str) -> str:
    """``text`` with its Traditional characters in simplified form (the same length)."""
    return text.translate(_TABLE)


def unfold(name: str, original: str, folded: str) -> str:
    """A name read from ``folded`` (the fold of ``original``) in the original's script."""
    if original == folded:
        return name
    at = folded.find(name)
    if at >= 0:
        return original[at:at + len(name)]
    back = {f: o for f, o in zip(folded, original) if f != o}
    return "".join(back.get(c, c) for c in name)


_WORD_NUM = "零〇一二两三四五六七八九十百点點"
_WORDS = re.compile(rf"(十万分之|万分之|萬分之|千分之|百分之)([{_WORD_NUM}]+)|([一二两三四五六七八九十]{{1,3}})(?=个百分点|個百分點)")


def word_number(text: str) -> float | None:
    """九十五 → 95, 百 → 100, 一百 → 100, 零点八 → 0.8, 三点五 → 3.5 (None if not a number)."""
    t = text.replace("點", "点").replace("〇", "零").replace("两", "二")
    whole, _, frac = t.partition("点")
    if whole in ("百", "一百"):
        value = 100
    elif whole in ("零", ""):
        value = 0 if frac else None
    else:
        value = cn_value(whole)
    if value is None:
        return None
    if frac:
        digits = "零一二三四五六七八九"
        if not all(c in digits for c in frac):
            return None
        return float(f"{value}." + "".join(str(digits.index(c)) for c in frac))
    return value


def _figure(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def numbers(text: str) -> tuple[str, list[int]]:
    """``text`` with quantities in words as figures, and the original offset of every offset
    of the new text (one more entry than characters, for the end)."""
    out, index, pos = [], [], 0
    for m in _WORDS.finditer(text):
        if m.group(1):
            value = word_number(m.group(2))
            if value is None:
                continue
            sign = {"十万分之": "/10万", "万分之": "/万", "萬分之": "/万", "千分之": "‰", "百分之": "%"}[m.group(1)]
            new = _figure(value) + sign
        else:
            value = cn_value(m.group(3).replace("两", "二"))
            if value is None:
                continue
            new = _figure(value)
        out.append(text[pos:m.start()])
        index.extend(range(pos, m.start()))
        out.append(new)
        index.extend([m.start()] * (len(new) - 1) + [m.end() - 1])
        pos = m.end()
    out.append(text[pos:])
    index.extend(range(pos, len(text) + 1))
    return "".join(out), index
