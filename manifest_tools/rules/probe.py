"""MT93x playability and MT94x metadata: what `verify --metadata` and `probe` find in the files' headers.

No lint checker: these rules need the files. ``cloud/probe.py`` reads each
file's header (``media.py``) and asks :func:`judge` what is wrong with it; every
predicate (which codecs a browser plays, how close a duration must be) lives
here, beside the rule that reports it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from manifest_tools.codes import Code
from manifest_tools.kinds import MIME_TYPES, Kind, file_kind
from manifest_tools.report.diagnostic import Finding
from manifest_tools.rules.registry import register, rule

if TYPE_CHECKING:
    from manifest_tools.media import Probed  # fractions and decimal: lint registers these rules, never runs them

BROWSER_VIDEO_CODECS = frozenset({"h264", "vp8", "vp9", "av1"})
"""Codecs every current browser decodes (HEVC plays in Safari and on some hardware only; ProRes nowhere)."""
BROWSER_PIXEL_FORMATS = frozenset({"yuv420p", "yuvj420p"})
"""8-bit 4:2:0: what browsers decode everywhere (10-bit, 4:2:2 and 4:4:4 fail or fall back to software)."""
FPS_TOLERANCE = 0.01
"""Frames per second: 29.97 and 30000/1001 are the same rate; 30 and 29.97 drift a frame every 33 s."""
MIN_DURATION_TOLERANCE = 0.05
"""Seconds: durations agree within one frame, and never closer than this (audio, rounding)."""

_U = "https://acme.s3.eu-west-2.amazonaws.com"
_VIDEO_BLOCK = '"videoMetadata": {{"fps": {fps}, "duration": {duration}, "width": {width}, "height": 1080, "fileSize": 5242880, "mimeType": "{mime}"}}'


def _video(
    fps: object = 25, duration: object = 12.0, width: object = 1920, mime: str = "video/mp4", name: str = "a.mp4"
) -> str:
    block = _VIDEO_BLOCK.format(fps=fps, duration=duration, width=width, mime=mime)
    return f'{{"videos": [{{"objectUrl": "{_U}/{name}", {block}}}]}}'


def _audio(sample_rate: int = 44100, channels: int = 2) -> str:
    return (
        f'{{"audio": [{{"objectUrl": "{_U}/a.wav", "audioMetadata": {{"duration": 1.0, "fileSize": 176478, '
        f'"mimeType": "audio/wav", "sampleRate": {sample_rate}, "bitDepth": 16, "codec": "pcm_s16le", "numChannels": {channels}}}}}]}}'
    )


def _plain(name: str, kind: str = "videos") -> str:
    return f'{{"{kind}": [{{"objectUrl": "{_U}/{name}"}}]}}'


RULES = [
    rule(
        Code.MT931,
        "video-codec-unplayable",
        "error",
        "A video codec that browsers do not play (HEVC, ProRes, MPEG-4 Part 2 ...).",
        f"""The editor plays videos in the browser; a codec outside
        {", ".join(sorted(BROWSER_VIDEO_CODECS))} shows a black frame or nothing at
        all, found only after the upload. Re-encode, for example with
        ffmpeg -i in.mp4 -c:v libx264 -pix_fmt yuv420p out.mp4.""",
        _plain("clip.mp4") + "  (clip.mp4 is HEVC)",
        _plain("clip.mp4"),
        literal_bad=False,
    ),
    rule(
        Code.MT932,
        "pixel-format-unplayable",
        "error",
        "A video pixel format browsers do not play (10-bit, 4:2:2, 4:4:4).",
        """Browsers decode 8-bit 4:2:0 video (yuv420p); a 10-bit or 4:4:4 stream of a
        codec they know still fails or plays wrong. Re-encode with -pix_fmt yuv420p.""",
        _plain("clip.mp4") + "  (clip.mp4 is H.264 yuv420p10le)",
        _plain("clip.mp4"),
        literal_bad=False,
    ),
    rule(
        Code.MT933,
        "variable-frame-rate",
        "warning",
        "A video whose frame rate varies (phone and screen recordings).",
        """Labels are placed per frame at a fixed rate; with a variable frame rate
        the frame the browser shows drifts from the frame a label belongs to.
        Re-encode at a constant rate (ffmpeg -i in.mp4 -fps_mode cfr -r 30 out.mp4).""",
        _plain("screen.mp4") + "  (frames of 40 and 80 ms alternate)",
        _plain("screen.mp4"),
        literal_bad=False,
    ),
    rule(
        Code.MT934,
        "rotated-video",
        "warning",
        "A video with a rotation flag (display matrix), as phones record portrait video.",
        """Players apply the flag, frame extraction and exported coordinates may not:
        labels made on the turned picture land on the stored one. Bake the rotation
        in (ffmpeg re-encodes with it applied by default).""",
        _plain("phone.mov") + "  (phone.mov is stored 1920x1080, shown turned by 90 degrees)",
        _plain("phone.mov"),
        literal_bad=False,
    ),
    rule(
        Code.MT935,
        "content-not-extension",
        "error",
        "The file's content is another format than its extension says (a PNG named .jpg).",
        """The platform and browsers pick a decoder from the name and the MIME type
        derived from it; a mismatch shows nothing, or fails the upload. Rename the
        file to its real extension, or convert it.""",
        '{"images": [{"objectUrl": "https://acme.s3.eu-west-2.amazonaws.com/a.jpg"}]}  (a.jpg holds a PNG)',
        '{"images": [{"objectUrl": "https://acme.s3.eu-west-2.amazonaws.com/a.png"}]}',
        literal_bad=False,
    ),
    rule(
        Code.MT936,
        "truncated-file",
        "error",
        "A file cut short: its own index points past its end (an interrupted copy).",
        """The first seconds may play, the rest cannot; labels past the cut are lost.
        Copy the file again from its source.""",
        _plain("clip.mp4") + "  (an upload stopped half way)",
        _plain("clip.mp4"),
        literal_bad=False,
    ),
    rule(
        Code.MT937,
        "unreadable-file",
        "error",
        "No reader recognises the file as its kind (not a video, image, PDF, DICOM or NIfTI file at all).",
        """An error page saved under the file's name, a zero-filled copy, or a file
        of another kind: the platform's processing fails for it hours into the upload.""",
        _plain("clip.mp4") + "  (clip.mp4 holds an HTML error page)",
        _plain("clip.mp4"),
        literal_bad=False,
    ),
    rule(
        Code.MT938,
        "not-probed",
        "warning",
        "A file whose header was not read (over the request or byte budget, or the read failed).",
        """Nothing is known about it: raise --max-requests or --max-bytes, check the
        credentials, or run again (cached results are not read twice).""",
        '{"videos": [ ... more files than --max-requests allows ... ]}',
        '{"videos": [ ... within the budget ... ]}',
        literal_bad=False,
    ),
    rule(
        Code.MT941,
        "fps-mismatch",
        "error",
        "videoMetadata fps differs from the video's frame rate.",
        f"""The platform uses the given fps instead of reading the file: every label
        after the first second lands on the wrong frame. Rates within
        {FPS_TOLERANCE} agree (29.97 is 30000/1001).""",
        _video(fps=30) + "  (a.mp4 runs at 25 fps)",
        _video(),
        literal_bad=False,
    ),
    rule(
        Code.MT942,
        "duration-mismatch",
        "error",
        "A metadata duration differs from the file's by more than one frame.",
        f"""A wrong duration cuts the timeline short or pads it; labels near the end
        are lost. Durations agree within one frame (at least {MIN_DURATION_TOLERANCE} s),
        and either the stream's or the container's duration is accepted.""",
        _video(duration=60.0) + "  (a.mp4 lasts 12 s)",
        _video(),
        literal_bad=False,
    ),
    rule(
        Code.MT943,
        "dimensions-mismatch",
        "error",
        "Metadata width or height differs from the file's (EXIF orientation included).",
        """Labels are stored in pixel coordinates of the given size: a wrong width
        scales or shifts every box. An image whose EXIF orientation turns it by 90
        degrees is shown with width and height swapped; videos are accepted as
        stored or as shown.""",
        _video(width=1280) + "  (a.mp4 is 1920x1080)",
        _video(),
        literal_bad=False,
    ),
    rule(
        Code.MT944,
        "mime-type-mismatch",
        "error",
        "Metadata mimeType differs from the file's real format.",
        """The browser is told to decode another format than the file holds.""",
        _video(mime="video/webm") + "  (a.mp4 is an MP4)",
        _video(),
        literal_bad=False,
    ),
    rule(
        Code.MT945,
        "audio-format-mismatch",
        "error",
        "audioMetadata sampleRate, bitDepth, codec or numChannels differs from the file's.",
        """Waveforms and timestamps are computed from these values: a wrong sample
        rate stretches every label in time. A lossy codec's bit depth (MP3, AAC) is
        not in its header and is not compared.""",
        _audio(sample_rate=48000) + "  (a.wav is sampled at 44,100 Hz)",
        _audio(),
        literal_bad=False,
    ),
    rule(
        Code.MT946,
        "page-count-mismatch",
        "error",
        "pdfMetadata numPages differs from the PDF's page count.",
        """Pages past the given count cannot be labelled.""",
        f'{{"pdfs": [{{"objectUrl": "{_U}/a.pdf", "pdfMetadata": {{"fileSize": 671, "numPages": 30}}}}]}}  (a.pdf has 3 pages)',
        f'{{"pdfs": [{{"objectUrl": "{_U}/a.pdf", "pdfMetadata": {{"fileSize": 671, "numPages": 3}}}}]}}',
        literal_bad=False,
    ),
]

