"""split's parts are pieces of the source: they end their lines as it does (CRLF in, CRLF out, as ``fix`` keeps
a file's), and differ from the parts of the same manifest with LF ends in nothing else. The library's
``split`` acts as the CLI (it wrote LF parts of a CRLF file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from manifest_tools import api
from manifest_tools.cli import main
from manifest_tools.splitting import Limits

URL = "https://b.s3.eu-west-2.amazonaws.com"
CSV = "ObjectUrl,Image title\n" + "".join(f"{URL}/{n}.jpg,image {n}\n" for n in range(5))
JSON = '{\n  "images": [\n' + ",\n".join(f'    {{"objectUrl": "{URL}/{n}.jpg"}}' for n in range(5)) + "\n  ]\n}\n"
FIXTURES = Path(__file__).parents[2] / "fixtures" / "valid"

CASES = {  # the source's name and LF text
    "CSV": ("m.csv", CSV),
    "JSON": ("m.json", JSON),
    "a fixture's CSV": ("four-blocks.csv", (FIXTURES / "four-blocks.csv").read_text(encoding="utf-8")),
    "a fixture's JSON": ("gcp-images.json", (FIXTURES / "gcp-images.json").read_text(encoding="utf-8")),
}


def _parts(folder: Path, name: str, text: str, newline: str, via: str) -> list[bytes]:
    folder.mkdir()
    data = text.replace("\n", newline).encode("utf-8")
    if via == "library":
        (folder / name).write_bytes(data)
        api.split(folder / name, Limits(max_items=1))
        return [part.read_bytes() for part in sorted(folder.glob("*.part-*"))]
    if via == "stdin":
        args, given = ["-", "--stdin-filename", str(folder / name)], data
    else:
        (folder / name).write_bytes(data)
        args, given = [str(folder / name)], None
    result = CliRunner().invoke(main, ["split", *args, "--max-items", "1"], input=given, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    parts = sorted(folder.glob("*.part-*"))
    assert len(parts) >= 2
    return [part.read_bytes() for part in parts]


@pytest.mark.parametrize("via", ["file", "stdin", "library"])
@pytest.mark.parametrize(("name", "text"), CASES.values(), ids=CASES.keys())
def test_parts_keep_the_sources_line_ending(tmp_path: Path, name: str, text: str, via: str) -> None:
    lf = _parts(tmp_path / "lf", name, text, "\n", via)
    crlf = _parts(tmp_path / "crlf", name, text, "\r\n", via)
    assert all(b"\r" not in part for part in lf)
    assert all(part.count(b"\n") == part.count(b"\r\n") > 0 for part in crlf), "every line ends CRLF"
    assert [part.replace(b"\r\n", b"\n") for part in crlf] == lf, "and nothing else differs"
