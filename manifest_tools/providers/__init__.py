"""The stores that hold a manifest's files, one module each, behind one small interface.

Each provider module (``aws``, ``otc``, ``s3_compatible``, ``gcp``, ``azure``,
``direct``, ``local``) ends with a :class:`~manifest_tools.providers.base.Provider`:
how to recognise its URLs, build the public URL of a key, parse a ``generate``
source, list a bucket (whole, or one folder: how ``verify`` stats), and read
byte ranges of one object (how ``probe`` reads headers). ``registry`` holds them in recognition
order. Everything else (``generate``, ``verify``, the URL rules, the fixes)
asks through this package, so a host name or a URL form lives only here. This
package sits with the facts: it imports no rules, report or CLI, and no SDK
until a lister is built.
"""

from __future__ import annotations

from manifest_tools.providers.base import (
    Lister,
    ListerOptions,
    Location,
    ObjectInfo,
    ObjectStat,
    Provider,
    RangeReader,
    ReadError,
    Retry,
    Source,
    base_url,
    encode_key,
    file_name,
    split_host,
    url_key,
)
from manifest_tools.providers.registry import (
    BY_NAME,
    PROVIDERS,
    locate_url,
    location_lister,
    make_lister,
    object_reader,
    parse_source,
    unknown_region,
)

__all__ = [
    "BY_NAME",
    "PROVIDERS",
    "Lister",
    "ListerOptions",
    "Location",
    "ObjectInfo",
    "ObjectStat",
    "Provider",
    "RangeReader",
    "ReadError",
    "Retry",
    "Source",
    "base_url",
    "encode_key",
    "file_name",
    "locate_url",
    "location_lister",
    "make_lister",
    "object_reader",
    "parse_source",
    "split_host",
    "unknown_region",
    "url_key",
]
