"""The stand-in Encord API (standin.py), started on 127.0.0.1 and stopped by PID, and an SDK key for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

STANDIN = Path(__file__).with_name("standin.py")


def position_of(text: str, needle: str) -> str:
    """line:column (1-based) of the first occurrence of ``needle``: the expected place, found independently."""
    before = text[: text.index(needle)]
    return f"{before.count(chr(10)) + 1}:{len(before.rsplit(chr(10), 1)[-1]) + 1}"


class StandIn:
    def __init__(self, url: str) -> None:
        self.url = url

    def _call(self, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method="POST" if data else "GET")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def control(self, **settings: Any) -> None:
        self._call("/_control", settings)

    def log(self) -> dict[str, Any]:
        return self._call("/_log")  # type: ignore[no-any-return]


@pytest.fixture
def standin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StandIn]:
    port_file = tmp_path_factory.mktemp("standin") / "port"
    process = subprocess.Popen([sys.executable, str(STANDIN), str(port_file)], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text():
            if process.poll() is not None:
                pytest.fail(f"the stand-in server did not start: {process.stderr.read().decode()}")  # type: ignore[union-attr]
            if time.monotonic() > deadline:
                pytest.fail("the stand-in server did not listen within 30 s")
            time.sleep(0.05)
        yield StandIn(f"http://127.0.0.1:{port_file.read_text()}")
    finally:
        os.kill(process.pid, 15)
        process.wait(timeout=10)
        process.stderr.close()  # type: ignore[union-attr]


@pytest.fixture
def ssh_key(monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh Ed25519 key in ENCORD_SSH_KEY, where the SDK looks for it."""
    key = (
        Ed25519PrivateKey.generate()
        .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption())
        .decode()
    )
    monkeypatch.delenv("ENCORD_SSH_KEY_FILE", raising=False)
    monkeypatch.setenv("ENCORD_SSH_KEY", key)
    return key
