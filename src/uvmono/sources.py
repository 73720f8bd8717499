"""What a member's pyproject.toml declares about other packages: requirement lists, dependency
groups (with `include-group` flattened), edges to other members, and local path sources.

Any requirement whose normalized name is a member name is a workspace edge.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from uvmono.errors import UvmonoError
from uvmono.names import normalize, parse_requirement, requirement_name
from uvmono.pyproject import expect, table_at
from uvmono.records import record

EDGE_KINDS = ("dependency", "optional", "group", "build")


@record
class MemberDependency:
    """One declaration in `dependent` that names another member."""

    target: str
    kind: str  # one of EDGE_KINDS
    extras: tuple[str, ...] = ()
    marker: str | None = None
    extra: str | None = None  # for kind "optional": the extra of the dependent that holds it
    group: str | None = None  # for kind "group": the dependency group that holds it


@record
class PathSource:
    """A `{ path = ... }` source: a local package that is not a member."""

    name: str
    path: str  # POSIX, relative to the workspace root (may start with ../)
    editable: bool
    outside_root: bool


def _requirement_lists(
    doc: Mapping[str, Any], file: Path | str, flat_groups: dict[str, list[str]] | None = None
) -> Iterator[tuple[str, str | None, str | None, list[str]]]:
    """(kind, extra, group, requirement strings) for every declaration that can name a member;
    `flat_groups`, when given, receives `groups(doc, file)`."""
    project = table_at(doc, "project")
    deps = expect(project.get("dependencies", []), list, file, "project.dependencies", '["foo"]')
    yield "dependency", None, None, deps
    optional = expect(
        project.get("optional-dependencies", {}),
        dict,
        file,
        "project.optional-dependencies",
        '{ extra = ["foo"] }',
    )
    for extra, reqs in optional.items():
        key = f"project.optional-dependencies.{extra}"
        yield "optional", normalize(extra), None, expect(reqs, list, file, key, '["foo"]')
    flat = groups(doc, file)
    if flat_groups is not None:
        flat_groups.update(flat)
    for group, reqs in flat.items():
        yield "group", None, group, reqs
    build = table_at(doc, "build-system")
    requires = expect(
        build.get("requires", []), list, file, "build-system.requires", '["uv_build"]'
    )
    yield "build", None, None, requires


def groups(doc: Mapping[str, Any], file: Path | str) -> dict[str, list[str]]:
    """PEP 735 groups with `include-group` flattened, plus legacy tool.uv.dev-dependencies."""
    declared = doc.get("dependency-groups")
    legacy = table_at(doc, "tool.uv").get("dev-dependencies")
    if declared is None and legacy is None:
        return {}  # most members
    raw = dict(
        expect(
            {} if declared is None else declared,
            dict,
            file,
            "dependency-groups",
            '{ test = ["pytest"] }',
        )
    )
    by_name: dict[str, tuple[str, Any]] = {}
    for key, value in raw.items():
        if normalize(key) in by_name:  # uv's words; it refuses the file
            raise UvmonoError(
                f"duplicate dependency group: `{normalize(key)}` in {file}: "
                f"`{by_name[normalize(key)][0]}` and `{key}` name the same group",
                hint="merge them into one group: names are compared after PEP 503 normalization",
            )
        by_name[normalize(key)] = (key, value)
    flat: dict[str, list[str]] = {}

    def expand(name: str, stack: tuple[str, ...]) -> list[str]:
        if name in flat:
            return flat[name]
        if name in stack:
            cycle = " -> ".join((*stack, name))
            raise UvmonoError(
                f"dependency groups include each other in a cycle in {file}: {cycle}",
                hint="remove one of the include-group entries",
            )
        if name not in by_name:
            raise UvmonoError(
                f"dependency group `{stack[-1]}` in {file} includes `{name}`, which does not exist",
                hint=f"define [dependency-groups] {name}, or remove the include-group entry",
            )
        key, entries = by_name[name]
        expect(entries, list, file, f"dependency-groups.{key}", '["pytest"]')
        out: list[str] = []
        for entry in entries:
            if isinstance(entry, str):
                out.append(entry)
            elif isinstance(entry, dict) and isinstance(entry.get("include-group"), str):
                out.extend(expand(normalize(entry["include-group"]), (*stack, name)))
            else:
                raise UvmonoError(
                    f"`dependency-groups.{key}` in {file} has an entry that is neither a "
                    f"requirement string nor {{ include-group = ... }}: {entry!r}",
                    hint='write requirements as strings, e.g. "pytest>=8"',
                )
        flat[name] = out
        return out

    for name in by_name:
        expand(name, ())
    if legacy is not None:
        expect(legacy, list, file, "tool.uv.dev-dependencies", '["pytest"]')
        flat["dev"] = [*flat.get("dev", []), *legacy]
    return flat


# What `list_requirements` found in a member's file: (kind, extra, group, requirement, its
# normalized name) in the order uv reads them, its dependency groups' names, and the error
# met on the way (raised by `member_dependencies`, in its turn), if any.
Requirement = tuple[str, str | None, str | None, str, str]
Listed = tuple[tuple[Requirement, ...], tuple[str, ...], Exception | None]


def list_requirements(doc: Mapping[str, Any], file: Path | str) -> Listed:
    """Every requirement of `doc` that can name a member, named; what is wrong with one is
    kept, not raised: the members' files are read (member_files.py, maybe in another process)
    before the checks that come first in uv's order."""
    found: list[Requirement] = []
    flat: dict[str, list[str]] = {}
    try:
        for kind, extra, group, reqs in _requirement_lists(doc, file, flat):
            for text in reqs:
                if not isinstance(text, str):
                    raise UvmonoError(
                        f"a requirement in {file} is not a string: {text!r}",
                        hint='write requirements as strings, e.g. "requests>=2"',
                    )
                target = requirement_name(text)
                if target is None:
                    raise UvmonoError(
                        f"invalid requirement {text!r} in {file}",
                        hint="see PEP 508 for the syntax",
                    )
                found.append((kind, extra, group, text, target))
    except Exception as exc:  # raised by member_dependencies, after what comes before it
        return tuple(found), (), exc
    return tuple(found), tuple(flat), None


