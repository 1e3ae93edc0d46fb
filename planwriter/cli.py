"""The ``planwriter`` command line."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
import yaml

from . import model as m
from .environment import Environment
from .errors import PlanError
from .loader import load
from .output import write_atomic

FORMATS = {".md": "markdown", ".markdown": "markdown", ".docx": "docx"}


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"planwriter: error: {message}", err=True)
    sys.exit(code)


class _Group(click.Group):
    """Turns every PlanError into one line on stderr and a non-zero exit; never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PlanError as e:
            _fail(str(e))
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except BrokenPipeError:  # output piped into a command that stopped reading (| head)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as e:  # a bug in planwriter: still one line, and a way to see more
            if os.environ.get("PLANWRITER_DEBUG"):
                raise
            _fail(f"internal error: {type(e).__name__}: {e} (set PLANWRITER_DEBUG=1 for details)", 70)


def _env(templates: tuple[str, ...], reference_doc: str | None) -> Environment:
    if reference_doc and not os.path.isfile(reference_doc):
        raise PlanError(f"reference document not found: {reference_doc}")
    return Environment(templates, reference_doc=reference_doc)


_templates_opt = click.option("--templates", "-t", "templates", multiple=True,
                              type=click.Path(file_okay=False),
                              help="A folder of templates (zh/, en/) searched before the bundled ones.")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="planwriter")
def main() -> None:
    """Write complete work plans from a YAML plan to Markdown and DOCX."""


@main.command()
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, help="Output file: .md or .docx.")
@click.option("--to", "fmt", type=click.Choice(["markdown", "docx"]), help="Force the output format.")
@click.option("--locale", type=click.Choice(["zh", "en"]), help="Language of a bilingual plan.")
@_templates_opt
@click.option("--reference-doc", type=click.Path(dir_okay=False),
              help="A DOCX whose styles, page setup, header and footer are used.")
def render(plan, output, fmt, locale, templates, reference_doc):
    """Render PLAN to Markdown or DOCX."""
    if fmt is None:
        fmt = FORMATS.get(Path(output).suffix.lower())
        if fmt is None:
            raise PlanError(f"cannot tell the format of {output}: use .md or .docx, or --to")
    env = _env(templates, reference_doc)
    p = load(plan)
    data = env.render_docx(p, locale) if fmt == "docx" else env.render_markdown(p, locale).encode("utf-8")
    write_atomic(output, data)
    click.echo(f"wrote {output}", err=True)


@main.command()
@click.argument("plan", type=click.Path(dir_okay=False))
@_templates_opt
def validate(plan, templates):
    """Check that PLAN is a valid plan, in every language it holds."""
    env = _env(templates, None)
    p = load(plan)
    for locale in p.meta.locales:
        env.compose(p, locale)
    click.echo(f"{plan}: valid ({', '.join(p.meta.locales)})")


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
    found = list_blocks(_env(templates, None), kind=kind, org_type=org_type)
    if fmt == "json":
        click.echo(json.dumps([{"key": b.key, "title": b.title, "kinds": b.kinds,
                                "org_types": b.org_types, "params": b.params} for b in found],
                              ensure_ascii=False, indent=2))
        return
    for info in found:
        params = ", ".join(f"{n}{'*' if n in info.required() else ''}" for n in info.params)
        click.echo(f"{info.key:<40} {info.title.get(locale, '')}"
                   f"  [{', '.join(info.kinds)}]{'  (' + params + ')' if params else ''}")


@blocks.command("show")
@click.argument("key")
@click.option("--locale", type=click.Choice(["zh", "en"]), default="zh")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Set a parameter (repeatable); numbers are read as numbers.")
@click.option("--org-type", type=click.Choice(m.ORG_TYPES),
              help="Show the wording for this institution type (default: the block's first).")
@_templates_opt
def blocks_show(key, locale, params, org_type, templates):
    """Print block KEY rendered with its defaults, as Markdown."""
    from .library import show_block
    values = {}
    for p in params:
        name, sep, value = p.partition("=")
        if not sep:
            raise PlanError(f"--param takes NAME=VALUE, got '{p}'")
        try:
            values[name] = yaml.safe_load(value) if value else ""
        except yaml.YAMLError:
            values[name] = value  # not a YAML scalar: take it as text
        if not isinstance(values[name], (str, int, float)):
            values[name] = value
    click.echo(show_block(_env(templates, None), key, locale, values, org_type=org_type), nl=False)


@main.command()
@click.option("--preset", required=True, help="A preset: township-health-center, hospital, "
              "community-health-center, community-health.")
@click.option("--locale", type=click.Choice(["zh", "en"]),
              help="Keep one language only (default: both).")
@click.option("--year", type=int, help="The plan's year (default: the preset's).")
@click.option("-o", "--output", required=True, help="The plan file to write (.yaml).")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@_templates_opt
def new(preset, locale, year, output, templates, force):
    """Write a complete starting plan assembled from library blocks."""
    from .library import new_plan
    if os.path.exists(output) and not force:
        raise PlanError(f"{output} exists; use --force to replace it")
    text = new_plan(_env(templates, None), preset, locale=locale, year=year)
    write_atomic(output, text.encode("utf-8"))
    click.echo(f"wrote {output}", err=True)


@main.command()
def schema():
    """Print the JSON Schema of plan files."""
    click.echo(json.dumps(m.Plan.model_json_schema(), ensure_ascii=False, indent=2))


@main.command("reference-doc")
@click.option("--locale", type=click.Choice(["zh", "en"]), default="zh")
@click.option("-o", "--output", required=True)
def reference_doc_cmd(locale, output):
    """Write the bundled reference DOCX, to customise and pass to --reference-doc."""
    from .writers.docx import reference_docx
    write_atomic(output, reference_docx(locale))
    click.echo(f"wrote {output}", err=True)


@main.command()
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="One finding per line, or a JSON list.")
@_templates_opt
def check(plan, strict, fmt, templates):
    """Find placeholders, impossible targets, misplaced dates and other slips in PLAN.

    Exits 0 when clean (or with warnings only), 1 with warnings under --strict,
    and 2 with errors.
    """
    from .checks import check as check_plan, exit_code
    env = _env(templates, None)
    findings = check_plan(load(plan), env)
    if fmt == "json":
        click.echo(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        for f in findings:
            click.echo(str(f))
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    click.echo(f"{plan}: {errors} error{'s' * (errors != 1)}, "
               f"{warnings} warning{'s' * (warnings != 1)}", err=True)
    sys.exit(exit_code(findings, strict))
