"""The ``planwriter`` command line: a thin shell over the library.

Every command reports bad input as one line per problem on standard error (or, with
``--format json``, as a JSON list on standard output) and exits 2; nothing it can be
given makes it print a traceback. Exit 70 is kept for bugs in planwriter itself.
"""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import click

from .errors import MAX_LISTED, PlanError, one_line

FORMATS = {".md": "markdown", ".markdown": "markdown", ".docx": "docx", ".pdf": "pdf"}
EXTENSIONS = {"markdown": ".md", "docx": ".docx", "pdf": ".pdf"}
#: Preset names are plain names; a path is never a preset.
_PRESET_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
INTERNAL = 70


# --------------------------------------------------------------------------- reporting

def _error_dict(e: PlanError) -> dict:
    return {"severity": "error", "code": "PW000", **e.as_dict()}


def _json_out(items: list[dict]) -> None:
    click.echo(json.dumps(items, ensure_ascii=False, indent=2))


def _print_errors(errors: list[PlanError], limit: int = MAX_LISTED) -> None:
    for e in errors[:limit]:
        click.echo(f"planwriter: error: {e}", err=True)
    if len(errors) > limit:
        rest = len(errors) - limit
        click.echo(f"planwriter: error: and {rest} more error{'s' if rest > 1 else ''}", err=True)


class Report:
    """What one command run has to say: errors (bad input) and check findings."""

    def __init__(self, fmt: str = "text") -> None:
        self.fmt = fmt
        self.items: list[dict] = []
        self.failed = 0
        self.bar = None  # a progress bar, while one is shown

    def error(self, e: PlanError) -> None:
        self.failed += 1
        if self.fmt == "json":
            self.items.extend(_error_dict(x) for x in e.errors)
        else:
            _print_errors(e.errors)

    def findings(self, found) -> None:
        if self.fmt == "json":
            self.items.extend(f.as_dict() for f in found)
        else:
            for f in found:
                click.echo(one_line(str(f)), err=True)

    def warning(self, text: str) -> None:
        if self.fmt == "json":
            self.items.append({"severity": "warning", "code": "PW000", "message": text,
                               "file": "", "line": None, "field": ""})
        else:
            click.echo(f"planwriter: warning: {one_line(text)}", err=True)

    def note(self, text: str) -> None:
        if self.fmt != "json":
            self.echo(one_line(text))

    def echo(self, line: str) -> None:
        """One line on standard error (through the progress bar, when there is one)."""
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            click.echo(line, err=True)

    def outcome(self, o) -> None:
        """What rendering one plan said (see :class:`planwriter.batch.Outcome`)."""
        for m in o.messages:
            kind = m["kind"]
            data = {k: v for k, v in m.items() if k != "kind"}
            if self.fmt == "json":
                if kind == "error":
                    self.items.append({"severity": "error", "code": "PW000", **data})
                elif kind == "warning":
                    self.items.append({"severity": "warning", "code": "PW000", "message": m["message"],
                                       "file": "", "line": None, "field": ""})
                else:
                    self.items.append(data)
                continue
            if kind == "error":
                self.echo(f"planwriter: error: {PlanError(**data)}")
            elif kind == "warning":
                self.echo(f"planwriter: warning: {one_line(m['message'])}")
            else:
                from .checks import Finding
                self.echo(one_line(str(Finding(**data))))

    def close(self) -> None:
        if self.fmt == "json":
            _json_out(self.items)


def _check_year(year: int | None) -> None:
    """--year as a plan's year (the model's bounds)."""
    from .schedule import MAX_YEAR, MIN_YEAR
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise PlanError(f"--year: {year} is not a plan year ({MIN_YEAR} to {MAX_YEAR})")


def _folder_allowed(folder: str) -> None:
    """-d FOLDER may be a folder or nothing yet, not a file."""
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise PlanError(f"cannot write into {folder}: it is a file, not a folder")


def _make_folder(folder: str) -> None:
    """-d FOLDER, made for the files about to be written if it is not there."""
    if not os.path.isdir(folder):
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as e:
            raise PlanError(f"cannot create folder {folder}: {e.strerror}") from None


def _argv_wants_json(args) -> bool:
    args = list(args or [])
    return any(a == "--format=json" or (a == "--format" and i + 1 < len(args) and args[i + 1] == "json")
               for i, a in enumerate(args))


