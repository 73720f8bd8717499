"""ChangeSet + workspace + uv.lock -> the affected members, each with the reasons that put it
there.

Member M is affected when its environment (see `environment.py`) holds a member whose files
changed, or when the locked packages in its environment differ between the base and the head
uv.lock. The lock is compared by package identity, so relocks that only rewrite upload times,
revisions or `[options]` affect nothing.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from uvmono import environment, records, test_environment
from uvmono.affected.chains import dependents_over_every_edge, environment_dependents
from uvmono.affected.lockdiff import lock_changes, lock_identity
from uvmono.affected.reasons import Affected, NoEffect, Reason
from uvmono.changes import ChangeSet
from uvmono.errors import UvmonoError
from uvmono.globs import matcher
from uvmono.lockfile import Lock, parse_lock, read_lock_data
from uvmono.workspace import (
    LOCKFILE,
    PYPROJECT,
    OwnerIndex,
    Workspace,
    glob_regex,
    owner_index,
)

if TYPE_CHECKING:
    from uvmono.early import EarlyChanges

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
    early: EarlyChanges | None = None,
) -> tuple[Workspace, Affected]:
    """`from_git`, with the workspace as it is at the head (`--until`: read from git).
    `environ`: the CI variables (`ci_env.CiEnvironment.variables`); `early`: git asked ahead
    (`early.py`), used when it asked this."""
    from uvmono import git, snapshot
    from uvmono.changes import quick_changes, resolve_changes

    if since is None:
        since = "auto"
    missing: Literal["error", "all"] = "all" if on_missing_base == "all" else "error"
    asked = None if early is None else early.take(workspace.root, since, until, environ, missing)
    if asked is not None:
        changes, probe = asked
    else:
        quick = quick_changes(workspace.root, since, until, environ=environ)
        if quick is not None:
            changes = quick[0]
        else:
            changes = resolve_changes(
                workspace.root, since, until, environ=environ, on_missing_base=missing
            )
        probe = None
    if changes.head is not None:
        workspace = snapshot.load_at(workspace, changes.repo_root, changes.head, probe)
    prefix = _workspace_prefix(changes.repo_root, workspace.root)
    lock_path = f"{prefix}{LOCKFILE}"
    base_lock: Lock | None = None
    head_lock: Lock | None = None
    base_lock_error: str | None = None
    if lock_path in changes.files and not changes.everything:
        head_lock, read = _lock_of(workspace)
        base_data = git.read_file_once(changes.repo_root, changes.base, lock_path)
        if base_data is not None:
            try:
                base_lock = parse_lock(base_data, f"{LOCKFILE} at {changes.base[:12]}")
            except UvmonoError as exc:
                base_lock_error = exc.message
        if changes.head is not None:
            head_data = git.read_file_once(changes.repo_root, changes.head, lock_path)
            origin = f"{LOCKFILE} at {changes.head[:12]}"
            if head_data is None:
                head_lock = None
            elif head_lock is not None and head_data == read:  # parsed already: same bytes
                head_lock = records.replace(head_lock, origin=origin)
            else:
                head_lock = parse_lock(head_data, origin)
    base_members = None
    if not changes.everything and _may_remove_members(workspace, prefix, changes.files):
        base_members = _members_at(workspace, changes.repo_root, changes.base)
    return workspace, compute(
        workspace,
        changes,
        base_lock,
        head_lock,
        base_lock_error=base_lock_error,
        base_members=base_members,
    )


def _lock_of(workspace: Workspace) -> tuple[Lock | None, bytes | None]:
    """`lock_of(workspace)`, and the bytes it parsed when it read the file now."""
    if workspace.edge_lock is not None:
        return workspace.edge_lock, None
    data = read_lock_data(workspace.root / LOCKFILE)
    return (None if data is None else parse_lock(data, str(workspace.root / LOCKFILE))), data


def _may_remove_members(workspace: Workspace, prefix: str, files: Iterable[str]) -> bool:
    """Whether the change can have removed a member: it touches the root pyproject.toml (the
    member globs) or a pyproject.toml that is no member's at the head."""
    paths = workspace.member_by_path()
    for path in files:
        if path == f"{prefix}{PYPROJECT}":
            return True
        directory, _, name = path.removeprefix(prefix).rpartition("/")
        if path.startswith(prefix) and name == PYPROJECT and directory not in paths:
            return True
    return False


