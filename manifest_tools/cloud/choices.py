"""The choices ``generate`` offers: one list for the CLI's options and the library's typed arguments.

A light module (no SDK, no rules): the CLI reads it when it starts.
"""

from __future__ import annotations

from typing import Literal

UrlStyle = Literal["virtual", "path"]
ImagesAs = Literal["single", "groups", "sequences"]
DicomSeriesBy = Literal["folder"]

URL_STYLES: tuple[UrlStyle, ...] = ("virtual", "path")
"""S3 URLs virtual-hosted (``bucket.s3.region.amazonaws.com/key``) or path-style."""
IMAGES_AS: tuple[ImagesAs, ...] = ("single", "groups", "sequences")
"""Images one by one, or each folder's images as one image group or image sequence."""
DICOM_SERIES_BY: tuple[DicomSeriesBy, ...] = ("folder",)
"""How DICOM files form series."""
