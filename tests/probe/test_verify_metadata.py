"""verify --metadata and probe on real media files: in a folder, on S3, GCS, Azure and a ranged HTTP server.

Each planted wrong value must be found at its own line and column with the value
the file really has; every other file must draw nothing but its playability
findings; probe must fill exactly the properties the files were made with.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main
from manifest_tools.cloud.probe import ProbeOptions, shard_of
from manifest_tools.cloud.ranged import StoreOptions
from tests.probe.media_files import Made, make_all

CDN = "https://cdn.example.org/data"
S3 = "https://media.s3.eu-west-2.amazonaws.com"
GCS = "https://storage.cloud.google.com/media"
AZURE = "https://devstoreaccount1.blob.core.windows.net/media"

PLANTED = {
    "h264-faststart.mp4": ("fps", 30, "MT941"),
    "vp9.webm": ("duration", 9.5, "MT942"),
    "tone.wav": ("sampleRate", 48000, "MT945"),
    "photo.jpg": ("width", 41, "MT943"),
    "chart.png": ("mimeType", "image/jpeg", "MT944"),
    "report.pdf": ("numPages", 4, "MT946"),
}
"""A wrong value per file: (field, value written, rule that must report it)."""
URL_FINDINGS = {
    "hevc.mp4": "MT931",
    "ten-bit.mp4": "MT932",
    "variable.mp4": "MT933",
    "rotated.mov": "MT934",
    "png-named.jpg": "MT935",
    "cut.mp4": "MT936",
    "garbage.mp4": "MT937",
}
"""Files that draw a finding at their URL whatever their metadata says."""
BLOCK_KEYS = {"videos": "videoMetadata", "images": "imageMetadata", "audio": "audioMetadata"}
BLOCK_KEYS.update(pdfs="pdfMetadata", text="textMetadata")


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Made]]:
    folder = tmp_path_factory.mktemp("media")
    return folder, make_all(folder)


def _manifest(made: list[Made], base: str, *, blocks: bool, plant: bool = True) -> dict[str, Any]:
    """Items for every file; with ``blocks``, each single file carries its known block (wrong where planted)."""
    data: dict[str, Any] = {}
    series = [item for item in made if item.kind == "dicom_series"]
    for item in made:
        if item.kind == "dicom_series":
            continue
        entry: dict[str, Any] = {"objectUrl": f"{base}/{item.name}"}
        if blocks and item.kind in BLOCK_KEYS and item.values:
            values = dict(item.values)
            if plant and item.name in PLANTED:
                name, wrong, _ = PLANTED[item.name]
                values[name] = wrong
            entry[BLOCK_KEYS[item.kind]] = values
        data.setdefault(item.kind, []).append(entry)
    data["dicom_series"] = [
        {"title": "series", **{f"objectUrl_{n}": f"{base}/{item.name}" for n, item in enumerate(series)}}
    ]
    return data


def _line_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def _expected(text: str, base: str) -> list[tuple[str, int, int]]:
    """Where each planted value and each URL with a playability finding is written."""
    expected = []
    for name, (field, wrong, code) in PLANTED.items():
        item = text.index(f'"{base}/{name}"')
        value = text.index(f'"{field}": {json.dumps(wrong)}', item) + len(f'"{field}": ')
        expected.append((code, *_line_column(text, value)))
    for name, code in URL_FINDINGS.items():
        expected.append((code, *_line_column(text, text.index(f'"{base}/{name}"'))))
    return sorted(expected, key=lambda e: (e[1], e[2]))


def _found(report: Any) -> list[tuple[str, int, int]]:
    return sorted(((d.code, d.line, d.column) for d in report.diagnostics), key=lambda e: (e[1], e[2]))


def _write(tmp_path: Path, data: dict[str, Any]) -> tuple[Path, str]:
    text = json.dumps(data, indent=2)
    path = tmp_path / "m.json"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_verify_metadata_in_a_folder(media: tuple[Path, list[Made]], tmp_path: Path) -> None:
    folder, made = media
    path, text = _write(tmp_path, _manifest(made, CDN, blocks=True))
    report = manifest_tools.verify(
        str(path), metadata=ProbeOptions(stores=StoreOptions(local_roots=((CDN, str(folder)),)))
    )
    assert _found(report) == _expected(text, CDN)
    messages = {d.code: d.message for d in report.diagnostics}
    assert messages["MT941"] == "fps is 30 but the video runs at 25 fps"
    assert messages["MT943"] == "width is 41 but the file is 40x30"
    assert "48000" in messages["MT945"] and "44100" in messages["MT945"]


def test_probe_fills_exactly_the_known_properties(media: tuple[Path, list[Made]], tmp_path: Path) -> None:
    folder, made = media
    path, _ = _write(tmp_path, _manifest(made, CDN, blocks=False))
    out = tmp_path / "out.json"
    result = manifest_tools.probe(str(path), out, local_roots=[(CDN, str(folder))])
    written = json.loads(out.read_text(encoding="utf-8"))
    expected = _manifest(made, CDN, blocks=True, plant=False)
    blocked = {name for name, code in URL_FINDINGS.items() if code in ("MT935", "MT936", "MT937")}
    for kind, items in expected.items():
        for want, got in zip(items, written[kind], strict=True):
            name = str(want.get("objectUrl", "")).rsplit("/", 1)[-1]
            block = BLOCK_KEYS.get(kind)
            if block is None or name in blocked:
                assert block is None or block not in got, name
                continue
            assert got[block] == pytest.approx(want[block]), name
    assert result.filled == sum(1 for item in made if item.kind in BLOCK_KEYS and item.name not in blocked)


def test_probe_overwrite_replaces_only_wrong_values(media: tuple[Path, list[Made]], tmp_path: Path) -> None:
    folder, made = media
    path, _ = _write(tmp_path, _manifest(made, CDN, blocks=True))
    result = manifest_tools.probe(str(path), None, overwrite=True, local_roots=[(CDN, str(folder))])
    assert result.replaced == len(PLANTED)
    fixed = json.loads(result.text)
    assert fixed == json.loads(json.dumps(_canonical(_manifest(made, CDN, blocks=True, plant=False))))


def _canonical(data: dict[str, Any]) -> dict[str, Any]:
    from manifest_tools.writers.json import dumps_json

    return dict(json.loads(dumps_json(data)))


def test_cache_resumes_without_reading_and_shards_merge(media: tuple[Path, list[Made]], tmp_path: Path) -> None:
    folder, made = media
    path, _ = _write(tmp_path, _manifest(made, CDN, blocks=False))
    roots = [(CDN, str(folder))]
    whole = manifest_tools.probe(str(path), local_roots=roots)
    cache = tmp_path / "cache.jsonl"
    first = manifest_tools.probe(str(path), local_roots=roots, cache=str(cache))
    again = manifest_tools.probe(str(path), local_roots=roots, cache=str(cache))
    assert first.run.stats.bytes_read > 0 and again.run.stats.bytes_read == 0
    assert again.run.stats.cached == again.run.stats.urls
    assert again.text == whole.text
    shards = [tmp_path / f"shard-{i}.jsonl" for i in (1, 2)]
    for index, shard in enumerate(shards, 1):
        part = manifest_tools.probe(str(path), local_roots=roots, cache=str(shard), shard=(index, 2))
        assert all(shard_of(url, 2) == index for url in part.run.results)
    merged = manifest_tools.probe(str(path), merge=tuple(str(s) for s in shards))
    assert merged.run.stats.bytes_read == 0
    assert merged.text == whole.text
    assert [d.code for d in merged.report.diagnostics] == [d.code for d in whole.report.diagnostics]


def test_budget_leaves_files_not_probed(media: tuple[Path, list[Made]], tmp_path: Path) -> None:
    folder, made = media
    path, _ = _write(tmp_path, _manifest(made, CDN, blocks=False))
    result = manifest_tools.probe(str(path), local_roots=[(CDN, str(folder))], max_requests=10, concurrency=1)
    codes = [d.code for d in result.report.diagnostics]
    assert codes.count("MT938") == result.run.stats.not_probed > 0
    assert result.run.stats.requests <= 10


def _upload(made: list[Made], folder: Path, put: Any) -> None:
    for item in made:
        put(item.name, (folder / item.name).read_bytes())


def _check_store(made: list[Made], base: str, tmp_path: Path, **options: Any) -> None:
    path, text = _write(tmp_path, _manifest(made, base, blocks=True))
    report = manifest_tools.verify(str(path), metadata=True, **options)
    assert _found(report) == _expected(text, base)


def test_verify_metadata_on_s3(media: tuple[Path, list[Made]], tmp_path: Path, s3: Any, s3_server: Any) -> None:
    folder, made = media
    s3.create_bucket(Bucket="media", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    _upload(made, folder, lambda key, body: s3.put_object(Bucket="media", Key=key, Body=body))
    _check_store(made, S3, tmp_path, endpoint_url=s3_server.endpoint)


def test_verify_metadata_on_gcs(media: tuple[Path, list[Made]], tmp_path: Path, gcs: Any, gcs_server: Any) -> None:
    folder, made = media
    bucket = gcs.create_bucket("media")
    _upload(made, folder, lambda key, body: bucket.blob(key).upload_from_string(body))
    _check_store(made, GCS, tmp_path)


def test_verify_metadata_on_azure(
    media: tuple[Path, list[Made]], tmp_path: Path, azure: Any, azure_server: Any
) -> None:
    folder, made = media
    container = azure.create_container("media")
    _upload(made, folder, lambda key, body: container.upload_blob(key, body))
    _check_store(made, AZURE, tmp_path)


def test_cli_probe_and_verify(media: tuple[Path, list[Made]], tmp_path: Path) -> None:
    folder, made = media
    path, _ = _write(tmp_path, _manifest(made, CDN, blocks=False))
    out = tmp_path / "out.json"
    local = f"{CDN}={folder}"
    result = CliRunner().invoke(main, ["probe", str(path), "-o", str(out), "--local", local])
    assert result.exit_code == 1, result.output  # errors found (HEVC, a cut file ...)
    assert "filled" in result.stderr and "MT931" in result.stdout
    verified = CliRunner().invoke(main, ["verify", str(out), "--metadata", "--local", local])
    assert verified.exit_code == 1
    codes = {line.split()[1] for line in verified.stdout.splitlines() if ": MT" in line}
    assert codes == set(URL_FINDINGS.values())
    bad = CliRunner().invoke(main, ["probe", str(path), "-o", str(out), "--shard", "3/2"])
    assert bad.exit_code == 2 and "--shard 3/2" in bad.stderr


def test_verify_metadata_over_direct_https(media: tuple[Path, list[Made]], tmp_path: Path) -> None:
    """A CDN answering HEAD and ranged GETs."""
    from tests.probe.conftest import ranged_http_server

    folder, made = media
    with ranged_http_server(folder) as base:
        path, text = _write(tmp_path, _manifest(made, base, blocks=True))
        report = manifest_tools.verify(str(path), metadata=True)
        assert _found(report) == _expected(text, base)


def test_retries_read_through_throttling(media: tuple[Path, list[Made]], tmp_path: Path) -> None:
    """The first requests are throttled (503 SlowDown): retries with back-off still read every file."""
    from tests.cloud.faults import failing_proxy
    from tests.probe.conftest import ranged_http_server

    folder, made = media
    with ranged_http_server(folder) as base, failing_proxy(base, failures=3) as (proxy, seen):
        path, _ = _write(tmp_path, _manifest(made, proxy, blocks=True))
        report = manifest_tools.probe(str(path), backoff=0.01, concurrency=2).report
        assert seen[0] > 3
    codes = sorted(d.code for d in report.diagnostics)
    assert codes == sorted([code for _, _, code in PLANTED.values()] + list(URL_FINDINGS.values()))


def test_a_store_that_never_answers_leaves_every_file_not_probed(
    media: tuple[Path, list[Made]], tmp_path: Path
) -> None:
    from tests.cloud.faults import failing_proxy
    from tests.probe.conftest import ranged_http_server

    folder, made = media
    with ranged_http_server(folder) as base, failing_proxy(base, failures=-1) as (proxy, _):
        path, _ = _write(tmp_path, _manifest(made, proxy, blocks=False))
        result = manifest_tools.probe(str(path), retries=1, backoff=0.01)
    assert {d.code for d in result.report.diagnostics} == {"MT938"}
    assert len(result.report.diagnostics) == len(made)
    assert "503" in result.report.diagnostics[0].message


def test_results_files_hold_no_signature(media: tuple[Path, list[Made]], tmp_path: Path) -> None:
    folder, _ = media
    signed = "https://cdn.example.org/data/photo.jpg?X-Amz-Signature=0123456789abcdef&X-Amz-Credential=AKIAEXAMPLE"
    path, _ = _write(tmp_path, {"images": [{"objectUrl": signed}]})
    cache = tmp_path / "cache.jsonl"
    result = manifest_tools.probe(str(path), local_roots=[(CDN, str(folder))], cache=str(cache))
    assert result.filled == 1
    assert "Signature" not in cache.read_text(encoding="utf-8") and "AKIA" not in cache.read_text(encoding="utf-8")
    again = manifest_tools.probe(str(path), local_roots=[(CDN, str(folder))], cache=str(cache))
    assert again.run.stats.cached == 1 and again.text == result.text


def test_a_missing_file_is_reported_once_as_missing(
    media: tuple[Path, list[Made]], tmp_path: Path, s3: Any, s3_server: Any
) -> None:
    folder, _ = media
    path, _ = _write(tmp_path, {"images": [{"objectUrl": f"{CDN}/photo.jpg"}, {"objectUrl": f"{CDN}/gone.jpg"}]})
    result = manifest_tools.probe(str(path), local_roots=[(CDN, str(folder))])
    assert [(d.code, d.line) for d in result.report.diagnostics] == [("MT901", 7)]
    s3.create_bucket(Bucket="media", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    s3.put_object(Bucket="media", Key="photo.jpg", Body=(folder / "photo.jpg").read_bytes())
    path, _ = _write(tmp_path, {"images": [{"objectUrl": f"{S3}/photo.jpg"}, {"objectUrl": f"{S3}/gone.jpg"}]})
    report = manifest_tools.verify(str(path), metadata=True, endpoint_url=s3_server.endpoint)
    assert [(d.code, d.line) for d in report.diagnostics] == [("MT901", 7)]
    assert "the folder holds 1 objects" in report.diagnostics[0].message