def _members_at(workspace: Workspace, repo_root: Path, base: str) -> dict[str, str] | None:
    """The members at the base (name -> path); None when that workspace cannot be read."""
    from uvmono import snapshot

    try:
        at_base = snapshot.load_at(workspace, repo_root, base)
    except UvmonoError:
        return None
    return {name: member.path for name, member in at_base.members.items()}


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
    base_members: Mapping[str, str] | None = None,
) -> Affected:
    """`base_members` (name -> path at the base), when known, names the removed members."""
    prefix = _workspace_prefix(changes.repo_root, workspace.root)
    files = tuple(sorted(_relative(f, prefix) for f in changes.files))
    reasons: dict[str, list[Reason]] = {}
    names = list(workspace.members)
    by_member: dict[str, list[str]] = {}
    # Files in a member's configured test locations: they change that member and only it.
    by_tests: dict[str, list[str]] = {}

    deleted = {
        name: path for name, path in (base_members or {}).items() if name not in workspace.members
    }
    no_effect: list[NoEffect] = []

    def result(direct: set[str]) -> Affected:
        return Affected(
            workspace_root=str(workspace.root),
            base=changes.base or None,
            head=changes.head,
            base_source=changes.base_source,
            changed_files=files,
            directly_changed=tuple(sorted(direct)),
            affected=tuple(sorted(reasons)),
            reasons={m: tuple(reasons[m]) for m in sorted(reasons)},
            no_effect=tuple(no_effect),
            deleted_members=deleted,
        )

    def everything(reason: Reason) -> Affected:
        for name in names:
            reasons.setdefault(name, []).append(reason)
        # Members whose own files changed stay directly changed (`--direct-only`).
        return result({*by_member, *by_tests})

    if changes.everything:
        return everything(Reason("global", {"why": changes.base_source}))

    settings = workspace.settings
    ignored = matcher(settings.ignore)
    global_files = matcher(settings.global_files)
    owners = owner_index(workspace)
    member_ignores = {
        m.name: matcher(m.settings.ignore)
        for m in workspace.members.values()
        if m.settings.ignore
    }

    globals_hit: list[str] = []
    lock_changed = False
    path_source_dirs = _path_source_dirs(workspace)
    test_owners = test_environment.location_owners(workspace)
    removed = OwnerIndex({path: name for name, path in deleted.items() if path != "."})
    for path in files:
        if path == LOCKFILE:
            lock_changed = True
            continue
        if ignored(path):
            no_effect.append(NoEffect(path, "ignored", _pattern(settings.ignore, path)))
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
        used = False
        for directory, dependents in path_source_dirs.items():
            if path.startswith(directory + "/"):
                used = True
                for name in dependents:
                    by_member.setdefault(name, []).append(path)
        owner = owners.owner(path)
        if owner is None:
            if not used:
                no_effect.append(_unowned(path, removed))
            continue
        member_path = workspace.members[owner].path
        inner = path if member_path == "." else path[len(member_path) + 1 :]
        if owner in member_ignores and member_ignores[owner](inner):
            if not used:
                pattern = _pattern(workspace.members[owner].settings.ignore, inner)
                no_effect.append(NoEffect(path, "ignored", pattern, owner))
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
        dependents_over_every_edge(workspace, direct, reasons)
    else:
        environment_dependents(graph, direct, reasons)

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
            if lock_identity(base_lock) != lock_identity(head_lock):
                return everything(Reason("lock", {"why": 'uv.lock changed (lockfile = "global")'}))
            no_effect.append(NoEffect(LOCKFILE, "lock"))
        else:
            lock_hit = lock_changes(
                workspace, graph, environment.build(workspace, base_lock), head_lock
            )
            for name, reason in lock_hit.items():
                reasons.setdefault(name, []).append(reason)
            if not lock_hit:
                no_effect.append(NoEffect(LOCKFILE, "lock"))
            if mode == "graph":
                dependents_over_every_edge(workspace, set(lock_hit), reasons)
    return result(direct | set(by_tests))


def _unowned(path: str, removed: OwnerIndex) -> NoEffect:
    """Why a file no member owns affects nothing: it lies in a member the change removed,
    outside the workspace, or among a virtual root's own files."""
    gone = removed.owner(path)
    if gone is not None:
        return NoEffect(path, "deleted-member", member=gone)
    return NoEffect(path, "outside" if path.startswith("../") else "virtual-root")


def _pattern(patterns: Sequence[str], path: str) -> str | None:
    """The first of `patterns` that matches `path` (for people: which one ignored it)."""
    return next((p for p in patterns if _regex(p).fullmatch(path)), None)


@functools.cache
def _regex(pattern: str) -> re.Pattern[str]:
    return glob_regex(pattern)


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
