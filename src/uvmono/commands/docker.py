"""`uvmono docker generate|commands|bake|compose`: per-member Dockerfiles, build commands, a
bake file, compose.yaml.

Each but `compose` (always every service) takes the members to handle from PACKAGE arguments,
or from `--affected --since REF` (the affected members that get an image), or else every member
that gets one. Files go through `uvmono.files`; `artifacts`, `bake_artifacts` and
`compose_artifacts` are also what `uvmono generate` writes.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePath

from uvmono import artifacts as generated
from uvmono import ci_env, files, images, selection
from uvmono import docker_plan as docker
from uvmono.ci_env import CiEnvironment
from uvmono.docker_checks import check_tag
from uvmono.errors import UvmonoError
from uvmono.plan import build_order
from uvmono.workspace import Workspace

BAKE = generated.BAKE_COMMAND
NO_IMAGES = (
    "no member gets an image: a member gets one when it has [project.scripts] or sets "
    "[tool.uvmono.docker] image = true"
)
artifacts = generated.dockerfiles
bake_artifacts = generated.bake_file
compose_artifacts = generated.compose_file
NO_SERVICES = (
    "no member gets a compose service: each member that gets an image does, unless it sets "
    "[tool.uvmono.docker] compose = false"
)


# ------------------------------------------------------------------------------- selection


def select(
    workspace: Workspace,
    filters: Sequence[str],
    *,
    affected: bool,
    since: str | None,
    info: Callable[[str], None],
    ci: CiEnvironment | None = None,
    cwd: Path | None = None,
) -> list[str]:
    """The members to handle: those the filters select (`selection.py`) that get an image,
    affected ones only with `--affected`; by default every member that gets an image. A
    member named exactly must get one."""
    if since is not None and not affected:
        raise UvmonoError("--since needs --affected", hint="pass --affected --since REF")
    variables = (ci or ci_env.read(workspace.root)).variables
    context = selection.Context(cwd or workspace.root, variables)
    chosen = selection.select(workspace, filters, context)
    docker.image_members(workspace, selection.explicit_names(filters))
    named = docker.image_members(workspace)
    if not named:
        info(f"uvmono: {NO_IMAGES}")
    elif chosen is not None:
        named = [n for n in named if n in set(chosen)]
        if not named:
            info(f"uvmono: no selected member gets an image ({', '.join(chosen) or 'none'})")
    if not affected:
        return named
    from uvmono.affected import from_git

    result = from_git(workspace, since, None, on_missing_base="error", environ=variables)
    picked = [n for n in result.affected if n in named]
    if not picked:
        info("uvmono: no affected member gets an image")
    return picked


# ------------------------------------------------------------------------------- artifacts


def bake(workspace: Workspace, names: Sequence[str]) -> list[files.Artifact]:
    """`uvmono docker bake`: the bake file of `names`; none when there are no images (`select`
    said so)."""
    return bake_artifacts(workspace, names)


def write(
    workspace: Workspace, found: Sequence[files.Artifact], *, force: bool, dry_run: bool
) -> files.WritePlan:
    if dry_run:
        return files.plan_writes(workspace.root, found, force=force)
    with files.lock(workspace.root):
        write_plan = files.plan_writes(workspace.root, found, force=force)
        files.apply(write_plan)
    return write_plan


def text(found: Sequence[files.Artifact]) -> str:
    """What `--stdout` prints: one file as it would be written, ready to pipe into the tool
    that reads it; several, each under a `==> path <==` line (as `head` prints them)."""
    if len(found) == 1:
        return files.render(found[0])
    return "\n".join(f"==> {a.path} <==\n{files.render(a)}" for a in found)


def warnings(workspace: Workspace) -> list[str]:
    """Members left without an image for lack of an entry point, and a missing uv.lock."""
    missing = docker.lock_missing(workspace)
    return images.warnings(workspace) + ([missing] if missing else [])


# -------------------------------------------------------------------------------- commands


def revision_of(workspace: Workspace, given: str | None, environ: Mapping[str, str]) -> str:
    """The REVISION label: `--revision`, else $REVISION, else the commit checked out."""
    revision = given if given is not None else environ.get("REVISION") or None
    if revision is None:
        from uvmono.git import head_commit

        revision = head_commit(workspace.root)
    if not revision:
        raise UvmonoError(
            f"no revision for the images' org.opencontainers.image.revision label: "
            f"{workspace.root} is in no git repository with a commit, and neither --revision "
            "nor $REVISION is set",
            hint='pass the revision, e.g. --revision "$(git rev-parse HEAD)"',
        )
    return revision


def requirements(workspace: Workspace, names: Sequence[str], output: Path) -> list[Path]:
    """`uvmono docker requirements`: each image's requirement lists, under `output/<member>`."""
    from uvmono import docker_requirements

    return docker_requirements.write(workspace, names, output)


def commands(
    workspace: Workspace,
    names: Sequence[str],
    *,
    cwd: Path,
    tags: Sequence[str],
    revision: str,
    lock_context: str | None = None,
) -> str:
    """`docker build` command lines, one per member, in dependency order, shell-quoted.

    Paths are relative to `cwd`, the context is the workspace root; each passes
    `--build-arg REVISION=<revision>` (see `revision_of`). With `lock_context`, a first line
    writes the members' requirement lists there (`uvmono docker requirements`) and each build
    takes its member's as the `lock` context (see `docker_requirements.py`).
    """
    if not revision.isprintable():
        raise UvmonoError(
            f"--revision {revision!r} holds a control character",
            hint="pass the commit, e.g. --revision \"$(git rev-parse HEAD)\"",
        )
    context = os.path.relpath(workspace.root, cwd)
    secrets = docker.index_secrets(workspace)
    checked_tags = [check_tag(t) for t in tags or ["latest"]]
    lines = []
    ordered = build_order(workspace, names)
    if lock_context is not None:
        if not lock_context or not lock_context.isprintable():
            raise UvmonoError(
                f"--lock-context {lock_context!r} is not a directory name",
                hint="pass a directory outside the build context, e.g. --lock-context "
                "/tmp/uvmono-lock",
            )
        lines.append(
            shlex.join(["uvmono", "docker", "requirements", "--output", lock_context, *ordered])
        )
    for name in ordered:
        image = docker.image_name(workspace, name)
        dockerfile = str(PurePath(context, docker.dockerfile_of(workspace, name)))
        words = ["docker", "build", "-f", dockerfile]
        for tag in checked_tags:
            words += ["-t", f"{image}:{tag}"]
        words += ["--build-arg", f"REVISION={revision}"]
        for secret in secrets:
            words += ["--secret", f"id={secret.id},env={secret.env}"]
        if lock_context is not None:
            words += ["--build-context", f"lock={PurePath(lock_context, name)}"]
        words.append(context)
        lines.append(shlex.join(words))
    return "".join(f"{line}\n" for line in lines)
