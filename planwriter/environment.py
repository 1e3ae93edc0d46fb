"""The Environment: template search path, options and caches, and nothing global.

Two environments (say, one with a user's template folder and one without) can
render plans side by side in one process.
"""
from __future__ import annotations

import difflib
import os
import threading
from pathlib import Path
from typing import Any, Sequence

import jinja2
import yaml
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .errors import PlanError, TemplateError
from .formatting import Formatter
from .glossary import Glossary
from .model import is_localised
from .numbering import chinese_numeral


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


def _raise(message: str) -> None:
    raise TemplateError(message)


#: The longest string or list a template may build with ``*``, and the largest exponent.
MAX_PRODUCT, MAX_EXPONENT = 1_000_000, 256


class _Sandbox(SandboxedEnvironment):
    """The sandbox, also refusing ``'x' * 10**9`` and ``9**9**9`` (memory and time)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"exponent {right} is larger than {MAX_EXPONENT}")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) \
                        and len(seq) * n > MAX_PRODUCT:
                    raise SecurityError(f"a result of {len(seq) * n:,} elements is too large")
        return super().call_binop(context, operator, left, right)


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


def localise(value: Any, locale: str) -> Any:
    """A parameter value in one language: {zh: …, en: …} → the locale's string."""
    if is_localised(value):
        if locale in value:
            return value[locale]
        raise KeyError(locale)
    if isinstance(value, list):
        return [localise(v, locale) for v in value]
    return value


#: Parameter types a block may declare in blocks.yaml, and what each accepts.
PARAM_TYPES = {
    "percent": "takes a percentage from 0 to 100",
    "month": "takes a month number from 1 to 12",
    "count": "takes a whole number of 0 or more",
    "number": "takes a number of 0 or more",
    "text": "takes a text, or {zh: …, en: …}",
}


def param_problem(kind: str | None, value: Any) -> str | None:
    """What is wrong with ``value`` for a parameter of type ``kind`` (None if nothing)."""
    if kind is None:
        return None
    number = isinstance(value, (int, float)) and not isinstance(value, bool) and value == value
    ok = {
        "percent": number and 0 <= value <= 100,
        "month": number and float(value).is_integer() and 1 <= value <= 12,
        "count": number and float(value).is_integer() and value >= 0,
        "number": number and 0 <= value < float("inf"),
        "text": isinstance(value, str) or (is_localised(value)
                                           and all(isinstance(v, str) for v in value.values())),
    }.get(kind, True)
    return None if ok else PARAM_TYPES[kind]


