"""Declared fields: plain data in, checked and immutable model objects out.

The plan model (:mod:`planwriter.model`) is declared with this module: each model
class lists its fields, each field has a *kind* that knows how to read a value,
what is wrong with a bad one, and how to describe itself in JSON Schema.

Why not a validation library: a plan is small, but ``planwriter`` is often a
one-document process, and importing and building the models of a general
library costs more than all the rest of a render. Declared fields cost next to
nothing to define, validate a plan in well under a millisecond, and say what is
wrong in the words a plan's author needs ("should be a list (one '- ' line per
entry)"), every problem at once, each at its place in the data.

Models keep the method names people know: ``Model.model_validate(data)``,
``obj.model_dump()``, ``obj.model_copy(update=...)`` and
``Model.model_json_schema()``.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Callable, ClassVar, Iterable, NamedTuple

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()
#: Key of the stand-in schema a model gives a pydantic-built schema (see Model).
MODEL_MARKER = "x-planwriter-model"
#: Key in the ``defs`` of a schema being made under which the ``$ref`` template is kept.
_REF = "\0ref"


class Problem(NamedTuple):
    """One thing wrong with the data: where (a path of keys and indexes) and what."""

    loc: tuple
    message: str


class Invalid(ValueError):
    """The data does not fit the model: :attr:`problems` lists everything found."""

    def __init__(self, problems: list[Problem], title: str = "data") -> None:
        self.problems = problems
        first = problems[0]
        where = ".".join(str(p) for p in first.loc) or title
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{where}: {first.message}{more}")


class Bad(Exception):
    """Raised by a kind or a model check: the value at hand is wrong, for this reason."""


class Context:
    """What one validation carries: the problems found so far and the caller's extras."""

    __slots__ = ("problems", "extra")

    def __init__(self, extra: dict | None = None) -> None:
        self.problems: list[Problem] = []
        self.extra = extra if extra is not None else {}

    def fail(self, loc: tuple, message: str) -> None:
        self.problems.append(Problem(loc, message))


# --------------------------------------------------------------------------- kinds

class Kind:
    """How one field's value is read and described. Subclasses implement :meth:`read`."""

    description = ""

    def read(self, value: Any, loc: tuple, ctx: Context) -> Any:  # pragma: no cover
        raise NotImplementedError

    def schema(self, defs: dict) -> dict:  # pragma: no cover
        raise NotImplementedError

    def dump(self, value: Any, json: bool, lean: bool = False) -> Any:
        """``value`` as plain data (``lean``: models without the fields left at their
        defaults)."""
        return value


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:40] + "…")
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return repr(value)


class Str(Kind):
    """A text of one language (a string), checked by ``clean`` (e.g. for control characters)."""

    def __init__(self, clean: Callable[[str], str] | None = None, description: str = "") -> None:
        self.clean, self.description = clean, description

    def read(self, value, loc, ctx):
        if not isinstance(value, str):
            raise Bad(f"should be a text, not {_shown(value)}")
        if self.clean is not None:
            try:
                return self.clean(value)
            except ValueError as e:
                raise Bad(str(e)) from None
        return value

    def schema(self, defs):
        return {"type": "string"}


def _number(value: Any, what: str) -> int | float:
    """A number from YAML or JSON: numbers as they are, numeric text read as a number."""
    if isinstance(value, bool):
        raise Bad(f"should be {what}, not {value!r}")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text) if re.fullmatch(r"[-+]?\d{1,20}", text) else float(text)
        except ValueError:
            pass
    raise Bad(f"should be {what}, not {_shown(value)}")


def _bounds(value: float, ge: float | None, le: float | None) -> None:
    if (ge is not None and value < ge) or (le is not None and value > le):
        if ge is not None and le is not None:
            raise Bad(f"should be between {ge:g} and {le:g}, not {value:g}")
        if ge is not None:
            raise Bad(f"should be at least {ge:g}, not {value:g}")
        raise Bad(f"should be at most {le:g}, not {value:g}")


class Int(Kind):
    """A whole number, optionally between ``ge`` and ``le``."""

    def __init__(self, ge: int | None = None, le: int | None = None, description: str = "") -> None:
        self.ge, self.le, self.description = ge, le, description

    def read(self, value, loc, ctx):
        n = _number(value, "a whole number")
        if isinstance(n, float):
            if not n.is_integer():
                raise Bad(f"should be a whole number, not {n:g}")
            n = int(n)
        _bounds(n, self.ge, self.le)
        return n

    def schema(self, defs):
        out: dict = {"type": "integer"}
        if self.ge is not None:
            out["minimum"] = self.ge
        if self.le is not None:
            out["maximum"] = self.le
        return out


