"""Rendering plans to files: one, or many at once on every core.

:func:`render_to` loads, checks and renders one plan to one output and says how it
went as an :class:`Outcome` (it never raises for bad input, so a batch goes on past a
failing plan). :func:`render_many` does the same for many plans, in worker processes
when there are several and more than one core, and yields the outcomes in the order
of the plans.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from .errors import PlanError

BINARY = {"docx", "pdf"}


@dataclass
class Outcome:
    """How rendering one plan went: the output written (if ``ok``) and what was said on the
    way, as plain data (``kind`` is ``error``, ``finding`` or ``warning``)."""

    plan: str
    output: str
    ok: bool = False
    messages: list[dict[str, Any]] = field(default_factory=list)


def _error(outcome: Outcome, e: PlanError) -> None:
    outcome.messages.extend({"kind": "error", **x.as_dict()} for x in e.errors)


def render_to(env, plan_path: str, output: str, fmt: str, locale: str | None = None,
              force: bool = False, inputs: Iterable[str] = ()) -> Outcome:
    """Load, check (error-level checks) and render one plan to ``output``."""
    from .checks import check as check_plan
    from .loader import load
    from .output import check_not_input, write_output
    outcome = Outcome(plan_path, output)
    try:
        check_not_input(output, [plan_path, *inputs])
        plan = load(plan_path)
        doc = env.compose(plan, locale)
        findings = check_plan(plan, env, [doc.locale], documents={doc.locale: doc},
                              errors_only=True)
        outcome.messages.extend({"kind": "finding", **f.as_dict()} for f in findings)
        errors = [f for f in findings if f.severity == "error"]
        if errors and not force:
            n = len(errors)
            raise PlanError(f"not written: the checks found {n} error{'s' * (n != 1)} "
                            "(listed above); fix them, or use --force to write it anyway",
                            os.fspath(plan_path) if plan_path != "-" else "<stdin>")
        if fmt == "markdown":
            from .writers.markdown import write_markdown
            data = write_markdown(doc).encode("utf-8")
            warnings = ["--reference-doc applies to DOCX and PDF output; ignored for Markdown"] \
                if env.reference_doc else []
        else:
            writer = env.docx_writer()
            data = writer.write(doc)
            if fmt == "pdf":
                from .writers.pdf import docx_to_pdf
                data = docx_to_pdf(data)
            warnings = writer.warnings_for(doc.locale)
        outcome.messages.extend({"kind": "warning", "message": w} for w in warnings)
        write_output(output, data, binary=fmt in BINARY)
        outcome.ok = True
    except PlanError as e:
        _error(outcome, e)
    return outcome


# --------------------------------------------------------------------------- many plans

_WORKER: dict[str, Any] = {}


def _start_worker(env_args: dict[str, Any], job: dict[str, Any]) -> None:
    from .environment import Environment
    _WORKER["env"] = Environment(**env_args)
    _WORKER["job"] = job


def _work(item: tuple[str, str]) -> Outcome:
    plan, output = item
    job = _WORKER["job"]
    try:
        return render_to(_WORKER["env"], plan, output, job["fmt"], job["locale"], job["force"],
                         job["inputs"])
    except Exception as e:  # a bug: report it as the plan's failure, keep the batch going
        return Outcome(plan, output, False, [{
            "kind": "error", "message": f"internal error: {type(e).__name__}: {e}; this is a bug "
                                        "in planwriter, please report it", "file": plan,
            "line": None, "field": ""}])


def default_jobs(n_plans: int) -> int:
    """One worker per core (at most one per plan)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, n_plans))


def render_many(items: list[tuple[str, str]], *, env_args: dict[str, Any], env=None,
                fmt: str, locale: str | None = None, force: bool = False,
                jobs: int | None = None) -> Iterator[Outcome]:
    """Render each ``(plan, output)`` pair; yield the outcomes in the order of ``items``.

    With ``jobs`` > 1 the plans are rendered by that many worker processes, each with its
    own Environment made from ``env_args``; otherwise one after the other with ``env``.
    """
    job = {"fmt": fmt, "locale": locale, "force": force, "inputs": [p for p, _ in items]}
    jobs = default_jobs(len(items)) if jobs is None else max(1, jobs)
    if jobs == 1 or len(items) < 2:
        if env is None:
            from .environment import Environment
            env = Environment(**env_args)
        for plan, output in items:
            yield render_to(env, plan, output, fmt, locale, force, job["inputs"])
        return
    import multiprocessing
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pool = context.Pool(min(jobs, len(items)), initializer=_start_worker, initargs=(env_args, job))
    try:
        workers = min(jobs, len(items))
        yield from pool.imap(_work, items, chunksize=max(1, len(items) // (workers * 4)))
        pool.close()
    finally:
        pool.terminate()
        pool.join()
