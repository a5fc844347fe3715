"""Write manifests as canonical multi-header CSV (spec section 2).

One block per kind in ``CSV_KINDS`` order; every image-group row says its Create
video explicitly; a missing title is a blank cell. Titles that a spreadsheet
would run as a formula are neutralised, and each is reported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from manifest_tools.kinds import CREATE_VIDEO, CSV_KINDS, CSV_TITLE_HEADING, IMAGE_GROUPS, OBJECT_URL, TITLE
from manifest_tools.model import Item

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(slots=True)
class CsvText:
    text: str
    neutralised: list[tuple[str, str]] = field(default_factory=list)
    """(JSON pointer, original title) of every title prefixed with an apostrophe."""


def _cell(title: Any, pointer: str, neutralised: list[tuple[str, str]] | None) -> str:
    if not isinstance(title, str):
        return ""
    if neutralised is not None and title.startswith(FORMULA_PREFIXES):
        neutralised.append((pointer, title))
        return "'" + title
    return title


def csv_rows(data: dict[str, Any], neutralised: list[tuple[str, str]] | None) -> Iterator[list[str]]:
    """Header and data rows of every block; ``neutralised`` None keeps formula-like titles as they are."""
    for kind in CSV_KINDS:
        values = data.get(kind.key)
        items = [Item(kind, i, v) for i, v in enumerate(values or []) if isinstance(v, dict)]
        if not items:
            continue
        header = ["ObjectUrl", CSV_TITLE_HEADING[kind.key]]
        if kind is IMAGE_GROUPS:
            header.append("Create video")
        yield header
        for item in items:
            title = _cell(item.fields.get(TITLE), item.pointer + "/" + TITLE, neutralised)
            if kind.multi_file:
                create_video = "true" if item.fields.get(CREATE_VIDEO) is True else "false"
                for _, url in item.url_fields():
                    yield [str(url), title, create_video] if kind is IMAGE_GROUPS else [str(url), title]
            else:
                yield [str(item.fields.get(OBJECT_URL, "")), title]


def dumps_csv(data: dict[str, Any], *, neutralise: bool = True) -> CsvText:
    """Canonical CSV text for the parts of ``data`` CSV can carry (see ``conversion.unsupported_in_csv``).

    ``neutralise`` prefixes titles a spreadsheet would run as formulas with an
    apostrophe (for conversions); ``fix`` keeps a CSV's titles as the user wrote them.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    neutralised: list[tuple[str, str]] = []
    writer.writerows(csv_rows(data, neutralised if neutralise else None))
    return CsvText(buffer.getvalue(), neutralised)
