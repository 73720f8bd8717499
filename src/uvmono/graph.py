"""The member graph: a networkx DiGraph whose edge `dependent -> dependency` knows every
declaration behind it (plain dependency, optional extra, dependency group, build requirement).

networkx is imported inside these functions: `uvmono --help` and `uvmono affected` never pay
for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from uvmono.errors import UvmonoError
from uvmono.records import record
from uvmono.workspace import MemberDependency, Workspace

if TYPE_CHECKING:
    import networkx as nx


@record
class Edge:
    dependent: str
    dependency: str
    kind: str  # dependency | optional | group | build
    extra: str | None = None
    group: str | None = None
    extras: tuple[str, ...] = ()
    marker: str | None = None

    def sort_key(self) -> tuple[str, str, str, str, str, tuple[str, ...], str]:
        return (
            self.dependent,
            self.dependency,
            self.kind,
            self.extra or "",
            self.group or "",
            self.extras,
            self.marker or "",
        )

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"from": self.dependent, "to": self.dependency, "kind": self.kind}
        if self.extra is not None:
            out["extra"] = self.extra
        if self.group is not None:
            out["group"] = self.group
        if self.extras:
            out["extras"] = list(self.extras)
        if self.marker is not None:
            out["marker"] = self.marker
        return out


def edges(workspace: Workspace) -> list[Edge]:
    """Every member-to-member declaration, from pyproject.toml and from uv.lock, deduplicated."""
    found: set[Edge] = set()
    for member in workspace.members.values():
        for dep in member.dependencies:
            found.add(_edge(member.name, dep))
    lock = workspace.edge_lock
    if lock is not None:
        for name, pid in lock.members.items():
            if name not in workspace.members:
                continue
            pkg = lock.packages[pid]
            declared: list[tuple[str, str | None, str | None, Iterable[Any]]] = [
                ("dependency", None, None, pkg.dependencies)
            ]
            declared += [("optional", e, None, d) for e, d in pkg.optional.items()]
            declared += [("group", None, g, d) for g, d in pkg.groups.items()]
            for kind, extra, group, deps in declared:
                for dep in deps:
                    target = dep.target.name
                    if target == name or not lock.is_member(dep.target):
                        continue
                    if target not in workspace.members:
                        continue
                    found.add(Edge(name, target, kind, extra, group, dep.extras, dep.marker))
    return sorted(_merge_lock_duplicates(found), key=Edge.sort_key)


def _edge(dependent: str, dep: MemberDependency) -> Edge:
    return Edge(dependent, dep.target, dep.kind, dep.extra, dep.group, dep.extras, dep.marker)


def _merge_lock_duplicates(found: set[Edge]) -> set[Edge]:
    """pyproject and lock spell one declaration's marker differently; keep one edge for it."""
    by_key: dict[tuple[Any, ...], Edge] = {}
    for edge in sorted(found, key=lambda e: (e.marker is None, e.sort_key())):
        key = (edge.dependent, edge.dependency, edge.kind, edge.extra, edge.group, edge.extras)
        by_key.setdefault(key, edge)
    return set(by_key.values())


def build(workspace: Workspace) -> nx.DiGraph[str]:
    import networkx as nx

    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(sorted(workspace.members))
    for edge in edges(workspace):
        if graph.has_edge(edge.dependent, edge.dependency):
            graph.edges[edge.dependent, edge.dependency]["via"].append(edge)
        else:
            graph.add_edge(edge.dependent, edge.dependency, via=[edge])
    return graph


def check_names(workspace: Workspace, names: Sequence[str]) -> list[str]:
    """Each name normalized, checked to be a member (the filters of `selection.py` do more)."""
    from uvmono.names import normalize

    out = []
    for raw in names:
        name = normalize(raw)
        if name not in workspace.members:
            raise UvmonoError(
                f"`{raw}` is not a member of the workspace at {workspace.root}",
                hint="`uvmono members --format names` lists the members",
            )
        out.append(name)
    return out


def subgraph(graph: nx.DiGraph[str], names: Sequence[str], reverse: bool) -> nx.DiGraph[str]:
    """The named members with their dependencies (or, reversed, their dependents)."""
    import networkx as nx

    keep = set(names)
    for name in names:
        keep |= nx.ancestors(graph, name) if reverse else nx.descendants(graph, name)
    return graph.subgraph(keep).copy()


def layers(graph: nx.DiGraph[str]) -> list[list[str]]:
    """Build order: each layer needs only earlier layers; a cycle is built as one unit."""
    import networkx as nx

    condensed = nx.condensation(graph)
    order: list[list[str]] = []
    for generation in reversed(list(nx.topological_generations(condensed))):
        layer: list[str] = []
        for component in generation:
            layer.extend(condensed.nodes[component]["members"])
        order.append(sorted(layer))
    return order


