#!/usr/bin/env bash
# The main job on sample-monorepo/: installs uv and uvmono, then shows what uvmono sees and plans.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/uv.sh
source scripts/uv.sh
"${UV[@]}" sync --locked --quiet --compile-bytecode
# uvmono's workspace cache (normally ~/.cache/uvmono) stays in this checkout, like uv itself.
export UVMONO_CACHE_DIR="$PWD/.uvmono-bootstrap/cache"
uvmono() { "${UV[@]}" run --locked --no-sync uvmono --root sample-monorepo "$@"; }

echo "== uvmono members"; uvmono members
echo; echo "== uvmono graph"; uvmono graph
# A throw-away change to a shared library, so there is something to plan for.
trap 'git checkout --quiet -- sample-monorepo/libs/events/src/acme_events/bus.py' EXIT
echo "# demo edit" >> sample-monorepo/libs/events/src/acme_events/bus.py
echo; echo "== uvmono affected --since HEAD --explain   (after editing libs/events)"
uvmono affected --since HEAD --explain
echo; echo "== uvmono matrix --since HEAD --format json"; uvmono matrix --since HEAD --format json
echo; echo "== uvmono docker commands --affected --since HEAD"; uvmono docker commands --affected --since HEAD
echo; echo "== uvmono check"; uvmono check && echo "every generated Dockerfile, bake file and CI file is current"
