"""generate against real local emulators: URLs, encoding, grouping, pagination, failures."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools import providers
from manifest_tools.cli import main
from manifest_tools.cloud.classify import GroupingOptions
from manifest_tools.cloud.generate import NothingToRegister, generate
from manifest_tools.errors import SourceError
from manifest_tools.providers import ListerOptions, Retry, locate_url, url_key

from .faults import failing_proxy

FAST_RETRIES = ListerOptions(retry=Retry(backoff=0.01))
"""The stores' own back-off, shortened: the retries still happen, in milliseconds."""

KEYS = [
    "photos/shelf 1/frame2.jpg",
    "photos/shelf 1/frame10.jpg",
    "photos/shelf 1/frame1.jpg",
    "photos/a+b/c%d.png",
    "photos/ünïcode/ß.webp",
    "photos//double/x.jpg",
    "videos/clip.mp4",
    "docs/readme.xyz",
    "ct/0042/IM0001.dcm",
    "ct/0042/IM0002.dcm",
]


def _urls(path: Path) -> list[str]:
    manifest = manifest_tools.load(path)
    return [url for _, _, url in manifest.urls()]


def _shape(path: Path) -> dict[str, list[Any]]:
    data = json.loads(path.read_text())
    return {kind: [item.get("title") for item in items] for kind, items in data.items()}


def _check_output(path: Path, expected_prefix: str) -> None:
    assert manifest_tools.lint(path).diagnostics == []
    assert _shape(path) == {
        "videos": [None],
        "image_groups": ["photos//double", "photos/a+b", "photos/shelf 1", "photos/ünïcode"],
        "dicom_series": ["ct/0042"],
    }
    urls = _urls(path)
    assert all(url.startswith(expected_prefix) for url in urls), urls
    keys = [url_key(locate_url(url)) for url in urls]
    assert sorted(keys) == sorted(k for k in KEYS if not k.endswith(".xyz"))
    data = json.loads(path.read_text())
    shelf = next(g for g in data["image_groups"] if g["title"] == "photos/shelf 1")
    assert [shelf[f"objectUrl_{i}"].rsplit("/", 1)[1] for i in range(3)] == ["frame1.jpg", "frame2.jpg", "frame10.jpg"]


def _seed_s3(s3: Any, bucket: str = "acme-data", keys: list[str] = KEYS) -> None:
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")


def test_s3_generate_builds_public_urls_and_groups(s3: Any, s3_server: Any, tmp_path: Path) -> None:
    _seed_s3(s3)
    out = tmp_path / "m.json"
    result = CliRunner().invoke(
        main,
        ["generate", "s3://acme-data", "-o", str(out), "--endpoint-url", s3_server.endpoint, "--images-as", "groups"],
    )
    assert result.exit_code == 0, result.output
    assert "Skipped 1 object: of a type no kind lists." in result.stderr
    _check_output(out, "https://acme-data.s3.eu-west-2.amazonaws.com/")
    assert "https://acme-data.s3.eu-west-2.amazonaws.com/photos/a%2Bb/c%25d.png" in _urls(out)
    assert "127.0.0.1" not in out.read_text()


def test_s3_path_style_prefix_and_pagination(s3: Any, s3_server: Any, tmp_path: Path) -> None:
    _seed_s3(s3, keys=[f"frames/{i:03d}.jpg" for i in range(25)] + ["other/x.jpg"])
    out = tmp_path / "m.json"
    generate(
        "s3://acme-data/frames/",
        out,
        lister_options=ListerOptions(endpoint_url=s3_server.endpoint, url_style="path", page_size=4),
    )
    urls = _urls(out)
    assert len(urls) == 25 and urls[0] == "https://s3.eu-west-2.amazonaws.com/acme-data/frames/000.jpg"


