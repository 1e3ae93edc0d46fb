"""The outline and frame of a plan, written as plan data (what a plan's YAML holds).

The data follows the model's contract: section kinds read from headings, the author's
marker styles where they differ from the default (``meta.numbering``, ``numbering:`` on a
node, ``numbered: false``), ``heading:`` where an item's form differs from the default rule,
indicators and schedule entries read from the text, and ``content:`` parts where data
stands in the middle of a node's text.  Each data part keeps the text it was read from
under ``_source``, so that :mod:`planwriter.readers.fit` can put the text back where the
model in use cannot hold the data.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from typing import Any

from . import indicators as ind
from . import schedules as sch
from .frame import Frame
from .lines import Findings
from .outline import Node
from .script import fold, numbers
from ..formatting import imperative

#: Section kinds and the headings that name them (a heading that *is* the kind's name, not
#: one that mentions it: 加强医疗质量管理，保障医疗安全 is a task, not the safeguards).
_KINDS = [
    ("guiding_ideology", r"(指导思想|指導思想|总体思路|总体要求|工作思路|guiding (ideology|principles?)|overall approach)"),
    ("principles", r"(基本原则|工作原则|原则|原則|principles)"),
    ("situation", r"(基本情况|工作现状|现状|現狀|工作回顾|上年工作回顾|情况分析|background|current situation)"),
    ("goals", r"(工作目标|目标任务|目标与任务|主要目标|总体目标|工作指标|主要指标|目标|目標|指标|工作目的|目的|"
              r"objectives|goals|targets|aims)"),
    ("schedule", r"(进度安排|时间安排|实施步骤|工作步骤|步骤|完成时限|时间节点|实施期程|工作进度|预定进度|进度规划|预定时程|timeline|timetable|schedule|phases|work steps.*)"),
    ("responsibilities", r"(责任分工|职责分工|任务分工|分工|responsibilities|roles and responsibilities)"),
    ("safeguards", r"(保障措施|组织保障|工作保障|保障|safeguards|support measures)"),
    ("inspection", r"(检查验收|督导检查|考核评估|监督检查|检查考核|考核|验收|monitoring( and (reporting|evaluation))?|evaluation|review)"),
    ("measures", r"(主要措施|工作措施|具体措施|措施|举措|实施策略|策略|measures|strategies)"),
    ("tasks", r"(主要任务|工作任务|重点工作|工作重点|主要工作|工作内容|实施内容|工作项目|工作项目与实施内容|重点任务|具体任务|"
              r"任务|tasks|actions|main work|key work|priorities)"),
]


#: Traditional characters of the section names above, folded to the simplified ones.
_FOLD = str.maketrans("導總體則現狀況顧標務進時間實驟節點責職織檢驗監評舉內項與預劃計畫",
                      "导总体则现状况顾标务进时间实骤节点责职织检验监评举内项与预划计画")


def section_kind(title: str) -> str:
    """The section kind a heading names, or 'custom' (Traditional script folded)."""
    t = title.strip().rstrip("：:。.").strip().translate(_FOLD)
    if len(t) > 14 or re.search(r"[，,；;]", t):
        return "custom"
    for kind, pattern in _KINDS:
        if re.fullmatch(r"(?:[一二三四五六七八九十\d]+[、.．]\s*)?" + pattern, t, re.I):
            return kind
    return "custom"


#: Paragraphs longer than this are kept as text without looking for data in them.
MAX_DATA_TEXT = 4000

DEFAULT_NUMBERING = {"zh": ["一、", "（一）", "1.", "（1）", "①"],
                     "en": ["1.", "1.1", "1.1.1", "(a)", "(i)"]}


#: The words a target is worded with, in the author's and in the model's phrasing: they
#: differ between the two (必须达到95%或以上 → 达到95%以上) without the sentence changing.
_PHRASING = {
    "zh": re.compile(r"在上年度?的?基础上|在去年的?基础上|较上年|比上年|较去年|比去年|同比|必须|务必|要求|力争|争取|确保|"
                     r"分别|均|都|保持在|控制在|稳定在|维持在|不低于|不少于|不超过|不高于|不多于|不大于|"
                     r"达到|到达|达|或以上|以上|以下|以内|之内|左右|低于|高于|少于|多于|超过|降至|下降到|下降|降低|"
                     r"提高到|提高|提升|增长|增加|减少|上升|至少|最多|个百分点|百分点|实现|为|和|及|与"),
    "en": re.compile(r"\b(?:should|will|shall|must|each|respectively|reach(?:es|ed)?|remains?|stays?|be|is|are|"
                     r"at least|at most|at or below|or below|or above|or more|or less|no more than|no less than|"
                     r"not less than|not more than|not exceed|more than|less than|above|below|under|over|"
                     r"rise|fall|increase[sd]?|decrease[sd]?|reduced?|cut|lower|raise[sd]?|by|to|of|"
                     r"percentage points?|points?|percent|per cent|and|the|a|an)\b"),
}


def _words(text: str, locale: str) -> str:
    """What two wordings of one sentence share: the text in simplified script, with figures for
    numbers in words, lower case, without spaces, punctuation and the words targets take."""
    t = numbers(fold(unicodedata.normalize("NFKC", text)))[0].lower()
    t = _PHRASING["en" if locale == "en" else "zh"].sub("", t)
    if locale == "en":
        # a figure moved away from its words breaks an English sentence: it weighs as a word
        t = re.sub(r"\d[\d,.]*%?", lambda m: " " + (m.group(0).replace(",", "") + "#") * 4 + " ", t)
    else:
        # Chinese may gather figures (A、B分别达到90%和85%) and still read as written
        t = re.sub(r"\d[\d,.]*[%‰]?", "", t)
    return "".join(c for c in t if c.isalnum() or c in "#")


#: What an English lead may end with and a tail start with, for "<name> should …" to read on.
_EN_LEAD_END = re.compile(r"(?:[,:;—–]|\bthat|\bwhere|\bso)\s*$", re.I)
_EN_TAIL_START = re.compile(r"^(?:[,;:(.—–]|by\b|in\b|within\b|through\b|across\b|for\b|from\b|"
                            r"compared\b|against\b|among\b|at\b|on\b)", re.I)


def reads_as_written(source: str, said: str, locale: str, least: float = 0.9,
                     lead: str = "", tail: str = "") -> bool:
    """Whether ``said`` (targets as the model words them) says what ``source`` says, in its
    order: the words they share in sequence are most of each (names cut from the wrong words
    or moved about fail). In English the sentence's own words must also leave room for the
    model's clause: a lead that ends a clause or gives an instruction (Reduce, Keep the), a
    tail that starts a phrase of its own."""
    if locale == "en" and ((lead and not _EN_LEAD_END.search(lead) and imperative(lead, "en") is None) or
                           (tail and not _EN_TAIL_START.match(tail.strip()))):
        return False
    a, b = _words(source, locale), _words(said, locale)
    if not a or not b:
        return a == b
    same = sum(blk.size for blk in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return same >= least * len(a) and same >= least * len(b)


class Emitter:
    """Writes one plan's data from its frame and outline."""

    def __init__(self, frame: Frame, findings: Findings, env: Any = None,
                 org: str | None = None, year: int | None = None) -> None:
        self.frame = frame
        self.findings = findings
        self.env = env
        self.locale = "en" if frame.language == "en" else "zh"
        self.year = year or frame.year
        self.org = org
        self._defaults: dict[str, str] | None = None
        self._para_id = 0
        self._kind = "custom"  # the kind of the section being written
        self._composer: Any = None  # words targets as the plan would (see sentence)

    # -- defaults from the templates ---------------------------------------------------
    def default_heading(self, kind: str) -> str:
        if self.env is None:
            return ""
        if self._defaults is None:
            self._defaults = {}
            from ..model import SECTION_KINDS
            for k in SECTION_KINDS:
                try:
                    self._defaults[k] = self.env.render_part(f"sections/{k}.j2", "title", self.locale,
                                                             org="", org_type="other", year=self.year or 2025,
                                                             superior="", period="") or ""
                except Exception:  # a user template that needs more context: no default known
                    self._defaults[k] = ""
        return self._defaults.get(kind, "")

    def default_title(self, meta: dict) -> str:
        """The title planwriter would write for this organisation and year."""
        if self.env is None or "year" not in meta:
            return ""
        try:
            return self.env.render("frame/title.j2", self.locale, org=meta["organisation"],
                                   org_type=meta.get("org_type", "other"), year=meta["year"],
                                   superior="", period="")
        except Exception:  # a user template that needs more context: keep the title
            return ""

    def kind_of(self, title: str) -> str:
        if self.env is not None:
            for k in ("goals", "tasks", "measures", "schedule", "responsibilities", "safeguards",
                      "inspection", "guiding_ideology", "principles", "situation"):
                if title and title == self.default_heading(k):
                    return k
        return section_kind(title)

    # -- plan ------------------------------------------------------------------------
    def plan(self, preamble: list, nodes: list[Node], trailing: list) -> dict:
        meta = self.meta()
        sections: list[dict] = []
        if preamble:
            sections.append({"kind": "preamble", **self.body_fields(preamble, depth=0)})
        numbering = self.numbering(nodes)
        if numbering:
            meta["numbering"] = numbering
        self._meta_numbering = numbering or DEFAULT_NUMBERING[self.locale]
        for node in nodes:
            sections.append(self.section(node))
        if trailing:
            sections.append({"kind": "closing", **self.body_fields(trailing, depth=0)})
        if not sections:
            sections.append({"kind": "preamble", "text": ""})
        for section in sections:
            _settle_headings(section)
        return {"meta": meta, "sections": sections}

    def meta(self) -> dict:
        f = self.frame
        meta: dict[str, Any] = {}
        org = self.org or f.organisation
        if not org:
            org = "本单位" if self.locale == "zh" else "Our organisation"
            self.findings.add("guessed", f"no organisation named in the title or signature; wrote "
                              f"'{org}' (give --org NAME)", f.title_line)
        meta["organisation"] = org
        if f.org_type != "other":
            meta["org_type"] = f.org_type
        if self.year:
            meta["year"] = self.year
        else:
            self.findings.add("guessed", "the plan names no year; give --year Y", f.title_line)
        if f.period and self.year and f.period[0].year == self.year:
            meta["period"] = {"start": f.period[0], "end": f.period[1]}
        meta["locales"] = [f.language]
        if f.title and f.title != self.default_title(meta):
            meta["title"] = f.title
        if f.subtitle:
            meta["subtitle"] = f.subtitle
        if f.status:
            meta["status"] = f.status
        if f.doc_number:
            meta["doc_number"] = f.doc_number
        if f.addressees:
            meta["addressees"] = f.addressees
        if f.notice:
            notice = {k: v for k, v in f.notice.items()}
            if isinstance(notice.get("date"), tuple):
                notice["date"] = f"{notice['date'][0]}-{notice['date'][1]:02d}"
            meta["notice"] = notice
        issuers = [i for i in f.issuers if i]
        if issuers:
            meta["issuer"] = issuers[0] if len(issuers) == 1 else issuers
        if isinstance(f.date, dt.date):
            meta["date"] = f.date
        elif isinstance(f.date, tuple):
            meta["date"] = f"{f.date[0]}-{f.date[1]:02d}"
        if f.attachments:
            meta["attachments"] = f.attachments
        return meta

    # -- numbering -------------------------------------------------------------------
    def numbering(self, nodes: list[Node]) -> list[str]:
        """meta.numbering: the author's marker style of each level, where it differs."""
        default = DEFAULT_NUMBERING[self.locale]
        per_depth: dict[int, dict[str, int]] = {}

        def walk(siblings: list[Node], depth: int) -> None:
            for n in siblings:
                if n.marker is not None and n.marker.numbered:
                    per_depth.setdefault(depth, {})
                    per_depth[depth][n.marker.style] = per_depth[depth].get(n.marker.style, 0) + 1
                walk(n.children, depth + 1)
        walk(nodes, 0)
        styles = []
        for depth in range(max(per_depth, default=-1) + 1):
            counts = per_depth.get(depth)
            if not counts:
                styles.append(default[depth] if depth < len(default) else "①")
                continue
            styles.append(max(counts, key=lambda s: (counts[s], -list(counts).index(s))))
        while styles and len(styles) <= len(default) and styles[-1] == default[len(styles) - 1]:
            styles.pop()
        return styles

    def level_style(self, depth: int) -> str:
        styles = self._meta_numbering
        default = DEFAULT_NUMBERING[self.locale]
        if depth < len(styles):
            return styles[depth]
        return default[depth] if depth < len(default) else "①"

    def children_numbering(self, node_children: list[Node], depth: int, out: dict) -> None:
        styles = [c.marker.style for c in node_children if c.marker is not None and c.marker.numbered]
        if not styles:
            return
        majority = max(set(styles), key=styles.count)
        if majority != self.level_style(depth):
            out["numbering"] = majority

    @staticmethod
    def _has_data(n: Node) -> bool:
        return any(p[0] == "table" for p in n.parts)

    # -- sections and items ----------------------------------------------------------
    def _earlier_year(self, text: str, pos: int) -> bool:
        """Whether the sentence at ``pos`` opens with a year before the plan's (2024年，我院完成…)."""
        start = _sentence_start(text, pos, self.locale)
        m = re.match(r"\s*(?:in\s+)?((?:19|20)\d{2})\s*(?:年|,|，)", text[start:start + 12], re.I)
        return bool(m and self.year and int(m.group(1)) < self.year)

    def section(self, node: Node) -> dict:
        self._kind = self.kind_of(node.title) if node.title else "custom"
        if not node.title and node.lead_text:
            # A paragraph numbered at the top level with no title of its own: a section needs
            # a heading, so its first clause becomes one (the text is not repeated).
            node.title, node.lead_text = _first_clause(node.lead_text, self.locale)
            self.findings.add("guessed", "a heading for a paragraph numbered at the top level: its "
                              "first clause", node.line, node.title)
        node.title = node.title.rstrip("：: ") if node.title else node.title  # a heading has no colon
        title = node.title or "—"
        kind = self.kind_of(node.title) if node.title else "custom"
        out: dict[str, Any] = {"kind": kind}
        if node.title and (kind == "custom" or node.title != self.default_heading(kind)):
            out["title"] = node.title
        elif not node.title:
            out["kind"] = "custom"
        if node.marker is None or not node.marker.numbered:
            out["numbered"] = False
        out.update(self.node_body(node, depth=1, kind=kind))
        if "title" not in out and kind == "custom":
            out["title"] = title
        return out

    def item(self, node: Node, depth: int, in_schedule: bool) -> dict:
        out: dict[str, Any] = {}
        if node.title:
            out["title"] = node.title
        if node.marker is None or not node.marker.numbered:
            out["numbered"] = False
        out["_heading"] = node.heading  # settled against its siblings by _settle_headings
        out.update(self.node_body(node, depth, kind="schedule" if in_schedule else ""))
        return out

    def node_body(self, node: Node, depth: int, kind: str) -> dict:
        parts: list[tuple[str, Any, int]] = []
        if node.lead_text:
            parts.append(("own", node.lead_text, node.line))
        in_schedule = kind == "schedule" or sch.is_schedule_title(node.title)
        parts.extend(self._schedule_items(node) if in_schedule else self._indicator_items(node))
        out = self.body_fields(parts, depth, in_schedule=in_schedule)
        if not node.title and node.lead_text and not _has_text(out):
            # an item needs words of its own: its paragraph stays text
            parts[0] = ("plain", node.lead_text, node.line)
            out = self.body_fields(parts, depth, in_schedule=in_schedule)
        self.children_numbering(node.children, depth, out)
        return out

    def _indicator_items(self, node: Node) -> list:
        """A node's parts, with a run of items that are each one target and nothing else
        (参合率达到95%以上。 / Participation rate: at least 95%.) read as its list of indicators."""
        parts = list(node.parts)
        kids = [p for p in parts if p[0] == "node"]
        if not kids:
            return parts
        found = []
        for _, child, _ in kids:
            target = self._whole_target(child)
            if target is None:
                return parts
            found.append(target)
        first = next(i for i, p in enumerate(parts) if p[0] == "node")
        rest = [p for p in parts if p[0] != "node"]
        return rest[:first] + [("indicators", (found, [c for _, c, _ in kids]), kids[0][2])] + rest[first:]

    def _schedule_items(self, node: Node) -> list:
        """A node's parts, with a run of items that each start with a time and say what
        happens then (1. 3月：制定方案 / - **Q1 2026:** recruit staff) read as its schedule."""
        parts = list(node.parts)
        kids = [p for p in parts if p[0] == "node"]
        steps = []
        for _, child, line in kids:
            if child.children or child.parts:
                return parts
            text = (child.title + ("" if self.locale != "en" else " ") + child.lead_text
                    if child.title else child.lead_text).strip()
            step = sch.leading(text, self.locale) if text else None
            if step is None:
                return parts
            steps.append(self._step(step, line))
        if not steps:
            return parts
        first = next(i for i, p in enumerate(parts) if p[0] == "node")
        rest = [p for p in parts if p[0] != "node"]
        return rest[:first] + [("schedule", (steps, [c for _, c, _ in kids]), kids[0][2])] + rest[first:]

    def _whole_target(self, child: Node):
        if child.children or not child.lead_text or child.parts or child.heading:
            return None
        text = (child.title + " " + child.lead_text if child.title else child.lead_text).strip()
        targets = ind.find(text, self.locale)
        if len(targets) != 1:
            return None
        t = targets[0]
        rest = (text[:t.start] + text[t.end:]).strip(" 。.；;，,")
        return t.as_data() if not rest else None

    def body_fields(self, parts: list, depth: int, in_schedule: bool = False) -> dict:
        """The simple fields (text, data, items) when the parts come in that order, else
        ``content``: the parts in the author's order."""
        content: list[dict] = []
        for kind, value, line in parts:
            if kind == "plain":
                content.append({"text": value})
            elif kind in ("text", "own"):
                # an item's own paragraph stays its text, even when it starts with a time
                content.extend(self.text_parts(value, line, in_schedule and kind == "text"))
            elif kind == "table":
                content.append(self.table_part(value, line))
            elif kind == "schedule":
                steps, kids = value
                content.append({"schedule": steps, "_line": line,
                                "_items_schedule": [self.item(c, depth + 1, in_schedule) for c in kids]})
            elif kind == "indicators":
                found, kids = value
                # the items they were, for a model that cannot hold the list
                content.append({"indicators": found, "_line": line,
                                "_items_indicators": [self.item(c, depth + 1, in_schedule) for c in kids]})
            else:
                content.append({"items": [self.item(value, depth + 1, in_schedule)]})
        content = _merge(content)
        order = {"text": 0, "indicators": 1, "schedule": 1, "table": 1, "responsibilities": 1,
                 "budget": 1, "actions": 1, "items": 2}
        keys = [next(k for k in part if not k.startswith("_") and k not in _OPTIONS) for part in content]
        simple = (all(order[a] <= order[b] for a, b in zip(keys, keys[1:])) and len(set(keys)) == len(keys)
                  and not any(set(p) & {"lead", "tail"} for p in content))
        if simple:
            out: dict[str, Any] = {}
            for part in content:
                out.update(part)
            return out
        return {"content": content}

    def composer(self) -> Any:
        """A composer for this plan's language and year, to word data as the plan would
        (False where there is no environment or the model cannot make one)."""
        if self._composer is None:
            self._composer = False
            if self.env is not None:
                from .. import model as m
                from ..composer import Composer
                meta = {"organisation": "x", "locales": [self.locale]}
                if self.year:
                    meta["year"] = self.year
                try:
                    self._composer = Composer(m.Plan.model_validate(
                        {"meta": meta, "sections": [{"kind": "custom", "text": "x"}]}), self.env, self.locale)
                except Exception:  # noqa: BLE001 - a model without these fields: fitting decides
                    pass
        return self._composer

    def said(self, part: dict) -> str | None:
        """A part's targets or dated steps as the plan would say them in one sentence, or None
        where the model does not take them (fitting then decides)."""
        if not self.composer():
            return None
        from .. import model as m
        kind = "indicators" if "indicators" in part else "schedule"
        try:
            given = m.Part.model_validate(
                {"layout": "sentence", **{k: part[k] for k in ("lead", "tail") if part.get(k)},
                 kind: [{k: v for k, v in x.items() if not k.startswith("_")} for x in part[kind]]})
            return self._composer.opening(given, "import")[0]
        except Exception:  # noqa: BLE001 - data the model refuses: fitting puts it back
            return None

    def judge(self, part: dict) -> None:
        """Marks a sentence part the model would say otherwise than its source (``_garbled``):
        it was read, but fitting keeps the sentence as the author wrote it."""
        said = self.said(part)
        if said is not None and not reads_as_written(part["_source"][0], said, self.locale,
                                                     lead=part.get("lead", ""), tail=part.get("tail", "")):
            part["_garbled"] = said

    def text_parts(self, text: str, line: int, in_schedule: bool) -> list[dict]:
        """A paragraph as parts: text, and the indicators and schedule entries in it.

        Every part made from one paragraph carries the paragraph (``_para``), so that the
        paragraph can be put back whole where the model cannot hold its data."""
        parts = self._text_parts(text, line, in_schedule)
        if len(parts) > 1 or any(k not in ("text",) for k in parts[0]):
            self._para_id += 1
            for p in parts:
                p["_para"] = (self._para_id, text)
        return parts

    def _text_parts(self, text: str, line: int, in_schedule: bool) -> list[dict]:
        if len(text) > MAX_DATA_TEXT:
            return [{"text": text}]  # a paragraph this long is not read for data (time stays linear)
        step = sch.leading(text, self.locale)
        if step is not None and (in_schedule or step.phase):
            return [{"schedule": [self._step(step, line)], "_source": [text], "_line": line}]
        # figures about the plan's own situation, or about a year before it, are no targets
        # a count said before what it counts (提供不少于4次面对面随访) stays as the author wrote
        # it: the plan would say the activity first
        targets = [] if self._kind == "situation" else \
            [t for t in ind.find(text, self.locale) if not self._earlier_year(text, t.start) and t.figure_end is None]
        steps = [st for st in sch.sequence(text, self.locale)
                 if not (self.year and st.when == str(self.year))]  # "in 2025" dates the plan itself
        # Dated steps and targets in the same sentence: keep the targets, the times stay text.
        if targets:
            steps = [s for s in steps if not any(t.start <= s.start <= t.end for t in targets)]
        spans: list[tuple[int, int, dict]] = []
        done = 0
        groups = _one_sentence_one_group(text, _groups(text, targets, self.locale), self.locale)
        for gi, group in enumerate(groups):
            first, last = group[0], group[-1]
            # the lead starts the sentence, or follows the group before it in the sentence
            lead_start = max(_sentence_start(text, first.start, self.locale), done)
            while lead_start < first.start and text[lead_start] in "，,；;、 ":
                lead_start += 1
            part = {"indicators": [t.as_data() for t in group], "layout": "sentence", "_line": line}
            lead = text[lead_start:first.start].strip()
            if lead:
                part["lead"] = lead
            done = _clause_end(text, last.end, self.locale)
            # the sentence goes on after its targets (，随访情况及时记入档案。): that is its tail,
            # unless more targets follow in the same sentence
            end = _sentence_end(text, last.end, self.locale)
            following = groups[gi + 1][0].start if gi + 1 < len(groups) else len(text)
            if done < end <= following and text[done:end].strip(" ，,；;、。.!?！？"):
                part["tail"] = _tail(text[done:end], self.locale)
                done = end
            part["_source"] = [text[lead_start:done]]
            self.judge(part)
            spans.append((lead_start, done, part))
        if steps:
            taken = [(a, b) for a, b, _ in spans]
            steps = [st for st in steps if not any(a <= st.start < b for a, b in taken)]
            runs = _runs(text, steps, self.locale)
            for run in runs:
                start = run[0].start
                sent_start = _sentence_start(text, start, self.locale)
                end = _sentence_end(text, run[-1].end, self.locale)
                if any(a < end and sent_start < b for a, b in taken):
                    continue  # the sentence holds targets already read: its times stay text
                # steps read from running text are said as they were: in a sentence, with the
                # words before the first time (its lead), each step's words as the text has them
                # (从1月1日起，医院将实行…) and the words after the last step (its tail)
                part = {"schedule": [self._step(s, line, as_said=True) for s in run], "layout": "sentence",
                        "_source": [text[sent_start:end]], "_line": line}
                lead = text[sent_start:start].strip()
                if lead:
                    part["lead"] = lead
                last = run[-1]
                if last.stop >= 0:
                    tail = text[last.stop:end].strip()
                else:
                    at = text.find(last.what, last.start) if last.what else -1
                    tail = text[at + len(last.what):end].strip() if at >= 0 else ""
                if tail.strip(" ，,。；;.、:：!?！？"):
                    part["tail"] = _tail(tail, self.locale)
                self.judge(part)
                spans.append((sent_start, end, part))
        if not spans:
            return [{"text": text}]
        spans.sort(key=lambda s: s[0])
        out: list[dict] = []
        pos = 0
        for start, end, part in spans:
            if start < pos:
                continue
            before = text[pos:start].strip().lstrip("，,；;、")
            if before:
                out.append({"text": before})
            out.append(part)
            pos = end
        after = text[pos:].strip().lstrip("，,；;、。").strip()
        if after:
            out.append({"text": after})
        return out

    def _step(self, step: sch.Step, line: int, as_said: bool = False) -> dict:
        data = step.as_data()
        data["when"] = self.resolve_when(step.when)
        if as_said and step.said.strip(" ，,、；;。"):
            data["what"] = step.said.strip().rstrip("，,、；;")  # in a sentence: the words as written
        return data

    def resolve_when(self, when: str) -> str:
        """'10..next 1' (10月至次年1月) with the plan's year; other forms as they are."""
        if "next" in when:
            a, b = when.split("..next ")
            if self.year:
                return f"{self.year}-{int(a):02d}..{self.year + 1}-{int(b):02d}"
            return f"{a}..{b}"
        return when

    def table_part(self, rows: list[list[str]], line: int) -> dict:
        header, body = rows[0], rows[1:]
        lowered = [h.strip().lower() for h in header]
        when_col = _col(lowered, r"时间|時間|日期|期限|完成时限|when|timeline|date|deadline|period")
        what_col = _col(lowered, r"工作内容|内容|任务|工作任务|事项|活动|what|activity|action|task")
        owner_col = _col(lowered, r"责任|負責|负责|牵头|owner|lead|responsible")
        duties_col = _col(lowered, r"职责|職責|duties|responsibilit")
        if owner_col is None or owner_col == duties_col:
            owner_col = _col(lowered, r"部门|科室|单位|office|department|unit|who")
        if owner_col is not None and duties_col is not None and when_col is None and body:
            return {"responsibilities": [{"owner": r[owner_col], "duties": r[duties_col]} for r in body
                                         if max(owner_col, duties_col) < len(r)],
                    "_source_table": rows, "_line": line}
        budget_col = _col(lowered, r"预算|預算|经费|經費|资金|資金|金额|budget|cost|funding")
        if what_col is not None and budget_col is not None and (when_col is not None or owner_col is not None) \
                and body and (actions := self.actions_of(header, body, what_col, owner_col, when_col, budget_col)):
            return {"actions": actions, "_source_table": rows, "_line": line}
        if when_col is not None and what_col is not None and body:
            entries = []
            ok = True
            for r in body:
                cell = r[when_col] if when_col < len(r) else ""
                when = self.when_of(cell)
                if when is None:
                    ok = False
                    break
                e = {"when": when, "what": r[what_col] if what_col < len(r) else ""}
                if owner_col is not None and owner_col < len(r) and r[owner_col].strip():
                    e["owner"] = r[owner_col].strip()
                entries.append(e)
            if ok:
                return {"schedule": entries, "_source_table": rows, "_line": line}
        if (targets := self.targets_of(lowered, body)) is not None:
            return {"indicators": targets, "layout": "table", "_source_table": rows, "_line": line}
        return {"table": {"header": header, "rows": body}, "_line": line}

    def targets_of(self, lowered: list[str], body: list[list[str]]) -> list[dict] | None:
        """The rows of a table of targets (序号 · 指标名称 · 目标值) as indicators, or None when
        it has other columns or a row whose target cannot be read."""
        name_col = _col(lowered, r"指标|指標|indicator|measure")
        target_col = _col(lowered, r"目标|目標|target")
        if name_col is None or target_col is None or name_col == target_col or not body:
            return None
        other = [c for c in range(len(lowered)) if c not in (name_col, target_col)]
        if any(not re.fullmatch(r"序号|序號|编号|no\.?|#", lowered[c]) for c in other):
            return None  # columns the model's targets have no place for
        out = []
        for r in body:
            if len(r) != len(lowered) or any(not re.fullmatch(r"\d{1,3}[.、]?", r[c].strip()) for c in other):
                return None
            name, cell = r[name_col].strip(), r[target_col].strip()
            found = ind.find(f"{name}{cell}" if self.locale != "en" else f"{name}: {cell}", self.locale)
            if len(found) != 1 or found[0].name != name:
                return None
            out.append(found[0].as_data())
        return out

    def actions_of(self, header: list[str], body: list[list[str]], what_col: int, owner_col: int | None,
                   when_col: int | None, budget_col: int) -> list[dict] | None:
        """The rows of an action table (action, lead, timeline, budget) as actions, or None
        when a timeline or a budget cell cannot be read."""
        lowered = [h.strip().lower() for h in header]
        kpi_col = _col(lowered, r"指标|指標|kpi|indicator|measure of success|target")
        outcome_col = _col(lowered, r"预期|預期|成效|成果|outcome|expected result|deliverable")
        actions = []
        for r in body:
            cell = (lambda c: r[c].strip() if c is not None and c < len(r) else "")
            action: dict[str, Any] = {"title": cell(what_col)}
            if not action["title"]:
                return None
            if cell(owner_col):
                action["owner"] = cell(owner_col)
            if cell(when_col):
                when = self.when_of(cell(when_col))
                if when is None:
                    return None
                action["timeline"] = when
            if cell(budget_col):
                budget = _money(cell(budget_col), self.locale)
                if budget is None:
                    return None
                action["budget"] = budget
            if cell(kpi_col):
                action["kpis"] = [k.strip() for k in re.split(r"[；;]\s*|\n", cell(kpi_col)) if k.strip()]
            if cell(outcome_col):
                action["outcome"] = cell(outcome_col)
            actions.append(action)
        return actions

    def when_of(self, cell: str) -> str | None:
        from .dates import find_times
        if cell.strip().lower() in ("全年", "full year", "全年度", "year-round", "throughout the year") and self.year:
            return str(self.year)
        times = find_times(cell.strip(), self.locale)
        if len(times) == 1 and times[0].end - times[0].start >= len(cell.strip()) - 3:
            return self.resolve_when(times[0].when)
        return None


