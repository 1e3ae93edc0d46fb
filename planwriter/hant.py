"""Traditional Chinese (zh-Hant) from Simplified: templates, terms and texts written once, in zh.

Traditional Chinese plans use the same templates, glossary and blocks as Chinese ones,
converted when they are read with OpenCC's Taiwan-standard character table (``s2tw``:
characters only, no regional word substitutions, so health terms stay the terms the
plan chose), and with corner quotes for quotation marks (“…” → 「…」, ‘…’ → 『…』).
A text the plan gives in ``zh-Hant`` is used as written; one it gives only in ``zh`` is
converted the same way.

OpenCC is an optional dependency: ``pip install 'planwriter[hant]'``.
"""
from __future__ import annotations

import threading

from .errors import PlanError

_CONVERTER = None
_LOCK = threading.Lock()
_QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})


def _converter():
    global _CONVERTER
    if _CONVERTER is None:
        with _LOCK:
            if _CONVERTER is None:
                try:
                    import opencc
                except ImportError:
                    raise PlanError("Traditional Chinese (zh-Hant) needs OpenCC to convert from "
                                    "Chinese: pip install 'planwriter[hant]'") from None
                _CONVERTER = opencc.OpenCC("s2tw.json")
    return _CONVERTER


def to_traditional(text: str) -> str:
    """``text`` (Simplified Chinese) in Traditional characters, with corner quotes."""
    if not text:
        return text
    return _converter().convert(text).translate(_QUOTES)
