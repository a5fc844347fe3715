"""MT000 internal-error: a rule that crashed, reported instead of losing the file's whole report.

No checker here: ``rules/engine.py`` reports it when a family's checker raises
(as sqlfluff does), and the other families still run.
"""

from __future__ import annotations

from manifest_tools.codes import Code
from manifest_tools.rules.registry import register, rule

RULES = [
    rule(
        Code.MT000,
        "internal-error",
        "error",
        "A rule crashed on this manifest (a bug in manifest-tools, not in the manifest).",
        """The message names the rules whose checker raised and the exception; the
        other rules still ran, so the rest of the report stands. Findings of the
        crashed rules are missing: please report the bug with the manifest (or a
        shortened copy). Always reported, whatever --select or --ignore say.""",
        "(any manifest on which a rule raises an exception)",
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}',
        literal_bad=False,
    ),
]

register(RULES)
