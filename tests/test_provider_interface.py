"""A new store is one provider module: registered, it is reached by generate, verify, probe and the URL
rules, and nothing outside ``providers/`` asks which class a lister or reader is."""

from __future__ import annotations

import ast
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

import manifest_tools
from manifest_tools import api
from manifest_tools.cloud.ranged import Stores
from manifest_tools.cloud.verify import VerifyOptions, verify
from manifest_tools.errors import SourceError
from manifest_tools.providers import (
    PROVIDERS,
    ListerOptions,
    Location,
    ObjectInfo,
    ObjectStat,
    Provider,
    ReadError,
    Source,
    registry,
)
from manifest_tools.providers.base import base_url, bucket_location, encode_key, stat_then_read

PACKAGE = Path(manifest_tools.__file__).parent

# -- the new provider: everything a provider module holds, over an in-memory store ----------------

STORE: dict[str, dict[str, bytes]] = {}
"""bucket -> key -> bytes: what the fake store holds."""
CALLS: list[str] = []
"""Which capability of the provider was asked for, in order."""
_HOST = re.compile(r"(?P<bucket>[a-z0-9-]+)\.memstore\.test$")


def _locate(host: str, path: str) -> Location | None:
    match = _HOST.match(host)
    return None if match is None else bucket_location("memstore", host, path, match["bucket"])


def _public_url(
    bucket: str, key: str, *, region: str | None = None, account: str | None = None, style: str = "virtual"
) -> str:
    return f"https://{bucket}.memstore.test/{encode_key(key)}"


def _parse_source(text: str) -> Source | None:
    if not text.startswith("mem://"):
        return None
    bucket, _, prefix = text[6:].partition("/")
    return Source("memstore", bucket, prefix)


class _Reader:
    def __init__(self, bucket: str, key: str) -> None:
        self.bucket, self.key = bucket, key

    def stat(self) -> ObjectStat:
        CALLS.append(f"stat {self.key}")
        if self.key not in STORE[self.bucket]:
            raise ReadError("no such object", missing=True)
        return ObjectStat(len(STORE[self.bucket][self.key]), '"etag"')

    def read(self, start: int, length: int) -> bytes:
        CALLS.append(f"read {self.key} {start}+{length}")
        return STORE[self.bucket][self.key][start : start + length]

    def first(self, length: int) -> tuple[ObjectStat, bytes]:
        return stat_then_read(self, length)


class _Lister:
    def __init__(self, source: Source, options: ListerOptions) -> None:
        if source.bucket not in STORE:
            raise SourceError(f"{source.describe()}: the bucket does not exist")
        self.source, self.options = source, options

    def objects(self) -> Iterator[ObjectInfo]:
        CALLS.append(f"objects {self.source.prefix}")
        for key in sorted(STORE[self.source.bucket]):
            if key.startswith(self.source.prefix):
                yield ObjectInfo(key, len(STORE[self.source.bucket][key]))

    def folder(self, prefix: str) -> Iterator[ObjectInfo]:
        CALLS.append(f"folder {prefix}")
        for key in sorted(STORE[self.source.bucket]):
            if key.startswith(prefix) and "/" not in key[len(prefix) :]:
                yield ObjectInfo(key, len(STORE[self.source.bucket][key]))

    def url(self, key: str) -> str:
        if self.options.url_base:
            return base_url(self.options.url_base, key)
        return _public_url(self.source.bucket, key)

    def reader(self, key: str) -> _Reader:
        CALLS.append(f"reader {key}")
        return _Reader(self.source.bucket, key)


