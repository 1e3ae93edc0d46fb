"""Composition: a Plan, through the template library, into a document tree.

This is the only place that knows both what a plan is and what a document is.
Wording comes from templates; numbering, fonts and layout are left to writers.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from . import model as m
from .errors import PlanError, PlanErrors
from . import formatting
from .formatting import Formatter, continuing
from .schedule import Point, When, year_of
from .numbering import style_for
from .tree import (Addressees, Attachments, Block, Document, Fields, Heading, Item, PageBreak,
                   Paragraph, Signature, Table)

_ITEM = re.compile(r"^( *)- (.*)$")
_BLANK_LINE = re.compile(r"\n\s*\n")


class TimePoint(NamedTuple):
    """One end of a schedule time as the ``when`` phrase templates see it."""

    kind: str  # date, month, quarter, half or year
    number: int  # day of month, month, quarter or half
    year: int
    month: int
    day: int
    year_shown: bool  # whether the phrase names the year
    time: str = ""  # a time of day, for a date


class By(NamedTuple):
    """When a milestone is to be met, as the phrase templates see it: a year, and a month or 0."""

    year: int
    month: int


@dataclass
class Piece:
    """One unit of block markup: a paragraph (depth 0) or an item at ``depth``."""

    depth: int
    text: str
    title: str = ""


def parse_markup(text: str, locale: str) -> list[Piece]:
    """Read block markup: blank-line separated paragraphs and indented ``- `` items.

    ``- Title :: text`` gives an item a run-in title.  Wrapped lines continue
    the paragraph or item above them.
    """
    joiner = "" if locale.startswith("zh") else " "
    pieces: list[Piece] = []
    current: Piece | None = None
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            current = None
            continue
        if match := _ITEM.match(line):
            indent, body = match.groups()
            if len(indent) % 2:
                raise ValueError(f"item indented by {len(indent)} spaces; use two per level: {line!r}")
            current = Piece(len(indent) // 2 + 1, body.strip())
            pieces.append(current)
        elif current is not None:
            current.text += joiner + line.strip()
        else:
            current = Piece(0, line.strip())
            pieces.append(current)
    for p in pieces:
        if p.depth and " :: " in p.text:
            p.title, p.text = (s.strip() for s in p.text.split(" :: ", 1))
    return pieces


#: Comparators that say how far a figure moves, not where it stands.
_CHANGES = ("increase_by", "decrease_by", "increase_by_points", "decrease_by_points", "decrease_to")


def _shared_ending(names: list[str]) -> list[str]:
    """Chinese names that end alike said once, as officials write them: 高血压患者规范管理率、
    糖尿病患者规范管理率 → 高血压、糖尿病患者规范管理率. Only a long shared ending (four
    characters or more) after short distinct beginnings, so that no name is cut mid-word
    (孕产妇系统管理率、儿童健康管理率 stay whole)."""
    if len(names) < 2:
        return names
    n = 0
    shortest = min(len(x) for x in names)
    while n < shortest and len({x[len(x) - n - 1] for x in names}) == 1:
        n += 1
    heads = [x[:len(x) - n] for x in names]
    if n < 4 or any(not 2 <= len(h) <= 6 for h in heads):
        return names
    return heads[:-1] + [heads[-1] + names[-1][len(names[-1]) - n:]]


def _in_sentences(p: m.Part) -> bool:
    """Whether a part reads as paragraphs: a text, or targets or dated steps laid out as a sentence."""
    return p.what == "text" or (p.what in ("indicators", "schedule") and p.layout == "sentence")


def _has_children(n: m.Node) -> bool:
    """Whether a node holds more than paragraphs (a model does not change: asked once)."""
    d = n.__dict__
    more = d.get("_more")
    if more is None:
        if d["content"] is None:  # the simple fields, read without making their parts
            more = bool(d["block"] is not None or d["items"] or d["responsibilities"]
                        or d["table"] is not None or d["actions"] or d["budget"] is not None
                        or ((d["indicators"] or d["schedule"]) and d["layout"] != "sentence"))
        else:
            more = not all(_in_sentences(p) for p in n.content)
        d["_more"] = more
    return more


def _only_text(n: m.Node) -> bool:
    """Whether a node's one part is its text (the common item: a paragraph or two)."""
    d = n.__dict__
    return (d["text"] is not None and d["content"] is None and not _has_children(n)
            and not d["indicators"] and not d["schedule"])


def headings_among(siblings: list[m.Node]) -> bool:
    """Whether sibling items are laid out as headings: all of them when any has sub-items,
    data (other than targets worded as a sentence) or a block, otherwise none (each is a
    numbered paragraph), so that items at one level look alike. An item's own
    ``heading: true|false`` overrides the rule."""
    return any(_has_children(n) for n in siblings)


