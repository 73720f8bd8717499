"""Finding the workspace root and its members the way uv finds them (FACTS.md §1-2).

A matched directory without a pyproject.toml is an error unless it is hidden, empty or holds
only git-ignored files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from uvmono.errors import UvmonoError
from uvmono.globs import check_globs, exclude_regex, glob_dirs, glob_regex
from uvmono.member_files import pyproject_text, read_all
from uvmono.pyproject import PYPROJECT, expect, read_toml, table_at
from uvmono.records import field, record
from uvmono.regular import repository_root

if TYPE_CHECKING:
    from uvmono.sources import Listed


def find_root(start: Path) -> Path:
    """The workspace root that holds `start`, searched upward the way uv searches."""
    start = start.resolve()
    project: Path | None = None
    for directory in (start, *start.parents):
        file = directory / PYPROJECT
        if not file.is_file():
            continue
        doc = read_toml(file)
        uv = table_at(doc, "tool.uv")
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
    members, exclude = member_globs(doc, file)
    rel = project.relative_to(root).as_posix()
    if any(exclude_regex(p).fullmatch(rel) for p in exclude):
        return False
    return any(glob_regex(p).fullmatch(rel) for p in members)


def member_globs(doc: Mapping[str, Any], file: Path) -> tuple[list[str], list[str]]:
    ws = table_at(doc, "tool.uv.workspace")
    members = expect(
        ws.get("members", []), list, file, "tool.uv.workspace.members", '["packages/*"]'
    )
    exclude = expect(
        ws.get("exclude", []), list, file, "tool.uv.workspace.exclude", '["packages/old"]'
    )
    for key, values in (("members", members), ("exclude", exclude)):
        for value in values:
            expect(value, str, file, f"tool.uv.workspace.{key}", '["packages/*"]')
    members, exclude = [_strip_dot(p) for p in members], [_strip_dot(p) for p in exclude]
    check_globs(members, file, "tool.uv.workspace.members", glob_regex)
    check_globs(exclude, file, "tool.uv.workspace.exclude", exclude_regex)
    return members, exclude


def _strip_dot(pattern: str) -> str:
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.rstrip("/") or "."


def _only_ignored(root: Path, directory: Path) -> bool:
    """Empty, or holding only files git ignores (uv skips such a directory)."""
    entries = [p for p in directory.rglob("*") if p.is_file()]
    if not entries:
        return True
    from uvmono.git import all_ignored

    return all_ignored(root, entries)


def _realpath(directory: str, cache: dict[str, str]) -> str:
    """`os.path.realpath(directory)` for a normalized absolute POSIX path, memoized per parent
    directory: siblings such as `packages/*` share one resolution of `packages`, then cost one
    `lstat` each (realpath itself lstats every component of every path)."""
    parent, _, name = directory.rpartition("/")
    if not parent or not name:  # "/x" or "/": nothing to share
        return os.path.realpath(directory)
    real_parent = cache.get(parent)
    if real_parent is None:
        real_parent = cache[parent] = _realpath(parent, cache)
    candidate = f"{real_parent.rstrip('/')}/{name}"
    return os.path.realpath(candidate) if os.path.islink(candidate) else candidate


def _real_member_path(
    root: str, rel: str, repository: str, cache: dict[str, str] | None = None
) -> str:
    """`rel` with the symlinks on its way resolved, when that stays inside the repository.

    git reports a change under the directory a symlink points to, never under the link: a
    member reached through `packages/b -> ../libs/b` is the member at `libs/b`. A link leading
    out of the repository keeps its own path (no change git reports can be under it anyway).
    """
    if cache is not None and os.sep == "/" and root.startswith("/") and ".." not in rel:
        # `rel` is normalized and `root` resolved: plain concatenation is the normalized path.
        directory = root if rel == "." else f"{root.rstrip('/')}/{rel}"
        real = _realpath(directory, cache)
    else:
        directory = os.path.normpath(os.path.join(root, rel))
        real = os.path.realpath(directory)
    if real == directory:
        return rel
    # Out of the repository, or at the root or above it (an error uv reports for the link).
    if os.path.commonpath([real, repository]) != repository or (
        os.path.commonpath([real, root]) == real
    ):
        return rel
    return os.path.relpath(real, root).replace(os.sep, "/")


@record(frozen=False)
class Found:
    path: str
    text: str  # its pyproject.toml, as errors name it
    pyproject: dict[str, Any]
    # Its requirements, listed as it was read (None: listed when asked for).
    listed: Listed | None = field(default=None, compare=False, repr=False)

    @cached_property
    def file(self) -> Path:
        """Its pyproject.toml (made when asked for: a Path per member is slow to make)."""
        return Path(self.text)


def matches(
    root: Path, members: list[str], excludes: list[re.Pattern[str]]
) -> Iterator[tuple[str, str]]:
    """(pattern, directory relative to the root) for every directory a member glob matches and
    no exclude pattern does, symlinks on the way resolved (`_real_member_path`), in glob order.
    Nothing is read: `member_dirs` reads them, `wscache` stats them."""
    # os.path on strings rather than pathlib: this loop runs once per member.
    root_text = str(root)
    repository = str(repository_root(root))
    real_dirs: dict[str, str] = {}  # directory -> its realpath, shared by the members' paths
    for pattern in members:
        for match in glob_dirs(root, pattern):
            # An absolute glob matches absolute paths: members are named relative to the root.
            if os.path.isabs(match):
                match = os.path.relpath(match, root_text)
            rel = os.path.normpath(match).replace(os.sep, "/")
            if any(rx.fullmatch(rel) for rx in excludes):
                continue
            yield pattern, _real_member_path(root_text, rel, repository, real_dirs)


def member_dirs(
    root: Path, root_doc: Mapping[str, Any], warnings: list[str], *, parallel: bool | None = None
) -> list[Found]:
    """The members' directories and documents, sorted by path.

    Every matched pyproject.toml is read and checked first (`member_files.read_all`: on a second
    core for a large workspace; `parallel` True or False forces it either way, None decides),
    then the matches are replayed in glob order, so that the error raised is the one a reading
    in glob order meets first, whichever process read the file."""
    root_file = root / PYPROJECT
    members, exclude = member_globs(root_doc, root_file)
    excludes = [exclude_regex(p) for p in exclude]
    found: dict[str, Found] = {}
    if "project" in root_doc:
        found["."] = Found(".", str(root_file), dict(root_doc))
    matched: list[tuple[str, str]] = []
    glob_error: Exception | None = None
    try:
        matched.extend(matches(root, members, excludes))
    except Exception as exc:  # raised after the members matched before it, as in glob order
        glob_error = exc
    root_text = str(root)
    rels = [rel for rel in dict.fromkeys(rel for _, rel in matched) if rel not in found]
    read = read_all(root_text, rels, parallel)
    for pattern, rel in matched:
        if rel in found:
            continue
        entry = read[rel]
        if entry is None:
            _missing(root, rel, pattern, warnings)
            continue
        if isinstance(entry, BaseException):
            raise entry
        doc = entry.doc
        uv = table_at(doc, "tool.uv")
        if uv.get("managed") is False:
            continue
        file = pyproject_text(root_text, rel)
        if "workspace" in uv and rel != ".":
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
        found[rel] = Found(rel, file, doc, entry.listed)
    if glob_error is not None:
        raise glob_error
    return sorted(found.values(), key=lambda f: f.path)


def _missing(root: Path, rel: str, pattern: str, warnings: list[str]) -> None:
    """A matched `rel` without a pyproject.toml: skipped, or an error."""
    directory = os.path.join(str(root), rel)
    if not os.path.isdir(directory):
        warnings.append(f"ignoring {rel}: it matches `{pattern}` but is not a directory")
        return
    if os.path.basename(directory).startswith(".") or _only_ignored(root, Path(directory)):
        return
    root_file = root / PYPROJECT
    raise UvmonoError(
        f"workspace member {directory} is missing a pyproject.toml (matches: {pattern})",
        hint=f"add a pyproject.toml there, or add it to "
        f"tool.uv.workspace.exclude in {root_file}",
    )
