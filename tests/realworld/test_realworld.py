"""Manifests real users and the platform's engineers wrote (../shared/realworld/), linted as they are.

Each file's expected diagnostics, and the reason they are right, live in expectations.yaml: the
judgement of what lint must say about real input is data, reviewed like code. A file without an
expectation, or an expectation without its file, fails the run (a missing folder is no skip).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import manifest_tools

REALWORLD = Path(__file__).resolve().parents[2].parent / "shared" / "realworld"
EXPECTATIONS: dict[str, Any] = yaml.safe_load((Path(__file__).parent / "expectations.yaml").read_text("utf-8"))


def test_every_real_manifest_has_a_judgement() -> None:
    assert REALWORLD.is_dir(), f"{REALWORLD} is missing: CI clones the project with ../shared beside it"
    files = sorted(p.name for p in REALWORLD.glob("*.json"))
    assert files == sorted(EXPECTATIONS)


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_real_manifest_lints_as_judged(name: str) -> None:
    expected = EXPECTATIONS[name]
    assert expected["reason"].strip(), "every judgement says why"
    report = manifest_tools.lint(REALWORLD / name)
    found = [f"{d.code} {d.line}:{d.column}" for d in report]
    assert found == expected["expect"], "\n".join(f"{d.code} {d.line}:{d.column} {d.message}" for d in report)
    for diagnostic in report:
        assert "text values need double quotes" not in diagnostic.message, "never advise quoting a placeholder"


def test_first_listed_is_always_the_earlier_place() -> None:
    report = manifest_tools.lint(REALWORLD / "002-multimodal_agents-doc_images.json")
    repeats = [d for d in report if d.code == "MT602"]
    assert len(repeats) > 100
    for diagnostic in repeats:
        line, column = diagnostic.message.split("first listed at ", 1)[1].split(":")[:2]
        assert (int(line), int(column)) < (diagnostic.line, diagnostic.column), diagnostic.message
