"""uv.lock, read with tomllib into a package graph keyed by (name, version, source).

Facts (FACTS.md §3): only `version` signals an incompatible format; `[package.metadata]` may be
empty (metadata-free locks), so edges come from `dependencies`, `optional-dependencies` and
`dev-dependencies`; one name may have several entries (forks), and an edge then names the
version and source it means; `[manifest] members` is absent for a single-project lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from uvmono import tomlparse
from uvmono.errors import UvmonoError
from uvmono.lazy_re import lazy
from uvmono.lock_manifest import LOCK_HINT as _LOCK_HINT
from uvmono.names import normalize
from uvmono.records import record
from uvmono.regular import LOCK_LIMIT, read_regular

SUPPORTED_VERSION = 1
LOCAL_SOURCE_KINDS = ("editable", "virtual", "directory", "path")


@record(order=True)
class PackageId:
    name: str
    version: str | None
    source: str  # canonical text of the source table, e.g. "registry=https://pypi.org/simple"

    def label(self) -> str:
        return f"{self.name} {self.version}" if self.version else self.name


@record
class LockDep:
    target: PackageId
    extras: tuple[str, ...] = ()
    marker: str | None = None


@record
class LockPackage:
    id: PackageId
    dependencies: tuple[LockDep, ...]
    optional: Mapping[str, tuple[LockDep, ...]]
    groups: Mapping[str, tuple[LockDep, ...]]
    # What uv downloads: the sdist's and every wheel's hash (or URL when it has none), sorted.
    artifacts: tuple[str, ...] = ()


@record
class Lock:
    origin: str  # file path, or "uv.lock at <rev>"
    version: int
    revision: int | None
    packages: Mapping[PackageId, LockPackage]
    members: Mapping[str, PackageId]  # member name -> its entry
    root_groups: Mapping[str, tuple[LockDep, ...]]  # [manifest.dependency-groups]
    requires_python: str | None = None  # the workspace's: the intersection of every member's
    # `conflicts`: sets of (package, "extra" | "group", name) that uv never installs together
    conflicts: tuple[frozenset[tuple[str, str, str]], ...] = ()

    def member_version(self, name: str) -> str | None:
        pid = self.members.get(name)
        return pid.version if pid else None

    def is_member(self, pid: PackageId) -> bool:
        return self.members.get(pid.name) == pid



# PEP 508 names; the common PEP 440 versions, without importing packaging (`1.2.3`, `2.0rc1`).
_NAME = lazy(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_PLAIN_VERSION = lazy(r"[0-9]+(?:\.[0-9]+)*(?:(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?")


def _check_name_version(origin: str, name: str, version: object) -> None:
    """A package's name and version as uv writes them: they reach logs, reasons and CI files,
    so a line break (U+2028 too) or anything else is refused, not passed on."""
    from uvmono.render.text import printable

    if not _NAME.fullmatch(name):
        raise _fail(origin, f"the package name {printable(name)!r} is not a PEP 508 name")
    if not isinstance(version, str) or _PLAIN_VERSION.fullmatch(version):
        return
    from packaging.version import InvalidVersion, Version

    try:  # packaging allows spaces around a version (Unicode ones too): uv writes none
        Version(version if version.isascii() and version.strip() == version else "!")
    except InvalidVersion:
        raise _fail(
            origin, f"the version {printable(version)!r} of {name} is not a PEP 440 version"
        ) from None


def _source_text(source: Any) -> str:
    if not isinstance(source, Mapping):
        return ""
    return "; ".join(f"{k}={source[k]}" for k in sorted(source))


def _source_kind(source: Any) -> str:
    if isinstance(source, Mapping):
        for kind in ("registry", *LOCAL_SOURCE_KINDS, "git", "url"):
            if kind in source:
                return kind
    return ""


def _fail(origin: str, what: str) -> UvmonoError:
    return UvmonoError(
        f"{origin} is not a uv.lock uvmono can read: {what}",
        hint="regenerate it with `uv lock`",
    )


def parse_lock(data: bytes, origin: str) -> Lock:
    conflict = any(line.startswith((b"<<<<<<<", b">>>>>>>")) for line in data.splitlines())
    hint = (
        "it holds git merge-conflict markers: resolve them by running `uv lock`"
        if conflict
        else "regenerate it with `uv lock`"
    )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UvmonoError(
            f"{origin} is not valid TOML: invalid UTF-8 at line {line}", hint=hint
        ) from None
    try:
        doc = tomlparse.loads(text)
    except tomlparse.TOMLDecodeError as exc:
        raise UvmonoError(f"{origin} is not valid TOML: {exc}", hint=hint) from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise UvmonoError(
            f"{origin} is not valid TOML: arrays or inline tables nested too deeply", hint=hint
        ) from None
    version = doc.get("version")
    if type(version) is not int or version != SUPPORTED_VERSION:  # `true == 1` in Python
        raise UvmonoError(
            f"{origin} has lock format version {version!r}; uvmono reads version "
            f"{SUPPORTED_VERSION}",
            hint="relock with a uv that writes version 1 (uv 0.4 to 0.13), or upgrade uvmono",
        )
    raw_packages = doc.get("package", [])
    if not isinstance(raw_packages, list):
        raise _fail(origin, "`package` is not an array of tables")

    entries: list[tuple[PackageId, Mapping[str, Any]]] = []
    by_name: dict[str, list[PackageId]] = {}
    for raw in raw_packages:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("name"), str):
            raise _fail(origin, "a [[package]] entry has no name")
        version_field = raw.get("version")
        _check_name_version(origin, raw["name"], version_field)
        pid = PackageId(
            normalize(raw["name"]),
            version_field if isinstance(version_field, str) else None,
            _source_text(raw.get("source")),
        )
        entries.append((pid, raw))
        by_name.setdefault(pid.name, []).append(pid)

    def resolve(dep: Any) -> LockDep:
        if not isinstance(dep, Mapping) or not isinstance(dep.get("name"), str):
            raise _fail(origin, f"a dependency entry has no name: {dep!r}")
        name = normalize(dep["name"])
        candidates = by_name.get(name, [])
        if "version" in dep:
            candidates = [c for c in candidates if c.version == dep["version"]]
        if "source" in dep:
            candidates = [c for c in candidates if c.source == _source_text(dep["source"])]
        if len(candidates) != 1:
            raise _fail(origin, f"the dependency {dep!r} does not name exactly one package")
        extras = dep.get("extra", [])
        if not isinstance(extras, list) or not all(isinstance(e, str) for e in extras):
            raise _fail(origin, f"the `extra` of the dependency {dep!r} is not a list of names")
        marker = dep.get("marker")
        return LockDep(
            candidates[0],
            tuple(sorted(normalize(e) for e in extras)),
            marker if isinstance(marker, str) else None,
        )

    def deps(value: Any) -> tuple[LockDep, ...]:
        return tuple(resolve(d) for d in value) if isinstance(value, list) else ()

    def deps_by_key(value: Any) -> dict[str, tuple[LockDep, ...]]:
        if not isinstance(value, Mapping):
            return {}
        return {normalize(k): deps(v) for k, v in value.items()}

    packages: dict[PackageId, LockPackage] = {}
    for pid, raw in entries:
        packages[pid] = LockPackage(
            id=pid,
            dependencies=deps(raw.get("dependencies")),
            optional=deps_by_key(raw.get("optional-dependencies")),
            groups=deps_by_key(raw.get("dev-dependencies", raw.get("dependency-groups"))),
            artifacts=_artifacts(raw),
        )

    manifest = doc.get("manifest", {})
    manifest = manifest if isinstance(manifest, Mapping) else {}
    members = _members(manifest, entries)
    root_groups: dict[str, tuple[LockDep, ...]] = {}
    groups = manifest.get("dependency-groups", {})
    if isinstance(groups, Mapping):
        for group, reqs in groups.items():
            found: list[LockDep] = []
            for req in reqs if isinstance(reqs, list) else []:
                raw_name = req.get("name") if isinstance(req, Mapping) else None
                name = normalize(raw_name) if isinstance(raw_name, str) else ""
                raw_extras = req.get("extras", []) if isinstance(req, Mapping) else []
                extras = tuple(
                    sorted(normalize(e) for e in raw_extras if isinstance(e, str))
                    if isinstance(raw_extras, list)
                    else ()
                )
                # A requirement names no version: with forks, every locked version may be it.
                targets = [members[name]] if name in members else by_name.get(name, [])
                found.extend(LockDep(t, extras) for t in targets)
            root_groups[normalize(group)] = tuple(found)
    revision = doc.get("revision")
    requires_python = doc.get("requires-python")
    return Lock(
        origin=origin,
        version=version,
        revision=revision if isinstance(revision, int) else None,
        packages=packages,
        members=members,
        root_groups=root_groups,
        requires_python=requires_python if isinstance(requires_python, str) else None,
        conflicts=_conflicts(doc.get("conflicts")),
    )


def _artifacts(raw: Mapping[str, Any]) -> tuple[str, ...]:
    """The identity of a package's files: `hash` of its sdist and wheels (else `url`, `path`)."""
    found = []
    wheels = raw.get("wheels")
    for item in [raw.get("sdist"), *(wheels if isinstance(wheels, list) else [])]:
        if isinstance(item, Mapping):
            value = item.get("hash") or item.get("url") or item.get("path")
            if isinstance(value, str):
                found.append(value)
    return tuple(sorted(found))


