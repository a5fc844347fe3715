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


def split_codes(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code.strip())


def fail(message: str) -> None:
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


def enabled_rules(
    select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...]
) -> tuple[frozenset[str], Settings]:
    """The enabled rules from the config file and the options (options win); exits 2 on bad settings."""
    from manifest_tools import api
    from manifest_tools.config import load_settings
    from manifest_tools.errors import ManifestToolsError

    try:
        settings = load_settings()
        enabled = api.selection(
            split_codes(select) or settings.select,
            settings.extend_select + split_codes(extend_select),
            settings.ignore + split_codes(ignore),
        )
    except ManifestToolsError as error:
        fail(str(error))
        sys.exit(EXIT_FAILURE)
    return enabled, settings


def load_rewritable(source: str, verb: str) -> Manifest:
    """Read a manifest to write it out in another shape; exit 2 if unreadable, 1 if reading needed a guess."""
    from manifest_tools import api
    from manifest_tools.errors import ManifestToolsError
    from manifest_tools.fixes import blocking_diagnostics
    from manifest_tools.report.report import Report

    try:
        manifest = api.parse_path(source)
    except ManifestToolsError as error:
        fail(str(error))
        sys.exit(EXIT_FAILURE)
    blocking = blocking_diagnostics(manifest, unsafe=False)
    if blocking:
        print_report(Report(blocking, [source]), quiet=True)
        fail(f"{source}: not {verb}: fix these problems first")
        sys.exit(EXIT_FINDINGS)
    return manifest


def print_report(report: Report, quiet: bool, *, err: bool = False) -> None:
    from manifest_tools.report.formatters import FORMATTERS, TextStyle

    stream = sys.stderr if err else sys.stdout
    style = TextStyle(color=stream.isatty() and "NO_COLOR" not in os.environ, quiet=quiet)
    output = FORMATTERS["text"](report, style)
    if output:
        click.echo(output, err=err)


def split_lowercase(values: Iterable[str]) -> list[str]:
    return [v.strip().lower() for value in values for v in value.split(",") if v.strip()]


# The commands live in one module per area; importing them registers them on ``main``.
from manifest_tools.cli import catalogue, cloud, lint, probe, rewrite  # noqa: E402, F401
