"""``upload-report``: a job's failures at the failed items' lines, and a manifest of only those items.

The job result is the SDK's ``UploadLongPollingState`` as JSON: its ``to_dict()`` form
(camelCase keys) or the attribute names (snake_case), so that a result saved either way
reads. The SDK itself is not needed to read it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from manifest_tools.atomic import atomic_text_file, same_file
from manifest_tools.codes import Code
from manifest_tools.errors import OutputError, SourceError
from manifest_tools.losses import Loss
from manifest_tools.model import Item, Manifest
from manifest_tools.report.diagnostic import Finding
from manifest_tools.report.report import Report
from manifest_tools.splitting import Part, part_data
from manifest_tools.writers.csv import formula_notes, write_csv
from manifest_tools.writers.json import write_json

DONE, PENDING = "DONE", "PENDING"
"""Statuses of ``encord.orm.dataset.LongPollingStatus`` (also ERROR and CANCELLED)."""


@dataclass(frozen=True, slots=True)
class UnitError:
    """One failed unit of a job (``DataUnitError``): a video, an image, or a group's frames."""

    object_urls: tuple[str, ...]
    error: str
    action: str
    subtask: str


@dataclass(frozen=True, slots=True)
class JobResult:
    """What matters of an ``UploadLongPollingState`` to map failures back to a manifest."""

    status: str
    unit_errors: tuple[UnitError, ...] = ()
    errors: tuple[str, ...] = ()
    units_done: int = 0
    units_error: int = 0
    units_pending: int = 0
    units_cancelled: int = 0


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(word.capitalize() for word in rest)


def sdk_field(data: dict[str, Any], snake: str, default: Any = None) -> Any:
    """A field in the SDK's alias spelling (camelCase, what ``to_dict()`` writes) or its attribute name."""
    return data.get(_camel(snake), data.get(snake, default))


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _count(data: dict[str, Any], snake: str) -> int:
    value = sdk_field(data, snake, 0)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def job_result(data: Any, name: str = "<result>") -> JobResult:
    """Read a job result from its parsed JSON; SourceError when it is not one."""
    status = sdk_field(data, "status") if isinstance(data, dict) else None
    if not isinstance(status, str):
        raise SourceError(f"{name}: not an upload job result (UploadLongPollingState): no status")
    units = []
    for unit in sdk_field(data, "unit_errors", []) or []:
        if isinstance(unit, dict):
            units.append(
                UnitError(
                    _strings(sdk_field(unit, "object_urls")),
                    str(sdk_field(unit, "error", "")),
                    str(sdk_field(unit, "action_description", "")),
                    str(sdk_field(unit, "subtask_uuid", "")),
                )
            )
    return JobResult(
        status=status.upper(),
        unit_errors=tuple(units),
        errors=_strings(sdk_field(data, "errors")),
        units_done=_count(data, "units_done_count"),
        units_error=_count(data, "units_error_count"),
        units_pending=_count(data, "units_pending_count"),
        units_cancelled=_count(data, "units_cancelled_count"),
    )


def load_job_result(path: str | os.PathLike[str]) -> JobResult:
    """Read a job result saved as JSON (``json.dump(state.to_dict(), file)``)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(f"{os.fspath(path)}: no such file") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise SourceError(f"{os.fspath(path)}: not readable as JSON: {error}") from None
    return job_result(data, os.fspath(path))


def url_match_key(url: str) -> str:
    """URLs compare by their decoded form: the platform may report a key encoded differently."""
    return unquote(url.strip())


@dataclass(slots=True)
class FailureMap:
    """Findings about a job's failures, and the failed items in manifest order."""

    findings: list[Finding] = field(default_factory=list)
    failed: list[Item] = field(default_factory=list)


def url_index(manifest: Manifest) -> dict[str, list[tuple[Item, str]]]:
    """(item, URL field) for every string URL, by :func:`url_match_key`."""
    index: dict[str, list[tuple[Item, str]]] = {}
    for item, name, url in manifest.urls():
        if isinstance(url, str):
            index.setdefault(url_match_key(url), []).append((item, name))
    return index


def map_failures(manifest: Manifest, results: Iterable[JobResult]) -> FailureMap:
    """MT911 at each failed item (at its first failed URL), MT912 for failed URLs the manifest does not
    hold, MT913 for jobs that did not finish DONE or count failures they do not name."""
    index = url_index(manifest)
    mapped = FailureMap()
    failed: dict[str, Item] = {}
    for result in results:
        for unit in result.unit_errors:
            _map_unit(unit, index, mapped, failed)
        _check_complete(result, mapped)
    order = {item.pointer: number for number, item in enumerate(manifest.items())}
    mapped.failed = sorted(failed.values(), key=lambda item: order[item.pointer])
    return mapped


