"""The inputs of the data-driven rule cases (tests/rules/cases/MTnnn.yaml) in one format, for the tests that
read or lint every case another way and compare (both ways of reading, with and without the scanner)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

CASES = Path(__file__).parent / "rules" / "cases"


def csv_case_inputs() -> Iterator[Any]:
    """A pytest param of every CSV case's text, named ``MTnnn::case name``."""
    for path in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            if case.get("format") == "csv" and isinstance(case.get("input"), str):
                yield pytest.param(case["input"], id=f"{path.stem}::{case['name']}")
