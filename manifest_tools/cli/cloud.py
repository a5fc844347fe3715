"""The commands that reach cloud stores: ``generate`` and ``verify``."""

from __future__ import annotations

import sys
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
    build_finder,
    chosen_output_format,
    color_option,
    config_options,
    discover_manifests,
    fail,
    input_name,
    main,
    split_lowercase,
    use_color,
    write_report,
)
from manifest_tools.cli.probe import CONCURRENCY, build_probe_options, probe_options, summary
from manifest_tools.cli.progress import Progress, echo
from manifest_tools.cloud.choices import (
    DICOM_SERIES_BY,
    IMAGES_AS,
    URL_STYLES,
    DicomSeriesBy,
    ImagesAs,
    UrlStyle,
)

if TYPE_CHECKING:
    from manifest_tools.cloud.fill import FillResult


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
) -> None:
    """Write a manifest from a bucket prefix: s3://, obs://, gs://, az://ACCOUNT/CONTAINER/ or a local folder."""
    from manifest_tools import api
    from manifest_tools.cloud.classify import TIFF_IN_SEQUENCE, UNKNOWN_TYPE, Counts
    from manifest_tools.cloud.generate import NothingToRegister
    from manifest_tools.conversion import ConversionRefused
    from manifest_tools.errors import ManifestToolsError
    from manifest_tools.redact import redact

    bar = Progress("generate: listed", unit="objects").start()
    interactive = bar.enabled

    def progress(counts: Counts, seconds: float) -> None:
        bar.update(counts.listed)

    def skipped(key: str, why: str) -> None:
        echo(redact(f"skipped {key}: {why}"), err=True)  # clears the bar first

    try:
        result = api.generate(
            source,
            output,
            region=region,
            endpoint_url=endpoint_url,
            url_style=url_style,
            url_base=url_base,
            images_as=images_as,
            dicom_series_by=dicom_series_by,
            include=include,
            exclude=exclude,
            kinds=split_lowercase(kinds),
            progress=progress if interactive else None,
            on_skipped=skipped if show_skipped else None,
            drop_unsupported=drop_unsupported,
            metadata=metadata,
            concurrency=concurrency,
        )
    except ConversionRefused as refused:
        bar.close()
        for loss in refused.losses:
            fail(f"{output}: {loss.message}")
        fail(f"{refused}; nothing was written")
        sys.exit(EXIT_FINDINGS)
    except NothingToRegister as error:
        bar.close()
        fail(str(error))
        sys.exit(EXIT_FINDINGS)
    except ManifestToolsError as error:
        bar.close()
        fail(f"{error}; nothing was written")
        sys.exit(EXIT_FAILURE)
    bar.close()
    counts = result.counts
    rate = counts.listed / result.seconds if result.seconds > 0 else 0.0
    per_kind = ", ".join(f"{count:,} {kind}" for kind, count in counts.items.items())
    click.echo(f"Listed {counts.listed:,} objects in {result.seconds:.1f} s ({rate:,.0f}/s): {per_kind}.", err=True)
    totals = [
        (counts.skipped_unknown, UNKNOWN_TYPE),
        (counts.skipped_filtered, "filtered out" + ("" if show_skipped else " (--show-skipped lists them)")),
        (counts.skipped_tiff_in_sequence, TIFF_IN_SEQUENCE),
    ] + [(count, f"{kind}, which CSV cannot carry") for kind, count in result.not_in_csv.items()]
    for count, why in totals:
        if count:
            click.echo(f"Skipped {count:,} objects: {why}.", err=True)
    click.echo(f"Wrote {', '.join(str(p) for p in result.parts)}", err=True)
    if metadata:
        _report_filled(result.filled)


def _report_filled(filled: list[FillResult]) -> None:
    """What --metadata filled, and any file it could not read (exit 1 on such an error)."""
    from manifest_tools.report.formatters import FORMATTERS, TextStyle
    from manifest_tools.report.report import Report

    report = Report()
    for result in filled:
        click.echo(f"{result.report.files[0]}: {summary(result.run.stats)}; filled {result.filled:,} blocks", err=True)
        report.extend(result.report)
    if report.diagnostics:
        click.echo(FORMATTERS["text"](report, TextStyle(color=use_color("auto", sys.stdout))))
    if report.errors:
        sys.exit(EXIT_FINDINGS)


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
    **probing: Any,
) -> None:
    """Check that every URL of the manifests exists (listing each folder once) and matches its fileSize:
    files, folders (all *.json and *.csv below) or - for standard input."""
    from pathlib import Path

    from manifest_tools import api
    from manifest_tools.cloud.verify import VerifyStats
    from manifest_tools.errors import CannotVerify, ManifestToolsError
    from manifest_tools.report.report import Report

    finder = build_finder(config_file, isolated, exclude, extend_exclude)
    found = discover_manifests(paths, finder, respect_gitignore=respect_gitignore, force_exclude=force_exclude)
    chosen_format = chosen_output_format(output_format, finder.for_folder(Path.cwd()))
    try:
        probed = build_probe_options(region, endpoint_url, **probing) if metadata else False
    except ManifestToolsError as error:
        fail(str(error))
        sys.exit(EXIT_FAILURE)
    report = Report(unreadable=list(found.empty))
    for path in found.files:
        name = input_name(path, stdin_filename)

        def counted(stats: VerifyStats, name: str = name) -> None:
            probed_text = f"; {summary(stats.probed)}" if stats.probed else ""
            click.echo(
                f"{name}: {stats.urls:,} URLs, {stats.listed_folders:,} folders listed,"
                f" {stats.head_requests:,} HEAD requests{probed_text}",
                err=True,
            )

        try:
            source = sys.stdin.buffer.read() if path == "-" else Path(path)
            report.extend(
                api.verify(
                    source,
                    name=name,
                    region=region,
                    endpoint_url=endpoint_url,
                    max_head=max_head,
                    metadata=probed,
                    on_stats=counted,
                )
            )
        except CannotVerify as error:  # no check of any file could run: one line, not a finding per folder
            fail(str(error))
            sys.exit(EXIT_FAILURE)
        except ManifestToolsError as error:
            fail(str(error))
            report.unreadable.append(path)
    report.diagnostics.sort(key=lambda d: d.sort_key())
    write_report(report, chosen_format, output_file, color)
    if report.unreadable:
        sys.exit(EXIT_FAILURE)
    sys.exit(EXIT_FINDINGS if report.errors else EXIT_CLEAN)
