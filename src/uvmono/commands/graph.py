"""`uvmono graph`."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from uvmono import graph, selection
from uvmono.errors import UvmonoError
from uvmono.workspace import Workspace, lock_of

if TYPE_CHECKING:
    import networkx as nx

    from uvmono.affected import Affected
    from uvmono.render import html


def chosen(
    workspace: Workspace, filters: Sequence[str], context: selection.Context | None
) -> list[str] | None:
    """The members the filters select (`selection.py`); None: no filters, every member."""
    return selection.select(workspace, filters, context or selection.Context(workspace.root, {}))


def render(
    workspace: Workspace,
    filters: Sequence[str],
    fmt: str,
    reverse: bool,
    order: bool,
    context: selection.Context | None = None,
    *,
    all_edges: bool = False,
    depth: int | None = None,
    result: Affected | None = None,
    color: bool = False,
) -> str:
    """The graph of the selected members: by default what uv installs for them (their
    environments), with `all_edges` every declared edge; `depth` steps from them at most.
    With `result` (`--since`), the changed and the affected members are marked."""
    names = chosen(workspace, filters, context)
    marks = None if result is None else _marks(result)
    if fmt == "json" and names is None and not order and depth is None and marks is None:
        return graph.workspace_json(workspace)
    g = graph.build(workspace)
    if names is not None:
        g = graph.subgraph(g, names, reverse)
        if not all_edges:
            g = environment_view(workspace, g, names, reverse)
        if depth is not None:
            g = within(g, names, depth, reverse)
    if fmt == "json":
        return graph.to_json(g, order=order, marks=marks)
    if fmt == "dot":
        return graph.to_dot(g, {n: m.path for n, m in workspace.members.items()})
    if fmt == "mermaid":
        return graph.to_mermaid(g)
    text = graph.to_text(g, reverse, marks, color)
    if order:
        text += "\nbuild layers (each member in the earliest it can build in):\n"
        text += "".join(f"  {i}. {' '.join(layer)}\n" for i, layer in enumerate(graph.levels(g), 1))
        found = graph.cycles(g)
        text += f"\ncycles (each builds as one unit): {'none' if not found else ''}\n"
        text += "".join(f"  {' -> '.join([*cycle, cycle[0]])}\n" for cycle in found)
    return text


def _marks(result: Affected) -> dict[str, str]:
    marks = dict.fromkeys(result.affected, "affected")
    marks.update(dict.fromkeys(result.directly_changed, "changed"))
    return marks


def affected_since(
    workspace: Workspace, since: str, info: Callable[[str], None]
) -> tuple[Workspace, Affected]:
    """What the change since `since` affects, with the workspace as it is now."""
    from uvmono import pipeline

    return pipeline.affected(workspace, pipeline.RunOptions(since=since, info=info))


def environment_view(
    workspace: Workspace, g: nx.DiGraph[str], names: Sequence[str], reverse: bool
) -> nx.DiGraph[str]:
    """`g` cut to what uv installs: the members in the environments of `names` (reversed: the
    members whose environments hold them), and only the declarations uv follows there (an
    extra that nothing requests installs nothing)."""
    import networkx as nx

    from uvmono import environment

    env = environment.build(workspace, workspace.edge_lock)
    keep = set(names)
    for name in names:
        if reverse:
            keep |= {m for m in workspace.members if name in env.environment(m)}
        else:
            keep |= {p for p in env.environment(name) if isinstance(p, str)}
    roots = keep if reverse else set(names)
    states = env.closure(s for name in roots for s in env.starts[name])
    view: nx.DiGraph[str] = nx.DiGraph()
    view.add_nodes_from(sorted(keep))
    for a, b in g.edges:
        if a not in keep or b not in keep:
            continue
        via = [e for e in g.edges[a, b]["via"] if _source_state(e) in states]
        if via:
            view.add_edge(a, b, via=via)
    return view


def _source_state(edge: graph.Edge) -> tuple[str, str | None] | tuple[str, str, str]:
    if edge.kind == "optional" and edge.extra is not None:
        return (edge.dependent, edge.extra)
    if edge.kind == "group" and edge.group is not None:
        return ("group", edge.dependent, edge.group)
    return (edge.dependent, None)


def within(
    g: nx.DiGraph[str], names: Sequence[str], depth: int, reverse: bool
) -> nx.DiGraph[str]:
    """The members at most `depth` edges from `names` (along dependents, reversed)."""
    import networkx as nx

    walk = g.reverse(copy=False) if reverse else g
    keep: set[str] = set()
    for name in names:
        keep |= set(nx.single_source_shortest_path_length(walk, name, cutoff=depth))
    return g.subgraph(keep).copy()


MARKED_FORMATS = ("text", "json", "html")


def check_options(fmt: str, since: str | None, open_page: bool) -> None:
    """`--open` belongs to the page; `--since` marks members in text, json and the page."""
    if open_page and fmt != "html":
        raise UvmonoError(
            f"--open needs `--format html` (the page), not `--format {fmt}`",
            hint="add `--format html`",
        )
    if since is not None and fmt not in MARKED_FORMATS:
        raise UvmonoError(
            f"--since marks members in text, json and html, not in `--format {fmt}`",
            hint="use `--format text` (the default) or `--format html`; "
            "`uvmono affected --since REF --explain` prints the reasons",
        )


def html_command(
    workspace: Workspace,
    packages: Sequence[str],
    reverse: bool,
    since: str | None,
    open_page: bool,
    info: Callable[[str], None],
    context: selection.Context | None = None,
) -> str:
    """The page as text, or with `open_page` written to a temporary file and opened ("")."""
    result = None
    if since is not None:
        workspace, result = affected_since(workspace, since, info)
    text = html_page(workspace, packages, reverse, result, context)
    if not open_page:
        return text
    import tempfile
    import webbrowser

    fd, name = tempfile.mkstemp(prefix="uvmono-graph-", suffix=".html")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as file:
        file.write(text)
    info(f"uvmono: wrote {name}")
    if not webbrowser.open(Path(name).as_uri()):
        raise UvmonoError(
            f"no web browser to open {name} with",
            hint="open that file yourself, or set $BROWSER to your browser's command",
        )
    return ""


def html_page(
    workspace: Workspace,
    packages: Sequence[str],
    reverse: bool,
    result: Affected | None,
    context: selection.Context | None = None,
) -> str:
    from uvmono.render import html

    return html.page(page_data(workspace, packages, reverse, result, context))


def page_data(
    workspace: Workspace,
    packages: Sequence[str],
    reverse: bool,
    result: Affected | None,
    context: selection.Context | None = None,
) -> html.Page:
    """What `uvmono graph --format html` draws: layout, environments and reasons, prepared
    here from the workspace (and the affected result, with `--since`) for the pure renderer."""
    from uvmono import environment, layout
    from uvmono.render import html

    g = graph.build(workspace)
    names = chosen(workspace, packages, context)
    if names is not None:
        g = graph.subgraph(g, names, reverse)
    drawn = set(g.nodes)
    placed = layout.layered(graph.levels(g), g.edges)
    members_env = environment.build(workspace, workspace.edge_lock)
    lock = lock_of(workspace)
    packages_env = environment.build(workspace, lock) if lock is not None else None
    reasons = result.reason_lines() if result is not None else {}
    direct = set(result.directly_changed) if result is not None else set()
    nodes = []
    for name in sorted(drawn):
        box = placed.boxes[name]
        env = {p for p in members_env.environment(name) if isinstance(p, str)}
        third = (
            sorted({p.label() for p in packages_env.environment(name) if not isinstance(p, str)})
            if packages_env is not None
            else []
        )
        state = "changed" if name in direct else "affected" if name in reasons else ""
        nodes.append(
            html.PageNode(
                name=name,
                path=workspace.members[name].path,
                x=box.x,
                y=box.y,
                width=box.width,
                height=box.height,
                layer=box.layer,
                state=state,
                reasons=tuple(reasons.get(name, ())),
                environment=tuple(sorted(env & drawn)),
                third_party=tuple(third),
                hidden=len(env - drawn),
            )
        )
    edges = []
    for a, b in sorted(g.edges):
        via = g.edges[a, b]["via"]
        label = ", ".join(sorted({graph.edge_label(e) for e in via}))
        dashed = not any(e.kind == "dependency" for e in via)
        edges.append(html.PageEdge(a, b, label, dashed))
    notes = []
    if lock is None:
        notes.append("There is no uv.lock: third-party packages are not listed.")
    if placed.crossings:
        notes.append(f"{placed.crossings} edge crossings left after ordering.")
    comparison = None
    if result is not None:
        head = result.head[:12] if result.head else "the working tree"
        base = result.base[:12] if result.base else "none"
        comparison = f"Comparing {head} with base {base} ({result.base_source})."
    title = f"uvmono graph: {workspace.root.name}"
    return html.Page(
        title,
        nodes,
        edges,
        placed.width,
        placed.height,
        comparison,
        tuple(notes),
        locked=lock is not None,
    )
