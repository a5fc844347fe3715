"""MT512 tells a MIME type from a placeholder: no real type is flagged (references this project did not write)."""

from __future__ import annotations

import json
import mimetypes

import pytest

import manifest_tools
from manifest_tools.kinds import MIME_TYPES, NONSTANDARD_MIME_TYPES

REFERENCE_TYPES = sorted(
    {*mimetypes.MimeTypes().types_map[True].values(), *(t for ts in MIME_TYPES.values() for t in ts)}
    | set(NONSTANDARD_MIME_TYPES)
)


def codes_for(mime: str) -> list[str]:
    manifest = {
        "text": [
            {
                "objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.txt",
                "textMetadata": {"fileSize": 1, "mimeType": mime},
            }
        ]
    }
    return [d.code for d in manifest_tools.lint(json.dumps(manifest).encode(), format="json")]


@pytest.mark.parametrize("mime", REFERENCE_TYPES)
def test_no_real_type_is_a_placeholder(mime: str) -> None:
    assert "MT512" not in codes_for(mime)


@pytest.mark.parametrize(
    "mime",
    ["MIME-file-type-extension", "MIME-type-of-the-audio-file-example-audio/mpeg", "text", "plain/text", "<mime type>",
     "mime_type", "image/", "/jpeg"],
)  # fmt: skip
def test_placeholders_are_not_types(mime: str) -> None:
    assert codes_for(mime) == ["MT512"]
