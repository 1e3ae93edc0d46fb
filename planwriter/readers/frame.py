"""The frame of a plan: title, status, document number, addressees, transmittal notice,
issuers, date and attachments, and what they say about the organisation, year and language.

:func:`read_frame` takes the lines of one plan (clutter already removed) and returns the
:class:`Frame` with the lines that remain for the body.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from . import dates, markers
from .lines import Findings, Line

_TITLE_WORD = re.compile(r"(工作计划|计划|計畫|計劃|实施方案|方案|工作要点|要点|要點|工作安排|安排|工作思路|打算|"
                         r"work\s*plan|action\s*plan|plan|programme|program|strategy)", re.I)
_NOTICE = re.compile(r"^(?P<org>[\u4e00-\u9fff（）()]{2,30}?)?关于(印发|下发|转发|印送|公布|做好|开展|实施).{2,80}(通知|的函)$")
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fffA-Za-z]{1,12}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d{1,4}\s*号"
                         r"(?:\s+(?:签发人|簽發人)\s*[：:]\s*\S{2,12})?$")
_SIGNER = re.compile(r"^(?:签发人|簽發人)\s*[：:]\s*\S{2,12}$")
_LETTERHEAD = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}(文件|文件（\S+）)$")
_STATUS = re.compile(r"(征求意见稿|讨论稿|討論稿|送审稿|送審稿|初稿|草案|修订稿|修訂稿|审议稿|试行|試行|暂行|"
                     r"\bdraft\b|\bversion\s*\d|\bv\d+(\.\d+)?\b|for (discussion|consultation|comment|approval))", re.I)
_ADDRESSEES = re.compile(r"^(各|县直|市直|区直|局机关|委机关|全体|卫生局|县卫生|市卫生|区卫生|\S{2,20}(局|委|委员会|办|中心|院|站|所|组|单位|股室|科室|部门|同志们?))"
                         r"[\S，、,（）() ]{0,100}[：:]$")
_NOTICE_TAIL = re.compile(r"^(?:[（(]此件(?:公开发布|不公开|依申请公开)[）)]|附件\s*\d*)$")
_ATTACH = re.compile(r"^(?:附件|附表|附录|attachments?|annex(?:es)?|appendix)\s*[：:]?\s*(?P<rest>.*)$", re.I)
_ATTACH_LABEL = re.compile(r"^(?:附件|附表|attachments?|annex(?:es)?)\s*(?:[：:]|\d{1,2}\s*[：:]?\s*\S)", re.I)
_ATTACH_ITEM = re.compile(r"^(?:\d{1,2}\s*[.．、]|[（(]\d{1,2}[）)])\s*\S")
_PRINT_RECORD = re.compile(r"(印发|印發)\s*$|^抄送[：:]|^抄报[：:]|^主题词[：:]")
_ORG_END = re.compile(r"(卫生院|医院|醫院|中心|局|委员会|委|办公室|办|站|所|会|学会|协会|组|室|科|部|处|队|学校|學校|小学|小學|中学|中學|"
                      r"大学|大學|幼儿园|社区|社區|居委会|村委会|街道|政府|小组|公司|集团|"
                      r"院长|院長|主任|局长|局長|书记|書記|校长|校長|所长|所長|站长|站長|负责人|負責人|科长|科長|"
                      r"处长|處長|会长|會長|理事长|理事長|秘书长|秘書長|"
                      r"department|hospital|centre|center|committee|office|board|council|clinic|school|"
                      r"director|manager|officer|chair|president|secretary)\s*$", re.I)
_SIGN_EN = re.compile(r"^(dr\.?|prof\.?|mr\.?|mrs\.?|ms\.?)?\s*[A-Z][\w.'-]+(\s+[A-Z][\w.'-]*){0,4},\s*[A-Z][\w ]{2,50}$")
_YEAR = re.compile(r"((?:19|20)\d{2})(?:\s*[-–—~～至到]\s*((?:19|20)\d{2}))?\s*(?:年度|年|学年|-|–|\s|$|[^\d])")
_ROC_YEAR = re.compile(r"(?:民國|民国)?\s*(1[0-4]\d|一[〇○零一二三四][〇○零一二三四五六七八九]|一百[一二三四]?十?[一二三四五六七八九]?)"
                       r"\s*(學年度|学年度|年度|年)")
_CN_YEAR = re.compile(r"([〇○零一二三四五六七八九]{4})\s*(?:年度|年|学年|學年)")
_META_LINE = re.compile(r"^(?P<key>prepared by|issued by|published by|owner|author|lead agency|approved(?: by)?|status|"
                        r"version|date|document (?:no\.?|number|reference)|ref(?:erence)?|编制单位|编制|起草单位|发布单位|"
                        r"印发单位|制定单位|牵头单位|状态|狀態|版本|批准|日期|文号|文號|编号|編號)\s*[:：]\s*(?P<value>\S.{0,120})$",
                        re.I)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_TRAD = set("與為國會來學時實對說體們這發開關點計畫衛療醫藥員錄義務議續經費預決檢驗護處組織專業個過進還"
            "製機當應變條結無農導統級圖離華寫陸達報類將見別廣記歷觀區強決隊給運論幾領織裝許質場務車"
            "響聲麼讓從問題總辦歲兒童鄉鎮縣區屬並與")
_SIMP = set("与为国会来学时实对说体们这发开关点计划卫疗医药员录义务议续经费预决检验护处组织专业个过进还"
            "制机当应变条结无农导统级图离华写陆达报类将见别广记历观区强决队给运论几领织装许质场务车"
            "响声么让从问题总办岁儿童乡镇县区属并")


@dataclass
class Frame:
    """What frames a plan's body (see the module docstring)."""

    title: str = ""
    title_line: int | None = None
    subtitle: str = ""
    status: str = ""
    doc_number: str = ""
    addressees: str = ""
    notice: dict | None = None
    issuers: list[str] = field(default_factory=list)
    date: dt.date | tuple[int, int] | None = None
    date_placeholder: str = ""
    date_line: int | None = None
    attachments: list[str] = field(default_factory=list)
    prepared_by: str = ""
    organisation: str = ""
    org_type: str = "other"
    year: int | None = None
    period: tuple[dt.date, dt.date] | None = None
    language: str = "zh"


