"""What a user sees of the library in a REPL or an editor: dir(), help() and short reprs."""

from __future__ import annotations

import ast
import json
import pydoc
from pathlib import Path

import pytest

import manifest_tools
from manifest_tools.kinds import IMAGES

URL = "https://b.s3.eu-west-2.amazonaws.com"


def test_dir_lists_the_api() -> None:
    names = dir(manifest_tools)
    assert names == sorted(manifest_tools.__all__)
    assert {"lint", "lint_files", "fix", "convert", "split", "Report"} <= set(names)
    for name in names:
        assert getattr(manifest_tools, name) is not None


def test_reprs_are_short() -> None:
    assert repr(IMAGES) == "Kind('images')"
    manifest = manifest_tools.load('{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}')
    item = next(manifest.items())
    assert len(repr(item)) < 200, repr(item)


def _type_checking_names() -> set[str]:
    """The names ``__init__.py`` imports for type checkers (what mypy and editors see of the lazy API)."""
    tree = ast.parse(Path(manifest_tools.__file__).read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
    return {alias.name for node in block.body if isinstance(node, ast.ImportFrom) for alias in node.names}


def test_all_is_complete_and_agrees_with_the_lazy_table_and_the_type_checkers() -> None:
    lazy = set(manifest_tools._LAZY)
    assert set(manifest_tools.__all__) == lazy | {"__version__"}
    assert _type_checking_names() == lazy
    assert len(manifest_tools.__all__) == len(set(manifest_tools.__all__))


def test_help_shows_every_public_name() -> None:
    text = pydoc.render_doc(manifest_tools, renderer=pydoc.plaintext)
    missing = [name for name in manifest_tools.__all__ if name != "__version__" and name not in text]
    assert missing == []


def test_reprs_of_large_values_stay_short() -> None:
    frames = {f"objectUrl_{i}": f"{URL}/seq/{i}.jpg" for i in range(20_000)}
    manifest = manifest_tools.load(json.dumps({"image_groups": [{"title": "s", "createVideo": True, **frames}]}))
    assert repr(manifest) == "Manifest('<text>', json, 1 item)"
    item = next(manifest.items())
    assert repr(item) == (
        "Item(Kind('image_groups'), 0, fields: title, createVideo, objectUrl_0, objectUrl_1, ... (20002 fields))"
    )
    report = manifest_tools.lint(Path(__file__).parents[1] / "fixtures" / "invalid" / "template-left-in.json")
    assert repr(report) == "Report(1 file, 10 errors, 1 warning)"


def test_library_errors_name_keywords_and_the_cli_names_its_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library caller cannot pass ``--drop-unsupported``: the exception names the keyword, the CLI its flag."""
    from click.testing import CliRunner

    from manifest_tools.cli import main
    from manifest_tools.conversion import ConversionRefused
    from manifest_tools.splitting import Limits, PartsExist

    monkeypatch.chdir(tmp_path)
    Path("m.json").write_text(json.dumps({"pdfs": [{"objectUrl": f"{URL}/{n}.pdf"} for n in range(2)]}))
    with pytest.raises(ConversionRefused) as refused:
        manifest_tools.convert("m.json", "csv")
    assert "pass drop_unsupported=True to drop them" in str(refused.value) and "--" not in str(refused.value)
    cli = CliRunner().invoke(main, ["convert", "m.json", "-o", "m.csv"])
    assert "pass --drop-unsupported to drop them" in cli.stderr

    Path("i.json").write_text(json.dumps({"images": [{"objectUrl": f"{URL}/{i}.jpg"} for i in range(4)]}))
    manifest_tools.split("i.json", Limits(max_items=2))
    with pytest.raises(PartsExist) as exists:
        manifest_tools.split("i.json", Limits(max_items=2))
    assert str(exists.value).endswith("pass replace=True to remove them, or choose another output_dir")
    cli = CliRunner().invoke(main, ["split", "i.json", "--max-items", "2"])
    assert "pass --replace to remove them, or choose another --output-dir; nothing was written" in cli.stderr


def test_reprs_of_fix_and_split_results_stay_short(tmp_path: Path) -> None:
    """``repr(FixResult)`` held the whole fixed text, and the parts ``split`` returns printed every item."""
    text = json.dumps({"images": [{"objectUrl": f"{URL}/{i}.jpg"} for i in range(5000)]})
    source = tmp_path / "m.json"
    source.write_text(text[:-2] + ",]}")  # a trailing comma: one safe fix
    fixed = manifest_tools.fix(source)
    assert fixed.text is not None
    assert repr(fixed) == f"FixResult(text of {len(fixed.text):,} characters, 1 applied, 0 blocking)"
    parts = manifest_tools.split(source.with_name("m.json"), manifest_tools.splitting.Limits(max_items=2500))
    assert (
        repr(parts[0]) == f"Part(1, 2,500 items, 2,500 URLs, {(tmp_path / 'm.part-0001.json').stat().st_size:,} bytes)"
    )
    assert all(part.bytes > 0 for part in parts), "the written size, not 0"