FAKE = Provider(
    name="memstore",
    title="Memstore",
    locate=_locate,
    scheme="mem",
    parse_source=_parse_source,
    public_url=_public_url,
    lister=_Lister,
)


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def memstore(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The fake provider registered as its module would be (before the folder and direct access)."""
    providers = (*PROVIDERS[:-2], FAKE, *PROVIDERS[-2:])
    monkeypatch.setattr(registry, "PROVIDERS", providers)
    monkeypatch.setitem(registry.BY_NAME, FAKE.name, FAKE)
    monkeypatch.setattr(registry, "_SOURCES", tuple(p.parse_source for p in providers if p.parse_source))
    bucket = {"photos/a.png": _png(3, 2), "photos/b.png": _png(5, 4), "photos/deep/c.png": _png(1, 1)}
    monkeypatch.setitem(STORE, "bkt", bucket)
    CALLS.clear()
    return bucket


def test_the_registry_recognises_its_urls_and_sources(memstore: dict[str, bytes]) -> None:
    location = registry.locate_url("https://bkt.memstore.test/photos/a%20b.png")
    assert (location.provider, location.bucket, location.key, location.describe) == (
        "memstore",
        "bkt",
        "photos/a%20b.png",
        "Memstore",
    )
    assert registry.parse_source("mem://bkt/photos/") == Source("memstore", "bkt", "photos/")
    assert Source("memstore", "bkt", "photos/").describe() == "mem://bkt/photos/"


def test_generate_lists_through_it(memstore: dict[str, bytes], tmp_path: Path) -> None:
    result = api.generate("mem://bkt/photos/", tmp_path / "out.json")
    written = json.loads(result.parts[0].read_text(encoding="utf-8"))
    urls = sorted(item["objectUrl"] for item in written["images"])
    assert urls == [f"https://bkt.memstore.test/{key}" for key in sorted(memstore)]
    assert CALLS == ["objects photos/"]


def test_verify_stats_through_its_folder_listing(memstore: dict[str, bytes]) -> None:
    items = [
        {"objectUrl": "https://bkt.memstore.test/photos/a.png"},
        {"objectUrl": "https://bkt.memstore.test/photos/gone.png"},
        {
            "objectUrl": "https://bkt.memstore.test/photos/b.png",
            "imageMetadata": {"mimeType": "image/png", "fileSize": 1, "width": 5, "height": 4},
        },
    ]
    manifest = api.parse("m.json", json.dumps({"images": items}))
    findings = verify(manifest, VerifyOptions()).findings
    assert [(f.code, f.pointer) for f in findings] == [
        ("MT901", "/images/1/objectUrl"),
        ("MT902", "/images/2/imageMetadata/fileSize"),
    ]
    assert "no object 'photos/gone.png' in Memstore bkt/photos/" in findings[0].message
    assert CALLS == ["folder photos/"]


def test_probe_reads_byte_ranges_through_its_reader(memstore: dict[str, bytes]) -> None:
    file = Stores().open("https://bkt.memstore.test/photos/b.png")
    assert (file.size, file.stat.etag, file.read()) == (
        len(memstore["photos/b.png"]),
        '"etag"',
        memstore["photos/b.png"],
    )
    assert CALLS[:2] == ["reader photos/b.png", "stat photos/b.png"]
    assert all(call.split()[1] == "photos/b.png" for call in CALLS)


def test_verify_metadata_probes_through_it(memstore: dict[str, bytes], tmp_path: Path) -> None:
    size = len(memstore["photos/b.png"])
    item = {
        "objectUrl": "https://bkt.memstore.test/photos/b.png",
        "imageMetadata": {"mimeType": "image/png", "fileSize": size, "width": 9, "height": 4},
    }
    (tmp_path / "m.json").write_text(json.dumps({"images": [item]}), encoding="utf-8")
    report = api.verify(str(tmp_path / "m.json"), metadata=True)
    assert [(d.code, "width" in d.message) for d in report.diagnostics] == [("MT943", True)]
    assert "reader photos/b.png" in CALLS


def test_the_url_rules_name_it(memstore: dict[str, bytes]) -> None:
    text = json.dumps(
        {
            "images": [
                {"objectUrl": "https://bkt.memstore.test/a.png"},
                {"objectUrl": "https://cdn.example.org/b.png"},
            ]
        },
        indent=1,
    )
    report = api.check(api.parse("m.json", text), frozenset({"MT313"}))
    assert [d.code for d in report.diagnostics] == ["MT313"]
    assert "earlier URLs are on Memstore" in report.diagnostics[0].message


# -- nothing outside providers/ asks which store a lister or reader belongs to --------------------


def _provider_classes() -> set[str]:
    """The names of every class a provider module defines (its listers, readers ...)."""
    return {
        node.name
        for path in (PACKAGE / "providers").glob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
    }


def _store_class_checks(source: str, classes: set[str]) -> list[str]:
    """The provider classes named in ``isinstance`` checks, and the store-specific listers and readers imported."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "isinstance":
            found += [n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name) and n.id in classes]
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("manifest_tools.providers."):
            found += [a.name for a in node.names if a.name in classes and a.name.endswith(("Lister", "Reader"))]
    return found


def test_no_store_is_told_apart_outside_providers() -> None:
    classes = _provider_classes()
    found = [
        f"{path.relative_to(PACKAGE.parent)}: {name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "providers" not in path.relative_to(PACKAGE).parts
        for name in _store_class_checks(path.read_text(encoding="utf-8"), classes)
    ]
    assert found == []


def test_the_check_catches_how_ranged_reads_chose_a_store_before() -> None:
    """The check above can fail: the isinstance dispatch that ranged.py had is found."""
    before = """
from manifest_tools.providers.aws import S3Lister, s3_reason
from manifest_tools.providers.local import FileReader, served_path
if isinstance(lister, S3Lister):
    pass
if isinstance(lister, (GcsLister, AzureLister)):
    pass
if isinstance(value, str):
    pass
"""
    assert _store_class_checks(before, _provider_classes()) == [
        "S3Lister",
        "FileReader",
        "S3Lister",
        "GcsLister",
        "AzureLister",
    ]


def test_no_sdk_is_imported_until_a_store_is_reached() -> None:
    """The SDKs are optional extras: every provider module, the ranged reads and verify load without them."""
    code = (
        "import sys, manifest_tools.providers, manifest_tools.cloud.ranged, manifest_tools.cloud.verify;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'boto3', 'botocore', 'google', 'azure'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
