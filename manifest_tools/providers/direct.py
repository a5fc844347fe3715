"""Direct HTTPS access: any other host (a CDN, a web server, a pre-signed URL). Nothing to list: an
object is stat'ed with a HEAD request, and its byte ranges are read with ``Range:`` GETs (stdlib only)."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from email.message import Message
from typing import Any

from manifest_tools.providers.base import RETRYABLE_STATUS, Location, ObjectStat, Provider, ReadError, total_of


def locate(host: str, path: str) -> Location | None:
    """Every host: this provider is tried last."""
    return Location("direct", host)


class HostDown(Exception):
    """The URL's host did not answer at all (it refused the connection, or no route leads to it): every
    other URL on that host and port would fail the same way. Its text is the sentence for the finding."""


class UnknownHost(HostDown):
    """The URL's host name did not resolve."""


def _host_of(url: str) -> tuple[str, str]:
    """The URL's host name, and its host and port as written (no user info): what a finding names."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        return parts.hostname or "", parts.netloc.rpartition("@")[2]
    except ValueError:
        return "", ""


_DOWN_ERRNOS = frozenset({errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH})
"""Connection errors that say the host, not the object, is unreachable (a timeout may be one slow object)."""


@dataclass(frozen=True, slots=True)
class HeadAnswer:
    """What a HEAD request learnt: the status (None when nothing answered), the reason or why not, and the
    object's size when the server gave one (a Content-Length of an unencoded body)."""

    status: int | None
    reason: str
    size: int | None = None


def _size(headers: Message) -> int | None:
    """The object's size from a HEAD answer's headers: its Content-Length, unless the body would be encoded
    (gzip and the like: then the length is the encoded one, not the file's) or the header is not one number."""
    length = (headers.get("Content-Length") or "").strip()
    encoding = (headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding != "identity" or not length.isascii() or not length.isdigit():
        return None
    return int(length)


def head(url: str, timeout: float) -> HeadAnswer:
    """The answer to a HEAD request of ``url``; status None (and why) when nothing answered.

    Raises UnknownHost when the host name does not resolve, and HostDown when the host refuses the
    connection or cannot be reached, so a caller can stop asking that host."""
    import socket
    import urllib.error
    import urllib.request  # here, not at the top: with http.client, ssl and email it costs lint's start 25 ms

    request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "manifest-tools verify"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return HeadAnswer(int(response.status), "", _size(response.headers))
    except urllib.error.HTTPError as error:
        return HeadAnswer(int(error.code), str(error.reason))
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        name, where = _host_of(url)
        if isinstance(reason, socket.gaierror):
            raise UnknownHost(f"cannot resolve the host {name!r} ({reason})") from None
        if isinstance(reason, OSError) and reason.errno in _DOWN_ERRNOS:
            raise HostDown(f"cannot connect to the host {where!r} ({reason})") from None
        return HeadAnswer(None, str(reason))


class HttpsReader:
    """A URL read with ``Range:`` headers; a server that does not answer 206 cannot be probed."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url, self.timeout = url, timeout

    def _open(self, method: str, headers: dict[str, str]) -> Any:
        import urllib.error
        import urllib.request

        request = urllib.request.Request(
            self.url, method=method, headers={"User-Agent": "manifest-tools probe", **headers}
        )
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            message = f"the server answers {error.code} {error.reason}".rstrip()
            raise ReadError(
                message, retryable=error.code in RETRYABLE_STATUS, missing=error.code in (404, 410)
            ) from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise ReadError(f"no answer: {getattr(error, 'reason', error)}", retryable=True) from None

    def stat(self) -> ObjectStat:
        """Size and ETag from a one-byte ranged GET: pre-signed URLs are signed for GET only, not HEAD."""
        return self.first(1)[0]

    def first(self, length: int) -> tuple[ObjectStat, bytes]:
        try:
            with self._open("GET", {"Range": f"bytes=0-{length - 1}"}) as response:
                total = total_of(response.headers.get("Content-Range"))
                if response.status != 206 or total is None:
                    raise ReadError("the server does not answer ranged reads (no 206 Partial Content)")
                return ObjectStat(total, response.headers.get("ETag")), bytes(response.read())
        except ReadError as error:
            if str(error).startswith("the server answers 416"):
                return ObjectStat(0), b""  # an empty file: no range of it exists
            raise

    def read(self, start: int, length: int) -> bytes:
        with self._open("GET", {"Range": f"bytes={start}-{start + length - 1}"}) as response:
            if response.status != 206:
                raise ReadError("the server does not answer ranged reads (no 206 Partial Content)")
            return bytes(response.read())


PROVIDER = Provider(name="direct", title="direct HTTPS access", locate=locate, url_reader=HttpsReader)
