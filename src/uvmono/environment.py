"""What uv installs to work on a member: its *environment*, as a graph of install states.

A state is a package with at most one of its extras activated, or one member's (or a virtual
root's) dependency group. Requesting `pkg[x]` reaches the states `(pkg, None)` and `(pkg, x)`;
a state points at the states its requirements reach. A member's environment is everything
reachable from its start states: what its CI test job installs (`test_environment.py`: itself,
the extras and groups it selects — by default all of its own — and the root groups it
inherits). Groups are not transitive and a dependency's extras count only where something
requests them — the rule that keeps cycles through extras from making every plugin depend on
every other.

Edges come from the member pyproject.toml files and from uv.lock, unioned: the lock knows
third-party packages and dynamic dependencies, pyproject knows edges a stale lock lacks and
build requirements (which uv does not lock).

The closures here are plain BFS over dicts: `affected` runs this on every CI job and importing
networkx alone costs more than the whole computation.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property

from uvmono import test_environment
from uvmono.lockfile import Lock, LockDep, PackageId
from uvmono.records import record
from uvmono.workspace import Workspace

# A package node: a member name, or a third-party PackageId.
Package = str | PackageId
# (package, extra) or ("group", member, group)
State = tuple[Package, str | None] | tuple[str, str, str]


def group_state(member: str, group: str) -> State:
    return ("group", member, group)


def package_of(state: State) -> Package | None:
    """The package a state installs (None for a group state, which installs only its targets)."""
    if len(state) == 3:
        return None
    return state[0]


@record
class EnvironmentGraph:
    edges: Mapping[State, frozenset[State]]
    starts: Mapping[str, tuple[State, ...]]  # member -> its start states
    in_lock: frozenset[str]  # members the lock has an entry for
    # The member whose dependency groups members inherit (the root member's name, or
    # VIRTUAL_ROOT): a state of its groups may start any member's environment.
    root_owner: str = test_environment.VIRTUAL_ROOT

    @cached_property
    def reversed_edges(self) -> dict[State, list[State]]:
        """`reverse()`, built once per graph."""
        return self.reverse()

    def reverse(self) -> dict[State, list[State]]:
        rev: dict[State, list[State]] = {}
        for src, targets in self.edges.items():
            for dst in targets:
                if dst in rev:
                    rev[dst].append(src)
                else:
                    rev[dst] = [src]
        return rev

    def closure(self, starts: Iterable[State]) -> set[State]:
        seen = set(starts)
        queue = deque(seen)
        while queue:
            for nxt in self.edges.get(queue.popleft(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen

    def environment(self, member: str) -> set[Package]:
        """Every package (member names and third-party ids) uv installs to work on `member`."""
        return packages_of_states(self.closure(self.starts[member]))

    def runtime(self, member: str) -> set[Package]:
        """What `uv sync --package member --no-dev` installs: no own extras, no groups."""
        return packages_of_states(self.closure([(member, None)]))

    def members_starting_at(self, states: Iterable[State]) -> list[str]:
        """The members (in workspace order) whose start states may hold one of `states`: a
        superset, so that only their `starts` need computing. A package state starts only its
        own member's environment, a group state its member's, and a group of the root's
        every member's (each may inherit it)."""
        found: set[str] = set()
        for state in states:
            owner = state[1] if len(state) == 3 else state[0]
            if not isinstance(owner, str):
                continue  # a third-party package starts no member's environment
            if len(state) == 3 and owner == self.root_owner:
                return list(self.starts)
            found.add(owner)
        return [name for name in self.starts if name in found]


def packages_of_states(states: Iterable[State]) -> set[Package]:
    """The members and locked packages that `states` install."""
    return {p for p in map(package_of, states) if p is not None}


def _targets(package: Package, extras: Iterable[str]) -> list[State]:
    return [(package, None), *((package, e) for e in extras)]


