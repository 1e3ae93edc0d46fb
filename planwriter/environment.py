"""The Environment: template search path, options and caches, and nothing global.

Two environments (say, one with a user's template folder and one without) can
render plans side by side in one process.
"""
from __future__ import annotations

import hashlib
import os
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Sequence

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SecurityError

from . import inputs, sandbox
from .errors import PlanError, TemplateError
from .formatting import Formatter, continuing
from .model import is_localised
from .numbering import chinese_numeral
from .sandbox import BoundedSandbox, Limits

if TYPE_CHECKING:
    from .glossary import Glossary

#: Units counted or summed, whose numbers take 万 and 亿 (million, billion).
COUNTED_UNITS = frozenset({"yuan", "persons", "person_times", "items", "institutions", "facilities",
                           "households", "beds", "times", "days", "none"})
#: Units that are a larger unit of another: (base unit, factor).
SCALED_UNITS = {"wan_yuan": ("yuan", 1e4), "yi_yuan": ("yuan", 1e8), "wan_persons": ("persons", 1e4)}

#: A template, or a blocks.yaml, is a few kilobytes; anything this large is not one.
MAX_TEMPLATE_BYTES = 1 << 20
#: How many rendered phrases an environment remembers before it starts afresh.
MEMO_SIZE = 8192


class Target(NamedTuple):
    """One dated target of an indicator, for the phrase templates (hashable, so that the
    phrases that use it are remembered)."""

    by: Any
    comparator: str
    quantity: str
    points: str


def _freeze(value: Any) -> Any:
    """A hashable stand-in for a template context value (TypeError if there is none)."""
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    hash(value)
    return (type(value).__name__, value)


