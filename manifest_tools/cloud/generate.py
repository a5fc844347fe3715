"""``generate``: list a prefix, classify and group its objects, stream them into manifest parts.

Items are spooled to temporary files (one per kind and part, in a temporary
folder beside the target) as the listing arrives, so memory stays flat however
large the bucket; a part is closed when the next item would break the
platform's limits. Only when the listing has finished are the parts assembled
and renamed into place: a listing that fails leaves nothing behind and the
target untouched.
"""

from __future__ import annotations

import csv
import difflib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from manifest_tools.atomic import atomic_text_file, output_errors, output_target, staged_files
from manifest_tools.canonical import canonical_item
from manifest_tools.cloud.classify import Counts, Grouper, GroupingOptions, Skipped
from manifest_tools.conversion import ConversionRefused, Loss, csv_has_block, no_csv_block
from manifest_tools.errors import ConfigError, ManifestToolsError
from manifest_tools.kinds import (
    CSV_KINDS,
    KINDS,
    KINDS_BY_KEY,
    MAX_CSV_ENTRIES,
    MAX_ITEMS_PER_FILE,
    MAX_URLS_PER_FILE,
    OBJECT_URL,
    TITLE,
    Kind,
)
from manifest_tools.model import Item
from manifest_tools.providers import ListerOptions, Source, make_lister, parse_source
from manifest_tools.writers.csv import csv_header, formula_cells, item_rows
from manifest_tools.writers.json import encode_item

Progress = Callable[[Counts, float], None]

OUTPUT_SUFFIXES = (".json", ".csv")
"""What ``generate`` can write: the output's extension chooses the format."""


def check_generate_options(output: str | os.PathLike[str], url_base: str | None, kinds: Iterable[str]) -> None:
    """Refuse, before listing a bucket for minutes, options that could only give a wrong manifest (ConfigError)."""
    _check_output_suffix(output)
    if url_base is not None:
        _check_url_base(url_base)
    _check_kinds(kinds)


def check_choice(name: str, value: str, choices: Iterable[str]) -> None:
    """ConfigError for a value the CLI's choice would refuse (the library's callers get the same check)."""
    allowed = tuple(choices)
    if value not in allowed:
        raise ConfigError(f"{name} {value!r}: choose from {', '.join(allowed)}")


def _check_output_suffix(output: str | os.PathLike[str]) -> None:
    """JSON written into ``out.txt`` is skipped by every tool that goes by the extension, this one included."""
    shown = os.fspath(output)
    if Path(shown).suffix.lower() not in OUTPUT_SUFFIXES:
        raise ConfigError(f"{shown}: a manifest is written as .json or .csv (the extension chooses the format)")


def _check_url_base(url_base: str) -> None:
    """The platform registers https URLs; a query (a signature) joined before each key breaks every URL."""
    try:
        parts = urlsplit(url_base)
    except ValueError as error:
        raise ConfigError(f"--url-base {url_base!r}: not a URL ({error})") from None
    if parts.scheme.lower() != "https" or not parts.hostname:
        raise ConfigError(f"--url-base {url_base!r}: must be an absolute https URL (https://cdn.example.org/data)")
    if parts.query or parts.fragment or url_base.rstrip().endswith(("?", "#")):
        raise ConfigError(f"--url-base {url_base!r}: must have no query or fragment: the key is appended after it")


def _check_kinds(kinds: Iterable[str]) -> None:
    """A mistyped kind filters everything out, which would look like an empty bucket."""
    for kind in kinds:
        if kind not in KINDS_BY_KEY:
            close = difflib.get_close_matches(kind, list(KINDS_BY_KEY), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}? " if close else ""
            raise ConfigError(f"--kind {kind!r}: unknown kind: {hint}the kinds are {', '.join(KINDS_BY_KEY)}")


@dataclass(slots=True)
class GenerateResult:
    counts: Counts
    parts: list[Path] = field(default_factory=list)
    not_in_csv: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    filled: list[Any] = field(default_factory=list)
    """With ``metadata``: what filling each part's metadata blocks did (``cloud.fill.FillResult``)."""
    notes: list[tuple[Path, Loss]] = field(default_factory=list)
    """A CSV output's titles that start like a spreadsheet formula (written as they are, as ``convert``
    writes them and notes them): the part, and where in it."""


