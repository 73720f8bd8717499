"""The uv workspace, found exactly as uv finds it: its root, its members, its settings.

The stage reads through its topics: `pyproject.py` (reading and checking a pyproject.toml),
`discovery.py` (the root and the member directories), `globs.py` (uv's glob rules),
`sources.py` (requirements, dependency groups, member edges, path sources), `python.py`
(.python-version) and `config.py` (`[tool.uvmono]`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from uvmono import config, wscache
from uvmono.discovery import Found, find_root, member_dirs
from uvmono.errors import UvmonoError
from uvmono.globs import check_globs, glob_regex
from uvmono.lock_manifest import lock_staleness
from uvmono.names import normalize, requirement_name
from uvmono.pyproject import PYPROJECT, check_pyproject, expect, parse_toml, read_toml, table_at
from uvmono.python import read_python_version
from uvmono.records import field, record
from uvmono.sources import (
    EDGE_KINDS,
    MemberDependency,
    PathSource,
    groups,
    member_dependencies,
    path_sources,
    uv_sources,
)

__all__ = [
    "EDGE_KINDS",
    "LOCKFILE",
    "PYPROJECT",
    "Member",
    "MemberDependency",
    "PathSource",
    "Workspace",
    "find_root",
    "glob_regex",
    "load",
    "lock_of",
    "owner_index",
    "parse_toml",
    "read_toml",
]

if TYPE_CHECKING:  # `uvmono members` reads no lock: lockfile loads when one is read
    from uvmono.lockfile import Lock

LOCKFILE = "uv.lock"


def read_lock(path: Path) -> Lock | None:
    from uvmono import lockfile

    return lockfile.read_lock(path)


@record
class Member:
    name: str  # PEP 503-normalized
    path: str  # POSIX, relative to the workspace root; "." for the root
    version: str | None
    packaged: bool
    scripts: Mapping[str, str]
    requires_python: str | None
    dependencies: tuple[MemberDependency, ...]  # declared in pyproject.toml
    extras: tuple[str, ...]  # names of its optional-dependencies
    groups: tuple[str, ...]  # names of its dependency groups
    path_sources: tuple[PathSource, ...]
    settings: config.MemberSettings  # effective: the member's own [tool.uvmono] over the root's
    description: str = ""

    @property
    def virtual(self) -> bool:
        return not self.packaged


@record
class Workspace:
    root: Path  # absolute
    members: Mapping[str, Member]  # by name, sorted by name
    root_groups: Mapping[str, tuple[str, ...]]  # the root's dependency groups: names required
    settings: config.Settings  # the root's [tool.uvmono]
    python_version: str | None  # from .python-version
    dynamic: bool  # some member's dependencies are dynamic: only uv.lock knows its edges
    warnings: tuple[str, ...] = field(default=())
    # The lock where member edges need it, else None. With static metadata, pyproject.toml
    # holds every member edge a fresh lock has (and a stale lock holds edges that no longer
    # exist), so discovery reads the lock only when some member's dependencies are dynamic.
    edge_lock: Lock | None = None
    root_indexes: tuple[str, ...] = ()  # names of the root's [[tool.uv.index]] entries
    # The root's `tool.uv.default-groups` (None: "all"), and every `tool.uv.conflicts` set as
    # (package, "extra" | "group", name) items.
    default_groups: tuple[str, ...] | None = ("dev",)
    conflicts: tuple[frozenset[tuple[str, str, str]], ...] = ()

    def member_by_path(self) -> dict[str, str]:
        return {m.path: m.name for m in self.members.values()}

    @cached_property
    def root_member(self) -> Member | None:
        """The member at the workspace root (a non-virtual root), else None; looked up once."""
        return next((m for m in self.members.values() if m.path == "."), None)


def load(root: Path, *, cache: bool = True) -> Workspace:
    """Read the workspace at `root` (the directory holding the root pyproject.toml).

    With `cache` (and unless `wscache.enabled()` says no: in CI, or with UVMONO_NO_CACHE), a
    workspace read before is taken from `wscache` when the stat check of every file it was read
    from still holds, and a workspace read now is stored there."""
    root = root.resolve()
    if cache and wscache.enabled():
        cached: Workspace | None = wscache.load(root)
        if cached is not None:
            return cached
        workspace = _read(root)
        wscache.store(root, workspace)
        return workspace
    return _read(root)


def _read(root: Path) -> Workspace:
    root_file = root / PYPROJECT
    if not os.path.lexists(root_file):
        raise UvmonoError(
            f"no pyproject.toml in {root}", hint="pass --root the directory of the workspace root"
        )
    root_doc = read_toml(root_file)
    check_pyproject(root_doc, root_file)
    settings = config.load_root(root_doc, root_file)
    for key, globs in (("ignore", settings.ignore), ("global-files", settings.global_files)):
        check_globs(globs, root_file, f"tool.uvmono.{key}", glob_regex)
    warnings: list[str] = []
    found = member_dirs(root, root_doc, warnings)

    names: dict[str, Found] = {}
    for f in found:
        raw_name = table_at(f.pyproject, "project").get("name")
        file = f.text
        if not isinstance(raw_name, str):
            raise UvmonoError(
                f"`project.name` is missing or not a string in {file}",
                hint='give the member a name: [project] name = "my-package"',
            )
        name = normalize(raw_name)
        if name in names:
            other = names[name].text
            raise UvmonoError(
                f"two workspace members are both named `{name}`: {other} and {file}",
                hint="rename one of them; names are compared after PEP 503 normalization",
            )
        names[name] = f

    dynamic = any(_is_dynamic(f.pyproject) for f in names.values())
    lock = read_lock(root / LOCKFILE) if dynamic else None
    root_sources = uv_sources(root_doc)
    member_names = set(names)
    depended_on: set[str] = set()
    pending: dict[str, tuple[Found, tuple[MemberDependency, ...], set[str], list[str]]] = {}
    for name, f in names.items():
        deps, required, its_groups = member_dependencies(
            name, f.pyproject, f.text, member_names, f.listed
        )
        depended_on.update(d.target for d in deps if d.kind != "build")
        pending[name] = (f, deps, required, sorted(its_groups))

    members: dict[str, Member] = {}
    # Most members set no [tool.uvmono] of their own: they share one (frozen) settings object.
    inherited = config.effective(settings, {})
    for name in sorted(pending):
        f, deps, required, group_names = pending[name]
        doc = f.pyproject
        project = table_at(doc, "project")
        own_sources = uv_sources(doc) if f.path != "." else {}
        member_settings: config.MemberOverrides = (
            config.load_member(doc, f.text) if f.path != "." else config.of_root_member(settings)
        )
        if member_settings.get("ignore"):
            check_globs(member_settings["ignore"], f.file, "tool.uvmono.ignore", glob_regex)
        package_flag = table_at(doc, "tool.uv").get("package")
        if isinstance(package_flag, bool):
            packaged = package_flag
        else:
            packaged = "build-system" in doc or name in depended_on
        version = project.get("version")
        if not isinstance(version, str) and lock is not None:
            version = lock.member_version(name)
        scripts = project.get("scripts", {})
        members[name] = Member(
            name=name,
            path=f.path,
            version=version if isinstance(version, str) else None,
            packaged=packaged,
            scripts=dict(scripts) if isinstance(scripts, dict) else {},
            requires_python=_str_or_none(project.get("requires-python")),
            dependencies=deps,
            extras=tuple(sorted(normalize(e) for e in table_at(project, "optional-dependencies"))),
            groups=tuple(group_names),
            path_sources=path_sources(
                root, f.path, own_sources, root_sources, required, member_names
            ),
            settings=config.effective(settings, member_settings) if member_settings else inherited,
            description=_str_or_none(project.get("description")) or "",
        )

    root_groups = {
        group: tuple(sorted({n for n in map(requirement_name, reqs) if n}))
        for group, reqs in groups(root_doc, root_file).items()
    }
    root_name = next((n for n, f in names.items() if f.path == "."), None)
    conflicts = _conflicts(root_doc, root_file, root_name)
    for name, (f, _, _, _) in pending.items():
        if f.path != ".":
            conflicts += _conflicts(f.pyproject, f.text, name)
    warnings.extend(lock_staleness(root / LOCKFILE, members))
    return Workspace(
        root=root,
        members=members,
        root_groups=root_groups,
        settings=settings,
        python_version=read_python_version(root),
        dynamic=dynamic,
        warnings=tuple(warnings),
        edge_lock=lock,
        root_indexes=_index_names(table_at(root_doc, "tool.uv").get("index")),
        default_groups=_default_groups(root_doc, root_file),
        conflicts=conflicts,
    )


def _default_groups(doc: Mapping[str, Any], file: Path) -> tuple[str, ...] | None:
    value = table_at(doc, "tool.uv").get("default-groups", ["dev"])
    if value == "all":
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UvmonoError(
            f"`tool.uv.default-groups` in {file} must be a list of group names or \"all\"",
            hint='for example: default-groups = ["dev"]',
        )
    return tuple(sorted(normalize(v) for v in value))


def _conflicts(
    doc: Mapping[str, Any], file: Path | str, owner: str | None
) -> tuple[frozenset[tuple[str, str, str]], ...]:
    """`[tool.uv] conflicts`: an item without `package` means the project that declares it."""
    out = []
    for index, raw_set in enumerate(table_at(doc, "tool.uv").get("conflicts", [])):
        key = f"tool.uv.conflicts[{index}]"
        expect(raw_set, list, file, key, '[{ extra = "cpu" }, { extra = "gpu" }]')
        items = set()
        for item in raw_set:
            expect(item, dict, file, key, '[{ extra = "cpu" }, { extra = "gpu" }]')
            package = item.get("package", owner)
            kinds = [k for k in ("extra", "group") if isinstance(item.get(k), str)]
            if not isinstance(package, str) or len(kinds) != 1:
                raise UvmonoError(
                    f"`{key}` in {file} has an item uv cannot read: {item!r}",
                    hint='each item names one extra or one group, e.g. { extra = "cpu" }, '
                    "and its package where the file is not a project",
                )
            items.add((normalize(package), kinds[0], normalize(item[kinds[0]])))
        if len(items) > 1:
            out.append(frozenset(items))
    return tuple(out)


_DYNAMIC_FIELDS = {"dependencies", "optional-dependencies", "version"}


def _is_dynamic(doc: Mapping[str, Any]) -> bool:
    dynamic = table_at(doc, "project").get("dynamic", [])
    return isinstance(dynamic, list) and not _DYNAMIC_FIELDS.isdisjoint(dynamic)


def _index_names(indexes: Any) -> tuple[str, ...]:
    entries = indexes if isinstance(indexes, list) else []
    return tuple(
        e["name"] for e in entries if isinstance(e, dict) and isinstance(e.get("name"), str)
    )


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def lock_of(workspace: Workspace) -> Lock | None:
    """The workspace's uv.lock: the one discovery read, else read now (None: there is none)."""
    if workspace.edge_lock is not None:
        return workspace.edge_lock
    return read_lock(workspace.root / LOCKFILE)


def owner_index(workspace: Workspace) -> OwnerIndex:
    return OwnerIndex(workspace.member_by_path())


@record
class OwnerIndex:
    """Maps a path (relative to the workspace root) to the deepest member that contains it."""

    by_path: Mapping[str, str]

    def owner(self, path: str) -> str | None:
        """`path` may lie outside the root (`../x`), where only members outside it can own it."""
        directory = path.rpartition("/")[0]
        while True:
            if directory in self.by_path:
                return self.by_path[directory]
            if not directory:
                return None if path.startswith("../") else self.by_path.get(".")
            directory = directory.rpartition("/")[0]
