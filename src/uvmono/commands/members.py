"""`uvmono members`."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from uvmono import graph
from uvmono.render import jsondump
from uvmono.render.text import lines, table
from uvmono.workspace import Workspace


def as_json(workspace: Workspace, names: Collection[str] | None = None) -> dict[str, Any]:
    by_member: dict[str, list[tuple[str, str, str | None, str | None]]] = {}
    for dependent, dependency, kind, extra, group in _declared(workspace):
        by_member.setdefault(dependent, []).append((dependency, kind, extra, group))
    rows = []
    for member in workspace.members.values():
        if names is not None and member.name not in names:
            continue
        plain: set[str] = set()
        build: set[str] = set()
        optional: dict[str, set[str]] = {}
        groups: dict[str, set[str]] = {}
        for dependency, kind, extra, group in by_member.get(member.name, ()):
            if kind == "dependency":
                plain.add(dependency)
            elif kind == "build":
                build.add(dependency)
            elif kind == "optional" and extra:
                optional.setdefault(extra, set()).add(dependency)
            elif kind == "group" and group:
                groups.setdefault(group, set()).add(dependency)
        rows.append(
            {
                "name": member.name,
                "path": member.path,
                "version": member.version,
                "virtual": member.virtual,
                "dependencies": sorted(plain),
                "optional_dependencies": {k: sorted(v) for k, v in sorted(optional.items())},
                "group_dependencies": {k: sorted(v) for k, v in sorted(groups.items())},
                "build_dependencies": sorted(build),
                "scripts": dict(sorted(member.scripts.items())),
                "path_sources": [
                    {"name": s.name, "path": s.path, "editable": s.editable}
                    for s in member.path_sources
                ],
            }
        )
    return {"workspace_root": str(workspace.root), "members": rows}


def _declared(workspace: Workspace) -> Iterator[tuple[str, str, str, str | None, str | None]]:
    """(dependent, dependency, kind, extra, group) of every member edge `graph.edges` has, in
    no order and perhaps twice: `as_json` keeps sorted sets. Without a lock those are the
    pyproject.toml declarations, read here directly (`graph.edges` sorts and merges them)."""
    if workspace.edge_lock is not None:
        for e in graph.edges(workspace):
            yield e.dependent, e.dependency, e.kind, e.extra, e.group
        return
    for member in workspace.members.values():
        for dep in member.dependencies:
            yield member.name, dep.target, dep.kind, dep.extra, dep.group


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
        return jsondump.dumps(data) + "\n"
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
