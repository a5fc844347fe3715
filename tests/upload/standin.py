"""A stand-in for the Encord API on 127.0.0.1: only the endpoints the SDK calls for a folder upload.

    python tests/upload/standin.py PORT_FILE

It writes its port to PORT_FILE once it listens. Requests are read and answers built with
the SDK's own models (``PostUploadJobParams``, ``StorageFolder``, ``UploadLongPollingState``).
Tests steer it through ``POST /_control`` (URLs that fail, faults to inject, jobs to hold
PENDING) and read what it received from ``GET /_log``. It is not the platform: it checks
that requests are signed, not the signature.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import uuid
import warnings
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from encord.orm.dataset import DataUnitError, LongPollingStatus
    from encord.orm.storage import PostUploadJobParams, StorageFolder, StorageUserRole, UploadLongPollingState

FOLDER = "11111111-2222-3333-4444-555555555555"
PREFIX = "/v2/public/storage/folders/"


class Backend:
    """The stand-in's state: jobs, what to fail, faults to inject, and a log of requests."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.jobs: dict[str, dict[str, Any]] = {}
        self.fail_urls: set[str] = set()
        self.faults: dict[str, list[int]] = {"start": [], "poll": []}
        self.hold: set[int] = set()
        """Ordinals (1-based) of jobs that stay PENDING until released."""
        self.slow_start: set[int] = set()
        """Ordinals of start requests answered only after a long delay (to be killed in flight)."""
        self.starts: list[dict[str, Any]] = []
        self.refused_starts = 0
        self.polls: list[str] = []
        self.unsigned = 0

    def control(self, body: dict[str, Any]) -> None:
        with self.lock:
            self.fail_urls = set(body.get("fail_urls", self.fail_urls))
            for kind, statuses in body.get("faults", {}).items():
                self.faults[kind] = list(statuses)
            if "hold" in body:
                self.hold = set(body["hold"])
            if "slow_start" in body:
                self.slow_start = set(body["slow_start"])

    def fault(self, kind: str) -> int | None:
        with self.lock:
            return self.faults[kind].pop(0) if self.faults[kind] else None

    def log(self) -> dict[str, Any]:
        with self.lock:
            return {
                "starts": self.starts,
                "refused_starts": self.refused_starts,
                "polls": self.polls,
                "unsigned": self.unsigned,
            }


def folder_body() -> dict[str, Any]:
    now = datetime(2026, 1, 2, tzinfo=UTC)
    return StorageFolder(
        uuid=uuid.UUID(FOLDER),
        parent=None,
        name="stand-in",
        description="",
        client_metadata=None,
        owner="someone@example.org",
        created_at=now,
        last_edited_at=now,
        user_role=StorageUserRole.ADMIN,
        synced_dataset_hash=None,
        path_to_root=[],
    ).to_dict(exclude_none=False)  # the API sends null for empty optional fields, which the model requires


def units(files: dict[str, Any]) -> list[list[str]]:
    """The job units of a manifest: one per item, with its URLs (a group's frames in order)."""
    found = []
    for items in files.values():
        for item in items if isinstance(items, list) else []:
            numbered = [
                (int(k.split("_")[1]) if "_" in k else 0, v) for k, v in item.items() if k.startswith("objectUrl")
            ]
            found.append([url for _, url in sorted(numbered)])
    return found


def job_state(backend: Backend, job: dict[str, Any]) -> dict[str, Any]:
    all_units = units(job["files"])
    if job["ordinal"] in backend.hold:
        return UploadLongPollingState(
            status=LongPollingStatus.PENDING,
            items_with_names=[],
            errors=[],
            units_pending_count=len(all_units),
            units_done_count=0,
            units_error_count=0,
            units_cancelled_count=0,
            unit_errors=[],
        ).to_dict()
    failed = [urls for urls in all_units if set(urls) & backend.fail_urls]
    errors = [
        DataUnitError(
            object_urls=urls,
            error="Access denied: the integration cannot read this object",
            subtask_uuid=uuid.uuid4(),
            action_description="Uploading image group" if len(urls) > 1 else "Uploading file",
        )
        for urls in failed
    ]
    return UploadLongPollingState(
        status=LongPollingStatus.DONE,
        items_with_names=[],
        errors=[e.error for e in errors],
        units_pending_count=0,
        units_done_count=len(all_units) - len(failed),
        units_error_count=len(failed),
        units_cancelled_count=0,
        unit_errors=errors,
    ).to_dict()


class Handler(BaseHTTPRequestHandler):
    backend: Backend

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read /_log instead."""

    def answer(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def fault_answer(self, status: int) -> None:
        retry = {"Retry-After": "1"} if status == 429 else {}
        self.answer(status, {"message": f"stand-in fault {status}"}, retry)

    def body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"null")

    def signed(self) -> bool:
        if not (self.headers.get("Signature") and self.headers.get("Signature-Input")):
            self.backend.unsigned += 1
            self.answer(401, {"message": "not signed"})
            return False
        return True

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/_log":
            self.answer(200, self.backend.log())
            return
        if not self.signed():
            return
        rest = url.path.removeprefix(PREFIX).split("/")
        if rest == [FOLDER]:
            self.answer(200, folder_body())
        elif len(rest) == 3 and rest[0] == FOLDER and rest[1] == "data-upload-jobs":
            self.poll(rest[2], parse_qs(url.query))
        else:
            self.answer(404, {"message": f"no such resource {url.path}"})

    def poll(self, job_id: str, query: dict[str, list[str]]) -> None:
        self.backend.polls.append(job_id)
        status = self.backend.fault("poll")
        if status is not None:
            self.fault_answer(status)
            return
        job = self.backend.jobs.get(job_id)
        if job is None:
            self.answer(404, {"message": "no such job"})
            return
        if job["ordinal"] in self.backend.hold:
            time.sleep(min(0.2, float(query.get("timeoutSeconds", ["1"])[0])))  # a long poll, shortened
        self.answer(200, job_state(self.backend, job))

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/_control":
            self.backend.control(self.body())
            self.answer(200, {})
            return
        if not self.signed():
            return
        if url.path != f"{PREFIX}{FOLDER}/data-upload-jobs":
            self.answer(404, {"message": f"no such resource {url.path}"})
            return
        params = PostUploadJobParams.from_dict(self.body())  # the SDK's request, read with its own model
        status = self.backend.fault("start")
        if status is not None:
            self.backend.refused_starts += 1
            self.fault_answer(status)
            return
        with self.backend.lock:
            ordinal = len(self.backend.starts) + 1
            job_id = str(uuid.uuid4())
            files = params.external_files or {}
            self.backend.jobs[job_id] = {"ordinal": ordinal, "files": files}
            self.backend.starts.append(
                {
                    "job": job_id,
                    "file_name": params.file_name,
                    "ignore_errors": params.ignore_errors,
                    "integration": str(params.integration_hash) if params.integration_hash else None,
                    "urls": [url for unit in units(files) for url in unit],
                }
            )
        if ordinal in self.backend.slow_start:
            time.sleep(60)
        self.answer(200, job_id)


def main() -> None:
    Handler.backend = Backend()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Path(sys.argv[1]).write_text(str(server.server_address[1]), encoding="utf-8")
    server.serve_forever()


if __name__ == "__main__":
    main()
