"""Keep secrets and huge values out of what the tool prints.

Messages quote user data: URLs (pre-signed ones carry a signature, a credential
and sometimes a session token), endpoints with a password, and values of any
length. Everything the tool says about a manifest passes through
:func:`for_message`; the data written to a manifest stays as the user gave it.
"""

from __future__ import annotations

import os
import re
import shlex

REDACTED = "REDACTED"

_SECRET_PARAMETERS = re.compile(
    r"(?i)([?&](?:x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential"
    r"|sig|signature|token|access_token|awsaccesskeyid)=)[^&#\s\"'<>]*"
)
"""Query parameters of pre-signed URLs (AWS SigV4 and SigV2, GCS V4, Azure SAS) whose value is a secret."""
_USER_INFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/?#@\s\"'<>]+@")
"""The credentials of ``scheme://user:password@host``, both parts: a token is often passed as the user name
(``https://<token>@host``, ``oauth2:<token>@``)."""

MAX_MESSAGE_CHARS = 1_000
"""A message longer than this (a 45-million-character title quoted whole) is cut in the middle."""


def redact(text: str) -> str:
    """``text`` with signatures, tokens, credentials and a URL's user name and password replaced by ``REDACTED``."""
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


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
"""What a line of output must not carry raw: C0 and C1 controls and DEL (a newline starts a line a problem
matcher or GitHub Actions reads as its own, ESC drives the terminal), line and paragraph separators, the
bidirectional overrides, isolates and marks (U+200E, U+200F, U+061C) and the invisible U+FEFF (text that reads
other than it is), and lone surrogates (no encoding holds them)."""
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    shown = _ESCAPES.get(char)
    if shown is None:
        code = ord(char)
        shown = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return shown


def escape_unsafe(text: str) -> str:
    """``text`` with every character :data:`_UNSAFE` names written as Python's ``repr`` writes it (``\\n``,
    ``\\x1b``, ``\\u202e``, ``\\ud800``): the one escaping of manifest text in what the tool prints."""
    return _UNSAFE.sub(_escape, text)


def for_message(text: str) -> str:
    """What a message may show of ``text``: no secret, no control character, no lone surrogate, no megabytes.

    Every message passes here (the rule engine's ``printable``, the loss and note lines), so a title or key
    quoted raw in a message (``"{key}"``) is escaped as one quoted with ``!r`` is."""
    text = shorten(redact(text))
    if text.isprintable():  # the common case, at C speed: nothing to escape
        return text
    return escape_unsafe(text)


SURROGATE = re.compile("[\ud800-\udfff]")
"""A surrogate code unit held as is in a str (JSON's ``\ud800`` escape, a byte ``surrogateescape`` kept):
UTF-8, XML and the platform hold none. One home for the readers, the writers and the reports."""
UNDECODABLE_BYTE = re.compile("[\udc80-\udcff]")
"""A byte that is not UTF-8, as Python decodes it (``surrogateescape``): U+DC80 to U+DCFF."""


def _byte(found: re.Match[str]) -> str:
    return f"\\x{ord(found.group()) - 0xDC00:02x}"


BACKSLASH_IS_SEPARATOR = os.sep == "\\"
"""Where the backslash separates folders (Windows, whose names hold no control character), it is shown as it
is; elsewhere it is part of a name and is doubled, as ``repr`` doubles it."""


def _escaped_name(path: str) -> str:
    return escape_unsafe(UNDECODABLE_BYTE.sub(_byte, path))


def for_path(path: str) -> str:
    """How a report people read shows a file name: as :func:`escape_unsafe` shows manifest text (a newline in
    a name must not end a diagnostic's line nor start a workflow command), each byte that is not UTF-8 (a
    Latin-1 name from a zip or a share) as the byte, ``caf\\xe9.json`` (no report carries a lone surrogate,
    which UTF-8 and XML cannot hold), and a backslash that is part of a name doubled, as ``repr`` writes
    it: ``a\\\\nb`` (a backslash and an n) is never shown as ``a\\nb`` (a newline) is."""
    if "\\" in path and not BACKSLASH_IS_SEPARATOR:
        path = path.replace("\\", "\\\\")
    elif path.isprintable():  # the common case
        return path
    return _escaped_name(path)


def for_program(path: str) -> str:
    """How a report programs read (JSON, GitLab's) names a file: the name itself when it is Unicode (JSON
    escapes a control character itself, and a program opens the very file), else (a byte that is not
    UTF-8, which no JSON string holds) as :func:`for_path` shows it."""
    if path.isascii() or SURROGATE.search(path) is None:
        return path
    return for_path(path)


def name_bytes(name: str) -> bytes:
    """The bytes of a file name (``os.fsencode``: a byte that is not UTF-8 is itself again), for a form that
    names them all (a SARIF URI, a git-quoted diff header); a lone surrogate no byte gave (a library caller's
    name) is kept as UTF-8 writes it without the check."""
    try:
        return os.fsencode(name)
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogatepass")


def shell_word(word: str) -> str:
    """``word`` as a shell reads it back, for a command the tool prints to be run as printed: ``shlex.quote``,
    or for a word holding what :func:`for_path` escapes, bash's ``$'...'`` (zsh and ksh read it too) with those
    escapes: the command stays on one line, starts no workflow command, and names the file's very bytes."""
    if word.isprintable():
        return shlex.quote(word)
    return "$'" + _escaped_name(word.replace("\\", "\\\\").replace("'", "\\'")) + "'"
