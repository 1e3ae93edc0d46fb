"""Numeric targets in sentences, read as indicators: name, comparator, value, unit, baseline.

Chinese: 参合率达95%以上 · 孕产妇死亡率控制在30/10万以下 · 门诊人次增加20% · 报销比例提高5个
百分点 · 起付线由5000元降至3000元 · 基层就诊率保持在65%以上（上年为62%） · A、B分别达到90%、
85% · A、B均达到90%以上 · 新生儿建卡率100% · 每次参加人员不少于50人.  English: increase the
number of outpatient visits by 20% · hand hygiene compliance of at least 90% · keep the rate
below 2% · the filing rate will reach more than 85% · "Name: at least 90%." (planwriter's
own wording).

A figure that describes the past or the present (已达到, 占28.9%, accounting for …) is not a
target and stays text; so do counts of work to be done where the number comes before its
noun (举办3期培训班: a task, not a measure).  Each indicator keeps the span of text it was
read from, so a caller can keep the sentence around it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import script
from .markers import cn_value

# -- quantities ----------------------------------------------------------------------
# 12,000 and 1,200 are one number (thousands separators), not 12 and 000
_NUM = r"(\d{1,3}(?:,\d{3})+(?!\d|,\d)(?:[.．]\d+)?|\d+(?:[.．]\d+)?)"
_ZH_UNITS = [
    ("个百分点", "points"), ("百分点", "points"), ("/10万", "per_100k"), ("/十万", "per_100k"),
    ("/100000", "per_100k"), ("/万", "per_10k"), ("/1万", "per_10k"), ("/1000", "permille"),
    ("%", "percent"), ("％", "percent"), ("‰", "permille"),
    ("万人次", "person_times*10000"), ("人次", "person_times"), ("万人", "wan_persons"), ("人", "persons"),
    ("亿元", "yi_yuan"), ("万元", "wan_yuan"), ("元", "yuan"), ("岁", "years"), ("歲", "years"),
    ("户", "households"), ("戶", "households"), ("家", "institutions"), ("所", "facilities"),
    ("张", "beds"), ("張", "beds"), ("个", "items"), ("個", "items"), ("次", "times"),
    ("天", "days"), ("名", "名"), ("项", "项"), ("項", "項"), ("篇", "篇"), ("场", "场"), ("場", "場"),
    ("期", "期"), ("台", "台"), ("件", "件"), ("份", "份"), ("分钟", "分钟"), ("分鐘", "分鐘"),
    ("小时", "小时"), ("节", "节"), ("课时", "课时"), ("學時", "學時"), ("学时", "学时"), ("課時", "課時"), ("例", "例"), ("床", "床"), ("支", "支"), ("批", "批"), ("所", "所"),
]
_UNIT_ALT = "|".join(re.escape(u) for u, _ in sorted(_ZH_UNITS, key=lambda x: -len(x[0])))
_UNIT_OF = dict(_ZH_UNITS)
_CN_COUNT = "一二两三四五六七八九十"
_SUFFIX = r"(或以上|及以上|以上|之上|以下|之下|以内|之内|左右|或更高)?"
# 95% · 30/10万 · 16‰ · 100万人次 · 5个百分点 · 90以上% (a common slip)
_ZH_QTY = re.compile(
    rf"(?<![\d.．/xX×_])(?:{_NUM}\s*(万|亿)?\s*({_UNIT_ALT})?|([{_CN_COUNT}]{{1,3}})\s*(次|个|名|项|家|所|篇|场|期|份|户|人|节|堂|课时))"
    rf"(/[月年人次天])?\s*{_SUFFIX}(%|％)?")

_ZH_CMP = [
    # (pattern at the end of the text before the quantity, comparator, needs_name)
    (r"(提高|提升|增加|增长|上升|升高)(到|至)", "reach"), (r"(降低|下降|减少|压缩|降)(到|至)|降至|减至", "decrease_to"),
    (r"控制在", "at_most"), (r"(保持|稳定|维持|巩固)在", "reach"), (r"不低于|不少于|不小于|至少|最少|达到或超过", "at_least"),
    (r"不超过|不高于|不多于|不大于", "not_exceeding"), (r"低于|小于|少于", "below"), (r"高于|大于|超过|多于", "above"),
    (r"达到|达|到达|实现|要求|保持|确保|完成|在", "reach"),
    # a target cell of a table (≥90%, ≤200/10万)
    (r"≥|≧|>=|＞=", "at_least"), (r"≤|≦|<=|＜=", "at_most"), (r"[>＞]", "above"), (r"[<＜]", "below"),
    (r"(提高|提升|增加|增长|上升|升高|增幅)", "increase_by"), (r"(降低|下降|减少|降幅|压缩)", "decrease_by"),
]
_ZH_CMP_RE = [(re.compile(rf"(?:{p})\s*$"), c) for p, c in _ZH_CMP]
_ADVERB_TAIL = re.compile(r"(分别|均|都|必须|务必|力争|争取|要|需|应|将|可|能|逐步|进一步|努力|全部|全面|平均|"
                          r"同比|较上年|比上年|较上年度|比上年度|较去年|比去年|在上年度?的?基础上|在去年的?基础上|"
                          r"较\d{4}年|比\d{4}年|稳定|保持|确保|实现|基本|要求|以上|左右)+\s*$")
_LEAD_TRIM = re.compile(
    r"^(?:并且|同时|其中|另外|此外|使得|确保|保证|保持|力争|争取|努力|要求|必须|全年|年内|今年|本年度|当年|全面|"
    r"进一步|继续|切实|实现|重点|特别是|尤其是|以及|分别|[并且及和与而又使让要将应需均，,、：:；;\s]|"
    r"到(?:\d{4}|20[xX×_]{2})年(?:底|末)?|(?:\d{4}|20[xX×_]{2})年(?:底|末)?(?:前)?)+")
_PAST = re.compile(r"(已经|已|曾|目前|现有|共有|截至|截止|累计|同期|实际完成|完成了|达到了|实现了|"
                   r"提高了|增长了|下降了|降低了|上升了)\s*[^，,。；;]{0,12}$")
_VERB_FIRST = re.compile(r"^(开展|举办|组织|完成|建设|配备|引进|培训|招聘|选派|发展|新增|建立|创建|安排|召开|推荐|建成|"
                         r"实施|购置|添置|投入|举行|新建|改造|派出|招收|录用|申报|争创|打造|培养|选拔|表彰|签订|"
                         r"发放|印发|制作|设立|成立|开设|接收|培育)")
_COUNT_UNITS = {"个", "個", "名", "项", "項", "家", "所", "台", "件", "场", "場", "期", "篇", "户", "戶", "张", "張",
                "批", "例", "支", "床", "份", "人"}
_CMP_VERB = re.compile(r"(至少|最少|不少于|不超过|最多)\s*([\u4e00-\u9fff]{2})\s*$")
_ACTIVITIES = {"随访", "访视", "检查", "巡诊", "督导", "培训", "体检", "宣传", "讲座", "义诊", "评估", "巡查",
               "演练", "例会", "走访", "入户", "筛查", "考核", "督查"}
_FREQUENCY = re.compile(r"(每|毎)(年|月|季|季度|周|天|日|学期|半年)|全年|每次")
#: where and how often a count is to be reached (每社区每月, 每村每季度), and nothing else
_DISTRIBUTIVE = re.compile(r"(?:[每毎][\u4e00-\u9fff]{1,3}?){2,3}")
_VERB_START = re.compile(r"^(开展|举办|办理|组织|进行|召开|实施|做好)")
_VERB_END = re.compile(r"(配备|选派|招考|招收|招聘|建设|完成|新增|发展|培训|引进|举办|开展|组织|安排|购置|添置|"
                       r"派出|录用|建成|新建|改造|投入|培养|安排)$")
_MEASURE_END = re.compile(r"(率|比例|比重|占比|覆盖面|水平|指数|满意度|知晓率|合格率|达标率|使用率|人数|次数|数量|人次|"
                          r"寿命|时间|费用|收入|支出|金额|总额|规模|面积|床位数|数|量|额)$")
_BASELINE_AFTER = re.compile(r"^\s*[（(]\s*(?:上年|上一年|去年|\d{4}年)(?:度)?(?:为|是|：|:)\s*"
                             r"(\d{1,3}(?:,\d{3})+(?:[.．]\d+)?|\d+(?:[.．]\d+)?)" +
                             r"\s*(%|％|‰|/10万|万元|元|人次|人|个|次)?\s*[)）]")
_PER_BEFORE = re.compile(r"每((?:十万|千|万|百)[\u4e00-\u9fff]{1,5}?)\s*$")
_CMP_BEFORE_OBJECT = re.compile(r"(至少|最少|不少于|不低于)([\u4e00-\u9fff]{3,12})\s*$")
#: a comparator right before a count (提供不少于4次面对面随访): the activity counted may follow
_CMP_AT_FIGURE = re.compile(r"(不少于|不低于|至少|最少|不超过|不多于|最多)\s*(开展|举办|办理|组织|进行|提供|召开)?\s*$")
#: measure words that count occasions of an activity (4次随访, 6场讲座), not people or things
_OCCASIONS = {"次", "场", "場", "期", "节", "節", "堂", "课时", "課時"}
#: what a count is of, when it follows the figure: a noun phrase to the clause's end
_OBJECT_AFTER = re.compile(r"^的?([\u4e00-\u9fff]{2,12})\s*$")
_YEAR_BY = re.compile(r"(?:到|至)?((?:19|20)\d{2})\s*年(?:底|末)?\s*$")


@dataclass
class Target:
    """An indicator read from a text, with where it stands: ``start``–``end`` in the text."""

    name: str
    comparator: str
    value: float
    unit: str
    start: int
    end: int
    baseline: float | None = None
    baseline_year: int | None = None
    targets: list[dict] = field(default_factory=list)
    #: where the comparator and figure end when what they count follows them (不少于4次 |
    #: 面对面随访); None where the name comes first, as a plan says a target
    figure_end: int | None = None

    def as_data(self) -> dict:
        data: dict = {"name": self.name, "comparator": self.comparator, "value": _clean_number(self.value)}
        if self.unit != "none":
            data["unit"] = self.unit
        if self.baseline is not None:
            data["baseline"] = ({"value": _clean_number(self.baseline), "year": self.baseline_year}
                                if self.baseline_year else _clean_number(self.baseline))
        if self.targets:
            data["targets"] = self.targets
        return data


def _clean_number(v: float):
    return int(v) if float(v).is_integer() else v


def _number(token: str) -> float:
    return float(token.replace("．", ".").replace(",", ""))


def _clauses(text: str) -> list[tuple[int, int]]:
    """Spans of clauses (between ，；。 and the like)."""
    spans, start = [], 0
    for m in re.finditer(r"[，,；;。！!？?：:\n]", text):
        # a comma between two digits (1,000) is not a clause break
        if m.group() == "," and 0 < m.start() < len(text) - 1 and text[m.start() - 1].isdigit() \
                and text[m.start() + 1].isdigit():
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if b > a]


def _unit_of(token: str | None, wan: str | None, pct_after: str | None) -> tuple[str, float]:
    mult = {"万": 10000.0, "亿": 100000000.0}.get(wan or "", 1.0)
    if pct_after:
        return "percent", 1.0
    if not token:
        return "none", mult
    unit = _UNIT_OF.get(token, token)
    if unit.endswith("*10000"):
        return unit.split("*")[0], mult * 10000
    if wan == "万" and unit in ("persons", "yuan"):
        return {"persons": "wan_persons", "yuan": "wan_yuan"}[unit], 1.0
    if wan == "亿" and unit == "yuan":
        return "yi_yuan", 1.0
    return unit, mult


def _names(before: str) -> list[str]:
    """The indicator names at the end of ``before`` (one, or several joined by 、 和 及)."""
    text = _ADVERB_TAIL.sub("", before).rstrip("，,、 的")
    text = _LEAD_TRIM.sub("", text).strip()
    m = re.match(r"^对(.+?)的(.+)$", text)
    if m and len(m.group(2)) >= 2:
        text = m.group(2)
    parts = re.split(r"要求|必须|确保|保证|使得|使(?!用)|让(?!利)", text)
    if len(parts) > 1 and len(parts[-1]) >= 2:
        text = parts[-1]
    if "的" in text:
        tail = text.rsplit("的", 1)[1]
        if len(tail) >= 3 and (_MEASURE_END.search(tail) or len(text) > 24):
            text = tail
    if not text:
        return []
    parts = [p for p in re.split(r"[、]|(?<=率)和|(?<=率)及|(?<=率)与", text) if p]
    if len(parts) > 1 and all(len(p) <= 24 for p in parts) and _MEASURE_END.search(parts[-1]):
        last = parts[-1]
        if not all(_MEASURE_END.search(p) for p in parts):
            # 高血压、糖尿病患者规范管理率 → 高血压患者规范管理率, 糖尿病患者规范管理率
            head_len = len(parts[0])
            tail = last[head_len:] if len(last) > head_len else ""
            parts = [p if _MEASURE_END.search(p) else p + tail for p in parts]
        return [p.strip() for p in parts]
    return [text]


def _comparator(before: str) -> tuple[str | None, int]:
    """The comparator at the end of ``before`` and where its cue starts."""
    for pattern, comp in _ZH_CMP_RE:
        if m := pattern.search(before):
            return comp, m.start()
    return None, len(before)


def find_zh(text: str) -> list[Target]:
    """The numeric targets in a Chinese text, in either script, with figures or numbers in
    words (百分之九十五); names come back in the author's script, spans in ``text``'s offsets."""
    folded = script.fold(text)
    normed, index = script.numbers(folded)
    found = _find_zh(normed)
    if normed == text:
        return found
    for t in found:
        t.name = script.unfold(t.name, text, folded)
        if not t.unit.isascii():  # a unit of the text's own (節, 件/千導管日), in its script
            t.unit = script.unfold(t.unit, text, folded)
        t.start, t.end = index[t.start], (index[t.end - 1] + 1 if t.end > 0 else 0)
        if t.figure_end is not None:
            t.figure_end = index[t.figure_end - 1] + 1
    return found



def _find_zh(text: str) -> list[Target]:
    out: list[Target] = []
    for cs, ce in _clauses(text):
        clause = text[cs:ce]
        matches = list(_ZH_QTY.finditer(clause))
        if not matches:
            continue
        values = []
        # figure → (what it counts, where its words start and end, where the figure ends)
        objects: dict[int, tuple[str, int, int, int]] = {}
        if re.match(r"^\s*(凡|如|若|如果|对于在|对在)", clause):
            continue  # a condition (凡督查两次及以上…), not a target
        for m in matches:
            num, wan, unit_token, cn_num, cn_unit, per, suffix, pct = m.groups()
            head = clause[:m.start()]
            if head.count("（") + head.count("(") > head.count("）") + head.count(")"):
                continue  # inside brackets: a baseline or a note, read with its indicator
            tail = clause[m.end():]
            counted = (unit_token or cn_unit or "") in _COUNT_UNITS
            if (cue := _CMP_AT_FIGURE.search(head)) and not (suffix or pct or per) \
                    and (unit_token or cn_unit) in _OCCASIONS and re.match(r"[\u4e00-\u9fff]", tail[:1]):
                # 提供不少于4次面对面随访, 开展不少于6场讲座: the count is of the activity that
                # follows; a sentence that goes on after it is not read (its name is unclear)
                om = _OBJECT_AFTER.match(tail)
                if om is None or re.search(r"[并和及与或、]", om.group(1)) or re.match(r"(左右|以上|以下)", tail):
                    continue
                objects[m.start()] = ((cue.group(2) or "") + om.group(1), cue.start(), m.end() + om.end(1), m.end())
            elif (suffix in ("以上", "以下", "以内", "及以上") or (counted and not suffix)) and tail[:1] \
                    and re.match(r"[\u4e00-\u9fff]", tail[:1]) \
                    and not re.match(r"^(的|左右|或|及|并|和|与|以上|以下|，|。|、|（|次)", tail):
                # 1000人以下贫困村, 万元以上设备, 完成2965个村卫生室建设: the number qualifies or
                # counts what follows (a task), it is not a target of its own
                continue
            if cn_num and not (suffix or re.match(r"^\s*$", tail)) and m.start() not in objects:
                continue  # 一个新生事物, 每月刊发一期专栏: a determiner, not a count to reach
            if num is None:
                value = cn_value(cn_num)
                if value is None:
                    continue
                unit_token = cn_unit
                wan = None
            else:
                value = _number(num)
            unit, mult = _unit_of(unit_token, wan, pct)
            if per:
                unit = (unit_token or "") + per
            if unit == "none" and not suffix and num is not None and "." not in num and value >= 1900 \
                    and clause[m.end():m.end() + 1] in "年":
                continue  # a year
            after = clause[m.end():m.end() + 2]
            if unit == "none" and re.match(r"^[年月日号岁级类型位届季度周点天]", after):
                continue
            if unit == "years" and re.match(r"^\s*(以上|以下|及以上)?\s*(老年|儿童|婴幼儿|的|人群|妇女|患者|育龄)", clause[m.end() - len(suffix or ""):]):
                continue  # 65岁以上老年人: an age group, not a target
            if unit == "none" and num is not None and not suffix:
                continue  # a bare number is rarely a target
            values.append((m, value * mult, unit, suffix or ""))
        if not values:
            continue
        first_m = values[0][0]
        before_first = clause[:first_m.start()]
        baseline = None
        counted_object = objects.get(first_m.start())
        if counted_object and len(values) > 1:
            continue  # a count of an activity among other figures: which is which is unclear
        if counted_object:
            cue = counted_object[1]
            comp = "at_least" if re.match(r"不少于|不低于|至少|最少", before_first[cue:]) else "not_exceeding"
            name_text = counted_object[0]
        elif len(values) >= 2 and (fm := re.search(r"(由|从)\s*(每[月年人])?\s*$", before_first)):
            # 起付线由5000元降至3000元: the first figure is the baseline
            baseline = values[0][1]
            between = re.sub(r"(每[月年人天])\s*$", "", clause[first_m.end():values[1][0].start()])
            comp, _ = _comparator(between)
            name_text = before_first[:fm.start()]
            values = values[1:]
            first_m = values[0][0]
        elif (cv := _CMP_VERB.search(before_first)):
            # 每年至少随访4次, 每月至少举办一次: the count of an activity
            comp, cue = "at_least" if cv.group(1) not in ("不超过", "最多") else "not_exceeding", cv.start()
            verb = cv.group(2)
            head = _ADVERB_TAIL.sub("", _LEAD_TRIM.sub("", before_first[:cue])).strip("，,、 ")
            raw_head = before_first[:cue].rstrip()
            # how often (每年至少随访4次): the count is per that period, and says so in its name
            freq = m_freq.group(0) if (m_freq := re.search(r"(?:" + _FREQUENCY.pattern + r")$", raw_head)) else ""
            freq = "" if freq == "每次" else freq
            if verb in _ACTIVITIES and (not head or _FREQUENCY.fullmatch(head)
                                        or re.search(r"[、，,]\s*(?:" + _FREQUENCY.pattern + r")$", head)
                                        or re.search(r"[、，,]\s*(?:" + _FREQUENCY.pattern + r")$", raw_head)):
                name_text = freq + verb
            elif not head or _FREQUENCY.fullmatch(head):
                prev = re.split(r"[，,；;。：:]", text[max(0, cs - 30):max(0, cs - 1)])[-1]
                name_text = freq + _VERB_START.sub("", prev)
            else:
                name_text = before_first[:cue]
        elif (pm := _PER_BEFORE.search(before_first)) and _comparator(before_first[:pm.start()])[0]:
            # 感染密度低于每千导管日1.5件: the figure is a rate per the named quantity
            comp, cue = _comparator(before_first[:pm.start()])
            name_text = before_first[:cue]
            m0, v0, u0, s0 = values[0]
            values[0] = (m0, v0, f"{m0.group(3) or u0}/{pm.group(1)}", s0)
        elif (cv := _CMP_BEFORE_OBJECT.search(before_first)) and _comparator(before_first)[0] is None:
            # 全年至少培训临床教师30名: the comparator governs a verb and its object
            comp, cue = _comparator(cv.group(1))[0], cv.start(2)
            name_text = cv.group(2)
        else:
            comp, cue = _comparator(before_first)
            name_text = before_first[:cue]
        # past figures and situations are not targets
        if _PAST.search(before_first) or re.search(r"占\s*$", before_first):
            continue
        names = [name_text] if counted_object else _names(name_text)
        per = ""
        if len(names) == 1 and _FREQUENCY.fullmatch(names[0]):
            names = []  # 每周不少于3次: how often is no name; the clause before has it
        elif len(names) == 1 and _DISTRIBUTIVE.fullmatch(names[0]) and _FREQUENCY.search(names[0]):
            # 辦理高齡者健康促進活動，每社區每月至少1場: how often and where is no name either; the
            # activity of the clause before is, and these words go with it (活動（每社區每月）)
            per, names = names[0], []
        respectively = bool(re.search(r"分别", before_first))
        if not names and comp is not None:
            # 要求宣传资料入户，并达到95%以上: the name is the clause before
            prev = text[max(0, cs - 24):max(0, cs - 1)]
            prev = re.split(r"[，,；;。：:]", prev)[-1]
            names = _names(prev) if 2 <= len(prev) <= 20 else []
            if names and per:
                names = [_VERB_START.sub("", n) if len(_VERB_START.sub("", n)) >= 2 else n for n in names]
                bare = {f"{n}（{per}）": n for n in names}
                names = list(bare)
            # 开展夜间巡逻，每周不少于3次: how often goes with the name
            elif names and (fq := re.search(r"(?:" + _FREQUENCY.pattern + r")\s*$", before_first[:cue])) \
                    and fq.group(0) != "每次":
                names = [fq.group(0) + (re.sub(r"^.*(开展|进行)", "", n) if len(re.sub(r"^.*(开展|进行)", "", n)) >= 2
                                        else n) for n in names]
        if not names:
            continue
        bare = bare if per else {}
        if _VERB_FIRST.match(names[0]) and comp is None:
            rest_name = _VERB_FIRST.sub("", names[0])
            if values[0][3] in ("以上", "及以上", "或以上") and len(rest_name) >= 2:
                names = [rest_name]  # 开展专题讲座4次以上: the count of what the verb does is the target
            else:
                continue
        if _VERB_END.search(names[0]) and not counted_object:
            continue  # 再配备1000名以上全科医生: the number counts the verb's object (a task)
        if comp is None and not any(_MEASURE_END.search(n) for n in names) and not values[0][3]:
            continue
        if names[0] and re.match(r"^[\d.]+$", names[0]):
            continue
        if len(values) > 1 and (respectively or len(values) == len(names)):
            pairs = list(zip(names if len(names) == len(values) else [names[0]] * len(values), values))
        elif len(values) > 1 and len(names) == 1:
            # 由5000元降至3000元, or a value with its milestone years
            pairs = [(names[0], values[-1])]
        else:
            pairs = [(n, values[0]) for n in names]
        shared_suffix = values[-1][3]
        for k, (name, (m, value, unit, suffix)) in enumerate(pairs):
            c = comp or "reach"
            suffix = suffix or (shared_suffix if respectively or len(pairs) > 1 else "")
            if unit == "points":
                c = {"increase_by": "increase_by_points", "decrease_by": "decrease_by_points",
                     "reach": "increase_by_points" if re.search(r"提高|增加|提升|上升", before_first) else
                     ("decrease_by_points" if re.search(r"降低|下降|减少", before_first) else "reach")
                     }.get(c, c)
                unit = "none"
            if suffix in ("以上", "或以上", "及以上", "之上", "或更高"):
                c = {"reach": "at_least", "at_most": "at_least", "increase_by": "increase_by",
                     "decrease_by": "decrease_by"}.get(c, c)
                if c == "reach":
                    c = "at_least"
            elif suffix in ("以下", "之下"):
                c = "below" if c in ("reach", "at_most", "decrease_to") else c
            elif suffix in ("以内", "之内"):
                c = "at_most" if c in ("reach", "at_most", "decrease_to") else c
            if c == "at_most" and not suffix and not re.search(r"[≤≦]|[<＜]=", before_first):
                c = "reach"  # 控制在70%: keep at that level (≤70% is at most)
            if not _name_ok(name):
                continue
            # a name taken from the clause before (要求宣传资料入户，并达到95%以上) starts there
            before = text.rfind(bare.get(name, name), max(0, cs - 30), cs) if clause.find(name) < 0 else -1
            t = Target(name, c, value, unit, before if before >= 0 else cs + _start_of(clause, name, m.start()),
                       cs + m.end())
            if counted_object:  # its words run from the comparator to the activity counted
                t.start, t.end = cs + counted_object[1], cs + counted_object[2]
                t.figure_end = cs + counted_object[3]
            rest = text[cs + m.end():]
            if baseline is not None:
                t.baseline = baseline
            elif (b := _BASELINE_AFTER.match(rest)):
                t.baseline = _number(b.group(1).replace(",", ""))
                t.end = cs + m.end() + b.end()
                y = re.search(r"(\d{4})年", b.group(0))
                t.baseline_year = int(y.group(1)) if y else None
            out.append(t)
    return out


def _start_of(clause: str, name: str, figure: int) -> int:
    """Where a target's words start in its clause: at its name, or, for a name made of
    words apart (每年至少随访4次 → 每年随访), at the last place its first words stand
    before the figure; the clause's start only when neither is found."""
    i = clause.find(name)
    if i >= 0:
        return i
    i = clause.rfind(name[:2], 0, figure) if len(name) >= 2 else -1
    return i if i >= 0 else 0