_OPTIONS = {"layout", "lead", "tail", "numbering", "caption"}


def _first_clause(text: str, locale: str) -> tuple[str, str]:
    """``(heading, rest)``: a paragraph's first clause (or sentence) and what follows it."""
    marks = "，,。；;：:" if locale != "en" else ".;:"
    limit = 30 if locale != "en" else 200
    for i, c in enumerate(text[:limit + 1]):
        if c in marks and i >= 2:
            rest = text[i + 1:].strip()
            if rest:
                return text[:i].strip(), rest
            break
    return text, ""


def _has_text(fields: dict) -> bool:
    """Whether a node's fields start with text of its own (before any data or items)."""
    if fields.get("text"):
        return True
    if fields.get("layout") == "sentence" and (fields.get("indicators") or fields.get("schedule")):
        return True  # the targets or dated steps are the item's sentence
    content = fields.get("content") or []
    return bool(content) and bool(content[0].get("text") or content[0].get("lead")
                                  or content[0].get("layout") == "sentence")


_CURRENCY = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "￥": "CNY", "rs": "LKR", "rs.": "LKR"}


def _money(cell: str, locale: str) -> float | dict | None:
    """A budget cell as the model writes it: 45 (in the plan's unit), {amount, unit}."""
    t = cell.strip().replace("，", ",")
    m = re.fullmatch(r"(?P<cur>US\$|[$€£¥￥]|[A-Z]{3}|Rs\.?)?\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*"
                     r"(?P<scale>[kKmM]|million|万元|万|亿元|元|千元)?\s*(?P<cur2>[A-Z]{3})?", t)
    if not m or (m.group("num").count(",") and not re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", m.group("num"))):
        return None
    amount = float(m.group("num").replace(",", ""))
    scale = m.group("scale") or ""
    amount *= {"k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "million": 1e6, "千元": 1e3}.get(scale, 1)
    amount = int(amount) if amount.is_integer() else amount
    unit = {"万元": "wan_yuan", "万": "wan_yuan", "亿元": "yi_yuan", "元": "yuan", "千元": "yuan"}.get(scale)
    cur = m.group("cur") or m.group("cur2")
    if cur:
        unit = _CURRENCY.get(cur.lower() if cur.lower().startswith("rs") else cur, cur)
    return {"amount": amount, "unit": unit} if unit else amount


_DATA_KEYS = ("indicators", "schedule", "responsibilities", "table", "budget", "actions", "block")


def _more_than_sentences(fields: dict) -> bool:
    """Whether fields hold data that is more than paragraphs (targets laid out as one
    sentence read as a paragraph, as the model composes them)."""
    keys = [k for k in _DATA_KEYS if k in fields]
    return bool(keys) and not (set(keys) <= {"indicators", "schedule"} and fields.get("layout") == "sentence")


def _has_data_parts(fields: dict) -> bool:
    """Whether a node's own fields hold data (not counting its items) that makes it a heading."""
    return _more_than_sentences(fields) or any(_more_than_sentences(p) for p in fields.get("content") or [])


def _settle_headings(node: dict) -> None:
    """``heading:`` where the author's form differs from the model's rule (among siblings,
    headings when one has sub-items or data, else run-in paragraphs)."""
    holders = [node] + [p for p in node.get("content") or [] if "items" in p]
    kids = [k for h in holders for k in h.get("items") or []]
    if kids:
        default = any(k.get("items") or any("items" in p for p in k.get("content") or [])
                      or _has_data_parts(k) for k in kids)
        for k in kids:
            want = k.pop("_heading", None)
            if want is not None and want != default:
                k["heading"] = want
            _settle_headings(k)
    node.pop("_heading", None)


def _col(header: list[str], pattern: str) -> int | None:
    for i, h in enumerate(header):
        if re.search(pattern, h, re.I):
            return i
    return None


def _merge(content: list[dict]) -> list[dict]:
    """Adjacent text parts joined into one text (paragraphs), adjacent item parts into one list,
    adjacent schedule parts into one schedule."""
    out: list[dict] = []
    for part in content:
        if out and "text" in part and "text" in out[-1] and len(part) == 1 and len(out[-1]) == 1:
            out[-1] = {"text": out[-1]["text"] + "\n\n" + part["text"]}
        elif out and "items" in part and "items" in out[-1]:
            out[-1] = {**out[-1], "items": out[-1]["items"] + part["items"]}
        elif out and "schedule" in part and "schedule" in out[-1] and "_source_table" not in part \
                and "_source_table" not in out[-1]:
            merged = dict(out[-1])
            merged["schedule"] = out[-1]["schedule"] + part["schedule"]
            merged["_source"] = out[-1].get("_source", []) + part.get("_source", [])
            out[-1] = merged
        else:
            out.append(part)
    return out


_SEP = re.compile(r"^[\s，,、；;和及与并且以及]*$")
_SEP_EN = re.compile(r"^[\s,;]*(?:(?:and|while|with)\s+)?(?:the\s+|a\s+|an\s+)?$", re.I)


def _groups(text: str, targets: list[ind.Target], locale: str) -> list[list[ind.Target]]:
    """Targets that follow one another with only separators between them, in one sentence."""
    groups: list[list[ind.Target]] = []
    for t in sorted(targets, key=lambda x: x.start):
        if groups:
            prev = groups[-1][-1]
            gap = text[prev.end:t.start]
            same_sentence = not re.search(r"[。！？!?]" if locale == "zh" else r"[.!?]\s", gap)
            if same_sentence and ((_SEP_EN if locale == "en" else _SEP).match(gap) or (t.start <= prev.end)):
                groups[-1].append(t)
                continue
        groups.append([t])
    return groups


def _runs(text: str, steps: list[sch.Step], locale: str) -> list[list[sch.Step]]:
    runs: list[list[sch.Step]] = []
    for s in steps:
        if runs and _sentence_start(text, s.start, locale) == _sentence_start(text, runs[-1][-1].start, locale):
            runs[-1].append(s)
        else:
            runs.append([s])
    return runs


def _tail(text: str, locale: str) -> str:
    """The words a sentence goes on with after its data; a comma is how a Chinese tail joins
    on by default, so the file need not say it."""
    tail = text.strip()
    return tail[1:].lstrip() if locale != "en" and tail[:1] in "，," else tail


def _one_sentence_one_group(text: str, groups: list[list[ind.Target]], locale: str) -> list[list[ind.Target]]:
    """Groups of one Chinese sentence made one, so that the sentence stays one paragraph: the
    few words between them (，全年的业务总收入…) open the next target's name."""
    if locale == "en":
        return groups
    out: list[list[ind.Target]] = []
    for g in groups:
        if out:
            prev = out[-1][-1]
            gap = text[_clause_end(text, prev.end, locale):g[0].start]
            if not re.search(r"[。！？!?；;]", text[prev.end:g[0].start]):
                words = gap.strip(" ，,、")
                if len(words) <= 6 and not re.search(r"[，,、]", words):
                    first = g[0]
                    if words:
                        first.name = words + first.name
                        first.start = text.index(words, _clause_end(text, prev.end, locale))
                    out[-1].extend(g)
                    continue
        out.append(g)
    return out


def _sentence_start(text: str, pos: int, locale: str) -> int:
    marks = "。！？!?；;" if locale == "zh" else ".!?;"
    i = pos
    while i > 0 and text[i - 1] not in marks:
        i -= 1
    while i < pos and text[i] in " \t":
        i += 1
    return i


_EN_STOP = re.compile(r"[.!?;](?=\s|$)")


def _sentence_end(text: str, pos: int, locale: str) -> int:
    if locale != "zh":  # a stop before a space or the end (not the point of 1.5, nor e.g.)
        m = _EN_STOP.search(text, pos)
        return m.end() if m else len(text)
    marks = "。！？!?；;"
    i = pos
    while i < len(text) and text[i] not in marks:
        i += 1
    return min(len(text), i + 1)


def _clause_end(text: str, pos: int, locale: str) -> int:
    """The end of the clause an indicator closes: past its 以上 and a closing bracket, up to
    and including the sentence mark or comma after it."""
    i = pos
    while i < len(text) and text[i] in "）)":
        i += 1
    if i < len(text) and text[i] in ("。；;！!？?" if locale == "zh" else ".;!?"):
        return i + 1
    return i
