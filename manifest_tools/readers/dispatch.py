"""Which reader a manifest goes to, and reading one from a path.

The one place that turns a name and bytes (or a file) into a Manifest: the library
API, ``generate --metadata`` (``cloud/fill.py``) and the CLI all read through here,
so format detection is written once and no verb needs the API layer to read a file.
"""

from __future__ import annotations

import os
from pathlib import Path

from manifest_tools.errors import SourceError
from manifest_tools.model import Format, Manifest
from manifest_tools.readers.json import read_json
from manifest_tools.readers.text import DecodedText, decode_utf8, read_text_again


def detect_format(name: str, data: bytes | str | DecodedText) -> Format:
    """By the file name's extension, else by the first character (``{`` or ``[`` means JSON)."""
    lowered = name.lower()
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith(".csv"):
        return "csv"
    if isinstance(data, DecodedText):
        data = data.text
    if isinstance(data, bytes):
        first = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:1].decode("latin-1")
    else:
        first = data[:64].lstrip("\ufeff \t\r\n")[:1]
    return "json" if first in ("{", "[", "") else "csv"


def parse(name: str, data: bytes | str | DecodedText, format: Format | None = None) -> Manifest:
    """Build a Manifest from bytes or text; ``name`` is what diagnostics call the file."""
    chosen = format or detect_format(name, data)
    if chosen == "json":
        return read_json(name, data)
    from manifest_tools.readers.csv import read_csv  # here: a JSON lint's start need not load the CSV reader

    return read_csv(name, data)


def parse_path(path: str | os.PathLike[str], format: Format | None = None, name: str | None = None) -> Manifest:
    """Read and parse a manifest file, holding as little as possible while parsing.

    The raw bytes are freed before parsing, and a JSON file's text is dropped after
    it (and read again only if a diagnostic needs a position).
    """
    return parse_read(path, [read_source(path)], format, name)


def parse_read(
    path: str | os.PathLike[str], read: list[bytes], format: Format | None = None, name: str | None = None
) -> Manifest:
    """As :func:`parse_path`, of the bytes a caller already read from ``path``: handed over as the one
    element of ``read``, which this empties, so that they are freed once decoded (not read twice)."""
    decoded = decode_utf8(read.pop())
    chosen = format or detect_format(os.fspath(path), decoded)
    if chosen == "csv":
        from manifest_tools.readers.csv import read_csv

        return read_csv(name or os.fspath(path), decoded)
    if not can_read_again(path):  # a pipe's text, once read, is all there is: keep it for positions
        return read_json(name or os.fspath(path), decoded)
    return read_json(
        name or os.fspath(path),
        decoded,
        reload=lambda: read_text_again(path),
        reload_whole=lambda: read_text_again(path, whole=True),
    )


def can_read_again(path: str | os.PathLike[str]) -> bool:
    """Whether reading ``path`` again gives the same bytes: a regular file (a symlink to one too), not a
    pipe, FIFO or ``/dev/stdin``, whose second read finds nothing. Only then may a reader drop what it
    read and read the file again when a position or a comparison needs it, and ``fix`` write it back
    (``/dev/stdin < a.json`` is a stream given to the command, not a.json, which its link resolves to)."""
    return os.path.isfile(path) and not _names_a_descriptor(os.fspath(path))


def _names_a_descriptor(path: str) -> bool:
    """Whether ``path`` reaches its file through an open descriptor's link (``/dev/stdin``, ``/dev/fd/N``,
    ``/proc/self/fd/N``)."""
    current = os.path.abspath(path)
    for _ in range(40):  # as the kernel's limit on links followed
        parts = Path(current).parts
        if parts[1:3] == ("dev", "fd") or (parts[1:2] == ("proc",) and parts[3:4] == ("fd",)):
            return True
        if not os.path.islink(current):
            return False
        current = os.path.normpath(os.path.join(os.path.dirname(current), os.readlink(current)))
    return False


def read_decoded(path: str | os.PathLike[str]) -> DecodedText:
    """The decoded text of a manifest file; the bytes live only inside this call."""
    return decode_utf8(read_source(path))


def read_source(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a manifest file, or a SourceError whose text a user can act on."""
    if not os.fspath(path):  # Path("") is the working folder: the error said ": is a folder"
        raise SourceError("'': an empty path names no file")
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{os.fspath(path)}: no such file") from None
    except OSError as error:  # in the words a write uses (``is a folder``, ``permission denied``)
        from manifest_tools.atomic import reason

        said = reason(error) if isinstance(error, IsADirectoryError) else f"cannot read: {reason(error)}"
        raise SourceError(f"{os.fspath(path)}: {said}") from None
