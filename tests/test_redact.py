"""Secrets and huge values never reach a message."""

from __future__ import annotations

import pytest

from manifest_tools.redact import MAX_MESSAGE_CHARS, for_message, redact

SECRETS = [
    (
        "https://b.s3.eu-west-2.amazonaws.com/a.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAX%2F20240101"
        "&X-Amz-Date=20240101T000000Z&X-Amz-Expires=3600&X-Amz-Signature=0123abcd&X-Amz-Security-Token=FwoGZX",
        ("AKIAX", "0123abcd", "FwoGZX"),
    ),
    ("https://a.blob.core.windows.net/c/x.png?sv=2022-11-02&se=2030-01-01&sp=r&sig=AbC%2Bd%3D", ("AbC",)),
    ("https://storage.googleapis.com/b/k.jpg?X-Goog-Credential=svc%40p&X-Goog-Signature=deadbeef", ("svc", "deadbeef")),
    ("https://b.s3.amazonaws.com/k.jpg?AWSAccessKeyId=AKIAOLD&Expires=1&Signature=c2lnbmF0", ("AKIAOLD", "c2lnbmF0")),
    ("could not reach http://minio:S3cr3tPass@127.0.0.1:9000/bucket", ("S3cr3tPass",)),
    # a token is often passed as the user name (GitHub PATs, oauth2:<token>): neither part of the credentials
    ("write https://ghp_T0k3n@b.s3.amazonaws.com/a.jpg", ("ghp_T0k3n",)),
    ("write https://oauth2:gl-T0k3n@b.s3.amazonaws.com/a.jpg", ("oauth2", "gl-T0k3n")),
]


@pytest.mark.parametrize(("text", "secrets"), SECRETS)
def test_secrets_are_redacted(text: str, secrets: tuple[str, ...]) -> None:
    shown = for_message(text)
    for secret in secrets:
        assert secret not in shown
    assert "REDACTED" in shown


def test_what_is_no_secret_stays() -> None:
    url = "https://b.s3.eu-west-2.amazonaws.com/a.jpg?X-Amz-Date=20240101T000000Z&X-Amz-Expires=3600&versionId=3"
    assert redact(url) == url
    assert redact("user@example.org wrote a=b") == "user@example.org wrote a=b"


def test_long_values_are_shortened() -> None:
    shown = for_message("title " + "x" * 45_000_000)
    assert len(shown) < MAX_MESSAGE_CHARS + 100
    assert "characters left out" in shown


def test_lone_surrogates_are_escaped() -> None:
    assert for_message("a\ud800b") == "a\\ud800b"
