"""`uvmono members`."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from uvmono import graph
from uvmono.render.text import lines, table
from uvmono.workspace import Workspace


def as_json(workspace: Workspace, names: Collection[str] | None = None) -> dict[str, Any]:
    by_member: dict[str, list[graph.Edge]] = {}
    for edge in graph.edges(workspace):
        by_member.setdefault(edge.dependent, []).append(edge)
    rows = []
    for member in workspace.members.values():
        if names is not None and member.name not in names:
            continue
        edges = by_member.get(member.name, [])
        optional: dict[str, set[str]] = {}
        groups: dict[str, set[str]] = {}
        for e in edges:
            if e.kind == "optional" and e.extra:
                optional.setdefault(e.extra, set()).add(e.dependency)
            if e.kind == "group" and e.group:
                groups.setdefault(e.group, set()).add(e.dependency)
        rows.append(
            {
                "name": member.name,
                "path": member.path,
                "version": member.version,
                "virtual": member.virtual,
                "dependencies": sorted({e.dependency for e in edges if e.kind == "dependency"}),
                "optional_dependencies": {k: sorted(v) for k, v in sorted(optional.items())},
                "group_dependencies": {k: sorted(v) for k, v in sorted(groups.items())},
                "build_dependencies": sorted({e.dependency for e in edges if e.kind == "build"}),
                "scripts": dict(sorted(member.scripts.items())),
                "path_sources": [
                    {"name": s.name, "path": s.path, "editable": s.editable}
                    for s in member.path_sources
                ],
            }
        )
    return {"workspace_root": str(workspace.root), "members": rows}


def render(
    workspace: Workspace,
    fmt: str,
    names: Collection[str] | None = None,
    width: int | None = None,
) -> str:
    """The members (only `names`, when given) as a table (cut to `width`), JSON, names or
    paths."""
    chosen = [m for n, m in workspace.members.items() if names is None or n in names]
    if fmt == "names":
        return "".join(f"{m.name}\n" for m in chosen)
    if fmt == "paths":
        return lines(sorted(m.path for m in chosen), "member path")
    data = as_json(workspace, names)
    if fmt == "json":
        return json.dumps(data, indent=2) + "\n"
    header = ("NAME", "PATH", "VERSION", "KIND", "DEPENDS ON", "SCRIPTS")
    rows = [header]
    for row in data["members"]:
        deps = sorted(
            set(row["dependencies"])
            | {f"{d} [{e}]" for e, ds in row["optional_dependencies"].items() for d in ds}
            | {f"{d} ({g})" for g, ds in row["group_dependencies"].items() for d in ds}
            | {f"{d} (build)" for d in row["build_dependencies"]}
        )
        rows.append(
            (
                row["name"],
                row["path"],
                row["version"] or "-",
                "virtual" if row["virtual"] else "package",
                ", ".join(deps) or "-",
                ", ".join(row["scripts"]) or "-",
            )
        )
    return table(rows, width)