def _name_ok(name: str) -> bool:
    if not name or len(name) > 40:
        return False
    if not re.search(r"[\u4e00-\u9fffA-Za-z]", name):
        return False
    if re.search(r"[xX×]{2}|_{2}|＿", name):
        return False
    return True


# -- English ------------------------------------------------------------------------
_EN_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_EN_UNIT = (r"(\s+percentage\s+points?|\s*%|\s*per\s*cent(?!age)|\s*percent(?!age)|\s*‰|\s*per\s+mille|\s*(?:/|per\s+)100,?000(?:\s+[a-z-]+)?|"
            r"\s*(?:/|per\s+)10,?000(?:\s+[a-z-]+)?|\s*per\s+1,?000(?:\s+[a-z-]+)?|"
            r"\s+percentage\s+points?|\s+points?|\s+times|\s+days?|\s+people|\s+persons?|\s+visits|\s+beds?|"
            r"\s+years|\s+yuan|\s+RMB|\s*CNY|\s*LKR|\s*USD)?")
_EN_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9, "ten": 10, "once": 1, "twice": 2}
_EN_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten)"
_EN_QTY = re.compile(r"(?:(?:RMB|CNY|LKR|USD|\$)\s*)?\b" + _EN_NUM + _EN_UNIT, re.I)
_EN_CMP = [
    (r"(?:no more than|not more than|at most|a maximum of|not exceeding|not exceed)\s*$", "at_most"),
    (r"(?:at least|no less than|not less than|a minimum of|more than|over|above|exceeding|no fewer than|not fewer than)\s*$", "at_least"),
    (r"(?:below|under|less than|fewer than|lower than)\s*$", "below"),
    (r"(?:reduce[sd]?|lower(?:ed|s)?|cut|bring|brought|decrease[sd]?)\b.*\bto\s*$", "decrease_to"),
    (r"(?:increase[sd]?|raise[sd]?|improve[sd]?|boost(?:ed|s)?|grow|grew|expand(?:ed|s)?|lift)\b.*\bby(?:\s+(?:another|a further|an additional))?\s*$", "increase_by"),
    (r"(?:reduce[sd]?|lower(?:ed|s)?|cut|decrease[sd]?|drop)\b.*\bby\s*$", "decrease_by"),
    (r"(?:up by)\s*$", "increase_by"), (r"(?:down by)\s*$", "decrease_by"),
    (r"(?:increase[sd]?|raise[sd]?|improve[sd]?)\b.*\bto\s*$", "reach"),
    (r"(?:reach(?:es|ed)?|attain(?:s|ed)?|achieve[sd]?|of|at|to|:|remains?|stays?)\s*$", "reach"),
]
_EN_CMP_RE = [(re.compile(p, re.I), c) for p, c in _EN_CMP]
_EN_NAME_CUT = re.compile(
    r"(?:^|.*\b(?:that|so that|strive to|aim to|aims to|in order to|so as to|ensure|ensuring|strive to|will|shall|must|should|we|the plan|aim to|aims to|"
    r"with|while|where|which|achieve|achieving|reach|reduce|increase|raise|improve|keep|cut|lower|bring|maintain|"
    r"boost|grow|expand|lift)\s+)", re.I)


