"""A pyproject.toml, read as uv reads it: TOML errors and wrong types name the file and key."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from uvmono import tomlparse
from uvmono.errors import UvmonoError
from uvmono.regular import PYPROJECT_LIMIT, read_regular

PYPROJECT = "pyproject.toml"


def read_toml(path: Path | str) -> dict[str, Any]:
    data = read_regular(
        path, what="pyproject.toml", limit=PYPROJECT_LIMIT, hint="make sure it is a readable file"
    )
    if data is None:
        raise UvmonoError(f"cannot read {path}: it does not exist", hint="make sure it is a file")
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
        # uv reads a file that starts with a byte order mark; tomllib does not.
        return tomlparse.loads(text.removeprefix("\ufeff"))
    except tomlparse.TOMLDecodeError as exc:
        raise UvmonoError(
            f"{origin} is not valid TOML: {exc}", hint="fix the syntax at the line shown"
        ) from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise UvmonoError(
            f"{origin} is not valid TOML: arrays or inline tables nested too deeply",
            hint="flatten the nesting",
        ) from None


def table_at(doc: Mapping[str, Any], dotted: str) -> Mapping[str, Any]:
    """doc[a][b][c] for "a.b.c", {} where absent; a non-table there is left to the caller."""
    # `dict`, not `Mapping`: TOML tables are dicts, and the ABC check is slow in this hot path.
    node: Any = doc
    for part in _PARTS.get(dotted) or _parts(dotted):
        node = node.get(part) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


_PARTS: dict[str, list[str]] = {}


def _parts(dotted: str) -> list[str]:
    parts = _PARTS.get(dotted)
    if parts is None:
        parts = _PARTS[dotted] = dotted.split(".")
    return parts


def expect(value: Any, kind: type, file: Path | str, key: str, example: str) -> Any:
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
    ("tool.uv.conflicts", list, '[[{ extra = "cpu" }, { extra = "gpu" }]]'),
)
# PEP 508 names, which uv requires of package, extra and group names alike.
_VALID_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_VALID_NAMES: set[str] = set()  # names seen valid: member names recur in every [tool.uv.sources]


def _valid_name(name: str) -> bool:
    if name in _VALID_NAMES:
        return True
    if _VALID_NAME.fullmatch(name):
        _VALID_NAMES.add(name)
        return True
    return False


_NONE: Mapping[str, Any] = {}  # an absent table (never written to)

_NAME_RULE = "names start and end with a letter or digit and hold only letters, digits, -, _ and ."


# _SHAPES as a tree: {part: (dotted key, type, example, {child part: ...})}. Walking it visits
# only the tables a document has, each once, in the order of _SHAPES (a parent before its
# children), so the first wrong value found is the one a walk of _SHAPES finds first.
_Shape = tuple[str, type, str, dict[str, Any]]


def _shape_tree() -> dict[str, _Shape]:
    tree: dict[str, _Shape] = {}
    for key, kind, example in _SHAPES:
        *parents, last = key.split(".")
        level = tree
        for part in parents:
            level = level[part][3]
        level[last] = (key, kind, example, {})
    return tree


_SHAPE_TREE = _shape_tree()


def _check_shapes(
    node: Mapping[str, Any], shapes: Mapping[str, _Shape], file: Path | str
) -> None:
    for part, (key, kind, example, children) in shapes.items():
        if part in node:
            value = node[part]
            if not isinstance(value, kind):
                expect(value, kind, file, key, example)  # raises
            if children:
                _check_shapes(value, children, file)


def check_pyproject(doc: Mapping[str, Any], file: Path | str) -> None:
    """Refuse what uv refuses to read in the parts of a pyproject.toml uvmono uses."""
    _check_shapes(doc, _SHAPE_TREE, file)
    # The shapes are checked: each table below is a dict where it is present.
    project = doc.get("project", _NONE)
    tool_uv = doc["tool"].get("uv", _NONE) if "tool" in doc else _NONE
    sources = tool_uv.get("sources", _NONE)
    if "name" in project and not _valid_name(project["name"]):
        raise UvmonoError(
            f"`project.name` in {file} is not a valid package name: {project['name']!r}",
            hint=_NAME_RULE,
        )
    if "version" in project:
        _check_version(project["version"], file)
    for item in project.get("dynamic", []):
        expect(item, str, file, "project.dynamic", '["version"]')
    for table in ("scripts", "gui-scripts"):
        for script, target in project.get(table, {}).items():
            expect(target, str, file, f"project.{table}.{script}", '"my_package.cli:main"')
    for key, names in (
        ("project.optional-dependencies", project.get("optional-dependencies", {})),
        ("dependency-groups", doc.get("dependency-groups", {})),
        ("tool.uv.sources", sources),
    ):
        for name in names:
            if not _valid_name(name):
                raise UvmonoError(f"`{key}` in {file} has an invalid name: {name!r}", _NAME_RULE)
    for name, source in sources.items():
        entries = source if isinstance(source, list) else [source]
        if not all(isinstance(entry, dict) for entry in entries):
            raise UvmonoError(
                f"`tool.uv.sources.{name}` in {file} must be a table or a list of tables, "
                f"not {source!r}",
                hint=f"for example: {name} = {{ workspace = true }}",
            )


_SIMPLE_VERSION = re.compile(r"\d+(?:\.\d+)*")


def _check_version(version: str, file: Path | str) -> None:
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
