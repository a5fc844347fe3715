"""What MT202 says of a misspelt top-level key: it calls a spelling the SDK's only when the SDK's own
DataUploadItems has it (``imageGroups``), not for a guess such as ``image``."""

from __future__ import annotations

import json

import pytest
from encord.orm.storage import DataUploadItems

import manifest_tools
from manifest_tools.kinds import FLAG_SPELLINGS, SDK_SPELLINGS

SDK_ALIASES = {field.alias or name for name, field in DataUploadItems.model_fields.items()}


@pytest.mark.parametrize("key", sorted({**SDK_SPELLINGS, **FLAG_SPELLINGS}))
def test_mt202_calls_a_spelling_the_sdks_only_when_it_is(key: str) -> None:
    # a flag's other spelling alone is MT222; beside the documented one it is an unknown key (MT202)
    manifest = {key: True, FLAG_SPELLINGS[key]: True} if key in FLAG_SPELLINGS else {key: []}
    report = manifest_tools.lint(json.dumps(manifest).encode(), format="json")
    (finding,) = [d for d in report.diagnostics if d.code == "MT202"]
    meant = SDK_SPELLINGS.get(key) or FLAG_SPELLINGS[key]
    assert f'did you mean "{meant}"?' in finding.message
    assert ("the SDK's" in finding.message) == (key in SDK_ALIASES), finding.message
