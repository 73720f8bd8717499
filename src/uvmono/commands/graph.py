"""`uvmono graph`."""

from __future__ import annotations

from collections.abc import Sequence

from uvmono import graph
from uvmono.workspace import Workspace


def render(workspace: Workspace, packages: Sequence[str], fmt: str, reverse: bool) -> str:
    g = graph.build(workspace)
    if packages:
        g = graph.subgraph(g, graph.check_names(workspace, packages), reverse)
    if fmt == "json":
        return graph.to_json(g)
    if fmt == "dot":
        return graph.to_dot(g)
    if fmt == "mermaid":
        return graph.to_mermaid(g)
    return graph.to_text(g, reverse)
