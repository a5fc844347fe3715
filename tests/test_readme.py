"""The README documents what the tool does: its rule table is the catalogue's, its commands work."""

from __future__ import annotations

from pathlib import Path

from manifest_tools.rules.docs import catalogue_markdown

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_rule_table_is_current() -> None:
    assert catalogue_markdown() in README, "run `manifest-tools rules --output-format markdown` and paste it"


def test_starts_with_the_two_commands() -> None:
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert "manifest-tools lint fixtures/" in first_block
    assert "bash scripts/test.sh" in first_block
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in ci


def test_manifest_examples_in_the_readme_lint_clean() -> None:
    """Users copy the README's examples: every JSON block that is a manifest must pass as it stands."""
    import manifest_tools

    blocks = [block.split("```", 1)[0] for block in README.split("```json\n")[1:]]
    manifests = [block for block in blocks if not block.lstrip().startswith("//")]
    assert manifests, "the README shows a manifest"
    for block in manifests:
        assert manifest_tools.lint(block).diagnostics == [], block


def test_the_library_section_names_only_attributes_a_diagnostic_has() -> None:
    """It named ``url``, which the JSON report carries (as null) but a Diagnostic has not: ``d.url`` failed."""
    from dataclasses import fields

    from manifest_tools.report.diagnostic import Diagnostic

    named = README.split("# Diagnostic: ", 1)[1].split("\n", 1)[0]
    attributes = [name.strip() for name in named.split(",")]
    assert attributes and set(attributes) <= {field.name for field in fields(Diagnostic)}, attributes


def test_the_architecture_section_gives_a_diagnostic_no_url() -> None:
    """The data-flow sketch said locate_findings gives each Diagnostic "its rule's name and url"."""
    sketch = README.split("locate_findings turns each into a Diagnostic", 1)[1].split("-> Report", 1)[0]
    assert "name and url" not in sketch, sketch