def language(text: str) -> str:
    """'zh', 'zh-Hant' or 'en', from the script of ``text``."""
    han = _HAN.findall(text)
    latin = re.findall(r"[A-Za-z]", text)
    if len(han) * 3 < len(latin):
        return "en"
    trad = sum(1 for c in han if c in _TRAD)
    simp = sum(1 for c in han if c in _SIMP)
    return "zh-Hant" if trad > simp * 1.5 and trad >= 5 else "zh"


_UNIT_END = re.compile(r"(院|局|委|办|中心|站|所|室|组|单位|部门|股室|科室|同志们?|街道|社区|乡镇|委员会|公司|学校|"
                       r"医院|卫生院|机构|部|处|科|队|党委|政府|分局|支部)$")


def addressees_line(text: str) -> bool:
    """Whether a line names the addressees (主送机关): 各乡镇卫生院，县直各医疗卫生单位：."""
    t = text.strip()
    if not t.endswith(("：", ":")) or len(t) > 90 or not _ADDRESSEES.match(t):
        return False
    parts = [p.strip() for p in re.split(r"[，、,；;]", t.rstrip("：:")) if p.strip()]
    return bool(parts) and all(_UNIT_END.search(p) or p.startswith("各") for p in parts)


def _short(text: str, limit: int = 40) -> bool:
    return len(text) <= limit and not re.search(r"[。；;！!？?]", text[:-1] if text else "")


