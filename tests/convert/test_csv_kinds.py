"""The kinds table alone decides what CSV carries: every valid fixture's CSV-able items survive a round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from manifest_tools import api
from manifest_tools.conversion import convert
from manifest_tools.kinds import CSV_KINDS, DICOM_SERIES, KINDS

FIXTURES = Path(__file__).parents[2] / "fixtures"
VALID = sorted(p for p in (FIXTURES / "valid").iterdir() if p.suffix in (".json", ".csv"))


def _urls(data: dict[str, object], key: str) -> list[list[str]]:
    values = data.get(key)
    assert isinstance(values, list)
    return [[v for k, v in item.items() if k == "objectUrl" or k.startswith("objectUrl_")] for item in values]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_every_csv_kind_of_a_valid_fixture_converts_to_csv_and_back(path: Path) -> None:
    manifest = api.load(path)
    data = manifest.data or {}
    carried = [kind for kind in KINDS if kind.csv is not None and kind.key in data]
    result = convert(manifest, "csv", drop_unsupported=True)
    whole_items = [loss.pointer for loss in result.dropped if loss.pointer.count("/") == 2]
    assert not [pointer for pointer in whole_items if pointer.split("/")[1] in {k.key for k in carried}]
    back = api.parse("back.csv", result.text)
    assert back.reader_diagnostics == []
    assert sorted(back.data or {}) == sorted(kind.key for kind in carried)
    for kind in carried:
        assert _urls(back.data or {}, kind.key) == _urls(data, kind.key), kind.key


def test_the_table_says_which_kinds_csv_carries() -> None:
    assert {kind.key for kind in KINDS if kind.csv is not None} == {kind.key for kind in CSV_KINDS}
    assert DICOM_SERIES.csv is not None  # spec section 2: "ObjectUrl, Series title" is a DICOM block


def test_dicom_in_csv_is_noted_with_the_platform_advice() -> None:
    result = convert(api.load(FIXTURES / "valid" / "otc-dicom.json"), "csv")
    assert result.text.startswith("ObjectUrl,Series title\n")
    assert [(note.pointer, note.message) for note in result.notes] == [
        ("/dicom_series", "the platform's FAQ recommends registering cloud DICOM from JSON")
    ]


def test_a_series_without_a_title_cannot_be_carried() -> None:
    data = '{"dicom_series": [{"objectUrl_0": "https://b.s3.eu-west-2.amazonaws.com/ct/1.dcm"}]}'
    result = convert(api.parse("m.json", data), "csv", drop_unsupported=True)
    assert [(loss.pointer, loss.message) for loss in result.dropped] == [
        ("/dicom_series/0", "a DICOM series needs a title in CSV (rows join groups by title)")
    ]
