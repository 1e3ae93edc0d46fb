"""A Jinja sandbox that also bounds what a template may cost in time and memory.

Jinja's :class:`~jinja2.sandbox.SandboxedEnvironment` keeps templates away from
Python's internals, but not from a loop of a billion turns or a string of a
gigabyte. This sandbox adds, for every render:

- a time limit: every loop turn, call and piece of output checks the clock;
- a size limit on the output and on every string or list an operation builds;
- bounded arguments for the few operations that allocate in one step: string
  widths (``center``, ``ljust``, ``indent``, ``'%9999999s'``, ``'{:>9999999}'``),
  repetition, powers, ``batch``, ``replace``, ``lipsum``, ``tojson(indent=…)``.

Limits nest: a template rendered while another one renders (``indicator()`` in a
block) gets its own limit within what is left of the outer one's, and a whole
document has a limit of its own (:meth:`Limits.document`).
"""
from __future__ import annotations

import contextvars
import re
import string
import time
from dataclasses import dataclass
from functools import update_wrapper
from typing import Any, Iterator

from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment, SecurityError


@dataclass(frozen=True)
class Limits:
    """What one template render, and one whole document, may cost."""

    #: Seconds one template may take to render, and characters it may write.
    template_seconds: float = 5.0
    template_chars: int = 1_000_000
    #: Seconds and characters for all templates of one document together.
    document_seconds: float = 60.0
    document_chars: int = 50_000_000
    #: The longest string or list one operation may build, and widths and counts.
    max_length: int = 1_000_000
    max_width: int = 10_000
    max_exponent_bits: int = 4096
    max_loop_turns: int = 20_000_000


class LimitExceeded(SecurityError):
    """A template went over a time or size limit."""


class _Budget:
    __slots__ = ("deadline", "chars", "turns", "what", "seconds", "limit", "parent")

    def __init__(self, seconds: float, chars: int, turns: int, what: str,
                 parent: "_Budget | None") -> None:
        deadline = time.monotonic() + seconds
        self.limit = chars
        if parent is not None:
            deadline = min(deadline, parent.deadline)
            chars = min(chars, parent.chars)
            turns = min(turns, parent.turns)
        self.deadline, self.chars, self.turns, self.what, self.seconds, self.parent = \
            deadline, chars, turns, what, seconds, parent

    def spend(self, chars: int = 0, turns: int = 0) -> None:
        b: _Budget | None = self
        while b is not None:
            b.chars -= chars
            b.turns -= turns
            if b.chars < 0:
                raise LimitExceeded(f"{b.what} wrote more than {b.limit:,} characters")
            if b.turns < 0:
                raise LimitExceeded(f"{b.what} ran more loop turns than it may")
            b = b.parent

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            b: _Budget | None = self
            while b.parent is not None and time.monotonic() > b.parent.deadline:
                b = b.parent
            raise LimitExceeded(f"{b.what} took longer than {b.seconds:g} s")


_CURRENT: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("planwriter_budget",
                                                                           default=None)


def _budget() -> _Budget | None:
    return _CURRENT.get()


class budget:
    """Run the body of a ``with`` under a (nested) time and size limit."""

    __slots__ = ("_budget", "_token")

    def __init__(self, seconds: float, chars: int, turns: int, what: str) -> None:
        self._budget = _Budget(seconds, chars, turns, what, _CURRENT.get())

    def __enter__(self) -> _Budget:
        self._token = _CURRENT.set(self._budget)
        return self._budget

    def __exit__(self, *exc) -> None:
        _CURRENT.reset(self._token)


# --------------------------------------------------------------------------- code generation


