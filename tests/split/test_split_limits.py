"""The library's split refuses exactly where the CLI's refuses: one table of bad limits drives both, and
each names the limit as its caller writes it (``max_items``, ``--max-items``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main
from manifest_tools.errors import ConfigError
from manifest_tools.splitting import Limits, SplitError

URL = "https://b.s3.eu-west-2.amazonaws.com"

BAD_LIMITS: list[tuple[dict[str, int], str]] = [
    ({}, "give {max_items}, {max_urls}, {max_bytes}"),
    ({"max_items": 0}, "{max_items} must be at least 1, not 0"),
    ({"max_items": -1}, "{max_items} must be at least 1, not -1"),
    ({"max_urls": 0}, "{max_urls} must be at least 1, not 0"),
    ({"max_bytes": -5}, "{max_bytes} must be at least 1, not -5"),
    ({"max_items": 2, "max_urls": 0}, "{max_urls} must be at least 1, not 0"),
]
"""Limits both refuse, and the message, with each limit named as the caller writes it."""

KEYWORDS = {name: name for name in ("max_items", "max_urls", "max_bytes")}
OPTIONS = {name: "--" + name.replace("_", "-") for name in KEYWORDS}


@pytest.fixture
def earlier_split(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """m.json and the two parts of an earlier split of it, which a refused split must leave alone."""
    monkeypatch.chdir(tmp_path)
    Path("m.json").write_text(json.dumps({"images": [{"objectUrl": f"{URL}/{i}.jpg"} for i in range(4)]}))
    manifest_tools.split("m.json", Limits(max_items=2))
    return sorted(tmp_path.glob("m.part-*"))


def _contents() -> list[tuple[Path, str]]:
    return [(path, path.read_text()) for path in sorted(Path().glob("m.part-*"))]


@pytest.mark.parametrize(("limits", "message"), BAD_LIMITS, ids=[repr(limits) for limits, _ in BAD_LIMITS])
def test_the_library_refuses_the_limits_the_cli_refuses(
    earlier_split: list[Path], limits: dict[str, int], message: str
) -> None:
    before = _contents()
    assert len(before) == 2
    with pytest.raises(ConfigError) as refused:
        manifest_tools.split("m.json", Limits(**limits), replace=True)
    assert message.format(**KEYWORDS) in str(refused.value)
    assert "--" not in str(refused.value)
    assert _contents() == before

    options = [part for name, value in limits.items() for part in (OPTIONS[name], str(value))]
    result = CliRunner().invoke(main, ["split", "m.json", *options, "--replace"])
    assert result.exit_code == 2
    assert result.stderr.startswith("manifest-tools: ")
    assert message.format(**OPTIONS) in result.stderr and len(result.stderr.splitlines()) == 1
    assert _contents() == before


def test_a_preset_alone_is_a_limit_for_the_cli() -> None:
    Limits().check(preset=True)  # the CLI's --preset, with no other limit


@pytest.mark.parametrize("value", [2.5, True, "3"], ids=repr)
def test_the_library_refuses_a_limit_that_is_not_a_whole_number(value: object) -> None:
    """The CLI's click types refuse these before they are limits; a library caller can pass them."""
    with pytest.raises(ConfigError, match=r"^max_items must be a whole number, not "):
        Limits(max_items=value).check()  # type: ignore[arg-type]


def test_an_item_over_a_limit_is_named_by_keyword_in_the_library_and_by_option_in_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    group = {"title": "g", "createVideo": False, "objectUrl_0": f"{URL}/0.jpg", "objectUrl_1": f"{URL}/1.jpg"}
    Path("g.json").write_text(json.dumps({"image_groups": [group]}))
    for limit, value in (("max_urls", 1), ("max_bytes", 50)):
        with pytest.raises(SplitError) as raised:
            manifest_tools.split("g.json", Limits(**{limit: value}), dry_run=True)
        assert f", over {limit}={value}; it is never cut" in str(raised.value)
        assert "--" not in str(raised.value)
        result = CliRunner().invoke(main, ["split", "g.json", OPTIONS[limit], str(value), "--dry-run"])
        assert result.exit_code == 1
        assert f", over {OPTIONS[limit]} {value}; it is never cut" in result.stderr
