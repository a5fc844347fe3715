"""Read a media file's header (through any seekable file object) into the values metadata blocks hold.

Which library reads what, and why (``pip install 'manifest-tools[probe]'``):

- **PyAV** (video and audio): FFmpeg's own demuxers and decoders, bundled in
  the wheels, so every container and codec FFmpeg knows is read the way ffprobe
  reads it (the values users copy into manifests today), through a Python file
  object, with ``probesize`` bounding what is read. It alone tells codec, pixel
  format, frame-rate regularity and the display-matrix rotation.
- **Pillow** (images): ``Image.open`` reads only the header; it identifies the
  real format whatever the extension says, and reads EXIF orientation.
- **pypdf** (PDFs): pure Python, reads the cross-reference table from the end
  and the page tree, never the page contents.
- **pydicom** (DICOM): ``dcmread(stop_before_pixels=True)`` reads the data set
  up to the pixel data and refuses a file without the DICM preamble.
- **nibabel** (NIfTI): its header classes validate the 348-byte (NIfTI-1) or
  540-byte (NIfTI-2) header; gzip streams are read through ``gzip`` so only the
  first compressed block is fetched.

Nothing here parses a container by hand. A file is read with the library of the
kind its extension names first; when that fails, the others are tried, so a PNG
named ``.jpg`` is recognised as a PNG, not reported as broken.
"""

from __future__ import annotations

import functools
import gzip
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Protocol, cast

from manifest_tools.errors import ManifestToolsError
from manifest_tools.kinds import (
    AUDIO,
    DICOM_SERIES,
    IMAGES,
    MIME_TYPES,
    NIFTI,
    PDFS,
    TEXT,
    VIDEOS,
    Kind,
    file_kind,
    kind_of_extension,
)

PROBE_BYTES = 1_000_000
"""FFmpeg's ``probesize``: how much of a stream it may read to find its parameters (its default is 5 MB)."""

_AV_TIME_BASE = 1_000_000
_SWAPPING_ORIENTATIONS = frozenset({5, 6, 7, 8})
"""EXIF orientations that turn the image by 90 degrees: it is shown with width and height swapped."""

_DEMUXER_MIME_TYPES: dict[str, tuple[str, ...]] = {
    "mov,mp4,m4a,3gp,3g2,mj2": ("video/mp4", "video/quicktime", "audio/mp4"),
    "matroska,webm": ("video/webm", "video/x-matroska", "audio/webm"),
    "mp3": ("audio/mpeg",),
    "wav": ("audio/wav",),
    "flac": ("audio/flac",),
    "eac3": ("audio/eac3",),
}
"""MIME types of the content FFmpeg's demuxers recognise (a demuxer reads several related containers)."""


class SeekableFile(Protocol):
    """What the format libraries need of a file: reads and seeks (a local file, BytesIO, or a RangedFile)."""

    def read(self, size: int = -1, /) -> bytes: ...

    def seek(self, offset: int, whence: int = 0, /) -> int: ...

    def tell(self) -> int: ...


class ProbeUnavailable(ManifestToolsError):
    """The probe extra is not installed."""


class NotReadable(Exception):
    """A library could not read the file as its format (the next library is tried)."""


