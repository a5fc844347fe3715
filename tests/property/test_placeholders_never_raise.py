"""The placeholder, host and expiry checks read untrusted text: any string gets an answer, never a traceback."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

import manifest_tools
from manifest_tools.providers.presigned import expiry
from manifest_tools.rules.placeholders import host_placeholder, title_placeholder, value_placeholder

PIECES = st.sampled_from(
    ["https://", "http://", "s3://", "b", ".s3", ".s3-", "region", "eu-west-2", ".amazonaws.com", ".com.cn", "/", "...",
     "?", "&", "=", "X-Amz-Date=", "X-Amz-Expires=", "Expires=", "se=", "sig=", "99991231T235959Z", "9" * 12, "%7B",
     "{{", "}}", "<", ">", "${", ":", "@", "[", "]", "localhost", ".obs.", ".otc.t-systems.com", "TODO", "-title", "é"]
)  # fmt: skip
TEXT = st.one_of(st.text(max_size=60), st.lists(PIECES, max_size=12).map("".join))


@settings(max_examples=400, deadline=None)
@given(TEXT, TEXT)
def test_any_url_and_title_lint_without_raising(url: str, title: str) -> None:
    host_placeholder(url)
    expiry(url)
    title_placeholder(title)
    value_placeholder(title)
    data = json.dumps({"videos": [{"objectUrl": url, "title": title}], "images": [{"objectUrl": url}]})
    manifest_tools.lint(data.encode("utf-8", "surrogatepass"), format="json", name="m.json", select=["ALL"])
