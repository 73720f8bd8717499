"""Reading the files uvmono takes as input: only regular files, and only up to a size cap;
and where the repository uvmono may write in ends.

A repository can commit `uv.lock -> /dev/zero` or a FIFO named pyproject.toml; reading either
would exhaust memory or block forever. Symlinks to regular files are read like uv reads them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from uvmono.errors import UvmonoError

MIB = 1024 * 1024
PYPROJECT_LIMIT = 16 * MIB
LOCK_LIMIT = 256 * MIB
EVENT_LIMIT = 64 * MIB
SMALL_LIMIT = 1 * MIB  # .python-version and the like


def read_regular(path: Path | str, *, what: str, limit: int, hint: str) -> bytes | None:
    """The bytes of `path` (a Path or a string, as errors print it); None when nothing is there.

    `what` names the file in errors (e.g. ``uv.lock``); `hint` is the fix when it cannot be read.
    Raises `UvmonoError` when `path` is not a regular file or holds more than `limit` bytes.
    """
    # os calls on the string, not pathlib: this runs once per member's pyproject.toml.
    name = os.fspath(path)
    try:
        info = os.stat(name)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UvmonoError(f"cannot read {what} {path}: {exc.strerror or exc}", hint=hint) from None
    if not stat.S_ISREG(info.st_mode):
        raise _not_regular(path, what, info.st_mode)
    if info.st_size > limit:
        raise _too_big(path, what, limit)
    try:
        # O_NONBLOCK: should the file turn into a FIFO after the stat, open does not block.
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UvmonoError(f"cannot read {what} {path}: {exc.strerror or exc}", hint=hint) from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise _not_regular(path, what, opened.st_mode)
        # Read one byte past the cap: /proc files say they are empty and are not.
        chunks: list[bytes] = []
        want = limit + 1
        while want > 0:
            size = min(want, max(opened.st_size + 1, 65536))
            chunk = os.read(fd, size)
            if not chunk:
                break
            chunks.append(chunk)
            want -= len(chunk)
            if len(chunk) == opened.st_size < size:
                break  # a regular file's whole stated size, in one short read: its end
        data = b"".join(chunks)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise _too_big(path, what, limit)
    return data


def repository_root(root: Path) -> Path:
    """The repository `root` is in: the nearest directory up from it holding `.git`, else
    `root` itself. uvmono writes nowhere outside it, nor into its `.git`."""
    real = Path(os.path.realpath(root))
    return next((d for d in (real, *real.parents) if os.path.lexists(d / ".git")), real)


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _not_regular(path: Path | str, what: str, mode: int) -> UvmonoError:
    target = Path(path).resolve()
    via = f" (it resolves to {target})" if target != Path(path).absolute() else ""
    return UvmonoError(
        f"{what} {path} is not a regular file: it is {kind_of(mode)}{via}",
        hint=f"make {path} a regular file (or a symlink to one)",
    )


def _too_big(path: Path | str, what: str, limit: int) -> UvmonoError:
    return UvmonoError(
        f"{what} {path} is larger than uvmono reads ({limit // MIB} MiB)",
        hint=f"make sure {path} is the file it should be; uvmono refuses larger ones",
    )