@dataclass(slots=True)
class Probed:
    """What a file's header says: metadata block values (camelCase field names) and playability facts."""

    kind: str
    """The key of the kind whose files the content is (``videos``, ``audio``, ``images``, ``pdfs`` ...)."""
    format: str
    """What the content is, as the reading library names it (``PNG``, ``mov,mp4,m4a,3gp,3g2,mj2``, ``PDF`` ...)."""
    mime_types: tuple[str, ...]
    """The MIME types the content may carry; the first is the one written when filling a block."""
    values: dict[str, int | float | str] = field(default_factory=dict)
    alternatives: dict[str, tuple[float, ...]] = field(default_factory=dict)
    """Other values a block may rightly hold: the container's duration besides the stream's, a rotated
    video's shown size besides its stored one."""
    estimated: frozenset[str] = frozenset()
    """Fields filled with a stand-in the header does not state (an MP3's bit depth): never compared."""
    video_codec: str | None = None
    pixel_format: str | None = None
    variable_frame_rate: bool = False
    rotation: int = 0
    exif_orientation: int | None = None
    truncated: str | None = None
    """Why the file looks cut short, or None."""

    def fits_extension(self, extension: str) -> bool:
        """Whether content of this format may carry ``extension`` (per kinds.MIME_TYPES)."""
        return bool(set(MIME_TYPES.get(extension, ())) & set(self.mime_types))

    def accepts_mime(self, mime: str) -> bool:
        """Whether ``mime`` names this content: one of its types, or an alias kinds.MIME_TYPES lists beside one."""
        self_types = set(self.mime_types)
        if mime in self.mime_types:
            return True
        return any(mime in aliases and not self_types.isdisjoint(aliases) for aliases in MIME_TYPES.values())


def require_probe_libraries() -> None:
    """Raise ProbeUnavailable, naming the extra, when a probe library is missing."""
    missing = _missing_library()
    if missing is not None:
        raise ProbeUnavailable(
            f"probing needs the probe extra: pip install 'manifest-tools[probe]' ({missing} is missing)"
        )


@functools.cache
def _missing_library() -> str | None:
    import importlib.util

    return next((m for m in ("av", "PIL", "pypdf", "pydicom", "nibabel") if importlib.util.find_spec(m) is None), None)


def probe(file: SeekableFile, extension: str, size: int, kind: Kind | None = None) -> Probed:
    """The header of ``file`` (``size`` bytes, named with ``extension``, registered as ``kind``).

    Raises NotReadable when no library reads it.
    """
    require_probe_libraries()
    readers = _readers_for((kind,) if kind is not None else (), kind_of_extension(extension))
    failures = []
    for reader in readers:
        file.seek(0)
        try:
            found = reader(file, extension)
        except NotReadable as error:
            failures.append(str(error))
            continue
        except Exception as error:  # parsers of hostile files raise anything; a report never shows a traceback
            failures.append(f"{type(error).__name__}: {error}")
            if getattr(file, "error", None) is not None:
                break  # the read failed (store or budget), not the file: the caller retries or reports that
            continue
        found.values.setdefault("fileSize", size)
        return found
    raise NotReadable(failures[0] if failures else "no reader for this kind of file")


def _readers_for(*kinds: tuple[Kind, ...]) -> list[_Reader]:
    """The readers of ``kinds`` first, then every other, to recognise what a file really is."""
    first = [_READERS[file_kind(kind).key] for group in kinds for kind in group if file_kind(kind).key in _READERS]
    return list(dict.fromkeys([*first, *_SNIFFERS]))


# -- video and audio: PyAV ----------------------------------------------------------------------


def _read_av(file: SeekableFile, extension: str) -> Probed:
    import av

    try:
        container = av.open(file, options={"probesize": str(PROBE_BYTES), "analyzeduration": "2000000"})
    except (av.FFmpegError, ValueError, OSError, UnicodeDecodeError) as error:
        raise NotReadable(f"FFmpeg cannot read it: {_av_reason(error)}") from None
    with container:
        mime_types = _prefer(_DEMUXER_MIME_TYPES.get(container.format.name, ()), extension)
        if not mime_types:
            raise NotReadable(f"FFmpeg reads it as {container.format.name!r}, not as a video or audio file")
        probed = Probed(VIDEOS.key, container.format.name, mime_types)
        pictures = [s for s in container.streams.video if not s.disposition & av.stream.Disposition.attached_pic]
        named_audio = AUDIO in kind_of_extension(extension) and VIDEOS not in kind_of_extension(extension)
        if pictures and not named_audio:
            _video_values(container, pictures[0], probed)
        elif container.streams.audio:
            probed.kind = AUDIO.key
            _audio_values(container, probed)
        else:
            raise NotReadable("it holds no audio stream")
        probed.truncated = _cut_short(container, file)
        return probed