def _conflicts(value: Any) -> tuple[frozenset[tuple[str, str, str]], ...]:
    """`conflicts = [[{ package = "p", extra = "a" }, { package = "p", group = "g" }], ...]`."""
    out = []
    for raw_set in value if isinstance(value, list) else []:
        items = set()
        for item in raw_set if isinstance(raw_set, list) else []:
            if not isinstance(item, Mapping) or not isinstance(item.get("package"), str):
                continue
            for kind in ("extra", "group"):
                if isinstance(item.get(kind), str):
                    items.add((normalize(item["package"]), kind, normalize(item[kind])))
        if len(items) > 1:
            out.append(frozenset(items))
    return tuple(out)


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _members(
    manifest: Mapping[str, Any], entries: list[tuple[PackageId, Mapping[str, Any]]]
) -> dict[str, PackageId]:
    local = {
        pid.name: pid
        for pid, raw in entries
        if _source_kind(raw.get("source")) in LOCAL_SOURCE_KINDS
    }
    listed = manifest.get("members")
    if isinstance(listed, list):
        names = {normalize(n) for n in listed if isinstance(n, str)}
        return {n: local[n] for n in sorted(names) if n in local}
    # A single-project lock has no manifest: its project is the entry whose source is the root.
    for pid, raw in entries:
        source = raw.get("source")
        if isinstance(source, Mapping) and any(source.get(k) == "." for k in LOCAL_SOURCE_KINDS):
            return {pid.name: pid}
    return {}


def read_lock(path: Path) -> Lock | None:
    """The lock at `path`, or None when the workspace has none."""
    data = read_lock_data(path)
    return None if data is None else parse_lock(data, str(path))


def read_lock_data(path: Path) -> bytes | None:
    """The bytes `read_lock` parses (None: there is no lock)."""
    return read_regular(path, what="uv.lock", limit=LOCK_LIMIT, hint=_LOCK_HINT)
