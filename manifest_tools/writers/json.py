"""Write manifests as canonical JSON: strict, 2-space indent, canonical key order, final newline."""

from __future__ import annotations

import json
from typing import IO, Any

from manifest_tools.canonical import canonical_manifest


def dumps_json(data: dict[str, Any]) -> str:
    """Canonical JSON text; raises ValueError for values strict JSON cannot hold (NaN)."""
    ordered = canonical_manifest(data)
    text = json.dumps(ordered, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: only an escape can carry it
        text = json.dumps(ordered, indent=2, ensure_ascii=True, allow_nan=False) + "\n"
    return text


def dump_json(data: dict[str, Any], out: IO[str]) -> None:
    """Stream canonical JSON to ``out`` without building the whole text (for large parts)."""
    json.dump(canonical_manifest(data), out, indent=2, ensure_ascii=True, allow_nan=False)
    out.write("\n")
