"""Types of the native manifest scanner (``_scan.c``); see ``manifest_tools/native.py``."""

def configure(
    kinds: tuple[tuple[object, ...], ...],
    extensions: tuple[bytes, ...],
    mime_types: tuple[tuple[bytes, ...], ...],
    browser_limited: int,
    placeholder_hints: tuple[bytes, ...],
    limits: tuple[int, int, int, int],
) -> None: ...
def scan(
    data: bytes,
) -> tuple[list[tuple[int, int, int, bytes, bytes, bytes, bytes, bytes, bytes]], list[str], int] | str: ...
