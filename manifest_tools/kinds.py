"""The one table of per-kind facts.

Readers, writers, rules, the converter, the classifier and the JSON Schema all
read these facts from here, so that a list of extensions or keys is written once.
The source is ``shared/spec/manifest-format.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Literal


class ValueType(Enum):
    """The JSON type a metadata field must have."""

    NUMBER = "number"
    INTEGER = "integer"
    STRING = "string"


class TitleRule(Enum):
    """What a kind's title must look like (spec sections 1 and 8): the one answer that
    ``rules/structure.py`` and the native scanner (``native.py``) both read."""

    PLAIN = "plain"
    """Optional: any text within the length limit (the file name when left out)."""
    EXTENSION = "extension"
    """Optional, and should keep a file extension (videos, audio: the platform reads the type from it)."""
    OWN_EXTENSION = "own extension"
    """Optional, and must end in one of the kind's own extensions (NIfTI: ``.nii`` or ``.nii.gz``)."""
    GROUP = "group"
    """Required, with no file extension (image groups, DICOM series: it names several files)."""
    REQUIRED = "required"
    """Required, any text (scenes)."""

    @property
    def required(self) -> bool:
        """Whether an item of the kind needs a title."""
        return self in (TitleRule.GROUP, TitleRule.REQUIRED)


@dataclass(frozen=True, slots=True)
class MetadataField:
    """One field of a metadata block, with the snake_case alias the SDK accepts."""

    name: str
    type: ValueType
    snake: str | None = None
    positive: bool = False
    minimum: int | None = None
    maximum: int | None = None

    @property
    def spellings(self) -> tuple[str, ...]:
        """camelCase first, then the snake_case alias if it has one."""
        return (self.name,) if self.snake is None else (self.name, self.snake)

    def spelling_in(self, values: dict[str, object]) -> str | None:
        """The spelling ``values`` uses for this field (camelCase when both are there), or None."""
        return next((name for name in self.spellings if name in values), None)


@dataclass(frozen=True, slots=True)
class MetadataBlock:
    """A per-kind metadata block: when present, every field is required."""

    key: str
    fields: tuple[MetadataField, ...]
    documented_spellings: tuple[frozenset[str], ...] = ()
    """Key sets the platform's documentation itself writes, mixed casing included: these draw no
    mixed-casing warning (spec section 6)."""

    def field(self, name: str) -> MetadataField | None:
        """The field spelled ``name`` in camelCase or snake_case."""
        for candidate in self.fields:
            if name in (candidate.name, candidate.snake):
                return candidate
        return None


@dataclass(frozen=True, slots=True)
class CsvBlock:
    """How a kind is written in a CSV manifest (spec section 2): its header row and what its rows carry."""

    title_heading: str
    """The title heading written (readers accept it and ``also_read`` in any case)."""
    also_read: tuple[str, ...] = ()
    """Other spellings of the title heading the platform reads (lower case)."""
    false_create_video: bool = False
    """The block may carry a Create video column if every row says false (the spec's
    ``Image title [,Create video]`` header)."""
    advice: str = ""
    """What a conversion to CSV notes about the block (the platform's advice on the kind in CSV)."""

    @property
    def title_headings(self) -> tuple[str, ...]:
        """Every heading read as this block's title, lower case."""
        return (self.title_heading.lower(), *self.also_read)


CSV_URL_HEADING = "ObjectUrl"
CSV_CREATE_VIDEO_HEADING = "Create video"


