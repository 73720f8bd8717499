"""Which members a changed member reaches, each with one shortest chain to it: over the
environment graph (`environment.py`, the default), or over every declared edge
(`affected = "graph"`)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from uvmono import environment
from uvmono.affected.reasons import CHAIN_SHOWN, Reason, dependency
from uvmono.environment import EnvironmentGraph, State
from uvmono.lockfile import PackageId

if TYPE_CHECKING:
    from uvmono.graph import Edge
    from uvmono.workspace import Workspace


def environment_dependents(
    graph: EnvironmentGraph, changed: set[str], reasons: dict[str, list[Reason]]
) -> None:
    """Every member whose environment holds a changed member, with one shortest chain.

    One BFS from the changed members over reversed edges keeps one predecessor per state and
    its distance; each member's chain is then walked from its nearest start state, for at
    most CHAIN_SHOWN names, while its full length comes from a memo: linear in the graph
    however long the chains are.
    """
    if not changed:
        return
    parent, distance = reverse_bfs(graph, _states_of(graph, changed))
    lengths = _ChainLengths(parent)
    for member in graph.members_starting_at(distance):
        reached = [s for s in graph.starts[member] if s in distance]
        if not reached:
            continue
        start = min(reached, key=distance.__getitem__)
        chain, length, links = _chain(member, start, parent, lengths)
        if length > 1:
            reason = dependency(chain, length, lengths.end(start), links)
            reasons.setdefault(member, []).append(reason)


def _states_of(graph: EnvironmentGraph, members: set[str]) -> list[State]:
    """The states that install a changed member. Group states install only their targets, and
    a root group is in the start states of every member that inherits it."""
    states: set[State] = set()
    for member in members:
        states.update(s for s in graph.starts.get(member, ()) if environment.package_of(s))
    for state in graph.edges:
        if len(state) == 2 and state[0] in members:
            states.add(state)
    return sorted(states, key=repr)


def reverse_bfs(
    graph: EnvironmentGraph, sources: Iterable[State]
) -> tuple[dict[State, State | None], dict[State, int]]:
    """One predecessor per reached state (None at a source), and its distance from a source."""
    reverse = graph.reversed_edges
    parent: dict[State, State | None] = {}
    distance: dict[State, int] = {}
    queue: deque[State] = deque()
    for s in sources:
        if s not in parent:
            parent[s] = None
            distance[s] = 0
            queue.append(s)
    while queue:
        state = queue.popleft()
        step = distance[state] + 1
        for prev in reverse.get(state, ()):
            if prev not in parent:
                parent[prev] = state
                distance[prev] = step
                queue.append(prev)
    return parent, distance


def _label(state: State) -> str | None:
    pkg = environment.package_of(state)
    if isinstance(pkg, PackageId):
        return pkg.label()
    return pkg


class _ChainLengths:
    """For a state: how many names its path to a source shows (equal neighbours shown once),
    its first name, and the name at its source; memoized, so all members together cost one
    walk of the BFS tree."""

    def __init__(self, parent: Mapping[State, State | None]) -> None:
        self.parent = parent
        self.memo: dict[State, tuple[int, str | None, str | None]] = {}
        self.labels: dict[State, str | None] = {}  # each state's name, looked up once

    def label(self, state: State) -> str | None:
        if state in self.labels:
            return self.labels[state]
        label = self.labels[state] = _label(state)
        return label

    def get(self, state: State) -> tuple[int, str | None, str | None]:
        """(names, first name, last name) on the path from `state` to its source."""
        path: list[State] = []
        cur: State | None = state
        while cur is not None and cur not in self.memo:
            path.append(cur)
            cur = self.parent[cur]
        after = self.memo[cur] if cur is not None else (0, None, None)
        for s in reversed(path):
            label = self.label(s)
            count, first, last = after
            if label is not None and label != first:
                after = (count + 1, label, last if last is not None else label)
            self.memo[s] = after
        return self.memo[state]

    def end(self, state: State) -> str | None:
        return self.get(state)[2]


def _chain(
    member: str, start: State, parent: Mapping[State, State | None], lengths: _ChainLengths
) -> tuple[list[str], int, list[dict[str, Any]]]:
    """The first CHAIN_SHOWN names of `member`'s chain from `start`, its full length, and the
    links among those names that an extra or a dependency group brought."""
    count, first, _ = lengths.get(start)
    length = 1 + count - (1 if first == member else 0)
    chain = [member]
    links: list[dict[str, Any]] = []
    note: dict[str, Any] | None = None  # what the previous state of this name activated
    cur: State | None = start
    while cur is not None and len(chain) < CHAIN_SHOWN:
        label = lengths.label(cur)
        if label is not None and label != chain[-1]:
            if note:
                links.append({"from": chain[-1], "to": label, **note})
            chain.append(label)
        note = _note(cur, member)
        cur = parent[cur]
    return chain, length, links


def _note(state: State, member: str) -> dict[str, Any] | None:
    """The extra or dependency group a state stands for (None: the package itself)."""
    if len(state) == 3:
        _, owner, group = state
        return {"group": group} if owner == member else {"group": group, "root": True}
    return {"extra": state[1]} if state[1] is not None else None


def dependents_over_every_edge(
    workspace: Workspace, changed: set[str], reasons: dict[str, list[Reason]]
) -> None:
    """The conservative rule (`affected = "graph"`): dependents over every kind of edge."""
    from uvmono import graph

    dependents: dict[str, set[str]] = {}
    declared: dict[tuple[str, str], list[Edge]] = {}
    for edge in graph.edges(workspace):
        dependents.setdefault(edge.dependency, set()).add(edge.dependent)
        declared.setdefault((edge.dependent, edge.dependency), []).append(edge)
    parent: dict[str, str | None] = dict.fromkeys(changed)
    queue = deque(sorted(changed))
    while queue:
        name = queue.popleft()
        for dep in sorted(dependents.get(name, ())):
            if dep not in parent:
                parent[dep] = name
                queue.append(dep)
    depth: dict[str, int] = {}
    for name, via in parent.items():  # BFS order: `via` got its depth first
        depth[name] = 0 if via is None else depth[via] + 1
    roots: dict[str, str] = {}
    for name, via in parent.items():
        roots[name] = name if via is None else roots[via]
    for name, via in parent.items():
        if via is None or any(r.kind == "dependency" for r in reasons.get(name, [])):
            continue
        chain = [name]
        links: list[dict[str, Any]] = []
        cur: str | None = via
        while cur is not None and len(chain) < CHAIN_SHOWN:
            note = _edge_note(declared[chain[-1], cur])
            if note:
                links.append({"from": chain[-1], "to": cur, **note})
            chain.append(cur)
            cur = parent[cur]
        reason = dependency(chain, depth[name] + 1, roots[name], links)
        reasons.setdefault(name, []).append(reason)


def _edge_note(declared: Sequence[Edge]) -> dict[str, Any] | None:
    """The extra or group behind a member edge; None when a plain requirement is among them."""
    if any(e.kind in ("dependency", "build") for e in declared):
        return None
    first = min(declared, key=lambda e: e.sort_key())
    return {"extra": first.extra} if first.kind == "optional" else {"group": first.group}
