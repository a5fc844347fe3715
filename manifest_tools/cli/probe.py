"""``probe`` (fill metadata blocks from the files' headers) and the options it shares with ``verify --metadata``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from manifest_tools.cli import EXIT_CLEAN, EXIT_FAILURE, EXIT_FINDINGS, OUTPUT_FORMATS, fail, main, use_color
from manifest_tools.cli.progress import Progress, echo_output
from manifest_tools.wording import plural

if TYPE_CHECKING:
    from manifest_tools.cloud.probe import ProbeOptions, ProbeStats


CONCURRENCY = click.option(
    "--concurrency", type=click.IntRange(min=1), default=8, show_default=True, help="Files read at once."
)
"""How many files' headers are read at once (probe, verify --metadata, generate --metadata)."""


def probe_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options of every command that reads files' headers."""
    options = [
        click.option(
            "--local",
            "local_roots",
            multiple=True,
            metavar="URL-BASE=FOLDER",
            help="Read URLs under URL-BASE from FOLDER instead of the network (repeatable).",
        ),
        CONCURRENCY,
        click.option("--max-requests", type=click.IntRange(min=0), help="Read at most this many ranges in all."),
        click.option("--max-bytes", type=click.IntRange(min=0), help="Read at most this many bytes in all."),
        click.option("--cache", "cache", help="Results file (JSON lines): a run resumes from it without re-reading."),
        click.option("--shard", help="I/N: read only shard I of N (by URL; the same on every machine)."),
        click.option(
            "--merge",
            multiple=True,
            help="Result files of sharded runs (their --cache): read nothing, report and fill from these.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def build_probe_options(region: str | None, endpoint_url: str | None, **given: Any) -> ProbeOptions:
    """ProbeOptions from the command line (ConfigError for a malformed --shard or --local)."""
    from manifest_tools.cloud.probe import ProbeOptions, parse_local_roots, parse_shard
    from manifest_tools.cloud.ranged import StoreOptions

    stores = StoreOptions(region, endpoint_url, parse_local_roots(given["local_roots"]))
    return ProbeOptions(
        stores=stores,
        concurrency=given["concurrency"],
        max_requests=given["max_requests"],
        max_bytes=given["max_bytes"],
        cache=given["cache"],
        merge=tuple(given["merge"]),
        shard=parse_shard(given["shard"]) if given["shard"] else None,
    )


def probe_progress(bar: Progress) -> Callable[[ProbeStats], None] | None:
    """The probe's counts on the shared bar: files done, bytes read, rate and time left (None off a terminal:
    the run then skips the calls)."""
    if not bar.enabled:
        return None

    def show(stats: ProbeStats) -> None:
        bar.update(stats.read + stats.cached, stats.urls, f", {stats.bytes_read / 1e6:,.1f} MB read")

    return show


def summary(stats: ProbeStats) -> str:
    """One line about a run: files, requests and bytes, and what the bytes were against the files' sizes."""
    share = f" ({stats.bytes_read / stats.bytes_total:.2%} of {stats.bytes_total:,})" if stats.bytes_total else ""
    return (
        f"probed {plural(stats.read, 'file')} ({stats.cached:,} from results, {stats.not_probed:,} not probed):"
        f" {plural(stats.requests, 'request')}, {plural(stats.bytes_read, 'byte')}{share} in {stats.seconds:.1f} s"
    )


@main.command()
@click.argument("source")
@click.option("-o", "--output", required=True, help="The manifest to write (JSON; '-' for standard output).")
@click.option("--overwrite", is_flag=True, help="Also replace values the files' headers contradict.")
@click.option("--region", help="Region for S3 buckets whose URLs do not name one.")
@click.option("--endpoint-url", help="S3 API endpoint of an S3-compatible store.")
@probe_options
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), default="text")
def probe(
    source: str,
    output: str,
    overwrite: bool,
    region: str | None,
    endpoint_url: str | None,
    output_format: str,
    **given: Any,
) -> None:
    """Write MANIFEST with every missing metadata block filled from its files' headers (ranged reads only)."""
    from manifest_tools.atomic import write_atomic
    from manifest_tools.cli import load_rewritable
    from manifest_tools.cloud.fill import fill_manifest
    from manifest_tools.errors import ManifestToolsError
    from manifest_tools.report.formatters import FORMATTERS, TextStyle

    if output.lower().endswith(".csv"):
        fail("probe writes JSON: CSV manifests cannot hold metadata blocks")
        sys.exit(EXIT_FAILURE)
    manifest = load_rewritable(source, "probed")
    try:
        options = build_probe_options(region, endpoint_url, **given)
        with Progress("probe", unit="files") as bar:
            result = fill_manifest(manifest, options, overwrite=overwrite, progress=probe_progress(bar))
    except ManifestToolsError as error:
        fail(str(error))
        sys.exit(EXIT_FAILURE)
    if output == "-":
        echo_output(result.text, nl=False)
    else:
        write_atomic(output, result.text)
    report = result.report
    replaced = f", replaced {plural(result.replaced, 'wrong value')}" if overwrite else ""
    click.echo(f"{source}: {summary(result.run.stats)}; filled {plural(result.filled, 'block')}{replaced}", err=True)
    if report.diagnostics:
        style = TextStyle(color=use_color("auto", sys.stdout))
        if output == "-":  # the manifest took standard output
            click.echo(FORMATTERS[output_format](report, style), err=True)
        else:
            echo_output(FORMATTERS[output_format](report, style), color=style.color)
    sys.exit(EXIT_FINDINGS if report.errors else EXIT_CLEAN)