def _deadline(w: When) -> When:
    """A KPI's time: one point is the time it is to be met by (6月底前 / by the end of June)."""
    if w.end is None and not (w.opening or w.until):
        return dataclasses.replace(w, deadline=True)
    return w


def _traditional(value: Any) -> Any:
    """A block parameter of a Chinese plan read in zh-Hant: its plain strings converted."""
    from .hant import to_traditional
    if isinstance(value, str):
        return to_traditional(value)
    if isinstance(value, list):
        return [_traditional(v) for v in value]
    return value


class Composer:
    """Expands one plan in one language into document blocks."""

    def __init__(self, plan: m.Plan, env: Any, locale: str) -> None:
        self.plan, self.env, self.locale = plan, env, locale
        self.fmt = Formatter(locale)
        # Plain (one-language) texts are Simplified Chinese unless the plan is written in zh-Hant.
        self.convert = locale == "zh-Hant" and "zh-Hant" not in plan.meta.locales
        self.blocks: list[Block] = []
        #: The field path each block was made from (parallel to ``blocks``).
        self.origins: list[str] = []
        #: Errors met so far; a failing section or item is left out and the rest composed.
        self.errors: list[PlanError] = []
        meta = plan.meta
        span = meta.span
        whole_year = span is None or meta.period is None or (
            span[0].year == span[1].year
            and (span[0].month, span[0].day, span[1].month, span[1].day) == (1, 1, 12, 31))
        self.year = meta.plan_year
        self.context: dict[str, Any] = {
            "org": self.text(meta.organisation, "meta.organisation"),
            "org_type": meta.org_type,
            "year": self.year,
            "superior": self.text(meta.superior, "meta.superior") if meta.superior else "",
            "period": "" if whole_year else env.render("frame/period.j2", locale, start=span[0],
                                                       end=span[1]),
        }

    # -- helpers -----------------------------------------------------------
    def text(self, text: m.Text | None, path: str) -> str:
        if text is None:
            return ""
        root = text.root
        if type(root) is str and not self.convert:  # one text for every language
            return root
        try:
            out = text.get(self.locale)
            if self.convert and isinstance(text.root, str):  # a Chinese plan read in zh-Hant
                from .hant import to_traditional
                return to_traditional(out)
            return out
        except KeyError:
            if self.locale == "zh-Hant" and "zh" in text.root:  # converted from Chinese
                from .hant import to_traditional
                return to_traditional(text.root["zh"])
            raise PlanError(f"has no '{self.locale}' text", field=path) from None

    def texts(self, value: Any, path: str) -> list[str]:
        """One text or a list of them (several issuers), in this language."""
        if value is None:
            return []
        if isinstance(value, list):
            return [self.text(t, f"{path}[{i}]") for i, t in enumerate(value)]
        return [self.text(value, path)]

    def paragraphs(self, text: m.Text | None, path: str) -> list[str]:
        """The paragraphs of a text (blank-line separated); lines inside one are joined."""
        body = self.text(text, path)
        if "\n" not in body:
            body = body.strip()
            return [body] if body else []
        joiner = " " if self.locale == "en" else ""
        return [joiner.join(p.split("\n")) for p in (s.strip() for s in _BLANK_LINE.split(body)) if p]

    def render(self, name: str, /, **ctx: Any) -> str:
        return self.env.render(name, self.locale, **{**self.context, **ctx})

    def part(self, name: str, part: str, **ctx: Any) -> str | None:
        return self.env.render_part(name, part, self.locale, **{**self.context, **ctx})

    def style(self, choice: Any) -> str | None:
        """A numbering choice of the plan (one style, or one per language) for this language."""
        if choice is None:
            return None
        if isinstance(choice, dict):
            choice = choice.get(self.locale, choice.get("zh") if self.locale == "zh-Hant" else None)
        return style_for(choice, self.locale)

    # -- document ----------------------------------------------------------
    def add(self, block: Block, origin: str) -> None:
        self.blocks.append(block)
        self.origins.append(origin)

    def attempt(self, call, *args) -> None:
        """Compose one part; on a located error, keep it and go on with the next part."""
        start = len(self.blocks)
        try:
            call(*args)
        except PlanError as e:
            del self.blocks[start:], self.origins[start:]
            self.errors.extend(e.errors)

    def document(self) -> Document:
        meta = self.plan.meta
        title = self.text(meta.title, "meta.title") if meta.title else self.render("frame/title.j2")
        subtitle = [self.text(meta.subtitle, "meta.subtitle")] if meta.subtitle else []
        if meta.status is not None:
            subtitle.append(self.render("frame/status.j2", status=self.text(meta.status, "meta.status")))
        # With a transmittal notice, the notice is the document sent: it carries the
        # document number, the addressees, the issuers and the date; the plan it issues
        # follows with its title and body only.
        noticed = meta.notice is not None
        if meta.addressees is not None and not noticed:
            self.add(Addressees(self.text(meta.addressees, "meta.addressees")), "meta.addressees")
        for i, section in enumerate(self.plan.sections):
            self.attempt(self.section, section, f"sections[{i}]")
        if meta.attachments:
            self.add(self.attachments(meta.attachments, "meta.attachments"), "meta.attachments")
        issuers = self.texts(meta.issuer, "meta.issuer") or [self.context["org"]]
        if meta.date is not None and not noticed:
            self.add(Signature(issuers[0], self.fmt.date(meta.date), tuple(issuers[1:])),
                     "meta.issuer" if meta.issuer else "meta.organisation")
        numbering = tuple(self.style(s) for s in (meta.numbering or ()))
        notice = self.notice(title, issuers) if meta.notice is not None else None
        return Document(self.locale, title, tuple(self.blocks), tuple(self.origins),
                        subtitle="\n".join(subtitle),
                        doc_number=None if noticed else self.text(meta.doc_number, "meta.doc_number"),
                        notice=notice, numbering=numbering)

    def notice(self, plan_title: str, issuers: list[str]) -> Document:
        """The transmittal notice printed before the plan."""
        n, meta = self.plan.meta.notice, self.plan.meta
        blocks: list[Block] = []
        origins: list[str] = []
        title = (self.text(n.title, "meta.notice.title") if n.title is not None
                 else self.part("frame/notice.j2", "title", plan_title=plan_title) or "")
        if n.addressees is not None or meta.addressees is not None:
            blocks.append(Addressees(self.text(n.addressees, "meta.notice.addressees")
                                     if n.addressees is not None
                                     else self.text(meta.addressees, "meta.addressees")))
            origins.append("meta.notice.addressees")
        paras = (self.paragraphs(n.text, "meta.notice.text") if n.text is not None
                 else [self.part("frame/notice.j2", "body", plan_title=plan_title) or ""])
        for p in paras:
            blocks.append(Paragraph(p))
            origins.append("meta.notice.text")
        if n.attachments:  # GB/T 9704 7.3.4: after the text, before the signature
            blocks.append(self.attachments(n.attachments, "meta.notice.attachments"))
            origins.append("meta.notice.attachments")
        who = self.texts(n.issuer, "meta.notice.issuer") or issuers
        date = n.date if n.date is not None else meta.date
        if date is not None:
            blocks.append(Signature(who[0], self.fmt.date(date), tuple(who[1:])))
            origins.append("meta.notice.issuer")
        blocks.append(PageBreak())
        origins.append("meta.notice")
        return Document(self.locale, title, tuple(blocks), tuple(origins),
                        doc_number=self.text(n.doc_number, "meta.notice.doc_number")
                        if n.doc_number is not None else self.text(meta.doc_number, "meta.doc_number"))

    def section(self, s: m.Section, path: str) -> None:
        template = f"sections/{s.kind}.j2"
        if s.kind in m.UNNUMBERED_KINDS:
            before = len(self.blocks)
            self.body(s, path, level=0)
            if len(self.blocks) == before:
                default = self.part(template, "body")
                if default:
                    self.add(Paragraph(default), f"{path}.kind")
            return
        if s.title is not None:
            title = self.text(s.title, f"{path}.title")
        elif s.kind == "custom":
            raise PlanError("a custom section needs a title", field=f"{path}.title")
        else:
            title = self.part(template, "title") or ""
        self.add(Heading(1, title, None if s.numbered else "none"),
                 f"{path}.title" if s.title is not None else f"{path}.kind")
        self.body(s, path, level=1)

    def node(self, n: m.Node, path: str, level: int, heading: bool, style: str | None) -> None:
        """An item: a heading (with ``heading``, see :func:`headings_among`) or one numbered
        paragraph; ``style`` is its marker style (from its parent's numbering)."""
        if n.heading is not None:
            heading = n.heading
        if not n.numbered:
            style = "none"
        title = self.text(n.title, f"{path}.title") if n.title is not None else ""
        if n.block and not title:
            title = self.block_title(n.block)
        if not heading and _only_text(n):  # the common case: a paragraph or two, run in
            paras = self.paragraphs(n.text, path + ".text")
            if paras or title:  # (neither: the general path below says what is missing)
                self.add(Item(level, paras[0] if paras else "", title, style), path)
                for p in paras[1:]:
                    self.add(Paragraph(p), f"{path}.text")
                return
        parts = n.parts()
        if not heading:
            # A run-in item: its title and leading text make one numbered paragraph, and
            # whatever follows (sub-items 1. 2., a table …) comes under it, one level down.
            if len(parts) == 1 and parts[0].what == "text":
                lead, paras = 1, self.paragraphs(parts[0].text, path + ".text")
            else:
                lead, paras = 0, []
                while lead < len(parts):
                    opening = self.opening(parts[lead], self.part_path(n, path, lead))
                    if opening is None:
                        break
                    paras += opening
                    lead += 1
            if not paras and not title:
                raise PlanError("an item set to 'heading: false' needs a title or a text to run in"
                                if n.heading is False else "an item needs a title, a text or a block",
                                field=path)
            self.add(Item(level, paras[0] if paras else "", title, style), path)
            for p in paras[1:]:
                self.add(Paragraph(p), f"{path}.text")
            for j in range(lead, len(parts)):
                self.content(parts[j], self.part_path(n, path, j), level, n)
            return
        if title:
            self.add(Heading(level, title, style),
                     f"{path}.title" if n.title is not None else f"{path}.block")
            self.body(n, path, level)
            return
        # No title: the first paragraph carries the number, the rest follow it.
        paras = (self.opening(parts[0], self.part_path(n, path, 0)) or []) if parts else []
        if not paras:
            raise PlanError("an item with sub-items or data needs a title or a text" if _has_children(n)
                            else "an item needs a title, a text or a block", field=path)
        self.add(Item(level, paras[0], "", style), f"{path}.text")
        for p in paras[1:]:
            self.add(Paragraph(p), f"{path}.text")
        self.body(n, path, level, skip_first=True)

    @staticmethod
    def part_path(n: m.Node, path: str, j: int) -> str:
        return f"{path}.content[{j}]" if n.content is not None else path

    def opening(self, part: m.Part, path: str) -> list[str] | None:
        """The paragraphs of a part that can open a numbered paragraph: a text, or targets or
        dated steps laid out as one sentence (1.孕产妇系统管理率达到95%以上，… / 1.6月底前完成…);
        None for any other part."""
        if part.what == "text":
            return self.paragraphs(part.text, f"{path}.text")
        if part.what == "indicators" and part.layout == "sentence" and part.indicators:
            return [self.indicator_paragraph(part.indicators, part.lead, part.tail, f"{path}.indicators")]
        if part.what == "schedule" and part.layout == "sentence" and part.schedule:
            return [self.schedule_sentence(part.schedule, f"{path}.schedule", part.lead, part.tail)]
        return None

    def schedule_sentence(self, entries: list[m.ScheduleEntry], path: str, lead: Any = None,
                          tail: Any = None) -> str:
        """Dated steps as one sentence, with the words that open and close it: 6月底前完成信息
        更新，9月开展督导。 / By the end of June, update the records; in September, …"""
        steps = [{"when": self.entry_when(e, f"{path}[{i}]"), "what": self.text(e.what, f"{path}[{i}].what"),
                  "owner": self.text(e.owner, f"{path}[{i}].owner")} for i, e in enumerate(entries)]
        return self.render("phrases/schedule_sentence.j2", steps=steps, lead=self.text(lead, f"{path}.lead"),
                           close=formatting.sentence_close(self.text(tail, f"{path}.tail"), self.locale))

    def body(self, n: m.Node, path: str, level: int, skip_first: bool = False) -> None:
        """Everything under a heading at ``level``, in the node's order (its content parts, or
        text, block, indicators, schedule, responsibilities, table, actions, budget, items)."""
        parts = n.parts()
        for j, part in enumerate(parts):
            if skip_first and j == 0:
                continue
            self.content(part, self.part_path(n, path, j), level, n)

    def content(self, part: m.Part, path: str, level: int, owner: m.Node) -> None:
        what = part.what
        if what == "text":
            for p in self.paragraphs(part.text, f"{path}.text"):
                self.add(Paragraph(p), f"{path}.text")
        elif what == "block":
            self.block(part.block, part.params, path, level)
        elif what == "indicators":
            self.indicators(part.indicators, part.layout, part.lead, part.tail, f"{path}.indicators", level,
                            self.style(part.numbering if part.numbering is not None else owner.numbering))
        elif what == "schedule":
            self.schedule(part.schedule, part.layout, f"{path}.schedule", level,
                          part.numbering if part.numbering is not None else owner.numbering,
                          part.lead, part.tail)
        elif what == "responsibilities":
            self.responsibilities(part.responsibilities, part.layout, f"{path}.responsibilities",
                                  level)
        elif what == "table":
            self.table(part.table, f"{path}.table")
        elif what == "actions":
            self.actions(part.actions, part.layout, f"{path}.actions", level,
                         self.style(part.numbering if part.numbering is not None else owner.numbering))
        elif what == "budget":
            self.budget(part.budget, f"{path}.budget")
        else:  # items
            style = self.style(part.numbering if part.numbering is not None else owner.numbering)
            self.items(part.items, f"{path}.items", level, style)

    def block_title(self, key: str) -> str:
        titles = self.env.block(key).title
        if self.locale == "zh-Hant" and "zh-Hant" not in titles and "zh" in titles:
            from .hant import to_traditional
            return to_traditional(titles["zh"])
        return titles.get(self.locale, "")

    def items(self, nodes: list[m.Node], path: str, level: int, style: str | None) -> None:
        as_headings = headings_among(nodes)
        blocks, node = self.blocks, self.node
        for i, child in enumerate(nodes):
            start = len(blocks)  # as attempt() does, without a call per item
            try:
                node(child, f"{path}[{i}]", level + 1, as_headings, style)
            except PlanError as e:
                del blocks[start:], self.origins[start:]
                self.errors.extend(e.errors)

    def block(self, key: str, params: dict, path: str, level: int) -> None:
        if self.convert:
            params = {k: _traditional(v) for k, v in params.items()}
        try:
            out = self.env.render_block(key, self.locale, self.context, params)
        except PlanError as e:
            if e.file:
                raise
            # Parameter errors name their field relative to the block's node.
            raise PlanError(e.message, field=f"{path}.{e.field}" if e.field else f"{path}.block") from None
        try:
            pieces = parse_markup(out, self.locale)
        except ValueError as e:
            raise PlanError(f"block '{key}': {e}", field=f"{path}.block") from None
        for p in pieces:
            if p.depth == 0:
                self.add(Paragraph(p.text), f"{path}.block")
            elif level + p.depth > 5:
                raise PlanError(f"block '{key}' nests deeper than five levels here",
                                field=f"{path}.block")
            else:
                self.add(Item(level + p.depth, p.text, p.title), f"{path}.block")

    # -- quantities and indicators -------------------------------------------
    def attachments(self, items: list[m.Text], path: str) -> Attachments:
        """附件：1. … / Attachments: 1. … (Attachment: … when there is one)."""
        return Attachments(self.label("attachment" if len(items) == 1 else "attachments"),
                           tuple(self.text(t, f"{path}[{i}]") for i, t in enumerate(items)))

    def label(self, name: str) -> str:
        return self.part("phrases/labels.j2", name) or name

    def quantity(self, value: float, unit: Any) -> str:
        """A value with its unit, as officials write it: 3万人 · 300万元 · 95% / 30,000 people."""
        if isinstance(unit, m.Text):  # a unit of the plan's own, in this language
            unit = self.text(unit, "unit")
        return self.env.quantity(self.locale, value, unit)

    def by(self, when: Any) -> By:
        """When a milestone is to be met: its year, and its month if it names one."""
        span = self.plan.meta.span
        first, last = when.span(span if span is not None else when.start.year or 2000)
        return By(last.year, 0 if when.start.kind == "year" else last.month)

    def indicator_context(self, ind: m.Indicator, path: str) -> dict[str, Any]:
        """What the indicator phrase templates need to word ``ind``."""
        unit = self.text(ind.unit, f"{path}.unit") if isinstance(ind.unit, m.Text) else ind.unit
        b = ind.baseline
        year = None if b is None or b.year is None or (self.year is not None and b.year == self.year - 1) \
            else b.year
        return self.env.indicator_context(
            self.locale, self.text(ind.name, f"{path}.name"), ind.comparator, ind.value, unit,
            None if b is None else b.value, year,
            [(self.by(t.by), t.comparator, t.value) for t in ind.targets])

    def indicator_contexts(self, inds: list[m.Indicator], path: str,
                           phrases: bool = False) -> list[dict[str, Any]]:
        """Each indicator's context with its target worded (and, with ``phrases``, the
        whole phrase: 参合率达到95%以上)."""
        ctxs = [self.indicator_context(ind, f"{path}[{i}]") for i, ind in enumerate(inds)]
        for c in ctxs:
            c["target"] = self.render("phrases/target.j2", **c)
            if phrases:
                c["phrase"] = self.render("phrases/indicator.j2", **c)
        return ctxs

    def indicator_paragraph(self, inds: list[m.Indicator], lead: Any, tail: Any, path: str) -> str:
        """Indicators as one sentence, with the words that open and close it."""
        ctxs = self.indicator_contexts(inds, path, phrases=True)
        return self.indicator_sentence(ctxs, self.text(lead, f"{path}.lead"),
                                       self.text(tail, f"{path}.tail"))

    def indicators(self, inds: list[m.Indicator], layout: str, lead: Any, tail: Any, path: str,
                   level: int, style: str | None) -> None:
        if not inds:
            return
        if layout == "sentence":
            self.add(Paragraph(self.indicator_paragraph(inds, lead, tail, path)), path)
            return
        ctxs = self.indicator_contexts(inds, path, phrases=layout != "table")
        if layout == "table":
            with_baseline = any(c["baseline"] is not None for c in ctxs)
            header = (self.label("indicator_name"), self.label("indicator_target"))
            if with_baseline:
                header += (self.label("indicator_baseline"),)
            cells = []
            for c in ctxs:
                row = (self.render("phrases/indicator_name.j2", name=c["name"]), c["target"])
                if with_baseline:
                    row += (c["baseline_quantity"] or "",)
                cells.append(row)
            self.add(Table(header, tuple(cells)), path)
            return
        for j, c in enumerate(ctxs):
            self.add(Item(level + 1, self.render("phrases/indicator_item.j2", **c), "", style),
                     f"{path}[{j}]")

    def indicator_sentence(self, ctxs: list[dict[str, Any]], lead: str, tail: str = "") -> str:
        """A group of indicators as one sentence: 均 when they share one target, 分别 when they
        share a comparator and unit, else one clause each; ``tail`` goes on after the targets
        (a clause of its own after a comma, or an English phrase after a space) to the stop."""
        first = ctxs[0]
        plain = not any(c["targets"] or c["baseline"] is not None for c in ctxs)
        if all(c["comparator"] == "eliminate" for c in ctxs):
            mode = "eliminate"
        elif plain and len(ctxs) > 1 and len({(c["comparator"], c["quantity"]) for c in ctxs}) == 1:
            mode = "same"
        elif plain and len(ctxs) > 1 and len({c["comparator"] for c in ctxs}) == 1 \
                and first["comparator"] != "eliminate" \
                and len({self._unit_of(c) for c in ctxs}) == 1:
            mode = "respectively"
        else:
            mode = "mixed"
        quantities = [c["points"] if c["comparator"] in m.POINTS else c["quantity"] for c in ctxs]
        names = [c["name"] for c in ctxs]
        if mode in ("same", "respectively") and self.locale != "en":
            names = _shared_ending(names)
        how = formatting.imperative(lead, self.locale)
        if how is not None and (mode == "eliminate" or any(c["targets"] for c in ctxs)
                                or (how != "to" and any(c["comparator"] in _CHANGES for c in ctxs))):
            how = None  # no instruction form for these: the sentence says "should"
        return self.render("phrases/indicator_sentence.j2", items=ctxs, mode=mode, lead=lead,
                           names=names, quantities=quantities,
                           close=formatting.sentence_close(tail, self.locale), imperative=how)

    @staticmethod
    def _unit_of(c: dict[str, Any]) -> str:
        # The quantity with its number taken out: what the values of a 分别 list share.
        return re.sub(r"[\d.,]+", "#", c["quantity"])

    # -- schedules -----------------------------------------------------------
    def when(self, w: When) -> str:
        """A schedule time in words: 6月底前 / by the end of June (remembered by value)."""
        span = self.plan.meta.span
        return self.env.remembered("phrases/when.j2", self.locale, (w, span, self.context_key),
                                   lambda: self._when(w, span))

    @property
    def context_key(self) -> tuple:
        """The plan-wide template context as a key of what is remembered by value."""
        key = self.__dict__.get("_context_key")
        if key is None:
            key = self.__dict__["_context_key"] = tuple(self.context.items())
        return key

    def _when(self, w: When, span: Any) -> str:
        if span is None:  # a plan without a year: every time names its own year
            years = [p.year for p in (w.start, w.end) if p is not None]
            if any(y is None for y in years):
                raise PlanError(f"'{w}' has no year, and the plan has none either; write the year "
                                "(2025-06) or give the plan one (meta.year)")
            span = (dt.date(min(years), 1, 1), dt.date(max(years), 12, 31))
            many_years = True
        else:
            many_years = span[0].year != span[1].year
        # Years are shown when they are not obvious: the plan spans several years,
        # or the entry names a year other than the plan's.

        def point(p: Point, after=None) -> TimePoint:
            year = year_of(p, span, after)
            return TimePoint(p.kind, p.number, year, p.month if p.kind == "date" else p.number,
                             p.number, many_years or year != self.year, p.time)
        try:
            first, last = w.span(span)
        except ValueError as e:  # 02-29 in a year without one
            raise PlanError(f"'{w}': {e}") from None
        start = point(w.start)
        end = point(w.end, first) if w.end else None
        if end and end.year != start.year:  # a range across a year end names both years
            start, end = start._replace(year_shown=True), end._replace(year_shown=True)
        return self.render("phrases/when.j2", start=start, end=end, deadline=w.deadline,
                           opening=w.opening, until=w.until, last_month=last.month)

    def entry_when(self, e: m.ScheduleEntry, path: str) -> str:
        """A schedule entry's time in words; a time that cannot be said is located at
        ``path``.when."""
        try:
            return self.when(e.when)
        except PlanError as err:
            raise PlanError(err.message, field=err.field or f"{path}.when") from None

    def schedule(self, entries: list[m.ScheduleEntry], layout: str, path: str, level: int,
                 numbering: Any, lead: Any = None, tail: Any = None) -> None:
        if not entries:
            return
        if layout == "sentence":
            self.add(Paragraph(self.schedule_sentence(entries, path, lead, tail)), path)
            return
        phased = layout == "phases" or (layout == "auto" and any(e.phase is not None or e.items
                                                                 for e in entries))
        if phased:
            self.phases(entries, path, level, numbering)
            return
        rows = []
        for i, e in enumerate(entries):
            rows.append((self.entry_when(e, f"{path}[{i}]"), self.text(e.what, f"{path}[{i}].what"),
                         self.text(e.owner, f"{path}[{i}].owner")))
        fields = ("when", "what", "owner")
        if not any(r[2] for r in rows):  # an owner column only where some entry has an owner
            rows, fields = [r[:2] for r in rows], fields[:2]
        self.rows(rows, "schedule", fields, layout, level, origin=path)

    def phases(self, entries: list[m.ScheduleEntry], path: str, level: int, numbering: Any) -> None:
        """A schedule as numbered phases: 第一阶段（3月—4月）：动员部署, then what and the items."""
        style = self.style(numbering) or style_for("第一阶段", self.locale)
        as_headings = any(e.items for e in entries)
        for i, e in enumerate(entries):
            here = f"{path}[{i}]"
            when = self.entry_when(e, here)
            heading = self.render("phrases/phase.j2", when=when,
                                  name=self.text(e.phase, f"{here}.phase") if e.phase else "")
            what = self.paragraphs(e.what, f"{here}.what")
            if as_headings:
                self.add(Heading(level + 1, heading, style), f"{here}.phase")
                for p in what:
                    self.add(Paragraph(p), f"{here}.what")
                self.items(e.items, f"{here}.items", level + 1, None)
            else:
                self.add(Item(level + 1, what[0] if what else "", heading, style), f"{here}.phase")
                for p in what[1:]:
                    self.add(Paragraph(p), f"{here}.what")

    def responsibilities(self, entries: list[m.Responsibility], layout: str, path: str,
                         level: int) -> None:
        rows = [(self.text(r.owner, f"{path}[{i}].owner"), self.text(r.duties, f"{path}[{i}].duties"))
                for i, r in enumerate(entries)]
        self.rows(rows, "responsibility", ("owner", "duties"), layout, level, origin=path)

    def rows(self, rows: list[tuple[str, ...]], kind: str, fields: tuple[str, ...], layout: str,
             level: int, origin: str) -> None:
        """Data rows as a table (the default) or, with ``layout: list``, as numbered sentences
        worded by ``phrases/<kind>.j2``."""
        if not rows:
            return
        if layout == "list":
            for i, r in enumerate(rows):
                values = dict(zip(fields, r))
                values.setdefault("owner", "")
                self.add(Item(level + 1, self.render(f"phrases/{kind}.j2", **values)), f"{origin}[{i}]")
            return
        header = tuple(self.label(f"{kind}_{f}") for f in fields)
        self.add(Table(header, tuple(rows)), origin)

    # -- tables, budgets and actions -------------------------------------------
    def cell(self, value: Any, path: str) -> str:
        if isinstance(value, m.Text):
            return self.text(value, path)
        return self.fmt.number(value)

    def table(self, t: m.TableData, path: str) -> None:
        header = tuple(self.text(h, f"{path}.header[{i}]") for i, h in enumerate(t.header))
        rows = tuple(tuple(self.cell(c, f"{path}.rows[{i}][{j}]") for j, c in enumerate(row))
                     for i, row in enumerate(t.rows))
        notes = tuple(self.texts(t.notes, f"{path}.notes"))
        self.add(Table(header, rows, self.text(t.caption, f"{path}.caption"),
                       notes=tuple(self._note(n) for n in notes)), path)

    def _note(self, text: str) -> str:
        return self.render("phrases/note.j2", note=text)

    def budget(self, b: m.Budget, path: str) -> None:
        unit = b.unit if b.unit is not None else self.plan.meta.currency
        with_notes = any(line.note is not None for line in b.lines)
        # A heading that names the unit (金额（万元）) leaves the cells bare numbers.
        named = self.part("phrases/labels.j2", "budget_amount_in", unit=unit) \
            if isinstance(unit, str) else None
        header = (self.label("budget_item"), named or self.label("budget_amount"))
        if with_notes:
            header += (self.label("budget_note"),)

        def amount(value: float) -> str:
            return self.fmt.number(value) if named else self.quantity(value, unit)
        rows = []
        for i, line in enumerate(b.lines):
            row = (self.text(line.item, f"{path}.lines[{i}].item"), amount(line.amount))
            if with_notes:
                row += (self.text(line.note, f"{path}.lines[{i}].note"),)
            rows.append(row)
        total = sum(line.amount for line in b.lines)
        footer = (self.label("budget_total"), amount(total)) + (("",) if with_notes else ())
        self.add(Table(header, tuple(rows), self.text(b.caption, f"{path}.caption"), total=footer), path)

    def action_amount(self, a: Any) -> str:
        unit = a.unit if a.unit is not None else self.plan.meta.currency
        return self.quantity(a.amount, unit)

    def kpis(self, action: m.Action, path: str) -> list[str]:
        out = [self.render("phrases/kpi.j2", text=self.text(k.text, f"{path}.kpis[{i}].text"),
                           when=self.when(_deadline(k.by)) if k.by is not None else "")
               for i, k in enumerate(action.kpis)]
        if self.locale == "en":  # one line, the measures after the first in lower case: a; b
            out[1:] = [continuing(k) for k in out[1:]]
        return out

    def actions(self, actions: list[m.Action], layout: str, path: str, level: int,
                style: str | None) -> None:
        """Actions as compact blocks (title, then labelled lines), or with ``layout: table`` as
        one task breakdown table (任务分解表)."""
        if not actions:
            return
        joiner = "；" if self.locale.startswith("zh") else "; "
        rows = []
        for i, a in enumerate(actions):
            here = f"{path}[{i}]"
            rows.append({
                "title": self.text(a.title, f"{here}.title"),
                "text": self.paragraphs(a.text, f"{here}.text"),
                "owner": self.text(a.owner, f"{here}.owner"),
                "timeline": self.when(a.timeline) if a.timeline is not None else "",
                "budget": self.action_amount(a.budget) if a.budget is not None else "",
                "kpis": self.kpis(a, here),
                "outcome": self.text(a.outcome, f"{here}.outcome"),
            })
        if layout == "table":
            fields = [f for f in ("owner", "timeline", "budget", "kpis", "outcome")
                      if any(r[f] for r in rows)]
            header = (self.label("action_number"), self.label("action_title")) + \
                tuple(self.label(f"action_{f}") for f in fields)
            cells = tuple((str(i + 1), r["title"]) + tuple(
                joiner.join(r[f]) if f == "kpis" else r[f] for f in fields)
                for i, r in enumerate(rows))
            self.add(Table(header, cells), path)
            return
        for i, r in enumerate(rows):
            here = f"{path}[{i}]"
            self.add(Heading(level + 1, r["title"], style), f"{here}.title")
            for p in r["text"]:
                self.add(Paragraph(p), f"{here}.text")
            pairs = tuple((self.label(f"action_{f}"), joiner.join(r[f]) if f == "kpis" else r[f])
                          for f in ("owner", "timeline", "budget", "kpis", "outcome") if r[f])
            if pairs:
                self.add(Fields(pairs), here)