@dataclass(slots=True)
class _Part:
    folder: Path
    number: int
    items: int = 0
    urls: int = 0
    spools: dict[str, IO[str]] = field(default_factory=dict)
    kind_items: dict[str, int] = field(default_factory=dict)
    """Items of each kind spooled so far: the next one's index in the part."""

    def spool(self, kind: Kind) -> IO[str]:
        handle = self.spools.get(kind.key)
        if handle is None:
            path = self.folder / f"part-{self.number}-{kind.key}.spool"
            handle = self.spools[kind.key] = path.open("w+", encoding="utf-8", newline="\n")
        return handle


class _Spooler:
    """Distributes items over parts within the limits; assembles each part at the end."""

    def __init__(
        self,
        folder: Path,
        as_csv: bool,
        max_items: int,
        max_urls: int,
        output: str | os.PathLike[str],
        skipped: Skipped | None = None,
    ) -> None:
        self.folder, self.csv, self.max_items, self.max_urls = folder, as_csv, max_items, max_urls
        self.output = output  # what errors of writing the spools call the output
        self.skipped = skipped
        self.parts = [_Part(folder, 1)]
        self.not_in_csv: dict[str, int] = {}
        self.formulas: list[tuple[int, Loss]] = []
        """(part number, note) of each title that starts like a spreadsheet formula (CSV only)."""

    def add(self, kind: Kind, fields: dict[str, Any], urls: int) -> None:
        if self.csv and not csv_has_block(kind):
            self.not_in_csv[kind.key] = self.not_in_csv.get(kind.key, 0) + 1
            if self.skipped is not None:
                self.skipped(
                    str(fields.get(OBJECT_URL) or fields.get(TITLE, "")), f"{kind.key}, which CSV cannot carry"
                )
            return
        part = self.parts[-1]
        if part.items and (part.items + 1 > self.max_items or part.urls + urls > self.max_urls):
            part = _Part(self.folder, len(self.parts) + 1)
            self.parts.append(part)
        part.items += 1
        part.urls += urls
        with output_errors(self.output):
            self._spool(part, kind, fields)

    def _spool(self, part: _Part, kind: Kind, fields: dict[str, Any]) -> None:
        spool = part.spool(kind)
        index = part.kind_items[kind.key] = part.kind_items.get(kind.key, -1) + 1
        if self.csv:
            item = Item(kind, index, fields)
            self.formulas.extend((part.number, note) for note in formula_cells(item))
            csv.writer(spool, lineterminator="\n").writerows(item_rows(item))
        else:
            spool.write(encode_item(canonical_item(kind, fields), "", kind.multi_file) + "\n")

    def assemble(self, target: Path) -> list[Path]:
        """The target, or its parts written aside and moved in together (all of them or none)."""
        if len(self.parts) == 1:
            with atomic_text_file(target) as out:
                self._write_part(self.parts[0], out)
            return [target]
        with staged_files(target.parent, target.name) as stage:
            for part in self.parts:
                with stage.open(f"{target.stem}.part-{part.number:04d}{target.suffix}") as out:
                    self._write_part(part, out)
            return stage.commit()

    def _write_part(self, part: _Part, out: IO[str]) -> None:
        if self.csv:
            for kind in CSV_KINDS:
                spool = part.spools.get(kind.key)
                if spool is not None:
                    csv.writer(out, lineterminator="\n").writerow(csv_header(kind))
                    spool.seek(0)
                    shutil.copyfileobj(spool, out)
            return
        out.write("{")
        first = True
        for kind in KINDS:
            spool = part.spools.get(kind.key)
            if spool is None:
                continue
            out.write(("\n  " if first else ",\n  ") + f'"{kind.key}": [')
            first = False
            spool.seek(0)
            separator = "\n    "
            for line in spool:  # an item starts with "{"; a long group's further lines (encode_item) do not
                out.write((separator if line.startswith("{") else "\n") + line.rstrip("\n"))
                separator = ",\n    "
            out.write("\n  ]")
        out.write("\n}\n" if not first else "}\n")

    def close(self) -> None:
        for part in self.parts:
            for spool in part.spools.values():
                spool.close()


