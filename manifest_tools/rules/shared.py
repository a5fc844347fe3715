"""Helpers that several rule families use: a family imports these, never another family's module.

Keeping them here keeps each family a leaf (tests/architecture/test_layers.py checks it), so that a
family can be changed, or dropped, without reading the others.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from manifest_tools.kinds import file_extension
from manifest_tools.model import UrlColumn

_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}


def json_type(value: Any) -> str:
    """How a value's JSON type reads in a message."""
    return _JSON_TYPES.get(type(value), "a number")


def article(noun: str) -> str:
    """``noun`` with "a" or "an" in front."""
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def url_extension(url: str) -> str:
    """The extension of the file a URL names (query and fragment ignored)."""
    head, _, extension = url.rpartition(".")
    # the common case in C-speed tests: letters and digits after a dot that does not start the name
    if extension.isalnum() and extension.isascii() and head and head[-1] != "/" and "?" not in url and "#" not in url:
        extension = extension.lower()
        if extension != "gz":
            return extension
    if "?" in url or "#" in url:
        url = url.split("?", 1)[0].split("#", 1)[0]
    name = url[url.rfind("/") + 1 :]
    return file_extension(unquote(name) if "%" in name else name)


def plain_url_extensions(urls: list[str]) -> list[str] | None:
    """Each URL's :func:`url_extension`, in order, when that function takes its quick branch for every one
    (https URLs, ASCII letters and digits after a last dot that does not start a name, no query or
    fragment, no line break), as C-speed scans of the joined text show; else None (look one by one). An
    ``http://`` URL (MT303's finding, not a file type's) has its extension read the same way."""
    joined = "\n" + "\n".join(urls)
    secure = joined.count("\nhttps://")
    if (
        joined.count("\n") != len(urls)
        or (secure != len(urls) and secure + joined.count("\nhttp://") != len(urls))  # a name after the scheme
        or "?" in joined
        or "#" in joined
        or "/." in joined
    ):
        return None
    extensions = [url.rpartition(".")[2] for url in urls]
    found = set(extensions)
    if not all(extension.isalnum() and extension.isascii() for extension in found):
        return None
    lowered = {extension.lower() for extension in found}
    if "gz" in lowered:  # .tar.gz: the slow branch names the double extension
        return None
    return extensions if lowered == found else list(map(str.lower, extensions))


_EXTENSION_CHUNK = 4096


def column_extensions(column: UrlColumn) -> list[str] | None:
    """:func:`plain_url_extensions` of a kind's URLs, found once and shared by the rules that read them (file
    types, metadata's MIME types); None when any URL is no string or not plain. Found a chunk at a time, each
    chunk's equal extensions made one string, so the list costs a pointer per URL, not a string."""
    memo = column.memo
    if "extensions" not in memo:
        memo["extensions"] = _shared_extensions(column.urls)
    extensions: list[str] | None = memo["extensions"]
    return extensions


def _shared_extensions(urls: list[Any]) -> list[str] | None:
    if not urls or set(map(type, urls)) != {str}:
        return None
    found: list[str] = []
    for start in range(0, len(urls), _EXTENSION_CHUNK):
        chunk = plain_url_extensions(urls[start : start + _EXTENSION_CHUNK])
        if chunk is None:
            return None
        one = {extension: extension for extension in set(chunk)}
        found.extend(map(one.__getitem__, chunk))
    return found
