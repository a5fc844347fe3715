"""Real media files made by the libraries themselves, each with the properties it was made with.

Used by the probe tests and by benchmarks/probe_bytes.py. Every file is encoded
(PyAV, Pillow, pypdf, pydicom, nibabel), never written byte by byte, so the
probe is tested against references it did not write.
"""

from __future__ import annotations

import fractions
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Made:
    """A file and what it is known to be."""

    name: str
    kind: str
    values: dict[str, Any]
    facts: dict[str, Any] = field(default_factory=dict)
    """Playability facts it was made with (codec, rotation, variable frame rate ...)."""


def video(
    path: Path,
    *,
    codec: str = "libx264",
    frames: int = 30,
    rate: int = 25,
    size: tuple[int, int] = (64, 48),
    fast_start: bool = False,
    rotate: int | None = None,
    variable: bool = False,
    pixel_format: str = "yuv420p",
    container_format: str | None = None,
    noise: bool = False,
) -> None:
    """Encode a short video; ``variable`` alternates frame durations of 40 and 80 ms."""
    import av
    import numpy as np

    options = {"movflags": "+faststart"} if fast_start else {}
    width, height = size
    rng = np.random.default_rng(1)
    with av.open(str(path), "w", format=container_format, options=options) as container:
        stream = container.add_stream(codec, rate=rate)
        stream.width, stream.height, stream.pix_fmt = width, height, pixel_format
        if codec == "libx264":
            stream.options = {"preset": "ultrafast"}
        elif codec == "libx265":
            stream.options = {"x265-params": "log-level=error"}
        if rotate is not None:
            stream.set_display_rotation(rotate)
        time_base = fractions.Fraction(1, 1000) if variable else fractions.Fraction(1, rate)
        stream.codec_context.time_base = time_base
        pts = 0
        for index in range(frames):
            if noise:
                pixels = rng.integers(0, 255, (height, width, 3), dtype=np.uint8)
            else:
                pixels = np.full((height, width, 3), index * 8 % 255, np.uint8)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts, frame.time_base = pts, time_base
            pts += (40 if index % 2 else 80) if variable else 1
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def audio(path: Path, codec: str, *, rate: int = 44100, seconds: float = 1.0, layout: str = "stereo") -> None:
    """Encode a silent audio file (PCM in WAV, FLAC, MP3 with LAME)."""
    import av
    import numpy as np

    channels = 2 if layout == "stereo" else 1
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=rate, layout=layout)
        samples = int(rate * seconds)
        frame = av.AudioFrame.from_ndarray(np.zeros((1, samples * channels), np.int16), format="s16", layout=layout)
        frame.sample_rate, frame.pts = rate, 0
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def image(path: Path, image_format: str, size: tuple[int, int], orientation: int | None = None) -> None:
    from PIL import Image

    picture = Image.new("RGB", size, "teal")
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    picture.save(path, format=image_format, exif=exif)


def pdf(path: Path, pages: int) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(200, 100)
    writer.write(path)


def dicom(path: Path, instance: int) -> None:
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, SecondaryCaptureImageStorage, generate_uid

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    dataset = Dataset()
    dataset.file_meta = meta
    dataset.SOPClassUID, dataset.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
    dataset.InstanceNumber = instance
    dataset.Rows, dataset.Columns = 4, 6
    dataset.BitsAllocated, dataset.BitsStored, dataset.HighBit = 8, 8, 7
    dataset.PixelRepresentation, dataset.SamplesPerPixel = 0, 1
    dataset.PhotometricInterpretation = "MONOCHROME2"
    dataset.PixelData = bytes(24)
    dataset.save_as(path, enforce_file_format=True)


def nifti(path: Path) -> None:
    import nibabel
    import numpy as np

    nibabel.save(nibabel.Nifti1Image(np.zeros((7, 5, 3), np.int16), np.eye(4)), path)