def _own_outputs(source: Source, target: Path) -> re.Pattern[str] | None:
    """The keys of a listed local folder that are this run's own output: the target, its parts,
    and the temporary files and spool folder beside it (``generate FOLDER -o FOLDER/m.json``, run twice)."""
    if source.provider != "local":
        return None
    try:
        folder = target.parent.relative_to(Path(source.bucket).resolve())
    except ValueError:
        return None  # the output is not inside the listed folder
    where = "" if folder == Path(".") else re.escape(folder.as_posix()) + "/"
    stem, suffix = re.escape(target.stem), re.escape(target.suffix)
    return re.compile(rf"{where}(?:{stem}(?:\.part-\d+)?{suffix}|\.{re.escape(target.name)}\..*)")


class NothingToRegister(ManifestToolsError):
    """The listing found no object that a manifest could register."""


def generate(
    source_text: str,
    output: str | os.PathLike[str],
    *,
    lister_options: ListerOptions | None = None,
    grouping: GroupingOptions | None = None,
    progress: Progress | None = None,
    on_skipped: Skipped | None = None,
    max_items: int = MAX_ITEMS_PER_FILE,
    max_urls: int | None = None,
    drop_unsupported: bool = False,
) -> GenerateResult:
    """List ``source_text`` and write a manifest (split into parts at the platform's limits) to ``output``.

    A CSV output refuses (ConversionRefused, nothing written) the kinds CSV cannot
    carry, as ``convert`` does, unless ``drop_unsupported``; they are counted either way.
    ``on_skipped`` is told of each object (or, for CSV, item) left out, and why.
    """
    target = output_target(output)
    source = parse_source(source_text)
    lister = make_lister(source, lister_options or ListerOptions())
    grouping = grouping or GroupingOptions()
    as_csv = Path(output).suffix.lower() == ".csv"
    limit_urls = max_urls if max_urls is not None else (MAX_CSV_ENTRIES if as_csv else MAX_URLS_PER_FILE)
    counts = Counts()
    started = time.perf_counter()
    root = source.bucket if source.provider != "local" else Path(source.bucket).name
    grouper = Grouper(grouping, lister.url, source.prefix, counts, root_title=root, skipped=on_skipped)
    own = _own_outputs(source, target)
    with output_errors(output):  # the spool folder beside the target: a read-only or full disk shows here
        folder = tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        spooler = _Spooler(Path(folder), as_csv, max_items, limit_urls, output, on_skipped)
        try:
            for info in lister.objects():
                if own is not None and own.fullmatch(info.key):
                    continue
                for kind, fields in grouper.feed(info):
                    spooler.add(kind, fields, Item(kind, 0, fields).url_count())
                if progress is not None and counts.listed % 1000 == 0:
                    progress(counts, time.perf_counter() - started)
            for kind, fields in grouper.finish():
                spooler.add(kind, fields, Item(kind, 0, fields).url_count())
            if spooler.not_in_csv and not drop_unsupported:
                raise ConversionRefused(
                    "csv",
                    [
                        Loss("", f"{no_csv_block(KINDS_BY_KEY[key])} ({n:,} listed): write JSON instead")
                        for key, n in spooler.not_in_csv.items()
                    ],
                    things=sum(spooler.not_in_csv.values()),
                )
            if not spooler.parts[0].items:
                not_in_csv = ", ".join(f"{n:,} {kind}" for kind, n in spooler.not_in_csv.items())
                why = f"; CSV cannot carry {not_in_csv}: write JSON instead" if not_in_csv else ""
                raise NothingToRegister(
                    f"{source.describe()}: nothing to register ({counts.listed:,} objects listed,"
                    f" {counts.skipped_unknown:,} of unknown type, {counts.skipped_filtered:,} filtered out{why})"
                )
            paths = spooler.assemble(target)
        finally:
            spooler.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    notes = [(paths[number - 1], note) for number, note in spooler.formulas]
    return GenerateResult(counts, paths, spooler.not_in_csv, time.perf_counter() - started, notes=notes)