register(RULES)

_FIELD_RULES = {
    "fps": Code.MT941,
    "duration": Code.MT942,
    "width": Code.MT943,
    "height": Code.MT943,
    "mimeType": Code.MT944,
    "sampleRate": Code.MT945,
    "bitDepth": Code.MT945,
    "codec": Code.MT945,
    "numChannels": Code.MT945,
    "numPages": Code.MT946,
    "fileSize": Code.MT902,
}
"""Which rule reports a differing value of each metadata field."""


def playability(probed: Probed, kind: Kind, extension: str, pointer: str) -> Iterator[Finding]:
    """What keeps the file at ``pointer`` (a URL's, of an item of ``kind``) from working, whatever its metadata says."""
    if extension in MIME_TYPES and not probed.fits_extension(extension):
        yield Finding(Code.MT935, f".{extension} file holds {probed.format} ({probed.mime_types[0]})", pointer)
    elif file_kind(kind).key != probed.kind and not kind.accepts_any_extension:
        yield Finding(Code.MT935, f"{kind.label} item whose file is {probed.format} ({probed.kind})", pointer)
    if probed.truncated:
        yield Finding(Code.MT936, f"truncated: {probed.truncated}", pointer)
    if probed.video_codec is not None and probed.video_codec not in BROWSER_VIDEO_CODECS:
        yield Finding(Code.MT931, f"video codec {probed.video_codec}, which browsers do not play", pointer)
    if probed.pixel_format is not None and probed.pixel_format not in BROWSER_PIXEL_FORMATS:
        yield Finding(Code.MT932, f"pixel format {probed.pixel_format}, which browsers do not play", pointer)
    if probed.variable_frame_rate:
        yield Finding(Code.MT933, "variable frame rate (the average rate differs from the base rate)", pointer)
    if probed.rotation:
        yield Finding(Code.MT934, f"rotation flag of {probed.rotation} degrees", pointer)


