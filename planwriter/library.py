"""The block library and presets, as users browse and start from them."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from .environment import BlockInfo, Environment
from .errors import PlanError
from .loader import loads, parse_yaml
from .model import Plan, is_localised
from .writers.markdown import write_markdown

#: The institution a block is shown for when no plan gives one, per institution type.
SAMPLE_ORGANISATIONS = {
    "township_health_center": {"zh": "青山镇卫生院", "en": "Qingshan Township Health Centre"},
    "community_health_center": {"zh": "青山街道社区卫生服务中心",
                                "en": "Qingshan Sub-district Community Health Service Centre"},
    "hospital": {"zh": "青山县人民医院", "en": "Qingshan County People's Hospital"},
    "community": {"zh": "青山街道青松社区居民委员会", "en": "Qingsong Residents' Committee"},
    "other": {"zh": "青山县卫生健康局", "en": "Qingshan County Health Bureau"},
}
SAMPLE_SUPERIORS = {
    "community": {"zh": "青山街道办事处", "en": "Qingshan Sub-district Office"},
    "other": {"zh": "青山县人民政府", "en": "Qingshan County People's Government"},
}
SAMPLE_SUPERIOR = {"zh": "青山县卫生健康局", "en": "Qingshan County Health Bureau"}


def sample_meta(org_type: str = "township_health_center") -> dict[str, Any]:
    """The meta of a sample plan for ``org_type``: organisation, superior and type."""
    return {"organisation": SAMPLE_ORGANISATIONS.get(org_type, SAMPLE_ORGANISATIONS["other"]),
            "superior": SAMPLE_SUPERIORS.get(org_type, SAMPLE_SUPERIOR), "org_type": org_type}


#: The context a block is shown in when no plan gives one.
SAMPLE_META = sample_meta()


def list_blocks(env: Environment, kind: str | None = None,
                org_type: str | None = None) -> list[BlockInfo]:
    """Blocks in key order, optionally only those for one section kind or institution type."""
    return [b for b in env.blocks.values()
            if (kind is None or kind in b.kinds) and (org_type is None or org_type in b.org_types)]


def typed_params(env: Environment, key: str, raw: dict[str, str]) -> dict[str, Any]:
    """Parameters given as text (``-p NAME=VALUE``) read by the type the block declares:
    numbers for percent, month, count and number; text as written for text."""
    from . import plainyaml
    info = env.block(key)
    out: dict[str, Any] = {}
    for name, value in raw.items():
        kind = info.params.get(name, {}).get("type")
        if kind == "text":
            out[name] = value
            continue
        if len(value) > 1 and value[0] in "'\"" and value[-1] == value[0]:
            out[name] = value[1:-1]  # quoted: a text, as written
            continue
        try:
            parsed = plainyaml.scalar(value.strip())
        except ValueError as e:
            raise PlanError(f"--param {name}: {e}") from None
        out[name] = parsed if isinstance(parsed, (int, float)) and not isinstance(parsed, bool) \
            else value
    return out


def show_block(env: Environment, key: str, locale: str, params: dict[str, Any] | None = None,
               year: int | None = None, org_type: str | None = None) -> str:
    """One block rendered as Markdown under its own title, in a sample context: an
    institution of ``org_type`` (default: the first type the block declares)."""
    info = env.block(key)  # unknown keys fail here, with a suggestion
    org_type = org_type or (info.org_types[0] if info.org_types else "township_health_center")
    try:
        plan = Plan.model_validate({
            "meta": {**_only(sample_meta(org_type), locale), "year": year or dt.date.today().year,
                     "locales": [locale]},
            "sections": [{"kind": "custom", "title": key, "block": key, "params": params or {}}]})
        doc = env.compose(plan, locale)
    except PlanError as e:  # say it without the wrapper plan's field paths
        raise PlanError(e.message) from None
    except ValueError as e:
        raise PlanError(" ".join(str(e).split("\n")[1:3]).strip()) from None
    # Drop the wrapper section: show the block from its own heading down.
    doc = type(doc)(doc.locale, env.block(key).title.get(locale, key),
                    tuple(_shift(b) for b in doc.blocks[1:]))
    return write_markdown(doc)


def _shift(block):
    level = getattr(block, "level", None)
    return block if level is None else type(block)(**{**block.__dict__, "level": level - 1})


def _only(data: Any, locale: str) -> Any:
    """A bilingual structure reduced to one language."""
    if is_localised(data):
        return data[locale] if locale in data else data
    if isinstance(data, dict):
        return {k: _only(v, locale) for k, v in data.items()}
    if isinstance(data, list):
        return [_only(v, locale) for v in data]
    return data


def shift_date(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February in a year that has none
        return d.replace(year=d.year + years, day=28)


def _shift_date_text(text: str, years: int) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text.strip())
    if not m:
        return re.sub(r"\b(\d{4})\b", lambda y: str(int(y.group(1)) + years), text)
    try:
        return shift_date(dt.date(*map(int, m.groups())), years).isoformat()
    except ValueError:
        return text  # not a real date: left for validation to report


def shift_years(data: Any, years: int) -> Any:
    """A plan moved by ``years``: its issue date, its period and every year in its schedule."""
    if isinstance(data, dict):
        out = {k: shift_years(v, years) for k, v in data.items()}
        for key in ("date", "start", "end", "when"):
            value = out.get(key)
            if isinstance(value, dt.date):
                out[key] = shift_date(value, years)
            elif isinstance(value, str) and (key == "when" or re.match(r"\d{4}-", value)):
                out[key] = _shift_date_text(value, years)
            elif key == "when" and isinstance(value, int) and not isinstance(value, bool) \
                    and value > 12:  # a year, not a month
                out[key] = value + years
        return out
    if isinstance(data, list):
        return [shift_years(v, years) for v in data]
    return data


def preset_names(env: Environment) -> list[str]:
    names = set()
    for d in env.search_path:
        if (d / "presets").is_dir():
            names |= {p.stem for p in (d / "presets").glob("*.yaml")}
    return sorted(names)


def new_plan(env: Environment, preset: str, locale: str | None = None, year: int | None = None) -> str:
    """The YAML text of a complete starting plan from ``preset``, checked to render."""
    for d in env.search_path:
        path = d / "presets" / f"{preset}.yaml"
        if path.is_file():
            break
    else:
        raise PlanError(f"unknown preset '{preset}' (presets: {', '.join(preset_names(env))})")
    text = path.read_text(encoding="utf-8")
    if locale or year:
        data, _ = parse_yaml(text, str(path))
        if year:
            shift = year - data["meta"].get("year", year)
            data["meta"]["year"] = year
            data = shift_years(data, shift)
        if locale:
            data = _only(data, locale)
            data["meta"]["locales"] = [locale]
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    plan = loads(text, f"preset {preset}")
    for loc in plan.meta.locales:
        env.compose(plan, loc)
    return text
