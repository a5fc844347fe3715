"""What ``fix`` reports as remaining is what a fresh ``manifest-tools lint`` of the written file reports.

``fix`` knows it without linting again when no fix applied (``FixResult.remaining``): nothing when lint
found nothing in the input, else the input's findings placed in the written text; the other files are
linted again. Both are compared with lint itself, run afterwards on the file as written (or, with
--check and --diff, as it stands), on clean files and files with unfixable findings (where the shortcut
must be taken, or this test would not test it) and on files whose fixes leave, move or bring findings.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from manifest_tools.cli import main

URL = "https://acme-data.s3.eu-west-2.amazonaws.com"
FIXTURES = Path(__file__).parents[2] / "fixtures"
FRAMES = ", ".join(f'"objectUrl_{f}": "{URL}/g/{f:03d}.jpg"' for f in range(40))
CLEAN = {
    # Lint finds nothing in these: fix must know what remains without linting again.
    "reordered.json": (
        '{"images": [{"objectUrl": "' + URL + '/a.jpg", "title": "a.jpg", "imageMetadata": {"mimeType":'
        ' "image/jpeg", "fileSize": 10, "width": 2, "height": 3}, "clientMetadata": {"site": "A"}}],\n'
        ' "videos": [{"objectUrl": "' + URL + '/v.mp4", "videoMetadata": {"fps": 25, "duration": 60.5,'
        ' "width": 2, "height": 3, "fileSize": 10, "mimeType": "video/mp4"}}], "skip_duplicate_urls": true}\n'
    ),
    "canonical.json": '{\n  "images": [\n    {"title": "a.jpg", "objectUrl": "' + URL + '/a.jpg"}\n  ]\n}\n',
    "big-group.json": '{"image_groups": [{"title": "g", "createVideo": false, ' + FRAMES + "}]}\n",
    "crlf.json": '{\r\n  "images": [\r\n    {"objectUrl": "' + URL + '/a.jpg"}\r\n  ]\r\n}\r\n',
    "snake.json": (
        '{"videos": [{"objectUrl": "' + URL + '/v.mp4", "videoMetadata": {"fps": 25, "duration": 6.5,'
        ' "width": 2, "height": 3, "file_size": 10, "mime_type": "video/mp4"}}]}\n'
    ),
}
FINDINGS = {
    # Unfixable findings the rewrite moves (MT303, decided by the scanner; a placeholder host, MT307).
    "http.json": '{"images": [{"objectUrl": "http://acme.example.com/a.jpg", "title": "a.jpg"}]}\n',
    "placeholder.json": '{"images": [{"objectUrl": "https://<bucket>.s3.amazonaws.com/a.jpg"}]}\n',
    # Safe fixes, and one that brings a finding: trimming makes two URLs equal (MT602).
    "fixed.json": '{"images": [{"objectUrl": " ' + URL + '/a.jpg"}, {"objectUrl": "' + URL + '/a.jpg"},]}\n',
    # A whole-file finding in a file the scanner certifies whole: two clouds (MT313).
    "two-clouds.json": (
        '{"images": [{"objectUrl": "' + URL + '/a.jpg"}, {"objectUrl": "https://storage.googleapis.com/acme/b.jpg"}]}\n'
    ),
    # Kinds the writer puts in another order, a group it writes one key per line: MT313 names the same URL.
    "reordered-kinds.json": (
        '{"videos": [{"objectUrl": "https://storage.googleapis.com/acme/v.mp4"}],\n'
        ' "image_groups": [{"title": "g", ' + FRAMES + "}],\n"
        ' "images": [{"objectUrl": "http://acme.example.com/a.jpg"}, {"objectUrl": "' + URL + '/b.jpg"}]}\n'
    ),
}
PLACED = {"http.json", "placeholder.json", "two-clouds.json", "reordered-kinds.json"}
"""No fix applies to these: the input's findings are placed in the written text, not linted again."""
FILES = {
    **{name: text.encode() for name, text in {**CLEAN, **FINDINGS}.items()},
    **{
        f"{p.parent.name}-{p.name}": p.read_bytes()
        for p in sorted(FIXTURES.rglob("*"))
        if p.suffix in (".json", ".csv")
    },
}
MODES = [[], ["--unsafe-fixes"], ["--select", "ALL"], ["--check"], ["--diff", "--unsafe-fixes"]]
SHORTCUT = "nothing remains (not linted again)"
PLACING = "what lint found in the input is placed in the text (not linted again)"


def _diagnostics(output: str) -> list[str]:
    """The diagnostic lines of a text report (file:line:column: code ...), and its notes."""
    return [line for line in output.splitlines() if re.match(r"\S+:\d+:\d+: MT\d+ ", line) or "note" in line.lower()]


@pytest.mark.parametrize("mode", MODES, ids=" ".join)
@pytest.mark.parametrize("name", sorted(FILES))
def test_what_fix_reports_as_remaining_is_what_lint_reports_of_the_file_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, mode: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    suffix = ".csv" if name.endswith(".csv") else ".json"
    (tmp_path / f"m{suffix}").write_bytes(FILES[name])
    shutil.copy(tmp_path / f"m{suffix}", tmp_path / f"before{suffix}")
    fixed = CliRunner().invoke(main, ["fix", "--isolated", "-v", *mode, f"m{suffix}"])
    assert fixed.exit_code in (0, 1), fixed.output
    selection = [word for word in mode if word in ("--select", "ALL")]
    linted = CliRunner().invoke(main, ["lint", "--isolated", *selection, f"m{suffix}"])
    assert linted.exit_code in (0, 1), linted.output
    assert _diagnostics(fixed.stdout if "--diff" not in mode else fixed.stderr) == _diagnostics(linted.stdout)
    if name in CLEAN:  # the shortcut was taken, and it is what lint says: nothing
        assert SHORTCUT in fixed.stderr, fixed.stderr
        assert linted.stdout.startswith("All checks passed"), linted.stdout
    if name in FINDINGS:
        assert SHORTCUT not in fixed.stderr, fixed.stderr
        assert _diagnostics(linted.stdout), linted.stdout  # findings remain: the test compares some
        placing = name in PLACED and not {"--check", "--diff"} & set(mode)  # those report the input as it is
        assert (PLACING in fixed.stderr) == placing, fixed.stderr
