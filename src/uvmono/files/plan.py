"""What a pass of the writer does: each artifact's full text, and for each path whether to create,
update, leave, overwrite or delete it, decided before anything is written; and check mode's
diffs."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from uvmono.errors import UvmonoError
from uvmono.files.header import Origin, Syntax, with_header
from uvmono.files.header import origin as origin_of
from uvmono.files.reads import check_relative_path, check_unique, read
from uvmono.records import field, record

Action = Literal["create", "update", "unchanged", "overwrite", "delete"]

_NOT_GENERATED_HINT = "move it away, or pass --force to overwrite it"
_EDITED_HINT = (
    "move your changes into [tool.uvmono] in pyproject.toml, or pass --force to overwrite them"
)


@record
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
        check_relative_path(self.path)
        if not self.body.endswith("\n") or "\r" in self.body:
            raise ValueError(f"body of {self.path} must use '\\n' newlines and end with one")


@record
class Change:
    """What `apply` does to one path."""

    path: str
    action: Action
    text: str | None
    """The full file text to write; None for ``unchanged`` and ``delete``."""
    previous: bytes | None = field(default=None, repr=False, compare=False)
    """What is there now (None: nothing), put back if the pass fails."""


@record
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
    return with_header(artifact.path, artifact.body, artifact.command, artifact.syntax)


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
    check_unique(paths)
    for path in prune:
        check_relative_path(path)
        if path in paths:
            raise ValueError(f"{path} is both generated and pruned")

    changes: list[Change] = []
    refusals: list[tuple[str, Origin]] = []
    for artifact in artifacts:
        text = render(artifact)
        existing = read(root, artifact.path)
        if existing is None:
            changes.append(Change(artifact.path, "create", text))
            continue
        if existing == text.encode():
            changes.append(Change(artifact.path, "unchanged", None))
            continue
        origin = origin_of(existing)
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
        existing = read(root, path)
        if existing is None:
            continue
        origin = origin_of(existing)
        if origin == "generated":
            changes.append(Change(path, "delete", None, existing))
        else:
            warnings.append(_kept_warning(path, origin))

    return WritePlan(
        root=root,
        changes=tuple(sorted(changes, key=lambda change: change.path)),
        warnings=tuple(warnings),
    )


def check(root: Path, artifacts: Sequence[Artifact]) -> list[str]:
    """Unified diffs, on-disk to generated, for each missing or stale artifact; [] if none."""
    check_unique([artifact.path for artifact in artifacts])
    diffs: list[str] = []
    for artifact in sorted(artifacts, key=lambda artifact: artifact.path):
        expected = render(artifact)
        existing = read(root, artifact.path)
        if existing == expected.encode():
            continue
        current = "" if existing is None else existing.decode("utf-8", errors="replace")
        diffs.append(_unified_diff(artifact.path, current, expected))
    return diffs


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
