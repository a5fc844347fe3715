"""report/json_text.py writes what ``json.dumps(value, indent=2, ensure_ascii=False)`` writes, byte for byte:
the reference is the standard library's own encoder, on generated values and on every report format's document."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import manifest_tools
from manifest_tools.report import json_text
from manifest_tools.report.formatters import diagnostic_record, statistics
from manifest_tools.report.sarif import sarif_document

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()  # lone surrogates and control characters included
)
KEYS = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4), max_leaves=30
)


@given(VALUES)
def test_generated_values_are_written_as_json_dumps_writes_them(value: object) -> None:
    assert json_text.dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize(
    "value",
    [{}, [], {"a": {}}, {"a": []}, [[], {}], (1, "two"), {"t": (None,)}, math.inf, -math.nan, 'é\ud800\x00"\\'],
)
def test_empty_containers_tuples_and_odd_scalars(value: object) -> None:
    assert json_text.dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_what_json_dumps_refuses_is_refused() -> None:
    with pytest.raises(TypeError):
        json.dumps({"a": [object()]}, indent=2)
    with pytest.raises(TypeError):
        json_text.dumps({"a": [object()]})


def test_the_report_documents_are_written_as_json_dumps_writes_them() -> None:
    text = (
        '{"images": [{"objectUrl": "http://b.s3.amazonaws.com/a b.jpg", "title": " x\\u00e9 "},'
        ' {"objectUrl": "gs://b/c.jpg", "imageMetadata": {"fileSize": -1}}], "videos": 3}'
    )
    report = manifest_tools.lint(text.encode(), format="json", name="m.json", select=["ALL"])
    assert len(report) >= 4
    for document in ([diagnostic_record(d) for d in report], statistics(report), sarif_document(report)):
        assert json_text.dumps(document) == json.dumps(document, indent=2, ensure_ascii=False)