class _Starts(Mapping[str, tuple[State, ...]]):
    """Each member's start states, worked out when first asked for: `affected` needs those of
    the few members a change reaches, not all of them. `build` works out at once those of the
    members whose settings could make `test_environment.environments` refuse them, so a bad
    setting fails `build` as before."""

    def __init__(self, workspace: Workspace, lock: Lock | None) -> None:
        self._workspace = workspace
        self._lock = lock
        self._known: dict[str, tuple[State, ...]] = {}
        for member in workspace.members.values():
            settings = member.settings
            if not (
                settings.test_extras == "all"
                and settings.test_groups == "all"
                and isinstance(settings.test_root_groups, (bool, str))  # "auto", True, False
            ):
                self._known[member.name] = self._work_out(member.name)

    def _work_out(self, name: str) -> tuple[State, ...]:
        member = self._workspace.members[name]
        envs = test_environment.environments(self._workspace, member, self._lock)
        return tuple(sorted(start_states(envs), key=repr))

    def __getitem__(self, name: str) -> tuple[State, ...]:
        known = self._known.get(name)
        if known is None:
            known = self._known[name] = self._work_out(name)
        return known

    def __iter__(self) -> Iterator[str]:
        return iter(self._workspace.members)

    def __len__(self) -> int:
        return len(self._workspace.members)

    def __contains__(self, name: object) -> bool:
        return name in self._workspace.members


def build(workspace: Workspace, lock: Lock | None) -> EnvironmentGraph:
    edges: dict[State, set[State]] = {}

    def add(src: State, dst: Iterable[State]) -> None:
        if src in edges:
            edges[src].update(dst)
        else:
            edges[src] = set(dst)

    starts = _Starts(workspace, lock)
    for member in workspace.members.values():
        name = member.name
        for dep in member.dependencies:
            kind = dep.kind
            if kind == "optional" and dep.extra is not None:
                src: State = (name, dep.extra)
            elif kind == "group" and dep.group is not None:
                src = group_state(name, dep.group)
            else:
                src = (name, None)  # plain dependencies and build requirements
            target = dep.target
            if src not in edges:
                edges[src] = set()
            targets = edges[src]
            targets.add((target, None))
            for extra in dep.extras:
                targets.add((target, extra))
    root = test_environment.VIRTUAL_ROOT
    for group, names in workspace.root_groups.items():
        add(group_state(root, group), [(n, None) for n in names if n in workspace.members])

    in_lock: set[str] = set()
    if lock is not None:

        def node(pid: PackageId) -> Package:
            return pid.name if lock.is_member(pid) and pid.name in workspace.members else pid

        def lock_targets(deps: Iterable[LockDep]) -> list[State]:
            out: list[State] = []
            for dep in deps:
                out.extend(_targets(node(dep.target), dep.extras))
            return out

        for pid, pkg in lock.packages.items():
            this = node(pid)
            is_member = isinstance(this, str)
            if is_member:
                in_lock.add(pid.name)
            add((this, None), lock_targets(pkg.dependencies))
            for extra, deps in pkg.optional.items():
                add((this, extra), lock_targets(deps))
            if is_member:
                for group, deps in pkg.groups.items():
                    add(group_state(pid.name, group), lock_targets(deps))
        for group, deps in lock.root_groups.items():
            add(group_state(root, group), lock_targets(deps))

    # Activating an extra installs the package itself too.
    for state, targets in edges.items():
        if len(state) == 2 and state[1] is not None:
            targets.add((state[0], None))
    root_member = workspace.root_member
    return EnvironmentGraph(
        edges={k: frozenset(v) for k, v in edges.items()},
        starts=starts,
        in_lock=frozenset(in_lock),
        root_owner=root if root_member is None else root_member.name,
    )


def start_states(envs: Iterable[test_environment.TestEnvironment]) -> set[State]:
    """What the member's test jobs request: itself, its extras, its groups, the root's groups."""
    states: set[State] = set()
    for env in envs:
        states.add((env.package, None))
        states.update((env.package, extra) for extra in env.extras)
        states.update(group_state(env.package, group) for group in env.groups)
        states.update(group_state(env.root_owner, group) for group in env.root_groups)
    return states