class _Group(click.Group):
    """Turns every error into one line (or JSON) and a non-zero exit; never a traceback."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if args is None:
            args = sys.argv[1:]
        as_json = _argv_wants_json(args)
        try:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.Exit as e:
            sys.exit(e.exit_code)
        except click.Abort:
            click.echo("planwriter: error: interrupted", err=True)
            sys.exit(130)
        except click.ClickException as e:
            message = one_line(e.format_message())
            ctx = getattr(e, "ctx", None)
            if isinstance(e, click.UsageError) and ctx is not None:
                message += f" (see '{ctx.command_path} --help')"
            if as_json:
                _json_out([_error_dict(PlanError(message))])
            else:
                click.echo(f"planwriter: error: {message}", err=True)
            sys.exit(2)
        except PlanError as e:
            if as_json:
                _json_out([_error_dict(x) for x in e.errors])
            else:
                _print_errors(e.errors)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("planwriter: error: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:  # output piped into a command that stopped reading (| head)
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            sys.exit(0)
        except SystemExit:
            raise
        except Exception as e:  # a bug in planwriter: still one line, and a way to see more
            if os.environ.get("PLANWRITER_DEBUG"):
                raise
            click.echo(f"planwriter: error: internal error: {type(e).__name__}: "
                       f"{one_line(str(e))}; this is a bug in planwriter, please report it "
                       "(set PLANWRITER_DEBUG=1 for details)", err=True)
            sys.exit(INTERNAL)

    def format_commands(self, ctx, formatter) -> None:
        """The command list with each command's whole first line, not a cut-off one."""
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is None or cmd.hidden:
                continue
            first = (cmd.help or "").strip().split("\n\n")[0]
            rows.append((name, " ".join(first.split())))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


# --------------------------------------------------------------------------- shared options

def _env(templates: tuple[str, ...], reference_doc: str | None = None):
    from .environment import Environment
    if reference_doc is not None:
        if not os.path.exists(reference_doc):
            raise PlanError(f"reference document not found: {reference_doc}")
        if os.path.isdir(reference_doc):
            raise PlanError(f"reference document {reference_doc} is a folder, not a DOCX file")
    return Environment(templates, reference_doc=reference_doc)


_templates_opt = click.option("--templates", "-t", "templates", multiple=True,
                              help="A folder of templates (zh/, en/) searched before the bundled "
                                   "ones (repeatable).")
_format_opt = click.option("--format", "fmt_report", type=click.Choice(["text", "json"]), default="text",
                           help="How to report problems: one line each on standard error, or a "
                                "JSON list on standard output.")
_quiet_opt = click.option("-q", "--quiet", is_flag=True, help="Do not print the 'wrote FILE' lines.")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"],
                                           "max_content_width": 100})
@click.version_option(package_name="planwriter")
def main() -> None:
    """Write complete work plans from a YAML plan to Markdown and DOCX.

    Plans are read from files (or - for standard input); bad input gets one line per
    problem naming the file, line and field, and exit status 2.
    """


# --------------------------------------------------------------------------- render

def _output_format(output: str | None, fmt: str | None) -> str:
    if fmt is not None:
        return fmt
    if output is None or output == "-":
        return "markdown"
    found = FORMATS.get(Path(output).suffix.lower())
    if found is None:
        if os.path.exists(output) and not os.path.isfile(output) and not os.path.isdir(output):
            return "markdown"  # a device or pipe (/dev/stdout): text, as with -o -
        raise PlanError(f"cannot tell the format of {output}: use .md, .docx or .pdf, or --to")
    return found


@main.command()
@click.argument("plans", nargs=-1, required=True, metavar="PLAN...")
@click.option("-o", "--output", help="Output file (.md, .docx or .pdf), or - for standard output.")
@click.option("-d", "--output-dir", "outdir",
              help="Render each PLAN into this folder, named after the plan.")
@click.option("--to", "fmt", type=click.Choice(["markdown", "docx", "pdf"]),
              help="The output format (default: from the extension, or markdown).")
@click.option("--locale", type=click.Choice(["zh", "en", "zh-Hant"]),
              help="Language of a bilingual plan (zh-Hant: Traditional Chinese, converted from zh).")
@_templates_opt
@click.option("--reference-doc", help="A DOCX whose styles, page setup, header and footer are used.")
@click.option("--force", is_flag=True,
              help="Write even when the checks find errors (placeholders, impossible targets).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256),
              help="Worker processes for several plans (default: one per core).")
