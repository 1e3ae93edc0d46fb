"""What a reference document gives every DOCX made from it, and the bundled ones ready made.

A :class:`Skeleton` is a reference document checked and taken apart once: its parts
already deflated, its section properties, its type area and styles. Building one means
parsing every XML part of the reference (:mod:`.package`, with lxml); the skeletons of
the bundled references are built once, when the references are made
(``tools/make_reference_docx.py``), and kept beside them as JSON, so that a process
writing one document never parses its reference at all.
"""
from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import asdict, dataclass, field
from importlib import resources

from .container import Entry

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_W = "{%s}" % W_NS
_R = "{%s}" % R_NS
_PR = "{%s}" % PR_NS
_CT = "{%s}" % CT_NS

LOCALES = ("zh", "en")

#: Style IDs the writer uses; those a user's reference lacks come from the bundled one.
STYLE_IDS = (
    "PlanTitle",
    *(f"Heading{i}" for i in range(1, 6)),
    "PlanBody",
    *(f"PlanItem{i}" for i in range(1, 6)),
    "PlanItemTitle",
    "PlanCaption",
    "PlanTable",
    "PlanTableHeader",
    "PlanTableText",
    "PlanSignature",
    "PlanDate",
)

def reference_docx(locale: str) -> bytes:
    """The bundled reference document for ``locale`` ("zh" or "en") as bytes."""
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}; expected one of {LOCALES}")
    return resources.files("planwriter").joinpath("data").joinpath(f"reference-{locale}.docx").read_bytes()


@dataclass(frozen=True)
class Skeleton:
    """Everything about a reference document that does not change per render."""

    before: tuple[Entry, ...]  # parts zipped before the main document part
    after: tuple[Entry, ...]
    main_name: str
    core_name: str | None
    core_first: bool  # whether core.xml comes before the main part
    sect_pr: str
    text_width: int  # twips between the margins
    #: The style ID the reference gives each of :data:`STYLE_IDS` (a localised Word
    #: names its heading styles "1", "2", … and keeps the name "heading 1").
    style_ids: dict[str, str] = field(default_factory=dict)
    #: "zh", "en" or "" — the language the reference says it is written in.
    language: str = ""
    warnings: tuple[str, ...] = ()
    #: (left, hanging) indent in twips of each item level's style.
    item_indents: dict[int, tuple[int, int]] = field(default_factory=dict)


def skeleton_to_json(sk: Skeleton, reference: bytes) -> str:
    """``sk`` as JSON text, bound to the ``reference`` bytes it was built from."""
    data = asdict(sk)
    for key in ("before", "after"):
        data[key] = [[e.name.decode("utf-8"), base64.b64encode(e.data).decode("ascii"), e.crc, e.size]
                     for e in getattr(sk, key)]
    data["item_indents"] = {str(k): list(v) for k, v in sk.item_indents.items()}
    data["reference_sha256"] = hashlib.sha256(reference).hexdigest()
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def skeleton_from_json(text: str, reference: bytes) -> Skeleton | None:
    """The skeleton in ``text``, or None if it was built from other reference bytes."""
    data = json.loads(text)
    if data.pop("reference_sha256", None) != hashlib.sha256(reference).hexdigest():
        return None
    for key in ("before", "after"):
        data[key] = tuple(Entry(n.encode("utf-8"), base64.b64decode(d), crc, size)
                          for n, d, crc, size in data[key])
    data["item_indents"] = {int(k): tuple(v) for k, v in data["item_indents"].items()}
    data["warnings"] = tuple(data["warnings"])
    return Skeleton(**data)


def bundled_skeleton(locale: str) -> Skeleton:
    """The skeleton of the bundled reference for ``locale``: the ready-made one, or (if it is
    missing or out of date) built now."""
    reference = reference_docx(locale)
    ready = resources.files("planwriter").joinpath("data").joinpath(f"reference-{locale}.skeleton.json")
    try:
        sk = skeleton_from_json(ready.read_text(encoding="utf-8"), reference)
    except (OSError, ValueError, KeyError, TypeError):
        sk = None
    if sk is None:
        from .package import build_skeleton
        sk = build_skeleton(reference, f"bundled reference-{locale}.docx", None)
    return sk