def _video_values(container: Any, stream: Any, probed: Probed) -> None:
    context = stream.codec_context
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    duration = _duration(container, stream)
    probed.values.update({"width": int(context.width), "height": int(context.height), "mimeType": probed.mime_types[0]})
    if rate:
        probed.values["fps"] = int(rate) if rate.denominator == 1 else round(float(rate), 6)
    if duration:
        probed.values["duration"] = duration
    if container.duration:
        probed.alternatives["duration"] = (float(container.duration) / _AV_TIME_BASE,)
    probed.video_codec = context.codec.canonical_name
    probed.pixel_format = context.format.name if context.format is not None else None
    probed.variable_frame_rate = _variable_rate(stream.average_rate, stream.base_rate)
    probed.rotation = _first_frame_rotation(container, stream)
    if probed.rotation in (90, 270):
        probed.alternatives.update(width=(int(context.height),), height=(int(context.width),))


def _variable_rate(average: Fraction | None, base: Fraction | None) -> bool:
    """FFmpeg's two rates disagree: the real (lowest common) rate is not the average one."""
    if not average or not base:
        return False
    return abs(float(average) - float(base)) > 0.01 * float(base)


def _first_frame_rotation(container: Any, stream: Any) -> int:
    """The display rotation of the first frame (FFmpeg applies the stream's display matrix to frames)."""
    import av

    try:
        for frame in container.decode(stream):
            return int(frame.rotation) % 360
    except (av.FFmpegError, ValueError):
        return 0
    return 0


def _audio_values(container: Any, probed: Probed) -> None:
    stream = container.streams.audio[0]
    context = stream.codec_context
    sample_format = context.format
    probed.values.update(
        {
            "mimeType": probed.mime_types[0],
            "sampleRate": int(context.sample_rate),
            "numChannels": int(context.layout.nb_channels),
            "codec": context.codec.canonical_name,
            "bitDepth": int(sample_format.bits) if sample_format is not None else 16,
        }
    )
    if sample_format is None or sample_format.name.startswith(("flt", "dbl")):
        probed.estimated = frozenset({"bitDepth"})  # a lossy codec decodes to floats: it has no bit depth
    duration = _duration(container, stream)
    if duration:
        probed.values["duration"] = duration


def _duration(container: Any, stream: Any) -> float | None:
    """The stream's own duration, else the container's, in seconds."""
    if stream.duration and stream.time_base:
        return round(float(stream.duration * stream.time_base), 6)
    if container.duration:
        return round(float(container.duration) / _AV_TIME_BASE, 6)
    return None


def _cut_short(container: Any, file: SeekableFile) -> str | None:
    """Why the file is shorter than its own index says, or None."""
    end = file.seek(0, 2)
    for stream in container.streams:
        entries = stream.index_entries
        if len(entries):
            last = entries[len(entries) - 1]
            if last.pos + last.size > end:
                return f"its index places data at byte {last.pos + last.size:,}, but the file has {end:,} bytes"
    return None


def _av_reason(error: BaseException) -> str:
    return str(getattr(error, "strerror", None) or error).splitlines()[0][:200]


# -- images: Pillow ----------------------------------------------------------------------------


def _read_image(file: SeekableFile, extension: str) -> Probed:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(cast(Any, file))
    except UnidentifiedImageError:
        raise NotReadable("Pillow recognises no image format in it") from None
    except (OSError, ValueError, SyntaxError) as error:
        raise NotReadable(f"Pillow cannot read it as an image: {error}") from None
    with image:
        mime = Image.MIME.get(image.format or "", "")
        width, height = image.size
        orientation = _exif_orientation(image)
        if orientation in _SWAPPING_ORIENTATIONS:
            width, height = height, width
        probed = Probed(IMAGES.key, image.format or "image", _prefer((mime,) if mime else (), extension))
        probed.values.update({"mimeType": mime, "width": width, "height": height})
        probed.exif_orientation = orientation
        return probed


