"""Findings the native scanner decides itself (an ``http://`` URL, MT303) are what the Python rules report.

An item whose only defect is a URL scheme that rules/urls.py flags (``FLAGGED_SCHEMES``)
stays certified; the scanner records the finding with the URL's byte offsets and Python
builds the diagnostic without parsing the item. These files are linted with the scanner
and without it: the reports must be equal, positions, pointers and fingerprints included,
for dense and sparse findings, CRLF, escapes and non-ASCII text before the URL.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from manifest_tools import api, native
from manifest_tools.codes import Code
from manifest_tools.rules import certified, urls
from manifest_tools.rules.certified import build_scanner_tables, scanner_tables
from tests.native.test_certified import NAMES, lint_both
from tests.native.test_certified_csv import lint_both as lint_csv_both

HOST = "b.s3.eu-west-2.amazonaws.com"
MULTI = ("image_groups", "dicom_series")
NAME = {"images": "a.jpg", "videos": "a.mp4", "audio": "a.wav", "pdfs": "a.pdf", "image_groups": "f.png",
        "dicom_series": "s.dcm"}  # fmt: skip
TITLE = {"videos": "clip été {}.mp4", "audio": "song 🎵 {}.wav", "image_groups": "groupe é {}",
         "dicom_series": "CT \u00e9 {}"}  # fmt: skip


def item(kind: str, index: int, insecure: set[int], title_first: bool) -> dict[str, Any]:
    """One clean item, with http:// in the URLs numbered in ``insecure``; the title (non-ASCII) before them."""

    def url(number: int) -> str:
        scheme = "http" if number in insecure else "https"
        return f"{scheme}://{HOST}/{kind}/{index}/{number}/{NAME[kind]}"

    fields: dict[str, Any] = {}
    if title_first and kind in TITLE:
        fields["title"] = TITLE[kind].format(index)
    if kind in MULTI:
        fields.update({f"objectUrl_{n}": url(n) for n in range(3)})
        if kind == "image_groups":
            fields["createVideo"] = False
    else:
        fields["objectUrl"] = url(0)
    if not title_first and kind in TITLE:
        fields["title"] = TITLE[kind].format(index)
    return fields


def manifest_text(every: int, crlf: bool, escaped_slashes: bool, ascii_only: bool, title_first: bool) -> bytes:
    """Several kinds, an insecure URL in every ``every``-th item (in a group, its second file)."""
    data: dict[str, Any] = {}
    for kind in ("images", "videos", "audio", "pdfs", "image_groups", "dicom_series"):
        numbers = [{1} if kind in MULTI else {0} for _ in range(40)]
        data[kind] = [item(kind, i, numbers[i] if i % every == 0 else set(), title_first) for i in range(40)]
    text = json.dumps(data, indent=2, ensure_ascii=ascii_only)
    if escaped_slashes:
        text = text.replace("/", "\\/")
    if crlf:
        text = text.replace("\n", "\r\n")
    return text.encode()


FORMS = [
    pytest.param(dict(every=1, crlf=False, escaped_slashes=False, ascii_only=True, title_first=False), id="dense"),
    pytest.param(dict(every=7, crlf=False, escaped_slashes=False, ascii_only=False, title_first=True), id="sparse"),
    pytest.param(dict(every=2, crlf=True, escaped_slashes=False, ascii_only=False, title_first=True), id="crlf"),
    pytest.param(dict(every=3, crlf=True, escaped_slashes=True, ascii_only=True, title_first=True), id="escapes"),
    pytest.param(dict(every=1, crlf=False, escaped_slashes=True, ascii_only=False, title_first=True), id="non-ascii"),
]


@pytest.mark.parametrize("form", FORMS)
def test_decided_findings_are_reported_as_the_python_rules_report_them(form: dict[str, Any]) -> None:
    data = manifest_text(**form)
    certificate = native.scan(data, scanner_tables())
    assert not isinstance(certificate, str)
    assert certificate.fully_certified  # no item is parsed in Python
    assert len(certificate.findings) == 6 * len(range(0, 40, form["every"]))
    fast, slow = lint_both(data)
    assert [d.code for d in fast] == ["MT303"] * len(certificate.findings)
    assert fast == slow


def test_compact_text_with_non_ascii_before_each_url_on_one_line() -> None:
    """One long line: every column is counted in characters from the line's start."""
    data = manifest_text(every=2, crlf=False, escaped_slashes=False, ascii_only=False, title_first=True)
    data = json.dumps(json.loads(data), ensure_ascii=False, separators=(",", ":")).encode()
    assert b"\n" not in data
    fast, slow = lint_both(data)
    assert len(fast) == 6 * 20
    assert fast == slow


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(st.sampled_from([*NAMES, "a.jpg", "a.jpg", "x/a.jpg", "a/?x=1", "a/"]), min_size=1, max_size=6),
    insecure=st.lists(st.booleans(), min_size=6, max_size=6),
    text=st.sampled_from(["t", "été", "🎬", "a\\u00e9"]),
    kind=st.sampled_from(["images", "dicom_series"]),
)
def test_near_misses_after_http_agree(names: list[str], insecure: list[bool], text: str, kind: str) -> None:
    """http:// followed by anything (a placeholder, a folder, a space, a long name ...): the scanner
    certifies only what the Python rules flag with MT303 alone (DICOM series take names without an
    extension, so a folder before a query reaches the URL checks)."""
    key = "objectUrl_0" if kind == "dicom_series" else "objectUrl"
    items = [
        {"title": f"{text} {i}", key: f"{'http' if bad else 'https'}://{HOST}/i/{i}/{name}"}
        for i, (name, bad) in enumerate(zip(names, insecure, strict=False))
    ]
    data = json.dumps({kind: items}, indent=1, ensure_ascii=False).replace("\\\\u", "\\u").encode()
    fast, slow = lint_both(data)
    assert fast == slow


