#!/usr/bin/env bash
# Install what the tests need into .venv, then run lint, type checks and the whole test suite.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev]'
# Azurite (the Azure Blob emulator the cloud tests start) comes from npm, into .tools/.
if [ ! -x .tools/node_modules/.bin/azurite-blob ]; then
  npm install --prefix .tools --no-audit --no-fund --silent azurite
fi
echo "== ruff"
.venv/bin/ruff check manifest_tools tests benchmarks
.venv/bin/ruff format --check manifest_tools tests benchmarks
echo "== mypy"
.venv/bin/mypy
echo "== pytest"
.venv/bin/python -m pytest "$@"
