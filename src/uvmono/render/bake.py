"""docker-bake.json: a target per member image and a `default` group, as a pure function.

`docker buildx bake` (run from the workspace root) builds every target of the default group, or
the ones named on its command line. Tags take the `TAG` variable (default `latest`), the
revision label the `REVISION` variable; both read the environment variable of that name.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from uvmono.docker_types import BakeTarget


def render_bake(targets: Sequence[BakeTarget]) -> str:
    """The bake file as JSON, targets in the order given (the group lists them that way)."""
    document: dict[str, Any] = {
        "variable": {"TAG": {"default": "latest"}, "REVISION": {"default": ""}},
        "group": {"default": {"targets": [t.name for t in targets]}},
        "target": {t.name: _target(t) for t in targets},
    }
    return json.dumps(document, indent=2) + "\n"


def _target(target: BakeTarget) -> dict[str, Any]:
    out: dict[str, Any] = {
        "context": ".",
        "dockerfile": target.dockerfile,
        "target": "runtime",
        "tags": [f"{target.image}:${{TAG}}"],
        "args": {"REVISION": "${REVISION}"},
    }
    if target.platforms:
        out["platforms"] = list(target.platforms)
    if target.cache_from:
        out["cache-from"] = list(target.cache_from)
    if target.cache_to:
        out["cache-to"] = list(target.cache_to)
    if target.attestations:
        out["attest"] = ["type=sbom", "type=provenance,mode=max"]
    if target.secrets:
        out["secret"] = [f"id={s.id},env={s.env}" for s in target.secrets]
    return out
