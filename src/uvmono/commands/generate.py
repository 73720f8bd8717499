"""`uvmono generate` and `uvmono check`: every artifact `[tool.uvmono] generate` asks for.

All artifacts go through one `files.plan_writes`, so a single file that cannot be overwritten
stops the whole run before anything is written. Files that uvmono generated earlier but the
configuration no longer asks for (a member that lost its image, a CI system dropped from
`generate`) are pruned: deleted if nobody edited them, otherwise left with a warning.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from pathlib import Path

from uvmono import files
from uvmono.artifacts import BAKE_FILE, PROVIDERS, requested
from uvmono.ci_env import CiEnvironment
from uvmono.errors import UvmonoError
from uvmono.plan import dockerfile_path
from uvmono.workspace import Workspace

__all__ = ["BAKE_FILE", "GENERATED_MARKER", "PROVIDERS", "artifacts"]

GENERATED_MARKER = b"uvmono-checksum: sha256:"
"""What `files.render` puts in the header of every file it writes."""

_HEAD_BYTES = 4096  # the header sits above the body, after at most a few parser directives


def artifacts(workspace: Workspace, ci: CiEnvironment | None = None) -> list[files.Artifact]:
    """Every artifact the configuration asks for, sorted by path."""
    return requested(workspace, ci)


def known_locations(workspace: Workspace) -> list[str]:
    """Every path where some configuration would make uvmono write a file."""
    ci = workspace.settings.ci
    paths = {BAKE_FILE, ci.github_workflow, ci.gitlab_file}
    for member in workspace.members.values():
        dockerfile = dockerfile_path(member)
        paths.update((dockerfile, f"{dockerfile}.dockerignore"))
    return sorted(paths)


def prune_candidates(workspace: Workspace, generated: Collection[str]) -> list[str]:
    """Files uvmono wrote at a known location that the configuration no longer asks for.

    Only files with uvmono's header: a user's own Dockerfile next to a member that gets no
    image is none of uvmono's business, not even for a warning.
    """
    return [
        path
        for path in known_locations(workspace)
        if path not in generated and _has_uvmono_header(workspace.root, path)
    ]


def plan(
    workspace: Workspace, *, force: bool = False, ci: CiEnvironment | None = None
) -> files.WritePlan:
    """What `generate` would write and delete; raises before writing if a file is refused."""
    wanted = artifacts(workspace, ci)
    generated = {artifact.path for artifact in wanted}
    return files.plan_writes(
        workspace.root, wanted, force=force, prune=prune_candidates(workspace, generated)
    )


def run(
    workspace: Workspace, *, force: bool, dry_run: bool, ci: CiEnvironment | None = None
) -> files.WritePlan:
    """`uvmono generate`: plan every artifact, then write them unless `dry_run`."""
    if dry_run:
        return plan(workspace, force=force, ci=ci)
    with files.lock(workspace.root):
        write_plan = plan(workspace, force=force, ci=ci)
        files.apply(write_plan)
    return write_plan


def report(write_plan: files.WritePlan, *, dry_run: bool) -> str:
    """One line per file: every file for a dry run, only the files that changed otherwise."""
    lines = [
        line
        for change, line in zip(write_plan.changes, write_plan.describe(), strict=True)
        if dry_run or change.action != "unchanged"
    ]
    return "".join(f"{line}\n" for line in lines)


def stale(workspace: Workspace, ci: CiEnvironment | None = None) -> list[str]:
    """`uvmono check`: by path, a unified diff for each file `generate` would write or delete."""
    wanted = artifacts(workspace, ci)
    diffs = files.check(workspace.root, wanted)
    candidates = prune_candidates(workspace, {artifact.path for artifact in wanted})
    prunable = files.plan_writes(workspace.root, [], prune=candidates)
    diffs.extend(
        _deletion_diff(workspace.root, change.path)
        for change in prunable.changes
        if change.action == "delete"
    )
    # Each diff starts with "--- a/PATH\n" (and "\n" sorts before any character of a path),
    # so this orders them by path.
    return sorted(diffs)


def _has_uvmono_header(root: Path, path: str) -> bool:
    try:
        existing = files.read_generated(root, path)
    except UvmonoError:  # a symlink, a directory, unreadable: nothing uvmono could prune
        return False
    return existing is not None and GENERATED_MARKER in existing[:_HEAD_BYTES]


def _deletion_diff(root: Path, path: str) -> str:
    text = (files.read_generated(root, path) or b"").decode("utf-8", errors="replace")
    # Split after "\n" only: `str.splitlines` also splits on form feeds.
    *complete, last = text.split("\n")
    lines = [line + "\n" for line in complete] + ([last + "\n"] if last else [])
    return "".join(difflib.unified_diff(lines, [], fromfile=f"a/{path}", tofile=f"b/{path}"))
