"""A small, flat exception hierarchy: everything the library raises on purpose."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from manifest_tools.report.diagnostic import Diagnostic


class ManifestToolsError(Exception):
    """Base class of every error manifest-tools raises on purpose."""


class SourceError(ManifestToolsError):
    """A manifest could not be read at all (missing file, unreadable, unknown format)."""


class CannotVerify(SourceError):
    """``verify`` cannot check any URL of a store: the provider's extra is not installed, or there are no
    usable credentials. The run stops with one line, not a finding per folder."""


class ConfigError(ManifestToolsError):
    """The [tool.manifest-tools] settings or command-line options are invalid."""


class OutputError(ManifestToolsError):
    """An output cannot be written: its folder is missing, the disk is full, or it is not a regular file."""


class ManifestErrors(ManifestToolsError):
    """Raised by ``Report.raise_for_errors()``: the manifest has errors; the text lists the first."""

    def __init__(self, errors: Sequence[Diagnostic], *, show: int = 10) -> None:
        self.errors = list(errors)
        lines = [f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}" for d in self.errors[:show]]
        more = len(self.errors) - show
        if more > 0:
            lines.append(f"... and {more} more")
        noun = "error" if len(self.errors) == 1 else "errors"
        super().__init__(f"{len(self.errors)} {noun} in the manifest:\n" + "\n".join(lines))


class NotRewritable(ManifestErrors):
    """Reading the manifest needed a guess (``errors`` lists where): writing it in another shape would
    turn the guess into data, so fix, convert and split refuse; verify refuses too, as the URLs it would
    check are a guess (or none, for a file that is no manifest)."""


class NonFiniteNumber(ManifestToolsError):
    """A number strict JSON cannot hold (NaN, Infinity, or one that overflowed) was about to be written."""

    def __init__(self, pointer: str) -> None:
        self.pointer = pointer
        super().__init__(
            f"{pointer or 'the manifest'} holds a number that is not finite (NaN or infinity, e.g. an overflowed"
            " 1e400): strict JSON cannot carry it and the platform cannot store it; write the real value first"
        )


class UnencodableText(ManifestToolsError):
    """Text with a lone surrogate (a JSON escape such as \\udc00 without its pair) was about to be
    written where no escape exists: UTF-8 cannot encode it (CSV)."""

    def __init__(self, pointer: str) -> None:
        self.pointer = pointer
        super().__init__(
            f"{pointer} holds a lone surrogate (an escape such as \\udc00 without its pair): a UTF-8 CSV file"
            " cannot carry it; replace it with the character meant"
        )
