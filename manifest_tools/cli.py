"""The command line: parse options, call the library, print, exit. Nothing else lives here.

Exit codes (as ruff): 0 no error, 1 errors found (or warnings with --strict),
2 usage error, unreadable file or internal failure.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import click

from manifest_tools import __version__

if TYPE_CHECKING:
    from manifest_tools.config import Settings
    from manifest_tools.model import Manifest
    from manifest_tools.report.report import Report

EXIT_CLEAN, EXIT_FINDINGS, EXIT_FAILURE = 0, 1, 2
OUTPUT_FORMATS = ("text", "json", "github", "sarif")


def _split_codes(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code.strip())


def _fail(message: str) -> None:
    click.echo(f"manifest-tools: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="manifest-tools")
def main() -> None:
    """Lint, fix, convert and split Encord cloud-registration manifests (JSON and CSV)."""


def selection_options(command: Callable[..., None]) -> Callable[..., None]:
    """--select / --extend-select / --ignore, shared by the commands that run rules."""
    for option in reversed(
        [
            click.option(
                "--select", multiple=True, help="Rule codes or prefixes instead of the defaults (MT1,MT602; ALL)."
            ),
            click.option("--extend-select", multiple=True, help="Rule codes or prefixes to add (opt-in rules)."),
            click.option("--ignore", multiple=True, help="Rule codes or prefixes to skip."),
        ]
    ):
        command = option(command)
    return command


def _enabled(
    select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...]
) -> tuple[frozenset[str], Settings]:
    """The enabled rules from the config file and the options (options win); exits 2 on bad settings."""
    from manifest_tools import api
    from manifest_tools.config import load_settings
    from manifest_tools.errors import ManifestToolsError

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
    return enabled, settings


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
    from manifest_tools.errors import ManifestToolsError
    from manifest_tools.report.formatters import FORMATTERS, TextStyle
    from manifest_tools.report.report import Report

    enabled, settings = _enabled(select, extend_select, ignore)
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    chosen_format = output_format or settings.output_format or ("github" if in_actions else "text")
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


def _load_rewritable(source: str, verb: str) -> Manifest:
    """Read a manifest to write it out in another shape; exit 2 if unreadable, 1 if reading needed a guess."""
    from manifest_tools import api
    from manifest_tools.errors import ManifestToolsError
    from manifest_tools.fixes import blocking_diagnostics
    from manifest_tools.report.report import Report

    try:
        manifest = api.parse_path(source)
    except ManifestToolsError as error:
        _fail(str(error))
        sys.exit(EXIT_FAILURE)
    blocking = blocking_diagnostics(manifest, unsafe=False)
    if blocking:
        _print_report(Report(blocking, [source]), quiet=True)
        _fail(f"{source}: not {verb}: fix these problems first")
        sys.exit(EXIT_FINDINGS)
    return manifest


def _print_report(report: Report, quiet: bool, *, err: bool = False) -> None:
    from manifest_tools.report.formatters import FORMATTERS, TextStyle

    stream = sys.stderr if err else sys.stdout
    style = TextStyle(color=stream.isatty() and "NO_COLOR" not in os.environ, quiet=quiet)
    output = FORMATTERS["text"](report, style)
    if output:
        click.echo(output, err=err)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@selection_options
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that change what is registered.")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of the changes; write nothing.")
@click.option("--check", is_flag=True, help="Exit 1 if any file would change; write nothing.")
@click.option("-q", "--quiet", is_flag=True, help="Print remaining diagnostics only, no summary.")
def fix(
    paths: tuple[str, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    unsafe_fixes: bool,
    show_diff: bool,
    check: bool,
    quiet: bool,
) -> None:
    """Normalise manifests and apply safe fixes (- reads standard input and writes the result to standard output)."""
    import difflib

    from manifest_tools import api
    from manifest_tools.atomic import write_atomic
    from manifest_tools.errors import ManifestToolsError
    from manifest_tools.fixes import fix_manifest
    from manifest_tools.report.report import Report

    enabled, _ = _enabled(select, extend_select, ignore)
    remaining, failed, changed_files, fixes = Report(), False, 0, 0
    for path in api.expand_paths(paths):
        try:
            if path == "-":
                original = sys.stdin.read()
                manifest = api.parse("<stdin>", original)
            else:
                original = api.read_decoded(path).text
                manifest = api.parse_path(path)
        except ManifestToolsError as error:
            _fail(str(error))
            failed = True
            continue
        result = fix_manifest(manifest, enabled, unsafe=unsafe_fixes)
        if result.text is None:
            click.echo(
                f"{path}: not rewritten: {len(result.blocking)} problem(s) must be fixed by hand first", err=True
            )
            remaining.extend(Report(result.blocking, [path]))
            if path == "-":
                click.echo(original, nl=False)
            continue
        changed = result.text != original
        fixes += len(result.applied)
        if path == "-":
            click.echo(result.text, nl=False)
        elif changed:
            changed_files += 1
            if show_diff:
                click.echo(
                    "".join(
                        difflib.unified_diff(
                            original.splitlines(keepends=True), result.text.splitlines(keepends=True), path, path
                        )
                    ),
                    nl=False,
                )
            elif check:
                click.echo(f"Would fix {path} ({len(result.applied)} fix(es), canonical form)", err=True)
            else:
                write_atomic(path, result.text)
                for applied in result.applied:
                    click.echo(
                        f"{path}: {applied.code} fixed at {applied.pointer or '/'}: {applied.description}", err=True
                    )
        remaining.extend(
            api.check(api.parse(path if path != "-" else "<stdin>", result.text, manifest.format), enabled)
        )
    to_stdout = paths == ("-",)  # the fixed manifest went to standard output: report on stderr
    _print_report(remaining, quiet, err=to_stdout)
    if not quiet:
        verb = "Would change" if (show_diff or check) else "Changed"
        click.echo(f"{verb} {changed_files} file(s) to canonical form; {fixes} fix(es) applied.", err=to_stdout)
    if failed:
        sys.exit(EXIT_FAILURE)
    if show_diff or check:
        sys.exit(EXIT_FINDINGS if changed_files else EXIT_CLEAN)
    sys.exit(EXIT_FINDINGS if remaining.errors else EXIT_CLEAN)


@main.command()
@click.argument("source")
@click.option("-o", "--output", required=True, help="The file to write (- for standard output).")
@click.option(
    "--to", "target", type=click.Choice(("json", "csv", "sdk")), help="Target format (default: from -o's extension)."
)
@click.option("--drop-unsupported", is_flag=True, help="Drop what the target cannot carry (each is still reported).")
def convert(source: str, output: str, target: str | None, drop_unsupported: bool) -> None:
    """Convert a manifest between JSON, multi-header CSV and the Encord SDK's DataUploadItems payload."""
    from manifest_tools.atomic import atomic_text_file
    from manifest_tools.conversion import ConversionRefused
    from manifest_tools.conversion import convert as run_convert

    chosen = target or (
        "csv" if output.lower().endswith(".csv") else "json" if output.lower().endswith(".json") else None
    )
    if chosen is None:
        _fail("say --to json, csv or sdk (the output name does not end in .json or .csv)")
        sys.exit(EXIT_FAILURE)
    if output != "-" and os.path.exists(output) and os.path.samefile(source, output):
        _fail(f"{output} is the input file: use `manifest-tools fix` to rewrite a file in place")
        sys.exit(EXIT_FAILURE)
    manifest = _load_rewritable(source, "converted")
    try:
        result = run_convert(manifest, chosen, drop_unsupported=drop_unsupported)  # type: ignore[arg-type]
    except ConversionRefused as refused:
        for loss in refused.losses:
            where = manifest.locator.locate(loss.pointer)
            click.echo(f"{source}:{where.line}:{where.column}: {loss.message} ({loss.pointer})", err=True)
        _fail(str(refused))
        sys.exit(EXIT_FINDINGS)
    for label, entries in (("dropped", result.dropped), ("note", result.notes)):
        for loss in entries:
            where = manifest.locator.locate(loss.pointer)
            click.echo(f"{source}:{where.line}:{where.column}: {label}: {loss.message} ({loss.pointer})", err=True)
    if output == "-":
        result.write_to(sys.stdout)
    else:
        with atomic_text_file(output) as out:
            result.write_to(out)
        click.echo(f"Wrote {output} ({chosen}); {len(result.dropped)} thing(s) dropped.", err=True)


