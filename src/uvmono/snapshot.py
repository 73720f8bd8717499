"""The workspace as it is in a commit, for `--until REF`: nothing then comes from the working tree.

The files workspace discovery reads (every pyproject.toml, uv.lock, .python-version) are copied
out of git into a temporary directory, with the symlinks that stay inside the workspace (a member
directory reached through one), and an empty stand-in file in every other directory that
holds files, so that uv's "a matched directory without pyproject.toml" rule sees the same tree.
Tracked files are never git-ignored, so a stand-in is a faithful witness.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path, PurePosixPath

from uvmono import git
from uvmono.early import worktree_pathspecs
from uvmono.errors import UvmonoError
from uvmono.records import replace
from uvmono.workspace import LOCKFILE, PYPROJECT, Workspace, load

READ = frozenset({PYPROJECT, LOCKFILE, ".python-version"})
STAND_IN = "uvmono-stand-in"


def load_at(
    workspace: Workspace, repo_root: Path, rev: str, probe: git.WorktreeProbe | None = None
) -> Workspace:
    """`workspace` (read from the working tree) as it is in `rev`; itself if they agree.
    `probe`: git's answers about the working tree, asked ahead (`early.py`)."""
    prefix = Path(os.path.relpath(workspace.root, repo_root)).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    specs = worktree_pathspecs(prefix)
    pyprojects = [
        posixpath.normpath(f"{prefix}{m.path}/{PYPROJECT}") for m in workspace.members.values()
    ]
    if git.worktree_matches(repo_root, rev, specs, pyprojects, probe):
        return workspace
    import tempfile  # only here: it imports random, shutil and more

    with tempfile.TemporaryDirectory(prefix="uvmono-snapshot-") as tmp:
        copy = Path(tmp)
        _materialize(repo_root, rev, prefix, copy)
        label = f"{workspace.root} at {rev}"
        try:
            at_rev = load(copy, cache=False)  # a temporary copy: nothing to keep
        except UvmonoError as exc:
            raise UvmonoError(exc.message.replace(str(copy), label), exc.hint) from None
        warnings = tuple(w.replace(str(copy), label) for w in at_rev.warnings)
    # Discovery read the lock at `rev` where member edges need it (`edge_lock`).
    return replace(at_rev, root=workspace.root, warnings=warnings)


def _materialize(repo_root: Path, rev: str, prefix: str, into: Path) -> None:
    linked = _link(git.tree_symlinks(repo_root, rev, prefix), prefix, into)
    for path in git.tree_files(repo_root, rev, prefix):
        if path in linked:
            continue
        rel = PurePosixPath(path[len(prefix) :])
        target = into.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        if rel.name in READ:
            data = git.read_file_at(repo_root, rev, path)
            target.write_bytes(data or b"")
        else:
            (target.parent / STAND_IN).touch()


def _link(links: dict[str, str], prefix: str, into: Path) -> set[str]:
    """Recreate the symlinks that stay inside the workspace (a member reached through one);
    the paths recreated. One that leads out of it, or is absolute, is read as a file."""
    linked: set[str] = set()
    for path, target in links.items():
        rel = PurePosixPath(path[len(prefix) :])
        resolved = posixpath.normpath(posixpath.join(rel.parent.as_posix(), target))
        if posixpath.isabs(target) or resolved == ".." or resolved.startswith("../"):
            continue
        link = into.joinpath(*rel.parts)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target)
        linked.add(path)
    return linked
