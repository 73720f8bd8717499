"""Reading a generated path: never through a symlink there, never outside the repository or
into `.git`, never more than `GENERATED_LIMIT`; every refusal a `UvmonoError` naming the path."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from uvmono.errors import UvmonoError
from uvmono.regular import MIB, kind_of, repository_root

GENERATED_LIMIT = 64 * MIB
"""The largest file uvmono reads at a path it generates (its own files are far smaller)."""

O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def check_relative_path(path: str) -> None:
    pure = PurePosixPath(path)
    if (
        not pure.name
        or pure.is_absolute()
        or ".." in pure.parts
        or str(pure) != path
        or "\\" in path
    ):
        raise UvmonoError(
            f"cannot generate {path!r}: not a plain relative path inside the workspace",
            hint="give paths in [tool.uvmono] relative to the workspace root, "
            "with '/' separators and no '..'",
        )


def check_unique(paths: Sequence[str]) -> None:
    seen: set[str] = set()
    for path in paths:
        if path in seen:
            raise UvmonoError(
                f"{path} would be generated twice",
                hint="give each member its own path in [tool.uvmono] in pyproject.toml",
            )
        seen.add(path)


def read(root: Path, path: str) -> bytes | None:
    """The bytes at `path`, or None when nothing is there; never through a symlink there."""
    target = real_parent(root, path) / PurePosixPath(path).name
    try:
        info = os.lstat(target)
        if not stat.S_ISREG(info.st_mode):
            raise not_a_file(path, info.st_mode)
        if info.st_size > GENERATED_LIMIT:
            raise _too_big(path)
        # O_NOFOLLOW and O_NONBLOCK: no symlink or FIFO put there since the lstat is opened.
        fd = os.open(target, os.O_RDONLY | O_NOFOLLOW | os.O_NONBLOCK | O_CLOEXEC)
        with os.fdopen(fd, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise not_a_file(path, os.fstat(file.fileno()).st_mode)
            data = file.read(GENERATED_LIMIT + 1)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        blocker = _first_non_directory(root, path)
        raise UvmonoError(
            f"cannot write {path}: {blocker} is a file, not a directory",
            hint=f"move {blocker} away, or generate {path} somewhere else",
        ) from None
    except OSError as error:
        raise UvmonoError(
            f"could not read {path}: {error.strerror or error}",
            hint="make sure the file is readable, then run again",
        ) from error
    if len(data) > GENERATED_LIMIT:
        raise _too_big(path)
    return data


def read_generated(root: Path, path: str) -> bytes | None:
    """What is at the generated path `path` now, read the way `plan_writes` reads it."""
    check_relative_path(path)
    return read(root, path)


def real_parent(root: Path, path: str) -> Path:
    """The directory `path` (relative to `root`) is in, every symlink on the way resolved.

    Raises `UvmonoError` when that is outside the repository or inside a `.git` directory: a
    committed symlink (`.github -> /home/runner`) must not send a read or write elsewhere.
    """
    parent = PurePosixPath(path).parent
    real = Path(os.path.realpath(Path(root, *parent.parts)))
    boundary = repository_root(root)
    link = _first_symlink(root, parent)
    via = f"the symlink {link}" if link is not None else parent.as_posix()
    try:
        inside = real.relative_to(boundary)
    except ValueError:
        raise UvmonoError(
            f"refusing {path}: {via} leads to {real}, outside the repository {boundary}",
            hint=f"remove {via} (uvmono never writes through a symlink that leaves the "
            "repository), or generate the file somewhere else",
        ) from None
    if ".git" in inside.parts:
        raise UvmonoError(
            f"refusing {path}: {via} leads to {real}, inside git's own directory",
            hint=f"remove {via}, or generate the file somewhere else: "
            "uvmono never writes into .git",
        )
    return real


def _first_symlink(root: Path, parent: PurePosixPath) -> str | None:
    parts = parent.parts
    for count in range(1, len(parts) + 1):
        if Path(root, *parts[:count]).is_symlink():
            return PurePosixPath(*parts[:count]).as_posix()
    return None


def not_a_file(path: str, mode: int) -> UvmonoError:
    if stat.S_ISDIR(mode):
        return UvmonoError(
            f"{path} exists and is a directory", hint="move it away; uvmono writes a file there"
        )
    if stat.S_ISLNK(mode):
        return UvmonoError(
            f"{path} is a symbolic link: uvmono neither reads nor writes through a symlink "
            "at a path it generates",
            hint=f"remove the symlink {path}; uvmono writes a regular file there",
        )
    return UvmonoError(
        f"{path} exists and is {kind_of(mode)}, not a regular file",
        hint="move it away; uvmono writes a regular file there",
    )


def _too_big(path: str) -> UvmonoError:
    return UvmonoError(
        f"{path} is larger than uvmono reads at a path it generates "
        f"({GENERATED_LIMIT // MIB} MiB)",
        hint=f"move {path} away; uvmono writes its own file there",
    )


def _first_non_directory(root: Path, path: str) -> str:
    parents = PurePosixPath(path).parents
    return next(
        (
            parent.as_posix()
            for parent in reversed(parents[: len(parents) - 1])
            if not (root / parent).is_dir()
        ),
        parents[0].as_posix(),
    )
