"""Bytes to text: UTF-8, UTF-16 and the Chinese legacy encodings (GBK, GB18030, Big5).

Chinese text files are as often GBK or GB18030 as UTF-8, and pages pasted together from
several sources mix them line by line.  :func:`decode` tries UTF-8 first, then scores the
legacy encodings by how much of the result is common Chinese, decodes a mixed file line by
line, and refuses binary files with a one-line error that says what the file looks like.
"""
from __future__ import annotations

import codecs

from ..errors import PlanError

#: Inputs larger than this are not plans (the largest real plan pages are a few megabytes).
MAX_INPUT_BYTES = 64 << 20

# The most frequent characters of Chinese official writing, simplified and traditional.
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下"
    "过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两"
    "体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线"
    "内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并"
    "提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见"
    "计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研队南给色光门即保治北造百规热"
    "领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带"
    "安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步"
    "群广石记需段界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近千周委素技备半办"
    "青省列习响约支般史感劳便团往历市克何除消构称太准精值号率族维划选标写存候毛亲快效院查江型眼王"
    "按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该价严卫医疗健康服务药护"
    "患病防控疫苗接种村镇乡社区站室科诊检查监督培训考核责任落实推进深化完善加强开展提高确保"
    "個們這來時國會於為學發說對動過實現點從業經內長東開關問題進還體製機當應與變條結無軍義農"
    "導處統級圖離華寫陸達報類將見計別廣記歷觀義區強決隊給運論農幾領織裝許輕質場務車積響聲"
    "衛醫療藥護病檢查監督訓練考核責任落實推進深化完善加強開展提高確保計畫學校師學務處組"
)
_HAN_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF))


def _is_han(ch: str) -> bool:
    o = ord(ch)
    return any(a <= o <= b for a, b in _HAN_RANGES)


def _score(text: str) -> float:
    """How much of ``text``'s non-ASCII is common Chinese (1.0 = all of it)."""
    non_ascii = [c for c in text if ord(c) > 0x7F]
    if not non_ascii:
        return 1.0
    han = [c for c in non_ascii if _is_han(c)]
    punct = sum(1 for c in non_ascii if 0x3000 <= ord(c) <= 0x303F or 0xFF00 <= ord(c) <= 0xFFEF
                or c in "“”‘’…—·")
    common = sum(1 for c in han if c in _COMMON)
    return (common + punct) / len(non_ascii)


_MAGIC = [
    (b"%PDF", "a PDF; save it as DOCX, or as text (pdftotext -layout FILE.pdf out.txt), and import that"),
    (b"PK\x03\x04", "a ZIP archive (a DOCX, XLSX or other package); give it the right extension"),
    (b"\xd0\xcf\x11\xe0", "an old Word or Excel file (.doc/.xls); save it as DOCX first"),
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF file; save it as DOCX first"),
    (b"\x1f\x8b", "a gzip archive"), (b"7z\xbc\xaf", "a 7-Zip archive"), (b"Rar!", "a RAR archive"),
]


def sniff_binary(data: bytes, name: str) -> None:
    """Refuse data that is plainly not text, saying what it looks like."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise PlanError(f"not a text file: this looks like {what}", name)
    head = data[:65536]
    if not head:
        return
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
                        codecs.BOM_UTF32_BE)):
        return
    zeros = head.count(0)
    if zeros and not _utf16_guess(head):
        raise PlanError(f"not a text file: it holds {zeros:,} NUL bytes in its first "
                        f"{len(head):,}; give a .txt, .md, .html or .docx plan", name)
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if controls > len(head) // 50:
        raise PlanError("not a text file: too many control bytes to be a plan", name)


def _utf16_guess(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the NULs fall where UTF-16 text puts them."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.3 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.3 and odd < half * 0.05:
        return "utf-16-be"
    return None


def _legacy(data: bytes) -> tuple[str, str] | None:
    """The best legacy Chinese decoding of ``data``: (text, encoding), or None."""
    best: tuple[float, str, str] | None = None
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _score(text)
        if best is None or score > best[0] + 0.02:
            best = (score, text, enc)
    if best is None or best[0] < 0.35:
        return None
    return best[1], best[2]


def decode(data: bytes, name: str = "<input>", warn=None) -> tuple[str, str]:
    """``(text, encoding)`` of input ``data``; ``warn(message, line)`` hears what was guessed.

    Raises :class:`PlanError` for binary data and for text in no encoding planwriter knows.
    """
    if len(data) > MAX_INPUT_BYTES:
        raise PlanError(f"file is {len(data):,} bytes; an import takes at most "
                        f"{MAX_INPUT_BYTES:,} bytes", name)
    sniff_binary(data, name)
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                     (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "")
            except UnicodeDecodeError as e:
                raise PlanError(f"starts with a {enc} byte-order mark but is not {enc} text "
                                f"(byte {e.start:,})", name) from None
    guess16 = _utf16_guess(data[:4096]) if 0 in data[:4096] else None
    if guess16:
        try:
            return data.decode(guess16), guess16
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        first_bad = e.start
    whole = _legacy(data)
    # A file that is mostly UTF-8 with some lines in another encoding: decode each line.
    lines = data.split(b"\n")
    utf8_ok = 0
    for raw in lines:
        try:
            raw.decode("utf-8")
            if any(b > 0x7F for b in raw):
                utf8_ok += 1
        except UnicodeDecodeError:
            pass
    if utf8_ok >= 1 and whole is not None and _score(whole[0]) < 0.9:
        whole = None  # the legacy reading garbles the UTF-8 lines: read line by line
    if whole is not None and utf8_ok == 0:
        text, enc = whole
        if warn:
            warn(f"read as {enc.upper()} (not UTF-8); save it as UTF-8 to silence this", None)
        return text, enc
    out, foreign = [], []
    for i, raw in enumerate(lines, 1):
        try:
            out.append(raw.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        legacy = _legacy(raw)
        if legacy is None:
            if whole is not None:
                text, enc = whole
                if warn:
                    warn(f"read as {enc.upper()} (not UTF-8)", None)
                return text, enc
            line = data.count(b"\n", 0, first_bad) + 1
            raise PlanError(f"not UTF-8, GBK, GB18030 or Big5 text (byte 0x{data[first_bad]:02X}); "
                            "save it as UTF-8, e.g. iconv -f GBK -t UTF-8 in.txt > out.txt",
                            name, line) from None
        out.append(legacy[0])
        foreign.append((i, legacy[1]))
    if warn and foreign:
        encs = sorted({e.upper() for _, e in foreign})
        shown = ", ".join(str(n) for n, _ in foreign[:8]) + (" …" if len(foreign) > 8 else "")
        warn(f"mixed encodings: line{'s' if len(foreign) > 1 else ''} {shown} in "
             f"{'/'.join(encs)}, the rest in UTF-8; each line was read in its own encoding",
             foreign[0][0])
    return "\n".join(out), "mixed"
