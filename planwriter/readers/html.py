"""HTML: a web page's blocks as lines, with the page part each sat in.

Blocks (``p``, ``div``, ``li``, headings, table rows …) become lines with their source line.
Each line carries the *zone* it sat in — navigation, header, footer, aside, breadcrumb,
share bar, related articles, comments, metadata — from the element (``<nav>``, ``<footer>``)
or its ``id`` and ``class`` (``breadcrumb``, ``share``, ``related``, ``copyright`` …), and
how much of its text was link text; the shared stage decides from that what is clutter.
Scripts, styles and forms are skipped.  The page is read in one pass (the standard
library's parser), so time grows with its size and nothing is kept but the text.
"""
from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from ..errors import PlanError
from . import clutter, markers
from .lines import Line

#: Pages larger than this are refused (a 50 MB page is mostly scripts, ads and markup).
MAX_HTML_BYTES = 64 << 20

_BLOCK = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "section",
          "article", "header", "footer", "nav", "aside", "main", "dd", "dt", "ul", "ol", "dl",
          "table", "tr", "td", "th", "caption", "figcaption", "address", "center", "form", "hr",
          "body", "title", "tbody", "thead", "tfoot"}
_TABLE_TAGS = {"table", "tr", "td", "th", "tbody", "thead", "tfoot", "caption"}
_SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "select", "button", "textarea",
         "object", "embed", "canvas", "map", "head"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "area", "base", "col", "source", "track", "param"}
_ZONE_TAGS = {"nav": "nav", "header": "header", "footer": "footer", "aside": "aside", "form": "nav"}
_ZONE_WORDS = [
    ("breadcrumb", r"bread|crumb|position|location|weizhi|dangqian|path"),
    ("share", r"share|social|fenxiang|bdshare|print|toolbar|tools?$"),
    ("related", r"related|recommend|tuijian|xiangguan|hot|rank|popular|more-?news|guess|read-?more|also"),
    ("comment", r"comment|reply|pinglun|discuss"),
    ("footer", r"footer|copyright|copy|bottom|foot"),
    ("nav", r"nav|menu|topbar|top-?bar|sidebar|side-?bar|^side|pagination|pager|login|search|^top$|^header$|^head$"),
    ("ad", r"^ad$|^ads|advert|banner|sponsor|guanggao"),
    ("infobox", r"infobox|basic-?info|baseinfo|lemma-?summary"),
    # news_info, newsinfo, art-info: the line of who posted it, when, and how often it was read
    ("meta", r"info$|article-?info|meta|publish|source|author|attr|byline|dateline|tags?$"),
]
_CONTENT_WORDS = re.compile(r"content|article|main|post|entry|detail|text|zhengwen|neirong|body", re.I)
_META_KEYS = re.compile(r"^(发布|發布|来源|來源|作者|编辑|編輯|日期|时间|時間|点击|點擊|点阅|點閱|浏览|瀏覽|阅读|閱讀|索引号|"
                        r"主题分类|主題分類|发文机关|成文日期|文号|字号|信息来源|责任编辑|单位|單位)")
_PRE_STYLE = re.compile(r"white-space\s*:\s*pre", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)


def _zone_of(tag: str, attrs: dict) -> str:
    zone = _ZONE_TAGS.get(tag, "")
    tokens = " ".join(filter(None, [attrs.get("id", ""), attrs.get("class", ""), attrs.get("role", "")])).lower()
    if attrs.get("role") == "navigation":
        return "nav"
    for word in tokens.replace("_", "-").split():
        if _CONTENT_WORDS.search(word) and not re.search(r"related|recommend|comment|hot", word):
            return ""
        for name, pattern in _ZONE_WORDS:
            if re.search(pattern, word):
                return name
    return zone


def _list_marker(lst: dict) -> str:
    """The marker a browser shows for the next item of an <ol> or <ul>."""
    n = lst["n"]
    if lst["tag"] == "ul" or n < 1:
        return "•"
    kind = lst["type"]
    if kind == "a" and n <= 26:
        return f"{chr(96 + n)})"
    if kind == "A" and n <= 26:
        return f"{chr(64 + n)}."
    if kind in ("i", "I") and n < 40:
        roman, rest = "", n
        for value, digits in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
            while rest >= value:
                roman, rest = roman + digits, rest - value
        return f"({roman})" if kind == "i" else f"{roman.upper()}."
    return f"{n}."


class _Table:
    """A table being read: its rows as cell texts, and the lines its cells' blocks made
    (a layout table is emitted as those lines; a data table as one table line)."""

    def __init__(self, zone: str) -> None:
        self.rows: list[list[str]] = []
        self.row_lines: list[int] = []
        self.row: list[str] | None = None
        self.in_cell = False
        self.cell_start = 0
        self.lines: list[Line] = []
        self.row_starts: list[int] = []  # where each row's lines start in ``lines``
        self.blocks = 0
        self.zone = zone


