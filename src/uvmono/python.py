"""Which Pythons a member is tested and built on.

uv checks the interpreter against the *workspace's* `requires-python` — the intersection of
every member's, written at the top of uv.lock — not the member's own (FACTS.md §9): a member
that says `>=3.10` in a workspace whose lock says `>=3.11` cannot be synced on 3.10. So every
version chosen here lies in both ranges, and a pinned version outside them is an error.

- The default Python: `.python-version` (the root's, then the member's), else the lowest
  version of `python-versions` (the Pythons CI runners offer) that both ranges allow.
- The test axis `python`: `"default"` (that one version), `"min-max"` (the lowest and the
  highest allowed), `"all"` (every allowed version of `python-versions`), or a list (each
  checked against both ranges). A version string such as `"3.12"` is a list of one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from uvmono.errors import UvmonoError
from uvmono.lazy_re import lazy
from uvmono.records import record

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet

    from uvmono.config import Settings
    from uvmono.lockfile import Lock
    from uvmono.workspace import Member, Workspace

PYTHON_VERSION_FILE = ".python-version"
DEFAULT_PYTHON = "3.12"  # of jobs that need a Python before any workspace is read
_VERSION = lazy(r"(?:cpython|python)?[@-]?(3\.\d+)(\.\d+)?", re.IGNORECASE)


@record
class Pythons:
    default: str  # the one Python of images and of `python = "default"`
    tests: tuple[str, ...]  # the Pythons the member's tests run on, lowest first


@record
class _Range:
    text: str  # for messages
    where: str
    spec: SpecifierSet

    def allows(self, version: str) -> bool:
        """A minor version (3.12) is allowed when some release of it is; a full one exactly."""
        if version.count(".") >= 2:
            return self.spec.contains(version, prereleases=True)
        releases = (f"{version}.{patch}" for patch in range(40))
        return any(self.spec.contains(r, prereleases=True) for r in releases)


def python_version(
    workspace: Workspace, member: Member, settings: Settings | None = None, lock: Lock | None = None
) -> str:
    """The member's default Python: its image's, and its tests' by default. `lock` is the
    workspace's uv.lock (read when omitted)."""
    return choose(workspace, member, _lock(workspace, lock), settings or workspace.settings).default


def plan_job_python(
    workspace: Workspace, settings: Settings | None = None, lock: Lock | None = None
) -> str:
    """The plan job's Python: one the workspace allows."""
    return workspace_default(workspace, _lock(workspace, lock), settings or workspace.settings)


def _lock(workspace: Workspace, lock: Lock | None) -> Lock | None:
    from uvmono.workspace import lock_of

    return lock if lock is not None else lock_of(workspace)


def choose(workspace: Workspace, member: Member, lock: Lock | None, settings: Settings) -> Pythons:
    """`lock` is the workspace's uv.lock (None: there is none)."""
    ranges = _ranges(workspace, member, lock)
    candidates = _sorted(settings.python_versions)
    allowed = [v for v in candidates if all(r.allows(v) for r in ranges)]
    pinned = _pinned(workspace, member)
    if pinned is not None:
        version, file = pinned
        _check(version, file, ranges)
        default = _minor(version)
    elif allowed:
        default = allowed[0]
    else:
        raise UvmonoError(
            f"none of the Pythons in `tool.uvmono.python-versions` ({', '.join(candidates)}) is "
            f"allowed for {member.name}: {_describe(ranges)}",
            hint="add an allowed version to `tool.uvmono.python-versions` in "
            f"{workspace.root / 'pyproject.toml'}, or pin one in .python-version",
        )
    return Pythons(default, _axis(workspace, member, default, allowed, ranges))


def workspace_default(workspace: Workspace, lock: Lock | None, settings: Settings) -> str:
    """The Python of jobs that run for the whole workspace (the GitLab plan job)."""
    ranges = [r for r in (_lock_range(lock),) if r is not None]
    if workspace.python_version:
        _check(workspace.python_version, str(workspace.root / PYTHON_VERSION_FILE), ranges)
        return _minor(workspace.python_version)
    candidates = _sorted(settings.python_versions)
    allowed = [v for v in candidates if all(r.allows(v) for r in ranges)]
    return allowed[0] if allowed else candidates[-1]