class Number(Kind):
    """A finite number, optionally between ``ge`` and ``le``."""

    def __init__(self, ge: float | None = None, le: float | None = None, description: str = "") -> None:
        self.ge, self.le, self.description = ge, le, description

    def read(self, value, loc, ctx):
        n = _number(value, "a number")
        if isinstance(n, float) and not math.isfinite(n):
            raise Bad(f"should be a finite number, not {value!r}")
        if isinstance(n, int) and n.bit_length() > 332:
            raise Bad("is a number too long to mean anything in a plan")
        _bounds(n, self.ge, self.le)
        return float(n)

    def schema(self, defs):
        out: dict = {"type": "number"}
        if self.ge is not None:
            out["minimum"] = self.ge
        if self.le is not None:
            out["maximum"] = self.le
        return out


class Bool(Kind):
    """true or false."""

    def __init__(self, description: str = "") -> None:
        self.description = description

    def read(self, value, loc, ctx):
        if isinstance(value, bool):
            return value
        raise Bad(f"should be true or false, not {_shown(value)}")

    def schema(self, defs):
        return {"type": "boolean"}


_DATE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*")


class Date(Kind):
    """A calendar date: ``2025-01-15``."""

    def __init__(self, description: str = "") -> None:
        self.description = description

    def read(self, value, loc, ctx):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and (m := _DATE.fullmatch(value)):
            try:
                return dt.date(*map(int, m.groups()))
            except ValueError as e:
                raise Bad(f"invalid date {value.strip()!r}: {e}") from None
        raise Bad(f"should be a date such as 2025-01-15, not {_shown(value)}")

    def schema(self, defs):
        return {"type": "string", "format": "date"}

    def dump(self, value, json, lean=False):
        return value.isoformat() if json else value


class Choice(Kind):
    """One of a fixed set of names (``aliases`` map other spellings onto them)."""

    def __init__(self, values: Iterable[str], aliases: dict[str, str] | None = None,
                 description: str = "") -> None:
        self.values = tuple(values)
        self._set = frozenset(self.values)
        self.aliases = aliases or {}
        self.description = description

    def read(self, value, loc, ctx):
        if isinstance(value, str):
            if value in self._set:
                return value
            if value in self.aliases:
                return self.aliases[value]
        msg = f"'{value}' is not one of: {', '.join(self.values)}"
        import difflib  # (only to suggest a name)
        close = difflib.get_close_matches(str(value), self.values, n=1, cutoff=0.6)
        raise Bad(msg + (f"; did you mean '{close[0]}'?" if close else ""))

    def schema(self, defs):
        return {"enum": list(self.values), "type": "string"}


