"""What a user sees of the library in a REPL or an editor: dir(), help() and short reprs."""

from __future__ import annotations

import manifest_tools
from manifest_tools.kinds import IMAGES


def test_dir_lists_the_api() -> None:
    names = dir(manifest_tools)
    assert names == sorted(manifest_tools.__all__)
    assert {"lint", "lint_files", "fix", "convert", "split", "Report"} <= set(names)
    for name in names:
        assert getattr(manifest_tools, name) is not None


def test_reprs_are_short() -> None:
    assert repr(IMAGES) == "Kind('images')"
    manifest = manifest_tools.load('{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}')
    item = next(manifest.items())
    assert len(repr(item)) < 200, repr(item)
