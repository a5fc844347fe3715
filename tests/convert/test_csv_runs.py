"""CSV conversion: a kind's array read in one pass gives what the item-by-item path gives."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from manifest_tools import conversion
from manifest_tools.writers import csv as csv_writer

URL = "https://b.s3.eu-west-2.amazonaws.com"


def _group(n: int, files: int = 2, **fields: Any) -> dict[str, Any]:
    return {"title": f"g{n}", **{f"objectUrl_{f}": f"{URL}/{n}/{f}.jpg" for f in range(files)}, **fields}


CASES: list[dict[str, Any]] = [
    {"images": [{"objectUrl": f"{URL}/{n}.jpg", "title": f"{n}.jpg"} for n in range(4)]},
    {"images": [{"objectUrl": f"{URL}/{n}.jpg"} for n in range(3)] + [{"objectUrl": f"{URL}/x.jpg", "title": None}]},
    {"videos": [{"objectUrl": f"{URL}/{n}.mp4", "clientMetadata": {"n": n}, "x": 1} for n in range(3)]},
    {"images": [{"objectUrl": f"{URL}/a.jpg", "title": "=1+1"}, {"objectUrl": f"{URL}/b.jpg", "title": "b"}]},
    {"images": [{"objectUrl": f"=cmd|{URL}/a.jpg"}, {"objectUrl": f"{URL}/b.jpg"}]},
    {"images": [{"objectUrl": f"{URL}/a.jpg", "title": "a, b"}, {"objectUrl": f"{URL}/b.jpg", "title": 'q"'}]},
    {"images": [{"objectUrl": f"{URL}/é.jpg", "title": "é"}, {"objectUrl": f"{URL}/b.jpg", "title": "\udc00"}]},
    {"images": [{"objectUrl": "  "}, {"objectUrl": f"{URL}/b.jpg"}, {"title": "no url"}, {"objectUrl": 5}]},
    {"images": [{"objectUrl": f"{URL}/a.jpg", "title": "a\x01"}, {"objectUrl": f"{URL}/b.jpg", "title": "b\tc"}]},
    {"images": [{"objectUrl": f"{URL}/a.jpg"}, {"objectUrl": f"{URL}/\x1b.jpg"}, {"objectUrl": f"{URL}/c.jpg"}]},
    {"images": [{"objectUrl": f"{URL}/a.jpg", "title": 7}, {"objectUrl": f"{URL}/b.jpg", "title": "line\nbreak"}]},
    {"images": [{"objectUrl": f"{URL}/a.jpg", "title": ""}], "nifti": [{"objectUrl": f"{URL}/a.nii"}]},
    {"images": [{"objectUrl": f"{URL}/{n}.jpg"} for n in range(3)] + [{"objectUrl": f"{URL}/x.jpg", "title": "a,b"}]},
    # multi-file kinds: runs of one item shape are planned and written in one pass
    {"image_groups": [_group(n, createVideo=n % 2 == 0) for n in range(4)]},
    {"image_groups": [_group(n) for n in range(3)], "dicom_series": [_group(n, files=3) for n in range(3)]},
    {"image_groups": [_group(n, createVideo=n == 1, clientMetadata={"n": n}, x=1) for n in range(3)]},
    {
        "image_groups": [
            {"objectUrl_1": f"{URL}/{n}b.jpg", "title": f"g{n}", "objectUrl_0": f"{URL}/{n}a.jpg"} for n in range(3)
        ]
    },
    {"image_groups": [{"title": f"g{n}", "objectUrl_0": f"{URL}/a{n}.jpg", "objectUrl_01": "x"} for n in range(3)]},
    {"image_groups": [_group(n, createVideo=1) for n in range(2)]},
    {"image_groups": [_group(n, createVideo=None) for n in range(2)]},
    {"image_groups": [_group(0), _group(1, title="g0")]},
    {"image_groups": [_group(0), _group(1, title="=1+1")]},
    {"image_groups": [_group(0), _group(1, title="a,b")]},
    {"image_groups": [_group(0), _group(1, title=" ")]},
    {"image_groups": [_group(0), _group(1, title=None)]},
    {"image_groups": [_group(0), _group(1, title=7)]},
    {"image_groups": [_group(0), _group(1, title="é")]},
    {"image_groups": [_group(0), _group(1, title="\udc00")]},
    {"image_groups": [_group(0), _group(1, title="g\x00")]},
    {"image_groups": [_group(0), _group(1, objectUrl_1=f"{URL}/\x7f\x0b.jpg")]},  # DEL is carried, VT is not
    {"image_groups": [_group(0), _group(1, objectUrl_1="  ")]},
    {"image_groups": [_group(0), _group(1, objectUrl_1=5)]},
    {"image_groups": [_group(0), _group(1, objectUrl_1="-x")]},
    {"image_groups": [_group(0), _group(1, objectUrl_1=f"{URL}/\udc00.jpg")]},  # a lone surrogate after the first cell
    {"image_groups": [_group(0), _group(1, objectUrl_1=f"{URL}/é.jpg")]},
    {"image_groups": [{"objectUrl_0": f"{URL}/a{n}.jpg"} for n in range(2)]},
    {"image_groups": [{"title": f"g{n}"} for n in range(2)]},
    {"image_groups": [_group(0), _group(1, files=3)]},
]


def _attempt(write: Callable[[], str]) -> str:
    try:
        return write()
    except Exception as error:  # the same refusal either way is what is compared
        return repr(error)


def _convert(data: dict[str, Any]) -> tuple[Any, ...]:
    plan = conversion._plan_csv(data)

    def converted() -> str:
        out = io.StringIO()
        csv_writer.write_csv(data, out, skip=plan.skip)
        return out.getvalue()

    unchanged = _attempt(lambda: csv_writer.dumps_csv(data))  # as split and fix write
    return plan.losses, plan.skip, plan.rows, plan.notes, _attempt(converted), unchanged


@pytest.mark.parametrize("data", CASES, ids=repr)
def test_one_pass_and_item_by_item_agree(data: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _convert(data)
    monkeypatch.setattr(csv_writer, "_BATCH_ROWS", 2)  # runs cut inside an array: the same text
    assert _convert(data) == fast
    monkeypatch.setattr(conversion, "_plain_item_losses", lambda *_: None)
    monkeypatch.setattr(csv_writer, "_plain_columns", lambda *_: None)
    monkeypatch.setattr(conversion, "_plain_group_losses", lambda *_: None)
    monkeypatch.setattr(csv_writer, "_plain_group_columns", lambda *_: None)
    assert fast == _convert(data)