def _attachment_items(lines: list[str]) -> list[str]:
    """The attachments a list names, from its 附件：… line and the lines after it
    (1．重点任务分解表 / 2．主要指标一览表); none when one of them is too long to be a name."""
    first = _ATTACH.match(lines[0]).group("rest").strip() if lines else ""
    items, rows = [], []
    for r in ([first] if first else []) + lines[1:]:
        # 附件：1．工作要点　2．指标一览表 on one line: each number starts an attachment
        rows += re.split(r"\s+(?=\d{1,2}\s*[.．、]\s*\S)", r) if re.match(r"\d{1,2}\s*[.．、]", r) else [r]
    for r in rows:
        mm, text = markers.strip(r)
        if mm is None:  # 1．2025年课程表: in a list of attachments a number first is its marker
            text = re.sub(r"^\s*\d{1,2}\s*[.．、]\s*", "", text)
        items.append(text)
    return items if items and all(len(x) <= 80 for x in items) else []


def _title_candidate(ln: Line) -> bool:
    t = ln.text.strip()
    if not t or len(t) > 90 or markers.parse(t):
        return False
    if ln.level == 1 or ln.style.lower() in ("title", "h1") or "title" in ln.style.lower():
        return True
    if re.search(r"[。；;！!？?]\s*\S", t) or t.endswith(("。", "；", ";")) or \
            (re.search(r"[，,]", t) and len(t) > 20) or t.startswith(("现将", "为了", "为进一步", "根据")):
        return False
    return bool(_TITLE_WORD.search(t)) and (len(t) <= 60 or ln.align == "center")


def org_type(name: str) -> str:
    """The model's institution type for an organisation's name or a plan's title."""
    n = name.lower()
    table = [
        (r"社区卫生服务(中心|站)|community health (service )?cent", "community_health_center"),
        (r"(乡|镇|中心)卫生院|卫生院|衛生院|township health|health cent(er|re)", "township_health_center"),
        (r"卫生健康(局|委)|卫健(局|委)|卫生局|卫生和计划生育|衛生局|health (bureau|commission)", "health_bureau"),
        (r"医院|醫院|保健院|hospital|clinic", "hospital"),
        (r"学校|學校|小学|小學|中学|中學|大学|大學|学院|學院|幼儿园|幼兒園|school|college|university", "school"),
        (r"社区|社區|居委会|居民委员会|村委会|街道|community|residents", "community"),
    ]
    for pattern, kind in table:
        if re.search(pattern, n):
            return kind
    return "other"


def organisation_of(title: str) -> str:
    """The organisation named in a title: 青山镇卫生院2025年工作计划 → 青山镇卫生院."""
    t = re.sub(r"^关于(印发|下发)?", "", title).strip("《》“”")
    m = re.search(r"((?:19|20)\d{2}|[〇○零一二三四五六七八九]{4}|1[0-4]\d|一[〇○零一二三四][〇○零一二三四五六七八九])\s*(?:[-–—~至]\s*(?:19|20)?\d{2,4})?\s*(年度|学年度|學年度|年|学年)", t)
    if m and m.start() > 1:
        return t[:m.start()].strip(" ：:-—")
    if m:
        rest = t[m.end():]
    else:
        rest = t
    m2 = _TITLE_WORD.search(rest)
    head = rest[:m2.start()] if m2 else rest
    head = re.sub(r"(年度|年|上半年|下半年|第[一二三四]季度|度|工作|卫生工作|年度工作)$", "", head.strip())
    head = re.sub(r"(个人|年度|全年|新年)$", "", head)
    if " " in t.strip() or re.match(r"[A-Za-z]", t.strip()):
        m3 = re.match(r"^(.*?)(?::|\s+[-–—]\s+|\s+(?:annual|work|action|\d{4}))", t.strip(), re.I)
        return m3.group(1).strip() if m3 else ""
    return head.strip(" ：:-—")


