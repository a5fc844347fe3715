"""When a pre-signed URL stops working, read from its query string (no SDK, no clock).

Each store signs differently, and each puts the expiry in the URL in its own way:

- AWS Signature V4: ``X-Amz-Date`` (``20240101T120000Z``) plus ``X-Amz-Expires`` seconds;
- GCS V4: ``X-Goog-Date`` plus ``X-Goog-Expires`` seconds;
- AWS Signature V2, GCS V2 and CloudFront: ``Expires``, seconds since the epoch;
- Azure SAS: ``se`` (signed expiry), ISO 8601 UTC (``2024-01-01T12:00:00Z`` or a date), with ``sig``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

_SIGNED_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_V4_PARAMETERS = (("x-amz-date", "x-amz-expires"), ("x-goog-date", "x-goog-expires"))

EXPIRY_HINTS = ("expires=", "se=")
"""Every URL :func:`expiry` reads an expiry from contains one of these (lower case): a substring
pre-filter, here and in the native scanner."""


def expiry(url: str) -> datetime | None:
    """The moment (UTC) a pre-signed URL expires; None when it is not pre-signed or says no expiry."""
    query = url.partition("?")[2].partition("#")[0]
    if not query:
        return None
    parameters = {name.lower(): value for name, value in parse_qsl(query, keep_blank_values=True)}
    for date_name, seconds_name in _V4_PARAMETERS:
        if date_name in parameters and seconds_name in parameters:
            return _after(parameters[date_name], parameters[seconds_name])
    if "expires" in parameters:
        return _epoch(parameters["expires"])
    if "se" in parameters and "sig" in parameters:
        return _azure(parameters["se"])
    return None


def _after(signed: str, seconds: str) -> datetime | None:
    try:
        start = datetime.strptime(signed, _SIGNED_DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None
    if not seconds.isdigit() or len(seconds) > 9:
        return None
    try:
        return start + timedelta(seconds=int(seconds))
    except OverflowError:  # signed in year 9999
        return None


def _epoch(value: str) -> datetime | None:
    if not value.isdigit() or len(value) > 11:
        return None
    return datetime.fromtimestamp(int(value), UTC)


def _azure(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):  # not a date, or one at the end of the calendar
        return None
