"""generate refuses, before listing anything, options that could only give a wrong manifest."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from manifest_tools import api
from manifest_tools.cli import main
from manifest_tools.errors import ConfigError
from manifest_tools.kinds import KINDS_BY_KEY


def _generate(tmp_path: Path, *options: str, output: str = "m.json") -> tuple[int, str]:
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    (folder / "a.jpg").write_bytes(b"x")
    result = CliRunner().invoke(main, ["generate", str(folder), "-o", str(tmp_path / output), *options])
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    "base",
    [
        "http://cdn.example.org",
        "cdn.example.org/data",
        "/srv/data",
        "s3://bucket/prefix",
        "https://",
        "https:///data",
        "https://cdn.example.org/data?sv=2024&sig=abc",
        "https://cdn.example.org/data?",
        "https://cdn.example.org/data#top",
        "https://[::1/data",
    ],
)
def test_url_base_must_be_an_absolute_https_url_without_a_query(tmp_path: Path, base: str) -> None:
    code, stderr = _generate(tmp_path, "--url-base", base)
    assert code == 2
    assert len(stderr.splitlines()) == 1 and "--url-base" in stderr and "Traceback" not in stderr
    assert not (tmp_path / "m.json").exists()


@pytest.mark.parametrize("base", ["https://cdn.example.org", "https://cdn.example.org:8443/data/", "HTTPS://CDN.org/x"])
def test_good_url_bases_are_accepted(tmp_path: Path, base: str) -> None:
    assert _generate(tmp_path, "--url-base", base)[0] == 0


def test_unknown_kind_gets_the_nearest_one(tmp_path: Path) -> None:
    code, stderr = _generate(tmp_path, "--url-base", "https://cdn.example.org", "--kind", "image_group")
    assert code == 2 and len(stderr.splitlines()) == 1
    assert "'image_group'" in stderr and "did you mean image_groups?" in stderr
    code, stderr = _generate(tmp_path, "--url-base", "https://cdn.example.org", "--kind", "zzz")
    assert code == 2 and "did you mean" not in stderr
    assert all(key in stderr for key in KINDS_BY_KEY), "with no near kind, every kind is listed"


def test_every_kind_is_accepted(tmp_path: Path) -> None:
    kinds = ",".join(KINDS_BY_KEY)
    assert _generate(tmp_path, "--url-base", "https://cdn.example.org", "--kind", kinds)[0] == 0


@pytest.mark.parametrize("output", ["out.txt", "out", "out.json.bak", "out.yaml"])
def test_an_output_neither_json_nor_csv_is_refused(tmp_path: Path, output: str) -> None:
    code, stderr = _generate(tmp_path, "--url-base", "https://cdn.example.org", output=output)
    assert code == 2 and len(stderr.splitlines()) == 1
    assert f"{output}: a manifest is written as .json or .csv" in stderr
    assert not (tmp_path / output).exists()


@pytest.mark.parametrize("output", ["OUT.JSON", "out.csv"])
def test_json_and_csv_outputs_in_any_case_are_written(tmp_path: Path, output: str) -> None:
    assert _generate(tmp_path, "--url-base", "https://cdn.example.org", output=output)[0] == 0
    assert (tmp_path / output).exists()


def test_the_library_refuses_the_same_options(tmp_path: Path) -> None:
    """The checks live in the library: a script calling api.generate gets them too."""
    with pytest.raises(ConfigError, match="url-base"):
        api.generate(str(tmp_path), tmp_path / "m.json", url_base="http://cdn.example.org")
    with pytest.raises(ConfigError, match="did you mean videos"):
        api.generate(str(tmp_path), tmp_path / "m.json", url_base="https://cdn.example.org", kinds=["video"])
