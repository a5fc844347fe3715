"""A family is found as ``rules`` heads it: ``MT6xx duplicates`` answers ``rules MT6xx`` and ``rules duplicates``
as ``rules MT6`` does (``rules MT6xx`` said "did you mean MT946?")."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from manifest_tools.cli import main

HEADINGS = re.findall(r"^(MT\dxx) (.+)$", CliRunner().invoke(main, ["rules"]).stdout, re.M)


def test_the_list_has_a_heading_per_family() -> None:
    assert len(HEADINGS) == 10


@pytest.mark.parametrize(("heading", "name"), HEADINGS, ids=[code for code, _ in HEADINGS])
def test_a_family_is_found_as_its_heading_names_it(heading: str, name: str) -> None:
    expected = CliRunner().invoke(main, ["rules", heading[:3]])
    assert expected.exit_code == 0 and expected.stdout.startswith(f"{heading} {name}\n")
    for spelling in (heading, heading.lower(), name, name.upper()):
        for output_format in ("text", "json"):
            given = CliRunner().invoke(main, ["rules", spelling, "--output-format", output_format])
            wanted = CliRunner().invoke(main, ["rules", heading[:3], "--output-format", output_format])
            assert (given.exit_code, given.stdout) == (0, wanted.stdout), given.output


@pytest.mark.parametrize(("pattern", "prefix"), [("MT9x", "MT9"), ("mt30X", "MT30"), ("MT1xx", "MT1")])
def test_a_pattern_shorter_than_a_code_lists_its_family(pattern: str, prefix: str) -> None:
    given, wanted = (CliRunner().invoke(main, ["rules", spelling]) for spelling in (pattern, prefix))
    assert (given.exit_code, given.stdout) == (0, wanted.stdout) and wanted.stdout, given.output


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["rules", "MT99x"], "did you mean MT9 (the MT9xx rules)?"),  # said "did you mean MT946?", a look-alike
        (["rules", "MT3xxx"], "did you mean MT3 (the MT3xx rules)?"),
        (["lint", "--select", "MT3xx", "."], "did you mean MT3 (the MT3xx rules)?"),
        (["lint", "--ignore", "mt99x", "."], "did you mean MT9 (the MT9xx rules)?"),
    ],
)
def test_a_pattern_that_matches_no_rule_offers_its_family(args: list[str], hint: str) -> None:
    """A pattern is read as its digits (the enclosing family is offered, as for ``MT99``), never as a name
    that a look-alike code is nearest to."""
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and hint in result.stderr and "MT946" not in result.stderr, result.output


REMOTE_ONLY = "MT9xx rules are run by `manifest-tools verify` and `upload`, not by lint"


@pytest.mark.parametrize(
    "args",
    [
        ["lint", "--select", "MT99", "-"],
        ["lint", "--select", "MT999", "-"],
        ["lint", "--extend-select", "mt99x", "-"],
        ["lint", "--select", "MT102,MT99", "-"],
    ],
)
def test_a_lint_selector_is_never_offered_a_family_lint_refuses(args: list[str]) -> None:
    """``--select MT99`` offered ``MT9``, which ``--select`` then refuses: a selector that chooses rules for lint
    is told why no MT9 prefix will do, and every suggestion it is given is one lint accepts."""
    result = CliRunner().invoke(main, args, input="{}")
    assert result.exit_code == 2 and REMOTE_ONLY in result.stderr, result.output
    assert "did you mean MT9" not in result.stderr, result.output


@pytest.mark.parametrize("selectors", ["MT9", "MT901", "MT9,MT102", "MT102,mt90"])
def test_a_selector_reaching_only_mt9xx_rules_is_refused_among_others(selectors: str) -> None:
    """The README: a ``--select`` selector that reaches only MT9xx rules is refused, whatever it is listed with
    (``ALL`` and ``MT`` reach lint's rules too, and are not)."""
    result = CliRunner().invoke(main, ["lint", "--select", selectors, "-"], input="{}")
    assert result.exit_code == 2 and REMOTE_ONLY in result.stderr, result.output


@pytest.mark.parametrize("selector", ["", " "])
def test_an_empty_rule_is_refused_as_an_empty_selector_is(selector: str) -> None:
    """``rules ''`` printed the whole catalogue and exited 0, where ``--select ''`` is refused."""
    result = CliRunner().invoke(main, ["rules", selector])
    selected = CliRunner().invoke(main, ["lint", "--select", selector, "-"], input="{}")
    assert (result.exit_code, result.stdout) == (2, "")
    assert (
        result.stderr
        == selected.stderr
        == "manifest-tools: an empty rule selector: give a code, a prefix, ALL or a rule name\n"
    )
