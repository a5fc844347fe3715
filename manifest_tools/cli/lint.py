"""``manifest-tools lint``: check manifests and print what is wrong, where, and what to do."""

from __future__ import annotations

import os
import sys
from datetime import timedelta

import click

from manifest_tools.cli import (
    EXIT_CLEAN,
    EXIT_FAILURE,
    EXIT_FINDINGS,
    OUTPUT_FORMATS,
    enabled_rules,
    fail,
    main,
    selection_options,
)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@selection_options
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), help="How to print diagnostics.")
@click.option("--statistics", is_flag=True, help="Print a count per rule instead of each diagnostic.")
@click.option("-q", "--quiet", is_flag=True, help="Print diagnostics only, no summary.")
@click.option("--strict/--no-strict", default=None, help="Exit 1 on warnings too (default from config, else off).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--stdin-filename", help="The name (and so the format) of the manifest read from '-'.")
@click.option("--format", "input_format", type=click.Choice(("json", "csv")), help="Read files as this format.")
@click.option(
    "--min-url-validity",
    callback=lambda _context, _parameter, value: _duration_option(value),
    help="How long pre-signed URLs must still work, e.g. 6h (the default), 90m, 2d (MT318).",
)
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
    min_url_validity: timedelta | None,
) -> None:
    """Check manifests: files, folders (all *.json and *.csv below) or - for standard input."""
    from manifest_tools import api
    from manifest_tools.errors import ManifestToolsError
    from manifest_tools.report.formatters import FORMATTERS, TextStyle
    from manifest_tools.report.report import Report
    from manifest_tools.rules.urls import url_validity

    enabled, settings = enabled_rules(select, extend_select, ignore)
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    chosen_format = output_format or settings.output_format or ("github" if in_actions else "text")
    if chosen_format not in FORMATTERS:
        fail(f"unknown output-format {chosen_format!r} (choose from {', '.join(FORMATTERS)})")
        sys.exit(EXIT_FAILURE)
    report = Report()
    failed = False
    linted: list[str] = []
    with url_validity(settings.min_url_validity if min_url_validity is None else min_url_validity):
        for path in api.expand_paths(paths):
            try:
                if path == "-":
                    name = stdin_filename or "<stdin>"
                    report.extend(api.lint_data(name, sys.stdin.buffer.read(), enabled, input_format))  # type: ignore[arg-type]
                else:
                    report.extend(api.lint_file(path, enabled, input_format))  # type: ignore[arg-type]
                    linted.append(path)
            except ManifestToolsError as error:
                fail(str(error))
                failed = True
            except Exception as error:
                fail(f"{path}: internal error ({type(error).__name__}: {error}); please report it")
                failed = True
        try:
            report.merge(api.lint_across_files(linted, enabled))
        except ManifestToolsError as error:
            fail(str(error))
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


def _duration_option(value: str | None) -> timedelta | None:
    from manifest_tools.config import parse_duration

    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