def bundled_templates() -> Path:
    """The template library shipped with planwriter (installed or in a source checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "zh").is_dir():
            return candidate
    raise RuntimeError("planwriter's template library is missing from the installation")


def _template_location(exc: BaseException) -> str:
    """'blocks/x.j2:3' for the innermost template frame of a traceback, if any."""
    where = ""
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            where = f"{name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def _sentence(text: str) -> str:
    """The first letter in upper case, the rest as written: 'grade A rate' → 'Grade A rate'."""
    return text[:1].upper() + text[1:]


def _joined(items, separator: str = "") -> str:
    """Items joined by ``separator`` as they are (``join`` is the language's list: a、b和c)."""
    return str(separator).join(str(i) for i in items)


def _raise(message: str) -> None:
    raise TemplateError(message)


def contained_file(root: Path, path: Path) -> str | None:
    """``path`` resolved, if it exists and resolves inside the folder ``root``; None if it
    does not exist. Raises PlanError for a path that a link takes outside ``root``."""
    if not os.path.lexists(path):
        return None
    real = os.path.realpath(path)
    top = os.path.realpath(root)
    if real != top and not real.startswith(top.rstrip(os.sep) + os.sep):
        raise TemplateError(f"{path} leads outside the template folder {root} (to {real}); "
                            "a template folder may not link to files outside it")
    return real


def read_folder_yaml(root: Path, path: Path, what: str) -> tuple[Any, Any]:
    """A YAML file of the template folder ``root`` read like a plan: bounded, plain YAML,
    never through a link out of the folder. Its data and its :class:`~planwriter.loader.Source`
    (for located errors), or (None, None) when there is no such file."""
    from . import plainyaml
    from .loader import Source, decode
    real = contained_file(root, path)
    if real is None:
        return None, None
    name = str(path)
    raw = inputs.read_bytes(real, MAX_TEMPLATE_BYTES, what=what, pipes=False, shown=name)
    data, lines = plainyaml.read(decode(raw, name), name)
    return data, Source(name, lines)


class FolderLoader(jinja2.BaseLoader):
    """Templates from ``root/locale``, never from outside ``root`` (links included), each a
    regular UTF-8 file of bounded size."""

    def __init__(self, root: Path, locale: str) -> None:
        self.root, self.folder = root, root / locale

    def get_source(self, environment, template):
        pieces = split_template_path(template)
        path = self.folder.joinpath(*pieces)
        real = contained_file(self.root, path)
        if real is None or os.path.isdir(real):
            raise jinja2.TemplateNotFound(template)
        raw = inputs.read_bytes(real, MAX_TEMPLATE_BYTES, what="a template", pipes=False,
                                shown=str(path))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise TemplateError(f"template is not UTF-8 text (byte 0x{raw[e.start]:02X})",
                                str(path)) from None
        return text, str(path), lambda: True


class TraditionalLoader(FolderLoader):
    """The Chinese templates of ``root`` converted to Traditional Chinese as they are read
    (for a zh-Hant plan, where the folder has no ``zh-Hant`` template of its own)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root, "zh")

    def get_source(self, environment, template):
        from .hant import to_traditional
        text, filename, uptodate = super().get_source(environment, template)
        return to_traditional(text), filename, uptodate


class BlockInfo:
    """A block's metadata: key, titles, section kinds, institution types, parameters."""

    def __init__(self, key: str, data: dict[str, Any]) -> None:
        self.key = key
        self.title: dict[str, str] = data.get("title", {})
        self.kinds: list[str] = list(data.get("kinds", []))
        self.org_types: list[str] = list(data.get("org_types", []))
        self.params: dict[str, dict[str, Any]] = dict(data.get("params") or {})
        self.topics: list[str] = list(data.get("topics", []))

    def defaults(self, locale: str, org_type: str | None = None) -> dict[str, Any]:
        """Default parameter values in ``locale``; ``defaults: {hospital: 20}`` beside a
        parameter's ``default`` gives a value of a scale that suits one institution type."""
        out = {}
        for name, spec in self.params.items():
            if "default" in spec:
                value = (spec.get("defaults") or {}).get(org_type, spec["default"])
                out[name] = localise(value, locale)
        return out

    def required(self) -> list[str]:
        return [n for n, s in self.params.items() if s.get("required") and "default" not in s]


def _unit_once(env: Any, locale: str, name: str, unit: str) -> str:
    """``unit``, or none when its word is already in the indicator's name (people signed up
    with family doctors should reach 30,000, not 30,000 people)."""
    word = env.quantity(locale, 3, unit).replace("3", "", 1).strip().lower()
    if word.isalpha() and len(word) > 2:
        stem = word[:-1] if word.endswith("s") else word
        if re.search(rf"\b{re.escape(stem)}s?\b", name.lower()):
            return "none"
    return unit


def localise(value: Any, locale: str) -> Any:
    """A parameter value in one language: {zh: …, en: …} → the locale's string (a zh-Hant
    value missing is the zh one converted)."""
    if is_localised(value):
        if locale in value:
            return value[locale]
        if locale == "zh-Hant" and "zh" in value:
            from .hant import to_traditional
            return to_traditional(value["zh"])
        raise KeyError(locale)
    if isinstance(value, list):
        return [localise(v, locale) for v in value]
    return value


#: Parameter types a block may declare in blocks.yaml, and what each accepts.
PARAM_TYPES = {
    "percent": "takes a percentage from 0 to 100",
    "month": "takes a month number from 1 to 12",
    "count": "takes a whole number of 0 or more (below 10^15)",
    "number": "takes a number of 0 or more (below 10^15)",
    "text": "takes a text, or {zh: …, en: …}",
}


def param_problem(kind: str | None, value: Any) -> str | None:
    """What is wrong with ``value`` for a parameter of type ``kind`` (None if nothing)."""
    if kind is None:
        return None
    number = isinstance(value, (int, float)) and not isinstance(value, bool) and value == value \
        and abs(value) < 1e15
    whole = number and (isinstance(value, int) or float(value).is_integer())
    ok = {
        "percent": number and 0 <= value <= 100,
        "month": whole and 1 <= value <= 12,
        "count": whole and value >= 0,
        "number": number and 0 <= value,
        "text": isinstance(value, str) or (is_localised(value)
                                           and all(isinstance(v, str) for v in value.values())),
    }.get(kind, True)
    return None if ok else PARAM_TYPES[kind]


def _default_cache_dir() -> Path | None:
    """Where compiled templates are kept: $PLANWRITER_CACHE_DIR, else the user's cache
    folder ($XDG_CACHE_HOME or ~/.cache)/planwriter. ``PLANWRITER_CACHE_DIR=`` (empty)
    turns the cache off."""
    configured = os.environ.get("PLANWRITER_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "planwriter"


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    """Jinja's bytecode cache in a folder of this user's own, keyed by planwriter's version
    and by the sandbox's code generator, so that no cached template ever runs without the
    guards of the sandbox it was compiled for. None when no private folder is to be had."""
    if folder is None:
        return None
    from . import __version__
    guards = hashlib.sha256(Path(sandbox.__file__).read_bytes()).hexdigest()[:12]
    where = folder / f"templates-{__version__}-{guards}"
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = where.stat()
        if (hasattr(os, "getuid") and st.st_uid != os.getuid()) or st.st_mode & 0o022:
            return None  # someone else's, or writable by others: not safe to load code from
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(where))


class Environment:
    """Carries the template search path and output options for rendering plans.

    ``template_dirs`` are searched before the bundled library; each holds
    ``zh/`` and ``en/`` folders mirroring it, and may hold a ``blocks.yaml`` with
    metadata of added blocks.  ``reference_doc`` is a DOCX whose styles, page
    setup, header and footer the DOCX writer uses.
    """

    def __init__(self, template_dirs: Sequence[str | os.PathLike] = (), *,
                 reference_doc: str | os.PathLike | None = None,
                 limits: Limits | None = None,
                 cache_dir: str | os.PathLike | None | bool = True) -> None:
        self.template_dirs = tuple(Path(d) for d in template_dirs)
        for d in self.template_dirs:
            if not d.is_dir():
                raise PlanError(f"template folder does not exist: {d}")
        self.reference_doc = reference_doc
        #: What one template and one document may cost to render (time and size).
        self.limits = limits or Limits()
        #: Where compiled templates are kept between runs (None: not kept).
        self.cache_dir = (_default_cache_dir() if cache_dir is True else
                          None if cache_dir in (False, None) else Path(cache_dir))
        self._bytecode: Any = False  # made on first use
        #: Template folders in the order they are searched: the user's, then the bundled library.
        self.search_path = self.template_dirs + (bundled_templates(),)
        self._jinja: dict[str, BoundedSandbox] = {}
        self._templates: dict[tuple[str, str], jinja2.Template] = {}
        self._formatters: dict[str, Formatter] = {}
        #: Text rendered by the bundled templates, by template and context (bounded).
        self._memo: dict[Any, str] = {}
        self._bundled_prefix = str(self.search_path[-1]) + os.sep
        self._blocks: dict[str, BlockInfo] | None = None
        self._glossary: Glossary | None = None
        self._docx: Any = None
        self._lock = threading.Lock()

    # -- templates ---------------------------------------------------------
    def jinja(self, locale: str) -> BoundedSandbox:
        """The sandboxed Jinja environment for one language (created once)."""
        env = self._jinja.get(locale)
        if env is None:
            fmt = Formatter(locale)
            if self._bytecode is False:
                self._bytecode = _bytecode_cache(self.cache_dir)
            loaders: list[jinja2.BaseLoader] = []
            for d in self.search_path:
                loaders.append(FolderLoader(d, locale))
                if locale == "zh-Hant":
                    loaders.append(TraditionalLoader(d))
            env = BoundedSandbox(
                loader=jinja2.ChoiceLoader(loaders),
                undefined=jinja2.StrictUndefined, autoescape=False,
                trim_blocks=True, lstrip_blocks=True, auto_reload=False, limits=self.limits,
                bytecode_cache=self._bytecode)
            env.filters.update(num=fmt.number, pct=fmt.percent, date=fmt.date, sentence=_sentence,
                               month_name=fmt.month_name, join=fmt.list, either=fmt.either,
                               joined=_joined, amount=fmt.amount, cn=chinese_numeral,
                               continuing=continuing)
            env.globals.update(indicator=self._indicator_global(locale),
                               term=self._term_global(locale))
            env.globals["raise"] = _raise
            self._jinja[locale] = env
        return env

    def _indicator_global(self, locale: str):
        def indicator(name: str, comparator: str, value: float | None = None, unit: str = "none",
                      baseline: float | None = None) -> str:
            from .model import _COMPARATOR_ALIASES, _UNIT_ALIASES, COMPARATORS
            comparator = _COMPARATOR_ALIASES.get(comparator, comparator)
            if comparator not in COMPARATORS:
                raise TemplateError(f"indicator(): '{comparator}' is not a comparator "
                                    f"({', '.join(COMPARATORS)})")
            return self.indicator_phrase(locale, name, comparator, value,
                                         _UNIT_ALIASES.get(unit, unit), baseline)
        return indicator

    def _term_global(self, locale: str):
        @jinja2.pass_context
        def term(context, key: str) -> str:
            """The glossary's word for ``key`` in this language and for this institution type."""
            entry = self.glossary.terms.get(key)
            if entry is None:
                raise TemplateError(f"the glossary has no term '{key}'")
            return entry.form(locale, context.get("org_type"))
        return term

    @property
    def glossary(self) -> Glossary:
        """The terminology of the search path (``glossary.yaml``), user folders first."""
        with self._lock:
            if self._glossary is None:
                from .glossary import Glossary
                self._glossary = Glossary.from_folders(self.search_path)
            return self._glossary

    def _template(self, name: str, locale: str) -> jinja2.Template:
        key = (locale, name)
        tmpl = self._templates.get(key)
        if tmpl is not None:
            return tmpl
        try:
            tmpl = self.jinja(locale).get_template(name)
        except jinja2.TemplateNotFound:
            raise TemplateError(f"template '{locale}/{name}' not found") from None
        except jinja2.TemplateSyntaxError as e:
            raise TemplateError(f"template syntax error: {e.message}", e.filename or name, e.lineno) from None
        # The bundled library's templates are pure functions of their context, so what they
        # render can be remembered; a user's templates are rendered every time.
        tmpl.pw_pure = tmpl.filename is not None and tmpl.filename.startswith(self._bundled_prefix)
        self._templates[key] = tmpl
        return tmpl

    def _guard(self, name: str, locale: str, tmpl: jinja2.Template, render_func,
               context: dict) -> str:
        """Render under this environment's limits, turning every failure into one located line."""
        lim = self.limits
        try:
            with sandbox.budget(lim.template_seconds, lim.template_chars, lim.max_loop_turns,
                                "it"):
                try:
                    return tmpl.environment.consume(render_func(tmpl.new_context(context)))
                except Exception:
                    # Rewrites the traceback to template lines, as Template.render does.
                    return tmpl.environment.handle_exception()
        except (PlanError, KeyError):
            raise
        except jinja2.UndefinedError as e:
            raise TemplateError(f"template '{locale}/{name}' uses an undefined value: {e.message}",
                                _template_location(e)) from None
        except SecurityError as e:
            raise TemplateError(f"template '{locale}/{name}' was refused by the sandbox: {e}",
                                _template_location(e)) from None
        except jinja2.TemplateNotFound as e:
            raise TemplateError(f"template '{locale}/{name}' refers to '{e.name}', which is not "
                                "in the template search path") from None
        except jinja2.TemplateError as e:
            raise TemplateError(f"template '{locale}/{name}' failed: {e}", _template_location(e)) from None
        except (TypeError, ValueError, AttributeError, ArithmeticError, IndexError,
                RecursionError) as e:
            raise TemplateError(f"template '{locale}/{name}' failed: {e}", _template_location(e)) from None

    def _memo_key(self, name: str, part: str | None, locale: str, context: dict):
        key = (locale, name, part, tuple(context.items()))
        try:
            hash(key)
            return key
        except TypeError:  # a mapping or list in the context
            try:
                return (locale, name, part, _freeze(context))
            except TypeError:
                return None

    def _remember(self, key, text: Any) -> Any:
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = text
        return text

    def remembered(self, name: str, locale: str, key: tuple, make: Callable[[], Any]) -> Any:
        """``make()``, remembered under ``key`` when the template ``name`` that words it is
        one of the bundled library's (pure); a user's template makes it every time."""
        if not self._template(name, locale).pw_pure:
            return make()
        key = ("()", name, locale, key)
        try:
            hit = self._memo.get(key)
        except TypeError:  # a value that cannot be a key
            return make()
        if hit is None:
            hit = self._remember(key, make())
        return hit

    def render(self, name: str, locale: str, /, **context: Any) -> str:
        """Render a whole template to text, stripped of surrounding blank space."""
        tmpl = self._template(name, locale)
        key = self._memo_key(name, None, locale, context) if tmpl.pw_pure else None
        if key is not None and (hit := self._memo.get(key)) is not None:
            return hit
        text = self._guard(name, locale, tmpl, tmpl.root_render_func, context).strip()
        return self._remember(key, text) if key is not None else text

    def render_part(self, name: str, part: str, locale: str, /, **context: Any) -> str | None:
        """Render one ``{% block part %}`` of a template; None if it has no such block."""
        tmpl = self._template(name, locale)
        fn = tmpl.blocks.get(part)
        if fn is None:
            return None
        key = self._memo_key(name, part, locale, context) if tmpl.pw_pure else None
        if key is not None and (hit := self._memo.get(key)) is not None:
            return hit
        text = self._guard(name, locale, tmpl, fn, context).strip()
        return self._remember(key, text) if key is not None else text

    # -- phrases -----------------------------------------------------------
    def quantity(self, locale: str, value: float, unit: str = "none") -> str:
        """A value with its unit, as officials write it: 3万人 · 300万元 · 95% / 30,000 people ·
        CNY 3 million. ``unit`` is a unit key (percent, wan_yuan …), an ISO currency code, or a
        unit of the plan's own (台) written as it is."""
        from .model import CURRENCIES, UNITS
        free = currency = ""
        if unit in CURRENCIES:
            currency, unit = unit, "none"
        elif unit not in UNITS:
            free, unit = unit, "none"
            if locale == "zh-Hant":
                from .hant import to_traditional
                free = to_traditional(free)
        if unit in SCALED_UNITS:
            unit, factor = SCALED_UNITS[unit]
            value = value * factor
        fmt = self.formatter(locale)
        n = fmt.amount(value) if (unit in COUNTED_UNITS or currency or free) else fmt.number(value)
        return self.render("phrases/quantity.j2", locale, value=value, unit=unit, n=n, free=free,
                           currency=currency)

    def formatter(self, locale: str) -> Formatter:
        fmt = self._formatters.get(locale)
        if fmt is None:
            fmt = self._formatters[locale] = Formatter(locale)
        return fmt

    def indicator_context(self, locale: str, name: str, comparator: str, value: float | None,
                          unit: str = "none", baseline: float | None = None,
                          baseline_year: int | None = None, targets=()) -> dict[str, Any]:
        """What the indicator phrase templates need: the name, the comparator, the quantity
        (and the bare number, for percentage points), the baseline and dated targets
        (``targets``: ``(By, comparator, value)`` triples). A new dict each time (the
        caller may add to it), made once for each set of values."""
        targets = tuple(targets)
        made = self.remembered(
            "phrases/quantity.j2", locale,
            ("indicator_context", name, comparator, value, unit, baseline, baseline_year, targets),
            lambda: self._indicator_context(locale, name, comparator, value, unit, baseline,
                                            baseline_year, targets))
        return dict(made)

    def _indicator_context(self, locale: str, name: str, comparator: str, value: float | None,
                           unit: str, baseline: float | None, baseline_year: int | None,
                           targets: tuple) -> dict[str, Any]:
        fmt = self.formatter(locale)
        value = 0 if value is None else value
        # A change in percentage points is a change of a percentage: its baseline is one.
        base_unit = "percent" if unit == "none" and comparator.endswith("_points") else unit
        if locale == "en" and unit != "none":
            unit = _unit_once(self, locale, name, unit)
        return {"name": name, "comparator": comparator, "value": value,
                "quantity": self.quantity(locale, value, unit), "points": fmt.number(value),
                "targets": tuple(Target(by, c or comparator, self.quantity(locale, v, unit), fmt.number(v))
                                 for by, c, v in targets),
                "baseline": baseline,
                "baseline_quantity": None if baseline is None else self.quantity(locale, baseline, base_unit),
                "baseline_year": baseline_year}

    def indicator_phrase(self, locale: str, name: str, comparator: str, value: float | None = None,
                         unit: str = "none", baseline: float | None = None, **more: Any) -> str:
        """参合率达到95%以上 / participation rate of at least 95%."""
        return self.render("phrases/indicator.j2", locale, **self.indicator_context(
            locale, name, comparator, value, unit, baseline, **more))

    # -- blocks ------------------------------------------------------------
    @property
    def blocks(self) -> dict[str, BlockInfo]:
        """Metadata of every block, user folders' entries overriding bundled ones."""
        if self._blocks is None:
            merged: dict[str, Any] = {}
            from .blockmeta import read_block_metadata
            for d in reversed(self.search_path):
                merged.update(read_block_metadata(d / "blocks.yaml", d))
            self._blocks = {k: BlockInfo(k, v or {}) for k, v in sorted(merged.items())}
        return self._blocks

    def block(self, key: str) -> BlockInfo:
        try:
            return self.blocks[key]
        except KeyError:
            import difflib  # (only to suggest a name)
            close = difflib.get_close_matches(key, list(self.blocks), n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else " (run 'planwriter blocks' for the list)"
            raise PlanError(f"unknown block '{key}'{hint}") from None

    def block_params(self, key: str, params: dict[str, Any], locale: str,
                     org_type: str | None = None) -> dict[str, Any]:
        """Defaults (for ``org_type``) merged with ``params``, checked against the block's
        declaration."""
        info = self.block(key)
        for name in params:
            if name not in info.params:
                import difflib  # (only to suggest a name)
                close = difflib.get_close_matches(name, list(info.params), n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else (
                    f" (it takes: {', '.join(info.params) or 'no parameters'})")
                raise PlanError(f"block '{key}' has no parameter '{name}'{hint}", field=f"params.{name}")
        missing = [n for n in info.required() if n not in params]
        if missing:
            raise PlanError(f"block '{key}' needs parameter '{missing[0]}'")
        values = info.defaults(locale, org_type)
        for name, value in params.items():
            problem = param_problem(info.params[name].get("type"), value)
            if problem:
                raise PlanError(f"parameter '{name}' of block '{key}' {problem}, got {value!r}",
                                field=f"params.{name}")
            try:
                values[name] = localise(value, locale)
            except KeyError:
                raise PlanError(f"parameter '{name}' of block '{key}' has no '{locale}' text",
                                field=f"params.{name}") from None
        return values

    def render_block(self, key: str, locale: str, context: dict[str, Any],
                     params: dict[str, Any] | None = None) -> str:
        """A block's text (block markup: paragraphs and ``- `` items) in ``locale``."""
        values = self.block_params(key, params or {}, locale, context.get("org_type"))
        return self.render(f"blocks/{key}.j2", locale, **{**context, **values})

    # -- rendering plans ---------------------------------------------------
    def compose(self, plan, locale: str | None = None, *, errors: list | None = None):
        """The plan as a format-neutral :class:`~planwriter.tree.Document`.

        With ``errors`` (a list), composition errors are appended to it instead of being
        raised, and the document holds every part that composed.
        """
        from .composer import compose
        lim = self.limits
        with sandbox.budget(lim.document_seconds, lim.document_chars, lim.max_loop_turns,
                            "the document"):
            return compose(plan, self, locale, errors)

    def render_markdown(self, plan, locale: str | None = None) -> str:
        from .writers.markdown import write_markdown
        return write_markdown(self.compose(plan, locale))

    def docx_writer(self):
        with self._lock:
            if self._docx is None:
                from .writers.docx import DocxWriter
                try:
                    self._docx = DocxWriter(self.reference_doc)
                except ValueError as e:
                    raise PlanError(str(e)) from None
            return self._docx

    def render_docx(self, plan, locale: str | None = None) -> bytes:
        return self.docx_writer().write(self.compose(plan, locale))

    def render_pdf(self, plan, locale: str | None = None) -> bytes:
        """The plan as PDF bytes: its DOCX converted by LibreOffice (``soffice`` on the PATH)."""
        from .writers.pdf import docx_to_pdf
        return docx_to_pdf(self.render_docx(plan, locale))
