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
