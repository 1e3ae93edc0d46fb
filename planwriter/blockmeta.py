"""Block metadata (``blocks.yaml``): read like a plan, every entry checked and located.

A user's template folder may carry a ``blocks.yaml`` of its own; it is untrusted input.
It is read through the same bounded reader and plain-YAML parser as plans, and each
entry is validated with a located one-line error for anything malformed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from . import fields as f
from .environment import PARAM_TYPES, param_problem, read_folder_yaml
from .errors import PlanError, PlanErrors
from .fields import Invalid, field
from .loader import problems_to_errors
from .model import _BLOCK_KEY, ORG_TYPES, SECTION_KINDS, _clean_value, is_localised


_ANY_TEXT = f.OneOf((f.Str(), f.Mapping(f.Str())),
                    lambda v: f.Mapping(f.Str()) if isinstance(v, dict) else f.Str())


class _ParamSpec(f.Model):
    type = field(f.Optional(f.Str()), None, description="percent, month, count, number or text")
    default = field(f.Anything(), None)
    defaults = field(f.Mapping(f.Anything()), factory=dict,
                     description="defaults by institution type (org_type)")
    unit = field(f.Optional(f.Str()), None, description="how an amount is written: wan_yuan, yuan")
    required = field(f.Bool(), False)
    description = field(f.Optional(_ANY_TEXT), None)


class _BlockEntry(f.Model):
    title = field(_ANY_TEXT, factory=dict)
    kinds = field(f.List(f.Str()), factory=list)
    org_types = field(f.List(f.Str()), factory=list)
    params = field(f.Mapping(f.Nested(_ParamSpec)), factory=dict)
    topics = field(f.List(f.Str()), factory=list)


def read_block_metadata(path: Path, root: Path) -> dict[str, Any]:
    """A blocks.yaml read like a plan: bounded, plain YAML, every entry checked and located."""
    data, source = read_folder_yaml(root, path, "block metadata")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise source.error("block metadata must be a mapping of block keys to their entries")
    errors: list[PlanError] = []
    for key, entry in data.items():
        if not _BLOCK_KEY.fullmatch(key):
            errors.append(source.error(f"'{key}' is not a block key; keys look like "
                                       "quality/infection_control", key))
            continue
        try:
            info = _BlockEntry.model_validate(entry if entry is not None else {})
            _clean_value(entry)
        except Invalid as e:
            errors.extend(problems_to_errors([p._replace(loc=(key,) + p.loc) for p in e.problems],
                                             source))
            continue
        except ValueError as e:
            errors.append(source.error(str(e), key))
            continue
        for where, values, allowed in ((f"{key}.kinds", info.kinds, SECTION_KINDS),
                                       (f"{key}.org_types", info.org_types, ORG_TYPES)):
            for i, v in enumerate(values):
                if v not in allowed:
                    import difflib  # (only to suggest a name)
                    close = difflib.get_close_matches(v, allowed, n=1, cutoff=0.6)
                    hint = f"; did you mean '{close[0]}'?" if close else \
                        f" (one of: {', '.join(allowed)})"
                    errors.append(source.error(f"'{v}' is not a known value{hint}", f"{where}[{i}]"))
        for pname, spec in info.params.items():
            where = f"{key}.params.{pname}"
            if spec.type is not None and spec.type not in PARAM_TYPES:
                import difflib  # (only to suggest a name)
                close = difflib.get_close_matches(spec.type, list(PARAM_TYPES), n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else \
                    f" (one of: {', '.join(PARAM_TYPES)})"
                errors.append(source.error(f"'{spec.type}' is not a parameter type{hint}",
                                           f"{where}.type"))
            elif "default" in (entry.get("params", {}).get(pname) or {}):
                default = spec.default
                values = list(default.values()) if is_localised(default) and spec.type != "text" \
                    else [default]
                for v in values:
                    if (problem := param_problem(spec.type, v)):
                        errors.append(source.error(f"the default {problem}, got {v!r}",
                                                   f"{where}.default"))
                        break
            for org_type, v in spec.defaults.items():
                if org_type not in ORG_TYPES:
                    errors.append(source.error(f"'{org_type}' is not an institution type (one of: "
                                               f"{', '.join(ORG_TYPES)})", f"{where}.defaults"))
                elif (problem := param_problem(spec.type, v)):
                    errors.append(source.error(f"the default {problem}, got {v!r}",
                                               f"{where}.defaults.{org_type}"))
    if errors:
        errors.sort(key=lambda e: e.line or 0)
        raise errors[0] if len(errors) == 1 else PlanErrors(errors)
    return data
