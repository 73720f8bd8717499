"""`uvmono members`."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from uvmono import graph
from uvmono.errors import UvmonoError
from uvmono.workspace import Workspace


def as_json(workspace: Workspace) -> dict[str, Any]:
    by_member: dict[str, list[graph.Edge]] = {}
    for edge in graph.edges(workspace):
        by_member.setdefault(edge.dependent, []).append(edge)
    rows = []
    for member in workspace.members.values():
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


def render(workspace: Workspace, fmt: str) -> str:
    if fmt == "names":
        return "".join(f"{name}\n" for name in workspace.members)
    if fmt == "paths":
        return lines(sorted(m.path for m in workspace.members.values()), "member path")
    data = as_json(workspace)
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
    return table(rows)


def table(rows: Sequence[Sequence[str]]) -> str:
    rows = [[printable(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n" for r in rows
    )


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def printable(text: str) -> str:
    """`text` for people: a newline or another control character in a file name is escaped."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


def lines(values: Sequence[str], what: str) -> str:
    """One value per line, for scripts; a value that holds a line break cannot be one line."""
    for value in values:
        if "\n" in value or "\r" in value:
            raise UvmonoError(
                f"the {what} {value!r} holds a line break, so it cannot be printed one per line",
                hint="use --format json, or rename it",
            )
    return "".join(f"{value}\n" for value in values)
