"""A set of files replaced all or nothing: a failure half-way puts the old set back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from manifest_tools.atomic import staged_files
from manifest_tools.errors import OutputError


def test_a_failed_move_restores_the_old_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = [tmp_path / "m.part-0001.json", tmp_path / "m.part-0002.json", tmp_path / "m.part-0003.json"]
    for path in old:
        path.write_text("old\n")
    _commit_two_parts_failing_at_the_second(tmp_path, old, monkeypatch)
    assert sorted(p.name for p in tmp_path.iterdir()) == [p.name for p in old]
    assert all(p.read_text() == "old\n" for p in old)


def test_a_commit_replaces_the_whole_set(tmp_path: Path) -> None:
    old = [tmp_path / "m.part-0001.json", tmp_path / "m.part-0002.json", tmp_path / "m.part-0003.json"]
    for path in old:
        path.write_text("old\n")
    with staged_files(tmp_path, "m") as stage:
        with stage.open("m.part-0001.json") as out:
            out.write("new\n")
        stage.commit(remove=old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.part-0001.json"]
    assert (tmp_path / "m.part-0001.json").read_text() == "new\n"


def test_a_failed_move_puts_a_dangling_link_back_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = [tmp_path / "m.part-0001.json", tmp_path / "m.part-0002.json"]
    old[0].symlink_to(tmp_path / "gone.json")
    old[1].write_text("old\n")
    _commit_two_parts_failing_at_the_second(tmp_path, old, monkeypatch)
    assert os.readlink(old[0]) == str(tmp_path / "gone.json")
    assert old[1].read_text() == "old\n"


def _commit_two_parts_failing_at_the_second(folder: Path, old: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Stage two new parts over ``old`` and commit, the disk full when the second new part moves in."""
    real_replace = os.replace

    def failing_replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if Path(source).name == "m.part-0002.json" and Path(source).parent != folder:  # the second new part
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OutputError), staged_files(folder, "m") as stage:
        for number in (1, 2):
            with stage.open(f"m.part-000{number}.json") as out:
                out.write("new\n")
        stage.commit(remove=old)
