"""Data-driven rule cases: each YAML file under cases/ lists inputs and their exact diagnostics.

A case is ``{name, input, expect: ["CODE line:col", ...]}`` with optional
``format`` (json or csv, default json) and ``extend_select``. Adding a test is
adding a case.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import manifest_tools

CASES_DIR = Path(__file__).parent / "cases"


def _load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            params.append(pytest.param(case, id=f"{path.stem}::{case['name']}"))
    return params


@pytest.mark.parametrize("case", _load_cases())
def test_case(case: dict[str, Any]) -> None:
    fmt = case.get("format", "json")
    report = manifest_tools.lint(
        case["input"].encode("utf-8"),
        format=fmt,
        name=f"case.{fmt}",
        extend_select=case.get("extend_select", []),
    )
    found = [f"{d.code} {d.line}:{d.column}" for d in report]
    assert found == case["expect"], "\n".join(f"{d.code} {d.line}:{d.column} {d.message}" for d in report)
    for d in report:
        assert d.pointer == "" or d.pointer.startswith("/"), d
