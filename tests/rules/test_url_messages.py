"""What MT306 and MT307 say of angle brackets: which bracket is there, and a placeholder that lost its '>'."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import manifest_tools
from manifest_tools.rules.urls import ENCODABLE, UNWRITABLE

U = "https://b.s3.eu-west-2.amazonaws.com"


@pytest.mark.parametrize(
    ("url", "said"),
    [
        (f"<{U}/a.jpg>", f'MT306 the URL is wrapped in angle brackets: "<{U}/a.jpg>": remove them'),
        (f"<{U}/a.jpg", f"MT306 a stray '<' before the URL, with no closing bracket: \"<{U}/a.jpg\": remove it"),
        (f"{U}/a.jpg>", f"MT306 a stray '>' after the URL, with no closing bracket: \"{U}/a.jpg>\": remove it"),
        (
            f"{U}/<name.jpg",
            "MT307 the URL contains '<name.jpg', a template placeholder without its closing '>': replace it"
            " with the real value",
        ),
        (
            f"<{U}/<name.jpg",
            "MT307 the URL contains '<name.jpg', a template placeholder without its closing '>': replace it"
            " with the real value",
        ),
        (
            "<object url",
            "MT307 '<object url' is a template placeholder without its closing '>', not a URL: write the"
            " object's https URL",
        ),
        (f"{U}/<name>.jpg", "MT307 the URL contains the template placeholder '<name>': replace it with the real value"),
    ],
)
def test_what_angle_brackets_in_a_url_are_called(url: str, said: str) -> None:
    data = json.dumps({"images": [{"objectUrl": url}]})
    found = [f"{d.code} {d.message}" for d in manifest_tools.lint(data, format="json", name="m.json")]
    assert [line for line in found if line.startswith(("MT306", "MT307"))] == [said], found


@pytest.mark.parametrize(
    ("item", "said"),
    [
        (
            {"objectUrl": f"{U}/a\nb.jpg"},
            "MT305 the URL contains a line break ('\\n'): no URL holds it as it is; percent-encode it as %0A",
        ),
        (
            {"objectUrl": f"{U}/a b.jpg"},
            "MT305 the URL contains a space: no URL holds it as it is; percent-encode it as %20",
        ),
        (
            {"objectUrl": f"{U}/a\x00b.jpg"},
            "MT305 the URL contains the control character '\\x00': no URL holds it as it is; percent-encode it as %00",
        ),
        (
            {"objectUrl": f"{U}/a\u2003b.jpg"},
            "MT305 the URL contains the whitespace character '\\u2003': no URL holds it as it is; percent-encode it"
            " as %E2%80%83",
        ),
        (
            {"objectUrl": f"{U}/a.jpg", "title": "x" * 200_000},
            "MT213 title is 200,000 characters long; the limit is 300",
        ),
        (
            {"objectUrl": f"{U}/{'x' * 1_500}.jpg"},
            "MT312 the file name is 1,504 characters long; the limit is 300",
        ),
    ],
)
def test_what_a_url_character_or_a_length_is_called(item: dict[str, str], said: str) -> None:
    """MT305 names the character and its encoding (a newline is no space, and not %20); lengths read 200,000."""
    data = json.dumps({"images": [item]})
    found = [f"{d.code} {d.message}" for d in manifest_tools.lint(data, format="json", name="m.json")]
    assert said in found, found


def test_mt305_and_mt309_characters_are_apart_and_cover_all_non_ascii() -> None:
    """One rule per character: MT305 (UNWRITABLE) for whitespace and controls, MT309 (ENCODABLE) for the rest
    of non-ASCII, neither for a lone surrogate (MT108's)."""
    both, neither = [], []
    for code in range(0x80, 0x110000):
        char = chr(code)
        unwritable, encodable = UNWRITABLE.match(char) is not None, ENCODABLE.match(char) is not None
        if unwritable and encodable:
            both.append(hex(code))
        elif not (unwritable or encodable) and not 0xD800 <= code <= 0xDFFF:
            neither.append(hex(code))
    assert both == [] and neither == []


@pytest.mark.parametrize(
    ("user_info", "carried"),
    [("tok123", "a user name"), ("oauth2:tok123", "a user name and a password"), (":tok123", "a password")],
)
@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github", "gitlab", "junit"])
def test_mt319_names_what_the_credentials_are_and_where_but_quotes_neither_part(
    user_info: str, carried: str, output_format: str, tmp_path: Path
) -> None:
    """A token is often passed as the user name (https://<token>@host, oauth2:<token>@host): MT319 quotes
    no part of the credentials, in any format, only what they are and the host they are given to."""
    from click.testing import CliRunner

    from manifest_tools.cli import main

    url = f"https://{user_info}@b.s3.eu-west-2.amazonaws.com/a.jpg"
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"images": [{"objectUrl": url}]}))
    done = CliRunner().invoke(main, ["lint", "--isolated", "--output-format", output_format, str(path)])
    assert done.exit_code == 1, done.output
    assert "tok123" not in done.output and "oauth2" not in done.output
    if output_format == "text":
        assert f"MT319 the URL carries credentials ({carried}) for b.s3.eu-west-2.amazonaws.com" in done.output