def member_dependencies(
    name: str,
    doc: Mapping[str, Any],
    file: Path | str,
    member_names: set[str],
    listed: Listed | None = None,
) -> tuple[tuple[MemberDependency, ...], set[str], tuple[str, ...]]:
    """Edges to other members, the names of every requirement (for path sources) and the
    member's dependency groups; `listed`: `list_requirements(doc, file)`, made before."""
    requirements, group_names, error = (
        list_requirements(doc, file) if listed is None else listed
    )
    edges: set[MemberDependency] = set()
    required: set[str] = set()
    for kind, extra, group, text, target in requirements:
        required.add(target)
        if target not in member_names or target == name:
            continue  # third-party, or a self-reference such as `pkg[extra]` inside pkg
        edges.add(_edge(text, target, kind, extra, group, file))
    if error is not None:
        raise error
    if len(edges) < 2:
        return tuple(edges), required, group_names
    return tuple(sorted(edges, key=_edge_order)), required, group_names


# Members repeat the same requirement on the same member (`core==1.0` in hundreds of them):
# each edge is made once per process. MemberDependency is frozen, so sharing it is safe.
_EDGES: dict[tuple[str, str, str | None, str | None], MemberDependency] = {}


def _edge(
    text: str, target: str, kind: str, extra: str | None, group: str | None, file: Path | str
) -> MemberDependency:
    key = (text, kind, extra, group)
    edge = _EDGES.get(key)
    if edge is None:
        try:
            req = parse_requirement(text)
        except ValueError as exc:
            raise UvmonoError(
                f"invalid requirement {text!r} in {file}: {exc}",
                hint="see PEP 508 for the syntax",
            ) from None
        edge = _EDGES[key] = MemberDependency(target, kind, req.extras, req.marker, extra, group)
    return edge


def _edge_order(e: MemberDependency) -> tuple[str, str, str, str, tuple[str, ...], str]:
    return (e.kind, e.target, e.extra or "", e.group or "", e.extras, e.marker or "")


def uv_sources(doc: Mapping[str, Any]) -> dict[str, Any]:
    sources = table_at(doc, "tool.uv.sources")
    return {normalize(k): v for k, v in sources.items()}


def path_sources(
    root: Path,
    member_dir: str,
    own: Mapping[str, Any],
    inherited: Mapping[str, Any],
    required: set[str],
    member_names: set[str],
) -> tuple[PathSource, ...]:
    found: list[PathSource] = []
    for name in sorted(required - member_names):
        base, source = (member_dir, own[name]) if name in own else (".", inherited.get(name))
        for entry in source if isinstance(source, list) else [source]:
            if not isinstance(entry, Mapping) or not isinstance(entry.get("path"), str):
                continue
            target = Path(os.path.normpath(root / base / entry["path"]))
            rel = Path(os.path.relpath(target, root)).as_posix()
            found.append(
                PathSource(name, rel, bool(entry.get("editable", False)), rel.startswith("../"))
            )
    return tuple(found)