@dataclass(frozen=True, slots=True, eq=False)
class Kind:
    """One top-level array of a JSON manifest and everything known about it.

    Kinds are singletons, so they compare and hash by identity (hashing every
    field was a hot spot when kinds key dictionaries).
    """

    key: str
    label: str
    multi_file: bool
    extensions: frozenset[str]
    title_rule: TitleRule = TitleRule.PLAIN
    metadata: MetadataBlock | None = None
    csv: CsvBlock | None = None
    """Its CSV block, or None when CSV cannot carry the kind."""
    accepts_any_extension: bool = False
    extensionless_ok: bool = False
    sdk_key: str = ""
    """The key of ``encord.orm.storage.DataUploadItems`` (by alias) that holds this kind."""
    sdk_files_key: str = ""
    """Multi-file kinds: the key of a group's list of ``{"url": ...}`` files in the SDK's shape."""
    scene: bool = False
    """Items hold a ``scene`` object (spec section 8) instead of object URLs."""
    create_video: bool = False
    """Items carry a boolean ``createVideo`` (spec section 1: false keeps the images a group, true encodes
    them into a video, an image sequence); in CSV the block has a Create video column. Every reader, rule,
    writer and the converter asks this rather than which kind it is."""
    batch_count: Literal["videos", "images", ""] = ""
    """What the platform's per-upload recommendation counts an item as: one video, one image per file,
    or nothing (the limit rules and ``split`` read it)."""
    grouped_as: str = ""
    """The key of the multi-file kind that ``generate`` can gather this kind's files into, one item per
    folder (images into image groups or sequences); multi-file kinds are always gathered into themselves."""

    def __repr__(self) -> str:
        return f"Kind({self.key!r})"

    @property
    def csv_title_headings(self) -> tuple[str, ...]:
        """The headings a CSV reader takes for this kind's title (none when CSV has no block for it)."""
        return self.csv.title_headings if self.csv is not None else ()

    @property
    def csv_header(self) -> tuple[str, ...]:
        """The header row a CSV block of this kind is written with (empty when CSV cannot carry it)."""
        if self.csv is None:
            return ()
        return (CSV_URL_HEADING, self.csv.title_heading, *((CSV_CREATE_VIDEO_HEADING,) if self.create_video else ()))

    @property
    def csv_fields(self) -> frozenset[str]:
        """The item fields a CSV row of this kind carries (besides the numbered URLs of a group)."""
        if self.csv is None:
            return frozenset()
        fields = {TITLE} | ({CREATE_VIDEO} if self.create_video else set())
        return frozenset(fields if self.multi_file else fields | {OBJECT_URL})

    @property
    def plural(self) -> str:
        """The label in the plural, for messages and summaries."""
        return self.label + ("" if self.label.endswith("s") else "s")


_F = MetadataField
_N, _I, _S = ValueType.NUMBER, ValueType.INTEGER, ValueType.STRING

FILE_SIZE = _F("fileSize", _I, "file_size", positive=True)
"""The size in bytes, in every block that has one (limits and verify read it whatever its spelling)."""
MIME_TYPE = _F("mimeType", _S, "mime_type")
"""The MIME type, in every block that has one (its fix rewrites it whatever its spelling)."""

IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "webp", "avif", "bmp", "tif", "tiff"})
TIFF_EXTENSIONS = frozenset({"tif", "tiff"})
SEQUENCE_EXTENSIONS = IMAGE_EXTENSIONS - TIFF_EXTENSIONS
VIDEO_EXTENSIONS = frozenset({"mp4", "mov", "webm", "mkv"})
AUDIO_EXTENSIONS = frozenset({"mp3", "wav", "flac", "eac3", "m4a", "mp4"})
TEXT_EXTENSIONS = frozenset({"txt", "md", "rst", "html", "htm", "xml", "json", "csv"})
SCENE_FORMATS: tuple[str, ...] = ("pcd", "ply", "las", "laz", "e57", "mcap", "bag", "db3")
"""Self-contained scene file formats (the SDK's ``encord.beta.scene`` list; a test compares the two)."""