@main.command()
@click.argument("source")
@click.option("--max-items", type=click.IntRange(min=1), help="At most this many items per part.")
@click.option("--max-urls", type=click.IntRange(min=1), help="At most this many URLs (CSV: rows) per part.")
@click.option("--max-bytes", type=click.IntRange(min=1), help="At most this many bytes per part.")
@click.option(
    "--preset", type=click.Choice(("platform", "recommended")), help="Platform limits or recommended batch sizes."
)
@click.option("--output-dir", help="Where to write the parts (default: beside the source).")
@click.option("--dry-run", is_flag=True, help="Print the plan; write nothing.")
def split(
    source: str,
    max_items: int | None,
    max_urls: int | None,
    max_bytes: int | None,
    preset: str | None,
    output_dir: str | None,
    dry_run: bool,
) -> None:
    """Split a manifest into stem.part-0001.json (or .csv), ... each within the limits; groups are never cut."""
    from manifest_tools.errors import ManifestToolsError
    from manifest_tools.splitting import PRESETS, Limits, plan, write_parts

    if not (max_items or max_urls or max_bytes or preset):
        _fail("give --max-items, --max-urls, --max-bytes or --preset")
        sys.exit(EXIT_FAILURE)
    manifest = _load_rewritable(source, "split")
    limits = Limits(max_items, max_urls, max_bytes)
    if preset:
        limits = limits.merged(PRESETS[preset][manifest.format])
    try:
        parts = plan(manifest, limits)
    except ManifestToolsError as error:
        _fail(f"{source}: {error}")
        sys.exit(EXIT_FINDINGS)
    for part in parts:
        click.echo(part.describe())
    if dry_run:
        click.echo(f"{len(parts)} part(s) planned; nothing written (--dry-run).")
        return
    suffix = ".csv" if manifest.format == "csv" else ".json"
    written = [str(path) for path in write_parts(manifest, parts, suffix=suffix, output_dir=output_dir)]
    click.echo(f"Wrote {len(written)} part(s): {', '.join(written)}")


