#!/usr/bin/env bash
# The whole test suite: installs uv and the locked dev environment, then lint, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/uv.sh
source scripts/uv.sh
"${UV[@]}" sync --locked --quiet --compile-bytecode
"${UV[@]}" run --locked --no-sync ruff check .
"${UV[@]}" run --locked --no-sync mypy
"${UV[@]}" run --locked --no-sync pytest -n 2 "$@"