@_quiet_opt
@_format_opt
def render(plans, output, outdir, fmt, locale, templates, reference_doc, force, jobs, quiet,
           fmt_report):
    """Render each PLAN to Markdown, DOCX or PDF, after the error-level checks.

    A plan with error-level findings (an unfilled xx, a target of 120%) is not written
    unless --force ('planwriter check' shows the warnings too). With -d, every plan is
    rendered, on every core, with a progress bar on a terminal; a failing one does not stop
    the rest, and the exit status is 2 if any failed.
    """
    report = Report(fmt_report)
    if output is not None and outdir is not None:
        raise PlanError("give -o FILE or -d FOLDER, not both")
    if output is None and outdir is None:
        raise PlanError("give -o FILE (or -o - for standard output), or -d FOLDER for several plans")
    if output is not None and len(plans) > 1:
        raise PlanError(f"{len(plans)} plans and one output file: use -d FOLDER to render several")
    if output == "-" and fmt_report == "json":
        raise PlanError("--format json prints to standard output; write the document with -o FILE")
    out_fmt = _output_format(output, fmt)
    from .batch import render_many, render_to
    env = _env(templates, reference_doc)
    if output is not None:
        outcome = render_to(env, plans[0], output, out_fmt, locale, force)
        report.outcome(outcome)
        if outcome.ok and not quiet and output != "-":
            report.note(f"wrote {output}")
        report.close()
        sys.exit(0 if outcome.ok else 2)
    # Several plans into a folder.
    if "-" in plans:
        raise PlanError("- (standard input) has no name to write under in a folder; use -o FILE")
    _folder_allowed(outdir)
    targets: dict[str, str] = {}
    items: list[tuple[str, str]] = []
    failed = 0
    for plan in plans:
        target = os.path.join(outdir, Path(plan).stem + EXTENSIONS[out_fmt])
        if target in targets:
            report.error(PlanError(f"would write {target} again (already written from "
                                   f"{targets[target]}); rename one of the plans", plan))
            failed += 1
            continue
        targets[target] = plan
        items.append((plan, target))
    if items:
        _make_folder(outdir)
    outcomes = render_many(items, env=env, env_args={"template_dirs": templates,
                                                     "reference_doc": reference_doc},
                           fmt=out_fmt, locale=locale, force=force, jobs=jobs)
    if not quiet and fmt_report == "text" and len(items) > 1 and _progress_wanted():
        from tqdm import tqdm
        report.bar = tqdm(total=len(items), unit="plan", file=sys.stderr, leave=False)
    try:
        for outcome in outcomes:
            report.outcome(outcome)
            if outcome.ok:
                if not quiet:
                    report.note(f"wrote {outcome.output}")
            else:
                failed += 1
            if report.bar is not None:
                report.bar.update()
    finally:
        if report.bar is not None:
            report.bar.close()
            report.bar = None
    if failed and len(plans) > 1:
        report.note(f"planwriter: error: {failed} of {len(plans)} plans failed")
    report.close()
    sys.exit(2 if failed else 0)


def _progress_wanted() -> bool:
    """A progress bar on a terminal, when tqdm is there to draw it."""
    from .output import is_terminal
    if not is_terminal(sys.stderr):
        return False
    try:
        import tqdm  # noqa: F401 (only whether it is there)
    except ImportError:
        return False
    return True


# --------------------------------------------------------------------------- validate, check

@main.command()
@click.argument("plans", nargs=-1, required=True, metavar="PLAN...")
@_templates_opt
@_format_opt
def validate(plans, templates, fmt_report):
    """Check that each PLAN is a valid plan that composes in every language it holds."""
    from .loader import load
    report = Report(fmt_report)
    env = _env(templates)
    failed = 0
    for path in plans:
        try:
            p = load(path)
            errors: list[PlanError] = []
            for locale in p.meta.locales:
                env.compose(p, locale, errors=errors)
            if errors:
                from .errors import PlanErrors
                raise PlanErrors(errors)
            if fmt_report != "json":
                click.echo(f"{path}: valid ({', '.join(p.meta.locales)})")
        except PlanError as e:
            report.error(e)
            failed += 1
    report.close()
    sys.exit(2 if failed else 0)


@main.command()
@click.argument("plan")
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings.")
@_templates_opt
@_format_opt
def check(plan, strict, templates, fmt_report):
    """Find placeholders, impossible targets, misplaced dates and other slips in PLAN.

    Exits 0 when clean (or with warnings only), 1 with warnings under --strict,
    and 2 with errors.
    """
    from .checks import check as check_plan, exit_code
    from .loader import load
    env = _env(templates)
    try:
        findings = check_plan(load(plan), env)
    except PlanError as e:
        report = Report(fmt_report)
        report.error(e)
        report.close()
        sys.exit(2)
    if fmt_report == "json":
        _json_out([f.as_dict() for f in findings])
    else:
        for f in findings:
            click.echo(one_line(str(f)))
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    click.echo(one_line(f"{plan}: {errors} error{'s' * (errors != 1)}, "
                        f"{warnings} warning{'s' * (warnings != 1)}"), err=True)
    sys.exit(exit_code(findings, strict))