@main.command()
@click.argument("source")
@click.option("-o", "--output", required=True, help="The manifest to write (.json or .csv); parts get .part-0001 ...")
@click.option("--region", help="Bucket region (S3: looked up when not given; OBS: required, e.g. eu-de).")
@click.option("--endpoint-url", help="S3 API endpoint of an S3-compatible store (the URLs stay in public form).")
@click.option("--url-style", type=click.Choice(("virtual", "path")), default="virtual", help="S3 URL style.")
@click.option("--url-base", help="Write URLs as URL-BASE/key (direct access; required for a local folder).")
@click.option(
    "--images-as",
    type=click.Choice(("single", "groups", "sequences")),
    default="single",
    help="Images one by one, or each folder as one image group or image sequence.",
)
@click.option(
    "--dicom-series-by", type=click.Choice(("folder",)), default="folder", help="How DICOM files form series."
)
@click.option("--include", multiple=True, help="Only keys matching this glob (repeatable).")
@click.option("--exclude", multiple=True, help="Skip keys matching this glob (repeatable).")
@click.option("--kind", "kinds", multiple=True, help="Only these kinds (images, videos, image_groups, ...).")
def generate(
    source: str,
    output: str,
    region: str | None,
    endpoint_url: str | None,
    url_style: str,
    url_base: str | None,
    images_as: str,
    dicom_series_by: str,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    kinds: tuple[str, ...],
) -> None:
    """Write a manifest from a bucket prefix: s3://, obs://, gs://, az://ACCOUNT/CONTAINER/ or a local folder."""
    from manifest_tools.cloud.classify import Counts, GroupingOptions
    from manifest_tools.cloud.generate import NothingToRegister
    from manifest_tools.cloud.generate import generate as run_generate
    from manifest_tools.cloud.listers import ListerOptions
    from manifest_tools.errors import ManifestToolsError

    interactive = sys.stderr.isatty()

    def progress(counts: Counts, seconds: float) -> None:
        rate = counts.listed / seconds if seconds > 0 else 0.0
        click.echo(f"\rlisted {counts.listed:,} objects ({rate:,.0f}/s)", err=True, nl=False)

    try:
        result = run_generate(
            source,
            output,
            lister_options=ListerOptions(region, endpoint_url, url_style, url_base),
            grouping=GroupingOptions(
                images_as, dicom_series_by, include, exclude, frozenset(_split_codes_lower(kinds))
            ),
            progress=progress if interactive else None,
        )
    except NothingToRegister as error:
        _fail(str(error))
        sys.exit(EXIT_FINDINGS)
    except ManifestToolsError as error:
        if interactive:
            click.echo("", err=True)
        _fail(f"{error}; nothing was written")
        sys.exit(EXIT_FAILURE)
    if interactive:
        click.echo("", err=True)
    counts = result.counts
    rate = counts.listed / result.seconds if result.seconds > 0 else 0.0
    per_kind = ", ".join(f"{count:,} {kind}" for kind, count in counts.items.items())
    click.echo(f"Listed {counts.listed:,} objects in {result.seconds:.1f} s ({rate:,.0f}/s): {per_kind}.", err=True)
    skipped = [
        (counts.skipped_unknown, "of a type no kind lists"),
        (counts.skipped_filtered, "filtered out"),
        (counts.skipped_tiff_in_sequence, "TIFF, which image sequences cannot hold"),
    ] + [(count, f"{kind}, which CSV cannot carry") for kind, count in result.not_in_csv.items()]
    for count, why in skipped:
        if count:
            click.echo(f"Skipped {count:,} objects: {why}.", err=True)
    click.echo(f"Wrote {', '.join(str(p) for p in result.parts)}", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--region", help="Region for S3 buckets whose URLs do not name one.")
@click.option("--endpoint-url", help="S3 API endpoint of an S3-compatible store.")
@click.option(
    "--max-head",
    type=click.IntRange(min=0),
    default=1000,
    show_default=True,
    help="At most this many HEAD requests for direct-access URLs.",
)
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), default="text")
def verify(
    paths: tuple[str, ...], region: str | None, endpoint_url: str | None, max_head: int, output_format: str
) -> None:
    """Check that every URL of the manifests exists (listing each folder once) and matches its fileSize."""
    from manifest_tools import api
    from manifest_tools.cloud.verify import VerifyOptions
    from manifest_tools.cloud.verify import verify as run_verify
    from manifest_tools.errors import ManifestToolsError
    from manifest_tools.report.formatters import FORMATTERS, TextStyle
    from manifest_tools.report.report import Report
    from manifest_tools.rules.engine import locate_findings

    report, failed = Report(), False
    options = VerifyOptions(region=region, endpoint_url=endpoint_url, max_head=max_head)
    for path in api.expand_paths(paths):
        try:
            manifest = api.parse_path(path)
        except ManifestToolsError as error:
            _fail(str(error))
            failed = True
            continue
        stats = run_verify(manifest, options)
        report.extend(Report(locate_findings(manifest, stats.findings), [path]))
        click.echo(
            f"{path}: {stats.urls:,} URLs, {stats.listed_folders:,} folders listed,"
            f" {stats.head_requests:,} HEAD requests",
            err=True,
        )
    report.diagnostics.sort(key=lambda d: d.sort_key())
    click.echo(FORMATTERS[output_format](report, TextStyle(color=sys.stdout.isatty() and "NO_COLOR" not in os.environ)))
    if failed:
        sys.exit(EXIT_FAILURE)
    sys.exit(EXIT_FINDINGS if report.errors else EXIT_CLEAN)


