"""compose.yaml for local development: a pure function of the planned services.

Each service builds its member's Dockerfile up to the `dev` target from the workspace root,
publishes its ports on 127.0.0.1 only, and watches its source (`docker compose watch` or
`docker compose up --watch`). See `compose_plan.py` for what each value means.
Rendered with PyYAML's SafeDumper from dicts and read back before it is returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from uvmono.compose_plan import TARGET, WATCH_IGNORE, Service
from uvmono.render import text, yamldump

HEALTH = {"interval": "10s", "timeout": "5s", "retries": 5, "start_period": "30s"}


def render_compose(services: Sequence[Service]) -> str:
    data = {"services": {s.name: _service(s) for s in services}}
    body = yamldump.dump(data)
    return text.checked_yaml(body, data, "compose.yaml")


def _service(service: Service) -> dict[str, Any]:
    out: dict[str, Any] = {
        "build": {"context": ".", "dockerfile": service.dockerfile, "target": TARGET},
    }
    if service.ports:
        out["ports"] = [f"127.0.0.1:{port}:{port}" for port in service.ports]
    if service.healthcheck is not None:
        out["healthcheck"] = {"test": list(service.healthcheck), **HEALTH}
    if service.depends_on:
        out["depends_on"] = {name: {"condition": c} for name, c in service.depends_on}
    watch: list[dict[str, Any]] = []
    for rule in service.watch:
        entry: dict[str, Any] = {"action": rule.action, "path": rule.path}
        if rule.target is not None:
            entry["target"] = rule.target
            entry["ignore"] = list(WATCH_IGNORE)
        watch.append(entry)
    out["develop"] = {"watch": watch}
    return out
