"""verify as a repository and a CI job run it: the configured settings, standard input, and the failures that
stop every check (no extra, no credentials) or would repeat per folder (an unknown host)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from manifest_tools import api
from manifest_tools.cli import main
from manifest_tools.cloud import verify as verify_module
from manifest_tools.errors import CannotVerify, ConfigError, NotRewritable, SourceError

Server = tuple[str, list[str]]


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def manifest(*urls: str) -> str:
    return json.dumps({"images": [{"objectUrl": url} for url in urls]}, indent=1) + "\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, http_server: Server) -> Path:
    """A repository whose configuration asks for JSON output and excludes a folder of drafts."""
    base, _ = http_server
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.manifest-tools]\noutput-format = "json"\nextend-exclude = ["drafts/"]\n'
    )
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "m.json").write_text(manifest(f"{base}/ok/a.jpg", f"{base}/gone.jpg"))
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "d.json").write_text(manifest(f"{base}/gone-too.jpg"))
    return tmp_path


def test_verify_reads_the_configured_output_format_and_exclusions(repo: Path) -> None:
    code, out, err = run("verify", ".")
    assert code == 1
    found = json.loads(out)["diagnostics"]
    assert [(d["code"], Path(d["file"]).name) for d in found] == [("MT901", "m.json")]
    assert "2 URLs, 0 folders listed, 2 HEAD requests" in err


def test_isolated_and_config_and_exclude_options(repo: Path) -> None:
    code, out, _ = run("verify", ".", "--isolated")
    assert code == 1
    assert "MT901" in out and not out.lstrip().startswith("[")  # text, and the drafts folder is walked too
    assert out.count("MT901") == 2
    (repo / "other.toml").write_text('[tool.manifest-tools]\nexclude = ["data/"]\n')
    code, out, _ = run("verify", ".", "--config", "other.toml")
    assert code == 1 and out.count("MT901") == 1 and "drafts" in out
    code, out, _ = run("verify", ".", "--isolated", "--exclude", "drafts/", "--output-format", "github")
    assert code == 1 and out.count("::error") == 1


def test_nested_configuration_governs_its_folder(repo: Path) -> None:
    (repo / "data" / "pyproject.toml").write_text('[tool.manifest-tools]\nextend-exclude = ["m.json"]\n')
    code, _, err = run("verify", "data")
    assert code == 2 and "data: no manifest (*.json, *.csv) found there" in err


def test_output_file_and_color(repo: Path) -> None:
    code, out, _ = run("verify", ".", "-o", "report.json")
    assert (code, out) == (1, "")
    assert [d["code"] for d in json.loads((repo / "report.json").read_text())["diagnostics"]] == ["MT901"]
    code, out, _ = run("verify", ".", "--output-format", "text", "--color", "always")
    assert code == 1 and "\x1b[" in out
    code, out, _ = run("verify", ".", "--output-format", "text", "--color", "never")
    assert code == 1 and "\x1b[" not in out


def test_a_path_without_manifests_is_exit_two_for_verify_and_fix(repo: Path) -> None:
    (repo / "empty").mkdir()
    for command in ("verify", "fix"):
        code, out, err = run(command, "empty")
        assert code == 2, command
        assert "All checks passed" not in out + err
        assert "empty: no manifest (*.json, *.csv) found there, or every one is excluded" in err


def test_fix_shares_the_discovery_options(repo: Path) -> None:
    loose = '{"images":[{"objectUrl":"https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}'
    for name in ("data/m.json", "drafts/d.json", "keep/k.json"):
        (repo / name).parent.mkdir(exist_ok=True)
        (repo / name).write_text(loose)
    code, _, _ = run("fix", ".", "--exclude", "keep/")
    assert code == 0
    assert (repo / "data/m.json").read_text() != loose  # rewritten in canonical form
    assert (repo / "drafts/d.json").read_text() == loose  # the configured extend-exclude holds
    assert (repo / "keep/k.json").read_text() == loose  # --exclude holds
    code, _, _ = run("fix", ".", "--isolated")
    assert code == 0 and (repo / "drafts/d.json").read_text() != loose


def test_standard_input_is_named_by_stdin_filename(repo: Path) -> None:
    text = (repo / "data" / "m.json").read_text()
    from_file = run("verify", "data/m.json", "--output-format", "json")
    from_stdin = run("verify", "-", "--stdin-filename", "data/m.json", "--output-format", "json", stdin=text)
    assert from_stdin[0] == from_file[0] == 1
    assert json.loads(from_stdin[1]) == json.loads(from_file[1])
    code, out, err = run("verify", "-", "--output-format", "text", stdin=text)
    assert code == 1 and "<stdin>:" in out and "<stdin>: 2 URLs" in err


def test_verbose_says_which_files_and_timings_on_stderr_only(http_server: Server, tmp_path: Path) -> None:
    base, _ = http_server
    (tmp_path / "m.json").write_text(manifest(f"{base}/ok/a.jpg", f"{base}/gone.jpg"))
    path = str(tmp_path / "m.json")
    quiet, loud = run("verify", path), run("verify", "-v", path)
    assert loud[:2] == quiet[:2] and quiet[0] == 1, "the report and the exit code are unchanged"
    said = [line.removeprefix("manifest-tools: ") for line in loud[2].splitlines() if line not in quiet[2]]
    patterns = [
        r"found 1 file to verify in [\d,.]+ ms",
        rf"reading {re.escape(path)}",
        rf"{re.escape(path)}: verified in [\d,.]+ ms",
        r"done in [\d,.]+ ms",
    ]
    assert len(said) == len(patterns), said
    for line, pattern in zip(said, patterns, strict=True):
        assert re.fullmatch(pattern, line), (line, pattern)


def test_an_unknown_host_is_one_finding(http_server: Server, tmp_path: Path) -> None:
    base, seen = http_server
    path = tmp_path / "m.json"
    unknown = [f"https://no-such-host.invalid/{i}.jpg" for i in range(5)]
    path.write_text(manifest(*unknown, f"{base}/ok/a.jpg"))
    code, out, _ = run("verify", str(path))
    assert code == 1
    lines = [line for line in out.splitlines() if " MT9" in line]
    assert len(lines) == 1, out
    assert "cannot resolve the host 'no-such-host.invalid'" in lines[0]
    assert "4 more URLs on it not checked" in lines[0]
    assert seen == ["/ok/a.jpg"]


def _refused_port() -> int:
    """A local port nothing listens on: bound, then closed, so a connection to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_a_host_that_refuses_the_connection_is_one_finding_and_one_attempt(
    http_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, seen = http_server
    port = _refused_port()
    down = f"https://127.0.0.1:{port}"
    attempts: list[tuple[str, int]] = []
    connect = socket.create_connection

    def counted(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        attempts.append(address)
        return connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", counted)
    path = tmp_path / "m.json"
    path.write_text(manifest(*(f"{down}/{i}.jpg" for i in range(4)), f"{base}/ok/a.jpg"))
    code, out, err = run("verify", str(path))
    assert code == 1
    lines = [line for line in out.splitlines() if " MT9" in line]
    assert len(lines) == 1, out
    assert f"MT903 cannot connect to the host '{down[8:]}' (" in lines[0]
    assert lines[0].endswith("; 3 more URLs on it not checked"), lines[0]
    assert attempts.count(("127.0.0.1", port)) == 1
    assert seen == ["/ok/a.jpg"]
    assert "5 URLs, 0 folders listed, 2 HEAD requests" in err


class _Lister:
    """A store whose every folder listing fails with ``error``."""

    def __init__(self, error: BaseException) -> None:
        self.error, self.asked = error, 0

    def folder(self, prefix: str) -> Iterator[Any]:
        self.asked += 1
        try:
            raise self.error
        except BaseException:
            raise SourceError(f"s3://acme/{prefix}: the listing failed") from None


S3 = "https://acme.s3.eu-west-2.amazonaws.com"
FOLDERS = manifest(f"{S3}/a/1.jpg", f"{S3}/b/2.jpg", f"{S3}/c/3.jpg", f"{S3}/c/4.jpg")


def _with_lister(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> _Lister:
    lister = _Lister(error)
    monkeypatch.setattr(verify_module, "location_lister", lambda *_: lister)
    return lister


def test_an_unreachable_store_is_one_finding_and_one_attempt(monkeypatch: pytest.MonkeyPatch) -> None:
    lister = _with_lister(monkeypatch, socket.gaierror(-2, "Name or service not known"))
    report = api.verify(FOLDERS)
    assert [d.code for d in report] == ["MT903"]
    assert "3 more URLs there not checked" in report.diagnostics[0].message
    assert lister.asked == 1


def test_a_folder_that_fails_otherwise_is_one_finding_per_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    lister = _with_lister(monkeypatch, RuntimeError("access denied to this prefix"))
    assert [d.code for d in api.verify(FOLDERS)] == ["MT903", "MT903", "MT903"]
    assert lister.asked == 3


def test_no_credentials_stops_the_library_call(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoCredentialsError(Exception):  # botocore's name: the SDKs are matched by name, not imported
        pass

    lister = _with_lister(monkeypatch, NoCredentialsError("Unable to locate credentials"))
    with pytest.raises(CannotVerify, match="no usable credentials"):
        api.verify(FOLDERS)
    assert lister.asked == 1


def test_no_credentials_on_s3_is_one_line_and_exit_two(
    s3: Any, s3_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s3.create_bucket(Bucket="acme", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    path = tmp_path / "m.json"
    path.write_text(FOLDERS)
    code, out, err = run("verify", str(path), "--endpoint-url", s3_server.endpoint)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "no usable credentials" in err and "Unable to locate credentials" in err


MISSING_EXTRA = [
    ("boto3", S3, "s3"),
    ("google.cloud.storage", "https://storage.googleapis.com/gbk", "gcs"),
    ("azure.storage.blob", "https://acct.blob.core.windows.net/ctr", "azure"),
]


@pytest.mark.parametrize(("module", "base", "extra"), MISSING_EXTRA)
def test_a_missing_extra_is_one_line_and_exit_two(module: str, base: str, extra: str, tmp_path: Path) -> None:
    """The SDK hidden as if never installed (``sys.modules[name] = None`` makes its import fail)."""
    path = tmp_path / "m.json"
    path.write_text(manifest(f"{base}/a/1.jpg", f"{base}/b/2.jpg", f"{base}/c/3.jpg"))
    script = f"import sys; sys.modules[{module!r}] = None; from manifest_tools.cli import main; main()"
    env = {**os.environ, "AZURE_STORAGE_CONNECTION_STRING": "", "STORAGE_EMULATOR_HOST": ""}
    done = subprocess.run(
        [sys.executable, "-c", script, "verify", str(path)], capture_output=True, text=True, env=env, timeout=120
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.count("\n") == 1, done.stderr
    assert f"needs the {extra} extra: pip install 'manifest-tools[{extra}]'" in done.stderr


def test_the_library_refuses_what_the_cli_refuses(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="max_head"):
        api.verify(FOLDERS, max_head=-1)
    for options in ({"images_as": "stacks"}, {"url_style": "virtual-hosted"}, {"concurrency": 0}):
        with pytest.raises(ConfigError):
            api.generate(str(tmp_path), tmp_path / "m.json", url_base="https://cdn.example.org", **options)
    assert not (tmp_path / "m.json").exists()


def test_the_library_signatures_are_explicit() -> None:
    """No ``**options``: an editor completes every argument and mypy checks it."""
    import inspect

    for function in (api.generate, api.verify):
        kinds = {p.kind for p in inspect.signature(function).parameters.values()}
        assert inspect.Parameter.VAR_KEYWORD not in kinds, function
        assert function.__doc__


def test_no_credentials_on_gcs_is_one_line_and_exit_two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """google-auth raises its own exception when the client is made: it must not escape as a traceback."""
    monkeypatch.delenv("STORAGE_EMULATOR_HOST", raising=False)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "no-such-key.json"))
    path = tmp_path / "m.json"
    base = "https://storage.googleapis.com/gbk"
    path.write_text(manifest(f"{base}/a/1.jpg", f"{base}/b/2.jpg"))
    code, out, err = run("verify", str(path))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "Google Cloud Storage gbk: no usable credentials" in err


def test_verify_json_names_each_path_it_could_not_check(repo: Path) -> None:
    (repo / "empty").mkdir()
    code, out, _ = run("verify", "--output-format", "json", "missing.json", "empty")
    document = json.loads(out)
    assert code == 2
    assert document["unreadable"] == [
        {"path": "empty", "reason": "no manifest (*.json, *.csv) found there, or every one is excluded"},
        {"path": "missing.json", "reason": "no such file"},
    ]
    assert document["summary"]["unreadable"] == 2


NOT_MANIFESTS = [
    # (text, the reader's finding lint reports too)
    ("null\n", "MT201"),
    ("[]\n", "MT201"),
    ('"images"\n', "MT201"),
    ('{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}', "MT101"),  # unclosed: a guess
    # a shape that hides items, as convert and split refuse it (s9 review: each said "All checks passed")
    ('{"images": {}}\n', "MT203"),
    ('{"imagez": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/missing.jpg"}]}\n', "MT202"),
    ('{"images": [5]}\n', "MT204"),
    ('{"images": [{"objectUrl": 5}]}\n', "MT203"),  # a URL that is no string: nothing to check
    ('{"images": [{"title": "a.jpg"}]}\n', "MT205"),  # no URL at all
]


@pytest.mark.parametrize(("text", "code"), NOT_MANIFESTS, ids=[text.strip() for text, _ in NOT_MANIFESTS])
def test_verify_refuses_what_lint_reads_as_no_manifest(tmp_path: Path, text: str, code: str) -> None:
    """``verify`` of ``null`` or ``[]`` listed no URL and said "All checks passed" (exit 0), where lint says
    MT201: a file that is not a manifest, or that was read only by guessing, is refused as convert and split
    refuse it, the reader's findings reported in the chosen format."""
    path = tmp_path / "m.json"
    path.write_text(text)
    exit_code, out, err = run("verify", "--output-format", "json", str(path))
    assert exit_code == 1, (out, err)
    assert code in [d["code"] for d in json.loads(out)["diagnostics"]]
    assert f"manifest-tools: {path}: not verified: fix these problems first" in err.splitlines()
    assert "All checks passed" not in out + err
    with pytest.raises(NotRewritable):
        api.verify(path)
