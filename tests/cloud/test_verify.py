"""verify against real local emulators and a local HTTP server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from manifest_tools import api
from manifest_tools.cli import main
from manifest_tools.cloud.verify import VerifyOptions, verify

S3 = "https://acme-data.s3.eu-west-2.amazonaws.com"


def _codes(manifest_text: str, options: VerifyOptions) -> list[tuple[str, int, str]]:
    manifest = api.parse("m.json", manifest_text)
    from manifest_tools.rules.engine import locate_findings

    diagnostics = sorted(locate_findings(manifest, verify(manifest, options).findings), key=lambda d: d.sort_key())
    return [(d.code, d.line, d.message) for d in diagnostics]


def test_s3_missing_objects_and_sizes(s3: Any, s3_server: Any) -> None:
    s3.create_bucket(Bucket="acme-data", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    for key, body in (
        ("photos/a b.jpg", b"12345"),
        ("photos/c+d.jpg", b"1"),
        ("x.jpg", b"1"),
        ("photos/deep/e.jpg", b"1"),
    ):
        s3.put_object(Bucket="acme-data", Key=key, Body=body)
    text = json.dumps(
        {
            "images": [
                {
                    "objectUrl": f"{S3}/photos/a%20b.jpg",
                    "imageMetadata": {"mimeType": "image/jpeg", "fileSize": 5, "width": 1, "height": 1},
                },
                {"objectUrl": f"{S3}/photos/a+b.jpg"},
                {"objectUrl": f"{S3}/photos/c%2Bd.jpg"},
                {
                    "objectUrl": f"{S3}/x.jpg",
                    "imageMetadata": {"mimeType": "image/jpeg", "fileSize": 9, "width": 1, "height": 1},
                },
                {"objectUrl": f"{S3}/photos/deep/e.jpg"},
                {"objectUrl": f"{S3}/photos/missing.jpg"},
            ]
        },
        indent=1,
    )
    found = _codes(text, VerifyOptions(endpoint_url=s3_server.endpoint))
    assert [(code, line) for code, line, _ in found] == [("MT902", 22), ("MT901", 31)]
    assert "fileSize says 9 bytes but 'x.jpg' has 1" in found[0][2]


def test_missing_bucket_is_one_diagnostic(s3: Any, s3_server: Any) -> None:
    url = "https://no-such.s3.eu-west-2.amazonaws.com"
    text = json.dumps({"images": [{"objectUrl": f"{url}/a.jpg"}, {"objectUrl": f"{url}/b/c.jpg"}]})
    found = _codes(text, VerifyOptions(endpoint_url=s3_server.endpoint))
    assert [code for code, _, _ in found] == ["MT903", "MT903"]
    assert "the bucket does not exist" in found[0][2]


def test_gcs_and_azure(gcs: Any, gcs_server: Any, azure: Any, azure_server: Any) -> None:
    gcs.create_bucket("gbk").blob("dir/ü.png").upload_from_string(b"x")
    azure.create_container("ctr").upload_blob("dir/a b.webp", b"x")
    text = json.dumps(
        {
            "images": [
                {"objectUrl": "https://storage.cloud.google.com/gbk/dir/%C3%BC.png"},
                {"objectUrl": "https://storage.cloud.google.com/gbk/dir/nope.png"},
                {"objectUrl": "https://devstoreaccount1.blob.core.windows.net/ctr/dir/a%20b.webp"},
                {"objectUrl": "https://devstoreaccount1.blob.core.windows.net/ctr/dir/nope.webp"},
            ]
        },
        indent=1,
    )
    assert [(code, line) for code, line, _ in _codes(text, VerifyOptions())] == [("MT901", 7), ("MT901", 13)]


def test_direct_urls_are_checked_with_bounded_head_requests(http_server: tuple[str, list[str]], tmp_path: Path) -> None:
    base, seen = http_server
    urls = (
        [f"{base}/ok/{i}.jpg" for i in range(3)] + [f"{base}/gone.jpg"] + [f"{base}/ok/late{i}.jpg" for i in range(2)]
    )
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"images": [{"objectUrl": u} for u in urls]}, indent=1))
    result = CliRunner().invoke(main, ["verify", str(path), "--max-head", "4"])
    assert result.exit_code == 1
    codes = [line.split(" ")[1] for line in result.stdout.splitlines() if ": MT9" in line]
    assert codes == ["MT901", "MT904", "MT904"]
    assert len(seen) == 4
    assert "6 URLs, 0 folders listed, 4 HEAD requests" in result.stderr


def test_direct_urls_compare_file_size_with_content_length(http_server: tuple[str, list[str]]) -> None:
    """A HEAD answer's Content-Length is the object's size, as a bucket listing's is (MT902); an answer without
    one, or with an encoded body (whose length is not the file's), compares nothing."""
    base, _ = http_server

    def image(path: str, size: int) -> dict[str, Any]:
        metadata = {"mimeType": "image/jpeg", "fileSize": size, "width": 1, "height": 1}
        return {"objectUrl": f"{base}{path}", "imageMetadata": metadata}

    text = json.dumps(
        {
            "images": [
                image("/ok/sized/right.jpg", 2),
                image("/ok/sized/wrong.jpg", 1000),
                image("/ok/unsized.jpg", 1000),
                image("/ok/sized/gz/encoded.jpg", 1000),
            ]
        },
        indent=1,
    )
    found = _codes(text, VerifyOptions())
    assert [(code, line) for code, line, _ in found] == [("MT902", 16)]
    assert found[0][2] == f"fileSize says 1,000 bytes but {base}/ok/sized/wrong.jpg has 2 (its Content-Length)"
