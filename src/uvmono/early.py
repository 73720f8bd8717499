"""The git half of `affected`, started before the workspace is read.

`start` runs `changes.resolve_changes` (rev-parse, merge-base, diff, ls-files) and, for
`--until`, the working-tree probe of `snapshot.load_at` (started as soon as rev-parse names
the head, beside the merge-base and the diff) in a forked child or a thread, while the main
thread parses every pyproject.toml: git's processes run on another core and their wall time
hides behind the parsing. `EarlyChanges.take` hands the outcome to the stage that would have run
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
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from uvmono import forking

if TYPE_CHECKING:
    import threading

    from uvmono.changes import ChangeSet
    from uvmono.errors import UvmonoError
    from uvmono.git import WorktreeProbe

_Key = tuple[Path, str, str | None, dict[str, str], str]
_Outcome = tuple["ChangeSet | None", "WorktreeProbe | None", "UvmonoError | None"]


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
        self._thread: threading.Thread | None = None
        self._child: _Child | None = None
        # A forked process rather than a thread where one can be forked: the workspace read
        # forks a reader of its own only while this process has one thread (member_files.py).
        if forking.can_fork():
            self._child = _Child.start(self._run, self._outcome)
        if self._child is None:
            import threading  # only here: a forked child needs none (about 1 ms of start-up)

            self._thread = threading.Thread(target=self._run, name="uvmono-git", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        from uvmono import git
        from uvmono.changes import quick_changes, resolve_changes

        root, since, until, environ, on_missing_base = self._key
        repo = None
        started: list[git.StartedProbe] = []

        def probe_ahead(repo_root: Path, head: str, found: git.Repository) -> None:
            # The working tree's files at the head are asked beside the merge-base and diff.
            with contextlib.suppress(Exception):  # `load_at` asks git again, in its turn
                pathspecs = worktree_pathspecs(_prefix(root, repo_root))
                started.append(git.start_probe(repo_root, head, pathspecs, found))

        try:
            quick = quick_changes(root, since, until, environ=environ, on_head=probe_ahead)
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
            _reap(started)
            return  # the stage fetches, in its turn
        except BaseException as exc:  # raised again by `take`, where the stage would raise it
            _reap(started)
            self._error = exc
            return
        self._changes = changes
        if changes.head is None:
            _reap(started)
            return
        # On an error, `load_at` asks git again and reports it in its turn.
        with contextlib.suppress(Exception):
            ahead = next((s for s in started if s.asks(changes.repo_root, changes.head)), None)
            if ahead is not None:
                started.remove(ahead)
                self._probe = ahead.result()
            else:
                self._probe = git.probe_worktree(
                    changes.repo_root,
                    changes.head,
                    worktree_pathspecs(_prefix(root, changes.repo_root)),
                    repo,
                )
        _reap(started)

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
        if self._child is not None:
            answer = self._child.take()
            self._child = None
            if answer is None:  # it failed: the stage asks git itself, in its turn
                return None
            self._changes, self._probe, self._error = answer
        elif self._thread is not None:
            self._thread.join()
        if self._key != (root, since, until, dict(environ), on_missing_base):
            return None
        if self._error is not None:
            raise self._error
        if self._changes is None or (until is None and _cache_inside(self._changes.repo_root)):
            return None
        return self._changes, self._probe


    def _outcome(self) -> _Outcome:
        """What the child sends back. It sends nothing for an error other than uvmono's: the
        stage then asks git itself and meets that error in its turn."""
        from uvmono.errors import UvmonoError

        if self._error is not None and not isinstance(self._error, UvmonoError):
            raise self._error
        return self._changes, self._probe, self._error

    def close(self) -> None:
        """Stop a child not taken from (the command failed before it asked)."""
        if self._child is not None:
            self._child.close()
            self._child = None


class _Child:
    """`run` in a forked process; `take` receives what `result` returned there, pickled."""

    def __init__(self, pid: int, read_end: int) -> None:
        self._pid = pid
        self._read_end: int | None = read_end

    @classmethod
    def start(cls, run: Callable[[], None], result: Callable[[], _Outcome]) -> _Child | None:
        try:
            read_end, write_end = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:  # the child: never returns
            status = 1
            try:
                os.close(read_end)
                run()
                data = _dumps(result())
                with os.fdopen(write_end, "wb") as out:
                    out.write(data)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        return cls(pid, read_end)

    def take(self) -> _Outcome | None:
        """What the child found (its `result`); None when it failed."""
        read_end, self._read_end = self._read_end, None
        if read_end is None:
            return None
        chunks: list[bytes] = []
        try:
            while chunk := os.read(read_end, 1 << 16):
                chunks.append(chunk)
        except OSError:
            chunks = []
        finally:
            os.close(read_end)
            with contextlib.suppress(OSError):
                os.waitpid(self._pid, 0)  # it exits once it has written
        try:  # a pickle cut short (a child that died half-way) does not load
            changes, probe, error = _loads(b"".join(chunks))
        except Exception:
            return None
        return changes, probe, error

    def close(self) -> None:
        read_end, self._read_end = self._read_end, None
        if read_end is None:
            return
        os.close(read_end)
        import signal

        with contextlib.suppress(OSError):
            os.kill(self._pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(self._pid, 0)


def _prefix(root: Path, repo_root: Path) -> str:
    """The workspace's directory in the repository: "" or ending in "/"."""
    rel = Path(os.path.relpath(root, repo_root)).as_posix()
    return "" if rel == "." else rel + "/"


def _reap(started: list[Any]) -> None:
    """Wait for probes started ahead that are not used (their answers are dropped)."""
    for probe in started:
        with contextlib.suppress(Exception):
            probe.result()


def _dumps(value: Any) -> bytes:
    """`pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)`: the C pickler pickle.dumps is,
    without importing the pickle module in the child either (its answer comes sooner)."""
    try:
        from _pickle import dumps
    except ImportError:  # an interpreter without it
        from pickle import dumps
    return dumps(value, protocol=-1)  # a negative protocol: the highest


def _loads(data: bytes) -> Any:
    """`pickle.loads`: the C unpickler pickle.loads is, without importing the pickle module
    (about 2 ms of start-up: its pure-Python pickler, struct, and more)."""
    try:
        from _pickle import loads
    except ImportError:  # an interpreter without it
        from pickle import loads
    return loads(data)


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