def compose(plan: m.Plan, env: Any, locale: str | None = None,
            errors: list[PlanError] | None = None) -> Document:
    """Expand ``plan`` in ``locale`` (default: its first language) into a Document.

    Errors are raised as :class:`PlanError` located by the plan's source file and line
    when it was loaded from YAML; a plan with several errors raises them all at once
    (:class:`~planwriter.errors.PlanErrors`). With ``errors`` given, they are appended to
    it instead, and the document holds every part that composed.
    """
    locale = locale or plan.meta.locales[0]
    source = plan.source

    def located(e: PlanError) -> PlanError:
        return source.error(e.message, e.field) if source is not None and not e.file else e

    try:
        if locale not in plan.meta.locales and not (locale == "zh-Hant" and "zh" in plan.meta.locales):
            raise PlanError(f"the plan has no '{locale}' version (its languages: "
                            f"{', '.join(plan.meta.locales)})", field="meta.locales")
        composer = Composer(plan, env, locale)
        doc = composer.document()
    except PlanError as e:
        found = [located(x) for x in e.errors]
        if errors is None:
            raise found[0] if len(found) == 1 else PlanErrors(found) from None
        errors.extend(found)
        return Document(locale, "", ())
    found = [located(x) for x in composer.errors]
    if errors is not None:
        errors.extend(found)
    elif found:
        raise found[0] if len(found) == 1 else PlanErrors(found)
    return doc
