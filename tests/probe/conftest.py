"""The cloud emulators of tests/cloud, shared with the probe tests, and a ranged HTTP server (a CDN)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.cloud.conftest import (  # noqa: F401  (fixtures, found by name)
    _dummy_credentials,
    azure,
    azure_server,
    gcs,
    gcs_server,
    s3,
    s3_server,
)


@contextmanager
def ranged_http_server(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1, answering ``Range: bytes=A-B`` with 206 as CDNs do; yields the base URL."""

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            wanted = self.headers.get("Range", "")
            path = Path(self.translate_path(self.path))
            if not wanted.startswith("bytes=") or not path.is_file():
                super().do_GET()
                return
            first, last = (int(n) for n in wanted[6:].split("-"))
            data = path.read_bytes()
            last = min(last, len(data) - 1)
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {first}-{last}/{len(data)}")
            self.send_header("Content-Length", str(last - first + 1))
            self.end_headers()
            self.wfile.write(data[first : last + 1])

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