def _footer_rows(table: _Table) -> list[Line]:
    """A layout table's lines, those of a row that holds the site's copyright marked as its
    footer: the row under the page (address, telephone, 版權所有) is not the plan's last words."""
    lines = list(table.lines)
    starts = sorted(set(table.row_starts)) + [len(lines)]
    for a, b in zip(starts, starts[1:]):
        row = lines[a:b]
        if row and any(clutter.line_class(ln.text) == "copyright" for ln in row) \
                and all(len(ln.text) <= 120 and not markers.parse(ln.text) for ln in row):
            lines[a:b] = [ln if ln.zone else ln.but(zone="footer") for ln in row]
    return lines


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self.stack: list[tuple[str, str, bool, bool]] = []  # (tag, zone, skip, pre)
        self.buf: list[str] = []
        self.link_chars = 0
        self.bold_chars = 0
        self.lead: list[str] = []
        self.lead_open = True
        self.start_line = 0
        self.level: int | None = None
        self.align = ""
        self.in_a = 0
        self.in_b = 0
        self.tables: list[_Table] = []
        self.lists: list[dict] = []  # open <ol>/<ul>: their tag, count, type and list id
        self.list_count = 0
        self.pending: tuple[str, str, int] | None = None  # the marker of the <li> just opened
        self.in_li = 0
        self.pre = 0  # open <pre> (or white-space: pre) elements: their line ends are line breaks

    # -- state -----------------------------------------------------------------------
    def zone(self) -> str:
        for _, zone, _, _ in reversed(self.stack):
            if zone:
                return zone
        return ""

    def skipping(self) -> bool:
        return any(skip for _, _, skip, _ in self.stack)

    def out(self) -> list[Line]:
        """Where a finished line goes: the innermost table being read, or the page."""
        return self.tables[-1].lines if self.tables else self.lines

    def flush(self) -> None:
        text = "".join(self.buf)
        text = re.sub(r"[ \t\r\n\u00a0]+", " ", text).strip()
        if text:
            zone = self.zone()
            links = self.link_chars / max(1, len(text))
            lead = re.sub(r"\s+", " ", "".join(self.lead)).strip()
            bold = self.bold_chars >= len(text.replace(" ", "")) > 0
            style = f"h{self.level}" if self.level else ("li-p" if self.in_li else "p")
            marker, list_id, list_level = "", "", None
            if self.pending is not None:
                marker, list_id, list_level = self.pending
                self.pending = None
                style = "li"
                if marker == "•" and markers.parse(text) is not None:
                    marker = ""  # <li>（一）…: the author typed the numbers; the bullet is hidden
            self.out().append(Line(text, self.start_line or self.getpos()[0], level=self.level,
                                   style=style, bold=bold, marker=marker, list_id=list_id,
                                   list_level=list_level,
                                   lead=lead if lead and lead != text else "", align=self.align,
                                   zone=zone, links=round(links, 2), blank_before=True))
        self.buf, self.link_chars, self.bold_chars, self.lead = [], 0, 0, []
        self.lead_open = True
        self.start_line = 0

    # -- events ----------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag in _VOID:
            if tag == "br":
                self.flush()
            return
        skip = tag in _SKIP
        zone = _zone_of(tag, a)
        if tag in _BLOCK:
            self.flush()
            if self.tables and self.tables[-1].in_cell and tag not in _TABLE_TAGS:
                self.tables[-1].blocks += 1
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.level = int(tag[1])
            style = a.get("style", "").lower()
            align = a.get("align", "").lower()
            if "center" in style or align == "center":
                self.align = "center"
            elif "right" in style or align == "right":
                self.align = "right"
        if tag in ("ol", "ul"):
            if not self.lists:
                self.list_count += 1
            start = a.get("start", "1")
            self.lists.append({"tag": tag, "n": (int(start) if start.isdigit() else 1) - 1,
                               "type": a.get("type", "1"), "id": f"html{self.list_count}"})
        elif tag == "li":
            self.in_li += 1
            if self.lists:
                top = self.lists[-1]
                value = a.get("value", "")
                top["n"] = int(value) if value.isdigit() else top["n"] + 1
                self.pending = (_list_marker(top), top["id"], len(self.lists) - 1)
        table = self.tables[-1] if self.tables else None
        if tag == "table":
            if table is not None and table.in_cell:
                table.blocks += 1
            self.tables.append(_Table(self.zone() or zone))
        elif tag == "tr" and table is not None:
            table.row = []
            table.row_lines.append(self.getpos()[0])
            table.row_starts.append(len(table.lines))
        elif tag in ("td", "th") and table is not None:
            if table.row is None:
                table.row = []
                table.row_lines.append(self.getpos()[0])
            table.in_cell = True
            table.cell_start = len(table.lines)
        if tag == "a":
            self.in_a += 1
        if tag in ("b", "strong"):
            self.in_b += 1
        pre = tag == "pre" or bool(_PRE_STYLE.search(a.get("style", "")))
        self.pre += pre
        self.stack.append((tag, zone, skip, pre))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        # close up to the matching open tag (HTML in the wild leaves tags open)
        idx = next((i for i in range(len(self.stack) - 1, -1, -1) if self.stack[i][0] == tag), None)
        if idx is None:
            return
        for t, _, _, pre in reversed(self.stack[idx:]):
            self._close(t)
            self.stack.pop()
            self.pre -= pre

    def _close(self, tag: str) -> None:
        if tag == "a":
            self.in_a = max(0, self.in_a - 1)
        elif tag in ("b", "strong"):
            self.in_b = max(0, self.in_b - 1)
            if not self.in_b:
                self.lead_open = False
        table = self.tables[-1] if self.tables else None
        if tag in _BLOCK:
            self.flush()
        if tag in ("td", "th") and table is not None and table.in_cell and table.row is not None:
            table.row.append(" ".join(ln.text for ln in table.lines[table.cell_start:]).strip())
            table.in_cell = False
        elif tag == "tr" and table is not None and table.row is not None:
            if any(table.row):
                table.rows.append(table.row)
            else:
                table.row_lines.pop()
            table.row = None
        elif tag == "table" and table is not None:
            self.tables.pop()
            self._emit_table(table)
        elif tag in ("ol", "ul") and self.lists:
            self.lists.pop()
        elif tag == "li":
            self.in_li = max(0, self.in_li - 1)
            self.pending = None
        if tag in _BLOCK:
            if tag.startswith("h") and len(tag) == 2:
                self.level = None
            if tag in ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "center", "li"):
                self.align = ""

    def _emit_table(self, table: _Table) -> None:
        """A finished table: its cells' lines when it lays out the page, its rows as one
        table line when it holds data, key: value lines when it is a page's metadata."""
        if table.row is not None and any(table.row):
            table.rows.append(table.row)
        rows, at = table.rows, table.row_lines[: len(table.rows)]
        out = self.out()
        if not rows:
            out.extend(table.lines)
            return
        width = max(len(r) for r in rows)
        layout = table.blocks > len(rows) or any(len(c) > 200 for r in rows for c in r) or width == 1
        keyvalue = width == 2 and all(_META_KEYS.match(r[0]) for r in rows if r and r[0])
        if layout:
            out.extend(_footer_rows(table))
            return
        if keyvalue:
            for row, line in zip(rows, at):
                text = "：".join(c for c in row if c)
                if text:
                    out.append(Line(text, line, zone=table.zone or "meta", blank_before=True))
            return
        rows = [r + [""] * (width - len(r)) for r in rows]
        out.append(Line(" ".join(" ".join(r) for r in rows), at[0], at[-1], table=rows,
                        row_lines=at, zone=table.zone, blank_before=True))

    def handle_data(self, data: str) -> None:
        if self.skipping():
            return
        if self.stack and self.stack[-1][0] == "title" or any(t == "title" for t, _, _, _ in self.stack):
            text = data.strip()
            if text:
                self.lines.append(Line(text, self.getpos()[0], zone="title", style="title"))
            return
        if self.pre and "\n" in data:
            # preformatted text (a plan pasted into a <pre>): each of its lines is a line
            first = self.getpos()[0]
            for i, piece in enumerate(data.split("\n")):
                if i:
                    self.flush()
                if piece.strip():
                    self._data(piece, first + i)
            return
        self._data(data, self.getpos()[0])

    def _data(self, data: str, line: int) -> None:
        if not self.buf or not "".join(self.buf).strip():
            if data.strip():
                self.start_line = line + (data[:len(data) - len(data.lstrip())].count("\n"))
        self.buf.append(data)
        visible = len(data.replace(" ", "").replace("\n", "").replace("\t", ""))
        if self.in_a:
            self.link_chars += visible
        if self.in_b:
            self.bold_chars += visible
            if self.lead_open:
                self.lead.append(data)
        elif data.strip():
            self.lead_open = False

    def close(self) -> None:
        super().close()
        self.flush()
        while self.tables:
            self._emit_table(self.tables.pop())


def decode_html(data: bytes, name: str, warn=None) -> str:
    """The text of an HTML page: its byte-order mark or ``<meta charset>``, else detected."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    m = _CHARSET.search(data[:4096])
    if m:
        enc = m.group(1).decode("ascii", "replace").lower()
        enc = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}.get(enc, enc)
        try:
            codecs.lookup(enc)
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass  # the page lies about its encoding: detect it
    from .decode import decode
    return decode(data, name, warn)[0]


def lines_of(data: bytes | str, name: str = "<input>", warn=None) -> list[Line]:
    """The blocks of an HTML page as lines with hints (see the module docstring)."""
    if isinstance(data, bytes):
        if len(data) > MAX_HTML_BYTES:
            raise PlanError(f"page is {len(data):,} bytes; an import takes pages of at most "
                            f"{MAX_HTML_BYTES:,} bytes", name)
        text = decode_html(data, name, warn)
    else:
        text = data
    reader = _Reader()
    step = 1 << 16
    try:
        for i in range(0, len(text), step):
            reader.feed(text[i:i + step])
        reader.close()
    except (AssertionError, ValueError) as e:  # the standard parser gives up on some garbage
        raise PlanError(f"cannot read the page as HTML: {e}", name) from None
    return reader.lines
