"""The commands that reach cloud stores: ``generate`` and ``verify``."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    FileSettings,
    Stop,
    chosen_output_format,
    color_option,
    config_options,
    elapsed,
    exit_code,
    fail,
    find_manifests,
    input_name,
    main,
    not_found,
    refuse_report_over_inputs,
    split_lowercase,
    stdin_paths,
    use_color,
    verbose_printer,
    write_report,
)
from manifest_tools.cli.probe import CONCURRENCY, build_probe_options, probe_options, summary
from manifest_tools.cli.progress import Progress, echo, echo_output
from manifest_tools.cloud.choices import (
    DICOM_SERIES_BY,
    IMAGES_AS,
    URL_STYLES,
    DicomSeriesBy,
    ImagesAs,
    UrlStyle,
)
from manifest_tools.redact import for_message, redact
from manifest_tools.wording import plural

if TYPE_CHECKING:
    from manifest_tools.cloud.fill import FillResult
    from manifest_tools.cloud.generate import GenerateResult
    from manifest_tools.cloud.probe import ProbeOptions
    from manifest_tools.report.report import Report


@main.command()
@click.argument("source")
@click.option("-o", "--output", required=True, help="The manifest to write (.json or .csv); parts get .part-0001 ...")
@click.option("--region", help="Bucket region (S3: looked up when not given; OBS: required, e.g. eu-de).")
@click.option("--endpoint-url", help="S3 API endpoint of an S3-compatible store (the URLs stay in public form).")
@click.option("--url-style", type=click.Choice(URL_STYLES), default="virtual", help="S3 URL style.")
@click.option("--url-base", help="Write URLs as URL-BASE/key (direct access; required for a local folder).")
@click.option(
    "--images-as",
    type=click.Choice(IMAGES_AS),
    default="single",
    help="Images one by one, or each folder as one image group or image sequence.",
)
@click.option(
    "--dicom-series-by", type=click.Choice(DICOM_SERIES_BY), default="folder", help="How DICOM files form series."
)
@click.option(
    "--include",
    multiple=True,
    help="Only keys matching this gitignore-style pattern, relative to the listed folder (repeatable).",
)
@click.option(
    "--exclude",
    multiple=True,
    help="Skip keys matching this gitignore-style pattern, relative to the listed folder (repeatable).",
)
@click.option("--show-skipped", is_flag=True, help="List each object left out, and why, on stderr.")
@click.option("--kind", "kinds", multiple=True, help="Only these kinds (images, videos, image_groups, ...).")
@click.option("--drop-unsupported", is_flag=True, help="CSV output: leave out the kinds CSV cannot carry (counted).")
@click.option(
    "--metadata",
    is_flag=True,
    help="Fill every metadata block from the files' headers, as probe does (JSON; the probe extra).",
)
@CONCURRENCY
@VERBOSE
def generate(
    source: str,
    output: str,
    region: str | None,
    endpoint_url: str | None,
    url_style: UrlStyle,
    url_base: str | None,
    images_as: ImagesAs,
    dicom_series_by: DicomSeriesBy,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    show_skipped: bool,
    kinds: tuple[str, ...],
    drop_unsupported: bool,
    metadata: bool,
    concurrency: int,
    verbose: bool,
) -> None:
    """Write a manifest from a bucket prefix: s3://, obs://, gs://, az://ACCOUNT/CONTAINER/ or a local folder."""
    sys.exit(run_generate(GenerateSettings(**locals())))  # every parameter is a field of the same name


@dataclass(frozen=True)
class GenerateSettings:
    """What ``generate`` was asked to do, as its options say it."""

    source: str
    output: str
    region: str | None = None
    endpoint_url: str | None = None
    url_style: UrlStyle = "virtual"
    url_base: str | None = None
    images_as: ImagesAs = "single"
    dicom_series_by: DicomSeriesBy = "folder"
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    show_skipped: bool = False
    kinds: tuple[str, ...] = ()
    drop_unsupported: bool = False
    metadata: bool = False
    concurrency: int = 8
    verbose: bool = False


def run_generate(options: GenerateSettings) -> int:
    """List the source into the manifest ``options`` name, say what was done, and return the exit code."""
    return exit_code(lambda: _generate(options))