def _en_unit(token: str | None) -> str:
    t = (token or "").strip().lower()
    if not t:
        return "none"
    if t in ("%", "per cent", "percent"):
        return "percent"
    if t in ("‰", "per mille"):
        return "permille"
    if re.match(r"(/|per\s+)100,?000$", t):
        return "per_100k"
    if re.match(r"(/|per\s+)10,?000$", t):
        return "per_10k"
    if t.startswith("percentage point") or t.startswith("point"):
        return "points"
    table = {"times": "times", "days": "days", "day": "days", "people": "persons", "persons": "persons",
             "person": "persons", "beds": "beds", "bed": "beds", "years": "years", "yuan": "yuan",
             "rmb": "yuan", "cny": "yuan",
             "lkr": "LKR", "usd": "USD"}
    if t in table:
        return table[t]
    return token.strip()


_EN_VERB = re.compile(r"\b(reduce[sd]?|lower(?:ed|s)?|cut|bring|decrease[sd]?|increase[sd]?|raise[sd]?|"
                      r"improve[sd]?|boost(?:ed|s)?|grow|expand(?:ed|s)?|keep|achieve[sd]?|reach(?:es|ed)?|"
                      r"attain)\s+(?:the\s+)?(.+?)\s+(?:to|by(?:\s+(?:another|a further|an additional))?|of|at)\s*"
                      r"(?:below|under|less than|at least|no more than|above|over|more than)?\s*$", re.I)
