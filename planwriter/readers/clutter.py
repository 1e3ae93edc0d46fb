"""What is not the plan: site furniture copied along with it.

Each line of an input gets a clutter class or none.  The classes are what people copy
from web pages, PDFs and sample sites along with a plan: site navigation and breadcrumbs,
page metadata (来源, 阅读: 6.46K 次, 索引号 / 发布机构 blocks), share and print links,
recommendations and related-article lists, the site's abstract of the article, copyright
and paywall footers, encyclopedia infoboxes, script remnants, page numbers and running
heads (a title repeated at the top of every page).  A class comes from the line itself,
from the page part an HTML element sat in, or from its neighbours (the lines after a
"related articles" header).  Nothing is dropped silently: the caller reports every line.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

from . import dates, markers
from .lines import Line

#: Clutter classes, as reports name them.
CLASSES = {
    "navigation": "site navigation", "breadcrumb": "breadcrumb",
    "metadata": "page metadata", "share": "share or print links",
    "recommendation": "recommended or related articles", "abstract": "the site's abstract",
    "copyright": "copyright or paywall footer", "script": "script or style code",
    "running_head": "a title repeated as a running head", "page_number": "page number",
    "infobox": "encyclopedia infobox", "collection": "the collection's own title",
    "toc": "table of contents",
}
_TOC_HEAD = re.compile(r"^(contents|table of contents|目\s*录|目\s*錄|本页目录|本文目录)\s*[:：]?$", re.I)
_TOC_LINE = re.compile(r"(\.{3,}|…{2,}|·{3,}|\t)\s*\d{1,3}$")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


_P = {
    "breadcrumb": re.compile(
        r"^(当前位置|您的位置|你的位置|你现在的位置|您现在的位置|所在位置|位置)\s*[:：]"
        r"|^(首页|首頁|主页|home)\s*(>|»|›|/|＞|→)"
        r"|^[^，,。；;！!？?>»›＞→]{1,25}(\s*(>|»|›|＞|→)\s*[^，,。；;！!？?>»›＞→]{1,40}){2,}$"
        r"|^[\w\s]{2,30}\s+>\s+[\w\s]{2,40}$", re.I),
    "navigation": re.compile(
        r"^(手机版|电脑版|返回顶部|回到顶部|返回首页|网站首页|网站地图|登录|注册|登录\s*\|\s*注册|"
        r"上一篇|下一篇|上一页|下一页|搜索)\s*[:：]?"
        r"|^(previous|next|skip to (main )?content|menu|search|back to top|return to top|top of page|"
        r"previous (article|post|page)|next (article|post|page))\s*([:：].{0,80})?$"
        r"|^(\S{1,8}\s*[|｜]\s*){2,}\S{1,8}$|^(首页|首頁)\s+\S{2,6}\s+\S{2,6}", re.I),
    "metadata": re.compile(
        r"(来源|來源|作者|编辑|編輯|责任编辑|责编|发布时间|發布時間|发布日期|發布日期|更新时间|更新日期|"
        r"时间|時間|日期)\s*[:：].{0,40}(阅读|閱讀|浏览|瀏覽|点击|點擊|人气|次|投稿|\d{1,2}:\d{2})"
        r"|(阅读|閱讀|浏览|瀏覽|点击|點擊|点阅|點閱|访问|訪問|人气|人氣)(量|数|數|次数|次數|人次)?\s*[:：]?\s*[\d.,]+\s*[kKwW万萬]?\s*次?\s*$"
        r"|^(阅读|閱讀|浏览|瀏覽|点击|點擊|点阅次数|點閱次數)\s*[:：]\s*[\d.,]+\s*[kKwW万萬]?"
        r"|我要投稿|字号\s*[:：]?\s*[【\[]?\s*大\s*中\s*小|【?\s*字体\s*[:：]\s*大\s*中\s*小"
        r"|^(索引号|索\s*引\s*号|主题分类|主題分類|发布机构|發布機構|发文机关|成文日期|公文种类|"
        r"信息分类|组配分类|体裁分类|有效性|文\s*号|发布单位|發布單位|标签|標籤|关键词|關鍵詞|"
        r"公告单位|公告單位|公告日期|公告时间|公告時間|公告人|发布者|發布者|發佈單位|發佈日期|發佈時間|"
        r"更新日期|更新時間|更新时间|人气|人氣|点阅次数|點閱次數|浏览次数|瀏覽次數|"
        r"tags?|posted (on|by)|published)\s*[:：]"
        r"|^(发布|發布)(机构|單位|单位|日期|时间)\s*$", re.I),
    "share": re.compile(
        r"^(分享到|分享至|分享|转发到|一键分享|share( this( page| article| post)?)?|share on)\s*[:：]|微信扫一扫|扫一扫在手机|扫描二维码"
        r"|【\s*(打印|打印本页|关闭|關閉|关闭窗口|收藏|返回顶部)\s*】|^(打印本页|关闭窗口|关闭本页|加入收藏|收藏本页|"
        r"打印|列印|回上頁|回上页|返回|share|print|tweet|email this)\s*$"
        r"|(\b(facebook|twitter|line|weibo|linkedin|whatsapp)\b|微博|微信|qq空间|qzone)\s*(\||$)", re.I),
    "recommendation": re.compile(
        r"^★|相关文章|相關文章|相关推荐|相關推薦|推荐阅读|推薦閱讀|猜你喜欢|猜你喜歡|热门文章|熱門文章|"
        r"精彩推荐|延伸阅读|延伸閱讀|更多精彩|最新文章|热门推荐|热点文章|相关阅读|相關閱讀|"
        r"more content|related articles?|recommended (articles?|reading)|popular articles?|"
        r"you may also like|read more|see also|further reading", re.I),
    "abstract": re.compile(
        r"以下是.{0,20}(整理|收集|精心|为大家|为你|小编|分享)|小编|仅供参考|僅供參考|欢迎(大家)?(阅读|参考|借鉴|分享)|"
        r"希望(对|能对|能够对)(大家|你|您)|供大家参考|一起来看看吧|下面是.{0,12}(范文|整理|收集|带来)|"
        r"为大家(整理|收集|准备|带来)|(精心|特意)(整理|收集)|范文网|"
        r"i hope (it|this) (will be|is|can be) helpful|the following is .{0,80}(i compiled|compiled by|for your reference)|"
        r"for your reference|welcome to read", re.I),
    "copyright": re.compile(
        r"copyright|©|版权所有|版權所有|版权声明|版權聲明|版权归|版权属于|icp备|ICP證|公网安备|"
        r"本文链接|本文網址|原文链接|原文地址|转载请注明|轉載請註明|本文由.{0,20}(发布|提供|整理)|"
        r"免费下载|下载全文|全文下载|开通会员|开通vip|vip会员|继续阅读|阅读全文|查看全文|登录后(查看|阅读)|"
        r"最佳浏览|最佳瀏覽|建议使用.{0,20}浏览器|powered by|all rights reserved|联系我们|聯絡我們|"
        r"若涉及版权|侵权|侵權", re.I),
    "script": re.compile(
        r"var\s+_?\w+\s*=|function\s*\(|document\.(createElement|getElement|write)|window\.\w+|"
        r"gtag\(|google_ad|\$\(function|<script|</script|\{\s*display\s*:", re.I),
    "page_number": re.compile(
        r"^[—–\-－]\s*\d{1,4}\s*[—–\-－]$|^第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$|"
        r"^\d{1,4}\s*/\s*\d{1,4}$|^page\s+\d{1,4}(\s+of\s+\d{1,4})?$", re.I),
    "collection": re.compile(
        r"[(（](通用|精选|精選|优选|热门|推荐|汇总)?\s*\d{1,3}\s*篇[)）]\s*$|范文汇总.{0,3}篇|汇总[一二三四五六七八九十\d]{1,3}篇|"
        r"(精选|精選|通用)[一二三四五六七八九十\d]{1,3}篇\s*$|[\d一二三四五六七八九十]{1,3}篇\d{1,2}-\d{1,2}$", re.I),
}

# An HTML page part and the clutter class it implies.
_ZONES = {"nav": "navigation", "header": "navigation", "footer": "copyright", "aside": "recommendation",
          "breadcrumb": "breadcrumb", "share": "share", "related": "recommendation",
          "comment": "recommendation", "meta": "metadata", "script": "script",
          "infobox": "infobox", "ad": "recommendation", "title": "running_head"}

_TITLE_LIKE = re.compile(r"(计划|計畫|计画|方案|要点|要點|安排|plan|programme|program)", re.I)
def _signs(lines: list[Line], classes: list[str], k: int) -> bool:
    """Whether line ``k`` is a signature: the issuer's name over the issue date (the bureau's
    name that also heads each page signs the notice it sends out)."""
    nxt = next((j for j in range(k + 1, min(k + 3, len(lines))) if not classes[j]), None)
    return nxt is not None and dates.issue_date(_nfkc(lines[nxt].text)) is not None \
        and len(_nfkc(lines[nxt].text)) <= 16


_SENTENCE_END = re.compile(r"[。！？!?；;]")
#: two or more "key：value" pairs on one line (發布日期：114-09-03 更新日期：114-09-05)
_PAGE_PAIRS = re.compile(r"^(?:[\u4e00-\u9fff]{2,6}\s*[:：]\s*[^\s:：]{1,30}\s+){1,5}[\u4e00-\u9fff]{2,6}\s*[:：]\s*[^\s:：]{1,30}$")
#: the keys of a page's own metadata: who posted it, when, how often it was read
_PAGE_KEY = re.compile(r"(公告|发布|發布|發佈|更新|来源|來源|作者|编辑|編輯|人气|人氣|点阅|點閱|浏览|瀏覽|阅读|閱讀|点击|點擊)"
                       r"[\u4e00-\u9fff]{0,3}\s*[:：]")
_KEY_VALUE = re.compile(r"^[\u4e00-\u9fff]{2,6}\s*[:：\t]\s*\S.{0,30}$")
_DATE_TAIL = re.compile(r"\d{1,2}-\d{1,2}$|\d{4}-\d{2}-\d{2}$")


def line_class(text: str) -> str:
    """The clutter class of one line, judged on its own ('' if it reads as plan text)."""
    t = _nfkc(text)
    if not t:
        return ""
    marker = markers.parse(t)
    long_text = len(t) > 120
    for cls in ("script", "breadcrumb", "metadata", "share", "page_number", "collection",
                "copyright", "abstract", "navigation", "recommendation"):
        if _P[cls].search(t):
            if long_text and cls in ("copyright", "recommendation", "navigation", "metadata",
                                     "breadcrumb", "collection"):
                continue  # a long paragraph that mentions 联系我们 is still plan text
            if cls == "copyright" and len(t) > 60 and len({m.group() for m in _P[cls].finditer(t)}) < 2:
                continue  # a sentence of the plan that happens to say 版权 once
            if marker and marker.numbered and cls not in ("script",):
                continue  # "二、相关文章管理" is a heading of the plan
            if cls == "abstract" and len(t) > 400:
                continue
            return cls
    return ""


def _title_like(text: str) -> bool:
    t = _nfkc(text)
    limit = 60 if re.search(r"[\u4e00-\u9fff]", t) else 100
    return 4 <= len(t) <= limit and not _SENTENCE_END.search(t[:-1]) and not markers.parse(t)


def classify(lines: list[Line]) -> list[str]:
    """The clutter class of every line ('' for plan text), using each line's neighbours."""
    classes = []
    for ln in lines:
        cls = _ZONES.get(ln.zone, "") if ln.zone else ""
        if not cls and ln.table is None:
            cls = line_class(ln.text)
        if not cls and ln.links >= 0.8 and len(ln.text) <= 60 and ln.table is None:
            cls = "navigation"
        classes.append(cls)
    n = len(lines)
    # A recommendations header starts a block of article titles.
    i = 0
    while i < n:
        if classes[i] == "recommendation" and _P["recommendation"].search(_nfkc(lines[i].text)):
            j = i + 1
            while j < n and not classes[j] and lines[j].table is None:
                t = _nfkc(lines[j].text)
                if (_title_like(t) or _DATE_TAIL.search(t) or lines[j].links >= 0.5) \
                        and not _plan_header(t):
                    classes[j] = "recommendation"
                    j += 1
                else:
                    break
            i = j
        else:
            i += 1
    # Running heads: a short line that recurs three times or more, or that repeats a line
    # already classed as clutter (a page title shown again inside the article).
    counts = Counter(_nfkc(ln.text) for ln in lines if len(ln.text) <= 40)
    head = set("".join(_nfkc(ln.text) for ln in lines[:4]))
    clutter_texts = {_nfkc(ln.text) for ln, c in zip(lines, classes) if c}
    numbered = False  # whether a numbered line (一、…) came before: the plan's body has begun
    seen: set[str] = set()
    for k, ln in enumerate(lines):
        if classes[k]:
            continue
        t = _nfkc(ln.text)
        first, numbered_before = t not in seen, numbered
        seen.add(t)
        if markers.parse(t):
            numbered = True
            continue
        if counts.get(t, 0) >= 3 and 4 <= len(t) <= 30 and not re.search(r"[。，、；：,;:.!?！？]", t) \
                and not _signs(lines, classes, k):
            classes[k] = "running_head"
        elif t in clutter_texts and len(t) >= 6:
            classes[k] = "running_head"
        elif _beside_page_number(classes, k) and _repeats_head(t, head) and 4 <= len(t) <= 40 \
                and not _SENTENCE_END.search(t) and (numbered_before or not first):
            # 和平醫院護理部一一四年度工作計畫 over a new page; but the first of them, before the
            # plan's first numbered line (a notice's attachment after its page number), is the
            # plan's own title, which its running heads repeat
            classes[k] = "running_head"
    # A table of contents: its heading, then entries that link to the headings below or
    # end in a page number (a Word TOC field: "1. Purpose ........ 3", styles "toc 1").
    for k, ln in enumerate(lines):
        if ln.style.lower().startswith("toc") and not classes[k]:
            classes[k] = "toc"
        if classes[k] or not _TOC_HEAD.match(_nfkc(ln.text)):
            continue
        later = {_nfkc(markers.strip(x.text)[1]).lower() for x in lines[k + 1:k + 400] if x.level is not None}
        j = k + 1
        while j < n and classes[j] in ("", "navigation") and lines[j].level is None and lines[j].table is None and (
                lines[j].links >= 0.5 or _TOC_LINE.search(lines[j].text)
                or _nfkc(markers.strip(lines[j].text)[1]).lower() in later):
            j += 1
        if j - k >= 3:
            for x in range(k, j):
                classes[x] = "toc"
    # Under the title, before the body: a line of "key：value" pairs that says who posted the
    # page, when, and how often it was read (公告單位：輔導室　公告日期：…　人氣：388).
    for k, ln in enumerate(lines[:40]):
        t = _nfkc(ln.text)
        if markers.parse(t) or len(t) > 120:
            break
        if not classes[k] and ln.table is None and _PAGE_PAIRS.match(t) and _PAGE_KEY.search(t):
            classes[k] = "metadata"
    # An infobox: three or more short "key: value" lines in a row before any long text.
    k = 0
    seen_body = False
    while k < n:
        if not classes[k] and (len(lines[k].text) > 60 or markers.parse(lines[k].text)
                               or (len(lines[k].text) >= 20 and lines[k].text.rstrip()[-1:] in "。；;")):
            seen_body = True
        if not seen_body and not classes[k] and _infobox_line(lines[k].text):
            j = k
            while j < n and not classes[j] and _infobox_line(lines[j].text):
                j += 1
            if j - k >= 3:
                for x in range(k, j):
                    classes[x] = "infobox"
            k = max(j, k + 1)
        else:
            k += 1
    return classes