def _map_unit(
    unit: UnitError, index: dict[str, list[tuple[Item, str]]], mapped: FailureMap, failed: dict[str, Item]
) -> None:
    reported: set[str] = set()
    what = f"{unit.action}: {unit.error}" if unit.action else unit.error
    support = f" (subtask {unit.subtask} for Encord support)" if unit.subtask else ""
    for url in unit.object_urls:
        places = index.get(url_match_key(url))
        if not places:
            mapped.findings.append(
                Finding(Code.MT912, f"the job reports {url} as failed ({what}) but the manifest holds no such URL", "")
            )
            continue
        for item, name in places:
            failed[item.pointer] = item
            if item.pointer not in reported:
                reported.add(item.pointer)
                mapped.findings.append(Finding(Code.MT911, f"upload failed: {what}{support}", f"{item.pointer}/{name}"))


def _check_complete(result: JobResult, mapped: FailureMap) -> None:
    counts = (
        f"{result.units_done:,} units done, {result.units_error:,} failed,"
        f" {result.units_cancelled:,} cancelled, {result.units_pending:,} pending"
    )
    if result.status != DONE:
        mapped.findings.append(
            Finding(
                Code.MT913,
                f"the job ended {result.status} ({counts}): which items are missing is unknown; upload the"
                ' manifest again with "skip_duplicate_urls": true',
                "",
            )
        )
    elif result.units_error > len(result.unit_errors):
        mapped.findings.append(
            Finding(
                Code.MT913,
                f"the job counts {result.units_error:,} failed units but names {len(result.unit_errors):,}"
                f' ({counts}); upload the manifest again with "skip_duplicate_urls": true',
                "",
            )
        )


def write_retry_manifest(manifest: Manifest, items: list[Item], path: str | os.PathLike[str]) -> list[Loss]:
    """A manifest of only ``items`` (groups whole, the flags kept), canonical, replaced atomically;
    CSV when ``path`` ends in .csv, else JSON. Returns a CSV's formula notes (pointers into what was written)."""
    if same_file(manifest.path, path):
        raise OutputError(f"{os.fspath(path)} is the manifest itself: write the retry manifest to another file")
    data = part_data(manifest, Part(1, items))
    as_csv = os.fspath(path).lower().endswith(".csv")
    with atomic_text_file(path) as out:
        if as_csv:
            write_csv(data, out)
        else:
            write_json(data, out)
    return formula_notes(data) if as_csv else []


@dataclass(slots=True)
class UploadReport:
    """The diagnostics of one or more job results against a manifest, and the items that failed."""

    report: Report
    failed: list[Item]
    manifest: Manifest

    def write_retry(self, path: str | os.PathLike[str]) -> list[Loss]:
        """Write the retry manifest: the failed items only (see :func:`write_retry_manifest`); a CSV's
        formula notes."""
        return write_retry_manifest(self.manifest, self.failed, path)


def report_results(manifest: Manifest, results: Iterable[JobResult]) -> UploadReport:
    """Locate every failure of ``results`` in ``manifest``."""
    from manifest_tools.rules.engine import locate_findings

    mapped = map_failures(manifest, results)
    diagnostics = sorted(locate_findings(manifest, mapped.findings), key=lambda d: d.sort_key())
    report = Report(diagnostics, [manifest.path])
    if mapped.failed:
        noun = "item" if len(mapped.failed) == 1 else "items"
        report.notes.append(f"{len(mapped.failed):,} {noun} failed; --retry-out writes a manifest of only those")
    return UploadReport(report, mapped.failed, manifest)


def upload_report(
    result: str | os.PathLike[str] | dict[str, Any], manifest: str | os.PathLike[str] | Manifest
) -> UploadReport:
    """The library call of ``upload-report``: a saved job result (a path, or its ``to_dict()``) against the
    manifest that was uploaded (a path or a loaded Manifest)."""
    from manifest_tools.api import parse_path

    job = job_result(result) if isinstance(result, dict) else load_job_result(result)
    loaded = manifest if isinstance(manifest, Manifest) else parse_path(manifest)
    return report_results(loaded, [job])