_EN_TRAIL = re.compile(r"\s+(will|shall|should|must|to|is|are|be|of|at|remains?|stays?|reach(es|ed)?|"
                       r"is controlled|are controlled|will be controlled|is kept|are kept|will be kept|"
                       r"is maintained|will be maintained|will reach|will remain|will be|has|have)$", re.I)


_EN_ONE_WORD = re.compile(r"^(coverage|compliance|satisfaction|mortality|attendance|admissions|visits|"
                          r"reports|falls|deaths|income|revenue|spending|uptake|turnover|vacancies)$", re.I)


def _en_name(part: str, cut: bool = True) -> str:
    """The measure's name in the words before a figure; ``cut=False`` for the object of a
    verb (Increase the share of adults with … to 70%), which is the name whole."""
    part = part.strip(" ,:;")
    for _ in range(3):
        part = re.sub(r"\s+(to|at|of|by)\s*$", "", part)
        part = _EN_TRAIL.sub("", part).strip(" ,:;")
    if ", " in part:
        part = part.rsplit(", ", 1)[1]
    name = (_EN_NAME_CUT.sub("", part) if cut else part).strip(" ,:;")
    for _ in range(3):
        name = re.sub(r"^(the|a|an|our|its|their|and|or|that)\s+", "", name, flags=re.I)
        name = _EN_TRAIL.sub("", name)
    name = name.strip(" ,:;")
    if len(name.split()) == 1 and not _EN_ONE_WORD.match(name):
        return ""
    return name