VIDEOS = Kind(
    key="videos",
    sdk_key="videos",
    label="video",
    multi_file=False,
    extensions=VIDEO_EXTENSIONS,
    metadata=MetadataBlock(
        "videoMetadata",
        (
            _F("fps", _N, positive=True),
            _F("duration", _N, positive=True),
            _F("width", _I, positive=True),
            _F("height", _I, positive=True),
            FILE_SIZE,
            MIME_TYPE,
        ),
    ),
    title_rule=TitleRule.EXTENSION,
    csv=CsvBlock("Video title"),
    batch_count="videos",
)
IMAGES = Kind(
    key="images",
    sdk_key="images",
    label="image",
    multi_file=False,
    extensions=IMAGE_EXTENSIONS,
    metadata=MetadataBlock(
        "imageMetadata",
        (
            MIME_TYPE,
            FILE_SIZE,
            _F("width", _I, positive=True),
            _F("height", _I, positive=True),
        ),
    ),
    csv=CsvBlock("Image title", false_create_video=True),
    batch_count="images",
    grouped_as="image_groups",
)
AUDIO = Kind(
    key="audio",
    sdk_key="audio",
    label="audio file",
    multi_file=False,
    extensions=AUDIO_EXTENSIONS,
    title_rule=TitleRule.EXTENSION,
    metadata=MetadataBlock(
        "audioMetadata",
        (
            _F("duration", _N, positive=True),
            FILE_SIZE,
            MIME_TYPE,
            _F("sampleRate", _I, "sample_rate", minimum=8_000, maximum=96_000),
            _F("bitDepth", _I, "bit_depth", minimum=16, maximum=32),
            _F("codec", _S),
            _F("numChannels", _I, "num_channels", positive=True),
        ),
    ),
)
PDFS = Kind(
    key="pdfs",
    sdk_key="pdf",
    label="PDF",
    multi_file=False,
    extensions=frozenset({"pdf"}),
    metadata=MetadataBlock(
        "pdfMetadata",
        (
            FILE_SIZE,
            _F("numPages", _I, "num_pages", positive=True),
        ),
    ),
)
TEXT = Kind(
    key="text",
    sdk_key="text",
    label="text file",
    multi_file=False,
    extensions=TEXT_EXTENSIONS,
    metadata=MetadataBlock(
        "textMetadata",
        (
            FILE_SIZE,
            MIME_TYPE,
        ),
        documented_spellings=(frozenset({"fileSize", "mime_type"}),),
    ),
    accepts_any_extension=True,
)
NIFTI = Kind(
    key="nifti",
    sdk_key="nifti",
    label="NIfTI file",
    multi_file=False,
    extensions=frozenset({"nii", "nii.gz"}),
    title_rule=TitleRule.OWN_EXTENSION,
)
IMAGE_GROUPS = Kind(
    key="image_groups",
    sdk_key="imageGroups",
    sdk_files_key="images",
    label="image group",
    multi_file=True,
    extensions=IMAGE_EXTENSIONS,
    title_rule=TitleRule.GROUP,
    create_video=True,
    csv=CsvBlock("Image group title"),
    batch_count="images",
)
DICOM_SERIES = Kind(
    key="dicom_series",
    sdk_key="dicomSeries",
    sdk_files_key="dicomFiles",
    label="DICOM series",
    multi_file=True,
    extensions=frozenset({"dcm", "dicom"}),
    title_rule=TitleRule.GROUP,
    csv=CsvBlock(
        "Series title",
        also_read=("dicom title",),
        advice="the platform's FAQ recommends registering cloud DICOM from JSON",
    ),
    extensionless_ok=True,
)

SCENES = Kind(
    key="scenes",
    sdk_key="scenes",
    label="scene",
    multi_file=False,
    extensions=frozenset(SCENE_FORMATS),
    title_rule=TitleRule.REQUIRED,
    scene=True,
)

KINDS: tuple[Kind, ...] = (VIDEOS, IMAGES, AUDIO, PDFS, TEXT, NIFTI, IMAGE_GROUPS, DICOM_SERIES, SCENES)
"""Every kind, in the canonical order used when writing manifests."""