@main.command()
@click.option("--path", "show_path", is_flag=True, help="Print where the installed schema file is instead.")
def schema(show_path: bool) -> None:
    """Print the JSON Schema (2020-12) of JSON manifests, for editors and other validators."""
    from manifest_tools.schema import installed_schema_path, schema_text

    click.echo(installed_schema_path() if show_path else schema_text(), nl=show_path)


def _split_codes_lower(values: Iterable[str]) -> list[str]:
    return [v.strip().lower() for value in values for v in value.split(",") if v.strip()]


@main.command()
@click.argument("code", required=False)
@click.option("--output-format", type=click.Choice(("text", "json", "markdown", "reference")), default="text")
def rules(code: str | None, output_format: str) -> None:
    """List every rule, or print the documentation of one (manifest-tools rules MT102)."""
    from manifest_tools.rules import docs

    if code is None:
        render = {
            "text": docs.catalogue_table,
            "json": docs.catalogue_json,
            "markdown": docs.catalogue_markdown,
            "reference": docs.reference_markdown,
        }
        click.echo(render[output_format]())
        return
    found = docs.find_rule(code)
    if found is None:
        _fail(f"unknown rule {code!r}: `manifest-tools rules` lists them all")
        sys.exit(EXIT_FAILURE)
    click.echo(docs.rule_json(found) if output_format == "json" else docs.rule_page(found))


if __name__ == "__main__":  # pragma: no cover
    main()
