"""The commands around an upload job: ``upload``, ``upload-report`` and ``plan``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from manifest_tools.atomic import same_file
from manifest_tools.cli import (
    EXIT_CLEAN,
    EXIT_FAILURE,
    EXIT_FINDINGS,
    OUTPUT_FORMATS,
    enabled_rules,
    fail,
    main,
    selection_options,
    use_color,
)
from manifest_tools.cli.progress import echo_output
from manifest_tools.wording import plural

if TYPE_CHECKING:
    from manifest_tools.report.report import Report
    from manifest_tools.uploads.results import UploadReport


def _print(report: Report, output_format: str) -> None:
    from manifest_tools.report.formatters import FORMATTERS, TextStyle

    color = output_format == "text" and use_color("auto", sys.stdout)
    echo_output(FORMATTERS[output_format](report, TextStyle(color=color)), color=color)


def _finish(result: UploadReport, retry_out: str | None, output_format: str) -> None:
    """Write the retry manifest (if asked and anything failed), print the report, exit 1 on errors."""
    from manifest_tools.errors import ManifestToolsError
    from manifest_tools.redact import for_message

    if retry_out and result.failed:
        try:
            notes = result.write_retry(retry_out)
        except ManifestToolsError as error:
            _print(result.report, output_format)
            fail(str(error))
            sys.exit(EXIT_FAILURE)
        for note in notes:  # as convert notes them
            click.echo(for_message(f"{retry_out}: note: {note.message} ({note.pointer})"), err=True)
        click.echo(f"Wrote {retry_out}: the {plural(len(result.failed), 'failed item')}, to upload again", err=True)
    elif retry_out:
        click.echo(f"No item failed: {retry_out} not written", err=True)
    _print(result.report, output_format)
    sys.exit(EXIT_FINDINGS if result.report.errors else EXIT_CLEAN)


@main.command("upload-report")
@click.argument("result")
@click.option("--manifest", required=True, help="The manifest that was uploaded (JSON or CSV).")
@click.option("--retry-out", help="Write a manifest of only the failed items here (.json or .csv).")
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), default="text")
def upload_report(result: str, manifest: str, retry_out: str | None, output_format: str) -> None:
    """Map a saved job result (UploadLongPollingState.to_dict() as JSON) to the manifest's lines."""
    from manifest_tools.errors import ManifestToolsError
    from manifest_tools.uploads.results import upload_report as run_report

    try:
        report = run_report(result, manifest)
    except ManifestToolsError as error:
        fail(str(error))
        sys.exit(EXIT_FAILURE)
    _finish(report, retry_out, output_format)


@main.command()
@click.argument("manifest")
@click.option("--inventory", required=True, help="The folder's items: JSON Lines of StorageItem.to_dict().")
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), default="text")
def plan(manifest: str, inventory: str, output_format: str) -> None:
    """Say what an upload would skip, overwrite, register twice, or name like an existing item."""
    from manifest_tools.errors import ManifestToolsError
    from manifest_tools.uploads.plan import plan_upload

    try:
        result = plan_upload(manifest, inventory)
    except ManifestToolsError as error:
        fail(str(error))
        sys.exit(EXIT_FAILURE)
    _print(result.report, output_format)
    sys.exit(EXIT_FINDINGS if result.report.errors else EXIT_CLEAN)


@main.command()
@click.argument("manifest")
@click.option("--folder", required=True, help="UUID of the storage folder to register the items in.")
@click.option("--integration", help="UUID of the cloud integration that reads the bucket.")
@click.option("--domain", help="The Encord API (default: the SDK's, https://api.encord.com).")
@click.option("--preset", type=click.Choice(("recommended", "platform")), default="recommended", show_default=True)
@click.option("--max-items", type=click.IntRange(min=1), help="At most this many items per part (with the preset).")
@click.option(
    "--poll-seconds", type=click.IntRange(min=1), default=60, show_default=True, help="State saved this often."
)
@click.option("--resend-unconfirmed", is_flag=True, help="Start again a part whose start was interrupted.")
@click.option("--retry-out", help="Write a manifest of only the failed items here (.json or .csv).")
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), default="text")
@selection_options
def upload(
    manifest: str,
    folder: str,
    integration: str | None,
    domain: str | None,
    preset: str,
    max_items: int | None,
    poll_seconds: int,
    resend_unconfirmed: bool,
    retry_out: str | None,
    output_format: str,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
) -> None:
    """Lint, split, upload each part with the encord SDK (ENCORD_SSH_KEY or ENCORD_SSH_KEY_FILE) and report.

    Running it again resumes from the state file beside MANIFEST: parts already done are
    skipped, running jobs are polled, and no part is sent twice.
    """
    from manifest_tools.cli import print_report
    from manifest_tools.errors import ManifestErrors, ManifestToolsError
    from manifest_tools.report.report import Report
    from manifest_tools.splitting import Limits
    from manifest_tools.uploads.run import UploadOptions
    from manifest_tools.uploads.run import upload as run_upload
    from manifest_tools.uploads.state import UploadError

    if retry_out and same_file(manifest, retry_out):  # found before hours of upload, not after
        fail(f"{retry_out} is the manifest itself: write the retry manifest to another file")
        sys.exit(EXIT_FAILURE)
    enabled, _ = enabled_rules(select, extend_select, ignore)  # the lint that must pass: as `lint` would run it
    options = UploadOptions(
        integration, domain, preset, Limits(max_items=max_items), poll_seconds, resend_unconfirmed, enabled
    )
    try:
        result = run_upload(manifest, folder, options, progress=lambda line: click.echo(line, err=True))
    except ManifestErrors as error:
        print_report(Report(error.errors, [manifest]), quiet=True)
        fail(f"{manifest}: not uploaded: fix these errors first")
        sys.exit(EXIT_FINDINGS)
    except UploadError as error:
        fail(
            f"{error}; the state file is kept: run the same command again to resume" if error.resumable else str(error)
        )
        sys.exit(EXIT_FAILURE)
    except ManifestToolsError as error:
        fail(str(error))
        sys.exit(EXIT_FAILURE)
    except Exception as error:  # the SDK raising what it does not document: still no traceback
        fail(f"{manifest}: internal error ({type(error).__name__}: {error}); the state file is kept; please report it")
        sys.exit(EXIT_FAILURE)
    if result.lint.warnings:
        print_report(Report(result.lint.warnings, [manifest]), quiet=True, err=True)
    click.echo(f"State: {result.state_file}", err=True)
    _finish(result.outcome, retry_out, output_format)
