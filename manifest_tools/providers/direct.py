"""Direct HTTPS access: any other host (a CDN, a web server, a pre-signed URL). Nothing to list: an
object is stat'ed with a HEAD request."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

from manifest_tools.providers.base import Location, Provider


def locate(host: str, path: str) -> Location | None:
    """Every host: this provider is tried last."""
    return Location("direct", host)


class UnknownHost(Exception):
    """The URL's host name did not resolve: every other URL on that host would fail the same way."""


def head(url: str, timeout: float) -> tuple[int | None, str]:
    """(HTTP status, reason) of a HEAD request; (None, why) when nothing answered.

    Raises UnknownHost when the host name does not resolve, so a caller can stop asking that host."""
    request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "manifest-tools verify"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status), ""
    except urllib.error.HTTPError as error:
        return int(error.code), str(error.reason)
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, socket.gaierror):
            raise UnknownHost(str(reason)) from None
        return None, str(reason)


PROVIDER = Provider(name="direct", title="direct HTTPS access", locate=locate)