def find_en(text: str) -> list[Target]:
    """The numeric targets in an English text."""
    out: list[Target] = []
    for cs, ce in _sentences(text):
        clause = text[cs:ce]
        last_end, last_comp = 0, None
        start_from: tuple[re.Match, float] | None = None
        for m in _EN_QTY.finditer(clause):
            if m.start() < last_end:
                continue  # inside a baseline already read
            before = clause[last_end:m.start()]
            if re.search(r"\bfrom\s*$", before, re.I) and re.match(r"\s*to\b", clause[m.end():], re.I) \
                    and not re.match(r"(19|20)\d{2}$", m.group(1)):
                # from 48% to 70%: the first figure is the baseline of the second
                word = m.group(1).lower()
                start_from = (m, float(_EN_WORDS[word]) if word in _EN_WORDS else float(m.group(1).replace(",", "")))
                continue
            seg_start = last_end
            if start_from is not None:
                before = clause[last_end:start_from[0].start()]
                before = re.sub(r"\s*\bfrom\s*$", " to", before, flags=re.I)
            whole_before = clause[:m.start()]
            if re.search(r"\b(in|since|from|of|by)\s*$", before, re.I) and re.match(r"(19|20)\d{2}$", m.group(1)):
                continue
            if re.search(r"(accounting for|accounted for|there (are|were|was|is)|has been|have been|"
                         r"currently|at present|so far|last year|employees)\b[^,;]*$", whole_before, re.I) or \
                    re.search(r"\b(has|have|had)\s+(already\s+)?(reached|achieved|attained|risen|grown|increased|"
                              r"fallen|dropped|decreased)\s+(more than|over|at least|about|nearly|almost|to)?\s*$",
                              before, re.I):
                # a figure of the present or the past (has reached 10%), not a target
                last_end = m.end()
                continue
            unit = _en_unit(m.group(2))
            word = m.group(1).lower()
            if word in _EN_WORDS:
                if unit not in ("times", "days", "persons", "beds"):
                    continue  # "one of the", "two-way": number words count only units
                value = float(_EN_WORDS[word])
            else:
                value = float(m.group(1).replace(",", ""))
            comp, cue = None, len(before)
            for pattern, c in _EN_CMP_RE:
                if (mm := pattern.search(before)):
                    comp, cue = c, mm.start()
                    break
            if comp is None and last_comp and re.search(r"\bby\s*$", before):
                comp = last_comp
                cue = before.rfind("by")
            name_after, after_len = "", 0
            if (cov := re.search(r"\b(?:will\s+|shall\s+|to\s+)?cover(?:s|ing)?\s*$", before, re.I)) and \
                    unit == "percent" and (obj := re.match(r"\s+of\s+(?:the\s+|all\s+)?([a-z][a-z0-9 -]{2,40}?)(?=[,.;]|$|\s+(?:and|by|in)\b)",
                                                          clause[m.end():], re.I)):
                # The service will cover 100% of the residents: its coverage of them
                subject = re.sub(r"^(the|a|an|our|its)\s+", "", before[:cov.start()].strip(" ,"), flags=re.I)
                subject = subject if len(subject.split()) <= 6 else ""
                comp, cue = "reach", cov.start()
                name_after = f"{subject} coverage of {obj.group(1).strip()}".strip()
                after_len = obj.end()
            if comp in ("at_least", "at_most") and (na := _count_after(clause[m.end():], before[:cue], unit)):
                # Train at least 200 frontline staff in …: the count names what is counted
                name_after, unit, after_len = na
            if comp is None:
                last_end = m.end()
                continue
            if unit == "none" and not re.search(r"\b(rate|ratio|coverage|compliance|proportion|share|score|"
                                                r"index|level|number|visits|reports|falls)\b", before, re.I):
                last_end = m.end()
                continue
            verb = _EN_VERB.search(before)
            if verb and comp in ("decrease_to", "increase_by", "decrease_by", "reach", "below", "at_least"):
                name = _en_name(verb.group(2), cut=False)
                if comp == "reach" and verb.group(1).lower().startswith(("reduce", "lower", "cut", "decrease")):
                    comp = "decrease_to"
            else:
                name = _en_name(before[:cue])
            if name_after:
                name = name_after
            after = clause[m.end():]
            if (orl := re.match(r"\s*or\s+(less|fewer|lower|under|below|more|higher|above|over|greater)\b", after, re.I)):
                # 14 days or less · 90% or more
                comp = "at_most" if orl.group(1).lower() in ("less", "fewer", "lower", "under", "below") else "at_least"
            last_end, last_comp = m.end(), comp
            if not name or len(name.split()) > 16 or not re.search(r"[A-Za-z]{3}", name) or (
                    len(name.split()) > 12 and re.search(_EN_MEASURE + r".*\band\b.*" + _EN_MEASURE, name, re.I)):
                # a long name joining two measures (A rate and B rate … 85% and 75%) is a list,
                # not one measure
                continue
            if unit == "points":
                comp = {"increase_by": "increase_by_points", "decrease_by": "decrease_by_points"}.get(comp, comp)
                unit = "none"
            start = clause.find(name) if not name_after else before.find(before.strip()[:1]) + seg_start
            t = Target(name, comp, value, unit, cs + (start if start >= 0 else m.start()), cs + m.end() + after_len)
            if start_from is not None:
                t.baseline, start_from = start_from[1], None
            rest = text[cs + m.end():]
            skip = re.match(r"\s*or\s+(less|fewer|lower|under|below|more|higher|above|over|greater)\b", rest, re.I)
            rest_at = skip.end() if skip else 0
            rest = rest[rest_at:]
            if (b := re.match(r"^\s*\((?:baseline:?\s*|currently\s*|from\s*)?" + _EN_NUM +
                              r"\s*(?:%|‰|(?!last\b)[a-z]+(?:[- ](?!last\b)[a-z]+)?)?"
                              r"(?:\s+last\s+year|\s+in\s+(\d{4}))?\)", rest, re.I)):
                t.baseline = float(b.group(1).replace(",", ""))
                t.baseline_year = int(b.group(2)) if b.group(2) else None
                t.end = cs + m.end() + rest_at + b.end()
                last_end = m.end() + rest_at + b.end()
            elif skip:
                last_end = m.end() + rest_at
            out.append(t)
    return out


