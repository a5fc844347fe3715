"""Lint a JSON manifest with the native scanner's help: Python parses only what it could not certify.

The scanner certifies the file's structure and, one by one, the items that pass
every item rule; the rules then run over a Manifest in which certified items
are placeholders, so a clean maximum-size file is never parsed in Python and a
file with a few mistakes parses just those items. Whole-file rules take the
certified items' counts from the certificate (limits), or send the file to the
full lint whenever they could fire across certified items (integrations, hosts
that are placeholders, and the opt-in MT404, which reports each URL). The
scanner hands over the first URL of every host, so the host rules run on each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from manifest_tools.codes import Code
from manifest_tools.model import CERTIFIED, Manifest
from manifest_tools.native import Certificate, scan
from manifest_tools.providers import locate_url
from manifest_tools.readers.json_locator import JsonLocator
from manifest_tools.report.diagnostic import Diagnostic
from manifest_tools.rules.engine import check
from manifest_tools.rules.urls import host_placeholder


def lint_certified(
    path: str, data: bytes, enabled: frozenset[str], notes: set[str] | None = None
) -> list[Diagnostic] | str:
    """The diagnostics of a manifest the scanner certifies, or why the full lint must run (``-v`` shows it)."""
    certificate = scan(data)
    if isinstance(certificate, str):
        return certificate
    if Code.MT404 in enabled and certificate.browser_limited:
        return "MT404 reports each URL a browser cannot play"
    if Code.MT307 in enabled and any(host_placeholder(url) for url in certificate.origin_urls):
        return "MT307: a host is a placeholder"
    manifest = certified_manifest(path, certificate)
    urls = list(certificate.origin_urls)
    for item in manifest.items():
        urls.extend(url for _, url in item.url_fields() if isinstance(url, str))
    if not _integrations_quiet(urls, enabled):
        return "MT313/MT314: URLs of more than one integration or bucket"
    return check(manifest, enabled, notes)


def certified_manifest(path: str, certificate: Certificate) -> Manifest:
    """A Manifest whose certified items are placeholders; positions come from the bytes on demand."""
    data: dict[str, Any] = {c.kind.key: [CERTIFIED] * len(c.starts) for c in certificate.columns}
    for kind, index, value in certificate.uncertified_entries():
        data[kind.key][index] = value
    locator = JsonLocator("", reload=_text_loader(certificate, lambda: locator))
    locator.release()
    return Manifest(
        path=path,
        format="json",
        data=data,
        locator=locator,
        size_bytes=len(certificate.data),
        certified=certificate,
    )


def _text_loader(certificate: Certificate, locator: Callable[[], JsonLocator]) -> Callable[[], str]:
    """Decode the text when a diagnostic needs a position; the scanner's offsets spare the locator
    a walk through every array when byte offsets are character offsets (an ASCII file)."""

    def load() -> str:
        text = certificate.data.decode("utf-8")
        if text.isascii():
            for columns in certificate.columns:
                locator().seed_array(columns.array_start, columns.starts, columns.array_end)
        return text

    return load


def _integrations_quiet(urls: list[str], enabled: frozenset[str]) -> bool:
    """True when MT313 and MT314 certainly report nothing (else the full lint says where).

    The rule gives each URL the location of the first URL with its host and first path
    segment, and which URL comes first differs between a full and a partial lint; every
    location either could use is among these URLs' own, so one integration here is one there.
    """
    locations = [locate_url(url) for url in set(urls)]
    if Code.MT313 in enabled and len({location.integration for location in locations}) > 1:
        return False
    buckets = {(loc.provider, loc.bucket) for loc in locations if loc.provider != "direct"}
    return Code.MT314 not in enabled or len(buckets) <= 1
