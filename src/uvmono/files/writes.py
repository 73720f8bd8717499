"""Writing, all or nothing: every new file staged beside its target, then all renamed into place;
on a failure or a signal, everything put back. Also the workspace's write lock."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import stat
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from uvmono.errors import UvmonoError
from uvmono.files.reads import O_CLOEXEC, O_NOFOLLOW, not_a_file, real_parent
from uvmono.records import record

if TYPE_CHECKING:
    from uvmono.files.plan import Change, WritePlan

TEMP_PREFIX = ".uvmono-tmp-"
"""Start of the temporary files `apply` writes: then the process id and 16 random hex digits."""

NEW_FILE_MODE = 0o644

_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def apply(plan: WritePlan) -> None:
    """Carry out `plan`, all or nothing; each file keeps its permissions.

    Every new file is first written beside its target; then all are renamed into place. On an
    error, SIGINT or SIGTERM before the last rename, every file already replaced is put back and
    every temporary file and new directory removed; then raises `UvmonoError` naming the path
    (or KeyboardInterrupt for a signal).
    """
    staged: list[_Staged] = []
    created: list[Path] = []
    done: list[_Staged] = []
    current = ""
    with _deferred_signals() as interrupted:
        try:
            for change in plan.changes:
                if change.action == "unchanged":
                    continue
                current = change.path
                staged.append(_stage(plan.root, change, created))
                interrupted()
            for item in staged:
                current = item.change.path
                _commit(item)
                done.append(item)
                interrupted()
        except BaseException as error:
            unrestored = _roll_back(done, created)
            _discard(staged)
            if not isinstance(error, OSError):
                raise
            raise _write_error(current, plan, error, unrestored) from error
        finally:
            for item in staged:
                os.close(item.directory)


@contextlib.contextmanager
def lock(root: Path) -> Iterator[None]:
    """Hold the workspace's write lock: one uvmono at a time writes into `root`.

    The lock is `flock` on the workspace root directory itself, so it leaves no file behind
    and a killed run cannot leave it held. Where flock does not exist, nothing is locked.
    """
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    fd = os.open(root, os.O_RDONLY | O_CLOEXEC)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UvmonoError(
                f"another uvmono generate is running in {root}",
                hint="wait until it finishes, then run again",
            ) from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


@record(frozen=False)
class _Staged:
    change: Change
    directory: int  # descriptor of the target's real parent directory
    name: str
    mode: int
    temp: str | None  # the temporary file holding the new text, until it is renamed


def _stage(root: Path, change: Change, created: list[Path]) -> _Staged:
    """Check the target again and write its new text to a temporary file beside it."""
    real = real_parent(root, change.path)
    if change.action != "delete":
        _make_directories(real, created)
    directory = os.open(real, os.O_RDONLY | _O_DIRECTORY | O_CLOEXEC)
    name = PurePosixPath(change.path).name
    item = _Staged(change, directory, name, NEW_FILE_MODE, None)
    try:
        info = os.stat(name, dir_fd=directory, follow_symlinks=False)
    except FileNotFoundError:
        info = None
    except BaseException:
        os.close(directory)
        raise
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            os.close(directory)
            raise not_a_file(change.path, info.st_mode)
        item.mode = stat.S_IMODE(info.st_mode)
    if change.text is not None:
        try:
            item.temp = _write_temp(directory, change.text.encode(), item.mode)
        except BaseException:
            os.close(directory)
            raise
    return item


def _commit(item: _Staged) -> None:
    if item.temp is None:
        with contextlib.suppress(FileNotFoundError):  # already gone is deleted
            os.unlink(item.name, dir_fd=item.directory)
    else:
        os.replace(item.temp, item.name, src_dir_fd=item.directory, dst_dir_fd=item.directory)
        item.temp = None


def _roll_back(done: Sequence[_Staged], created: Sequence[Path]) -> list[str]:
    """Put back what `done` replaced, newest first; the paths that could not be put back."""
    unrestored: list[str] = []
    for item in reversed(done):
        previous = item.change.previous
        try:
            if previous is None:
                os.unlink(item.name, dir_fd=item.directory)
            else:
                temp = _write_temp(item.directory, previous, item.mode)
                os.replace(temp, item.name, src_dir_fd=item.directory, dst_dir_fd=item.directory)
        except OSError:
            unrestored.append(item.change.path)
    for directory in reversed(created):
        with contextlib.suppress(OSError):  # not empty: something else was put there
            directory.rmdir()
    return sorted(unrestored)


def _discard(staged: Sequence[_Staged]) -> None:
    for item in staged:
        if item.temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(item.temp, dir_fd=item.directory)
            item.temp = None


def _write_temp(directory: int, data: bytes, mode: int) -> str:
    """A new file in `directory` holding `data`, on disk; its name. Never opens an existing one."""
    name = f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(8)}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW | O_CLOEXEC
    fd = os.open(name, flags, 0o600, dir_fd=directory)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            # On disk before the rename, so a crash cannot leave the new name on empty data.
            os.fsync(file.fileno())
            os.fchmod(file.fileno(), mode)
    except BaseException:
        os.unlink(name, dir_fd=directory)
        raise
    return name


def _make_directories(real: Path, created: list[Path]) -> None:
    """Create `real` (already resolved, so no symlink is on its way) and its missing parents."""
    missing: list[Path] = []
    directory = real
    while not os.path.lexists(directory):
        missing.append(directory)
        directory = directory.parent
    for directory in reversed(missing):
        directory.mkdir()
        created.append(directory)


@contextlib.contextmanager
def _deferred_signals() -> Iterator[Callable[[], None]]:
    """Hold SIGINT and SIGTERM back while writing; yields a check that raises
    KeyboardInterrupt once one arrived, at a point where the pass can be rolled back."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not (
        threading.main_thread()
    ):

        def never() -> None:
            return None

        yield never
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)

    def interrupted() -> None:
        pending = signal.sigpending() & _SIGNALS
        if pending:
            signal.sigwait(pending)  # consume it: the interrupt is raised here, once
            raise KeyboardInterrupt

    try:
        yield interrupted
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _write_error(
    path: str, plan: WritePlan, error: OSError, unrestored: Sequence[str]
) -> UvmonoError:
    directory = PurePosixPath(path).parent.as_posix()
    verb = next(
        ("delete" for change in plan.changes if change.path == path and change.action == "delete"),
        "write",
    )
    if unrestored:
        outcome = f"could not put back {', '.join(unrestored)}: restore them with git"
    else:
        outcome = "nothing was changed"
    return UvmonoError(
        f"could not {verb} {path}: {error.strerror or error}; {outcome}",
        hint=f"make sure {directory!r} under the workspace root is a writable directory "
        "with free space, then run again",
    )


def write_atomically(target: Path, data: bytes) -> None:
    """Replace the regular file `target` (or create it) with `data`: a temporary file beside
    it, on disk, renamed over it. It keeps its mode (a new one gets NEW_FILE_MODE); an
    interruption leaves it old or new. A symlink at `target` is replaced, not followed:
    resolve it first to write where it points. Raises OSError."""
    target.parent.mkdir(parents=True, exist_ok=True)
    directory = os.open(target.parent, os.O_RDONLY | _O_DIRECTORY | O_CLOEXEC)
    try:
        try:
            mode = stat.S_IMODE(os.stat(target.name, dir_fd=directory).st_mode)
        except FileNotFoundError:
            mode = NEW_FILE_MODE
        temp = _write_temp(directory, data, mode)
        try:
            os.replace(temp, target.name, src_dir_fd=directory, dst_dir_fd=directory)
        except BaseException:
            os.unlink(temp, dir_fd=directory)
            raise
    finally:
        os.close(directory)