CSV_KINDS: tuple[Kind, ...] = (IMAGE_GROUPS, IMAGES, VIDEOS, DICOM_SERIES)
"""Kinds a CSV manifest can hold (those with a ``csv`` block), in the order blocks are written (as in the
spec's example)."""
if {kind for kind in KINDS if kind.csv is not None} != set(CSV_KINDS):
    raise RuntimeError("CSV_KINDS must list exactly the kinds that have a CSV block")

KINDS_BY_KEY: dict[str, Kind] = {kind.key: kind for kind in KINDS}
if any(kind.grouped_as and not KINDS_BY_KEY[kind.grouped_as].multi_file for kind in KINDS):
    raise RuntimeError("grouped_as must name a multi-file kind")
METADATA_KEYS: dict[str, Kind] = {k.metadata.key: k for k in KINDS if k.metadata is not None}

FLAG_KEYS: tuple[str, ...] = ("skip_duplicate_urls", "upsert_metadata")
SCHEMA_KEY = "$schema"
"""An editor hint (the JSON Schema the file follows); registers nothing and is no mistake."""
TOP_LEVEL_KEYS: tuple[str, ...] = (*KINDS_BY_KEY, *FLAG_KEYS, SCHEMA_KEY)

SDK_SPELLINGS: dict[str, str] = {
    "video": "videos",
    "image": "images",
    "imageGroups": "image_groups",
    "imageGroup": "image_groups",
    "image_group": "image_groups",
    "dicomSeries": "dicom_series",
    "dicom": "dicom_series",
    "pdf": "pdfs",
    "niftis": "nifti",
    "audios": "audio",
    "texts": "text",
}
"""Keys users copy from the SDK's structured ``DataUploadItems`` or guess, and what they meant."""

FLAG_SPELLINGS: dict[str, str] = {"skipDuplicateUrls": "skip_duplicate_urls", "upsertMetadata": "upsert_metadata"}
"""The structured payload's spellings of the flags, seen in real manifests: whether the platform honours
them in a manifest is not public (spec section 8), so they are renamed to the documented spelling."""
FLAG_NAMES: tuple[str, ...] = (*FLAG_KEYS, *FLAG_SPELLINGS)
"""Every spelling of a flag a manifest may carry: what convert, split and canonical order treat as flags."""
UNDOCUMENTED_KINDS: dict[str, str] = {"time_series": "time series", "timeSeries": "time series"}
"""Kinds the SDK's structured upload has but whose manifest key is not public (spec section 8)."""

# Item fields.
SCENE = "scene"
SCENE_URI_KEYS = frozenset({"url", "uri"})
"""Keys whose string values are file locations, anywhere in a scene."""
SCENE_CONTENT = "content"
"""A scene's content inside its optional configuration wrapper (it may be one file location)."""
OBJECT_URL = "objectUrl"
OBJECT_URL_PREFIX = "objectUrl_"
TITLE = "title"
CREATE_VIDEO = "createVideo"
CLIENT_METADATA = "clientMetadata"
ENCORD_KEY = "$encord"
DEPRECATED_KEYFRAMES = "keyframes"
RETIRED_FIELDS: dict[str, str] = {"duration_seconds": "duration"}

# Limits (spec section 1 "Limits per JSON file", section 2, multi-file items).
MAX_URLS_PER_FILE = 1_000_000
MAX_ITEMS_PER_FILE = 500_000
MAX_URL_BYTES = 16 * 1024
MAX_TITLE_CHARS = 300
MAX_FILE_NAME_CHARS = 300
MAX_CLIENT_METADATA_BYTES = 10 * 1024 * 1024
MAX_SEQUENCE_FRAMES = 32_767
SLOW_SEQUENCE_FRAMES = 15_000
MAX_CSV_ENTRIES = 10_000
MAX_STORED_INTEGER = 2**63 - 1
"""The largest whole number a metadata field holds: the SDK sends the ints of its metadata models (fileSize,
width ...) as they are, and the platform keeps them in 64-bit integer columns (the spec gives no range; a
larger value overflows there). A number field (fps, duration) is a 64-bit float: any finite one fits."""
RECOMMENDED_MAX_VIDEOS = 100
RECOMMENDED_MAX_IMAGES = 1_000
RECOMMENDED_MAX_BATCH_BYTES = 2 * 1024**3

