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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from uvmono import test_environment
from uvmono.lockfile import Lock, LockDep, PackageId
from uvmono.workspace import MemberDependency, Workspace

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


@dataclass(frozen=True)
class EnvironmentGraph:
    edges: Mapping[State, frozenset[State]]
    starts: Mapping[str, tuple[State, ...]]  # member -> its start states
    in_lock: frozenset[str]  # members the lock has an entry for

    def reverse(self) -> dict[State, list[State]]:
        rev: dict[State, list[State]] = {}
        for src, targets in self.edges.items():
            for dst in targets:
                rev.setdefault(dst, []).append(src)
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


def packages_of_states(states: Iterable[State]) -> set[Package]:
    """The members and locked packages that `states` install."""
    return {p for p in map(package_of, states) if p is not None}


def _targets(package: Package, extras: Iterable[str]) -> list[State]:
    return [(package, None), *((package, e) for e in extras)]


def build(workspace: Workspace, lock: Lock | None) -> EnvironmentGraph:
    edges: dict[State, set[State]] = {}
    starts: dict[str, set[State]] = {}

    def add(src: State, dst: Iterable[State]) -> None:
        edges.setdefault(src, set()).update(dst)

    for member in workspace.members.values():
        name = member.name
        starts[name] = start_states(test_environment.environments(workspace, member, lock))
        for dep in member.dependencies:
            add(_pyproject_source(name, dep), _targets(dep.target, dep.extras))
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
    for state in list(edges):
        if len(state) == 2 and state[1] is not None:
            edges[state].add((state[0], None))
    return EnvironmentGraph(
        edges={k: frozenset(v) for k, v in edges.items()},
        starts={k: tuple(sorted(v, key=repr)) for k, v in starts.items()},
        in_lock=frozenset(in_lock),
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


def _pyproject_source(member: str, dep: MemberDependency) -> State:
    if dep.kind == "optional" and dep.extra is not None:
        return (member, dep.extra)
    if dep.kind == "group" and dep.group is not None:
        return group_state(member, dep.group)
    return (member, None)  # plain dependencies and build requirements