_PARTICIPLE = {"train": "trained", "screen": "screened", "vaccinate": "vaccinated", "immunise": "immunised",
               "immunize": "immunized", "recruit": "recruited", "hire": "hired", "enrol": "enrolled",
               "enroll": "enrolled", "register": "registered", "visit": "visited", "reach": "reached",
               "serve": "served", "support": "supported", "test": "tested", "treat": "treated",
               "refer": "referred", "educate": "educated", "certify": "certified", "assess": "assessed",
               "inspect": "inspected", "audit": "audited", "complete": "completed", "deliver": "delivered",
               "hold": "held", "run": "run", "conduct": "conducted", "open": "opened", "establish": "established"}
_PERSONS = re.compile(r"\b(staff|people|persons?|workers?|nurses?|doctors?|physicians?|students?|pupils?|"
                      r"participants?|volunteers?|residents?|patients?|children|adults?|members?|officers?|"
                      r"teachers?|clinicians?|counsell?ors?|managers?|women|men|mothers?|carers?|caregivers?)$", re.I)


_EN_MEASURE = r"\b(rate|ratio|coverage|share|number|proportion|percentage|level|score)\b"


def _count_after(after: str, before: str, unit: str) -> tuple[str, str, int] | None:
    """``(name, unit)`` for a count whose noun follows it (Train at least 200 frontline staff
    in mental health first aid), when the words before name no measure of their own."""
    if unit not in ("none", "persons") or _en_name(before):
        return None
    m = re.match(r"\s+((?:[a-z-]+\s+){0,3}?[a-z-]+?)(?=\s+(?:in|on|with|for|from|at|through|across|who|each|per|every|by)\b|[,.;]|$)"
                 r"(\s+(?:in|on|with|for|from|at|through|across)\s+[^,.;]{2,60})?", after, re.I)
    verb = re.search(r"\b([a-z]+)\s*(?:at least|no fewer than|a minimum of|at most|no more than|up to)?\s*$",
                     before.strip(), re.I)
    if not m:
        return None
    noun, rest = m.group(1).strip(), (m.group(2) or "").strip()
    consumed = m.end()
    participle = _PARTICIPLE.get(verb.group(1).lower()) if verb else None
    name = " ".join(x for x in (noun, participle or "", rest) if x)
    if len(name.split()) < 2:
        return None
    head = noun.split()[-1]
    return name, ("persons" if _PERSONS.search(head) else head), consumed


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"[.;!?](?=\s|$)|\n", text):
        if m.group() == "." and re.search(r"\d$", text[:m.start()]) and re.match(r"\d", text[m.end():m.end() + 1]):
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if b > a]


def find(text: str, locale: str) -> list[Target]:
    """The numeric targets in ``text`` (see the module docstring)."""
    return find_en(text) if locale == "en" else find_zh(text)
