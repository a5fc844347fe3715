"""How the parts of a split are named: one home for the name ``split`` writes and ``lint`` recognises."""

from __future__ import annotations

import re
from pathlib import Path


def part_path(source: str, number: int, suffix: str, output_dir: str | None) -> Path:
    """``stem.part-0001.json`` beside the source, or in ``output_dir``."""
    path = Path(source)
    folder = Path(output_dir) if output_dir else path.parent
    return folder / f"{path.stem}.part-{number:04d}{suffix}"


PART_NAME = re.compile(r"(?P<stem>.+)\.part-\d{4,}(?P<suffix>\.(?:json|csv))", re.IGNORECASE)
"""The name of a part that :func:`part_path` writes: ``stem.part-0001.json``."""


def part_stem(name: str) -> tuple[str, str] | None:
    """(stem, lower-case suffix) of a part's file name, or None for a file that is no part."""
    match = PART_NAME.fullmatch(name)
    return None if match is None else (match["stem"], match["suffix"].lower())
