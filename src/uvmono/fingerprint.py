"""Fingerprints of test tasks: a hash of everything that can change a member's test result.

A *test task* is one (member, test environment, Python) unit of a CI test job. Its fingerprint
hashes its *inputs*, a JSON object:

- `format` (FORMAT_VERSION), `uv` (the uv version CI installs, `[tool.uvmono.docker]
  uv-version`), `python`, `environment` (the `uv sync --frozen` flags of the environment,
  `test_environment.py`), `test-command`, `test-locations`;
- `members`: every workspace member the environment installs (`environment.py`'s closure from
  the environment's start states, the model `affected` uses) -> a digest of its files;
- `packages`: every third-party package it installs -> a digest of its locked identity
  (source, the hashes of its sdist and wheels, its locked dependencies with their markers);
- `local-sources`: non-member path dependencies -> a digest of their files;
- `test-files`: files in the configured test locations; `global-files`: files matching
  `global-files` (both path -> blob id).

Files are named by their git blob ids (`git ls-files --stage`: free on a clean checkout, where
the index holds the commit's ids; modified and untracked files are hashed the same way), keyed
by paths relative to the workspace root, sorted: the same commit gives the same fingerprint in
any checkout path, on any machine, whatever the file order. Files git ignores never count
(`.venv`, bytecode); outside a git work tree a walk stands in for git and skips `.git`,
`.venv`, `__pycache__`, `*.pyc` and tool caches. Files matching `ignore` (the workspace's or a
member's) do not count either, as they affect nothing for `affected`. Untracked files in
`.venv`, `__pycache__` or a tool cache, and untracked bytecode, never count even where no
`.gitignore` says so.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from uvmono import environment, git_blobs, globs, plan, test_environment
from uvmono.config import Settings
from uvmono.lockfile import LOCAL_SOURCE_KINDS, Lock, PackageId
from uvmono.records import record
from uvmono.workspace import Member, Workspace, owner_index

FORMAT_VERSION = 1
LENGTH = 32  # hex digits of a fingerprint: 128 bits
_WALK_SKIPPED = {".git", ".venv", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
_WALK_SKIPPED |= {".tox", ".nox", "node_modules", ".uv-cache"}  # GitLab's UV_CACHE_DIR


@record
class Fingerprint:
    package: str
    python: str
    side: str  # the conflict side of its environment ("" when not split)
    value: str
    inputs: Mapping[str, Any]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.package, self.side, self.python)

    def as_json(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "python": self.python,
            "side": self.side,
            "fingerprint": self.value,
            "inputs": dict(self.inputs),
        }


def digest(inputs: Mapping[str, Any]) -> str:
    """The fingerprint of `inputs`: SHA-256 of their canonical JSON, cut to LENGTH."""
    text = json.dumps(inputs, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()[:LENGTH]


def compute(
    workspace: Workspace,
    lock: Lock | None,
    settings: Settings,
    names: Iterable[str] | None = None,
) -> list[Fingerprint]:
    """The fingerprints of the test tasks of `names` (default: every member)."""
    chosen = list(workspace.members) if names is None else list(names)
    files = workspace_files(workspace.root)
    graph = environment.build(workspace, lock)
    contents = _Contents(workspace, files)
    global_files = _matcher(settings.global_files)
    globals_ = {p: b for p, b in files.items() if global_files(p)}
    out = []
    for name in chosen:
        member = workspace.members[name]
        test = test_environment.plan(workspace, member, lock, settings)
        command = plan.test_command(member)
        locations = test.locations
        test_files = {
            p: b
            for p, b in files.items()
            if any(p == loc or p.startswith(loc + "/") for loc in locations or ())
        }
        for env in test.environments:
            members, packages = _installed(graph, env)
            base: dict[str, Any] = {
                "format": FORMAT_VERSION,
                "uv": settings.docker.uv_version,
                "member": name,
                "environment": " ".join(env.sync_args()),
                "test-command": command,
                "test-locations": None if locations is None else list(locations),
                "members": {m: contents.member(m) for m in sorted(members)},
                "packages": _packages(lock, packages, files),
                "local-sources": {
                    s: contents.directory(s) for s in _local_sources(workspace, packages)
                },
                "test-files": dict(sorted(test_files.items())),
                "global-files": dict(sorted(globals_.items())),
            }
            for python in test.pythons:
                inputs = {**base, "python": python}
                out.append(Fingerprint(name, python, env.side, digest(inputs), inputs))
    return out


def by_key(fingerprints: Iterable[Fingerprint]) -> dict[tuple[str, str, str], str]:
    """(package, side, python) -> fingerprint."""
    return {f.key: f.value for f in fingerprints}


def explain(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Why two inputs objects (`Fingerprint.inputs`) differ, one line per difference."""
    lines = []
    for key in sorted({*old, *new}):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            for item in sorted({*a, *b}):
                if item not in a:
                    lines.append(f"{key}: {item} added")
                elif item not in b:
                    lines.append(f"{key}: {item} removed")
                elif a[item] != b[item]:
                    lines.append(f"{key}: {item} changed ({_short(a[item])} -> {_short(b[item])})")
        else:
            lines.append(f"{key}: {_short(a)} -> {_short(b)}")
    return lines


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 80 else text[:77] + "..."


