"""``manifest-tools lint``: check manifests and print what is wrong, where, and what to do."""

from __future__ import annotations

import functools
import sys
import time
from datetime import timedelta
from pathlib import Path

import click

from manifest_tools.cli import (
    EXIT_CLEAN,
    EXIT_CODES_HELP,
    EXIT_FAILURE,
    EXIT_FINDINGS,
    OUTPUT_FILE,
    OUTPUT_FORMATS,
    STDIN_FILENAME,
    VERBOSE,
    build_finder,
    chosen_output_format,
    color_option,
    config_options,
    discover_manifests,
    elapsed,
    enabled_rules,
    fail,
    main,
    selection_options,
    verbose_printer,
    write_report,
)
from manifest_tools.cli.progress import Progress, file_size


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, required=True)
@selection_options
@config_options
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), help="How to print diagnostics.")
@OUTPUT_FILE
@color_option
@click.option("--statistics", is_flag=True, help="Print a count per rule instead of each diagnostic (JSON with json).")
@click.option("-q", "--quiet", is_flag=True, help="Print diagnostics only, no summary.")
@click.option("--strict/--no-strict", default=None, help="Exit 1 on warnings too (default from config, else off).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@VERBOSE
@STDIN_FILENAME
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
    config_file: str | None,
    isolated: bool,
    exclude: tuple[str, ...],
    extend_exclude: tuple[str, ...],
    force_exclude: bool,
    respect_gitignore: bool,
    output_format: str | None,
    output_file: str | None,
    color: str,
    statistics: bool,
    quiet: bool,
    strict: bool | None,
    exit_zero: bool,
    verbose: bool,
    stdin_filename: str | None,
    input_format: str | None,
    min_url_validity: timedelta | None,
) -> None:
    """Check manifests: files, folders (all *.json and *.csv below) or - for standard input."""
    from manifest_tools import api
    from manifest_tools.discovery import ignored_codes
    from manifest_tools.errors import ManifestToolsError
    from manifest_tools.report.report import Report
    from manifest_tools.rules.urls import url_validity

    say = verbose_printer(verbose)
    started = time.perf_counter()
    finder = build_finder(config_file, isolated, exclude, extend_exclude)
    found = discover_manifests(paths, finder, respect_gitignore=respect_gitignore, force_exclude=force_exclude)
    settings = finder.for_folder(Path.cwd())
    say(f"found {len(found.files)} file(s) to check in {elapsed(started)}")
    enabled, _ = enabled_rules(select, extend_select, ignore, settings)
    chosen_format = chosen_output_format(output_format, settings)
    report = Report(unreadable=list(found.empty))

    @functools.cache
    def enabled_for(path: str) -> frozenset[str]:
        """A file's rules: its nearest config's selection, less its per-file-ignores (standard input's
        by the name --stdin-filename gives it, as an editor integration expects)."""
        if path == "-":
            if stdin_filename is None:
                return enabled
            path = stdin_filename
        own = finder.for_path(Path(path))
        return enabled_rules(select, extend_select, ignore, own, ignored_codes(path, own))[0]

    linted: list[str] = []
    sizes = {path: file_size(path) for path in found.files}
    validity = settings.min_url_validity if min_url_validity is None else min_url_validity
    with url_validity(validity), Progress("lint", sum(sizes.values()), "bytes") as bar:
        for path in found.files:
            began = time.perf_counter()
            bar.update(bar.done, label=f"lint {path}")
            say(f"reading {'standard input' if path == '-' else path}")
            try:
                if path == "-":
                    name = stdin_filename or "<stdin>"
                    data = sys.stdin.buffer.read()
                    one = api.lint_data(name, data, enabled_for(path), input_format)  # type: ignore[arg-type]
                else:
                    name = path
                    one = api.lint_file(path, enabled_for(path), input_format)  # type: ignore[arg-type]
                    linted.append(path)
                report.extend(one)
                say(f"{name}: checked by {one.checked_by.get(name, 'Python')} in {elapsed(began)}")
            except ManifestToolsError as error:
                fail(str(error))
                report.unreadable.append(path)
            except Exception as error:
                fail(f"{path}: internal error ({type(error).__name__}: {error}); please report it")
                report.unreadable.append(path)
            bar.advance(sizes[path])
        began = time.perf_counter()
        bar.update(bar.done, label="lint: URLs across files")
        try:
            report.merge(api.lint_across_files(linted, enabled_for))
        except ManifestToolsError as error:
            fail(str(error))
            report.unreadable.append(str(error))
        say(f"URLs across {len(linted)} file(s) checked in {elapsed(began)}")
    write_report(report, chosen_format, output_file, color, quiet=quiet, statistics=statistics)
    say(f"done in {elapsed(started)}")
    strict_mode = settings.strict if strict is None else strict
    if report.unreadable:
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