@pytest.mark.parametrize("kind", ["images", "videos", "dicom_series"])
def test_every_near_miss_name_after_http_agrees(kind: str) -> None:
    """Each of the near-miss file names the scanner tests know, after http://, in one file."""
    key = "objectUrl_0" if kind == "dicom_series" else "objectUrl"
    extra = ["a/?x=1", "a.jpg/?x=1", "a.mp4", "a.mp4?x=1"]
    title = {"images": "é {}", "videos": "é {}.mp4", "dicom_series": "CT é {}"}[kind]
    names = [*NAMES, *extra]
    items = [{"title": title.format(i), key: f"http://{HOST}/{i}/{name}"} for i, name in enumerate(names)]
    data = json.dumps({kind: items}, indent=1, ensure_ascii=False).encode("utf-8", "surrogatepass")
    certificate = native.scan(data, scanner_tables())
    assert not isinstance(certificate, str)
    assert len(certificate.findings) >= 5  # the plain names are decided by the scanner: the test compares two paths
    fast, slow = lint_both(data)
    assert fast == slow


def test_an_item_left_to_python_after_the_scan_is_reported_once() -> None:
    """An item the metadata rule uncertifies ($encord) is read by the Python rules: its MT303 comes from
    them, not twice."""
    bad = {"objectUrl": f"http://{HOST}/v.mp4", "clientMetadata": {"$encord": {"frames": [-1]}}}
    data = json.dumps({"videos": [bad, {"objectUrl": f"http://{HOST}/w.mp4"}]}).encode()
    fast, slow = lint_both(data)
    assert sorted(d.code for d in fast) == ["MT303", "MT303", "MT510"]
    assert fast == slow


def test_the_scanner_follows_the_flagged_schemes_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """The schemes come from rules/urls.py's table: without http there, the scanner leaves the item to
    Python; with another scheme added, the scanner certifies that scheme's items and records its finding."""
    data = json.dumps({"images": [{"objectUrl": f"http://{HOST}/a.jpg"}, {"objectUrl": f"ftp://{HOST}/b.jpg"}]})
    raw = data.encode()
    try:
        answer = native.scan(raw, build_scanner_tables())
        assert not isinstance(answer, str)
        assert [item for _, _, item, *_ in answer.findings] == [0]
        assert [index for _, index, _ in answer.uncertified_entries()] == [1]

        monkeypatch.setattr(urls, "FLAGGED_SCHEMES", {})
        answer = native.scan(raw, build_scanner_tables())
        assert not isinstance(answer, str)
        assert answer.findings == []
        assert [index for _, index, _ in answer.uncertified_entries()] == [0, 1]

        ftp = (Code.MT302, "ftp:// is flagged by a table a test made")
        monkeypatch.setattr(urls, "FLAGGED_SCHEMES", {"http": (Code.MT303, "plain http"), "ftp": ftp})
        tables = build_scanner_tables()
        monkeypatch.setattr(certified, "scanner_tables", lambda: tables)
        answer = native.scan(raw, tables)
        assert not isinstance(answer, str)
        assert [(item, scheme) for scheme, _, item, *_ in answer.findings] == [(0, 0), (1, 1)]
        assert answer.fully_certified
        fast, slow = lint_both(raw)
        assert [(d.code, d.message) for d in fast] == [("MT303", "plain http"), ("MT302", ftp[1])]
        assert fast == slow
    finally:
        native.scan(raw, scanner_tables())  # configure the scanner with the real tables again


@pytest.mark.parametrize("select", [["ALL"], []])
def test_csv_rows_with_http_are_located_in_the_csv(select: list[str]) -> None:
    """CSV rows are certified as JSON the user never sees: their findings are located by pointer, in the CSV."""
    rows = "".join(f"{'http' if n % 3 else 'https'}://{HOST}/i/{n}.jpg,img é {n}\n" for n in range(12))
    text = "ObjectUrl,Image title\r\n" + rows.replace("\n", "\r\n")
    fast, slow = lint_csv_both(text, select)
    assert fast.checked_by == {"m.csv": api.NATIVE_SCANNER_CSV}
    assert [(d.code, d.line, d.column) for d in fast][:2] == [("MT303", 3, 1), ("MT303", 4, 1)]
    assert list(fast) == slow


def test_the_first_url_of_a_provider_is_found_when_kinds_are_in_another_order_than_the_tables() -> None:
    """A chunk of URLs spans kinds in the kinds table's order (videos before audio); the file may hold them
    in another: MT313 names the file's first GCS URL (audio), with the scanner and without it (found by the
    generated near misses)."""
    s3, gcs = "https://b.s3.eu-west-2.amazonaws.com", "https://storage.googleapis.com/bkt"
    data = json.dumps(
        {
            "dicom_series": [{"title": "CT", "objectUrl_0": f"{s3}/d/s.dcm"}],
            "audio": [{"objectUrl": f"{gcs}/audio/a.jpg"}],
            "videos": [{"objectUrl": f"{gcs}/videos/a.jpg"}],
        }
    ).encode()
    fast, slow = lint_both(data)
    assert [(d.code, d.pointer) for d in fast if d.code in ("MT313", "MT314")] == [
        ("MT313", "/audio/0/objectUrl"),
        ("MT314", "/audio/0/objectUrl"),
    ]
    assert fast == slow
