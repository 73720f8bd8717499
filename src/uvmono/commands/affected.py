"""`uvmono affected`."""

from __future__ import annotations

import json

from uvmono.affected import Affected
from uvmono.render.text import lines, printable, table
from uvmono.workspace import Workspace


def _required(workspace: Workspace, names: list[str]) -> list[str]:
    """The members the given ones need installed (their environments)."""
    from uvmono import environment

    graph = environment.build(workspace, workspace.edge_lock)
    out = set(names)
    for name in names:
        out.update(p for p in graph.environment(name) if isinstance(p, str))
    return sorted(out)


def render(
    computed: tuple[Workspace, Affected],
    fmt: str,
    *,
    explain: bool,
    direct_only: bool,
    include_dependencies: bool,
    width: int | None = None,
) -> str:
    workspace, result = computed
    names = list(result.directly_changed if direct_only else result.affected)
    if include_dependencies:
        names = _required(workspace, names)
    if fmt == "json":
        data = result.as_json()
        if direct_only:
            data["affected"] = list(result.directly_changed)
        if include_dependencies:
            data["required"] = names
        return json.dumps(data, indent=2) + "\n"
    if explain:
        return explanation(workspace, result, names)
    if fmt == "paths":
        return lines([workspace.members[n].path for n in names], "member path")
    if fmt == "table":
        rows = [("NAME", "PATH", "WHY")]
        why = result.reason_lines()
        for n in names:
            rows.append((n, workspace.members[n].path, "; ".join(why.get(n, ["needed"]))))
        return table(rows, width)
    return "".join(f"{n}\n" for n in names)


def explanation(workspace: Workspace, result: Affected, names: list[str]) -> str:
    if not names:
        return "nothing is affected\n"
    out = []
    reasons = result.reason_lines()
    for name in names:
        out.append(f"{name} ({printable(workspace.members[name].path)})")
        why = reasons.get(name, ["needed by an affected member"])
        for i, line in enumerate(why):
            out.append(f"  {'└─' if i == len(why) - 1 else '├─'} {printable(line)}")
    return "\n".join(out) + "\n"
