"""``upload``: lint, split, start one job per part with the ``encord`` SDK, poll, report; resumable.

Each step is recorded in the state file (``state.py``) before the next begins, so running
the same upload again skips parts that are done, polls jobs that are running and never
starts a part's job twice. Credentials are the SDK's own (``ENCORD_SSH_KEY`` or
``ENCORD_SSH_KEY_FILE``); nothing here reads or shows them.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from manifest_tools.errors import ConfigError
from manifest_tools.model import Manifest
from manifest_tools.report.report import Report
from manifest_tools.splitting import PRESETS, Limits, plan, write_parts
from manifest_tools.uploads.results import PENDING, UploadReport, job_result, report_results
from manifest_tools.uploads.state import (
    PartState,
    UploadError,
    UploadState,
    check_resumable,
    file_digest,
    load_state,
    parts_folder,
    state_path,
)
from manifest_tools.wording import plural


@dataclass(frozen=True, slots=True)
class UploadOptions:
    """How to upload: where to, in which parts, how often to save the state, and what to retry."""

    integration: str | None = None
    domain: str | None = None
    """The platform's API (the SDK's default when None: https://api.encord.com)."""
    preset: str = "recommended"
    """The split preset (``splitting.PRESETS``) for the manifest's format."""
    limits: Limits = field(default_factory=Limits)
    """Limits per part on top of the preset (the stricter wins)."""
    poll_seconds: int = 60
    """How long one poll may wait for the job; the state file is updated after each."""
    resend_unconfirmed: bool = False
    """Start again a part whose start request was interrupted (it may have been sent: see the README)."""
    enabled: frozenset[str] | None = None
    """The lint rules that must pass first (``api.selection``); the default rules when None."""
    max_retries: int | None = None
    backoff_factor: float | None = None
    """The SDK's retries of throttled or failed requests (its RequestsSettings; its defaults when None)."""


@dataclass(slots=True)
class UploadResult:
    """The lint report, the failures of every part at their lines, and where the state is."""

    lint: Report
    outcome: UploadReport
    state: UploadState
    state_file: Path
    sent: list[int] = field(default_factory=list)
    """Numbers of the parts whose job this run started."""


Progress = Callable[[str], None]


def upload(
    manifest_path: str | os.PathLike[str],
    folder: str,
    options: UploadOptions | None = None,
    progress: Progress | None = None,
) -> UploadResult:
    """Upload ``manifest_path`` into the storage folder ``folder``; raises ManifestErrors when lint finds
    errors (nothing is sent) and UploadError when the platform stops the upload (the state is kept)."""
    from manifest_tools import api

    options = options or UploadOptions()
    _check_options(folder, options)
    say = progress or (lambda message: None)
    enabled = options.enabled if options.enabled is not None else api.selection()
    lint = api.lint_file(manifest_path, enabled)
    lint.raise_for_errors()
    manifest = api.parse_path(manifest_path)
    path = state_path(manifest_path)
    state = _resumed(manifest, path, folder, options)
    finished = state is not None and all(part.status == "done" for part in state.parts)
    # the key and the folder before any part is written: a run that cannot start leaves nothing to resume
    storage_folder = None if finished else _storage_folder(folder, options, resumable=state is not None)
    if state is None:
        state = _planned(manifest, path, folder, options)
    sent: list[int] = []
    for part in state.parts:
        _advance(part, storage_folder, state, path, options, say, sent)
    results = [job_result(part.result, part.file) for part in state.parts if part.result is not None]
    return UploadResult(lint, report_results(manifest, results), state, path, sent)


def _check_options(folder: str, options: UploadOptions) -> None:
    """ConfigError, before anything is read or written, for a folder or integration that is not a UUID (the
    platform would refuse it only after the parts and the state file are written) or an unknown preset."""
    for what, value in (("storage folder", folder), ("integration", options.integration)):
        if value is None:
            continue
        try:
            UUID(value)
        except (ValueError, TypeError, AttributeError):
            raise ConfigError(
                f"the {what} {value!r} is not a UUID (such as 00000000-0000-0000-0000-000000000000):"
                " copy its id from the platform"
            ) from None
    if options.preset not in PRESETS:
        raise ConfigError(f"unknown preset {options.preset!r} (choose from {', '.join(PRESETS)})")


def _resumed(manifest: Manifest, path: Path, folder: str, options: UploadOptions) -> UploadState | None:
    """The state of an earlier run of this upload, checked to be of this manifest and folder; None if none."""
    state = load_state(path)
    if state is not None:
        check_resumable(state, path, file_digest(manifest.path), folder, options.integration)
    return state


