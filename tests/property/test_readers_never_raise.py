"""Fuzzing the readers: random and mutated input always ends in diagnostics, never an exception."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import manifest_tools
from manifest_tools.rules.catalogue import all_rules

URL = "https://b.s3.eu-west-2.amazonaws.com"
SEEDS_JSON = [
    json.dumps(
        {
            "images": [{"objectUrl": f"{URL}/a.jpg", "title": "a.jpg", "clientMetadata": {"k": [1, 2.5, None]}}],
            "image_groups": [{"title": "g", "createVideo": False, "objectUrl_0": f"{URL}/g/0.jpg"}],
            "videos": [
                {
                    "objectUrl": f"{URL}/v.mp4",
                    "videoMetadata": {
                        "fps": 25,
                        "duration": 1,
                        "width": 2,
                        "height": 2,
                        "fileSize": 9,
                        "mimeType": "video/mp4",
                    },
                }
            ],
            "skip_duplicate_urls": True,
        },
        indent=2,
    ),
]
SEEDS_CSV = [
    f'ObjectUrl,Image group title,Create video\n{URL}/1.jpg,G 1,true\n{URL}/2.jpg,"G, 2",false\n'
    f"ObjectUrl,Video title\n{URL}/v.mp4,V\nObjectUrl,Series title\n{URL}/ct/1.dcm,CT\n",
]
RULES = all_rules()
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=30,
)
manifest_like = st.fixed_dictionaries(
    {},
    optional={
        key: st.lists(
            st.dictionaries(
                st.sampled_from(
                    [
                        "objectUrl",
                        "objectUrl_0",
                        "objectUrl_1",
                        "objectUrl_01",
                        "title",
                        "createVideo",
                        "clientMetadata",
                        "imageMetadata",
                        "videoMetadata",
                        "x",
                    ]
                ),
                json_values | st.text(max_size=40).map(lambda t: URL + "/" + t),
                max_size=6,
            )
            | json_values,
            max_size=4,
        )
        | json_values
        for key in [
            "images",
            "videos",
            "image_groups",
            "dicom_series",
            "audio",
            "text",
            "nifti",
            "pdfs",
            "skip_duplicate_urls",
            "upsert_metadata",
            "imageGroups",
        ]
    },
)


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    for position, delete, insert in edits:
        at = position % (len(data) + 1)
        data = data[:at] + insert + data[at + delete :]
    return data


edit_lists = st.lists(
    st.tuples(
        st.integers(0, 10_000),
        st.integers(0, 3),
        st.binary(max_size=3)
        | st.sampled_from(
            [
                b",",
                b"}",
                b"]",
                b"{",
                b"[",
                b'"',
                b"'",
                b"\\",
                b":",
                b"\n",
                b"//",
                b"/*",
                b"NaN",
                b"\xff",
                "\ufeff".encode(),
            ]
        ),
    ),
    min_size=1,
    max_size=6,
)


def _assert_well_formed(report: manifest_tools.Report) -> None:
    for d in report:
        assert d.code in RULES
        assert d.line >= 1 and d.column >= 1
        assert d.pointer == "" or d.pointer.startswith("/")
        assert d.message


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(["json", "csv"]))
def test_random_bytes(data: bytes, fmt: str) -> None:
    _assert_well_formed(manifest_tools.lint(data, format=fmt))  # type: ignore[arg-type]


@FUZZ
@given(manifest_like)
def test_random_manifest_shapes(value: dict[str, Any]) -> None:
    text = json.dumps(value, allow_nan=True)
    _assert_well_formed(manifest_tools.lint(text.encode(), format="json"))
    _assert_well_formed(manifest_tools.lint(value))


@FUZZ
@given(st.sampled_from(SEEDS_JSON), edit_lists)
def test_mutated_json(seed: str, edits: list[tuple[int, int, bytes]]) -> None:
    _assert_well_formed(manifest_tools.lint(_mutate(seed.encode(), edits), format="json"))


@FUZZ
@given(st.sampled_from(SEEDS_CSV), edit_lists)
def test_mutated_csv(seed: str, edits: list[tuple[int, int, bytes]]) -> None:
    _assert_well_formed(manifest_tools.lint(_mutate(seed.encode(), edits), format="csv"))


def test_deep_nesting_is_a_diagnostic() -> None:
    for opener, closer in (("[", "]"), ('{"a":', "}")):
        text = '{"images": [{"objectUrl": "' + URL + '/a.jpg", "clientMetadata": {"x": ' + opener * 100_000
        report = manifest_tools.lint((text + closer * 100_000 + "}}]}").encode(), format="json")
        assert "MT111" in {d.code for d in report}
        report = manifest_tools.lint(text.encode(), format="json")
        assert "MT111" in {d.code for d in report}


@FUZZ
@given(manifest_like, st.booleans())
def test_fix_writes_strict_json_and_is_idempotent(value: dict[str, Any], unsafe: bool) -> None:
    """Whatever fix writes reads back without a syntax problem, and fixing it again changes nothing."""
    from manifest_tools import api
    from manifest_tools.fixes import fix_manifest

    text = json.dumps(value)  # NaN and Infinity included: the reader must report them, and fix refuse them
    first = fix_manifest(api.parse("m.json", text.encode()), api.selection(), unsafe=unsafe)
    if first.text is None:
        return
    again = api.parse("m.json", first.text.encode())
    assert not [d for d in again.reader_diagnostics if d.code.startswith("MT1")], first.text
    assert json.loads(first.text, parse_constant=_refuse) == again.data  # an independent reader agrees
    second = fix_manifest(again, api.selection(), unsafe=unsafe)
    assert second.text == first.text and second.applied == []


@FUZZ
@given(st.sampled_from(SEEDS_JSON + SEEDS_CSV), edit_lists)
def test_fix_of_mutated_input_is_never_worse_than_refusing(seed: str, edits: list[tuple[int, int, bytes]]) -> None:
    from manifest_tools import api
    from manifest_tools.fixes import fix_manifest

    fmt = "csv" if seed in SEEDS_CSV else "json"
    manifest = api.parse(f"m.{fmt}", _mutate(seed.encode(), edits), fmt)  # type: ignore[arg-type]
    result = fix_manifest(manifest, api.selection(), unsafe=True)
    if result.text is not None:
        again = api.parse(f"m.{fmt}", result.text.encode(), fmt)  # type: ignore[arg-type]
        assert not [d for d in again.reader_diagnostics if d.code in ("MT101", "MT105", "MT106", "MT108")]


def _refuse(constant: str) -> None:
    raise AssertionError(f"{constant} written")
