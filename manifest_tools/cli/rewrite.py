"""The commands that write manifests: ``fix``, ``convert`` and ``split``."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from itertools import accumulate
from typing import TYPE_CHECKING

import click

from manifest_tools.atomic import same_file
from manifest_tools.cli import (
    EXIT_CLEAN,
    EXIT_FAILURE,
    EXIT_FINDINGS,
    STDIN_FILENAME,
    STDOUT_NAMES,
    VERBOSE,
    build_finder,
    config_options,
    discover_manifests,
    elapsed,
    enabled_rules,
    fail,
    input_name,
    load_rewritable,
    main,
    print_losses,
    print_report,
    selection_options,
    verbose_printer,
)
from manifest_tools.cli.progress import CountingWriter, Progress, echo, file_size, on_terminal

if TYPE_CHECKING:
    from manifest_tools.model import Manifest


@main.command()
@click.argument("paths", nargs=-1, required=True)
@selection_options
@config_options
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that change what is registered.")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of the changes; write nothing.")
@click.option("--check", is_flag=True, help="Exit 1 if any file would change; write nothing.")
@click.option("-q", "--quiet", is_flag=True, help="Print remaining diagnostics only, no summary.")
@VERBOSE
def fix(
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
    unsafe_fixes: bool,
    show_diff: bool,
    check: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Normalise manifests and apply safe fixes (- reads standard input and writes the result to standard output)."""
    import difflib
    from pathlib import Path

    from manifest_tools import api
    from manifest_tools.atomic import write_atomic
    from manifest_tools.discovery import ignored_codes
    from manifest_tools.errors import ManifestToolsError, OutputError
    from manifest_tools.fixes import fix_manifest
    from manifest_tools.redact import for_message
    from manifest_tools.report.report import Report

    say, started = verbose_printer(verbose), time.perf_counter()
    finder = build_finder(config_file, isolated, exclude, extend_exclude)
    found = discover_manifests(paths, finder, respect_gitignore=respect_gitignore, force_exclude=force_exclude)
    remaining, changed_files, fixes, blocked_errors = Report(unreadable=list(found.empty)), 0, 0, False
    files = found.files
    say(f"found {len(files)} file(s) to fix in {elapsed(started)}")
    sizes = [file_size(path) for path in files]
    with Progress("fix", sum(sizes), "bytes") as bar:
        for path, before in zip(files, accumulate(sizes, initial=0), strict=False):  # before: bytes done
            bar.update(before, label=f"fix {path}")
            began = time.perf_counter()
            # each file's rules: its nearest configuration's selection, less its per-file-ignores (as lint)
            own = finder.for_path(Path(path if path != "-" else "."))
            enabled, _ = enabled_rules(select, extend_select, ignore, own, ignored_codes(path, own))
            say(f"reading {'standard input' if path == '-' else path}")
            try:
                if path == "-":
                    original = sys.stdin.read()
                    manifest = api.parse("<stdin>", original)
                else:
                    decoded = api.read_decoded(path)  # read once: parsed here, compared with the fixed text below
                    original = decoded.text
                    manifest = api.parse(path, decoded)
            except ManifestToolsError as error:
                fail(str(error))
                remaining.unreadable.append(path)
                continue
            result = fix_manifest(manifest, enabled, unsafe=unsafe_fixes)
            say(f"{path}: read and fixed in Python in {elapsed(began)}: {len(result.applied)} fix(es)")
            if result.text is None:
                where = ", ".join(f"{d.code} at {d.line}:{d.column}" for d in result.blocking[:5])
                more = f" and {len(result.blocking) - 5} more" if len(result.blocking) > 5 else ""
                echo(
                    f"{path}: not rewritten: {len(result.blocking)} problem(s) must be fixed by hand first"
                    f" ({where}{more}); the other fixes wait until then",
                    err=True,
                )
                report = api.check(manifest, enabled)  # what lint reports, severities included
                blocked_errors = blocked_errors or bool(report.errors)
                remaining.extend(report)
                if path == "-":
                    echo(original, nl=False)
                continue
            changed = result.text != original
            fixes += len(result.applied)
            changed_files += changed
            if path == "-":
                echo(result.text, nl=False)
            elif changed:
                if show_diff:
                    echo(
                        "".join(
                            difflib.unified_diff(
                                original.splitlines(keepends=True), result.text.splitlines(keepends=True), path, path
                            )
                        ),
                        nl=False,
                    )
                elif check:
                    echo(f"Would fix {path} ({len(result.applied)} fix(es), canonical form)", err=True)
                else:
                    try:
                        write_atomic(path, result.text)  # through a symlink to its target; the link stays
                        say(f"wrote {path}")
                    except OutputError as error:
                        fail(str(error))
                        remaining.unreadable.append(path)
                        continue
                done = "would be fixed" if (show_diff or check) else "fixed"
                for applied in result.applied:
                    line = f"{path}: {applied.code} {done} at {applied.pointer or '/'}: {applied.description}"
                    echo(for_message(line), err=True)
            # What remains, at positions in the file as it now is on disk: the rewritten text, or with
            # --diff and --check (which write nothing) the file as it stands.
            kept = original if (show_diff or check) else result.text
            remaining.extend(api.check(api.parse(path if path != "-" else "<stdin>", kept, manifest.format), enabled))
    to_stdout = paths == ("-",)  # the fixed manifest went to standard output: report on stderr
    print_report(remaining, quiet, err=to_stdout)
    if not quiet:
        if show_diff or check:
            message = f"Would change {changed_files} file(s) to canonical form; {fixes} fix(es) would be applied."
        else:
            message = f"Changed {changed_files} file(s) to canonical form; {fixes} fix(es) applied."
        echo(message, err=to_stdout)
    if remaining.unreadable:
        sys.exit(EXIT_FAILURE)
    if show_diff or check:
        sys.exit(EXIT_FINDINGS if changed_files or blocked_errors else EXIT_CLEAN)
    sys.exit(EXIT_FINDINGS if remaining.errors else EXIT_CLEAN)


