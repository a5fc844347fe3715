"""The command line: parse options, call the library, print, exit. Nothing else lives here.

Exit codes (as ruff): 0 no error, 1 errors found (or warnings with --strict),
2 usage error, unreadable file or internal failure.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

import click

from manifest_tools import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_FAILURE = 0, 1, 2
OUTPUT_FORMATS = ("text", "json")


def _split_codes(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code.strip())


def _fail(message: str) -> None:
    click.echo(f"manifest-tools: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="manifest-tools")
def main() -> None:
    """Lint, fix, convert and split Encord cloud-registration manifests (JSON and CSV)."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--select", multiple=True, help="Rule codes or prefixes to run instead of the defaults (MT1,MT602; ALL).")
@click.option("--extend-select", multiple=True, help="Rule codes or prefixes to run in addition (opt-in rules).")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to skip.")
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), help="How to print diagnostics.")
@click.option("--statistics", is_flag=True, help="Print a count per rule instead of each diagnostic.")
@click.option("-q", "--quiet", is_flag=True, help="Print diagnostics only, no summary.")
@click.option("--strict/--no-strict", default=None, help="Exit 1 on warnings too (default from config, else off).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--stdin-filename", help="The name (and so the format) of the manifest read from '-'.")
@click.option("--format", "input_format", type=click.Choice(("json", "csv")), help="Read files as this format.")
def lint(
    paths: tuple[str, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str | None,
    statistics: bool,
    quiet: bool,
    strict: bool | None,
    exit_zero: bool,
    stdin_filename: str | None,
    input_format: str | None,
) -> None:
    """Check manifests: files, folders (all *.json and *.csv below) or - for standard input."""
    from manifest_tools import api
    from manifest_tools.config import load_settings
    from manifest_tools.errors import ManifestToolsError
    from manifest_tools.report.formatters import FORMATTERS, TextStyle
    from manifest_tools.report.report import Report

    try:
        settings = load_settings()
        enabled = api.selection(
            _split_codes(select) or settings.select,
            settings.extend_select + _split_codes(extend_select),
            settings.ignore + _split_codes(ignore),
        )
    except ManifestToolsError as error:
        _fail(str(error))
        sys.exit(EXIT_FAILURE)
    chosen_format = output_format or settings.output_format or "text"
    if chosen_format not in FORMATTERS:
        _fail(f"unknown output-format {chosen_format!r} (choose from {', '.join(FORMATTERS)})")
        sys.exit(EXIT_FAILURE)
    report = Report()
    failed = False
    for path in api.expand_paths(paths):
        try:
            if path == "-":
                name = stdin_filename or "<stdin>"
                manifest = api.parse(name, sys.stdin.buffer.read(), input_format)  # type: ignore[arg-type]
            else:
                manifest = api.parse_path(path, input_format)  # type: ignore[arg-type]
            report.extend(api.check(manifest, enabled))
        except ManifestToolsError as error:
            _fail(str(error))
            failed = True
        except Exception as error:
            _fail(f"{path}: internal error ({type(error).__name__}: {error}); please report it")
            failed = True
    style = TextStyle(
        color=chosen_format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ,
        quiet=quiet,
        statistics=statistics,
    )
    output = FORMATTERS[chosen_format](report, style)
    if output:
        click.echo(output)
    strict_mode = settings.strict if strict is None else strict
    if failed:
        sys.exit(EXIT_FAILURE)
    if exit_zero:
        sys.exit(EXIT_CLEAN)
    if report.errors or (strict_mode and report.warnings):
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_CLEAN)


@main.command()
@click.argument("code", required=False)
@click.option("--output-format", type=click.Choice((*OUTPUT_FORMATS, "markdown")), default="text")
def rules(code: str | None, output_format: str) -> None:
    """List every rule, or print the documentation of one (manifest-tools rules MT102)."""
    from manifest_tools.rules import docs

    if code is None:
        render = {"text": docs.catalogue_table, "json": docs.catalogue_json, "markdown": docs.catalogue_markdown}
        click.echo(render[output_format]())
        return
    found = docs.find_rule(code)
    if found is None:
        _fail(f"unknown rule {code!r}: `manifest-tools rules` lists them all")
        sys.exit(EXIT_FAILURE)
    click.echo(docs.rule_json(found) if output_format == "json" else docs.rule_page(found))


if __name__ == "__main__":  # pragma: no cover
    main()
