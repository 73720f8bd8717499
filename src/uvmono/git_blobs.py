"""Git blob ids of a work tree's files: what the fingerprints hash (cheap on a clean checkout,
where git's index already holds them)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from uvmono.errors import UvmonoError
from uvmono.git import _execute, _split_z


def worktree_blobs(
    root: Path, skip_untracked: Callable[[str], bool] = lambda path: False
) -> dict[str, str] | None:
    """Every file under `root` that git does not ignore -> `<mode> <blob id>`, paths relative
    to `root`; None outside a work tree. Tracked files that match the index cost nothing but
    `git ls-files` (the index holds their ids, which on a clean checkout are the commit's);
    modified and untracked files are hashed as `git hash-object` would, but for untracked ones
    `skip_untracked` refuses."""
    listing = _execute(str(root), ("git", "ls-files", "--stage", "-z", "--", "."))
    if listing.status != 0:
        return None
    blobs: dict[str, str] = {}
    for record in _split_z(listing.stdout):
        meta, _, path = record.partition("\t")
        mode, blob, _stage = meta.split(" ")
        blobs[path] = f"{mode} {blob}"
    dirty = _execute(
        str(root),
        ("git", "ls-files", "-z", "--modified", "--others", "--exclude-standard", "--", "."),
    )
    if dirty.status != 0:
        raise UvmonoError(
            f"git ls-files failed in {root}: {dirty.error}",
            hint="run git status there to see what is wrong with the repository",
        )
    for path in dict.fromkeys(_split_z(dirty.stdout)):
        if path not in blobs and skip_untracked(path):
            continue
        entry = blob_entry(root / path)
        if entry is None:
            blobs.pop(path, None)  # deleted in the work tree
        else:
            blobs[path] = entry
    return blobs


def blob_entry(path: Path) -> str | None:
    """`<mode> <blob id>` of a file as git would store it (None: no such file)."""
    import hashlib
    import stat

    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            mode, data = "120000", os.fsencode(path.readlink())
        elif stat.S_ISREG(info.st_mode):
            mode = "100755" if info.st_mode & 0o111 else "100644"
            data = path.read_bytes()
        else:
            return None  # a directory (an untracked nested repository) or a special file
    except FileNotFoundError:
        return None
    blob = hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()
    return f"{mode} {blob}"
