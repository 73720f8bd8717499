"""The git half of `affected`, started before the workspace is read.

`start` runs `changes.resolve_changes` (rev-parse, merge-base, diff, ls-files) and, for
`--until`, the working-tree probe of `snapshot.load_at` in a thread, while the main thread
parses every pyproject.toml: git's processes run on another core and their wall time hides
behind the parsing. `EarlyChanges.take` hands the outcome to the stage that would have run
those commands, at the point it would have run them, so what a run prints, and which error
wins, stay the same:

- an error of git's (an unknown ref, no merge-base) is raised by `take`, after the
  workspace was read: a workspace error still wins;
- a fetch (a shallow clone deepened, a missing base fetched) is not done ahead: the thread
  stops, and the stage then runs everything itself, as without `start`;
- `take` answers only the question that was asked ahead: the same workspace root, refs,
  CI variables and `--on-missing-base`; otherwise the stage asks git itself.

Importing this module is cheap: `uvmono affected` calls `start` before it imports the rest.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from uvmono.changes import ChangeSet
    from uvmono.git import WorktreeProbe

_Key = tuple[Path, str, str | None, dict[str, str], str]


def worktree_pathspecs(prefix: str) -> list[str]:
    """The files `snapshot.load_at` compares with the head (`prefix`: the workspace's
    directory in the repository, "" or ending in "/")."""
    return [
        f":(top,glob){prefix}**/pyproject.toml",
        f":(top){prefix}uv.lock",
        f":(top){prefix}.python-version",
    ]


class EarlyChanges:
    """`resolve_changes` for one workspace root, running in a thread; `take` waits for it."""

    def __init__(
        self,
        root: Path,
        since: str,
        until: str | None,
        environ: Mapping[str, str],
        on_missing_base: Literal["error", "all"],
    ) -> None:
        self._key: _Key = (root, since, until, dict(environ), on_missing_base)
        self._changes: ChangeSet | None = None
        self._probe: WorktreeProbe | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="uvmono-git", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from uvmono import git
        from uvmono.changes import quick_changes, resolve_changes

        root, since, until, environ, on_missing_base = self._key
        repo = None
        try:
            quick = quick_changes(root, since, until, environ=environ)
            if quick is not None:
                changes, repo = quick
            else:
                changes = resolve_changes(
                    root,
                    since,
                    until,
                    environ=environ,
                    on_missing_base="all" if on_missing_base == "all" else "error",
                    may_fetch=False,
                )
        except git.FetchDeferred:
            return  # the stage fetches, in its turn
        except BaseException as exc:  # raised again by `take`, where the stage would raise it
            self._error = exc
            return
        self._changes = changes
        if changes.head is None:
            return
        rel = Path(os.path.relpath(root, changes.repo_root)).as_posix()
        prefix = "" if rel == "." else rel + "/"
        # On an error, `load_at` asks git again and reports it in its turn.
        with contextlib.suppress(Exception):
            self._probe = git.probe_worktree(
                changes.repo_root, changes.head, worktree_pathspecs(prefix), repo
            )

    def take(
        self,
        root: Path,
        since: str,
        until: str | None,
        environ: Mapping[str, str],
        on_missing_base: Literal["error", "all"],
    ) -> tuple[ChangeSet, WorktreeProbe | None] | None:
        """The change, and the probe of the head's working tree (None: not asked); None when
        the question asked ahead was another or needed a fetch. Raises git's error."""
        self._thread.join()
        if self._key != (root, since, until, dict(environ), on_missing_base):
            return None
        if self._error is not None:
            raise self._error
        if self._changes is None or (until is None and _cache_inside(self._changes.repo_root)):
            return None
        return self._changes, self._probe


def _cache_inside(repo_root: Path) -> bool:
    """Whether the workspace read may have written its cache file into the repository after
    the untracked files were listed ahead: then they are listed again, as before."""
    from uvmono import wscache

    return wscache.enabled() and wscache.cache_dir().resolve().is_relative_to(repo_root)


def start(
    root: Path | None,
    since: str | None,
    until: str | None,
    on_missing_base: str,
) -> EarlyChanges | None:
    """Start asking git what `affected` will ask it, for the workspace at `root` (None: the one
    holding the current directory). None when that root cannot be found: then the workspace
    read reports why, and nothing was started."""
    from uvmono import ci_env

    try:
        if root is None:
            from uvmono.discovery import find_root

            root = find_root(Path.cwd())
        root = root.resolve()
    except Exception:  # the workspace read reports it, in its turn
        return None
    mode: Literal["error", "all"] = "all" if on_missing_base == "all" else "error"
    return EarlyChanges(root, since or "auto", until, ci_env.read(root).variables, mode)
