"""ChangeSet + workspace + uv.lock -> the affected members, each with the reasons that put it there.

Member M is affected when its environment (see `environment.py`) holds a member whose files
changed, or when the locked packages in its environment differ between the base and the head
uv.lock. The lock is compared by package identity, so relocks that only rewrite upload times,
revisions or `[options]` affect nothing.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uvmono import environment, test_environment
from uvmono.changes import ChangeSet
from uvmono.environment import EnvironmentGraph, State
from uvmono.errors import UvmonoError
from uvmono.lockfile import Lock, PackageId, parse_lock
from uvmono.workspace import LOCKFILE, Workspace, glob_regex, lock_of, owner_index


@dataclass(frozen=True)
class Reason:
    kind: str  # file | dependency | lock | global
    data: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, **self.data}

    def describe(self) -> str:
        d = self.data
        if self.kind == "file":
            files = list(d["files"])
            more = f" and {len(files) - 3} more" if len(files) > 3 else ""
            what = "test files" if d.get("tests") else "files"
            return f"{what} changed: {', '.join(files[:3])}{more}"
        if self.kind == "dependency":
            shown = list(d["chain"][1:])
            length = d.get("length", len(shown) + 1)
            if length > TEXT_SHOWN + 2:  # a long chain: its first names, how many more, its end
                more = length - TEXT_SHOWN - 2
                shown = [*shown[:TEXT_SHOWN], f"... ({more} more)", d["changed"]]
            return f"depends on {' -> '.join(shown)}, which changed"
        if self.kind == "lock":
            if "why" in d:
                return f"uv.lock: {d['why']}"
            changes = [_describe_package(p) for p in d["packages"]]
            more = f" and {len(changes) - 5} more" if len(changes) > 5 else ""
            return f"uv.lock changed in its environment: {', '.join(changes[:5])}{more}"
        if "why" in d:
            return str(d["why"])
        return f"global file changed: {', '.join(d['files'])}"


def _describe_package(p: Mapping[str, Any]) -> str:
    old = ", ".join(p["old"]) or "absent"
    new = ", ".join(p["new"]) or "removed"
    return f"{p['name']} {old} -> {new}"


@dataclass(frozen=True)
class Affected:
    workspace_root: str
    base: str | None
    head: str | None
    base_source: str
    changed_files: tuple[str, ...]  # relative to the workspace root (outside it: ../…)
    directly_changed: tuple[str, ...]
    affected: tuple[str, ...]
    reasons: Mapping[str, tuple[Reason, ...]]
    warnings: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "workspace_root": self.workspace_root,
            "base": self.base,
            "head": self.head,
            "base_source": self.base_source,
            "changed_files": list(self.changed_files),
            "directly_changed": list(self.directly_changed),
            "affected": list(self.affected),
            "reasons": {m: [r.as_json() for r in rs] for m, rs in self.reasons.items()},
        }

    def reason_lines(self) -> dict[str, list[str]]:
        return {m: [r.describe() for r in rs] for m, rs in self.reasons.items()}

    def nearest(self, limit: int) -> tuple[list[str], int]:
        """At most `limit` affected members, those nearest a change first (changed ones, then
        one step away, …): each shown member's chain to its change is shown too. Also returns
        how many are left out."""

        def distance(name: str) -> int:
            steps = [
                len(r.data["chain"]) - 1 if r.kind == "dependency" else 0
                for r in self.reasons[name]
            ]
            return min(steps, default=0)

        ranked = sorted(self.affected, key=lambda name: (distance(name), name))
        return sorted(ranked[:limit]), max(len(ranked) - limit, 0)


# ------------------------------------------------------------------------------ entry points


def from_git(
    workspace: Workspace,
    since: str | None,
    until: str | None,
    *,
    on_missing_base: str = "error",
    environ: Mapping[str, str],
) -> Affected:
    """Resolve the change with git, read the base (and head) uv.lock from git, compute."""
    return resolve(workspace, since, until, on_missing_base=on_missing_base, environ=environ)[1]


def resolve(
    workspace: Workspace,
    since: str | None,
    until: str | None,
    *,
    on_missing_base: str = "error",
    environ: Mapping[str, str],
) -> tuple[Workspace, Affected]:
    """`environ`: the CI variables (`ci_env.CiEnvironment.variables`)."""
    """`from_git`, with the workspace as it is at the head (`--until`: read from git)."""
    from uvmono import git, snapshot
    from uvmono.changes import resolve_changes

    if since is None:
        since = "auto"
    changes = resolve_changes(
        workspace.root,
        since,
        until,
        environ=environ,
        on_missing_base="all" if on_missing_base == "all" else "error",
    )
    if changes.head is not None:
        workspace = snapshot.load_at(workspace, changes.repo_root, changes.head)
    prefix = _workspace_prefix(changes.repo_root, workspace.root)
    lock_path = f"{prefix}{LOCKFILE}"
    base_lock: Lock | None = None
    head_lock: Lock | None = None
    base_lock_error: str | None = None
    if lock_path in changes.files and not changes.everything:
        head_lock = lock_of(workspace)
        base_data = git.read_file_at(changes.repo_root, changes.base, lock_path)
        if base_data is not None:
            try:
                base_lock = parse_lock(base_data, f"{LOCKFILE} at {changes.base[:12]}")
            except UvmonoError as exc:
                base_lock_error = exc.message
        if changes.head is not None:
            head_data = git.read_file_at(changes.repo_root, changes.head, lock_path)
            head_lock = (
                parse_lock(head_data, f"{LOCKFILE} at {changes.head[:12]}")
                if head_data is not None
                else None
            )
    return workspace, compute(
        workspace, changes, base_lock, head_lock, base_lock_error=base_lock_error
    )


def _workspace_prefix(repo_root: Path, workspace_root: Path) -> str:
    rel = os.path.relpath(workspace_root.resolve(), repo_root.resolve())
    if rel.startswith(".."):
        raise UvmonoError(
            f"the workspace {workspace_root} is not inside the git repository {repo_root}",
            hint="run uvmono inside the repository that holds the workspace",
        )
    return "" if rel == "." else Path(rel).as_posix() + "/"


def _relative(path: str, prefix: str) -> str:
    if path.startswith(prefix):
        return path[len(prefix) :]
    depth = prefix.count("/")
    return "../" * depth + path


# --------------------------------------------------------------------------------- compute


def compute(
    workspace: Workspace,
    changes: ChangeSet,
    base_lock: Lock | None,
    head_lock: Lock | None,
    *,
    base_lock_error: str | None = None,
) -> Affected:
    prefix = _workspace_prefix(changes.repo_root, workspace.root)
    files = tuple(sorted(_relative(f, prefix) for f in changes.files))
    reasons: dict[str, list[Reason]] = {}
    names = list(workspace.members)
    by_member: dict[str, list[str]] = {}
    # Files in a member's configured test locations: they change that member and only it.
    by_tests: dict[str, list[str]] = {}

    def everything(reason: Reason) -> Affected:
        for name in names:
            reasons.setdefault(name, []).append(reason)
        # Members whose own files changed stay directly changed (`--direct-only`).
        return _result(workspace, changes, files, {*by_member, *by_tests}, reasons)

    if changes.everything:
        return everything(Reason("global", {"why": changes.base_source}))

    settings = workspace.settings
    ignored = _matcher(settings.ignore)
    global_files = _matcher(settings.global_files)
    owners = owner_index(workspace)
    member_ignores = {
        m.name: _matcher(m.settings.ignore)
        for m in workspace.members.values()
        if m.settings.ignore
    }

    globals_hit: list[str] = []
    lock_changed = False
    path_source_dirs = _path_source_dirs(workspace)
    test_owners = test_environment.location_owners(workspace)
    for path in files:
        if path == LOCKFILE:
            lock_changed = True
            continue
        if ignored(path):
            continue
        if global_files(path) and not path.startswith("../"):  # outside: not a workspace file
            globals_hit.append(path)
            continue
        tested = _test_location_owner(test_owners, path)
        if tested is not None:
            by_tests.setdefault(tested, []).append(path)
            continue
        # A local path dependency that is not a member changes for the members that use it,
        # wherever it lies (outside the workspace, or inside it but in no member's glob).
        for directory, dependents in path_source_dirs.items():
            if path.startswith(directory + "/"):
                for name in dependents:
                    by_member.setdefault(name, []).append(path)
        owner = owners.owner(path)
        if owner is not None:
            member_path = workspace.members[owner].path
            inner = path if member_path == "." else path[len(member_path) + 1 :]
            if owner in member_ignores and member_ignores[owner](inner):
                continue
            by_member.setdefault(owner, []).append(path)

    if globals_hit:
        return everything(Reason("global", {"files": globals_hit}))

    direct = set(by_member)
    for name, paths in by_member.items():
        reasons.setdefault(name, []).append(Reason("file", {"files": paths}))
    for name, paths in by_tests.items():
        reasons.setdefault(name, []).append(Reason("file", {"files": paths, "tests": True}))

    graph = environment.build(workspace, head_lock if lock_changed else workspace.edge_lock)
    mode = settings.affected
    if mode == "graph":
        _dependents_over_every_edge(workspace, direct, reasons)
    else:
        _environment_dependents(graph, direct, reasons)

    if lock_changed:
        if base_lock_error is not None or head_lock is None or base_lock is None:
            why = base_lock_error or (
                "uv.lock was added" if base_lock is None else "uv.lock was removed"
            )
            return everything(Reason("lock", {"why": why}))
        if base_lock.requires_python != head_lock.requires_python:
            # What every member is resolved for: each one may now get other packages or none.
            old, new = base_lock.requires_python, head_lock.requires_python
            why = f"requires-python changed from {old or 'unset'} to {new or 'unset'}"
            return everything(Reason("lock", {"why": why}))
        if settings.lockfile == "global":
            if _lock_identity(base_lock) != _lock_identity(head_lock):
                return everything(Reason("lock", {"why": 'uv.lock changed (lockfile = "global")'}))
        else:
            lock_hit = _lock_changes(
                workspace, graph, environment.build(workspace, base_lock), head_lock
            )
            for name, reason in lock_hit.items():
                reasons.setdefault(name, []).append(reason)
            if mode == "graph":
                _dependents_over_every_edge(workspace, set(lock_hit), reasons)
    return _result(workspace, changes, files, direct | set(by_tests), reasons)


def _result(
    workspace: Workspace,
    changes: ChangeSet,
    files: tuple[str, ...],
    direct: set[str],
    reasons: Mapping[str, list[Reason]],
) -> Affected:
    return Affected(
        workspace_root=str(workspace.root),
        base=changes.base or None,
        head=changes.head,
        base_source=changes.base_source,
        changed_files=files,
        directly_changed=tuple(sorted(direct)),
        affected=tuple(sorted(reasons)),
        reasons={m: tuple(reasons[m]) for m in sorted(reasons)},
    )


def _matcher(patterns: Sequence[str]) -> Any:
    if not patterns:
        return lambda path: False
    regex = re.compile("|".join(f"(?:{glob_regex(p).pattern})" for p in patterns))
    return lambda path: regex.fullmatch(path) is not None


def _test_location_owner(owners: Mapping[str, str], path: str) -> str | None:
    """The member whose configured test location holds `path` (the deepest one)."""
    if not owners:
        return None
    candidate = path
    while candidate:
        if candidate in owners:
            return owners[candidate]
        candidate = candidate.rpartition("/")[0]
    return None


def _path_source_dirs(workspace: Workspace) -> dict[str, list[str]]:
    """Directories of local path dependencies (not members) -> the members that declare them."""
    out: dict[str, list[str]] = {}
    for member in workspace.members.values():
        for source in member.path_sources:
            out.setdefault(source.path, []).append(member.name)
    return out


# ------------------------------------------------------------------------- member changes


def _environment_dependents(
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
    parent, distance = _reverse_bfs(graph, _states_of(graph, changed))
    lengths = _ChainLengths(parent)
    for member, starts in graph.starts.items():
        reached = [s for s in starts if s in distance]
        if not reached:
            continue
        start = min(reached, key=distance.__getitem__)
        chain, length = _chain(member, start, parent, lengths)
        if length > 1:
            reasons.setdefault(member, []).append(_dependency(chain, length, lengths.end(start)))


# A chain names its first CHAIN_SHOWN members (the affected one first); a longer chain says its
# full `length`, and `via` and `changed` name its second and its last member.
CHAIN_SHOWN = 10
TEXT_SHOWN = 4  # `--explain` and tables: the names after the affected member, before "..."


def _dependency(chain: list[str], length: int | None = None, changed: str | None = None) -> Reason:
    """`chain` runs from the affected member towards the changed one; `via` is its first step."""
    full = len(chain) if length is None else length
    data: dict[str, Any] = {
        "via": chain[1],
        "changed": chain[-1] if changed is None else changed,
        "chain": chain[:CHAIN_SHOWN],
    }
    if full > CHAIN_SHOWN:
        data["length"] = full
    return Reason("dependency", data)


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


def _reverse_bfs(
    graph: EnvironmentGraph, sources: Iterable[State]
) -> tuple[dict[State, State | None], dict[State, int]]:
    """One predecessor per reached state (None at a source), and its distance from a source."""
    reverse = graph.reverse()
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

    def get(self, state: State) -> tuple[int, str | None, str | None]:
        """(names, first name, last name) on the path from `state` to its source."""
        path: list[State] = []
        cur: State | None = state
        while cur is not None and cur not in self.memo:
            path.append(cur)
            cur = self.parent[cur]
        after = self.memo[cur] if cur is not None else (0, None, None)
        for s in reversed(path):
            label = _label(s)
            count, first, last = after
            if label is not None and label != first:
                after = (count + 1, label, last if last is not None else label)
            self.memo[s] = after
        return self.memo[state]

    def end(self, state: State) -> str | None:
        return self.get(state)[2]


def _chain(
    member: str, start: State, parent: Mapping[State, State | None], lengths: _ChainLengths
) -> tuple[list[str], int]:
    """The first CHAIN_SHOWN names of `member`'s chain from `start`, and its full length."""
    count, first, _ = lengths.get(start)
    length = 1 + count - (1 if first == member else 0)
    chain = [member]
    cur: State | None = start
    while cur is not None and len(chain) < CHAIN_SHOWN:
        label = _label(cur)
        if label is not None and label != chain[-1]:
            chain.append(label)
        cur = parent[cur]
    return chain, length


def _dependents_over_every_edge(
    workspace: Workspace, changed: set[str], reasons: dict[str, list[Reason]]
) -> None:
    """The conservative rule (`affected = "graph"`): dependents over every kind of edge."""
    from uvmono import graph

    dependents: dict[str, set[str]] = {}
    for edge in graph.edges(workspace):
        dependents.setdefault(edge.dependency, set()).add(edge.dependent)
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
        cur: str | None = via
        while cur is not None and len(chain) < CHAIN_SHOWN:
            chain.append(cur)
            cur = parent[cur]
        reasons.setdefault(name, []).append(_dependency(chain, depth[name] + 1, roots[name]))


# ---------------------------------------------------------------------------- lock changes


def _lock_identity(lock: Lock) -> set[tuple[PackageId, Any]]:
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


def _lock_changes(
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
        parent, _ = _reverse_bfs(graph, (s for s in differing if s in graph.edges))
        candidates.update(
            m for m, starts in graph.starts.items() if any(s in parent for s in starts)
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
