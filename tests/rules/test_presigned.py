"""MT317 and MT318: pre-signed URLs read with a fixed clock, and the signature never shown."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main
from manifest_tools.config import load_settings, parse_duration
from manifest_tools.errors import ConfigError
from manifest_tools.providers.presigned import EXPIRY_HINTS, expiry
from manifest_tools.report.formatters import FORMATTERS, TextStyle
from manifest_tools.report.report import Report
from manifest_tools.rules.urls import url_validity

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
SIGNATURE = "f00dfacecafe1234"
BASE = "https://b.s3.eu-west-2.amazonaws.com/a.jpg"


def aws_v4(signed: datetime, seconds: int) -> str:
    stamp = signed.strftime("%Y%m%dT%H%M%SZ")
    return (
        f"{BASE}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date={stamp}&X-Amz-Expires={seconds}"
        f"&X-Amz-Signature={SIGNATURE}"
    )


def gcs_v4(signed: datetime, seconds: int) -> str:
    stamp = signed.strftime("%Y%m%dT%H%M%SZ")
    return (
        f"https://storage.googleapis.com/b/a.jpg?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date={stamp}"
        f"&X-Goog-Expires={seconds}&X-Goog-Signature={SIGNATURE}"
    )


def sig_v2(expires: datetime) -> str:
    return f"{BASE}?AWSAccessKeyId=AKIAOLD&Expires={int(expires.timestamp())}&Signature={SIGNATURE}"


def azure_sas(expires: str) -> str:
    return f"https://acct.blob.core.windows.net/c/a.jpg?sv=2022-11-02&se={expires}&sr=b&sp=r&sig={SIGNATURE}"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (aws_v4(NOW, 3600), NOW + timedelta(hours=1)),
        (gcs_v4(NOW, 60), NOW + timedelta(minutes=1)),
        (sig_v2(NOW), NOW),
        (azure_sas("2024-06-01T13%3A30%3A00Z"), NOW + timedelta(minutes=90)),
        (azure_sas("2024-06-02"), datetime(2024, 6, 2, tzinfo=UTC)),
        (BASE, None),
        (f"{BASE}?versionId=3", None),
        (f"{BASE}?X-Amz-Date=20240601T120000Z&X-Amz-Expires=soon", None),
        (f"{BASE}?X-Amz-Date=yesterday&X-Amz-Expires=60", None),
        (f"{BASE}?se=2024-06-02", None),  # no sig: not an Azure SAS
        (f"{BASE}?X-Amz-Date=99991231T235959Z&X-Amz-Expires=999999999", None),  # past the end of the calendar
        (azure_sas("0001-01-01T00%3A00%3A00%2B01%3A00"), None),
        (f"{BASE}?Expires=99999999999999", None),
    ],
)
def test_expiry_of_each_signing_scheme(url: str, expected: datetime | None) -> None:
    assert expiry(url) == expected
    if expected is not None:
        assert any(hint in url.lower() for hint in EXPIRY_HINTS)  # the fast paths' pre-filter lets it through


@pytest.fixture
def clock() -> Iterator[None]:
    with url_validity(now=NOW):
        yield


def lint_urls(*urls: str) -> Report:
    data = json.dumps({"images": [{"objectUrl": url} for url in urls]}, indent=1).encode()
    return manifest_tools.lint(data, format="json", name="m.json")


@pytest.mark.usefixtures("clock")
def test_expired_expiring_and_valid() -> None:
    report = lint_urls(
        aws_v4(NOW - timedelta(days=2), 3600),  # expired yesterday
        gcs_v4(NOW - timedelta(minutes=30), 3600),  # 30 minutes left
        sig_v2(NOW + timedelta(hours=5, minutes=59)),  # just under the 6 h margin
        azure_sas("2024-06-01T18%3A00%3A01Z"),  # just over it
        aws_v4(NOW, 7 * 24 * 3600),
    )
    assert [(d.code, d.pointer) for d in report] == [
        ("MT317", "/images/0/objectUrl"),
        ("MT318", "/images/1/objectUrl"),
        ("MT318", "/images/2/objectUrl"),
    ]
    assert "expired at 2024-05-30 13:00 UTC" in report.diagnostics[0].message


@pytest.mark.usefixtures("clock")
def test_the_margin_is_configurable() -> None:
    url = aws_v4(NOW, 3 * 3600)
    assert [d.code for d in lint_urls(url)] == ["MT318"]
    with url_validity(min_validity=timedelta(hours=2)):
        assert list(lint_urls(url)) == []
    assert [d.code for d in lint_urls(url)] == ["MT318"]  # the block's setting ends with it


@pytest.mark.usefixtures("clock")
@pytest.mark.parametrize("output_format", sorted(FORMATTERS))
def test_the_signature_never_appears_in_any_output(output_format: str) -> None:
    report = lint_urls(aws_v4(NOW - timedelta(days=2), 60), gcs_v4(NOW, 60), sig_v2(NOW), azure_sas("2024-06-01"))
    assert {d.code for d in report} == {"MT317", "MT318"}
    output = FORMATTERS[output_format](report, TextStyle(color=False, quiet=False, statistics=False))
    assert SIGNATURE not in output
    assert "AKIAOLD" not in output


@pytest.mark.parametrize(
    ("text", "expected"),
    [("6h", timedelta(hours=6)), ("90m", timedelta(minutes=90)), ("2d", timedelta(days=2)),
     ("1h30m", timedelta(minutes=90)), ("3600s", timedelta(hours=1)), (" 45 s ", timedelta(seconds=45)),
     ("1.5h", timedelta(minutes=90)), ("0.5d", timedelta(hours=12)), ("2.25m", timedelta(seconds=135))],
)  # fmt: skip
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text", ["", "six hours", "6x", "h", "6h and more", "-1h", "5", " 3600 ", "1.h", ".5h", "1.5.5h", "1,5h"]
)
def test_bad_durations_say_what_to_write(text: str) -> None:
    with pytest.raises(ValueError, match="such as 90m, 6h or 2d"):
        parse_duration(text)


def test_the_setting_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.manifest-tools]\nmin-url-validity = "12h"\n')
    assert load_settings(tmp_path).min_url_validity == timedelta(hours=12)
    (tmp_path / "pyproject.toml").write_text("[tool.manifest-tools]\nmin-url-validity = true\n")
    with pytest.raises(ConfigError, match="min-url-validity must be a duration"):
        load_settings(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.manifest-tools]\nmin-url-validity = 5\n")
    with pytest.raises(ConfigError, match=r"min-url-validity.*write a number and a unit"):  # not 5 seconds
        load_settings(tmp_path)


def test_the_lint_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    soon = datetime.now(UTC) + timedelta(hours=3)
    (tmp_path / "m.json").write_text(json.dumps({"images": [{"objectUrl": sig_v2(soon)}]}))
    runner = CliRunner()
    warned = runner.invoke(main, ["lint", "m.json", "--strict"])
    assert warned.exit_code == 1 and "MT318" in warned.output and SIGNATURE not in warned.output
    assert runner.invoke(main, ["lint", "m.json", "--strict", "--min-url-validity", "1h"]).exit_code == 0
    (tmp_path / "pyproject.toml").write_text('[tool.manifest-tools]\nmin-url-validity = "90m"\n')
    assert runner.invoke(main, ["lint", "m.json", "--strict"]).exit_code == 0
    for bad_value in ("soon", "5"):
        bad = runner.invoke(main, ["lint", "m.json", "--min-url-validity", bad_value])
        assert bad.exit_code == 2 and "such as 90m" in bad.output
