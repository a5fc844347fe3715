"""The public library calls, as a user imports them."""

from __future__ import annotations

from pathlib import Path

import pytest

import manifest_tools
from manifest_tools.errors import ConfigError
from manifest_tools.splitting import Limits

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_public_functions_stay_callable_after_their_modules_load() -> None:
    """``manifest_tools.split`` must stay the function even once ``manifest_tools.splitting`` is imported."""
    for _ in range(2):
        assert manifest_tools.fix(FIXTURES / "invalid" / "duplicate-image-groups.json", unsafe=True).text
        assert manifest_tools.convert(FIXTURES / "valid" / "four-blocks.csv", "sdk").text.startswith("{")
        parts = manifest_tools.split(FIXTURES / "valid" / "all-kinds.json", Limits(max_items=3), dry_run=True)
        assert [len(p.items) for p in parts] == [3, 3, 3, 1]


def test_report_raise_for_errors_lists_the_first_problems() -> None:
    report = manifest_tools.lint(FIXTURES / "invalid" / "sdk-spellings-and-kinds.json")
    assert not report.ok and report.errors and report.warnings
    with pytest.raises(manifest_tools.ManifestErrors) as raised:
        report.raise_for_errors(show=2)
    text = str(raised.value)
    assert text.startswith("6 errors in the manifest:\n")
    assert "sdk-spellings-and-kinds.json:2:3: MT202" in text and text.endswith("... and 4 more")
    manifest_tools.lint(FIXTURES / "valid" / "all-kinds.json").raise_for_errors()


def test_lint_accepts_text_bytes_dicts_and_paths() -> None:
    path = FIXTURES / "valid" / "gcp-images.json"
    text = path.read_text()
    for source in (path, str(path), text, text.encode(), manifest_tools.load(path).data):
        assert manifest_tools.lint(source).diagnostics == [], type(source)
    with pytest.raises(manifest_tools.SourceError, match="no such file"):
        manifest_tools.lint("missing.json")
    with pytest.raises(manifest_tools.SourceError, match=r"^'': an empty path names no file$"):
        manifest_tools.lint("")  # said ": is a folder": Path("") is the working folder


def test_the_readme_upload_snippet_stops_on_errors_and_uploads_clean_manifests(
    capsys: pytest.CaptureFixture[str],
) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Lint before an upload (tested)", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    upload = namespace["upload"]

    class FakeStorageFolder:
        def __init__(self) -> None:
            self.calls: list[tuple[str, str]] = []

        def add_private_data_to_folder_start(self, integration_id: str, private_files: str) -> str:
            self.calls.append((integration_id, private_files))
            return "job-1"

    folder = FakeStorageFolder()
    with pytest.raises(manifest_tools.ManifestErrors, match="MT202"):
        upload(folder, "integration", str(FIXTURES / "invalid" / "sdk-spellings-and-kinds.json"))  # type: ignore[operator]
    assert folder.calls == [] and "MT217" in capsys.readouterr().out
    clean = str(FIXTURES / "valid" / "all-kinds.json")
    assert upload(folder, "integration", clean) == "job-1"  # type: ignore[operator]
    assert folder.calls == [("integration", clean)]


def test_a_library_call_leaves_the_garbage_collector_as_it_found_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """No freeze and the collector enabled as before. (The freeze count itself is no measure: objects an
    earlier CLI test froze in this process may be freed meanwhile.)"""
    import gc

    freezes: list[None] = []
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(None))
    enabled = gc.isenabled()
    tolerant = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"},]}'  # the tolerant reader
    for source in (tolerant, tolerant.replace(",]", "]"), FIXTURES / "valid" / "all-kinds.json"):
        manifest_tools.lint(source)
        manifest_tools.load(source)
    assert freezes == [] and gc.isenabled() == enabled


def test_the_collector_is_paused_while_the_python_rules_check_a_parsed_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The parsed tree is dropped before the collector runs again: no collection walks it."""
    import gc

    from manifest_tools import native
    from manifest_tools.rules import engine

    seen: list[bool] = []
    checked = engine.check
    monkeypatch.setattr(engine, "check", lambda *args, **kw: seen.append(gc.isenabled()) or checked(*args, **kw))
    monkeypatch.setattr(native, "_loaded", True)
    monkeypatch.setattr(native, "_scanner", None)
    path = tmp_path / "m.json"
    path.write_text('{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}', encoding="utf-8")
    enabled = gc.isenabled()
    gc.enable()
    try:
        manifest_tools.lint(path)
        manifest_tools.lint(path.read_text(encoding="utf-8"))
        assert seen == [False, False] and gc.isenabled()
    finally:
        if not enabled:
            gc.disable()


def test_a_file_the_scanner_does_not_certify_is_read_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without the native scanner, the bytes read to detect the format and try the scanner are parsed."""
    from manifest_tools import api, native
    from manifest_tools.readers import dispatch

    reads: list[str] = []
    read_source = dispatch.read_source

    def counted(path: str) -> bytes:
        reads.append(str(path))
        return read_source(path)

    monkeypatch.setattr(api, "read_source", counted)
    monkeypatch.setattr(dispatch, "read_source", counted)
    monkeypatch.setattr(native, "_loaded", True)
    monkeypatch.setattr(native, "_scanner", None)
    path = tmp_path / "m.json"
    path.write_text('{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}', encoding="utf-8")
    assert list(manifest_tools.lint(path)) == [] and reads == [str(path)]


def test_lint_of_a_dict_gives_diagnostics_never_exceptions() -> None:
    url = "https://b.s3.eu-west-2.amazonaws.com/a.jpg"
    assert [d.code for d in manifest_tools.lint({"images": [{"objectUrl": url}], 1: True})] == ["MT202"]
    assert [d.code for d in manifest_tools.lint({"images": [{"objectUrl": url, 2: "x"}]})] == ["MT206"]
    deep: dict[str, object] = {}
    inner = deep
    for _ in range(3000):
        inner["a"] = {}
        inner = inner["a"]  # type: ignore[assignment]
    assert [d.code for d in manifest_tools.lint(deep)] == ["MT111"]
    assert [d.code for d in manifest_tools.lint({(1, 2): "x"})] == ["MT203"]


LINT_ONLY_REMOTE = (
    ("select", ["MT9"], "--select", "MT9"),
    ("select", ["mt901"], "--select", "mt901"),
    ("select", ["object-missing"], "--select", "object-missing"),
    ("extend_select", ["MT94"], "--extend-select", "MT94"),
)


@pytest.mark.parametrize(("keyword", "value", "option", "given"), LINT_ONLY_REMOTE)
def test_the_library_refuses_a_selection_of_only_mt9xx_rules_where_the_cli_does(
    keyword: str, value: list[str], option: str, given: str, tmp_path: Path
) -> None:
    """select=["MT9"] ran no rule and passed every file through the library, while the CLI exits 2."""
    from click.testing import CliRunner

    from manifest_tools.cli import main

    broken = tmp_path / "b.json"
    broken.write_text('{"images": [{"objectUrl": "s3://a/b.jpg"},]}')
    cli = CliRunner().invoke(main, ["lint", str(broken), option, given, "--isolated"])
    assert cli.exit_code == 2 and "MT9xx rules are run by" in cli.output, cli.output
    calls = [
        lambda: manifest_tools.lint(broken, **{keyword: value}),
        lambda: manifest_tools.lint_files([broken], **{keyword: value}),
    ]
    if keyword == "select":
        calls.append(lambda: manifest_tools.fix(broken, select=value))
    for call in calls:
        with pytest.raises(ConfigError, match="MT9xx rules are run by"):
            call()