def make_all(folder: Path) -> list[Made]:
    """Every file of the probe tests in ``folder``, with its known properties (fileSize filled in last)."""
    folder.mkdir(parents=True, exist_ok=True)
    made: list[Made] = []

    def video_item(name: str, values: dict[str, Any], facts: dict[str, Any], **options: Any) -> None:
        video(folder / name, **options)
        made.append(Made(name, "videos", values, facts))

    plain = {"fps": 25.0, "duration": 1.2, "width": 64, "height": 48}
    video_item("h264.mp4", {**plain, "mimeType": "video/mp4"}, {"codec": "h264"})
    video_item("h264-faststart.mp4", {**plain, "mimeType": "video/mp4"}, {"codec": "h264"}, fast_start=True)
    video_item(
        "vp9.webm",
        {**plain, "mimeType": "video/webm"},
        {"codec": "vp9"},
        codec="libvpx-vp9",
        container_format="webm",
    )
    video_item("hevc.mp4", {**plain, "mimeType": "video/mp4"}, {"codec": "hevc"}, codec="libx265")
    video_item(
        "ten-bit.mp4", {**plain, "mimeType": "video/mp4"}, {"pixel_format": "yuv420p10le"}, pixel_format="yuv420p10le"
    )
    video_item("rotated.mov", {**plain, "mimeType": "video/quicktime"}, {"rotation": 90}, rotate=90)
    video_item(
        "variable.mp4",
        {"fps": 16.666667, "duration": 1.8, "width": 64, "height": 48, "mimeType": "video/mp4"},
        {"variable_frame_rate": True},
        variable=True,
    )
    for name, codec, values in (
        ("tone.wav", "pcm_s16le", {"codec": "pcm_s16le", "bitDepth": 16, "mimeType": "audio/wav"}),
        ("tone.flac", "flac", {"codec": "flac", "bitDepth": 16, "mimeType": "audio/flac"}),
        ("tone.mp3", "libmp3lame", {"codec": "mp3", "bitDepth": 32, "mimeType": "audio/mpeg"}),
    ):
        audio(folder / name, codec)
        made.append(Made(name, "audio", {"duration": 1.0, "sampleRate": 44100, "numChannels": 2, **values}))
    image(folder / "photo.jpg", "JPEG", (40, 30))
    made.append(Made("photo.jpg", "images", {"mimeType": "image/jpeg", "width": 40, "height": 30}))
    image(folder / "portrait.jpg", "JPEG", (40, 30), orientation=6)
    made.append(
        Made("portrait.jpg", "images", {"mimeType": "image/jpeg", "width": 30, "height": 40}, {"exif_orientation": 6})
    )
    image(folder / "chart.png", "PNG", (50, 20))
    made.append(Made("chart.png", "images", {"mimeType": "image/png", "width": 50, "height": 20}))
    image(folder / "png-named.jpg", "PNG", (10, 10))
    made.append(
        Made("png-named.jpg", "images", {"mimeType": "image/png", "width": 10, "height": 10}, {"format": "PNG"})
    )
    pdf(folder / "report.pdf", 3)
    made.append(Made("report.pdf", "pdfs", {"numPages": 3}))
    (folder / "notes.txt").write_text("hello\n", encoding="utf-8")
    made.append(Made("notes.txt", "text", {"mimeType": "text/plain"}))
    (folder / "series").mkdir(exist_ok=True)
    for index in (1, 2):
        dicom(folder / f"series/{index}.dcm", index)
        made.append(Made(f"series/{index}.dcm", "dicom_series", {}, {"format": "DICOM"}))
    nifti(folder / "brain.nii.gz")
    made.append(Made("brain.nii.gz", "nifti", {}, {"format": "NIfTI"}))
    truncated = (folder / "h264-faststart.mp4").read_bytes()
    (folder / "cut.mp4").write_bytes(truncated[: len(truncated) // 2])
    made.append(Made("cut.mp4", "videos", {}, {"truncated": True}))
    (folder / "garbage.mp4").write_bytes(b"not a video at all\n" * 50)
    made.append(Made("garbage.mp4", "videos", {}, {"unreadable": True}))
    sized = []
    for item in made:
        values = dict(item.values)
        if item.kind not in ("dicom_series", "nifti") and item.values:
            values["fileSize"] = (folder / item.name).stat().st_size
        sized.append(Made(item.name, item.kind, values, item.facts))
    return sized
