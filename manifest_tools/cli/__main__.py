"""``python -m manifest_tools.cli``."""

from manifest_tools.cli import main

main()
