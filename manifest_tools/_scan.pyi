"""Types of the native manifest scanner (``_scan.c``); see ``manifest_tools/native.py``."""

from collections.abc import Callable

def configure(
    kinds: tuple[tuple[object, ...], ...],
    extensions: tuple[bytes, ...],
    mime_types: tuple[tuple[bytes, ...], ...],
    browser_limited: int,
    url_hints: tuple[bytes, ...],
    text_hints: tuple[bytes, ...],
    limits: tuple[int, int, int, int],
    names: tuple[bytes, ...],
    url_prefix: bytes,
    host_chars: bytes,
    path_chars: bytes,
    flagged_schemes: tuple[bytes, ...],
) -> None: ...
def scan(
    data: bytes,
    host_ok: Callable[[str], bool] | None = None,
    browser_limited_uncertified: bool = False,
) -> (
    tuple[
        list[tuple[int, int, int, bytes, bytes, bytes, bytes, bytes, bytes]],
        list[tuple[int, int, int, str]],
        int,
        tuple[tuple[int, int], tuple[int, int], tuple[int, int]],
        list[tuple[int, int, int, int]],
        list[tuple[int, int, int, str, tuple[int, int, int, int], str]],
    ]
    | str
): ...
def strict_json(data: bytes | str, start: int, max_depth: int, max_int_digits: int) -> bool: ...
