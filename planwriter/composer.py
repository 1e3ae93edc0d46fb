"""Composition: a Plan, through the template library, into a document tree.

This is the only place that knows both what a plan is and what a document is.
Wording comes from templates; numbering, fonts and layout are left to writers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from . import model as m
from .errors import PlanError, PlanErrors
from .formatting import Formatter
from .schedule import Point, When, year_of
from .tree import Block, Document, Heading, Item, Paragraph, Signature, Table

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
    joiner = "" if locale == "zh" else " "
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


def _has_children(n: m.Node) -> bool:
    return bool(n.items or n.indicators or n.schedule or n.responsibilities or n.block)


def headings_among(siblings: list[m.Node]) -> bool:
    """Whether sibling items are laid out as headings: all of them when any has sub-items,
    data or a block, otherwise none (each is a numbered paragraph), so that items at one
    level look alike."""
    return any(_has_children(n) for n in siblings)


class Composer:
    """Expands one plan in one language into document blocks."""

    def __init__(self, plan: m.Plan, env: Any, locale: str) -> None:
        self.plan, self.env, self.locale = plan, env, locale
        self.blocks: list[Block] = []
        #: The field path each block was made from (parallel to ``blocks``).
        self.origins: list[str] = []
        #: Errors met so far; a failing section or item is left out and the rest composed.
        self.errors: list[PlanError] = []
        meta = plan.meta
        start, end = meta.span
        whole_year = meta.period is None or (
            start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31))
        self.year = meta.plan_year
        self.context: dict[str, Any] = {
            "org": self.text(meta.organisation, "meta.organisation"),
            "org_type": meta.org_type,
            "year": self.year,
            "superior": self.text(meta.superior, "meta.superior") if meta.superior else "",
            "period": "" if whole_year else env.render("frame/period.j2", locale, start=start, end=end),
        }

    # -- helpers -----------------------------------------------------------
    def text(self, text: m.Text | None, path: str) -> str:
        if text is None:
            return ""
        try:
            return text.get(self.locale)
        except KeyError:
            raise PlanError(f"has no '{self.locale}' text", field=path) from None

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

    def part(self, name: str, part: str) -> str | None:
        return self.env.render_part(name, part, self.locale, **self.context)

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
        for i, section in enumerate(self.plan.sections):
            self.attempt(self.section, section, f"sections[{i}]")
        issuer = self.text(meta.issuer, "meta.issuer") if meta.issuer else self.context["org"]
        if meta.date is not None:
            self.add(Signature(issuer, Formatter(self.locale).date(meta.date)),
                     "meta.issuer" if meta.issuer else "meta.organisation")
        return Document(self.locale, title, tuple(self.blocks), tuple(self.origins))

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
        self.add(Heading(1, title), f"{path}.title" if s.title is not None else f"{path}.kind")
        self.body(s, path, level=1)

    def node(self, n: m.Node, path: str, level: int, heading: bool) -> None:
        """An item: a heading (with ``heading``, see :func:`headings_among`) or one numbered
        paragraph."""
        title = self.text(n.title, f"{path}.title") if n.title is not None else ""
        if n.block and not title:
            title = self.env.block(n.block).title.get(self.locale, "")
        if not heading:
            paras = self.paragraphs(n.text, f"{path}.text")
            if not paras and not title:
                raise PlanError("an item needs a title, a text or a block", field=path)
            self.add(Item(level, paras[0] if paras else "", title), path)
            for p in paras[1:]:
                self.add(Paragraph(p), f"{path}.text")
            return
        if title:
            self.add(Heading(level, title), f"{path}.title" if n.title is not None else f"{path}.block")
            self.body(n, path, level)
            return
        # No title: the first paragraph carries the number, the rest follow it.
        paras = self.paragraphs(n.text, f"{path}.text")
        if not paras:
            raise PlanError("an item with sub-items or data needs a title or a text" if _has_children(n)
                            else "an item needs a title, a text or a block", field=path)
        self.add(Item(level, paras[0]), f"{path}.text")
        for p in paras[1:]:
            self.add(Paragraph(p), f"{path}.text")
        self.body(n, path, level, with_text=False)

    def body(self, n: m.Node, path: str, level: int, with_text: bool = True) -> None:
        """Everything under a heading at ``level``: text, block, data, then items."""
        if with_text:
            for p in self.paragraphs(n.text, f"{path}.text"):
                self.add(Paragraph(p), f"{path}.text")
        if n.block:
            self.block(n, path, level)
        self.indicators(n, path, level)
        self.schedule(n, path, level)
        self.responsibilities(n, path, level)
        as_headings = headings_among(n.items)
        for i, child in enumerate(n.items):
            self.attempt(self.node, child, f"{path}.items[{i}]", level + 1, as_headings)

    def block(self, n: m.Node, path: str, level: int) -> None:
        try:
            out = self.env.render_block(n.block, self.locale, self.context, n.params)
        except PlanError as e:
            if e.file:
                raise
            # Parameter errors name their field relative to the block's node.
            raise PlanError(e.message, field=f"{path}.{e.field}" if e.field else f"{path}.block") from None
        try:
            pieces = parse_markup(out, self.locale)
        except ValueError as e:
            raise PlanError(f"block '{n.block}': {e}", field=f"{path}.block") from None
        for p in pieces:
            if p.depth == 0:
                self.add(Paragraph(p.text), f"{path}.block")
            elif level + p.depth > 5:
                raise PlanError(f"block '{n.block}' nests deeper than five levels here",
                                field=f"{path}.block")
            else:
                self.add(Item(level + p.depth, p.text, p.title), f"{path}.block")

    # -- data --------------------------------------------------------------
    def label(self, name: str) -> str:
        return self.part("phrases/labels.j2", name) or name

    def indicators(self, n: m.Node, path: str, level: int) -> None:
        if not n.indicators:
            return
        rows = []
        for i, ind in enumerate(n.indicators):
            name = self.text(ind.name, f"{path}.indicators[{i}].name")
            quantity = self.env.quantity(self.locale, ind.value, ind.unit)
            target = self.render("phrases/target.j2", comparator=ind.comparator, quantity=quantity)
            rows.append((ind, name, target))
        if n.layout == "table":
            with_baseline = any(ind.baseline is not None for ind, _, _ in rows)
            header = (self.label("indicator_name"), self.label("indicator_target"))
            if with_baseline:
                header += (self.label("indicator_baseline"),)
            cells = []
            for ind, name, target in rows:
                row = (self.render("phrases/indicator_name.j2", name=name), target)
                if with_baseline:
                    row += ("" if ind.baseline is None
                            else self.env.quantity(self.locale, ind.baseline, ind.unit),)
                cells.append(row)
            self.add(Table(header, tuple(cells), widths=(3, 2, 1.5)[:len(header)]),
                     f"{path}.indicators")
            return
        for j, (ind, name, target) in enumerate(rows):
            phrase = self.env.indicator_phrase(self.locale, name, ind.comparator, ind.value,
                                               ind.unit, ind.baseline)
            baseline = None if ind.baseline is None else self.env.quantity(self.locale, ind.baseline, ind.unit)
            self.add(Item(level + 1, self.render(
                "phrases/indicator_item.j2", name=name, target=target, phrase=phrase,
                baseline=baseline)), f"{path}.indicators[{j}]")

    def when(self, w: When) -> str:
        period = self.plan.meta.span
        # Years are shown when they are not obvious: the plan spans several years,
        # or the entry names a year other than the plan's.
        many_years = period[0].year != period[1].year

        def point(p: Point, after=None) -> TimePoint:
            year = year_of(p, period, after)
            return TimePoint(p.kind, p.number, year, p.month if p.kind == "date" else p.number,
                             p.number, many_years or year != self.year)
        first, last = w.span(period)
        start = point(w.start)
        end = point(w.end, first) if w.end else None
        if end and end.year != start.year:  # a range across a year end names both years
            start, end = start._replace(year_shown=True), end._replace(year_shown=True)
        return self.render("phrases/when.j2", start=start, end=end,
                           deadline=w.deadline, last_month=last.month)

    def schedule(self, n: m.Node, path: str, level: int) -> None:
        rows = [(self.when(e.when), self.text(e.what, f"{path}.schedule[{i}].what"),
                 self.text(e.owner, f"{path}.schedule[{i}].owner"))
                for i, e in enumerate(n.schedule)]
        self.rows(rows, "schedule", ("when", "what", "owner"), n.layout, level, widths=(1.2, 4, 1.6),
                  origin=f"{path}.schedule")

    def responsibilities(self, n: m.Node, path: str, level: int) -> None:
        rows = [(self.text(r.owner, f"{path}.responsibilities[{i}].owner"),
                 self.text(r.duties, f"{path}.responsibilities[{i}].duties"))
                for i, r in enumerate(n.responsibilities)]
        self.rows(rows, "responsibility", ("owner", "duties"), n.layout, level, widths=(1.5, 5),
                  origin=f"{path}.responsibilities")

    def rows(self, rows: list[tuple[str, ...]], kind: str, fields: tuple[str, ...], layout: str,
             level: int, widths: tuple[float, ...], origin: str) -> None:
        """Data rows as a table (the default) or, with ``layout: list``, as numbered sentences
        worded by ``phrases/<kind>.j2``."""
        if not rows:
            return
        if layout == "list":
            for i, r in enumerate(rows):
                self.add(Item(level + 1, self.render(f"phrases/{kind}.j2", **dict(zip(fields, r)))),
                         f"{origin}[{i}]")
            return
        header = tuple(self.label(f"{kind}_{f}") for f in fields)
        self.add(Table(header, tuple(rows), widths=widths), origin)


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
        if locale not in plan.meta.locales:
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