class _GuardedCodeGenerator(CodeGenerator):
    """Compiles every ``for`` loop to iterate through ``environment.pw_iter`` and every
    ``~`` concatenation through ``environment.pw_text``, so both are counted."""

    def visit_For(self, node: nodes.For, frame) -> None:  # type: ignore[override]
        guarded = nodes.For(node.target, nodes.Call(nodes.EnvironmentAttribute("pw_iter"),
                                                    [node.iter], [], None, None,
                                                    lineno=node.lineno),
                            node.body, node.else_, node.test, node.recursive, lineno=node.lineno)
        super().visit_For(guarded, frame)

    def visit_Concat(self, node: nodes.Concat, frame) -> None:  # type: ignore[override]
        self.write("environment.pw_text(")
        super().visit_Concat(node, frame)
        self.write(")")


# --------------------------------------------------------------------------- argument checks

_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")
_SPEC_NUMBER = re.compile(r"\d+")


class BoundedSandbox(SandboxedEnvironment):
    """The sandboxed environment planwriter renders every template in."""

    code_generator_class = _GuardedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, limits: Limits | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits or Limits()
        self._wrap_filters()
        lipsum = self.globals.get("lipsum")
        if lipsum is not None:
            self.globals["lipsum"] = self._bounded_lipsum(lipsum)

    # -- limits inside templates -------------------------------------------
    def pw_iter(self, iterable: Any) -> Iterator[Any]:
        b = _budget()
        if b is None:
            yield from iterable
            return
        n = 0
        for item in iterable:
            n += 1
            if n & 255 == 0:
                b.spend(turns=256)
                b.check_time()
            yield item
        b.spend(turns=n & 255)

    def pw_text(self, value: Any) -> Any:
        self._length(value)
        return value

    def _length(self, value: Any) -> None:
        if isinstance(value, (str, list, tuple, bytes)) and len(value) > self.limits.max_length:
            raise LimitExceeded(f"a result of {len(value):,} elements is too large "
                                f"(at most {self.limits.max_length:,})")

    def _width(self, value: Any, what: str) -> None:
        if isinstance(value, (int, float)) and not isinstance(value, bool) \
                and abs(value) > self.limits.max_width:
            raise LimitExceeded(f"{what} {value} is larger than {self.limits.max_width:,}")

    def _check_printf(self, fmt: str) -> None:
        for m in _PRINTF.finditer(fmt):
            for part in m.groups():
                if part == "*":
                    raise LimitExceeded("'*' widths in % formatting are not allowed")
                if part is not None and len(part) > 6 or (part and int(part) > self.limits.max_width):
                    raise LimitExceeded(f"a width of {part} in % formatting is larger than "
                                        f"{self.limits.max_width:,}")

    def _check_format_spec(self, fmt: str) -> None:
        try:
            parsed = list(string.Formatter().parse(fmt))
        except ValueError:
            return  # str.format will report the error itself
        for _, _, spec, _ in parsed:
            if not spec:
                continue
            if "{" in spec:
                raise LimitExceeded("nested fields in a format specification are not allowed")
            for number in _SPEC_NUMBER.findall(spec):
                if len(number) > 6 or int(number) > self.limits.max_width:
                    raise LimitExceeded(f"a width of {number} in a format specification is "
                                        f"larger than {self.limits.max_width:,}")

    # -- operators and calls -----------------------------------------------
    def call_binop(self, context, operator, left, right):
        lim = self.limits
        numbers = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (left, right))
        if operator == "**" and numbers:
            if abs(right) > 256 and abs(left) not in (0, 1):
                raise LimitExceeded(f"exponent {right} is larger than 256")
            if isinstance(left, int) and isinstance(right, int) and right > 0 \
                    and left.bit_length() * right > lim.max_exponent_bits:
                raise LimitExceeded("the power is too large to compute")
        elif operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) \
                        and len(seq) * n > lim.max_length:
                    raise LimitExceeded(f"a result of {len(seq) * n:,} elements is too large")
            if isinstance(left, int) and isinstance(right, int) \
                    and left.bit_length() + right.bit_length() > lim.max_exponent_bits:
                raise LimitExceeded("the product is too large to compute")
        elif operator == "+":
            if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)) \
                    and len(left) + len(right) > lim.max_length:
                raise LimitExceeded(f"a result of {len(left) + len(right):,} elements is too large")
        elif operator == "%" and isinstance(left, str):
            self._check_printf(left)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's signature)
        b = _budget()
        if b is not None:
            b.check_time()
        target = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(target, str):
            if name in ("center", "ljust", "rjust", "zfill") and args:
                __self._width(args[0], "a width of")
            elif name == "expandtabs":
                __self._width(args[0] if args else kwargs.get("tabsize", 8), "a tab size of")
            elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) \
                    and isinstance(args[1], str):
                grow = target.count(args[0]) * max(0, len(args[1]) - len(args[0])) \
                    if args[0] else (len(target) + 1) * len(args[1])
                __self._length_n(len(target) + grow)
        result = super().call(__context, __obj, *args, **kwargs)
        __self._length(result)
        return result

    def _length_n(self, n: int) -> None:
        if n > self.limits.max_length:
            raise LimitExceeded(f"a result of {n:,} elements is too large")

    def wrap_str_format(self, value: Any):
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        fmt = value.__self__

        def checked(*args: Any, **kwargs: Any) -> str:
            self._check_format_spec(fmt)
            result = wrapper(*args, **kwargs)
            self._length(result)
            return result
        return update_wrapper(checked, value)

    # -- filters and globals that allocate in one step ---------------------
    def _wrap_filters(self) -> None:
        f = self.filters
        checks = {
            "center": lambda v, width=80, *a, **k: self._width(width, "a width of"),
            "indent": lambda v, width=4, *a, **k: self._indent(v, width),
            "format": lambda v, *a, **k: self._check_printf(str(v)),
            "batch": lambda v, linecount, *a, **k: self._width(linecount, "a batch size of"),
            "slice": lambda v, slices, *a, **k: self._width(slices, "a slice count of"),
            "tojson": lambda v, indent=None, *a, **k: self._width(indent, "an indent of"),
            "replace": lambda v, old="", new="", *a, **k: self._replace(v, old, new),
        }
        for name, check in checks.items():
            if name in f:
                f[name] = self._checked_filter(f[name], check)

    def _indent(self, value: Any, width: Any) -> None:
        if isinstance(width, str):
            size = len(width)
        elif isinstance(width, int):
            self._width(width, "an indent of")
            size = width
        else:
            return
        lines = str(value).count("\n") + 1
        self._length_n(len(str(value)) + lines * size)

    def _replace(self, value: Any, old: Any, new: Any) -> None:
        s, old, new = str(value), str(old), str(new)
        grow = s.count(old) * max(0, len(new) - len(old)) if old else (len(s) + 1) * len(new)
        self._length_n(len(s) + grow)

    def _checked_filter(self, fn, check):
        pass_arg = getattr(fn, "jinja_pass_arg", None)

        def guarded(*args: Any, **kwargs: Any):
            value_args = args[1:] if pass_arg is not None else args
            check(*value_args, **kwargs)
            result = fn(*args, **kwargs)
            self._length(result)
            return result
        update_wrapper(guarded, fn)
        if pass_arg is not None:
            guarded.jinja_pass_arg = pass_arg  # type: ignore[attr-defined]
        return guarded

    def _bounded_lipsum(self, lipsum):
        def bounded(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
            self._width(n, "a paragraph count of")
            self._width(max, "a word count of")
            if isinstance(n, int) and isinstance(max, int) and n * max > self.limits.max_length // 8:
                raise LimitExceeded("lipsum: too much text")
            return lipsum(n=n, html=html, min=min, max=max)
        return bounded

    # -- rendering ---------------------------------------------------------
    def consume(self, chunks: Iterator[str]) -> str:
        """Join a template's output, counting it against the current limits."""
        b = _budget()
        if b is None:
            return "".join(chunks)
        out: list[str] = []
        for chunk in chunks:
            b.spend(chars=len(chunk))
            b.check_time()
            out.append(chunk)
        return "".join(out)