@main.command()
@click.argument("source")
@click.option("-o", "--output", required=True, help="The file to write (- or /dev/stdout for standard output).")
@click.option(
    "--to", "target", type=click.Choice(("json", "csv", "sdk")), help="Target format (default: from -o's extension)."
)
@click.option("--drop-unsupported", is_flag=True, help="Drop what the target cannot carry (each is still reported).")
@STDIN_FILENAME
@VERBOSE
def convert(
    source: str, output: str, target: str | None, drop_unsupported: bool, stdin_filename: str | None, verbose: bool
) -> None:
    """Convert a manifest between JSON, multi-header CSV and the Encord SDK's DataUploadItems payload
    (SOURCE - reads standard input)."""
    from manifest_tools.atomic import atomic_text_file
    from manifest_tools.conversion import ConversionRefused
    from manifest_tools.conversion import convert as run_convert

    chosen = target or (
        "csv" if output.lower().endswith(".csv") else "json" if output.lower().endswith(".json") else None
    )
    if chosen is None:
        fail("say --to json, csv or sdk (the output name does not end in .json or .csv)")
        sys.exit(EXIT_FAILURE)
    to_stdout = output in STDOUT_NAMES
    if not to_stdout and source != "-" and same_file(source, output):
        fail(f"{output} is the input file: use `manifest-tools fix` to rewrite a file in place")
        sys.exit(EXIT_FAILURE)
    say, shown = verbose_printer(verbose), input_name(source, stdin_filename)
    manifest = _read(source, "converted", stdin_filename, say)
    try:
        began = time.perf_counter()
        result = run_convert(manifest, chosen, drop_unsupported=drop_unsupported)  # type: ignore[arg-type]
        say(f"{shown}: conversion to {chosen} planned in {elapsed(began)}")
    except ConversionRefused as refused:
        print_losses(shown, manifest, refused.losses)
        fail(str(refused))
        sys.exit(EXIT_FINDINGS)
    print_losses(shown, manifest, result.dropped, "dropped")
    print_losses(shown, manifest, result.notes, "note")
    began = time.perf_counter()
    # Not while the manifest itself goes to the terminal: the bar would be drawn into it.
    with Progress(
        f"convert: writing {output}", unit="bytes", enabled=not (to_stdout and on_terminal(sys.stdout))
    ) as bar:
        if to_stdout:
            result.write_to(CountingWriter(sys.stdout, bar) if bar.enabled else sys.stdout)  # type: ignore[arg-type]
        else:
            with atomic_text_file(output) as out:
                result.write_to(CountingWriter(out, bar) if bar.enabled else out)  # type: ignore[arg-type]
    say(f"wrote {'standard output' if to_stdout else output} in {elapsed(began)}")
    if not to_stdout:
        echo(f"Wrote {output} ({chosen}); {len(result.dropped)} thing(s) dropped.", err=True)