def test_obs_uses_the_s3_api_and_obs_urls(s3: Any, s3_server: Any, tmp_path: Path) -> None:
    s3.create_bucket(Bucket="scans", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    s3.put_object(Bucket="scans", Key="mr/7/IM1.dcm", Body=b"x")
    out = tmp_path / "m.json"
    generate("obs://scans", out, lister_options=ListerOptions(region="eu-de", endpoint_url=s3_server.endpoint))
    assert _urls(out) == ["https://scans.obs.eu-de.otc.t-systems.com/mr/7/IM1.dcm"]


def test_gcs_generate(gcs: Any, gcs_server: Any, tmp_path: Path) -> None:
    bucket = gcs.create_bucket("acme-gcs")
    for key in KEYS:
        bucket.blob(key).upload_from_string(b"x")
    out = tmp_path / "m.json"
    generate(
        "gs://acme-gcs", out, grouping=GroupingOptions(images_as="groups"), lister_options=ListerOptions(page_size=3)
    )
    _check_output(out, "https://storage.cloud.google.com/acme-gcs/")


def test_azure_generate(azure: Any, azure_server: Any, tmp_path: Path) -> None:
    container = azure.create_container("footage")
    for key in KEYS:
        container.upload_blob(key, b"x")
    out = tmp_path / "m.json"
    generate(
        "az://devstoreaccount1/footage",
        out,
        grouping=GroupingOptions(images_as="groups"),
        lister_options=ListerOptions(page_size=3),
    )
    _check_output(out, "https://devstoreaccount1.blob.core.windows.net/footage/")
    second = tmp_path / "n.json"
    generate("https://devstoreaccount1.blob.core.windows.net/footage/videos/", second)
    assert _urls(second) == ["https://devstoreaccount1.blob.core.windows.net/footage/videos/clip.mp4"]


def test_sequences_are_cut_at_the_frame_limit_and_skip_tiff(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "run-1"
    folder.mkdir(parents=True)
    for i in range(7):
        (folder / f"f{i}.jpg").write_bytes(b"x")
    (folder / "scan.tif").write_bytes(b"x")
    out = tmp_path / "m.json"
    result = generate(
        str(tmp_path / "data"),
        out,
        lister_options=ListerOptions(url_base="https://cdn.example.org/d"),
        grouping=GroupingOptions(images_as="sequences", max_frames=3),
    )
    assert _shape(out) == {"image_groups": ["run-1 (part 1)", "run-1 (part 2)", "run-1 (part 3)"]}
    assert result.counts.skipped_tiff_in_sequence == 1
    assert manifest_tools.lint(out).diagnostics == []


def test_large_listings_are_split_into_parts(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    for i in range(10):
        (folder / f"{i}.jpg").write_bytes(b"x")
    out = tmp_path / "m.json"
    result = generate(str(folder), out, lister_options=ListerOptions(url_base="https://cdn.example.org"), max_items=4)
    assert [p.name for p in result.parts] == ["m.part-0001.json", "m.part-0002.json", "m.part-0003.json"]
    assert not out.exists()
    assert [len(_urls(p)) for p in result.parts] == [4, 4, 2]


def test_filters(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    (folder / "keep").mkdir(parents=True)
    for name in ("keep/a.jpg", "keep/b.mp4", "keep/c.tmp.jpg", "d.jpg"):
        (folder / name).write_bytes(b"x")
    out = tmp_path / "m.json"
    options = ListerOptions(url_base="https://cdn.example.org")
    generate(
        str(folder),
        out,
        lister_options=options,
        grouping=GroupingOptions(include=("keep/*",), exclude=("*.tmp.*",), kinds=frozenset({"images"})),
    )
    assert _urls(out) == ["https://cdn.example.org/keep/a.jpg"]


def test_empty_prefix_and_missing_bucket_write_nothing(s3: Any, s3_server: Any, tmp_path: Path) -> None:
    _seed_s3(s3, keys=["a/x.jpg"])
    out = tmp_path / "m.json"
    runner = CliRunner()
    empty = runner.invoke(
        main, ["generate", "s3://acme-data/nothing-here/", "-o", str(out), "--endpoint-url", s3_server.endpoint]
    )
    assert empty.exit_code == 1 and "nothing to register (0 objects listed" in empty.stderr
    missing = runner.invoke(
        main,
        [
            "generate",
            "s3://no-such-bucket/",
            "-o",
            str(out),
            "--region",
            "eu-west-2",
            "--endpoint-url",
            s3_server.endpoint,
        ],
    )
    assert missing.exit_code == 2
    assert missing.stderr.strip() == (
        "manifest-tools: s3://no-such-bucket/: the bucket does not exist; nothing was written"
    )
    assert list(tmp_path.iterdir()) == []


def test_throttling_is_retried(s3: Any, s3_server: Any, tmp_path: Path) -> None:
    _seed_s3(s3, keys=[f"{i}.jpg" for i in range(5)])
    out = tmp_path / "m.json"
    with failing_proxy(s3_server.endpoint, failures=2) as (endpoint, seen):
        generate("s3://acme-data", out, lister_options=ListerOptions(region="eu-west-2", endpoint_url=endpoint))
    assert len(_urls(out)) == 5 and seen[0] >= 3


def test_a_listing_that_keeps_failing_leaves_the_target_untouched(
    s3: Any, s3_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed_s3(s3, keys=["a.jpg"])
    monkeypatch.setattr(providers.base, "DEFAULT_RETRY", Retry(attempts=2))  # botocore's back-off is seconds
    out = tmp_path / "m.json"
    out.write_text("previous manifest")
    with failing_proxy(s3_server.endpoint, failures=-1) as (endpoint, _):
        result = CliRunner().invoke(
            main, ["generate", "s3://acme-data", "-o", str(out), "--region", "eu-west-2", "--endpoint-url", endpoint]
        )
    assert result.exit_code == 2 and "nothing was written" in result.stderr
    assert out.read_text() == "previous manifest"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json"]


def test_gcs_and_azure_errors(gcs: Any, gcs_server: Any, azure: Any, azure_server: Any, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="the bucket does not exist"):
        generate("gs://no-such-bucket", tmp_path / "m.json")
    with pytest.raises(SourceError, match="the container does not exist"):
        generate("az://devstoreaccount1/no-such-container", tmp_path / "m.json")
    gcs.create_bucket("empty")
    with pytest.raises(NothingToRegister):
        generate("gs://empty", tmp_path / "m.json")
    assert list(tmp_path.iterdir()) == []


def test_credentials_never_appear_in_output(s3: Any, s3_server: Any, tmp_path: Path) -> None:
    _seed_s3(s3, keys=["a.jpg"])
    out = tmp_path / "m.json"
    result = CliRunner().invoke(
        main, ["generate", "s3://acme-data", "-o", str(out), "--endpoint-url", s3_server.endpoint]
    )
    assert os.environ["AWS_SECRET_ACCESS_KEY"] not in result.output + out.read_text()


def test_library_generate_and_verify_round_trip(s3: Any, s3_server: Any, tmp_path: Path) -> None:
    _seed_s3(s3, keys=["shelf/1.jpg", "shelf/2.jpg", "v.mp4"])
    out = tmp_path / "m.json"
    result = manifest_tools.generate("s3://acme-data", out, endpoint_url=s3_server.endpoint, images_as="groups")
    assert result.counts.items == {"image_groups": 1, "videos": 1}
    assert manifest_tools.verify(out, endpoint_url=s3_server.endpoint).diagnostics == []
    s3.delete_object(Bucket="acme-data", Key="shelf/2.jpg")
    assert [d.code for d in manifest_tools.verify(out, endpoint_url=s3_server.endpoint)] == ["MT901"]
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        manifest_tools.generate("s3://acme-data", out, colour="red")


def test_many_folders_are_listed_in_parallel_and_stay_in_order(s3: Any, s3_server: Any, tmp_path: Path) -> None:
    keys = [f"runs/{folder:02d}/frame{i}.jpg" for folder in range(20) for i in (1, 2, 10)] + ["runs/top.jpg"]
    _seed_s3(s3, keys=keys)
    out = tmp_path / "m.json"
    generate(
        "s3://acme-data",
        out,
        lister_options=ListerOptions(endpoint_url=s3_server.endpoint, page_size=50),
        grouping=GroupingOptions(images_as="groups"),
    )
    titles = _shape(out)["image_groups"]
    # A folder's group is written when the listing leaves the folder, so runs/ comes after its sub-folders.
    assert titles == [f"runs/{folder:02d}" for folder in range(20)] + ["runs"]
    data = json.loads(out.read_text())
    assert data["image_groups"][0]["objectUrl_2"].endswith("runs/00/frame10.jpg")
    assert len(_urls(out)) == len(keys)


def test_csv_output_says_what_it_cannot_carry(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.wav").write_bytes(b"x")
    (folder / "b.pdf").write_bytes(b"x")
    result = CliRunner().invoke(
        main, ["generate", str(folder), "-o", str(tmp_path / "m.csv"), "--url-base", "https://cdn.example.org"]
    )
    assert result.exit_code == 1
    assert "m.csv: CSV has no block for audio files (1 listed): write JSON instead" in result.stderr
    assert "m.csv: CSV has no block for PDFs (1 listed)" in result.stderr
    (folder / "c.jpg").write_bytes(b"x")
    args = ["generate", str(folder), "-o", str(tmp_path / "m.csv"), "--url-base", "https://cdn.example.org"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, "the same rule as convert: CSV refuses the loss"
    assert not (tmp_path / "m.csv").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    result = CliRunner().invoke(main, [*args, "--drop-unsupported"])
    assert result.exit_code == 0 and "Skipped 1 object: audio, which CSV cannot carry." in result.stderr
    assert (tmp_path / "m.csv").read_text() == "ObjectUrl,Image title\nhttps://cdn.example.org/c.jpg,\n"


def test_gcs_and_azure_retry_throttling(
    gcs: Any, gcs_server: Any, azure: Any, azure_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gcs.create_bucket("retry-gcs").blob("a.jpg").upload_from_string(b"x")
    azure.create_container("retry-az").upload_blob("a.jpg", b"x")
    with failing_proxy(gcs_server.endpoint, failures=2) as (endpoint, seen):
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", endpoint)
        generate("gs://retry-gcs", tmp_path / "g.json", lister_options=FAST_RETRIES)
    assert _urls(tmp_path / "g.json") == ["https://storage.cloud.google.com/retry-gcs/a.jpg"] and seen[0] >= 3
    connection = os.environ["AZURE_STORAGE_CONNECTION_STRING"]
    # One failure: the Azure SDK's own back-off is 15 s and more between attempts.
    with failing_proxy(azure_server.endpoint, failures=1) as (endpoint, seen):
        monkeypatch.setenv("AZURE_STORAGE_CONNECTION_STRING", connection.replace(azure_server.endpoint, endpoint))
        generate("az://devstoreaccount1/retry-az", tmp_path / "a.json", lister_options=FAST_RETRIES)
    assert _urls(tmp_path / "a.json") == ["https://devstoreaccount1.blob.core.windows.net/retry-az/a.jpg"]
    assert seen[0] >= 2


def test_generating_into_the_listed_folder_twice_never_lists_its_own_output(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    (folder / "shots").mkdir(parents=True)
    for name in ("a.jpg", "b.jpg"):
        (folder / "shots" / name).write_bytes(b"x")
    (folder / ".manifest.json.left-over").write_text("{}")  # a spool or temporary file of an earlier run
    (folder / "manifest.part-0001.json").write_text('{"text": []}')  # a part of an earlier run
    args = ["generate", str(folder), "-o", str(folder / "manifest.json"), "--url-base", "https://cdn.example.org"]
    outputs = []
    for _ in range(2):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        outputs.append((folder / "manifest.json").read_text())
    assert outputs[0] == outputs[1]
    assert _urls(folder / "manifest.json") == [
        "https://cdn.example.org/shots/a.jpg",
        "https://cdn.example.org/shots/b.jpg",
    ]


FOLDER_TITLES = ["=1+1", "@SUM(A1)", " =2", "+3", "-4", "plain"]
"""Folder names that become titles: all but the last start like a spreadsheet formula."""


@pytest.mark.parametrize("images_as", ["groups", "sequences"])
def test_csv_titles_are_the_json_titles_and_formula_like_ones_are_noted(tmp_path: Path, images_as: str) -> None:
    """The platform reads a title literally: generate writes it as it is, as convert does (an apostrophe
    before it made the CSV register other titles than the JSON of the same folder), and notes it."""
    folder = tmp_path / "data"
    for name in FOLDER_TITLES:
        (folder / name).mkdir(parents=True)
        (folder / name / "f.jpg").write_bytes(b"x")
    titles, outputs = {}, {}
    for suffix in ("json", "csv"):
        out = tmp_path / f"m.{suffix}"
        args = ["generate", str(folder), "-o", str(out), "--url-base", "https://cdn.example.org"]
        outputs[suffix] = result = CliRunner().invoke(main, [*args, "--images-as", images_as])
        assert result.exit_code == 0, result.output
        manifest = manifest_tools.load(out)
        titles[suffix] = sorted((item.pointer, item.fields.get("title")) for item in manifest.items())
    assert titles["csv"] == titles["json"]
    assert sorted(title for _, title in titles["csv"]) == sorted(FOLDER_TITLES)
    noted = {pointer + "/title": title for pointer, title in titles["csv"] if title != "plain"}
    out = tmp_path / "m.csv"
    assert outputs["csv"].stderr.splitlines()[-len(noted) - 1 : -1] == [
        f"{out}: note: {title!r} starts like a spreadsheet formula: written as it is (the platform reads it"
        f" literally), but a spreadsheet that opens this CSV may run it as a formula ({pointer})"
        for pointer, title in sorted(noted.items())
    ]
    assert "note:" not in outputs["json"].stderr  # JSON is not opened by a spreadsheet


def test_parts_appear_together_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from manifest_tools.cloud import generate as generating
    from manifest_tools.errors import OutputError

    folder = tmp_path / "data"
    folder.mkdir()
    for number in range(6):
        (folder / f"{number}.jpg").write_bytes(b"x")
    options = ListerOptions(url_base="https://cdn.example.org")
    real, calls = generating._Spooler._write_part, []

    def full_on_the_second_part(self: Any, part: Any, out: Any) -> None:
        calls.append(part.number)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(self, part, out)

    monkeypatch.setattr(generating._Spooler, "_write_part", full_on_the_second_part)
    with pytest.raises(OutputError, match=r"m\.part-0002\.json: no space left on the device"):
        generate(str(folder), tmp_path / "m.json", lister_options=options, max_items=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    monkeypatch.undo()
    result = generate(str(folder), tmp_path / "m.json", lister_options=options, max_items=2)
    assert [p.name for p in result.parts] == [f"m.part-000{n}.json" for n in (1, 2, 3)]


@pytest.mark.parametrize("parts", [1, 2])
@pytest.mark.parametrize("output", ["m.csv", "out/m.csv", "ABSOLUTE/m.csv"])
def test_generate_names_what_it_wrote_as_the_output_was_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: int, output: str
) -> None:
    """`-o m.csv` says `Wrote m.csv` (it said the resolved /abs/path/m.csv), as convert and split do."""
    from manifest_tools.cloud import generate as generating

    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "data").mkdir()
    for n in range(4):
        (tmp_path / "data" / f"{n}.jpg").write_bytes(b"x")
    monkeypatch.setattr(generating, "MAX_CSV_ENTRIES", 4 // parts)
    output = output.replace("ABSOLUTE", str(tmp_path / "out"))
    result = CliRunner().invoke(main, ["generate", "data", "-o", output, "--url-base", "https://cdn.example.org"])
    assert result.exit_code == 0, result.output
    stem = output.removesuffix(".csv")
    written = [output] if parts == 1 else [f"{stem}.part-0001.csv", f"{stem}.part-0002.csv"]
    assert result.stderr.splitlines()[-1] == f"Wrote {', '.join(written)}"
    assert all(Path(name).is_file() for name in written)


@pytest.mark.parametrize(
    ("names", "said"),
    [
        (["a.jpg", "b.jpg", "c.mp4"], "2 images, 1 video."),
        (["a.mp4"], "1 video."),
        (["g/a.jpg", "h/b.jpg"], "2 image groups."),
        (["s/a.dcm"], "1 DICOM series."),
    ],
)
def test_the_summary_counts_each_kind_in_words(tmp_path: Path, names: list[str], said: str) -> None:
    """It said "1 videos" and "2 image_groups" (the manifest keys)."""
    for name in names:
        (tmp_path / "data" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "data" / name).write_bytes(b"x")
    args = ["generate", str(tmp_path / "data"), "-o", str(tmp_path / "m.json"), "--url-base", "https://cdn.example.org"]
    result = CliRunner().invoke(main, [*args, *(["--images-as", "groups"] if "/" in names[0] else [])])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0].endswith(f"/s): {said}"), result.stderr