def _infobox_line(text: str) -> bool:
    """A short "key: value" line whose key is not a time (第一季：… is a schedule step)."""
    t = _nfkc(text)
    return bool(_KEY_VALUE.match(t)) and not dates.find_times(t.split("：")[0].split(":")[0], "zh")


def _beside_page_number(classes: list[str], k: int) -> bool:
    return (k > 0 and classes[k - 1] == "page_number") or (k + 1 < len(classes) and classes[k + 1] == "page_number")


def _repeats_head(text: str, head: set[str]) -> bool:
    """Whether a line is made of the words at the top of the document (its title again)."""
    chars = [c for c in text if not c.isspace()]
    return bool(chars) and sum(c in head for c in chars) >= 0.85 * len(chars)


_HEADER = re.compile(r"篇\s*\d+\s*$|计划\s*[（(][一二三四五六七八九十]+[)）]\s*$|"
                     r"work plan.{0,60}\(\d+\)\s*$", re.I)


def _plan_header(text: str) -> bool:
    return bool(_HEADER.search(text))


_TRAILING_JUNK = re.compile(r"\s+(?:https?:?/*\S*|www\.\S+)\s*$", re.I)


def trim(text: str) -> tuple[str, str]:
    """``(text, removed)``: a line with a URL fragment stuck to its end removed."""
    m = _TRAILING_JUNK.search(text)
    if m and m.start() > 0:
        return text[:m.start()].rstrip(), m.group().strip()
    return text, ""