def _generate(options: GenerateSettings) -> int:
    from manifest_tools.cloud.classify import TIFF_IN_SEQUENCE, UNKNOWN_TYPE
    from manifest_tools.kinds import KINDS_BY_KEY

    say, started = verbose_printer(options.verbose), time.perf_counter()
    say(f"listing {redact(options.source)}")
    result = _listed(options)
    say(f"listed and wrote {plural(len(result.parts), 'file')} in {elapsed(started)}")
    counts = result.counts
    rate = counts.listed / result.seconds if result.seconds > 0 else 0.0
    per_kind = ", ".join(
        plural(n, KINDS_BY_KEY[key].label, KINDS_BY_KEY[key].plural) for key, n in counts.items.items()
    )
    echo(f"Listed {plural(counts.listed, 'object')} in {result.seconds:.1f} s ({rate:,.0f}/s): {per_kind}.", err=True)
    totals = [
        (counts.skipped_unknown, UNKNOWN_TYPE),
        (counts.skipped_filtered, "filtered out" + ("" if options.show_skipped else " (--show-skipped lists them)")),
        (counts.skipped_tiff_in_sequence, TIFF_IN_SEQUENCE),
    ] + [(count, f"{kind}, which CSV cannot carry") for kind, count in result.not_in_csv.items()]
    for count, why in totals:
        if count:
            echo(f"Skipped {plural(count, 'object')}: {why}.", err=True)
    for path, note in result.notes:  # as convert notes them
        echo(
            for_message(f"{as_given(path, options.output, result.parts)}: note: {note.message} ({note.pointer})"),
            err=True,
        )
    echo(f"Wrote {', '.join(as_given(p, options.output, result.parts) for p in result.parts)}", err=True)
    code = _report_filled(result.filled) if options.metadata else EXIT_CLEAN
    say(f"done in {elapsed(started)}")
    return code


def as_given(written: Path, output: str, parts: list[Path]) -> str:
    """A file ``generate`` wrote, named as the user named the output (``-o m.csv``: ``m.csv``, its parts
    ``m.part-0001.csv``), not by the resolved path the library returns; absolute where that would mislead."""
    given = Path(output)
    if len(parts) == 1:
        return output  # written through it (a link stays a link)
    if given.parent.resolve() == written.parent:
        return str(given.parent / written.name)
    return str(written)


def _listed(options: GenerateSettings) -> GenerateResult:
    """``api.generate`` with the listing's bar and the skipped objects on stderr; a refusal is said and stops."""
    from manifest_tools import api
    from manifest_tools.cloud.classify import Counts
    from manifest_tools.cloud.generate import NothingToRegister
    from manifest_tools.conversion import ConversionRefused
    from manifest_tools.errors import ManifestToolsError

    def skipped(key: str, why: str) -> None:
        echo(redact(f"skipped {key}: {why}"), err=True)  # clears the bar first

    with Progress("generate: listed", unit="objects") as bar:

        def progress(counts: Counts, seconds: float) -> None:
            bar.update(counts.listed)

        try:
            return api.generate(
                options.source,
                options.output,
                region=options.region,
                endpoint_url=options.endpoint_url,
                url_style=options.url_style,
                url_base=options.url_base,
                images_as=options.images_as,
                dicom_series_by=options.dicom_series_by,
                include=options.include,
                exclude=options.exclude,
                kinds=split_lowercase(options.kinds),
                progress=progress if bar.enabled else None,
                on_skipped=skipped if options.show_skipped else None,
                drop_unsupported=options.drop_unsupported,
                metadata=options.metadata,
                concurrency=options.concurrency,
            )
        except ConversionRefused as refused:
            bar.close()
            for loss in refused.losses:
                fail(f"{options.output}: {loss.message}")
            fail(f"{refused.naming('--drop-unsupported')}; nothing was written")
            raise Stop(EXIT_FINDINGS) from None
        except NothingToRegister as error:
            bar.close()
            fail(str(error))
            raise Stop(EXIT_FINDINGS) from None
        except ManifestToolsError as error:
            bar.close()
            fail(f"{error}; nothing was written")
            raise Stop(EXIT_FAILURE) from None


def _report_filled(filled: list[FillResult]) -> int:
    """What --metadata filled, and any file it could not read (exit 1 on such an error)."""
    from manifest_tools.report.formatters import FORMATTERS, TextStyle
    from manifest_tools.report.report import Report

    report = Report()
    for result in filled:
        filled_blocks = plural(result.filled, "block")
        echo(f"{result.report.files[0]}: {summary(result.run.stats)}; filled {filled_blocks}", err=True)
        report.extend(result.report)
    if report.diagnostics:
        color = use_color("auto", sys.stdout)
        echo_output(FORMATTERS["text"](report, TextStyle(color=color)), color=color)
    return EXIT_FINDINGS if report.errors else EXIT_CLEAN


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, required=True)
@config_options
@click.option("--region", help="Region for S3 buckets whose URLs do not name one.")
@click.option("--endpoint-url", help="S3 API endpoint of an S3-compatible store.")
@click.option(
    "--max-head",
    type=click.IntRange(min=0),
    default=1000,
    show_default=True,
    help="At most this many HEAD requests for direct-access URLs.",
)
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), help="How to print diagnostics.")
@OUTPUT_FILE
@color_option
@STDIN_FILENAME
@click.option("--metadata", is_flag=True, help="Also read each file's header: metadata blocks and playability.")
@probe_options
@VERBOSE
def verify(
    paths: tuple[str, ...],
    config_file: str | None,
    isolated: bool,
    exclude: tuple[str, ...],
    extend_exclude: tuple[str, ...],
    force_exclude: bool,
    respect_gitignore: bool,
    region: str | None,
    endpoint_url: str | None,
    max_head: int,
    output_format: str | None,
    output_file: str | None,
    color: str,
    stdin_filename: str | None,
    metadata: bool,
    verbose: bool,
    **probing: Any,
) -> None:
    """Check that every URL of the manifests exists (listing each folder once) and matches its fileSize:
    files, folders (all *.json and *.csv below) or - for standard input."""
    paths = stdin_paths(paths, stdin_filename)  # a Stop (exit 2) when it names nothing
    given = {name: value for name, value in locals().items() if name != "probing"}
    sys.exit(run_verify(VerifySettings(**given, probing=probing)))


