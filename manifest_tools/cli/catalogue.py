"""The commands that describe the tool itself: ``rules`` and ``schema``."""

from __future__ import annotations

import sys

import click

from manifest_tools.cli import (
    EXIT_FAILURE,
    fail,
    main,
)
from manifest_tools.cli.progress import echo_output


@main.command()
@click.argument("code", required=False)
@click.option("--output-format", type=click.Choice(("text", "json", "markdown", "reference")), default="text")
def rules(code: str | None, output_format: str) -> None:
    """List every rule, print one's documentation (rules MT102, rules trailing-comma) or list a family (rules MT7)."""
    from manifest_tools.rules import docs

    if code is None:
        render = {
            "text": docs.catalogue_table,
            "json": docs.catalogue_json,
            "markdown": docs.catalogue_markdown,
            "reference": docs.reference_markdown,
        }
        echo_output(render[output_format]())
        return
    if not code.strip():  # refused as --select '' is, in its words: not the whole catalogue, exit 0
        from manifest_tools.errors import ConfigError
        from manifest_tools.selectors import resolve

        try:
            resolve(code)
        except ConfigError as error:
            fail(str(error))
            sys.exit(EXIT_FAILURE)
    found = docs.find_rule(code)
    if found is not None:
        echo_output(docs.rule_json(found) if output_format == "json" else docs.rule_page(found))
        return
    family = docs.rules_with_prefix(_family_prefix(code))
    if not family:
        from manifest_tools.selectors import unknown_message

        fail(unknown_message(code))
        sys.exit(EXIT_FAILURE)
    echo_output(docs.catalogue_json(family) if output_format == "json" else docs.catalogue_table(family))


def _family_prefix(code: str) -> str:
    """A family as the list heads it (``MT6xx duplicates``: ``rules MT6xx`` or ``rules duplicates``) as its prefix,
    ``MT6``, and so any pattern of a code's length or less (``MT30x``, ``MT9x``); anything else as given."""
    import re

    from manifest_tools.rules.registry import FAMILIES

    if re.fullmatch(r"MT\d{1,3}x+", code, re.IGNORECASE) and len(code) <= 5:
        return code.upper().rstrip("X")
    return next((prefix for prefix, name in FAMILIES.items() if name.lower() == code.lower()), code)


@main.command()
@click.option("--path", "show_path", is_flag=True, help="Print where the installed schema file is instead.")
def schema(show_path: bool) -> None:
    """Print the JSON Schema (2020-12) of JSON manifests, for editors and other validators."""
    from manifest_tools.schema import installed_schema_path, schema_text

    if show_path:
        click.echo(installed_schema_path())
    else:
        echo_output(schema_text(), nl=False)  # the installed file's bytes