def levels(graph: nx.DiGraph[str]) -> list[list[str]]:
    """`layers` with each member as early as its dependencies allow: a member's level is one
    more than its deepest dependency's (a cycle shares one). Same count, shorter edges: what
    the drawn page uses."""
    import networkx as nx

    condensed = nx.condensation(graph)
    level: dict[int, int] = {}
    for component in reversed(list(nx.topological_sort(condensed))):
        below = [level[c] + 1 for c in condensed.successors(component)]
        level[component] = max(below, default=0)
    out: list[list[str]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for component, index in level.items():
        out[index].extend(condensed.nodes[component]["members"])
    return [sorted(layer) for layer in out]


def cycles(graph: nx.DiGraph[str]) -> list[list[str]]:
    import networkx as nx

    return sorted(sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1)


def all_edges(graph: nx.DiGraph[str]) -> list[Edge]:
    found: list[Edge] = []
    for a, b in graph.edges:
        found.extend(graph.edges[a, b]["via"])
    return sorted(found, key=Edge.sort_key)


# ------------------------------------------------------------------------------- rendering


def to_json(
    graph: nx.DiGraph[str], *, order: bool = False, marks: Mapping[str, str] | None = None
) -> str:
    """Nodes and edges; with `order`, also the cycles and the build layers; with `marks`
    (member -> "changed" or "affected"), the `changed` and `affected` members shown."""
    data: dict[str, Any] = {
        "nodes": sorted(graph.nodes),
        "edges": [e.as_json() for e in all_edges(graph)],
    }
    if order:
        data["cycles"] = cycles(graph)
        data["layers"] = levels(graph)
    if marks is not None:
        for kind in ("changed", "affected"):
            data[kind] = sorted(n for n in graph.nodes if marks.get(n) == kind)
    import json  # here, not at the top: `uvmono members` needs only this module's edges

    return json.dumps(data, indent=2) + "\n"


def workspace_json(workspace: Workspace) -> str:
    """`to_json` of the whole workspace without building a networkx graph (and importing it)."""
    import json

    data = {"nodes": sorted(workspace.members), "edges": [e.as_json() for e in edges(workspace)]}
    return json.dumps(data, indent=2) + "\n"


def edge_label(edge: Edge) -> str:
    if edge.kind == "optional":
        return f"extra {edge.extra}"
    if edge.kind == "group":
        return f"group {edge.group}"
    return edge.kind


def to_text(
    graph: nx.DiGraph[str],
    reverse: bool,
    marks: Mapping[str, str] | None = None,
    color: bool = False,
) -> str:
    """Each member and its edges; with `marks` (member -> "changed" or "affected"), a marked
    member's line says which (coloured with `color`), and a last line counts them."""
    from uvmono.render.text import paint

    marks = marks or {}
    lines = []
    for node in sorted(graph.nodes):
        mark = marks.get(node)
        lines.append(node if mark is None else paint(f"{node} ({mark})", MARK_STYLES[mark], color))
        neighbours = graph.predecessors(node) if reverse else graph.successors(node)
        for other in sorted(neighbours):
            pair = (other, node) if reverse else (node, other)
            kinds = ", ".join(sorted({edge_label(e) for e in graph.edges[pair]["via"]}))
            arrow = "<-" if reverse else "->"
            lines.append(f"  {arrow} {other} ({kinds})")
    if marks:
        shown = [marks[n] for n in graph.nodes if n in marks]
        lines.append(
            f"\n{shown.count('changed')} changed, {shown.count('affected')} affected by the "
            f"change (of {graph.number_of_nodes()} members shown)"
        )
    return "\n".join(lines) + ("\n" if lines else "")


# How `to_text` colours a marked member: changed bold red, affected yellow (as the page does).
MARK_STYLES = {"changed": "1;31", "affected": "33"}


def _dot_id(name: str) -> str:
    import json

    return json.dumps(name)


def _dot_string(text: str) -> str:
    """A DOT quoted string holding `text` (a directory name: any character but NUL)."""
    text = "".join(c if c.isprintable() else " " for c in text)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(graph: nx.DiGraph[str], paths: Mapping[str, str] | None = None) -> str:
    """With `paths` (member -> its path), members sharing a directory (`libs/`, `services/`)
    are drawn inside one box: a `cluster` subgraph."""
    lines = ["digraph uvmono {", "  rankdir=LR;"]
    clusters: dict[str, list[str]] = {}
    for node in sorted(graph.nodes):
        parent = PurePosixPath(paths[node]).parent.as_posix() if paths and node in paths else "."
        clusters.setdefault(parent, []).append(node)
    lines += [f"  {_dot_id(n)};" for n in clusters.pop(".", [])]
    for directory, names in sorted(clusters.items()):
        lines.append(f"  subgraph {_dot_string('cluster_' + directory)} {{")
        lines.append(f"    label={_dot_string(directory + '/')};")
        lines += [f"    {_dot_id(n)};" for n in names]
        lines.append("  }")
    for a, b in sorted(graph.edges):
        kinds = {e.kind for e in graph.edges[a, b]["via"]}
        style = "" if "dependency" in kinds else " [style=dashed]"
        label = ", ".join(sorted({edge_label(e) for e in graph.edges[a, b]["via"]}))
        lines.append(f"  {_dot_id(a)} -> {_dot_id(b)} [label={_dot_id(label)}]{style};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_mermaid(graph: nx.DiGraph[str], highlight: Iterable[str] = ()) -> str:
    ids = {name: f"n{i}" for i, name in enumerate(sorted(graph.nodes))}
    lines = ["graph LR"]
    lines += [f'  {ids[n]}["{_mermaid_text(n)}"]' for n in sorted(graph.nodes)]
    for a, b in sorted(graph.edges):
        kinds = {e.kind for e in graph.edges[a, b]["via"]}
        arrow = "-->" if "dependency" in kinds else "-.->"
        lines.append(f"  {ids[a]} {arrow} {ids[b]}")
    marked = sorted(ids[n] for n in highlight if n in ids)
    if marked:
        lines.append("  classDef changed fill:#fdd,stroke:#c00")
        lines.append(f"  class {','.join(marked)} changed")
    return "\n".join(lines) + "\n"


def _mermaid_text(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_. " else f"#{ord(c)};" for c in name)
