"""The writer: the only code that writes into the user's repository.

Every generated file carries a header naming uvmono, the command that generates it,
and a checksum of its body. That tells three kinds of file apart:

- *generated*: header present, checksum matches the body; safe to regenerate or delete;
- *edited*: header present, checksum does not match; someone changed it by hand;
- *foreign*: no header; the user's own file.

Only generated files are overwritten or deleted without ``--force``.

Writes are atomic: each file is written to a temporary file in its own directory
(named ``.uvmono-tmp-*``, see `TEMP_PREFIX`), flushed to disk, then renamed over the
target. A run killed at any point leaves every target either old or new, never half
written; at most the temporary file of the one write in progress is left behind, and
the next `plan_writes` deletes such leftovers (so two runs must not write into the same
directories at the same time).
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from uvmono.errors import UvmonoError

TEMP_PREFIX = ".uvmono-tmp-"
"""Names of the temporary files `apply` writes; leftovers of a killed run are safe to delete."""

NEW_FILE_MODE = 0o644

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
            changes.append(Change(artifact.path, "update", text))
        elif force:
            changes.append(Change(artifact.path, "overwrite", text))
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
            changes.append(Change(path, "delete", None))
        else:
            warnings.append(_kept_warning(path, origin))

    for leftover in _leftover_temp_files(root, paths):
        changes.append(Change(leftover, "delete", None))

    return WritePlan(
        root=root,
        changes=tuple(sorted(changes, key=lambda change: change.path)),
        warnings=tuple(warnings),
    )


def apply(plan: WritePlan) -> None:
    """Carry out `plan`; each file is replaced atomically, keeping its permissions.

    Raises `UvmonoError` naming the path on the first failure; files already written
    by then are complete, and no temporary file is left behind.
    """
    for change in plan.changes:
        target = plan.root / change.path
        try:
            if change.action == "delete":
                target.unlink(missing_ok=True)
            elif change.text is not None:
                write_atomically(target, change.text.encode())
        except OSError as error:
            verb = "delete" if change.action == "delete" else "write"
            directory = PurePosixPath(change.path).parent.as_posix()
            raise UvmonoError(
                f"could not {verb} {change.path}: {error.strerror or error}",
                hint=f"make sure {directory!r} under the workspace root is a writable directory, "
                "then run again; files written before this one are complete",
            ) from error


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
    """The bytes at `path`, or None when nothing is there."""
    target = root / path
    try:
        return target.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise UvmonoError(
            f"{path} exists and is a directory", hint="move it away; uvmono writes a file there"
        ) from None
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


def _leftover_temp_files(root: Path, paths: Sequence[str]) -> list[str]:
    """Temporary files a killed run left in the directories `apply` writes into."""
    directories = sorted({PurePosixPath(path).parent for path in paths})
    leftovers: list[str] = []
    for directory in directories:
        # Housekeeping only: a directory we cannot list fails clearly when written to.
        with contextlib.suppress(OSError):
            leftovers.extend(
                (directory / entry.name).as_posix()
                for entry in os.scandir(root / directory)
                if entry.name.startswith(TEMP_PREFIX) and entry.is_file(follow_symlinks=False)
            )
    return leftovers


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `target`, then rename it over `target`.

    The file keeps its mode (a new one gets NEW_FILE_MODE); an interruption leaves it old or
    new, never partial. Raises OSError.
    """
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = NEW_FILE_MODE
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=target.parent)
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            # On disk before the rename, so a crash cannot leave the new name on empty data.
            os.fsync(file.fileno())
        temp.chmod(mode)
        temp.replace(target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


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