class Optional(Kind):
    """``kind`` or null."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.description = kind.description

    def read(self, value, loc, ctx):
        return None if value is None else self.kind.read(value, loc, ctx)

    def schema(self, defs):
        return {"anyOf": [self.kind.schema(defs), {"type": "null"}]}

    def dump(self, value, json, lean=False):
        return None if value is None else self.kind.dump(value, json, lean)


class List(Kind):
    """A list of ``kind``, with at least ``min_length`` entries; each entry is checked at
    its own index."""

    def __init__(self, kind: Kind, min_length: int = 0, description: str = "") -> None:
        self.kind, self.min_length, self.description = kind, min_length, description

    def read(self, value, loc, ctx):
        if not isinstance(value, list):
            raise Bad("should be a list (one '- ' line per entry)")
        if len(value) < self.min_length:
            n = self.min_length
            raise Bad(f"needs at least {n} entr{'y' if n == 1 else 'ies'}")
        read = self.kind.read
        out = []
        for i, v in enumerate(value):
            here = loc + (i,)
            try:
                out.append(read(v, here, ctx))
            except Bad as e:
                ctx.fail(here, str(e))
        return out

    def schema(self, defs):
        out: dict = {"type": "array", "items": self.kind.schema(defs)}
        if self.min_length:
            out["minItems"] = self.min_length
        return out

    def dump(self, value, json, lean=False):
        return [self.kind.dump(v, json, lean) for v in value]


class Mapping(Kind):
    """A mapping of names (checked by ``key``) to values of ``kind``."""

    def __init__(self, kind: Kind, key: Callable[[str], str] | None = None,
                 description: str = "") -> None:
        self.kind, self.key, self.description = kind, key, description

    def read(self, value, loc, ctx):
        if not isinstance(value, dict):
            raise Bad("should be a mapping (key: value lines)")
        out = {}
        for k, v in value.items():
            here = loc + (k,)
            try:
                name = self.key(str(k)) if self.key is not None else str(k)
                out[name] = self.kind.read(v, here, ctx)
            except Bad as e:
                ctx.fail(here, str(e))
            except ValueError as e:
                ctx.fail(here, str(e))
        return out

    def schema(self, defs):
        return {"type": "object", "additionalProperties": self.kind.schema(defs)}

    def dump(self, value, json, lean=False):
        return {k: self.kind.dump(v, json, lean) for k, v in value.items()}


class Anything(Kind):
    """Any plain value, checked by ``check`` (which raises ValueError)."""

    def __init__(self, check: Callable[[Any], Any] | None = None, schema: dict | None = None,
                 description: str = "") -> None:
        self.check, self._schema, self.description = check, schema or {}, description

    def read(self, value, loc, ctx):
        if self.check is None:
            return value
        try:
            return self.check(value)
        except ValueError as e:
            raise Bad(str(e)) from None

    def schema(self, defs):
        return dict(self._schema)

    def dump(self, value, json, lean=False):
        return dump_value(value, json, lean)


class Parsed(Kind):
    """A value read by ``parse`` (which raises ValueError), written back by ``write``."""

    def __init__(self, parse: Callable[[Any], Any], write: Callable[[Any], Any] = str,
                 schema: dict | None = None, description: str = "") -> None:
        self.parse, self.write = parse, write
        self._schema, self.description = schema or {"type": "string"}, description

    def read(self, value, loc, ctx):
        try:
            return self.parse(value)
        except ValueError as e:
            raise Bad(str(e)) from None

    def schema(self, defs):
        return dict(self._schema)

    def dump(self, value, json, lean=False):
        return self.write(value)


class OneOf(Kind):
    """One of several kinds, chosen by the shape of the value: ``pick(value)`` returns the
    kind to read it with (or raises Bad)."""

    def __init__(self, kinds: Iterable[Kind], pick: Callable[[Any], Kind],
                 dump: Callable[[Any, bool], Any] | None = None, description: str = "") -> None:
        self.kinds, self.pick, self._dump, self.description = tuple(kinds), pick, dump, description

    def read(self, value, loc, ctx):
        return self.pick(value).read(value, loc, ctx)

    def schema(self, defs):
        return {"anyOf": [k.schema(defs) for k in self.kinds]}

    def dump(self, value, json, lean=False):
        if self._dump is not None:
            return self._dump(value, json)
        return dump_value(value, json, lean)


class Nested(Kind):
    """A model inside a model (or a list of them): read from a mapping of its fields."""

    def __init__(self, model: Callable[[], type["Model"]] | type["Model"], description: str = "") -> None:
        self._model = model
        self._resolved: type[Model] | None = model if isinstance(model, type) else None
        self.description = description

    @property
    def model(self) -> type["Model"]:
        if self._resolved is None:
            self._resolved = self._model()  # type: ignore[operator]
        return self._resolved

    def read(self, value, loc, ctx):
        model = self._resolved or self.model
        if type(value) is dict:
            return model._read(value, loc, ctx)
        if isinstance(value, model):
            return value
        raise Bad("should be a mapping of fields (key: value lines)")

    def schema(self, defs):
        model = self.model
        if model.__name__ not in defs:
            defs[model.__name__] = None  # reserve: models may refer to themselves
            defs[model.__name__] = model._object_schema(defs)
        return {"$ref": defs.get(_REF, "#/$defs/{model}").format(model=model.__name__)}

    def dump(self, value, json, lean=False):
        return value.model_dump(mode="json" if json else "python", exclude_defaults=lean)


# --------------------------------------------------------------------------- models

class Field:
    """A declared field of a model: its kind, its default and what it is for."""

    __slots__ = ("kind", "default", "factory", "description", "name", "title")

    def __init__(self, kind: Kind, default: Any = MISSING, *, factory: Callable[[], Any] | None = None,
                 description: str = "", title: str = "") -> None:
        self.kind, self.default, self.factory = kind, default, factory
        self.description = description or kind.description
        self.title = title
        self.name = ""

    @property
    def required(self) -> bool:
        return self.default is MISSING and self.factory is None

    def default_value(self) -> Any:
        return self.factory() if self.factory is not None else self.default


def field(kind: Kind, default: Any = MISSING, **kw) -> Any:
    """Declare a field (typed ``Any`` so that declarations read like attributes)."""
    return Field(kind, default, **kw)


def dump_value(value: Any, json: bool, lean: bool = False) -> Any:
    """A model value as plain data (models and texts unfolded; dates as text for JSON)."""
    if isinstance(value, Model):
        return value.model_dump(mode="json" if json else "python", exclude_defaults=lean)
    if isinstance(value, list):
        return [dump_value(v, json, lean) for v in value]
    if isinstance(value, dict):
        return {k: dump_value(v, json, lean) for k, v in value.items()}
    dump = getattr(value, "__plain__", None)
    if dump is not None:
        return dump()
    if json and isinstance(value, dt.date):
        return value.isoformat()
    return value


class Model:
    """Base class of declared models: immutable objects made from checked plain data."""

    model_fields: ClassVar[dict[str, Field]] = {}
    _order: ClassVar[tuple[tuple[str, Field], ...]] = ()

    def __init_subclass__(cls, **kw) -> None:
        super().__init_subclass__(**kw)
        fields: dict[str, Field] = {}
        for base in reversed(cls.__mro__[1:]):
            fields.update(getattr(base, "model_fields", {}))
        for name, value in list(vars(cls).items()):
            if isinstance(value, Field):
                value.name = name
                fields[name] = value
                delattr(cls, name)
        cls.model_fields = fields
        cls._order = tuple(fields.items())

    # -- construction --------------------------------------------------------
    def __init__(self, **data: Any) -> None:
        made = type(self).model_validate(data)
        object.__setattr__(self, "__dict__", made.__dict__)

    @classmethod
    def model_validate(cls, data: Any, *, context: dict | None = None):
        """Check ``data`` (a mapping of fields) and make the model; raises :class:`Invalid`
        listing every problem."""
        if isinstance(data, cls):
            return data
        ctx = Context(context)
        if not isinstance(data, dict):
            raise Invalid([Problem((), "should be a mapping of fields (key: value lines)")],
                          cls.__name__)
        made = cls._read(data, (), ctx)
        if ctx.problems:
            raise Invalid(ctx.problems, cls.__name__)
        return made

    @classmethod
    def _read(cls, data: dict, loc: tuple, ctx: Context):
        before = len(ctx.problems)
        fields = cls.model_fields
        values: dict[str, Any] = {}
        for key, raw in data.items():
            f = fields.get(key)
            if f is None:
                ctx.fail(loc + (key,), cls._unknown(key))
                continue
            try:
                values[key] = f.kind.read(raw, loc + (key,), ctx)
            except Bad as e:
                ctx.fail(loc + (key,), str(e))
        fixed, factories, required = cls._defaults()
        if len(values) < len(fields):
            for name, factory in factories:
                if name not in data:
                    values[name] = factory()
            for name in required:
                if name not in data:
                    ctx.fail(loc + (name,), "is required")
        if len(ctx.problems) > before:
            return None
        obj = object.__new__(cls)
        d = obj.__dict__
        d.update(fixed)  # the defaults that are values; what was read goes over them
        d.update(values)
        try:
            obj._check(loc, ctx)
        except Bad as e:
            ctx.fail(loc, str(e))
        return obj

    @classmethod
    def _unknown(cls, key: Any) -> str:
        known = list(cls.model_fields)
        msg = f"unknown field '{key}'"
        import difflib  # (only to suggest a name)
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        return msg + (f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(known)})")

    def _check(self, loc: tuple, ctx: Context) -> None:
        """Checks across fields, after each field was read; raise :class:`Bad` or call
        ``ctx.fail`` for each problem."""

    @classmethod
    def _defaults(cls) -> tuple[dict[str, Any], tuple[tuple[str, Callable[[], Any]], ...], tuple[str, ...]]:
        """The class's defaults, sorted once: values, factories, and the fields required."""
        got = cls.__dict__.get("_sorted_defaults")
        if got is None:
            got = ({n: f.default for n, f in cls._order if f.factory is None and f.default is not MISSING},
                   tuple((n, f.factory) for n, f in cls._order if f.factory is not None),
                   tuple(n for n, f in cls._order if f.required))
            type.__setattr__(cls, "_sorted_defaults", got)
        return got

    @classmethod
    def model_construct(cls, **values: Any):
        """A model from values already checked: missing fields take their defaults."""
        obj = object.__new__(cls)
        fixed, factories, _ = cls._defaults()
        d = obj.__dict__
        d.update(fixed)
        for name, factory in factories:
            if name not in values:
                d[name] = factory()
        d.update(values)
        return obj

    # -- immutability and value semantics ------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
            return
        raise AttributeError(f"{type(self).__name__} is immutable; use model_copy(update=...)")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(self.__dict__[n] == other.__dict__[n] for n in self.model_fields)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={self.__dict__[n]!r}" for n in self.model_fields
                          if self.__dict__[n] != self.model_fields[n].default_value())
        return f"{type(self).__name__}({shown})"

    # -- the methods people know ---------------------------------------------
    def model_copy(self, *, update: dict[str, Any] | None = None):
        """A copy with some fields replaced (not checked again)."""
        new = object.__new__(type(self))
        new.__dict__.update({k: v for k, v in self.__dict__.items() if not k.startswith("_")})
        if update:
            new.__dict__.update(update)
        return new

    def model_dump(self, *, mode: str = "python", exclude_defaults: bool = False,
                   exclude: set | dict | None = None) -> dict[str, Any]:
        """The model as plain data: ``mode="json"`` gives what JSON can hold; ``exclude`` leaves
        out fields (a set of names, or a mapping of names to what to leave out inside them)."""
        json = mode == "json"
        out: dict[str, Any] = {}
        for name, f in self._order:
            value = self.__dict__[name]
            if exclude_defaults and value == f.default_value():
                continue
            inner = None
            if exclude is not None and name in exclude:
                inner = exclude[name] if isinstance(exclude, dict) else True
                if inner is True or inner is ...:
                    continue
            if inner is not None and isinstance(value, Model):
                out[name] = value.model_dump(mode=mode, exclude_defaults=exclude_defaults,
                                             exclude=inner)
            else:
                out[name] = None if value is None else f.kind.dump(value, json, exclude_defaults)
        return out

    @classmethod
    def _object_schema(cls, defs: dict) -> dict:
        props: dict[str, Any] = {}
        required = []
        for name, f in cls._order:
            s = f.kind.schema(defs)
            s["title"] = f.title or name.replace("_", " ").capitalize()
            if f.description:
                s["description"] = f.description
            if not f.required:
                default = f.default_value()
                if default is not None or f.default is None:
                    s["default"] = dump_value(default, True)
            else:
                required.append(name)
            props[name] = s
        out: dict[str, Any] = {"additionalProperties": False, "properties": props,
                               "title": cls.__name__, "type": "object"}
        if required:
            out["required"] = required
        doc = (cls.__doc__ or "").strip()
        if doc:
            out["description"] = " ".join(doc.split("\n\n")[0].split())
        return out

    @classmethod
    def model_json_schema(cls, *, ref_template: str = "#/$defs/{model}") -> dict[str, Any]:
        """The JSON Schema of this model's data, with every model it holds under ``$defs``
        (referred to through ``ref_template``, as in OpenAPI's ``#/components/schemas/{model}``)."""
        defs: dict[str, Any] = {cls.__name__: None, _REF: ref_template}
        top = cls._object_schema(defs)
        del defs[cls.__name__], defs[_REF]
        if defs:
            top["$defs"] = dict(sorted(defs.items()))
        return top

    # -- for services built on pydantic (FastAPI): a model as a field of theirs ---------
    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any):
        from pydantic_core import core_schema as cs
        return cs.no_info_plain_validator_function(
            cls.model_validate,
            serialization=cs.plain_serializer_function_ser_schema(
                lambda obj: obj.model_dump(mode="json")))

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        # A stand-in that names the model; an OpenAPI description puts this model's own
        # schema among its components and points the stand-in there (MODEL_MARKER).
        return {"type": "object", "title": cls.__name__, MODEL_MARKER: cls.__name__}