# --------------------------------------------------------------------------- blocks, new

def _choice(value: str | None, allowed, what: str) -> str | None:
    import difflib
    if value is None or value in allowed:
        return value
    close = difflib.get_close_matches(value, list(allowed), n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f" (one of: {', '.join(allowed)})"
    raise PlanError(f"{what}: '{value}' is not known{hint}")


@main.group(invoke_without_command=True)
@click.option("--kind", help="Only blocks that fit this section kind.")
@click.option("--org-type", help="Only blocks that suit this institution type.")
@click.option("--locale", type=click.Choice(["zh", "en"]), default="zh", help="Language of the titles.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="json: every block's full metadata, for tools.")
@_templates_opt
@click.pass_context
def blocks(ctx, kind, org_type, locale, fmt, templates):
    """List the library's blocks (or show one: blocks show KEY)."""
    if ctx.invoked_subcommand is not None:
        return
    from .library import list_blocks
    from .model import ORG_TYPES, SECTION_KINDS
    _choice(kind, SECTION_KINDS, "--kind")
    _choice(org_type, ORG_TYPES, "--org-type")
    found = list_blocks(_env(templates), kind=kind, org_type=org_type)
    if fmt == "json":
        _json_out([{"key": b.key, "title": b.title, "kinds": b.kinds, "org_types": b.org_types,
                    "params": b.params} for b in found])
        return
    for info in found:
        params = ", ".join(f"{n}{'*' if n in info.required() else ''}" for n in info.params)
        click.echo(f"{info.key:<40} {info.title.get(locale, '')}"
                   f"  [{', '.join(info.kinds)}]{'  (' + params + ')' if params else ''}")


def parse_param(text: str) -> tuple[str, str]:
    """``NAME=VALUE`` from the command line, refused if it holds a control character.
    The value stays text here; the block's declared type decides how it is read."""
    from .model import _clean
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise PlanError(f"--param takes NAME=VALUE, got '{text}'")
    try:
        _clean(name)
        _clean(value)
    except ValueError as e:
        raise PlanError(f"--param {name}: {e}") from None
    return name, value


@blocks.command("show")
@click.argument("key")
@click.option("--locale", type=click.Choice(["zh", "en"]), default="zh")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Set a parameter (repeatable); numbers are read as numbers.")
@click.option("--org-type", help="Show the wording for this institution type (default: the "
              "first type the block is written for).")
@_templates_opt
@_format_opt
def blocks_show(key, locale, params, org_type, templates, fmt_report):
    """Print block KEY rendered with its defaults, as Markdown."""
    from .library import show_block, typed_params
    from .model import ORG_TYPES
    _choice(org_type, ORG_TYPES, "--org-type")
    env = _env(templates)
    values = typed_params(env, key, dict(parse_param(p) for p in params))
    click.echo(show_block(env, key, locale, values, org_type=org_type), nl=False)


@main.command("import")
@click.argument("source", metavar="INPUT")
@click.option("-o", "--output", help="The plan file to write (.yaml or .json), or - (the default: "
              "standard output).")
@click.option("--split", is_flag=True, help="The input is a page of several plans: write each.")
@click.option("-d", "--output-dir", "outdir", help="With --split: the folder to write the plans to.")
@click.option("--format", "out_format", type=click.Choice(["yaml", "json"]), default="yaml",
              help="Write the plan as YAML (the default) or as JSON.")
@click.option("--from-format", "in_format", type=click.Choice(["text", "markdown", "docx", "html"]),
              help="The input's format (default: from its extension or content).")
@click.option("--report", "show_report", is_flag=True,
              help="List on standard error what was dropped, guessed, changed or left blank.")
@click.option("--org", help="The organisation: names the plan and fills blanks such as 某某医院.")
@click.option("--year", type=int, help="The plan's year: fills blanks such as xx年 and 20__.")
@click.option("--match-blocks", is_flag=True,
              help="Replace passages that say what a library block says with that block.")
@click.option("--force", is_flag=True, help="Replace output files that exist.")
@_quiet_opt
def import_cmd(source, output, split, outdir, out_format, in_format, show_report, org, year,
               match_blocks, force, quiet):
    """Read an existing plan (.txt, .md, .docx, .html) into a plan file."""
    from .importing import import_file, report, summary
    from .output import create_new
    _check_year(year)
    if outdir and not split:
        raise PlanError("-d/--output-dir goes with --split (one file per plan); use -o for one plan")
    if split and output:
        raise PlanError("--split writes one file per plan into -d DIR; -o names a single file")
    if source == "-":
        source = sys.stdin.buffer.read()
    imported = import_file(source, fmt=in_format, split=split, org=org, year=year,
                           match_blocks=match_blocks, out_format=out_format)
    if show_report:
        for line in report(imported):
            click.echo(line, err=True)
    if split:
        folder = outdir or "."
        _folder_allowed(folder)
        _make_folder(folder)
        for imp in imported:
            target = os.path.join(folder, imp.name)
            create_new(target, imp.text.encode("utf-8"), force=force)
            if not quiet:
                click.echo(f"wrote {target}", err=True)
    elif output and output != "-":
        create_new(output, imported[0].text.encode("utf-8"), force=force)
        if not quiet:
            click.echo(f"wrote {output}", err=True)
    else:
        click.echo(imported[0].text, nl=False)
    if not quiet:
        click.echo(summary(imported), err=True)


@main.command()
@click.option("--preset", help="A preset: township-health-center, hospital, "
              "community-health-center, community-health, county-health-bureau, director-report.")
@click.option("--from", "from_plan", metavar="PLAN.yaml",
              help="Last year's plan: move it to --year, its targets to confirm.")
@click.option("--locale", type=click.Choice(["zh", "en"]),
              help="Keep one language only (default: both).")
@click.option("--year", type=int, help="The plan's year (default: the preset's).")
@click.option("-o", "--output", required=True, help="The plan file to write (.yaml), or -.")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@_templates_opt
@_quiet_opt
@_format_opt
def new(preset, from_plan, locale, year, output, templates, force, quiet, fmt_report):
    """Write a complete starting plan assembled from library blocks, or this year's plan
    from last year's (--from PLAN.yaml --year Y)."""
    from .library import new_plan
    from .output import create_new
    if from_plan is not None:
        if preset is not None:
            raise PlanError("give --preset or --from, not both")
        if year is None:
            raise PlanError("--from needs --year: the year of the new plan")
        _check_year(year)
        from .importing import new_from
        text, notes = new_from(from_plan, year)
        create_new(output, text.encode("utf-8"), force=force)
        if not quiet and output != "-":
            click.echo(f"wrote {output}", err=True)
        for note in notes if not quiet else ():
            click.echo(note, err=True)
        if fmt_report == "json":
            _json_out([])
        return
    if preset is None:
        raise PlanError("give --preset NAME (a starting plan) or --from PLAN.yaml (last year's plan)")
    if not _PRESET_NAME.fullmatch(preset):
        raise PlanError(f"--preset: '{preset}' is not a preset name; names look like "
                        "township-health-center (run 'planwriter new --help')")
    _check_year(year)
    text = new_plan(_env(templates), preset, locale=locale, year=year)
    create_new(output, text.encode("utf-8"), force=force)
    if not quiet and output != "-":
        click.echo(f"wrote {output}", err=True)
    if fmt_report == "json":
        _json_out([])


@main.command()
def schema():
    """Print the JSON Schema of plan files."""
    from . import model as m
    _json_out(m.Plan.model_json_schema())


@main.command("reference-doc")
@click.option("--locale", type=click.Choice(["zh", "en"]), default="zh")
@click.option("-o", "--output", required=True, help="The DOCX file to write, or - for standard output.")
@_quiet_opt
@_format_opt
def reference_doc_cmd(locale, output, quiet, fmt_report):
    """Write the bundled reference DOCX, to customise and pass to --reference-doc."""
    from .output import write_output
    from .writers.docx import reference_docx
    write_output(output, reference_docx(locale), binary=True)
    if not quiet and output != "-":
        click.echo(f"wrote {output}", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback needs --token.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@_templates_opt
@click.option("--reference-doc", type=click.Path(dir_okay=False),
              help="A DOCX whose styles, page setup, header and footer every DOCX uses.")
@click.option("--token", envvar="PLANWRITER_TOKEN",
              help="Require 'Authorization: Bearer TOKEN' on the API (or set PLANWRITER_TOKEN).")
@click.option("--workers", type=click.IntRange(1, 64), help="Plans worked on at once.")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), help="Seconds of work per plan.")
def serve(host, port, templates, reference_doc, token, workers, timeout):
    """Run the HTTP API and the browser editor (http://127.0.0.1:8000/)."""
    from .serve.cli import run
    run(_env(templates, reference_doc), host, port, token, workers=workers, timeout=timeout)
