"""``manifest-tools lint``: check manifests and print what is wrong, where, and what to do."""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from manifest_tools.cli import (
    EXIT_CLEAN,
    EXIT_CODES_HELP,
    EXIT_FAILURE,
    EXIT_FINDINGS,
    OUTPUT_FILE,
    OUTPUT_FORMATS,
    PATHS,
    STDIN_FILENAME,
    VERBOSE,
    SelectedFileSettings,
    chosen_output_format,
    color_option,
    config_options,
    elapsed,
    enabled_rules,
    exit_code,
    fail,
    find_manifests,
    fix_command,
    main,
    not_found,
    refuse_report_over_inputs,
    selection_options,
    stdin_paths,
    verbose_printer,
    write_report,
)
from manifest_tools.cli.progress import Progress, file_size
from manifest_tools.wording import plural

if TYPE_CHECKING:
    from manifest_tools.api import LintWatcher
    from manifest_tools.config import Settings, SettingsFinder
    from manifest_tools.report.report import Report


@main.command(epilog=EXIT_CODES_HELP)
@PATHS
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
    """Check manifests: files, folders (all *.json and *.csv below) or - for standard input; without a path,
    the current folder (as `lint .`), or with --stdin-filename standard input. A rule's documentation:
    `manifest-tools rules MT102`."""
    paths = stdin_paths(paths, stdin_filename)  # a Stop (exit 2) when it names nothing
    sys.exit(run_lint(LintSettings(**locals())))  # every parameter is a field of the same name


@dataclass(frozen=True)
class LintSettings(SelectedFileSettings):
    """Everything ``lint`` was asked to do, as its options say it (the configuration files are read later)."""

    output_format: str | None = None
    output_file: str | None = None
    color: str = "auto"
    statistics: bool = False
    quiet: bool = False
    strict: bool | None = None
    exit_zero: bool = False
    verbose: bool = False
    stdin_filename: str | None = None
    input_format: str | None = None
    min_url_validity: timedelta | None = None


def run_lint(options: LintSettings) -> int:
    """Lint what ``options`` name, print the report, and return the exit code (0, 1 or 2)."""
    with _fewer_collections():
        return exit_code(lambda: _lint(options))


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector every 100,000 new objects rather than every 700 (as mypy's command
    does). Each finding makes a few objects that no cycle holds (its Finding, Diagnostic and their tuples),
    and at 700 the collections of 100,000 findings' objects cost about 0.15 s of CPU."""
    import gc

    before = gc.get_threshold()
    gc.set_threshold(100_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _lint(options: LintSettings) -> int:
    from manifest_tools import api
    from manifest_tools.report.formatters import FINGERPRINTED
    from manifest_tools.rules.engine import fingerprints
    from manifest_tools.rules.urls import url_validity

    say = verbose_printer(options.verbose)
    started = time.perf_counter()
    finder, found = find_manifests(options, options.stdin_filename)
    if not (found.files or found.empty or found.unreadable):  # as ruff: every path given was excluded (--force-exclude)
        fail("warning: no manifest found under the given paths: every one is excluded (--force-exclude)")
    refuse_report_over_inputs(options.output_file, found.files)
    settings = finder.for_folder(Path.cwd())
    say(f"found {plural(len(found.files), 'file')} to check in {elapsed(started)}")
    enabled, _ = enabled_rules(options.select, options.extend_select, options.ignore, settings)
    chosen_format = chosen_output_format(options.output_format, settings)
    validity = settings.min_url_validity if options.min_url_validity is None else options.min_url_validity
    with (
        url_validity(validity),
        fingerprints(chosen_format in FINGERPRINTED),  # text and the like print none: none is computed
        Progress("lint", sum(map(file_size, found.files)), "bytes") as bar,
    ):
        report = api.lint_each(
            found.files,
            build_enabled_for(options, finder, enabled),
            format=options.input_format,  # type: ignore[arg-type]
            stdin_filename=options.stdin_filename,
            watcher=_watcher(bar, say),
        )
    report.unreadable[:0] = not_found(found)
    strict = settings.strict if options.strict is None else options.strict
    write_report(
        report,
        chosen_format,
        options.output_file,
        options.color,
        quiet=options.quiet,
        statistics=options.statistics,
        strict=_why_strict(options, settings) if strict and not options.exit_zero else "",
        fix_command=fix_command(options, options.stdin_filename, report),
        unsafe_fix_command=fix_command(options, options.stdin_filename, report, unsafe=True),
    )
    say(f"done in {elapsed(started)}")
    if report.unreadable:
        return EXIT_FAILURE
    if options.exit_zero:
        return EXIT_CLEAN
    return EXIT_FINDINGS if report.errors or (strict and report.warnings) else EXIT_CLEAN


def _why_strict(options: LintSettings, settings: Settings) -> str:
    """What made the run strict, as the summary names it: the option, or the configuration file."""
    import os

    if options.strict or settings.source is None:
        return "--strict"
    return f"strict = true in {os.path.relpath(settings.source)}"


def build_enabled_for(
    options: LintSettings, finder: SettingsFinder, enabled: frozenset[str]
) -> Callable[[str], frozenset[str]]:
    """A file's rules: its nearest config's selection, less its per-file-ignores (standard input's by the
    name --stdin-filename gives it, as an editor integration expects); ``enabled`` when it has no name."""
    from manifest_tools.discovery import ignored_codes

    @functools.cache
    def enabled_for(path: str) -> frozenset[str]:
        if path == "-":
            if options.stdin_filename is None:
                return enabled
            path = options.stdin_filename
        own = finder.for_path(Path(path))
        chosen = options.select, options.extend_select, options.ignore
        return enabled_rules(*chosen, own, ignored_codes(path, own))[0]

    return enabled_for


def _watcher(bar: Progress, say: Callable[[str], None]) -> LintWatcher:
    return _Watcher(bar, say)


class _Watcher:
    """The progress bar and the ``-v`` lines of a lint run; a file that fails is said and the run goes on."""

    def __init__(self, bar: Progress, say: Callable[[str], None]) -> None:
        self.bar, self.say = bar, say
        self.began = time.perf_counter()

    def file_started(self, path: str) -> None:
        self.began = time.perf_counter()
        self.bar.update(self.bar.done, label=f"lint {path}")
        self.say(f"reading {'standard input' if path == '-' else path}")

    def file_checked(self, name: str, report: Report) -> None:
        self.say(f"{name}: checked by {report.checked_by.get(name, 'Python')} in {elapsed(self.began)}")

    def file_failed(self, path: str, error: Exception) -> None:
        from manifest_tools.errors import ManifestToolsError

        if isinstance(error, ManifestToolsError):
            fail(str(error))
        else:
            fail(f"{path}: internal error ({type(error).__name__}: {error}); please report it")

    def file_finished(self, path: str) -> None:
        self.bar.advance(file_size(path))

    def across_started(self) -> None:
        self.began = time.perf_counter()
        self.bar.update(self.bar.done, label="lint: URLs across files")

    def across_failed(self, error: Exception) -> None:
        fail(str(error))

    def across_finished(self, linted: int) -> None:
        self.say(f"URLs across {plural(linted, 'file')} checked in {elapsed(self.began)}")


def _duration_option(value: str | None) -> timedelta | None:
    from manifest_tools.config import parse_duration

    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