def year_of(text: str) -> tuple[int | None, int | None]:
    """``(year, end year)`` of a title: 2025 → (2025, None); 2025–2026 → (2025, 2026);
    a ROC year (114學年度) → (2025, None)."""
    m = _YEAR.search(text)
    if m:
        y1 = int(m.group(1))
        y2 = int(m.group(2)) if m.group(2) else None
        return y1, (y2 if y2 and y2 > y1 else None)
    m = _CN_YEAR.search(text)
    if m and 1949 <= (y := dates.cn_year(m.group(1))) <= 2200:
        return y, None
    m = _ROC_YEAR.search(text)
    if m:
        token = m.group(1)
        roc = int(token) if token.isdigit() else (dates.cn_year("〇" + token) if "百" not in token
                                                   else 100 + (markers.cn_value(token[2:]) or 0))
        if roc:
            return roc + 1911, None
    return None, None


def read_frame(lines: list[Line], findings: Findings, title: str = "",
               title_line: int | None = None) -> tuple[Frame, list[Line]]:
    """The frame of one plan's lines and the lines left for its body.

    ``title`` is a title found elsewhere (a page's plan header); without one the title is
    looked for in the first lines.
    """
    f = Frame(title=title, title_line=title_line)
    body = list(lines)
    f.language = language(" ".join(ln.text for ln in body[:200]))
    i = 0
    # -- head ----------------------------------------------------------------
    head_limit = min(len(body), 14)
    if not f.title:
        # a title the format marks (Markdown #, HTML h1, a DOCX Title style) wins over one
        # guessed from the words; what comes before it is not the plan
        for j, ln in enumerate(body[:head_limit]):
            if (ln.level == 1 or ln.style.lower() in ("title", "h1")) and _title_candidate(ln) \
                    and not any(_NOTICE.match(b.text.strip()) for b in body[:j]):
                for b in body[:j]:
                    if not _DOC_NUMBER.match(b.text.strip()) and not _LETTERHEAD.match(b.text.strip()):
                        findings.add("dropped", "text before the title", b.line, b.text.strip())
                body = [b for b in body[:j] if _DOC_NUMBER.match(b.text.strip())] + body[j:]
                break
    while i < head_limit:
        ln = body[i]
        t = ln.text.strip()
        if i == 0 and _LETTERHEAD.match(t) and not f.title:
            findings.add("dropped", "letterhead (the issuer's name over the document)", ln.line, t)
            i += 1
            continue
        if _DOC_NUMBER.match(t):
            f.doc_number = re.sub(r"\s+(?:签发人|簽發人).*$", "", t)
            i += 1
            continue
        if _SIGNER.match(t):
            i += 1  # 签发人：… (who signed the document off) is not the plan's
            continue
        nxt = body[i + 1].text.strip() if i + 1 < len(body) else ""
        if not f.notice and (_NOTICE.match(t) or (_short(t, 30) and _NOTICE.match(t + nxt)
                                                   and not _NOTICE.match(t))):
            joined = t if _NOTICE.match(t) else t + nxt
            j = i + (1 if _NOTICE.match(t) else 2)
            notice = {"title": joined}
            if f.doc_number:
                notice["doc_number"], f.doc_number = f.doc_number, ""
            if j < len(body) and addressees_line(body[j].text):
                notice["addressees"] = body[j].text.strip().rstrip("：:")
                j += 1
            paras: list[str] = []
            sent: int | None = None  # where 附件：… starts in paras
            while j < len(body) and not dates.issue_date(body[j].text) and (
                    (sent is not None and _ATTACH_ITEM.match(body[j].text.strip()))
                    or (not _title_candidate(body[j]) or _ATTACH.match(body[j].text.strip()))
                    and not (_ORG_END.search(body[j].text.strip()) and _short(body[j].text.strip(), 30))):
                para = body[j].text.strip()
                if sent is None and _ATTACH_LABEL.match(para):
                    sent = len(paras)
                paras.append(para)
                j += 1
            if sent is not None and all(_ATTACH_ITEM.match(p) for p in paras[sent + 1:]) \
                    and (items := _attachment_items(paras[sent:])):
                # 附件：… names what the notice sends: its own attachments, after its text
                notice["attachments"] = items
                paras = paras[:sent]
            if paras:
                notice["text"] = "\n\n".join(paras)
            while j < len(body) and _short(body[j].text.strip(), 30) and _ORG_END.search(body[j].text.strip()) \
                    and not _title_candidate(body[j]):
                notice.setdefault("issuer", body[j].text.strip())
                j += 1
            if j < len(body) and (d := dates.issue_date(body[j].text)):
                notice["date"] = d
                j += 1
            while j < len(body) and _NOTICE_TAIL.match(body[j].text.strip()):
                # （此件公开发布） under the signature, 附件 over the plan it sends
                findings.add("dropped", "the notice's release note or attachment label", body[j].line,
                             body[j].text.strip())
                j += 1
            f.notice = notice
            i = j
            head_limit = min(len(body), i + 8)
            continue
        if not f.title and _title_candidate(ln):
            f.title, f.title_line = t, ln.line
            # a title set on two lines: 青山县人民医院 / 2025年护理工作计划
            if i > 0 and _short(body[i - 1].text, 30) and not markers.parse(body[i - 1].text) \
                    and _ORG_END.search(body[i - 1].text.strip()) and body[i - 1].line == ln.line - 1:
                f.title = body[i - 1].text.strip() + t
                f.title_line = body[i - 1].line
            i += 1
            continue
        if not f.title and i + 1 < len(body) and _short(t, 30) and _ORG_END.search(t) and not markers.parse(t) \
                and body[i + 1].line == ln.line + 1 and _title_candidate(body[i + 1]) \
                and not _ORG_END.search(body[i + 1].text.strip()):
            # the organisation on a line of its own over the plan's name: 臺北市立和平醫院 / 一一四年度護理部工作計畫
            f.title, f.title_line = t + body[i + 1].text.strip(), ln.line
            i += 2
            continue
        if i == 0 and not f.title and _short(t, 30) and _ORG_END.search(t) and not _TITLE_WORD.search(t) \
                and not markers.parse(t) and any(_DOC_NUMBER.match(b.text.strip()) or _title_candidate(b)
                                                 for b in body[1:4]):
            # the issuer's name over the document, set apart (a letterhead without 文件)
            findings.add("dropped", "letterhead (the issuer's name over the document)", ln.line, t)
            i += 1
            continue
        if f.title and not f.status and i < head_limit and _short(t, 80) and _STATUS.search(t) \
                and not markers.parse(t):
            f.status = t.strip("（）()*_ ")
            i += 1
            continue
        if f.title and (kv := _META_LINE.match(t)):
            # **Prepared by:** Riverside County Health Department · 编制单位：… · Status: Draft
            key, value = kv.group("key").lower(), kv.group("value").strip()
            d = dates.issue_date(value) or next((dates.issue_date(x.strip()) for x in re.split(r"[,，;；]", value)
                                                  if dates.issue_date(x.strip())), None)
            if re.match(r"(prepared|issued|published|owner|author|lead|编制|起草|发布|印发|制定|牵头)", key):
                f.issuers.append(value)
                f.prepared_by = f.prepared_by or value
            elif re.match(r"(status|version|状态|狀態|版本|approved|批准)", key):
                f.status = f"{kv.group('key')}: {value}" if key.startswith(("approved", "批准")) else value
            elif re.match(r"(document|doc|ref|文号|文號|编号|編號)", key):
                f.doc_number = value
            if d and not f.date:
                f.date = d
            i += 1
            head_limit = min(len(body), max(head_limit, i + 4))
            continue
        if f.title and not f.addressees and addressees_line(t):
            f.addressees = t.rstrip("：:")
            i += 1
            continue
        break
    # Lines before the title that the loop passed over are not the plan's body.
    body = body[i:]
    # -- tail ----------------------------------------------------------------
    k = len(body)
    while k > 0 and _PRINT_RECORD.search(body[k - 1].text.strip()):
        findings.add("dropped", "printing record (版记)", body[k - 1].line, body[k - 1].text.strip())
        k -= 1
    tail_start = k
    date_seen = False
    sign: list[Line] = []
    while k > 0:
        ln = body[k - 1]
        t = ln.text.strip()
        if ln.table is not None or markers.parse(t):
            break
        if not date_seen and (dates.issue_date(t) or dates.is_placeholder_date(t)):
            date_seen = True
            f.date = dates.issue_date(t)
            f.date_line = ln.line
            if f.date is None:
                f.date_placeholder = t
                findings.add("placeholder", "the date of issue is left blank; set meta.date", ln.line, t)
            k -= 1
            continue
        bare = t.rstrip("。.")
        signature_like = _short(bare, 36) and (_ORG_END.search(bare) or _SIGN_EN.match(bare)
                                               or ln.align == "right" or ln.indent >= 12) \
            and not _TITLE_WORD.search(bare[-4:])
        if signature_like and len(sign) < 3 and (date_seen or ln.align == "right" or ln.indent >= 12):
            sign.insert(0, ln)
            k -= 1
            continue
        # A date at the end of the last signature line: 青山镇卫生院  2025年1月15日
        if not date_seen and (m := re.search(r"\s{2,}(\S.{5,20})$", t)) and dates.issue_date(m.group(1)):
            f.date = dates.issue_date(m.group(1))
            f.date_line = ln.line
            date_seen = True
            sign.insert(0, ln.but(text=t[:m.start()].strip()))
            k -= 1
            continue
        break
    if date_seen or sign:
        f.issuers = [s.text.strip().rstrip("。.") for s in sign]
        body = body[:k]
    else:
        body = body[:tail_start]
    # Attachments: 附件：1．… 2．… near the end of the body
    for j in range(len(body) - 1, max(-1, len(body) - 12), -1):
        if _ATTACH.match(body[j].text.strip()):
            items = _attachment_items([b.text.strip() for b in body[j:]])
            if items:
                f.attachments = items
                body = body[:j]
            break
    # -- what the frame says -------------------------------------------------
    if f.notice and not f.title:
        m = re.search(r"《(.+?)》", f.notice["title"])
        if m:
            f.title = m.group(1)
            # the plan's title repeated over its body
            if body and body[0].text.strip() == f.title:
                f.title_line = body[0].line
                body = body[1:]
    if f.notice and f.title and body and body[0].text.strip() == f.title:
        f.title_line = body[0].line
        body = body[1:]
    source = f.title or (f.notice or {}).get("title", "")
    y1, y2 = year_of(source)
    if y1 is None:
        for ln in body[:4]:
            m = re.match(r"^\s*((?:19|20)\d{2})\s*年", ln.text) or re.search(r"\b(?:in|for)\s+((?:19|20)\d{2})\b", ln.text)
            if m:
                y1 = int(m.group(1))
                findings.add("guessed", f"the plan's year, {y1}, from its first lines", ln.line)
                break
    if y1 is None and isinstance(f.date, (dt.date, tuple)):
        y1 = f.date.year if isinstance(f.date, dt.date) else f.date[0]
    f.year = y1
    if y1 and y2:
        f.period = (dt.date(y1, 1, 1), dt.date(y2, 12, 31))
    school_year = re.search(r"(學年度|学年度|学年|school year)", source, re.I)
    if y1 and school_year and not y2:
        f.period = (dt.date(y1, 8, 1), dt.date(y1 + 1, 7, 31))
    org = f.prepared_by or (organisation_of(f.title) if f.title else "")
    issuer_org = next((s for s in f.issuers if _ORG_END.search(s) and "," not in s), "")
    if (not org or org_type(org) != "other" and len(org) <= 5) and issuer_org:
        org = issuer_org if not org or org in issuer_org else org
    notice_issuer = (f.notice or {}).get("issuer", "")
    if not org and notice_issuer:
        org = notice_issuer
    elif org and re.fullmatch(r"[\u4e00-\u9fff]{1,8}(省|市|县|區|区|州|镇|鎮|乡|鄉|旗)", org):
        # a place (青山县2025年卫生健康工作要点): the body that issues the plan is the organisation
        for issuer in [notice_issuer, issuer_org]:
            if issuer and issuer.startswith(org):
                org = issuer
                break
    f.organisation = org
    f.org_type = org_type(org or f.title)
    return f, body
