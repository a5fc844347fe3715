"""Regenerate the files made from the catalogue and the kinds table (tests check they are current).

Usage: .venv/bin/python scripts/regenerate.py
Writes docs/rules.md, the README's rule table, schemas/manifest.schema.json and its copy in the package.
"""

from __future__ import annotations

import re
from pathlib import Path

from manifest_tools.rules.docs import catalogue_markdown, reference_markdown
from manifest_tools.schema import schema_text

ROOT = Path(__file__).resolve().parent.parent
TABLE = re.compile(r"(<!-- rules-table:[^\n]*-->\n)(\|.*?\n)(?!\|)", re.DOTALL)


def main() -> None:
    (ROOT / "docs" / "rules.md").write_text(reference_markdown() + "\n", encoding="utf-8")
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    new, count = TABLE.subn(lambda m: m.group(1) + catalogue_markdown() + "\n", text)
    if count != 1:
        raise SystemExit("README.md: the rules-table marker and its table were not found")
    readme.write_text(new, encoding="utf-8")
    for path in (ROOT / "schemas" / "manifest.schema.json", ROOT / "manifest_tools" / "data" / "manifest.schema.json"):
        path.write_text(schema_text(), encoding="utf-8")


if __name__ == "__main__":
    main()