@dataclass(frozen=True)
class VerifySettings(FileSettings):
    """What ``verify`` was asked to do, as its options say it; ``probing`` holds the header-reading options
    (``--local``, ``--concurrency``, ...) that ``--metadata`` uses."""

    region: str | None = None
    endpoint_url: str | None = None
    max_head: int = 1000
    output_format: str | None = None
    output_file: str | None = None
    color: str = "auto"
    stdin_filename: str | None = None
    metadata: bool = False
    verbose: bool = False
    probing: Mapping[str, Any] = field(default_factory=dict)


def run_verify(options: VerifySettings) -> int:
    """Verify the manifests ``options`` name, print the report, and return the exit code (0, 1 or 2)."""
    return exit_code(lambda: _verify(options))


def _verify(options: VerifySettings) -> int:
    from manifest_tools.report.report import Report

    say, started = verbose_printer(options.verbose), time.perf_counter()
    finder, found = find_manifests(options)
    refuse_report_over_inputs(options.output_file, found.files)
    say(f"found {plural(len(found.files), 'file')} to verify in {elapsed(started)}")
    chosen_format = chosen_output_format(options.output_format, finder.for_folder(Path.cwd()))
    probed = build_metadata_option(options)
    report = Report(unreadable=not_found(found))
    with Progress("verify", len(found.files), "files") as bar:
        for path in found.files:
            bar.update(bar.done, label=f"verify {path}")
            report.extend(_verify_one(path, options, probed, say))
            bar.advance()
    report.diagnostics.sort(key=lambda d: d.sort_key())
    write_report(report, chosen_format, options.output_file, options.color)
    say(f"done in {elapsed(started)}")
    if report.unreadable:
        return EXIT_FAILURE
    return EXIT_FINDINGS if report.errors else EXIT_CLEAN


def build_metadata_option(options: VerifySettings) -> ProbeOptions | bool:
    """``api.verify``'s ``metadata``: the probe's options with --metadata, else False; stops on bad ones."""
    from manifest_tools.errors import ManifestToolsError

    if not options.metadata:
        return False
    try:
        return build_probe_options(options.region, options.endpoint_url, **options.probing)
    except ManifestToolsError as error:
        fail(str(error))
        raise Stop(EXIT_FAILURE) from None


def _verify_one(path: str, options: VerifySettings, probed: ProbeOptions | bool, say: Callable[[str], None]) -> Report:
    """One manifest's report through ``api.verify``, with its counts on stderr; an unreadable file is
    said and recorded, a run no check can do (no extra, no credentials) stops with one line."""
    from manifest_tools import api
    from manifest_tools.cloud.verify import VerifyStats
    from manifest_tools.errors import CannotVerify, ManifestToolsError, NotRewritable
    from manifest_tools.report.report import Report, Unreadable

    name = input_name(path, options.stdin_filename)

    def counted(stats: VerifyStats) -> None:
        probed_text = f"; {summary(stats.probed)}" if stats.probed else ""
        echo(
            f"{name}: {plural(stats.urls, 'URL')}, {plural(stats.listed_folders, 'folder')} listed,"
            f" {plural(stats.head_requests, 'HEAD request')}{probed_text}",
            err=True,
        )

    began = time.perf_counter()
    say(f"reading {'standard input' if path == '-' else path}")
    try:
        source = sys.stdin.buffer.read() if path == "-" else Path(path)
        report = api.verify(
            source,
            name=name,
            region=options.region,
            endpoint_url=options.endpoint_url,
            max_head=options.max_head,
            metadata=probed,
            on_stats=counted,
        )
    except CannotVerify as error:  # no check of any file could run: one line, not a finding per folder
        fail(str(error))
        raise Stop(EXIT_FAILURE) from None
    except NotRewritable as refused:  # no manifest, or read by guessing: its findings, in the chosen format
        fail(f"{name}: not verified: fix these problems first")
        return Report(refused.errors, [name])
    except ManifestToolsError as error:
        fail(str(error))
        return Report(unreadable=[Unreadable.of(path, error)])
    say(f"{name}: verified in {elapsed(began)}")
    return report
