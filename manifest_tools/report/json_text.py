"""``json.dumps(value, indent=2, ensure_ascii=False)``, the same text, several times faster.

With ``indent`` the standard library gives up its C encoder and yields every token
from nested Python generators: about 20 microseconds a diagnostic, 2 seconds for
100,000 findings in the JSON format and more in SARIF. Here a container of scalars
(a diagnostic's record) is one call of the C encoder with the separators of its
depth, any other container one loop appending to a list, and strings are escaped
by the C function the standard encoder itself calls, so the text is the same byte
for byte (the tests compare). ``writers/indented.py`` does the same for manifests,
with their rules (``allow_nan=False``, ASCII or not); reports keep json.dumps'
defaults and its handling of tuples, subclasses and keys that are not strings.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring  # the C escaper, as json.dumps uses

_ESCAPE: Callable[[str], str] = encode_basestring
_INDENT = "  "
_C_MAKE_ENCODER: Callable[..., Callable[[object, int], tuple[str, ...]]] | None = getattr(
    json.encoder, "c_make_encoder", None
)
_FLAT = frozenset({str, int, float, bool, type(None)})
"""Value types a container may hold and still be written by the C encoder in one call (a diagnostic's record)."""
_flat_encoders: dict[str, Callable[[object, int], tuple[str, ...]]] = {}


def dumps(value: object) -> str:
    """The text ``json.dumps(value, indent=2, ensure_ascii=False)`` gives (and its TypeError on what it cannot)."""
    out: list[str] = []
    _write(value, out, "\n")
    return "".join(out)


@dataclass(slots=True)
class Spliced:
    """A document whose one long array (a report's diagnostics) is kept as its items' texts: :meth:`text` joins
    them once, :meth:`chunks` gives the same text in pieces, so that 100 MB of SARIF is written without ever
    being one string (each copy of it costs 0.1-0.2 s of CPU, most of it the kernel's page faults)."""

    before: str
    items: list[str]
    separator: str
    after: str

    def text(self) -> str:
        """The whole text, in one join (the first and last items carry the opening and closing meanwhile)."""
        items = self.items
        if not items:
            return f"{self.before}{self.after}"
        first, last = items[0], items[-1]
        items[0] = f"{self.before}{items[0]}"
        items[-1] = f"{items[-1]}{self.after}"
        try:
            return self.separator.join(items)
        finally:
            items[0], items[-1] = first, last

    def chunks(self, size: int = 1024) -> Iterator[str]:
        """The text of :meth:`text`, in pieces of ``size`` items."""
        yield self.before
        items, separator = self.items, self.separator
        for start in range(0, len(items), size):
            piece = separator.join(items[start : start + size])
            yield f"{separator}{piece}" if start else piece
        yield self.after


def splice(text: str, marker: str, items: list[str], opening: str, separator: str, closing: str) -> Spliced:
    """``text`` with its first ``marker`` replaced by ``opening``, the ``items`` joined by ``separator``, and
    ``closing``, as a :class:`Spliced` (``items`` is the caller's no longer); no items: ``text`` as it is."""
    if not items:
        return Spliced(text, [], "", "")
    before, _, after = text.partition(marker)
    return Spliced(f"{before}{opening}", items, separator, f"{closing}{after}")


def _write(value: object, out: list[str], newline: str) -> None:
    kind = type(value)
    if kind is dict:
        _write_dict(value, out, newline)  # type: ignore[arg-type]
    elif kind is list or kind is tuple:
        _write_list(value, out, newline)  # type: ignore[arg-type]
    else:
        out.append(_leaf(value, out, newline))


def _leaf(value: object, out: list[str], newline: str) -> str:
    """The text of a scalar; a container (a subclass of dict or list) is written to ``out`` and gives ""."""
    kind = type(value)
    if kind is str:
        return _ESCAPE(value)  # type: ignore[arg-type]
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if isinstance(value, str):
        return _ESCAPE(value)
    if isinstance(value, dict):
        _write_dict(value, out, newline)
        return ""
    if isinstance(value, list | tuple):
        _write_list(value, out, newline)
        return ""
    return _scalar(value)


def _flat(value: dict[object, object] | list[object], inner: str) -> str | None:
    """A container of scalars written by the C encoder with the separators of its depth (None: it is not one).

    Compact, ``{"a": 1,<inner>"b": 2}``; the caller puts the line breaks inside the brackets.
    """
    if _C_MAKE_ENCODER is None:
        return None
    if type(value) is dict:
        if not all(type(key) is str for key in value) or not all(type(item) in _FLAT for item in value.values()):
            return None
    elif not all(type(item) in _FLAT for item in value):
        return None
    encode = _flat_encoders.get(inner)
    if encode is None:
        default = json.JSONEncoder().default
        encode = _C_MAKE_ENCODER(None, default, _ESCAPE, None, ": ", "," + inner, False, False, True)
        _flat_encoders[inner] = encode
    return "".join(encode(value, 0))


def _write_dict(value: dict[object, object], out: list[str], newline: str) -> None:
    if not value:
        out.append("{}")
        return
    inner = newline + _INDENT
    flat = _flat(value, inner)
    if flat is not None:
        out.append("{" + inner + flat[1:-1] + newline + "}")
        return
    before = "{" + inner
    for key, item in value.items():
        name = _ESCAPE(key if type(key) is str else _key(key))
        kind = type(item)
        if kind is str:
            out.append(f"{before}{name}: {_ESCAPE(item)}")  # type: ignore[arg-type]
        elif kind is int:
            out.append(f"{before}{name}: {int.__repr__(item)}")
        else:
            out.append(f"{before}{name}: ")
            out.append(_leaf(item, out, inner))
        before = "," + inner
    out.append(newline + "}")


def _write_list(value: list[object] | tuple[object, ...], out: list[str], newline: str) -> None:
    if not value:
        out.append("[]")
        return
    inner = newline + _INDENT
    flat = _flat(value, inner) if type(value) is list else None
    if flat is not None:
        out.append("[" + inner + flat[1:-1] + newline + "]")
        return
    before = "[" + inner
    for item in value:
        out.append(before)
        out.append(_leaf(item, out, inner))
        before = "," + inner
    out.append(newline + "]")


def _key(key: object) -> str:
    """A key that is no string, as json.dumps turns it into one."""
    return key if isinstance(key, str) else _scalar(key)


def _scalar(value: object) -> str:
    """A number, boolean or null as json.dumps writes it (its own one-value call: rare enough)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    return json.dumps(value)
