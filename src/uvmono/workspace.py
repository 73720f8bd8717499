"""The uv workspace, found exactly as uv finds it.

uv's rules (crates/uv-workspace, and `shared/docs/FACTS.md` §1-2): member globs use Rust's
`glob()` (`*` stays within one path component, hidden directories match); exclude globs use
`Pattern::matches_path`, where `*` crosses `/`; a matched directory without a pyproject.toml is an
error unless it is hidden, empty or holds only git-ignored files; any requirement whose
normalized name is a member name is a workspace edge.
"""

from __future__ import annotations

import glob
import itertools
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uvmono import config
from uvmono.errors import UvmonoError
from uvmono.lockfile import Lock, lock_staleness, read_lock
from uvmono.names import normalize, parse_requirement, requirement_name

PYPROJECT = "pyproject.toml"
LOCKFILE = "uv.lock"

EDGE_KINDS = ("dependency", "optional", "group", "build")


@dataclass(frozen=True)
class MemberDependency:
    """One declaration in `dependent` that names another member."""

    target: str
    kind: str  # one of EDGE_KINDS
    extras: tuple[str, ...] = ()
    marker: str | None = None
    extra: str | None = None  # for kind "optional": the extra of the dependent that holds it
    group: str | None = None  # for kind "group": the dependency group that holds it


@dataclass(frozen=True)
class PathSource:
    """A `{ path = ... }` source: a local package that is not a member."""

    name: str
    path: str  # POSIX, relative to the workspace root (may start with ../)
    editable: bool
    outside_root: bool


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Workspace:
    root: Path  # absolute
    members: Mapping[str, Member]  # by name, sorted by name
    virtual_root: bool
    root_groups: Mapping[str, tuple[str, ...]]  # the root's dependency groups: names required
    settings: config.Settings  # the root's [tool.uvmono]
    python_version: str | None  # from .python-version
    dynamic: bool  # some member's dependencies are dynamic: only uv.lock knows its edges
    warnings: tuple[str, ...] = field(default=())
    # The lock where member edges need it, else None. With static metadata, pyproject.toml
    # holds every member edge a fresh lock has (and a stale lock holds edges that no longer
    # exist), so discovery reads the lock only when some member's dependencies are dynamic.
    edge_lock: Lock | None = None

    def member_by_path(self) -> dict[str, str]:
        return {m.path: m.name for m in self.members.values()}


# ----------------------------------------------------------------------------------- reading


