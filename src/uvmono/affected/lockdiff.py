"""Which members' locked environments differ between the base and the head uv.lock,
compared by package identity."""

from __future__ import annotations

from typing import Any

from uvmono.affected.chains import reverse_bfs
from uvmono.affected.reasons import Reason
from uvmono.environment import EnvironmentGraph
from uvmono.lockfile import Lock, PackageId
from uvmono.workspace import Workspace


def lock_identity(lock: Lock) -> set[tuple[PackageId, Any]]:
    return {
        (
            pid,
            (
                pkg.dependencies,
                tuple(sorted(pkg.optional.items())),
                tuple(sorted(pkg.groups.items())),
            ),
        )
        for pid, pkg in lock.packages.items()
    }


def lock_changes(
    workspace: Workspace, head: EnvironmentGraph, base: EnvironmentGraph, head_lock: Lock
) -> dict[str, Reason]:
    """Members whose locked environment differs between the base and the head lock.

    A state whose outgoing edges are equal in both graphs, and all of whose reachable states are
    too, reaches the same packages: so only members that reach a state that differs can differ.
    Those candidates are then checked exactly.
    """
    differing = [
        s for s in set(head.edges) | set(base.edges) if head.edges.get(s) != base.edges.get(s)
    ]
    candidates: set[str] = set()
    for graph in (head, base):
        parent, _ = reverse_bfs(graph, (s for s in differing if s in graph.edges))
        candidates.update(
            m
            for m in graph.members_starting_at(parent)
            if any(s in parent for s in graph.starts[m])
        )

    out: dict[str, Reason] = {}
    for name in sorted(candidates):
        if name not in head.in_lock:
            out[name] = Reason("lock", {"why": f"{name} has no entry in uv.lock (run `uv lock`)"})
            continue
        new_env, old_env = head.environment(name), base.environment(name)
        if new_env == old_env:
            continue
        out[name] = Reason("lock", {"packages": _package_changes(old_env, new_env)})
    for name in workspace.members:
        if name not in head.in_lock and name not in out:
            out[name] = Reason("lock", {"why": f"{name} has no entry in uv.lock (run `uv lock`)"})
    return out


def _package_changes(old: set[Any], new: set[Any]) -> list[dict[str, Any]]:
    by_name: dict[str, tuple[set[str], set[str]]] = {}
    for pkg in old ^ new:
        name = pkg if isinstance(pkg, str) else pkg.name
        version = "" if isinstance(pkg, str) else (pkg.version or pkg.source)
        olds, news = by_name.setdefault(name, (set(), set()))
        (olds if pkg in old else news).add(version)
    return [
        {"name": n, "old": sorted(v for v in o if v), "new": sorted(v for v in nw if v)}
        for n, (o, nw) in sorted(by_name.items())
    ]