# ------------------------------------------------------------------------- what is installed


def _installed(
    graph: environment.EnvironmentGraph, env: test_environment.TestEnvironment
) -> tuple[set[str], set[PackageId]]:
    installed = environment.packages_of_states(graph.closure(environment.start_states([env])))
    members = {p for p in installed if isinstance(p, str)}
    members.add(env.package)
    return members, {p for p in installed if isinstance(p, PackageId)}


def _packages(
    lock: Lock | None, packages: Iterable[PackageId], files: Mapping[str, str]
) -> dict[str, str]:
    out = {}
    for pid in sorted(packages):
        package = lock.packages.get(pid) if lock is not None else None
        identity: dict[str, Any] = {"source": pid.source}
        if package is not None:
            identity["artifacts"] = [_artifact(pid, a, files) for a in package.artifacts]
            identity["dependencies"] = sorted(
                [
                    d.target.name,
                    d.target.version or "",
                    d.target.source,
                    list(d.extras),
                    d.marker or "",
                ]
                for d in package.dependencies
            )
            identity["extras"] = {
                extra: sorted([d.target.name, d.target.version or "", d.marker or ""] for d in deps)
                for extra, deps in sorted(package.optional.items())
            }
        label = f"{pid.name}=={pid.version}" if pid.version else pid.name
        if pid.source and not pid.source.startswith("registry="):
            label += f" ({pid.source})"
        out[label] = digest(identity)
    return out


def _artifact(pid: PackageId, artifact: str, files: Mapping[str, str]) -> str:
    """A locked file: its hash; or, from a flat index in the workspace (`{ path = ... }`, no
    hash in uv.lock), the blob id of the file itself."""
    kind, _, where = pid.source.partition("=")
    if kind != "registry" or "://" in where or ":" in artifact:
        return artifact
    path = Path(os.path.normpath(Path(where, artifact))).as_posix()
    return f"{artifact} {files.get(path, 'missing')}"


def _local_sources(workspace: Workspace, packages: Iterable[PackageId]) -> list[str]:
    """Directories (relative to the workspace root) of non-member path packages installed."""
    out = []
    for pid in packages:
        for part in pid.source.split("; "):
            kind, _, where = part.partition("=")
            if kind in LOCAL_SOURCE_KINDS and where:
                out.append(Path(os.path.normpath(where)).as_posix())
    return sorted(set(out))


# ------------------------------------------------------------------------------------- files


def workspace_files(root: Path) -> dict[str, str]:
    """Every file of the workspace that counts -> `<mode> <blob id>`, relative to `root`."""
    blobs = git_blobs.worktree_blobs(root, _never_counts)
    return blobs if blobs is not None else walk(root)


def _never_counts(path: str) -> bool:
    """Untracked files that count in no checkout: environments, caches, bytecode."""
    parts = path.split("/")
    if parts[-1] == ".uvmono-pass":  # the pass marker CI writes
        return True
    return path.endswith((".pyc", ".pyo")) or any(p in _WALK_SKIPPED for p in parts[:-1])


def walk(top: Path, prefix: str = "") -> dict[str, str]:
    """Files under `top` without git: everything but tool caches, environments and bytecode."""
    out = {}
    for directory, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in _WALK_SKIPPED)
        rel = Path(directory).relative_to(top).as_posix()
        for name in names:
            if _never_counts(name):
                continue
            entry = git_blobs.blob_entry(Path(directory, name))
            if entry is not None:
                path = name if rel == "." else f"{rel}/{name}"
                out[f"{prefix}{path}"] = entry
    return out


class _Contents:
    """Digests of members' files (each file counts for the deepest member holding it)."""

    def __init__(self, workspace: Workspace, files: Mapping[str, str]) -> None:
        self.workspace = workspace
        self.files = files
        owners = owner_index(workspace)
        ignored = _matcher(workspace.settings.ignore)
        self.by_member: dict[str, dict[str, str]] = {}
        for path, blob in files.items():
            owner = owners.owner(path)
            if owner is None or ignored(path):
                continue
            member = workspace.members[owner]
            inner = path if member.path == "." else path[len(member.path) + 1 :]
            if _member_ignored(member, inner):
                continue
            self.by_member.setdefault(owner, {})[inner] = blob

    def member(self, name: str) -> str:
        return _files_digest(self.by_member.get(name, {}))

    def directory(self, path: str) -> str:
        if path == ".." or path.startswith("../") or Path(path).is_absolute():
            top = Path(os.path.normpath(self.workspace.root / path))
            return _files_digest(walk(top) if top.is_dir() else {})
        inside = {p: b for p, b in self.files.items() if p.startswith(path + "/")}
        return _files_digest(inside)


def _member_ignored(member: Member, inner: str) -> bool:
    patterns = member.settings.ignore
    return bool(patterns) and _matcher(patterns)(inner)


def _files_digest(files: Mapping[str, str]) -> str:
    text = "".join(f"{path}\0{blob}\n" for path, blob in sorted(files.items()))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:LENGTH]


def _matcher(patterns: Sequence[str]) -> Callable[[str], bool]:
    return _cached_matcher(tuple(patterns))


@functools.cache
def _cached_matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    return globs.matcher(patterns)