def _exif_orientation(image: Any) -> int | None:
    try:
        value = image.getexif().get(0x0112)
    except (OSError, ValueError, SyntaxError):
        return None
    return int(value) if isinstance(value, int) else None


# -- PDF, DICOM, NIfTI, text --------------------------------------------------------------------


def _read_pdf(file: SeekableFile, extension: str) -> Probed:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    head = file.read(1024)
    file.seek(0)
    if b"%PDF-" not in head:
        raise NotReadable("it does not start as a PDF (no %PDF- header)")
    try:
        pages = len(PdfReader(cast(Any, file), strict=False).pages)
    except (PyPdfError, ValueError, KeyError, OSError, TypeError, AttributeError) as error:
        raise NotReadable(f"pypdf cannot read it: {error}") from None
    probed = Probed(PDFS.key, "PDF", ("application/pdf",))
    probed.values["numPages"] = pages
    return probed


def _read_dicom(file: SeekableFile, extension: str) -> Probed:
    import pydicom
    from pydicom.errors import InvalidDicomError

    try:
        pydicom.dcmread(file, stop_before_pixels=True)
    except (InvalidDicomError, OSError, ValueError, EOFError, KeyError, TypeError) as error:
        raise NotReadable(f"pydicom cannot read it as DICOM: {error}") from None
    return Probed(DICOM_SERIES.key, "DICOM", ("application/dicom",))


def _read_nifti(file: SeekableFile, extension: str) -> Probed:
    from nibabel.nifti1 import Nifti1Header
    from nibabel.nifti2 import Nifti2Header

    head = file.read(2)
    file.seek(0)
    stream: Any = gzip.GzipFile(fileobj=cast(Any, file), mode="rb") if head == b"\x1f\x8b" else file
    data = _read_some(stream, 540)
    for header_class in (Nifti1Header, Nifti2Header):
        if header_class.may_contain_header(data):  # type: ignore[no-untyped-call]
            return Probed(NIFTI.key, "NIfTI", ("application/x-nifti",))
    raise NotReadable("nibabel finds no valid NIfTI-1 or NIfTI-2 header")


def _read_some(stream: SeekableFile, size: int) -> bytes:
    try:
        return stream.read(size)
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise NotReadable(f"the gzip stream cannot be read: {error}") from None


def _read_text(file: SeekableFile, extension: str) -> Probed:
    sample = file.read(64 * 1024)
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 4:  # a character cut at the sample's end is no mistake
            raise NotReadable(f"not UTF-8 text (byte {error.start:,} is {sample[error.start]:#04x})") from None
    mime_types = MIME_TYPES.get(extension, ("text/plain",))
    probed = Probed(TEXT.key, "text", mime_types)
    probed.values["mimeType"] = mime_types[0]
    return probed


def _prefer(mime_types: tuple[str, ...], extension: str) -> tuple[str, ...]:
    """``mime_types`` with the one the extension names first (an .mov in the mp4 demuxer is video/quicktime)."""
    named = [mime for mime in MIME_TYPES.get(extension, ()) if mime in mime_types]
    return tuple(dict.fromkeys([*named, *mime_types]))


_Reader = Callable[[SeekableFile, str], Probed]
_READERS: dict[str, _Reader] = {
    VIDEOS.key: _read_av,
    AUDIO.key: _read_av,
    IMAGES.key: _read_image,
    PDFS.key: _read_pdf,
    DICOM_SERIES.key: _read_dicom,
    NIFTI.key: _read_nifti,
    TEXT.key: _read_text,
}
"""The reader of each kind's files (a group kind's files are read as ``kinds.file_kind`` says)."""

_SNIFFERS: tuple[Callable[[SeekableFile, str], Probed], ...] = (
    _read_image,
    _read_pdf,
    _read_dicom,
    _read_nifti,
    _read_av,
)
"""Tried in this order when the extension's reader fails: the cheap, strict ones first, FFmpeg last."""