def read_toml(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UvmonoError(
            f"cannot read {path}: {exc.strerror}", hint="make sure it is a readable file"
        ) from None
    return parse_toml(data, str(path))


def parse_toml(data: bytes, origin: str) -> dict[str, Any]:
    """TOML as tomllib reads it; every way the bytes can be unreadable is a `UvmonoError`."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UvmonoError(
            f"{origin} is not valid TOML: invalid UTF-8 at line {line}",
            hint="TOML files must be UTF-8: fix or re-save the file",
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UvmonoError(
            f"{origin} is not valid TOML: {exc}", hint="fix the syntax at the line shown"
        ) from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise UvmonoError(
            f"{origin} is not valid TOML: arrays or inline tables nested too deeply",
            hint="flatten the nesting",
        ) from None


def _table(doc: Mapping[str, Any], dotted: str) -> Mapping[str, Any]:
    """doc[a][b][c] for "a.b.c", {} where absent; a non-table there is left to the caller."""
    # `dict`, not `Mapping`: TOML tables are dicts, and the ABC check is slow in this hot path.
    node: Any = doc
    for part in dotted.split("."):
        node = node.get(part, {}) if isinstance(node, dict) else {}
    return node if isinstance(node, dict) else {}


def _expect(value: Any, kind: type, file: Path, key: str, example: str) -> Any:
    if not isinstance(value, kind):
        raise UvmonoError(
            f"`{key}` in {file} must be {_toml_type(kind)}, not {_toml_type(type(value))} "
            f"{_short(value)}",
            hint=f"for example: {key} = {example}",
        )
    return value


def _toml_type(kind: type) -> str:
    names = {dict: "a table", list: "an array", str: "a string", bool: "a boolean"}
    names.update({int: "an integer", float: "a float"})
    return names.get(kind, f"a {kind.__name__}")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# The keys uvmono reads, with the type uv's own parser requires of them. Checked up front: a value
# of the wrong type must be an error, never read as if the key were absent.
_SHAPES: tuple[tuple[str, type, str], ...] = (
    ("project", dict, '{ name = "my-package", version = "0.1.0" }'),
    ("project.name", str, '"my-package"'),
    ("project.version", str, '"0.1.0"'),
    ("project.requires-python", str, '">=3.11"'),
    ("project.dynamic", list, '["version"]'),
    ("project.dependencies", list, '["foo"]'),
    ("project.optional-dependencies", dict, '{ extra = ["foo"] }'),
    ("project.scripts", dict, '{ my-cli = "my_package.cli:main" }'),
    ("project.gui-scripts", dict, '{ my-gui = "my_package.gui:main" }'),
    ("dependency-groups", dict, '{ test = ["pytest"] }'),
    ("build-system", dict, '{ requires = ["uv_build"], build-backend = "uv_build" }'),
    ("build-system.requires", list, '["uv_build"]'),
    ("tool", dict, "{ uv = { package = true } }"),
    ("tool.uv", dict, "{ package = true }"),
    ("tool.uv.workspace", dict, '{ members = ["packages/*"] }'),
    ("tool.uv.sources", dict, "{ foo = { workspace = true } }"),
    ("tool.uv.package", bool, "true"),
    ("tool.uv.managed", bool, "true"),
    ("tool.uv.dev-dependencies", list, '["pytest"]'),
)
# PEP 508 names, which uv requires of package, extra and group names alike.
_VALID_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_NAME_RULE = "names start and end with a letter or digit and hold only letters, digits, -, _ and ."


def _lookup(doc: Mapping[str, Any], parts: tuple[str, ...]) -> tuple[bool, Any]:
    node: Any = doc
    for part in parts:
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


_SHAPE_PATHS = tuple((tuple(key.split(".")), key, kind, example) for key, kind, example in _SHAPES)


def _check_pyproject(doc: Mapping[str, Any], file: Path) -> None:
    """Refuse what uv refuses to read in the parts of a pyproject.toml uvmono uses."""
    for parts, key, kind, example in _SHAPE_PATHS:
        present, value = _lookup(doc, parts)
        if present:
            _expect(value, kind, file, key, example)
    project = _table(doc, "project")
    if "name" in project and not _VALID_NAME.fullmatch(project["name"]):
        raise UvmonoError(
            f"`project.name` in {file} is not a valid package name: {project['name']!r}",
            hint=_NAME_RULE,
        )
    if "version" in project:
        _check_version(project["version"], file)
    for item in project.get("dynamic", []):
        _expect(item, str, file, "project.dynamic", '["version"]')
    for table in ("scripts", "gui-scripts"):
        for script, target in project.get(table, {}).items():
            _expect(target, str, file, f"project.{table}.{script}", '"my_package.cli:main"')
    for key, names in (
        ("project.optional-dependencies", project.get("optional-dependencies", {})),
        ("dependency-groups", doc.get("dependency-groups", {})),
        ("tool.uv.sources", _table(doc, "tool.uv.sources")),
    ):
        for name in names:
            if not _VALID_NAME.fullmatch(name):
                raise UvmonoError(f"`{key}` in {file} has an invalid name: {name!r}", _NAME_RULE)
    for name, source in _table(doc, "tool.uv.sources").items():
        entries = source if isinstance(source, list) else [source]
        if not all(isinstance(entry, dict) for entry in entries):
            raise UvmonoError(
                f"`tool.uv.sources.{name}` in {file} must be a table or a list of tables, "
                f"not {source!r}",
                hint=f"for example: {name} = {{ workspace = true }}",
            )


_SIMPLE_VERSION = re.compile(r"\d+(?:\.\d+)*")


def _check_version(version: str, file: Path) -> None:
    if _SIMPLE_VERSION.fullmatch(version):
        return  # the common case, without importing packaging
    from packaging.version import InvalidVersion, Version

    try:
        Version(version)
    except InvalidVersion:
        raise UvmonoError(
            f"`project.version` in {file} is not a valid version: {version!r}",
            hint='use a PEP 440 version, e.g. "1.0.0"',
        ) from None


# -------------------------------------------------------------------------------- discovery


def find_root(start: Path) -> Path:
    """The workspace root that holds `start`, searched upward the way uv searches."""
    start = start.resolve()
    project: Path | None = None
    for directory in (start, *start.parents):
        file = directory / PYPROJECT
        if not file.is_file():
            continue
        doc = read_toml(file)
        uv = _table(doc, "tool.uv")
        if "workspace" in uv:
            if project is None or _includes(directory, doc, project, file):
                return directory
            continue
        if project is None and "project" in doc:
            project = directory
    if project is not None:
        return project
    raise UvmonoError(
        f"no pyproject.toml found in {start} or any parent directory",
        hint="run uvmono inside a uv workspace, or pass --root DIR",
    )


def _includes(root: Path, doc: Mapping[str, Any], project: Path, file: Path) -> bool:
    """Whether the workspace at `root` lists `project` as a member."""
    members, exclude = _globs(doc, file)
    rel = project.relative_to(root).as_posix()
    if any(_exclude_regex(p).fullmatch(rel) for p in exclude):
        return False
    return any(glob_regex(p).fullmatch(rel) for p in members)


def _globs(doc: Mapping[str, Any], file: Path) -> tuple[list[str], list[str]]:
    ws = _table(doc, "tool.uv.workspace")
    members = _expect(
        ws.get("members", []), list, file, "tool.uv.workspace.members", '["packages/*"]'
    )
    exclude = _expect(
        ws.get("exclude", []), list, file, "tool.uv.workspace.exclude", '["packages/old"]'
    )
    for key, values in (("members", members), ("exclude", exclude)):
        for value in values:
            _expect(value, str, file, f"tool.uv.workspace.{key}", '["packages/*"]')
    members, exclude = [_strip_dot(p) for p in members], [_strip_dot(p) for p in exclude]
    _check_globs(members, file, "tool.uv.workspace.members", glob_regex)
    _check_globs(exclude, file, "tool.uv.workspace.exclude", _exclude_regex)
    return members, exclude


def _strip_dot(pattern: str) -> str:
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.rstrip("/") or "."


def _glob_to_regex(pattern: str, star: str) -> re.Pattern[str]:
    """A regex for a glob, parsed as Rust's `glob::Pattern::new` parses it; a pattern it refuses
    raises `InvalidGlob`."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("(?:/.*)?")
            i += 3
        elif c == "*":
            stars = len(pattern) - i - len(pattern[i:].lstrip("*"))
            if stars > 2:
                raise InvalidGlob(pattern, i, "wildcards are either regular `*` or recursive `**`")
            if stars == 1:
                out.append(star + "*")
                i += 1
            elif (i == 0 or pattern[i - 1] == "/") and pattern[i + 2 : i + 3] in ("", "/"):
                out.append("(?:.*/)?" if i + 2 < len(pattern) else ".*")
                i += 3
            else:
                raise InvalidGlob(pattern, i, "`**` must be a whole path component")
        elif c == "[":
            negate = pattern[i + 1 : i + 2] == "!"
            # The first character of the class is part of it even if it is `]`.
            first = i + 2 if negate else i + 1
            end = pattern.find("]", first + 1) if first < len(pattern) else -1
            if end == -1:
                raise InvalidGlob(pattern, i, "invalid range pattern")
            out.append(_character_class(pattern[first:end], negate, star))
            i = end + 1
        else:
            out.append(star if c == "?" else re.escape(c))
            i += 1
    return re.compile("".join(out))


class InvalidGlob(UvmonoError):
    def __init__(self, pattern: str, position: int, why: str) -> None:
        super().__init__(
            f"`{pattern}` is not a valid glob: {why} (at position {position})",
            hint="in a glob, `[` opens a class that `]` closes ([ab], [!a], [a-z]) "
            "and `**` is a whole path component (a/**/b)",
        )


def _character_class(body: str, negate: bool, star: str) -> str:
    """`[...]` as a regex: every character literal; a range that runs backwards (`[z-a]`)
    matches nothing, as in Rust's glob, rather than failing to compile. Where `*` stays in
    one path component, so does a negated class."""
    ranges: list[str] = []
    j = 0
    while j < len(body):
        if j + 2 < len(body) and body[j + 1] == "-":
            low, high = body[j], body[j + 2]
            j += 3
        else:
            low = high = body[j]
            j += 1
        if low <= high:
            ranges.append(re.escape(low) if low == high else f"{re.escape(low)}-{re.escape(high)}")
    if not ranges:
        return star if negate else "(?!)"
    if not negate:
        return f"[{''.join(ranges)}]"
    return f"[^{'/' if star == '[^/]' else ''}{''.join(ranges)}]"


def _check_globs(
    patterns: Iterable[str], file: Path, key: str, to_regex: Callable[[str], object]
) -> None:
    """Compile each glob now, so that a bad one is an error naming its file and key."""
    for pattern in patterns:
        try:
            to_regex(pattern)
        except InvalidGlob as exc:
            raise UvmonoError(f"{exc.message}: `{key}` in {file}", hint=exc.hint) from None


def glob_regex(pattern: str) -> re.Pattern[str]:
    """Rust `glob()`: `*` and `?` stay within one path component."""
    return _glob_to_regex(pattern, "[^/]")


def _exclude_regex(pattern: str) -> re.Pattern[str]:
    """Rust `Pattern::matches_path` with default options: `*` and `?` cross `/`."""
    return _glob_to_regex(pattern, ".")


def _glob_dirs(root: Path, pattern: str) -> Iterator[str]:
    if pattern == ".":
        yield "."
        return
    if not glob.has_magic(pattern):
        if (root / pattern).exists():
            yield pattern
        return
    if "**" in pattern:
        yield from _recursive_glob(root, pattern)
        return
    # glob.iglob, not Path.glob: it matches hidden directories (include_hidden) as uv does.
    matches = glob.iglob(pattern, root_dir=root, include_hidden=True)
    for match in matches:
        yield match.replace(os.sep, "/").rstrip("/") or "."


def _recursive_glob(root: Path, pattern: str) -> Iterator[str]:
    """The directories a `**` pattern matches, walking below its literal prefix.

    Like Rust's `glob()`, `**` follows symlinks, matches hidden directories, and a trailing `/**`
    matches only below its prefix, not the prefix itself. A symlink that points back at a
    directory containing it is an error: uv itself never finishes walking one.
    """
    parts = pattern.split("/")
    literal = list(itertools.takewhile(lambda part: not glob.has_magic(part), parts))
    prefix = "/".join(literal)
    if pattern.endswith("/**"):
        regex = re.compile(f"{glob_regex(pattern[:-3]).pattern}/.+")
    else:
        regex = glob_regex(pattern)
    start = root / prefix if prefix else root
    try:
        identity = _identity(start.stat())
    except OSError:
        return
    on_path: set[tuple[int, int]] = set()
    # (directory, its identity); a None directory marks leaving the identity's subtree.
    stack: list[tuple[str | None, tuple[int, int]]] = [(prefix, identity)]
    while stack:
        rel, identity = stack.pop()
        if rel is None:
            on_path.discard(identity)
            continue
        if rel and regex.fullmatch(rel):
            yield rel
        on_path.add(identity)
        stack.append((None, identity))
        children: list[tuple[str, tuple[int, int]]] = []
        try:
            entries = sorted(os.scandir(root / rel if rel else root), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            try:
                if not entry.is_dir():
                    continue
                child_identity = _identity(entry.stat())
            except OSError:  # a dangling symlink, or one we may not follow
                continue
            child = f"{rel}/{entry.name}" if rel else entry.name
            if child_identity in on_path:
                raise UvmonoError(
                    f"the symlink {root / child} points to {os.path.realpath(root / child)}, "
                    f"which contains it: `{pattern}` in tool.uv.workspace.members would never "
                    "stop matching",
                    hint="remove the symlink, or list the members without `**`",
                )
            children.append((child, child_identity))
        stack.extend(reversed(children))


def _identity(stat: os.stat_result) -> tuple[int, int]:
    return (stat.st_dev, stat.st_ino)


def _only_ignored(root: Path, directory: Path) -> bool:
    """Empty, or holding only files git ignores (uv skips such a directory)."""
    entries = [p for p in directory.rglob("*") if p.is_file()]
    if not entries:
        return True
    from uvmono.git import all_ignored

    return all_ignored(root, entries)


@dataclass
class _Found:
    path: str
    file: Path  # its pyproject.toml
    pyproject: dict[str, Any]
    matched_by: str


def _member_dirs(root: Path, root_doc: Mapping[str, Any], warnings: list[str]) -> list[_Found]:
    root_file = root / PYPROJECT
    members, exclude = _globs(root_doc, root_file)
    excludes = [_exclude_regex(p) for p in exclude]
    found: dict[str, _Found] = {}
    if "project" in root_doc:
        found["."] = _Found(".", root_file, dict(root_doc), "the workspace root")
    # os.path on strings rather than pathlib: this loop runs once per member.
    root_text = str(root)
    for pattern in members:
        for match in _glob_dirs(root, pattern):
            # An absolute glob matches absolute paths: members are named relative to the root.
            if os.path.isabs(match):
                match = os.path.relpath(match, root_text)
            rel = os.path.normpath(match).replace(os.sep, "/")
            if rel in found or any(rx.fullmatch(rel) for rx in excludes):
                continue
            directory = os.path.join(root_text, rel)
            if not os.path.isdir(directory):
                warnings.append(f"ignoring {rel}: it matches `{pattern}` but is not a directory")
                continue
            file_text = os.path.join(directory, PYPROJECT)
            if not os.path.isfile(file_text):
                if os.path.basename(directory).startswith(".") or _only_ignored(
                    root, Path(directory)
                ):
                    continue
                raise UvmonoError(
                    f"workspace member {directory} is missing a pyproject.toml "
                    f"(matches: {pattern})",
                    hint=f"add a pyproject.toml there, or add it to "
                    f"tool.uv.workspace.exclude in {root_file}",
                )
            file = Path(file_text)
            doc = read_toml(file)
            _check_pyproject(doc, file)
            if _table(doc, "tool.uv").get("managed") is False:
                continue
            if "workspace" in _table(doc, "tool.uv") and rel != ".":
                raise UvmonoError(
                    f"nested workspaces are not supported: {file} has [tool.uv.workspace] "
                    f"but is a member of the workspace at {root} (matches: {pattern})",
                    hint="remove [tool.uv.workspace] from the member, or exclude it",
                )
            if "project" not in doc:
                raise UvmonoError(
                    f"no [project] table found in {file} (matches: {pattern})",
                    hint="a workspace member needs [project] with a name, or exclude it",
                )
            found[rel] = _Found(rel, file, doc, pattern)
    return sorted(found.values(), key=lambda f: f.path)


# ------------------------------------------------------------------------------------ members


def _requirement_lists(
    doc: Mapping[str, Any], file: Path
) -> Iterator[tuple[str, str | None, str | None, list[str]]]:
    """(kind, extra, group, requirement strings) for every declaration that can name a member."""
    project = _table(doc, "project")
    deps = _expect(project.get("dependencies", []), list, file, "project.dependencies", '["foo"]')
    yield "dependency", None, None, deps
    optional = _expect(
        project.get("optional-dependencies", {}),
        dict,
        file,
        "project.optional-dependencies",
        '{ extra = ["foo"] }',
    )
    for extra, reqs in optional.items():
        key = f"project.optional-dependencies.{extra}"
        yield "optional", normalize(extra), None, _expect(reqs, list, file, key, '["foo"]')
    for group, reqs in _groups(doc, file).items():
        yield "group", None, group, reqs
    build = _table(doc, "build-system")
    requires = _expect(
        build.get("requires", []), list, file, "build-system.requires", '["uv_build"]'
    )
    yield "build", None, None, requires


def _groups(doc: Mapping[str, Any], file: Path) -> dict[str, list[str]]:
    """PEP 735 groups with `include-group` flattened, plus legacy tool.uv.dev-dependencies."""
    raw = dict(
        _expect(
            doc.get("dependency-groups", {}),
            dict,
            file,
            "dependency-groups",
            '{ test = ["pytest"] }',
        )
    )
    legacy = _table(doc, "tool.uv").get("dev-dependencies")
    by_name = {normalize(k): (k, v) for k, v in raw.items()}
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
        _expect(entries, list, file, f"dependency-groups.{key}", '["pytest"]')
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
        _expect(legacy, list, file, "tool.uv.dev-dependencies", '["pytest"]')
        flat["dev"] = [*flat.get("dev", []), *legacy]
    return flat


def _member_dependencies(
    name: str, doc: Mapping[str, Any], file: Path, member_names: set[str]
) -> tuple[tuple[MemberDependency, ...], set[str]]:
    """Edges to other members, and the names of every requirement (for path sources)."""
    edges: set[MemberDependency] = set()
    required: set[str] = set()
    for kind, extra, group, reqs in _requirement_lists(doc, file):
        for text in reqs:
            if not isinstance(text, str):
                raise UvmonoError(
                    f"a requirement in {file} is not a string: {text!r}",
                    hint='write requirements as strings, e.g. "requests>=2"',
                )
            target = requirement_name(text)
            if target is None:
                raise UvmonoError(
                    f"invalid requirement {text!r} in {file}", hint="see PEP 508 for the syntax"
                )
            required.add(target)
            if target not in member_names or target == name:
                continue  # third-party, or a self-reference such as `pkg[extra]` inside pkg
            try:
                req = parse_requirement(text)
            except ValueError as exc:
                raise UvmonoError(
                    f"invalid requirement {text!r} in {file}: {exc}",
                    hint="see PEP 508 for the syntax",
                ) from None
            edges.add(MemberDependency(target, kind, req.extras, req.marker, extra, group))
    return tuple(sorted(edges, key=_edge_order)), required


def _edge_order(e: MemberDependency) -> tuple[str, str, str, str, tuple[str, ...], str]:
    return (e.kind, e.target, e.extra or "", e.group or "", e.extras, e.marker or "")


def _sources(doc: Mapping[str, Any]) -> dict[str, Any]:
    sources = _table(doc, "tool.uv.sources")
    return {normalize(k): v for k, v in sources.items()}


def _path_sources(
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


def _python_version(root: Path) -> str | None:
    file = root / ".python-version"
    if not file.is_file():
        return None
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise UvmonoError(
            f"cannot read {file}: {why}", hint='it should hold a Python version, e.g. "3.12"'
        ) from None
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return line
    return None


def load(root: Path) -> Workspace:
    """Read the workspace at `root` (the directory holding the root pyproject.toml)."""
    root = root.resolve()
    root_file = root / PYPROJECT
    if not root_file.is_file():
        raise UvmonoError(
            f"no pyproject.toml in {root}", hint="pass --root the directory of the workspace root"
        )
    root_doc = read_toml(root_file)
    _check_pyproject(root_doc, root_file)
    settings = config.load_root(root_doc, root_file)
    for key, globs in (("ignore", settings.ignore), ("global-files", settings.global_files)):
        _check_globs(globs, root_file, f"tool.uvmono.{key}", glob_regex)
    warnings: list[str] = []
    found = _member_dirs(root, root_doc, warnings)

    names: dict[str, _Found] = {}
    for f in found:
        raw_name = _table(f.pyproject, "project").get("name")
        file = f.file
        if not isinstance(raw_name, str):
            raise UvmonoError(
                f"`project.name` is missing or not a string in {file}",
                hint='give the member a name: [project] name = "my-package"',
            )
        name = normalize(raw_name)
        if name in names:
            other = names[name].file
            raise UvmonoError(
                f"two workspace members are both named `{name}`: {other} and {file}",
                hint="rename one of them; names are compared after PEP 503 normalization",
            )
        names[name] = f

    dynamic = any(_is_dynamic(f.pyproject) for f in names.values())
    lock = read_lock(root / LOCKFILE) if dynamic else None
    root_sources = _sources(root_doc)
    member_names = set(names)
    depended_on: set[str] = set()
    pending: dict[str, tuple[_Found, tuple[MemberDependency, ...], set[str]]] = {}
    for name, f in names.items():
        deps, required = _member_dependencies(name, f.pyproject, f.file, member_names)
        depended_on.update(d.target for d in deps if d.kind != "build")
        pending[name] = (f, deps, required)

    members: dict[str, Member] = {}
    for name in sorted(pending):
        f, deps, required = pending[name]
        file = f.file
        doc = f.pyproject
        project = _table(doc, "project")
        own_sources = _sources(doc) if f.path != "." else {}
        member_settings: config.MemberOverrides = (
            config.load_member(doc, file) if f.path != "." else {}
        )
        _check_globs(member_settings.get("ignore", ()), file, "tool.uvmono.ignore", glob_regex)
        package_flag = _table(doc, "tool.uv").get("package")
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
            extras=tuple(sorted(normalize(e) for e in _table(project, "optional-dependencies"))),
            groups=tuple(sorted(_groups(doc, file))),
            path_sources=_path_sources(
                root, f.path, own_sources, root_sources, required, member_names
            ),
            settings=config.effective(settings, member_settings),
            description=_str_or_none(project.get("description")) or "",
        )

    root_groups = {
        group: tuple(sorted({n for n in map(requirement_name, reqs) if n}))
        for group, reqs in _groups(root_doc, root_file).items()
    }
    warnings.extend(lock_staleness(root / LOCKFILE, members))
    return Workspace(
        root=root,
        members=members,
        virtual_root="project" not in root_doc,
        root_groups=root_groups,
        settings=settings,
        python_version=_python_version(root),
        dynamic=dynamic,
        warnings=tuple(warnings),
        edge_lock=lock,
    )


_DYNAMIC_FIELDS = {"dependencies", "optional-dependencies", "version"}


def _is_dynamic(doc: Mapping[str, Any]) -> bool:
    dynamic = _table(doc, "project").get("dynamic", [])
    return isinstance(dynamic, list) and not _DYNAMIC_FIELDS.isdisjoint(dynamic)


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def lock_of(workspace: Workspace) -> Lock | None:
    """The workspace's uv.lock: the one discovery read, else read now (None: there is none)."""
    if workspace.edge_lock is not None:
        return workspace.edge_lock
    return read_lock(workspace.root / LOCKFILE)


def owner_index(workspace: Workspace) -> OwnerIndex:
    return OwnerIndex(workspace.member_by_path())


@dataclass(frozen=True)
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
