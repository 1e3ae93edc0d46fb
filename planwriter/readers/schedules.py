"""Dated steps in a plan's text, read as schedule entries: when, what (and a phase's name).

A paragraph that starts with a time (``1月—2月：制定方案``, ``3月：召开理事会``), a phase
(``第一阶段（3月—4月）：动员部署``, ``Phase 1 (April–June 2025): Preparation``), a sentence
that is a run of dated steps (``3月招标，4月启动基础工程，10月按期完工``) and a deadline
with the work it sets (``6月底前开展半年督查``, ``by June 2025``) become entries.  A time that
only dates the plan itself (``2025年，我院将…``) does not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import dates
from .markers import parse as parse_marker

_FILLER_ZH = re.compile(r"^(?:[，,、：:\s]|力争|争取|要|于|在|前|之前|以前|起|开始|份|底|中旬|上旬|下旬|左右)+")
_FILLER_ZH_TAIL = re.compile(r"[，,、；;。\s]+$")
_PHASE_ZH = re.compile(r"^(第[一二三四五六七八九十\d]{1,3}(?:阶段|階段)|[一二三四五六七八九十]{1,3}是)?\s*"
                       r"[（(]?\s*(?P<time>[^）)：:]{2,30}?)\s*[)）]?\s*[：:]\s*(?P<what>.+)$")
_PHASE_EN = re.compile(r"^(?P<phase>(?:phase|stage|step)\s+\d{1,2})\s*\((?P<time>[^)]{3,40})\)\s*:?\s*(?P<name>[^.]{2,60})\.?\s*(?P<rest>.*)$", re.I)
_ACTION = re.compile(r"[\u4e00-\u9fff]{2}")


@dataclass
class Step:
    """A schedule entry read from a text; ``start``/``end`` give its span in the text."""

    when: str
    what: str
    start: int
    end: int
    phase: str = ""
    owner: str = ""
    #: the words after the time as the text has them (，医院将实行…), and where they end
    said: str = ""
    stop: int = -1

    def as_data(self) -> dict:
        data: dict = {"when": self.when, "what": self.what}
        if self.phase:
            data["phase"] = self.phase
        if self.owner:
            data["owner"] = self.owner
        return data


def leading(text: str, locale: str) -> Step | None:
    """A paragraph that starts with a time or a phase and says what happens then."""
    t = text.strip()
    if locale == "en":
        if m := _PHASE_EN.match(t):
            times = dates.find_times(m.group("time"), "en")
            if times:
                what = m.group("name").strip()
                return Step(times[0].when, what, 0, len(text), phase=m.group("phase").strip())
        times = dates.find_times(t, "en")
        if times and times[0].start <= 3:
            rest = t[times[0].end:].lstrip(" :–—-,")
            if len(rest) >= 3:
                return Step(times[0].when, rest.rstrip("."), 0, len(text))
        return None
    m = _PHASE_ZH.match(t)
    if not m:
        return None
    span = m.group("time")
    times = dates.find_times(span, "zh")
    if len(times) != 1 or len(span) - (times[0].end - times[0].start) > 4:
        return None
    what = _FILLER_ZH_TAIL.sub("", m.group("what").strip())
    phase = (m.group(1) or "") if (m.group(1) or "").endswith(("阶段", "階段")) else ""
    if not what:
        return None
    return Step(times[0].when, what, 0, len(text), phase=phase)


def sequence(text: str, locale: str) -> list[Step]:
    """Dated steps in running text: a run of two or more, or one deadline with its work."""
    out: list[Step] = []
    if locale == "en":
        for sm in re.finditer(r"[^.;!?]+[.;!?]?", text):
            sent = sm.group()
            times = [t for t in dates.find_times(sent, "en") if (t.kind != "yearonly" or
                     re.search(r"\bin\s+\d{4}\s*[.,;]?\s*$", sent[:t.end + 2]))
                     and not re.match(r"\s*_{2,}", sent[t.end:t.end + 4])  # January __: a blank year
                     and sent[:t.start].count("(") <= sent[:t.start].count(")")]
            if not times:
                continue
            for k, t in enumerate(times):
                stop = times[k + 1].start if k + 1 < len(times) else len(sent)
                head = sent[:t.start] if k == 0 else sent[times[k - 1].end:t.start]
                what = re.sub(r"^(and|,|\s)+|(\s+(in|by|from|during|on))+\s*$", "", head).strip(" ,.")
                what = re.sub(r"^(we will|we shall|will|the|it|and)\s+", "", what, flags=re.I)
                if len(times) == 1 and t.kind not in ("deadline", "from", "monthrange", "date", "yearonly"):
                    if not re.search(r"\b(in|during)\s+$", sent[:t.start]):
                        continue
                if len(what.split()) < 2 and k > 0 and re.fullmatch(r"[\s,]*(and|or)?[\s,]*", head) and out:
                    what = out[-1].what  # "in September 2025 and March 2026"
                if len(what.split()) < 2:
                    tail = sent[t.end:stop].strip(" ,.")
                    what = tail if len(tail.split()) >= 2 else what
                if len(what.split()) < 2:
                    continue
                out.append(Step(t.when, what, sm.start() + t.start, sm.start() + t.end))
        return out
    for sm in re.finditer(r"[^。；;！!？?]+[。；;！!？?]?", text):
        sent = sm.group()
        times = [t for t in dates.find_times(sent, "zh") if t.kind != "yearonly"]
        if not times:
            continue
        clauses = []
        for t in times:
            # the clause the time opens: up to the next comma or time
            nxt = [x.start for x in times if x.start > t.start]
            stop = min([_break(sent, t.end)] + nxt)
            what = _FILLER_ZH.sub("", sent[t.end:stop]).strip()
            what = _FILLER_ZH_TAIL.sub("", what)
            said_end = stop
            if not what and t.kind in ("from", "deadline") and stop < len(sent):
                # 从1月1日起，医院将实行…: the work is the next clause
                nxt_stop = _break(sent, stop + 1)
                what = _FILLER_ZH_TAIL.sub("", re.sub(r"^(医院|我院|我中心|我所|各科室)?(将|要|应)?", "",
                                                       sent[stop + 1:nxt_stop].strip()))
                said_end = nxt_stop
            # a part of the month the model's times do not hold (12月中旬) stays in the words
            part = re.search(r"(上旬|中旬|下旬|初|中|末)$", sent[t.start:t.end]) if t.kind == "month" else None
            said = (part.group(1) if part else "") + sent[t.end:said_end].rstrip()
            clauses.append((t, what, said, sm.start() + said_end))
        good = [(t, w, said, end) for t, w, said, end in clauses if len(w) >= 2 and _ACTION.search(w)]
        run = len(good) >= 2
        for t, what, said, end in good:
            if not run and t.kind not in ("deadline", "from") and not _opens_clause(sent, t):
                continue
            if not run and t.kind == "month" and not re.search(r"(前|底|起|开始)", sent[t.start:t.end + 2]):
                if not _opens_clause(sent, t):
                    continue
            out.append(Step(t.when, what, sm.start() + t.start, sm.start() + t.end, said=said, stop=end))
    return out


def _break(sent: str, start: int) -> int:
    """Where the clause starting at ``start`` ends: the next comma outside 《》 and brackets."""
    depth = 0
    for i in range(start, len(sent)):
        c = sent[i]
        if c in "《（(“":
            depth += 1
        elif c in "》）)”":
            depth = max(0, depth - 1)
        elif c in "，,、；;。" and depth == 0:
            return i
    return len(sent)


def _opens_clause(sent: str, t) -> bool:
    head = sent[:t.start].rstrip()
    return not head or head[-1] in "，,；;：:。" or head.endswith(("于", "在", "力争", "争取"))


def is_schedule_title(title: str) -> bool:
    """Whether a heading names a schedule (进度安排, 实施步骤, Timeline …)."""
    return bool(re.search(r"进度安排|时间安排|工作安排|实施步骤|工作步骤|步骤|完成时限|时间节点|时间进度|"
                          r"实施期程|實施期程|工作进度|进度|日程|timeline|timetable|schedule|milestones|"
                          r"work steps|implementation steps|phases", title, re.I))


def strip_marker(text: str) -> str:
    m = parse_marker(text)
    return text[m.end:].strip() if m else text