class Environment:
    """Carries the template search path and output options for rendering plans.

    ``template_dirs`` are searched before the bundled library; each holds
    ``zh/`` and ``en/`` folders mirroring it, and may hold a ``blocks.yaml`` with
    metadata of added blocks.  ``reference_doc`` is a DOCX whose styles, page
    setup, header and footer the DOCX writer uses.
    """

    def __init__(self, template_dirs: Sequence[str | os.PathLike] = (), *,
                 reference_doc: str | os.PathLike | None = None) -> None:
        self.template_dirs = tuple(Path(d) for d in template_dirs)
        for d in self.template_dirs:
            if not d.is_dir():
                raise PlanError(f"template folder does not exist: {d}")
        self.reference_doc = reference_doc
        #: Template folders in the order they are searched: the user's, then the bundled library.
        self.search_path = self.template_dirs + (bundled_templates(),)
        self._jinja: dict[str, SandboxedEnvironment] = {}
        self._blocks: dict[str, BlockInfo] | None = None
        self._glossary: Glossary | None = None
        self._docx: Any = None
        self._lock = threading.Lock()

    # -- templates ---------------------------------------------------------
    def jinja(self, locale: str) -> SandboxedEnvironment:
        """The sandboxed Jinja environment for one language (created once)."""
        env = self._jinja.get(locale)
        if env is None:
            fmt = Formatter(locale)
            env = _Sandbox(
                loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d / locale))
                                            for d in self.search_path]),
                undefined=jinja2.StrictUndefined, autoescape=False,
                trim_blocks=True, lstrip_blocks=True, auto_reload=False)
            env.filters.update(num=fmt.number, pct=fmt.percent, date=fmt.date, sentence=_sentence,
                               month_name=fmt.month_name, join=fmt.list, cn=chinese_numeral)
            env.globals.update(indicator=self._indicator_global(locale),
                               term=self._term_global(locale))
            env.globals["raise"] = _raise
            self._jinja[locale] = env
        return env

    def _indicator_global(self, locale: str):
        def indicator(name: str, comparator: str, value: float, unit: str = "none",
                      baseline: float | None = None) -> str:
            return self.indicator_phrase(locale, name, comparator, value, unit, baseline)
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
                self._glossary = Glossary.load(self.search_path)
            return self._glossary

    def _template(self, name: str, locale: str) -> jinja2.Template:
        try:
            return self.jinja(locale).get_template(name)
        except jinja2.TemplateNotFound:
            raise TemplateError(f"template '{locale}/{name}' not found") from None
        except jinja2.TemplateSyntaxError as e:
            raise TemplateError(f"template syntax error: {e.message}", e.filename or name, e.lineno) from None

    def _guard(self, name: str, locale: str, call):
        try:
            return call()
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

    def render(self, name: str, locale: str, /, **context: Any) -> str:
        """Render a whole template to text, stripped of surrounding blank space."""
        tmpl = self._template(name, locale)
        return self._guard(name, locale, lambda: tmpl.render(context)).strip()

    def render_part(self, name: str, part: str, locale: str, /, **context: Any) -> str | None:
        """Render one ``{% block part %}`` of a template; None if it has no such block."""
        tmpl = self._template(name, locale)
        fn = tmpl.blocks.get(part)
        if fn is None:
            return None

        def part() -> str:
            try:
                return "".join(fn(tmpl.new_context(context))).strip()
            except Exception:
                # Rewrites the traceback to template lines, as Template.render does.
                return tmpl.environment.handle_exception()
        return self._guard(name, locale, part)

    # -- phrases -----------------------------------------------------------
    def quantity(self, locale: str, value: float, unit: str) -> str:
        return self.render("phrases/quantity.j2", locale, value=value, unit=unit)

    def indicator_phrase(self, locale: str, name: str, comparator: str, value: float,
                         unit: str = "none", baseline: float | None = None) -> str:
        """参合率达到95%以上 / participation rate of at least 95%."""
        return self.render(
            "phrases/indicator.j2", locale, name=name, comparator=comparator, value=value,
            unit=unit, baseline=baseline, quantity=self.quantity(locale, value, unit),
            baseline_quantity=None if baseline is None else self.quantity(locale, baseline, unit))

    # -- blocks ------------------------------------------------------------
    @property
    def blocks(self) -> dict[str, BlockInfo]:
        """Metadata of every block, user folders' entries overriding bundled ones."""
        if self._blocks is None:
            merged: dict[str, Any] = {}
            for d in reversed(self.search_path):
                f = d / "blocks.yaml"
                if f.is_file():
                    try:
                        with open(f, encoding="utf-8") as fh:
                            data = yaml.safe_load(fh) or {}
                    except yaml.YAMLError as e:
                        mark = getattr(e, "problem_mark", None)
                        problem = " ".join(str(getattr(e, "problem", None) or e).split())
                        raise PlanError(f"invalid YAML in block metadata: {problem}", str(f),
                                        mark.line + 1 if mark else None) from None
                    except (OSError, UnicodeDecodeError) as e:
                        raise PlanError(f"cannot read block metadata: {e}", str(f)) from None
                    if not isinstance(data, dict):
                        raise PlanError("block metadata must be a mapping of keys", str(f))
                    merged.update(data)
            self._blocks = {k: BlockInfo(k, v or {}) for k, v in sorted(merged.items())}
        return self._blocks

    def block(self, key: str) -> BlockInfo:
        try:
            return self.blocks[key]
        except KeyError:
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
    def compose(self, plan, locale: str | None = None):
        """The plan as a format-neutral :class:`~planwriter.tree.Document`."""
        from .composer import compose
        return compose(plan, self, locale)

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
