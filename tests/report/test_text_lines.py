"""The text format's lines are format_diagnostic's, whatever it makes once for many findings."""

from __future__ import annotations

import pytest

import manifest_tools
from manifest_tools.report.formatters import TextStyle, format_diagnostic, format_text

BAD = (b'{"images": [{"objectUrl": "http://b.s3.eu-west-2.amazonaws.com/a.jpg"}, {"objectUrl": "gs://b/b.jpg"},'
       b' {"objectUrl": "http://b.s3.eu-west-2.amazonaws.com/c.jpg", "title": " t"}]}')  # fmt: skip


@pytest.mark.parametrize("color", [False, True])
def test_text_lines_are_format_diagnostic_lines(color: bool) -> None:
    report = manifest_tools.lint(BAD, format="json", name="dir/m.json")
    style = TextStyle(color=color, quiet=True)
    expected = [format_diagnostic(d, style) for d in report]
    assert len(set(d.code for d in report)) == 3 and len(expected) == 4
    assert format_text(report, style).splitlines() == expected
    assert ("\x1b[" in expected[0]) == color
