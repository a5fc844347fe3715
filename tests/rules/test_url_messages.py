"""What MT306 and MT307 say of angle brackets: which bracket is there, and a placeholder that lost its '>'."""

from __future__ import annotations

import json

import pytest

import manifest_tools

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
