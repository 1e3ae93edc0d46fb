"""The fonts the references name, and the free fonts that stand in for them.

GB/T 9704 names fonts that ship with Chinese Windows or with the 方正 (Founder) package.
Each official name keeps first place in every style; the font table lists alternatives in
its ``w:altName`` (a comma-separated list, ECMA-376 §17.8.3.1): the Windows names first, then
macOS's, then free fonts found on Linux (Fandol from TeX Live, Noto CJK, AR PL, LXGW WenKai),
so that a word processor without the Windows fonts picks a face of the same kind (a 仿宋 for
仿宋, a 楷体 for 楷体) rather than one sans face for everything.  LibreOffice reads no
``altName``; :func:`fontconfig_aliases` gives the same lists to fontconfig.
"""
from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Font:
    """A font-table entry: the official name, its stand-ins in order, and its classification."""

    name: str
    alternatives: tuple[str, ...]
    family: str  # roman (serif), swiss (sans), modern, script, auto
    panose: str
    charset: str = "86"  # GB2312

    @property
    def alt_name(self) -> str:
        return ",".join(self.alternatives)


FANGSONG = Font("仿宋_GB2312", (
    "仿宋", "FangSong", "STFangsong", "华文仿宋", "FandolFang", "FandolFang-Regular",
    "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN"), "modern", "02010609030101010101")
HEI = Font("黑体", (
    "SimHei", "Heiti SC", "STHeiti", "PingFang SC", "FandolHei", "FandolHei-Regular",
    "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei"), "modern", "02010609060101010101")
KAI = Font("楷体_GB2312", (
    "楷体", "KaiTi", "STKaiti", "Kaiti SC", "华文楷体", "FandolKai", "FandolKai-Regular",
    "LXGW WenKai", "AR PL UKai CN"), "modern", "02010609030101010101")
XIAOBIAOSONG = Font("方正小标宋简体", (
    "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "小标宋", "Songti SC", "STSong", "FandolSong",
    "FandolSong-Regular", "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN"),
    "script", "02010601030101010101")
SONG = Font("宋体", (
    "SimSun", "Songti SC", "STSong", "FandolSong", "FandolSong-Regular", "Noto Serif CJK SC",
    "Source Han Serif SC", "AR PL UMing CN"), "auto", "02010600030101010101")
SIMSUN = Font("SimSun", (
    "宋体", "Songti SC", "STSong", "FandolSong", "Noto Serif CJK SC", "Source Han Serif SC",
    "AR PL UMing CN"), "auto", "02010600030101010101")

#: Font-table entries of each bundled reference.
FONTS = {"zh": (FANGSONG, HEI, KAI, XIAOBIAOSONG, SONG), "en": (SIMSUN,)}


def font_table_entry(font: Font, nsdecl: str = "") -> str:
    """The ``w:font`` element of ``font``."""
    return (
        f'<w:font {nsdecl} w:name="{escape(font.name)}"><w:altName w:val="{escape(font.alt_name)}"/>'
        f'<w:panose1 w:val="{font.panose}"/><w:charset w:val="{font.charset}"/>'
        f'<w:family w:val="{font.family}"/><w:pitch w:val="variable"/></w:font>'
    )


def fontconfig_aliases() -> str:
    """fontconfig ``<alias>`` elements that give each official name its stand-ins."""
    out = []
    seen = set()
    for fonts in FONTS.values():
        for font in fonts:
            if font.name in seen:
                continue
            seen.add(font.name)
            prefer = "".join(f"<family>{escape(a)}</family>" for a in font.alternatives)
            out.append(f'<alias binding="same"><family>{escape(font.name)}</family>'
                       f"<prefer>{prefer}</prefer></alias>")
    return "\n".join(out)
