"""The published JSON Schema: valid 2020-12, current, documented, and in agreement with the linter."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main
from manifest_tools.kinds import KINDS_BY_KEY
from manifest_tools.rules.catalogue import all_rules
from manifest_tools.schema import installed_schema_path, manifest_schema, schema_text

ROOT = Path(__file__).parent.parent
SCHEMA = manifest_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

# What the schema can say too: the linter reaches the same verdict for these (spec-level checks
# that a schema cannot express are listed in the schema's description instead).
EXPRESSIBLE = {
    "MT201",
    "MT202",
    "MT203",
    "MT204",
    "MT206",
    "MT208",
    "MT210",
    "MT211",
    "MT213",
    "MT214",
    "MT220",
    "MT221",
    "MT222",
    "MT304",
    "MT305",
    "MT310",
    "MT311",
    "MT501",
    "MT502",
    "MT504",
    "MT507",
}


def _expressible(diagnostic: manifest_tools.Diagnostic) -> bool:
    if diagnostic.code == "MT205":  # a missing objectUrl; groups are left to the numbering rules
        kind = KINDS_BY_KEY.get(diagnostic.pointer.split("/")[1]) if diagnostic.pointer.count("/") >= 2 else None
        return kind is not None and not kind.multi_file
    return diagnostic.code in EXPRESSIBLE


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if len({k for k, _ in pairs}) != len(pairs):
        raise ValueError("duplicate keys")
    return dict(pairs)


def _strict_json(text: str) -> Any:
    """The parsed document, or None when it is not strict JSON (syntax is the linter's alone)."""
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicates)
    except (ValueError, RecursionError):
        return None


def _documents() -> Iterator[Any]:
    """Every fixture and documented rule example that a schema can see (strict JSON, no repeated keys)."""
    texts = [(f"fixture {p.name}", p.read_text(encoding="utf-8")) for p in sorted((ROOT / "fixtures").rglob("*.json"))]
    for rule in sorted(all_rules().values(), key=lambda r: r.code):
        if rule.example_format == "json":
            texts += [(f"{rule.code} bad", rule.bad), (f"{rule.code} good", rule.good)]
    for name, text in texts:
        if _strict_json(text) is not None:
            yield pytest.param(text, id=name)


@pytest.mark.parametrize("text", list(_documents()))
def test_schema_and_linter_agree(text: str) -> None:
    data = _strict_json(text)
    linted = [d for d in manifest_tools.lint(text.encode(), format="json", select=["ALL"]) if _expressible(d)]
    errors = [e.message for e in VALIDATOR.iter_errors(data)]
    assert bool(errors) == bool(linted), (errors, [f"{d.code} {d.message}" for d in linted])


def test_schema_is_valid_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_published_copies_are_current() -> None:
    assert (ROOT / "schemas" / "manifest.schema.json").read_text(encoding="utf-8") == schema_text()
    assert Path(installed_schema_path()).read_text(encoding="utf-8") == schema_text()


def _properties(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            yield f"{where}/{name}", value
        for name, value in node.get("patternProperties", {}).items():
            yield f"{where}/{name}", value
        for key, value in node.items():
            if key in ("properties", "patternProperties"):
                for name, child in value.items():
                    yield from _properties(child, f"{where}/{name}")
            elif key == "items":
                yield from _properties(value, f"{where}[]")


def test_every_property_is_documented_for_editors() -> None:
    seen = 0
    for where, prop in _properties(SCHEMA):
        seen += 1
        assert prop.get("title") and prop.get("description") and prop.get("examples"), where
    assert seen > 60, seen  # the walk reached the nested item and metadata properties


def test_a_manifest_may_name_its_schema() -> None:
    text = (
        '{"$schema": "./manifest.schema.json", "images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}'
    )
    assert manifest_tools.lint(text.encode(), format="json").diagnostics == []
    assert VALIDATOR.is_valid(json.loads(text))


def test_schema_command() -> None:
    assert CliRunner().invoke(main, ["schema"]).stdout == schema_text()
    assert CliRunner().invoke(main, ["schema", "--path"]).stdout.strip().endswith("manifest.schema.json")


_VIDEO = {"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/v.mp4"}
_BLOCK = {"fps": 30, "duration": 1.2e29, "width": 1920, "height": 1080, "fileSize": 1, "mimeType": "video/mp4"}


@pytest.mark.parametrize(
    ("item", "code"),
    [
        ({**_VIDEO, "videoMetadata": {**_BLOCK, "width": 2**63 - 1}}, None),
        ({**_VIDEO, "videoMetadata": {**_BLOCK, "width": 2**63}}, "MT106"),
        ({**_VIDEO, "videoMetadata": {**_BLOCK, "width": 10**40}}, "MT106"),
        ({**_VIDEO, "videoMetadata": {**_BLOCK, "fileSize": 1e300}}, "MT106"),
        ({**_VIDEO, "objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a\x00.mp4"}, "MT305"),
        ({**_VIDEO, "objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a\x7f.mp4"}, "MT305"),
        ({**_VIDEO, "objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a\x85.mp4"}, "MT305"),
    ],
)
def test_schema_refuses_what_the_platform_cannot_store(item: dict[str, Any], code: str | None) -> None:
    """A metadata whole number beyond 64 bits (MT106) and a control character in a URL (MT305): the schema's
    verdict is lint's."""
    data = {"videos": [item]}
    linted = [d.code for d in manifest_tools.lint(json.dumps(data).encode(), format="json")]
    assert linted == ([code] if code else [])
    assert bool(list(VALIDATOR.iter_errors(data))) == bool(code)
