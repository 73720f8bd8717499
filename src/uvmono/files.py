"""The writer: the only code that writes into the user's repository.

Every generated file carries a header naming uvmono, the command that generates it,
and a checksum of its body. That tells three kinds of file apart:

- *generated*: header present, checksum matches the body; safe to regenerate or delete;
- *edited*: header present, checksum does not match; someone changed it by hand;
- *foreign*: no header; the user's own file.

Only generated files are overwritten or deleted without ``--force``.

Writes are all-or-nothing. `plan_writes` reads every target first, without following a
symlink at a generated path, and refuses (with `--force` too) a target whose real directory is
outside the repository or inside `.git/`. `apply` then writes every new file to a temporary file
beside its target (a fresh name, created exclusively, see `TEMP_PREFIX`) and flushes it to disk;
only when all are written does it rename them over their targets. A failure, SIGINT or SIGTERM
at any point before the last rename puts back every file already replaced and removes what it
created. Only SIGKILL can stop a run halfway: each target is then still old or new, never half
written, and the temporary files of that run are left for the user to delete (uvmono never
deletes a file it did not create in that same run).
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import os
import re
import secrets
import signal
import stat
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from uvmono.errors import UvmonoError
from uvmono.regular import MIB, kind_of, repository_root

TEMP_PREFIX = ".uvmono-tmp-"
"""Start of the temporary files `apply` writes: then the process id and 16 random hex digits."""

NEW_FILE_MODE = 0o644
GENERATED_LIMIT = 64 * MIB
"""The largest file uvmono reads at a path it generates (its own files are far smaller)."""

_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_SIGNALS = {signal.SIGINT, signal.SIGTERM}

Syntax = Literal["hash", "json"]
Action = Literal["create", "update", "unchanged", "overwrite", "delete"]
Origin = Literal["generated", "edited", "foreign"]

_CHECKSUM_MARK = "uvmono-checksum: sha256:"
_CHECKSUM = re.compile(re.escape(_CHECKSUM_MARK) + r"([0-9a-f]{64})")
_HEADER_LINES = 4  # three comment lines and a blank line
# BuildKit only honours parser directives (`# syntax=...`) above every comment, so
# they stay above the header. Same pattern as BuildKit's parser, limited to the
# directives it knows.
_DOCKERFILE_DIRECTIVE = re.compile(r"#[ \t]*(?i:syntax|escape|check)[ \t]*=[ \t]*\S.*\n")

_NOT_GENERATED_HINT = "move it away, or pass --force to overwrite it"
_EDITED_HINT = (
    "move your changes into [tool.uvmono] in pyproject.toml, or pass --force to overwrite them"
)


@dataclass(frozen=True)
class Artifact:
    """One file uvmono generates: where it goes, what it holds, which command makes it."""

    path: str
    """POSIX path relative to the workspace root, e.g. ``services/api/Dockerfile``."""
    body: str
    """The generated content without the header; ends with a newline."""
    command: str
    """The uvmono command that generates it, e.g. ``uvmono docker generate``."""
    syntax: Syntax
    """``hash``: header of ``#`` comments. ``json``: body is a JSON object; the header is
    its first key, ``"//"``, which HCL's JSON syntax (and so ``docker buildx bake``)
    ignores as a comment."""

    def __post_init__(self) -> None:
        _check_relative_path(self.path)
        if not self.body.endswith("\n") or "\r" in self.body:
            raise ValueError(f"body of {self.path} must use '\\n' newlines and end with one")


@dataclass(frozen=True)
class Change:
    """What `apply` does to one path."""

    path: str
    action: Action
    text: str | None
    """The full file text to write; None for ``unchanged`` and ``delete``."""
    previous: bytes | None = field(default=None, repr=False, compare=False)
    """What is there now (None: nothing), put back if the pass fails."""


@dataclass(frozen=True)
class WritePlan:
    """Everything `apply` will do, decided before anything is written."""

    root: Path
    changes: tuple[Change, ...]
    warnings: tuple[str, ...]

    def describe(self) -> list[str]:
        """One line per path, e.g. ``create services/api/Dockerfile``, for ``--dry-run``."""
        return [f"{change.action} {change.path}" for change in self.changes]


def render(artifact: Artifact) -> str:
    """The full text of the file: header and body."""
    if artifact.syntax == "json":
        body_object = _parse_json_body(artifact)
        body = _dump_json(body_object)
        marker = " ".join([*_header_sentences(artifact.command), _CHECKSUM_MARK + _sha256(body)])
        return _dump_json({"//": marker, **body_object})
    directives, rest = _split_directives(artifact.body)
    header = "".join(f"# {line}\n" for line in _header_sentences(artifact.command))
    return f"{directives}{header}# {_CHECKSUM_MARK}{_sha256(artifact.body)}\n\n{rest}"


def plan_writes(
    root: Path,
    artifacts: Sequence[Artifact],
    *,
    force: bool = False,
    prune: Sequence[str] = (),
) -> WritePlan:
    """Decide what to do with every artifact, and with every path in `prune`.

    `prune` names files the configuration no longer asks for: they are deleted when
    uvmono generated them and nobody edited them since, and otherwise left in place
    with a warning. Raises `UvmonoError`, before anything is written, when an artifact
    would overwrite a file uvmono did not generate or one edited by hand, unless `force`.
    """
    paths = [artifact.path for artifact in artifacts]
    _check_unique(paths)
    for path in prune:
        _check_relative_path(path)
        if path in paths:
            raise ValueError(f"{path} is both generated and pruned")

    changes: list[Change] = []
    refusals: list[tuple[str, Origin]] = []
    for artifact in artifacts:
        text = render(artifact)
        existing = _read(root, artifact.path)
        if existing is None:
            changes.append(Change(artifact.path, "create", text))
            continue
        if existing == text.encode():
            changes.append(Change(artifact.path, "unchanged", None))
            continue
        origin = _origin(existing)
        if origin == "generated":
            changes.append(Change(artifact.path, "update", text, existing))
        elif force:
            changes.append(Change(artifact.path, "overwrite", text, existing))
        else:
            refusals.append((artifact.path, origin))
    if refusals:
        raise _refusal_error(sorted(refusals))

    warnings: list[str] = []
    for path in sorted(set(prune)):
        existing = _read(root, path)
        if existing is None:
            continue
        origin = _origin(existing)
        if origin == "generated":
            changes.append(Change(path, "delete", None, existing))
        else:
            warnings.append(_kept_warning(path, origin))

    return WritePlan(
        root=root,
        changes=tuple(sorted(changes, key=lambda change: change.path)),
        warnings=tuple(warnings),
    )


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
    fd = os.open(root, os.O_RDONLY | _O_CLOEXEC)
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


@dataclass
class _Staged:
    change: Change
    directory: int  # descriptor of the target's real parent directory
    name: str
    mode: int
    temp: str | None  # the temporary file holding the new text, until it is renamed


def _stage(root: Path, change: Change, created: list[Path]) -> _Staged:
    """Check the target again and write its new text to a temporary file beside it."""
    real = _real_parent(root, change.path)
    if change.action != "delete":
        _make_directories(real, created)
    directory = os.open(real, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
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
            raise _not_a_file(change.path, info.st_mode)
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
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC
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


def check(root: Path, artifacts: Sequence[Artifact]) -> list[str]:
    """Unified diffs, on-disk to generated, for each missing or stale artifact; [] if none."""
    _check_unique([artifact.path for artifact in artifacts])
    diffs: list[str] = []
    for artifact in sorted(artifacts, key=lambda artifact: artifact.path):
        expected = render(artifact)
        existing = _read(root, artifact.path)
        if existing == expected.encode():
            continue
        current = "" if existing is None else existing.decode("utf-8", errors="replace")
        diffs.append(_unified_diff(artifact.path, current, expected))
    return diffs


def _header_sentences(command: str) -> tuple[str, str]:
    return (
        f"Generated by uvmono with `{command}`; do not edit by hand.",
        f"To change it, edit [tool.uvmono] in pyproject.toml and re-run `{command}`.",
    )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _dump_json(value: dict[str, object]) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def _parse_json_body(artifact: Artifact) -> dict[str, object]:
    body_object = json.loads(artifact.body)
    if not isinstance(body_object, dict) or "//" in body_object:
        raise ValueError(f"body of {artifact.path} must be a JSON object without a '//' key")
    return body_object


def _split_directives(body: str) -> tuple[str, str]:
    """Split `body` into its leading Dockerfile parser directives and the rest."""
    end = 0
    while match := _DOCKERFILE_DIRECTIVE.match(body, end):
        end = match.end()
    return body[:end], body[end:]


def _origin(existing: bytes) -> Origin:
    # CRLF line endings (a git checkout with autocrlf) do not make a generated file foreign.
    text = existing.decode("utf-8", errors="replace").replace("\r\n", "\n")
    parsed = _parse_hash_file(text) or _parse_json_file(text)
    if parsed is not None:
        body, checksum = parsed
        if _sha256(body) == checksum:
            return "generated"
    # A header we cannot parse any more was still written by uvmono and then edited.
    return "edited" if _CHECKSUM_MARK in text else "foreign"


def _parse_hash_file(text: str) -> tuple[str, str] | None:
    """The body and recorded checksum of a file `render` wrote with ``#`` comments."""
    directives, rest = _split_directives(text)
    header = rest.split("\n", _HEADER_LINES)
    if len(header) <= _HEADER_LINES or not header[0].startswith("# Generated by uvmono"):
        return None
    checksum = _CHECKSUM.fullmatch(header[2].removeprefix("# "))
    if checksum is None or header[3] != "":
        return None
    return directives + header[_HEADER_LINES], checksum.group(1)


