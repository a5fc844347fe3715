"""Helpers that several rule families use: a family imports these, never another family's module.

Keeping them here keeps each family a leaf (tests/architecture/test_layers.py checks it), so that a
family can be changed, or dropped, without reading the others.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from manifest_tools.kinds import file_extension

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
