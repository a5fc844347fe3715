"""The state file of a resumable upload: each part's file, job id and status, beside the manifest.

It is replaced atomically after every step, so a crash leaves either the state before a
step or the state after it. A part is ``planned`` until its job is about to be started,
``starting`` while the start request is in flight (a crash there leaves it unknown whether
the platform created the job), ``running`` once the job id is known, and ``done`` with the
job's final result.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from manifest_tools.atomic import write_atomic
from manifest_tools.errors import ManifestToolsError

PartStatus = Literal["planned", "starting", "running", "done"]
STATE_VERSION = 1


class UploadError(ManifestToolsError):
    """An upload could not go on (the platform refused or did not answer, or the state does not fit).

    ``resumable``: the same command, run again, goes on where this run stopped (a refused or unanswered
    request); otherwise something must change first, and the message says what.
    """

    def __init__(self, message: str, *, resumable: bool = False) -> None:
        super().__init__(message)
        self.resumable = resumable


@dataclass(slots=True)
class PartState:
    number: int
    file: str
    items: int
    status: PartStatus = "planned"
    job: str | None = None
    result: dict[str, Any] | None = None
    """The job's final ``UploadLongPollingState.to_dict()`` (the last one seen while it runs)."""


@dataclass(slots=True)
class UploadState:
    manifest: str
    manifest_sha256: str
    folder: str
    integration: str | None
    parts: list[PartState] = field(default_factory=list)
    version: int = STATE_VERSION

    def save(self, path: Path) -> None:
        write_atomic(path, json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n")


def state_path(manifest: str | os.PathLike[str]) -> Path:
    """``batch.upload-state.json`` beside ``batch.json``."""
    path = Path(manifest)
    return path.with_name(f"{path.stem}.upload-state.json")


def parts_folder(manifest: str | os.PathLike[str]) -> Path:
    """``batch.upload-parts/`` beside ``batch.json``: the part files the jobs were started with."""
    path = Path(manifest)
    return path.with_name(f"{path.stem}.upload-parts")


def file_digest(path: str | os.PathLike[str]) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_state(path: Path) -> UploadState | None:
    """The saved state, None when there is none; UploadError when it cannot be read."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        parts = [PartState(**part) for part in data.pop("parts")]
        state = UploadState(**data, parts=parts)
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
        raise UploadError(f"{path}: not a readable upload state ({error}); move it away to start over") from None
    if state.version != STATE_VERSION:
        raise UploadError(f"{path}: state version {state.version} is not {STATE_VERSION}; move it away to start over")
    return state


def check_resumable(state: UploadState, path: Path, digest: str, folder: str, integration: str | None) -> None:
    """A state resumes only the same manifest into the same folder, or parts would go to the wrong place."""
    if state.manifest_sha256 != digest:
        raise UploadError(
            f"{path}: the manifest changed since this upload started; finish it with the old manifest,"
            " or move the state file away to upload the new one from the start"
        )
    if (state.folder, state.integration) != (folder, integration):
        raise UploadError(
            f"{path}: this upload goes to folder {state.folder} (integration {state.integration});"
            " run it with the same --folder and --integration, or move the state file away"
        )
