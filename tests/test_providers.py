"""The providers package: every store's facts live in its module, and each module keeps its own promises."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import manifest_tools
from manifest_tools import providers
from manifest_tools.errors import SourceError
from manifest_tools.providers import PROVIDERS, Source, locate_url, parse_source, url_key

PACKAGE = Path(manifest_tools.__file__).parent
HOST_MARKERS = (
    "amazonaws.com",
    "s3-accesspoint",
    "googleapis.com",
    "cloud.google.com",
    "core.windows.net",
    "t-systems.com",
    "cloudflarestorage.com",
    "wasabisys.com",
    "digitaloceanspaces.com",
    "backblazeb2.com",
    "oraclecloud.com",
)
"""The stores' domains: in a host pattern (escaped or not) or a URL form, they belong in providers/."""
_CONCRETE_URL = re.compile(r"https://[a-z0-9.-]+$")
"""What may stand before a marker outside providers/: an example URL's scheme and host
(https://b.s3.eu-west-2.), no placeholder (<bucket>) and no regular-expression escape. A string that
builds a URL (an f-string's field, an operand of +) is a URL form wherever it names a store."""


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of the string constants that are code: docstrings and rule catalogue entries
    (documentation, with example URLs) are left out; an f-string's fields read as ``{}``."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skipped.add(id(first.value))
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):  # attribute docstrings
            skipped.add(id(node.value))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "rule":
            skipped.update(id(inner) for inner in ast.walk(node))
    joined = {id(side) for node in ast.walk(tree) if isinstance(node, ast.BinOp) for side in (node.left, node.right)}
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values)
            found.append((node.lineno, str(text)))
            skipped.update(id(part) for part in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value + ("{}" if id(node) in joined else "")))
    return found


def _misplaced(text: str) -> list[str]:
    """The markers in ``text`` that are not part of a whole example URL."""
    bad = []
    for marker in HOST_MARKERS:
        for form in (marker, re.escape(marker)):
            start = text.find(form)
            while start >= 0:
                if form != marker or "{}" in text or not _CONCRETE_URL.search(text[:start]):
                    bad.append(form)
                start = text.find(form, start + 1)
    return bad


def _modules_outside_providers() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "providers" not in p.relative_to(PACKAGE).parts)


def test_store_host_names_and_url_forms_live_only_in_providers() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {marker}"
        for path in _modules_outside_providers()
        for line, text in _strings(ast.parse(path.read_text(encoding="utf-8")))
        for marker in _misplaced(text)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("text", "misplaced"),
    [
        ("https://b.s3.eu-west-2.amazonaws.com", []),
        ("for example https://my-bucket.s3.eu-west-2.amazonaws.com/images/a.jpg", []),
        ("https://{}.blob.core.windows.net/{}/{}", ["core.windows.net"]),
        ("such as {}.s3.{}.amazonaws.com for", ["amazonaws.com"]),
        (r"storage\.(?:googleapis\.com)$", [r"googleapis\.com"]),
        ("its name followed by .blob.core.windows.net", ["core.windows.net"]),
        ("https://<bucket>.s3.<region>.amazonaws.com/<key>", ["amazonaws.com"]),
        ("https://cdn.example.org/a.jpg", []),
        ("https://storage.cloud.google.com/{}", ["cloud.google.com"]),
        ("see https://b.s3.eu-west-2.amazonaws.com/a.jpg in {}", ["amazonaws.com"]),
    ],
)
def test_the_scan_tells_a_form_from_an_example(text: str, misplaced: list[str]) -> None:
    """The check above can fail: each way a host name was written outside providers/ before is caught."""
    assert _misplaced(text) == misplaced


def test_the_scan_reads_code_not_documentation() -> None:
    source = '''"""Docstring: https://{bucket}.s3.amazonaws.com."""
rule("MT302", "doc https://<account>.blob.core.windows.net")
HOST = f"https://{account}.blob.core.windows.net"
EXAMPLE = "https://b.s3.eu-west-2.amazonaws.com"
FORM = "https://storage.cloud.google.com/" + path
'''
    found = [marker for _, text in _strings(ast.parse(source)) for marker in _misplaced(text)]
    assert sorted(found) == ["cloud.google.com", "core.windows.net"]