# MIME types per extension: the first is canonical, the rest are accepted aliases.
MIME_TYPES: dict[str, tuple[str, ...]] = {
    "jpg": ("image/jpeg",),
    "jpeg": ("image/jpeg",),
    "png": ("image/png",),
    "webp": ("image/webp",),
    "avif": ("image/avif",),
    "bmp": ("image/bmp", "image/x-bmp", "image/x-ms-bmp"),
    "tif": ("image/tiff",),
    "tiff": ("image/tiff",),
    "mp4": ("video/mp4", "audio/mp4"),
    "mov": ("video/quicktime",),
    "webm": ("video/webm", "audio/webm"),
    "mkv": ("video/x-matroska", "video/matroska"),
    "mp3": ("audio/mpeg",),
    "wav": ("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave"),
    "flac": ("audio/flac", "audio/x-flac"),
    "eac3": ("audio/eac3",),
    "m4a": ("audio/mp4", "audio/x-m4a", "audio/m4a"),
    "pdf": ("application/pdf",),
    "txt": ("text/plain",),
    "md": ("text/markdown", "text/x-markdown", "text/plain"),
    "rst": ("text/x-rst", "text/prs.fallenstein.rst", "text/plain"),
    "html": ("text/html",),
    "htm": ("text/html",),
    "xml": ("application/xml", "text/xml"),
    "json": ("application/json",),
    "csv": ("text/csv",),
}

NONSTANDARD_MIME_TYPES: dict[str, str] = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/tif": "image/tiff",
    "audio/mp3": "audio/mpeg",
    "audio/x-mp3": "audio/mpeg",
    "audio/mpeg3": "audio/mpeg",
    "video/mov": "video/quicktime",
    "video/mkv": "video/x-matroska",
}
"""MIME types seen in manifests that are not registered, and the registered one meant."""


def kind_of_extension(extension: str) -> tuple[Kind, ...]:
    """Every kind whose files may carry ``extension`` (lower case, no dot)."""
    return tuple(kind for kind in KINDS if extension in kind.extensions)


EXTENSION_OWNERS: dict[str, Kind] = {}
"""The kind a file is by its extension alone: of the kinds listing an extension, the first in ``KINDS``
(mp4 is a video rather than audio, jpg an image rather than an image group). The file-type rules and
``generate``'s classifier both ask :func:`extension_owner`."""
for _kind in KINDS:
    for _extension in _kind.extensions:
        EXTENSION_OWNERS.setdefault(_extension, _kind)


FILE_KINDS: dict[Kind, Kind] = {KINDS_BY_KEY[kind.grouped_as]: kind for kind in KINDS if kind.grouped_as}
"""The kind each file of a group kind is on its own (an image group's files are images), from ``grouped_as``."""


def file_kind(kind: Kind) -> Kind:
    """The kind one of ``kind``'s files is: its own, or for a group kind the kind it gathers (probe reads it so)."""
    return FILE_KINDS.get(kind, kind)


def extension_owner(extension: str) -> Kind | None:
    """The kind a file with ``extension`` (lower case, no dot) is, or None for an extension no kind lists."""
    return EXTENSION_OWNERS.get(extension)


def file_extension(name: str) -> str:
    """The lower-case extension of a file name, treating ``.nii.gz`` as one extension."""
    lowered = name.lower()
    if lowered.endswith(".nii.gz"):
        return "nii.gz"
    dot = lowered.rfind(".")
    if dot <= 0 or dot == len(lowered) - 1:
        return ""
    return lowered[dot + 1 :]
