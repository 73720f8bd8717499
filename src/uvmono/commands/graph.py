"""`uvmono graph`."""

from __future__ import annotations

from collections.abc import Sequence

from uvmono import graph
from uvmono.workspace import Workspace


def render(
    workspace: Workspace, packages: Sequence[str], fmt: str, reverse: bool, order: bool
) -> str:
    if fmt == "json" and not packages and not order:
        return graph.workspace_json(workspace)
    g = graph.build(workspace)
    if packages:
        g = graph.subgraph(g, graph.check_names(workspace, packages), reverse)
    if fmt == "json":
        return graph.to_json(g, order=order)
    if fmt == "dot":
        return graph.to_dot(g)
    if fmt == "mermaid":
        return graph.to_mermaid(g)
    text = graph.to_text(g, reverse)
    if order:
        text += "\nbuild order (a cycle builds as one unit):\n"
        text += "".join(f"  {i}. {' '.join(layer)}\n" for i, layer in enumerate(graph.layers(g), 1))
    return text
