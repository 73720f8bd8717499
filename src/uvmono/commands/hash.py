"""`uvmono hash`: the fingerprints of the members' test tasks, and why two differ.

One line (or JSON object) per test task: (member, conflict side, Python). `--format json`
holds each task's inputs (`fingerprint.py`), so two such files, from two machines or two
commits, can be compared with `--explain OLD NEW` (`-` stands for the work tree now).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from uvmono import fingerprint
from uvmono.errors import UvmonoError
from uvmono.regular import read_regular
from uvmono.render.text import table
from uvmono.workspace import Workspace, lock_of

CURRENT = "-"
_LIMIT = 64 * 1024 * 1024


def compute(workspace: Workspace, names: Sequence[str] | None) -> list[fingerprint.Fingerprint]:
    return fingerprint.compute(workspace, lock_of(workspace), workspace.settings, names)


def as_json(found: Sequence[fingerprint.Fingerprint]) -> dict[str, Any]:
    return {"format": fingerprint.FORMAT_VERSION, "tasks": [f.as_json() for f in found]}


def render(found: Sequence[fingerprint.Fingerprint], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(as_json(found), indent=2, sort_keys=False) + "\n"
    if not found:
        return "no test tasks\n"
    rows = [[f.package, f.python, f.side or "-", f.value] for f in found]
    return table([["member", "python", "side", "fingerprint"], *rows])


def explain(workspace: Workspace, old: str, new: str) -> str:
    """What differs between the tasks of two `--format json` outputs (`-`: now)."""
    a, b = _tasks(workspace, old), _tasks(workspace, new)
    lines = []
    for key in sorted({*a, *b}):
        package, side, python = key
        label = f"{package} py{python}" + (f" [{side}]" if side else "")
        if key not in a:
            lines.append(f"{label}: only in {_name(new)}")
        elif key not in b:
            lines.append(f"{label}: only in {_name(old)}")
        elif a[key]["fingerprint"] == b[key]["fingerprint"]:
            lines.append(f"{label}: same ({a[key]['fingerprint']})")
        else:
            lines.append(f"{label}: {a[key]['fingerprint']} -> {b[key]['fingerprint']}")
            why = fingerprint.explain(a[key]["inputs"], b[key]["inputs"])
            lines.extend(f"  {line}" for line in why or ["(inputs equal: another format)"])
    return "\n".join(lines) + "\n" if lines else "no test tasks\n"


def _name(source: str) -> str:
    return "the work tree" if source == CURRENT else source


def _tasks(workspace: Workspace, source: str) -> dict[tuple[str, str, str], Mapping[str, Any]]:
    if source == CURRENT:
        data: Any = as_json(compute(workspace, None))
    else:
        hint = "pass a file written by `uvmono hash --format json`, or - for the work tree"
        raw = read_regular(Path(source), what="fingerprint file", limit=_LIMIT, hint=hint)
        if raw is None:
            raise UvmonoError(f"{source} does not exist", hint=hint)
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, ValueError) as exc:
            raise UvmonoError(f"{source} is not JSON: {exc}", hint=hint) from None
        if not _valid(data):
            raise UvmonoError(
                f"{source} is not the output of `uvmono hash --format json`", hint=hint
            )
    return {(t["package"], t["side"], t["python"]): t for t in data["tasks"]}


def _valid(data: Any) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("tasks"), list):
        return False
    for task in data["tasks"]:
        if not isinstance(task, dict) or not isinstance(task.get("inputs"), dict):
            return False
        if not all(isinstance(task.get(k), str) for k in ("package", "side", "python")):
            return False
        if not isinstance(task.get("fingerprint"), str):
            return False
    return True