def _axis(
    workspace: Workspace,
    member: Member,
    default: str,
    allowed: Sequence[str],
    ranges: Sequence[_Range],
) -> tuple[str, ...]:
    axis = member.settings.python
    if axis == "default":
        return (default,)
    if axis == "min-max":
        return tuple(dict.fromkeys([allowed[0], allowed[-1]])) if allowed else (default,)
    if axis == "all":
        return tuple(allowed) if allowed else (default,)
    listed = [axis] if isinstance(axis, str) else list(axis)
    where = f"`tool.uvmono.python` of {member.name} (in {workspace.root / member.path})"
    for version in listed:
        _check(version, where, ranges)
    return tuple(_sorted(listed))


def _pinned(workspace: Workspace, member: Member) -> tuple[str, str] | None:
    """(version, the file that pins it): the root's .python-version, then the member's."""
    if workspace.python_version:
        return workspace.python_version, str(workspace.root / PYTHON_VERSION_FILE)
    if member.path != ".":
        file = workspace.root / member.path / PYTHON_VERSION_FILE
        version = read_python_version(file.parent)
        if version:
            return version, str(file)
    return None


def _ranges(workspace: Workspace, member: Member, lock: Lock | None) -> list[_Range]:
    ranges = []
    lock_range = _lock_range(lock)
    if lock_range is not None:
        ranges.append(lock_range)
    if member.requires_python:
        ranges.append(
            _parse(
                member.requires_python,
                f"{member.name}'s requires-python",
                workspace.root / member.path / "pyproject.toml",
            )
        )
    return ranges


def _lock_range(lock: Lock | None) -> _Range | None:
    if lock is None or not lock.requires_python:
        return None
    return _parse(lock.requires_python, "uv.lock's requires-python", Path(lock.origin))


def _parse(text: str, where: str, file: Path) -> _Range:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        spec = SpecifierSet(text)
    except InvalidSpecifier:
        raise UvmonoError(
            f"requires-python = {text!r} in {file} is not a version specifier",
            hint='write it as PEP 440 specifiers, e.g. ">=3.11"',
        ) from None
    return _Range(text, where, spec)


def _check(version: str, where: str, ranges: Sequence[_Range]) -> None:
    match = _VERSION.fullmatch(version.strip())
    if match is None:
        raise UvmonoError(
            f"{where} says Python {version!r}, which is not a CPython version uvmono understands",
            hint='write a version such as "3.12"',
        )
    exact = match.group(1) + (match.group(2) or "")
    for r in ranges:
        if not r.allows(exact):
            raise UvmonoError(
                f"{where} says Python {exact}, which the workspace excludes: "
                f"{_describe(ranges)}",
                hint="uv checks the interpreter against the workspace's requires-python (the "
                "intersection of every member's): pick a version both ranges allow",
            )


def _describe(ranges: Sequence[_Range]) -> str:
    if not ranges:
        return "no requires-python is declared"
    return " and ".join(f"{r.where} is {r.text!r}" for r in ranges)


def _minor(version: str) -> str:
    match = _VERSION.fullmatch(version.strip())
    return match.group(1) if match else version


def _sorted(versions: Sequence[str]) -> list[str]:
    return sorted(dict.fromkeys(versions), key=lambda v: tuple(int(p) for p in v.split(".")))


def read_python_version(root: Path) -> str | None:
    """The first version line of `.python-version` at `root`, None without one."""
    from uvmono.regular import SMALL_LIMIT, read_regular

    file = root / PYTHON_VERSION_FILE
    if not file.is_file():
        return None  # none, or a directory or a device: uv reads no version from it either
    hint = 'it should hold a Python version, e.g. "3.12"'
    data = read_regular(file, what=PYTHON_VERSION_FILE, limit=SMALL_LIMIT, hint=hint)
    try:
        text = (data or b"").decode("utf-8")
    except UnicodeDecodeError:
        raise UvmonoError(f"cannot read {file}: it is not UTF-8 text", hint=hint) from None
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return line
    return None
