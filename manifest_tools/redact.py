"""Keep secrets and huge values out of what the tool prints.

Messages quote user data: URLs (pre-signed ones carry a signature, a credential
and sometimes a session token), endpoints with a password, and values of any
length. Everything the tool says about a manifest passes through
:func:`for_message`; the data written to a manifest stays as the user gave it.
"""

from __future__ import annotations

import re

REDACTED = "REDACTED"

_SECRET_PARAMETERS = re.compile(
    r"(?i)([?&](?:x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential"
    r"|sig|signature|token|access_token|awsaccesskeyid)=)[^&#\s\"'<>]*"
)
"""Query parameters of pre-signed URLs (AWS SigV4 and SigV2, GCS V4, Azure SAS) whose value is a secret."""
_USER_INFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^/@\s:\"'<>]*:)[^/@\s\"'<>]+@")
"""The password of ``scheme://user:password@host``."""

MAX_MESSAGE_CHARS = 1_000
"""A message longer than this (a 45-million-character title quoted whole) is cut in the middle."""


def redact(text: str) -> str:
    """``text`` with signatures, tokens, credentials and passwords replaced by ``REDACTED``."""
    if "=" in text:
        text = _SECRET_PARAMETERS.sub(rf"\1{REDACTED}", text)
    if "@" in text:
        text = _USER_INFO.sub(rf"\1{REDACTED}@", text)
    return text


def shorten(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``text`` cut in the middle to at most about ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    keep = limit // 2
    return f"{text[:keep]}... ({len(text) - 2 * keep:,} characters left out) ...{text[-keep:]}"


def for_message(text: str) -> str:
    """What a message may show of ``text``: no secret, no lone surrogate, no megabytes."""
    text = shorten(redact(text))
    if text.isascii():
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