def test_every_provider_module_is_registered_once() -> None:
    """Adding a provider is adding a module: a module with a PROVIDER that the registry misses fails here."""
    defined = []
    for info in pkgutil.iter_modules(providers.__path__):
        module = importlib.import_module(f"manifest_tools.providers.{info.name}")
        if hasattr(module, "PROVIDER"):
            defined.append(module.PROVIDER)
    assert sorted(p.name for p in defined) == sorted(p.name for p in PROVIDERS)
    assert len({p.name for p in PROVIDERS}) == len(PROVIDERS)
    assert PROVIDERS[-1].name == "direct", "direct access takes every host the others leave"


# Each provider's public URL, built by the provider, is recognised as that provider's, bucket and key.
PUBLIC = [
    ("aws", "bkt", {"region": "eu-west-2"}),
    ("aws", "bkt", {}),
    ("aws", "dotted.bkt", {"region": "us-east-1"}),
    ("aws", "bkt", {"region": "eu-west-2", "style": "path"}),
    ("otc", "bkt", {"region": "eu-de"}),
    ("gcp", "bkt", {}),
    ("azure", "container", {"account": "acct"}),
]


@pytest.mark.parametrize(("name", "bucket", "options"), PUBLIC)
@pytest.mark.parametrize("key", ["a.jpg", "d/a b+c%.jpg", "ünï/ß.png"])
def test_a_public_url_is_located_back(name: str, bucket: str, options: dict[str, str], key: str) -> None:
    public_url = providers.BY_NAME[name].public_url
    assert public_url is not None
    url = public_url(bucket, key, **options)
    location = locate_url(url)
    assert (location.provider, location.bucket, url_key(location)) == (name, bucket, key)
    assert location.region == options.get("region") if name != "azure" else location.account == "acct"


@pytest.mark.parametrize(
    ("text", "source", "shown"),
    [
        ("s3://bkt/p/", Source("aws", "bkt", "p/"), "s3://bkt/p/"),
        ("obs://bkt", Source("otc", "bkt", ""), "obs://bkt/"),
        ("gs://bkt/p", Source("gcp", "bkt", "p"), "gs://bkt/p"),
        ("az://acct/c/p", Source("azure", "c", "p", "acct"), "az://acct/c/p"),
        ("https://acct.blob.core.windows.net/c/p", Source("azure", "c", "p", "acct"), "az://acct/c/p"),
    ],
)
def test_sources_are_parsed_by_their_provider(text: str, source: Source, shown: str) -> None:
    assert parse_source(text) == source
    assert source.describe() == shown


def test_a_folder_is_the_local_provider(tmp_path: Path) -> None:
    assert parse_source(str(tmp_path)) == Source("local", str(tmp_path))
    assert Source("local", str(tmp_path)).describe() == str(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("s3://", "no bucket after s3://"),
        ("gs:///p", "no bucket after gs://"),
        ("az://acct", "write az://ACCOUNT/CONTAINER/PREFIX"),
        ("ftp://host/p", "unsupported source"),
        ("no/such/folder", "no such folder"),
    ],
)
def test_bad_sources_are_one_sentence(text: str, message: str) -> None:
    with pytest.raises(SourceError, match=re.escape(message)):
        parse_source(text)


def test_the_providers_import_no_rules_report_or_cli() -> None:
    """The facts layer: a provider module imports the standard library, errors and its siblings only."""
    allowed = ("manifest_tools.errors", "manifest_tools.providers")
    for path in sorted((PACKAGE / "providers").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("manifest_tools"):
                assert node.module.startswith(allowed), f"{path.name} imports {node.module}"


def test_the_native_scanner_names_no_store() -> None:
    """The C scanner gets its URL facts from Python tables; it must not grow a copy of a store's host."""
    for path in sorted(PACKAGE.glob("*.[ch]")) + sorted(PACKAGE.glob("*.pyi")):
        text = path.read_text(encoding="utf-8")
        assert [marker for marker in HOST_MARKERS if marker in text] == [], path.name