def _parse_json_file(text: str) -> tuple[str, str] | None:
    """The normalized body and recorded checksum of a JSON file `render` wrote."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(value, dict):
        return None
    marker = value.pop("//", None)
    if not isinstance(marker, str) or not marker.startswith("Generated by uvmono"):
        return None
    checksum = _CHECKSUM.search(marker)
    if checksum is None:
        return None
    return _dump_json(value), checksum.group(1)


def _check_relative_path(path: str) -> None:
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


def _check_unique(paths: Sequence[str]) -> None:
    seen: set[str] = set()
    for path in paths:
        if path in seen:
            raise UvmonoError(
                f"{path} would be generated twice",
                hint="give each member its own path in [tool.uvmono] in pyproject.toml",
            )
        seen.add(path)


def _read(root: Path, path: str) -> bytes | None:
    """The bytes at `path`, or None when nothing is there; never through a symlink there."""
    target = _real_parent(root, path) / PurePosixPath(path).name
    try:
        info = os.lstat(target)
        if not stat.S_ISREG(info.st_mode):
            raise _not_a_file(path, info.st_mode)
        if info.st_size > GENERATED_LIMIT:
            raise _too_big(path)
        # O_NOFOLLOW and O_NONBLOCK: no symlink or FIFO put there since the lstat is opened.
        fd = os.open(target, os.O_RDONLY | _O_NOFOLLOW | os.O_NONBLOCK | _O_CLOEXEC)
        with os.fdopen(fd, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise _not_a_file(path, os.fstat(file.fileno()).st_mode)
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
    _check_relative_path(path)
    return _read(root, path)


def _real_parent(root: Path, path: str) -> Path:
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


def _not_a_file(path: str, mode: int) -> UvmonoError:
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


def _refusal_error(refusals: Sequence[tuple[str, Origin]]) -> UvmonoError:
    path, origin = refusals[0]
    if origin == "edited":
        message, hint = f"{path} was edited by hand since uvmono generated it", _EDITED_HINT
    else:
        message, hint = f"{path} exists and was not generated by uvmono", _NOT_GENERATED_HINT
    others = [other for other, _ in refusals[1:]]
    if others:
        message += f" (nor can {len(others)} more be overwritten: {', '.join(others)})"
    return UvmonoError(message, hint=hint)


def _kept_warning(path: str, origin: Origin) -> str:
    if origin == "edited":
        return f"{path} is no longer generated, but was edited by hand; left in place"
    return f"{path} is no longer generated, but was not generated by uvmono; left in place"


def write_atomically(target: Path, data: bytes) -> None:
    """Replace the regular file `target` (or create it) with `data`: a temporary file beside
    it, on disk, renamed over it. It keeps its mode (a new one gets NEW_FILE_MODE); an
    interruption leaves it old or new. A symlink at `target` is replaced, not followed:
    resolve it first to write where it points. Raises OSError."""
    target.parent.mkdir(parents=True, exist_ok=True)
    directory = os.open(target.parent, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
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


def _unified_diff(path: str, current: str, expected: str) -> str:
    lines = difflib.unified_diff(
        _lines(current),
        _lines(expected),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def _lines(text: str) -> list[str]:
    """`text` split after each "\\n" only; `str.splitlines` also splits on form feeds."""
    *complete, last = text.split("\n")
    return [line + "\n" for line in complete] + ([last] if last else [])
