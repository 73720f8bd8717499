"""Workspace globs, matched exactly as uv's Rust `glob` crate matches them (FACTS.md §1).

Member globs use `glob()` (`*` stays within one path component, hidden directories match);
exclude globs use `Pattern::matches_path`, where `*` crosses `/`.
"""

from __future__ import annotations

import glob
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from uvmono.errors import UvmonoError


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


def check_globs(
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


def matcher(patterns: Sequence[str]) -> Callable[[str], bool]:
    """Whether a path matches any of `patterns` (`glob_regex`), as one compiled regex."""
    if not patterns:
        return lambda path: False
    regex = re.compile("|".join(f"(?:{glob_regex(p).pattern})" for p in patterns))
    return lambda path: regex.fullmatch(path) is not None


def exclude_regex(pattern: str) -> re.Pattern[str]:
    """Rust `Pattern::matches_path` with default options: `*` and `?` cross `/`."""
    return _glob_to_regex(pattern, ".")


def glob_dirs(root: Path, pattern: str) -> Iterator[str]:
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
