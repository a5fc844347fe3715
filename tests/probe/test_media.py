"""The probe reads back exactly the properties real files were encoded with, through ranged reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from manifest_tools.cloud.ranged import RangedFile
from manifest_tools.kinds import file_extension
from manifest_tools.media import NotReadable, Probed, probe
from manifest_tools.providers.local import FileReader
from tests.probe.media_files import Made, make_all


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Made]]:
    folder = tmp_path_factory.mktemp("media")
    return folder, make_all(folder)


def _probe(path: Path) -> Probed:
    file = RangedFile(FileReader(path))
    return probe(file, file_extension(path.name), file.size)


def test_values_are_the_encoded_ones(media: tuple[Path, list[Made]]) -> None:
    folder, made = media
    for item in made:
        if item.facts.get("unreadable") or item.facts.get("truncated"):
            continue
        found = _probe(folder / item.name)
        assert {name: found.values.get(name) for name in item.values} == pytest.approx(item.values), item.name
        for fact, value in item.facts.items():
            actual = found.format if fact == "format" else getattr(found, fact if fact != "codec" else "video_codec")
            assert actual == value, (item.name, fact)


def test_playability_facts_of_plain_files_are_clean(media: tuple[Path, list[Made]]) -> None:
    folder, _ = media
    plain = _probe(folder / "h264.mp4")
    assert (plain.video_codec, plain.pixel_format, plain.variable_frame_rate, plain.rotation, plain.truncated) == (
        "h264",
        "yuv420p",
        False,
        0,
        None,
    )
    assert _probe(folder / "photo.jpg").exif_orientation is None


def test_content_is_told_apart_from_the_extension(media: tuple[Path, list[Made]]) -> None:
    folder, _ = media
    found = _probe(folder / "png-named.jpg")
    assert not found.fits_extension("jpg") and found.fits_extension("png")
    assert _probe(folder / "rotated.mov").fits_extension("mov")
    assert _probe(folder / "h264.mp4").fits_extension("mp4")


def test_cut_and_garbage_files(media: tuple[Path, list[Made]]) -> None:
    folder, _ = media
    assert "the file has" in (_probe(folder / "cut.mp4").truncated or "")
    with pytest.raises(NotReadable, match="FFmpeg cannot read it"):
        _probe(folder / "garbage.mp4")


def test_a_moov_at_the_end_costs_few_reads(tmp_path: Path) -> None:
    from tests.probe.media_files import video

    path = tmp_path / "big.mp4"
    video(path, frames=200, size=(320, 240), noise=True)
    file = RangedFile(FileReader(path))
    probe(file, "mp4", file.size)
    assert file.size > 4_000_000
    assert file.bytes_read < 600_000, file.bytes_read
    assert file.requests <= 8, file.requests


def test_a_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from manifest_tools.media import ProbeUnavailable, _missing_library, require_probe_libraries

    _missing_library.cache_clear()
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pypdf" else real(name, *a))
    try:
        with pytest.raises(ProbeUnavailable, match=r"pip install 'manifest-tools\[probe\]' \(pypdf is missing\)"):
            require_probe_libraries()
    finally:
        _missing_library.cache_clear()


def test_damaged_files_never_raise_anything_but_not_readable(media: tuple[Path, list[Made]]) -> None:
    """Every file cut at several points and with bytes flipped: a header or NotReadable, never a traceback."""
    import contextlib
    import io
    import random

    folder, made = media
    rng = random.Random(11)
    for item in made:
        data = (folder / item.name).read_bytes()
        damaged = [data[:cut] for cut in (0, 1, 4, 16, 100, len(data) // 3, len(data) - 1)]
        for _ in range(5):
            flipped = bytearray(data)
            for _ in range(8):
                flipped[rng.randrange(len(flipped))] = rng.randrange(256)
            damaged.append(bytes(flipped))
        for variant in damaged:
            with contextlib.suppress(NotReadable):
                probe(io.BytesIO(variant), file_extension(item.name), len(variant))