@main.command()
@click.argument("source")
@click.option("--max-items", type=click.IntRange(min=1), help="At most this many items per part.")
@click.option("--max-urls", type=click.IntRange(min=1), help="At most this many URLs (CSV: rows) per part.")
@click.option("--max-bytes", type=click.IntRange(min=1), help="At most this many bytes per part.")
@click.option(
    "--preset", type=click.Choice(("platform", "recommended")), help="Platform limits or recommended batch sizes."
)
@click.option("--output-dir", help="Where to write the parts (default: beside the source).")
@click.option("--replace", is_flag=True, help="Remove the parts of an earlier split of the same stem first.")
@click.option("--dry-run", is_flag=True, help="Print the plan; write nothing.")
@STDIN_FILENAME
@VERBOSE
def split(
    source: str,
    max_items: int | None,
    max_urls: int | None,
    max_bytes: int | None,
    preset: str | None,
    output_dir: str | None,
    replace: bool,
    dry_run: bool,
    stdin_filename: str | None,
    verbose: bool,
) -> None:
    """Split a manifest into stem.part-0001.json (or .csv), ... each within the limits; groups are never cut
    (SOURCE - reads standard input; --stdin-filename names the parts)."""
    from manifest_tools.api import part_suffix
    from manifest_tools.splitting import PRESETS, Limits, PartsExist, SplitError, SplitRefused, plan, write_parts

    if not (max_items or max_urls or max_bytes or preset):
        fail("give --max-items, --max-urls, --max-bytes or --preset")
        sys.exit(EXIT_FAILURE)
    if source == "-" and stdin_filename is None and not dry_run:
        fail("splitting standard input: name the parts with --stdin-filename (e.g. --stdin-filename data/m.json)")
        sys.exit(EXIT_FAILURE)
    say, shown = verbose_printer(verbose), input_name(source, stdin_filename)
    manifest = _read(source, "split", stdin_filename, say)
    limits = Limits(max_items, max_urls, max_bytes)
    if preset:
        limits = limits.merged(PRESETS[preset][manifest.format])
    try:
        began = time.perf_counter()
        parts = plan(manifest, limits)
        say(f"{shown}: {len(parts)} part(s) planned in {elapsed(began)}")
    except SplitRefused as refused:
        print_losses(shown, manifest, refused.losses)
        fail(f"{shown}: {refused}")
        sys.exit(EXIT_FINDINGS)
    except SplitError as error:
        fail(f"{shown}: {error}")
        sys.exit(EXIT_FINDINGS)
    if not dry_run:
        began = time.perf_counter()
        try:
            with Progress("split", sum(len(part.items) for part in parts), "items") as bar:
                written = write_parts(
                    manifest,
                    parts,
                    suffix=part_suffix(manifest),
                    output_dir=output_dir,
                    replace=replace,
                    progress=bar.update if bar.enabled else None,
                )
        except PartsExist as error:
            fail(f"{error}; nothing was written")
            sys.exit(EXIT_FAILURE)
        say(f"wrote {len(written)} part(s) in {elapsed(began)}")
    for part in parts:  # the plan is printed once it is done (or with --dry-run), never before a refusal
        echo(part.describe())
    if dry_run:
        echo(f"{len(parts)} part(s) planned; nothing written (--dry-run).")
    else:
        echo(f"Wrote {len(written)} part(s): {', '.join(str(path) for path in written)}")


def _read(source: str, verb: str, stdin_filename: str | None, say: Callable[[str], None]) -> Manifest:
    """``load_rewritable`` with ``-v`` lines and, past a second, a line saying that reading goes on."""
    shown = input_name(source, stdin_filename)
    began = time.perf_counter()
    say(f"reading {'standard input' if source == '-' else source}")
    with Progress(f"reading {shown}", unit=""):
        manifest = load_rewritable(source, verb, stdin_filename)
    say(f"{shown}: read and parsed in Python in {elapsed(began)}")
    return manifest