def _planned(manifest: Manifest, path: Path, folder: str, options: UploadOptions) -> UploadState:
    """The parts written and the state file saved for a first run."""
    digest = file_digest(manifest.path)
    planned = plan(manifest, PRESETS[options.preset][manifest.format].merged(options.limits))
    out = parts_folder(manifest.path)
    out.mkdir(exist_ok=True)
    # The SDK reads JSON only. With no state file, parts in the folder are an abandoned attempt's: replaced.
    files = list(write_parts(manifest, planned, suffix=".json", output_dir=str(out), replace=True))
    state = UploadState(
        manifest=os.path.basename(manifest.path),
        manifest_sha256=digest,
        folder=folder,
        integration=options.integration,
        parts=[
            PartState(part.number, os.path.relpath(file, path.parent), len(part.items))
            for part, file in zip(planned, files, strict=True)
        ],
    )
    state.save(path)
    return state


def _sdk_errors() -> tuple[type[BaseException], tuple[type[BaseException], ...]]:
    """(errors after which the request surely did nothing, errors after which it may have)."""
    import requests
    from encord.exceptions import EncordException, RequestException

    return EncordException, (RequestException, requests.exceptions.RequestException)


def _storage_folder(folder: str, options: UploadOptions, *, resumable: bool = True) -> Any:
    """The SDK's StorageFolder, with the client built from the SDK's own environment settings (``resumable``:
    a state file is there to resume from)."""
    try:
        with warnings.catch_warnings():  # the SDK's models warn about pydantic deprecations on import
            warnings.simplefilter("ignore")
            from encord.user_client import EncordUserClient
    except ImportError:
        raise UploadError("upload needs the encord SDK: pip install 'manifest-tools[encord]'") from None
    refused, _ = _sdk_errors()
    from encord.http.constants import RequestsSettings

    settings = RequestsSettings()
    if options.max_retries is not None:
        settings.max_retries = options.max_retries
    if options.backoff_factor is not None:
        settings.backoff_factor = options.backoff_factor
    extra = {"domain": options.domain} if options.domain else {}
    try:
        client = EncordUserClient.create_with_ssh_private_key(requests_settings=settings, **extra)
        return client.get_storage_folder(folder)
    except (refused, ValueError, OSError) as error:
        raise UploadError(f"cannot open storage folder {folder}: {_reason(error)}", resumable=resumable) from None


def _reason(error: BaseException) -> str:
    """The SDK's message without its stack (and never a credential: the SDK's messages hold none)."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _advance(
    part: PartState,
    storage_folder: Any,
    state: UploadState,
    path: Path,
    options: UploadOptions,
    say: Progress,
    sent: list[int],
) -> None:
    """Take one part to ``done``, saving the state after every step."""
    if part.status == "done":
        say(f"part {part.number}: done in an earlier run (job {part.job})")
    if part.status == "starting" and not options.resend_unconfirmed:
        raise UploadError(
            f"part {part.number}: the run stopped while starting its job, so it may have been sent; check the"
            " folder's upload jobs, then run again with --resend-unconfirmed to start it (again)"
        )
    if part.status in ("planned", "starting"):
        _start(part, storage_folder, state, path, options, say)
        sent.append(part.number)
    while part.status == "running":
        _poll(part, storage_folder, state, path, options, say)


def _start(
    part: PartState, storage_folder: Any, state: UploadState, path: Path, options: UploadOptions, say: Progress
) -> None:
    refused, unanswered = _sdk_errors()
    part.status = "starting"
    state.save(path)
    say(f"part {part.number}: starting a job for {plural(part.items, 'item')} ({part.file})")
    try:
        job = storage_folder.add_private_data_to_folder_start(
            options.integration, str(path.parent / part.file), ignore_errors=True
        )
    except unanswered as error:  # no answer: the platform may have created the job
        raise UploadError(
            f"part {part.number}: no answer while starting its job: {_reason(error)}", resumable=True
        ) from None
    except (refused, ValueError) as error:  # the platform answered with an error: nothing was created
        part.status = "planned"
        state.save(path)
        raise UploadError(
            f"part {part.number}: the platform refused to start its job: {_reason(error)}", resumable=True
        ) from None
    part.status, part.job = "running", str(job)
    state.save(path)


def _poll(
    part: PartState, storage_folder: Any, state: UploadState, path: Path, options: UploadOptions, say: Progress
) -> None:
    refused, unanswered = _sdk_errors()
    try:
        result = storage_folder.add_private_data_to_folder_get_result(
            UUID(part.job), timeout_seconds=options.poll_seconds
        )
    except (refused, *unanswered) as error:
        raise UploadError(
            f"part {part.number}: polling job {part.job} failed: {_reason(error)}", resumable=True
        ) from None
    part.result = result.to_dict()
    status = job_result(part.result).status
    if status != PENDING:
        part.status = "done"
    state.save(path)
    say(f"part {part.number}: job {part.job} {status}")