def mismatches(kind: Kind, fields: dict[str, Any], probed: Probed, pointer: str, *, sizes: bool) -> Iterator[Finding]:
    """Each value of the item's metadata block (at ``pointer``) that the header contradicts.

    ``sizes``: compare fileSize too (verify's listing compares it for bucket URLs already).
    """
    block = kind.metadata
    if block is None or not isinstance(fields.get(block.key), dict):
        return
    for spelling, given in fields[block.key].items():
        field = block.field(spelling)
        if field is None or field.name not in probed.values or field.name in probed.estimated:
            continue
        if field.name == "fileSize" and not sizes:
            continue
        why = _disagreement(field.name, given, probed)
        if why is not None:
            yield Finding(
                _FIELD_RULES[field.name], f"{spelling} is {given!r} but {why}", f"{pointer}/{block.key}/{spelling}"
            )


def _disagreement(name: str, given: Any, probed: Probed) -> str | None:
    """How the file contradicts ``given`` for field ``name``, or None when they agree (or ``given`` is no value)."""
    found = probed.values[name]
    if isinstance(given, bool) or not isinstance(given, (int, float, str)):
        return None  # a wrong type is lint's MT502
    if name == "mimeType":
        return (
            None if not isinstance(given, str) or probed.accepts_mime(given.strip().lower()) else f"the file is {found}"
        )
    if name == "codec":
        return None if not isinstance(given, str) or _same_codec(given, str(found)) else f"the file's codec is {found}"
    if isinstance(given, str):
        return None
    if name == "fps":
        return None if abs(given - float(found)) <= FPS_TOLERANCE else f"the video runs at {found:g} fps"
    if name == "duration":
        return _duration_disagreement(given, probed)
    if name in ("width", "height"):
        accepted = {found, *probed.alternatives.get(name, ())}
        if given in accepted:
            return None
        turned = f" (shown turned by EXIF orientation {probed.exif_orientation})" if probed.exif_orientation else ""
        return f"the file is {probed.values['width']}x{probed.values['height']}{turned}"
    return None if given == found else f"the file has {found!r}"


def _duration_disagreement(given: float, probed: Probed) -> str | None:
    fps = probed.values.get("fps")
    tolerance = max(MIN_DURATION_TOLERANCE, 1 / float(fps) if isinstance(fps, (int, float)) and fps > 0 else 0.0)
    found = [float(probed.values["duration"]), *probed.alternatives.get("duration", ())]
    if any(abs(given - value) <= tolerance for value in found):
        return None
    return f"the file lasts {found[0]:g} s"


def _same_codec(given: str, found: str) -> bool:
    """``pcm_s16le`` is also written ``pcm``; case never matters."""
    given, found = given.strip().lower(), found.lower()
    return given in (found, found.split("_", 1)[0])
