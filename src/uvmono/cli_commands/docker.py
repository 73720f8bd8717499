"""`docker generate`, `docker commands`, `docker bake` and `docker compose`: per-member images."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from uvmono.cli_commands.apps import (
    DryRunOption,
    FilterOption,
    ForceOption,
    all_filters,
    docker_app,
    examples,
)
from uvmono.console import handled, info, load_workspace, read_ci, say, warn

PackagesArgument = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="[FILTER]...",
        help="Members to handle (filters, as --filter; of those selected, the ones that get "
        "an image).  [default: every member that gets an image]",
    ),
]
AffectedOption = Annotated[
    bool, typer.Option("--affected", help="Only the members a git change affects (see --since).")
]
DockerSinceOption = Annotated[
    str | None,
    typer.Option(
        help="With --affected: the base ref (compared at its merge-base), or `auto`.  "
        "[default: auto]"
    ),
]


def _docker_selection(
    filters: list[str], affected: bool, since: str | None
) -> Any:
    from uvmono.commands import docker as cmd

    workspace = load_workspace()
    for message in cmd.warnings(workspace):
        warn(message)
    names = cmd.select(
        workspace,
        filters,
        affected=affected,
        since=since,
        info=info,
        ci=read_ci(workspace),
        cwd=Path.cwd(),
    )
    return workspace, names


def _docker_write(
    workspace: Any, found: Any, *, stdout: bool, force: bool, dry_run: bool
) -> None:
    from uvmono.commands import docker as cmd
    from uvmono.commands import generate as generate_cmd

    if stdout:
        say(cmd.text(found))
        return
    write_plan = cmd.write(workspace, found, force=force, dry_run=dry_run)
    for message in write_plan.warnings:
        warn(message)
    say(generate_cmd.report(write_plan, dry_run=dry_run))


@docker_app.command(
    "generate",
    epilog=examples("uvmono docker generate", "uvmono docker generate acme-api --stdout"),
)
@handled
def docker_generate(
    packages: PackagesArgument = None,
    filter: FilterOption = None,
    affected: AffectedOption = False,
    since: DockerSinceOption = None,
    stdout: Annotated[
        bool, typer.Option("--stdout", help="Print the files instead of writing them.")
    ] = False,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Write <member>/Dockerfile and <member>/Dockerfile.dockerignore for each image."""
    from uvmono.commands import docker as cmd

    workspace, names = _docker_selection(all_filters(packages, filter), affected, since)
    found = cmd.artifacts(workspace, names)
    _docker_write(workspace, found, stdout=stdout, force=force, dry_run=dry_run)


@docker_app.command(
    "commands",
    epilog=examples(
        "uvmono docker commands --affected --since main",
        'uvmono docker commands --tag "$(git rev-parse --short HEAD)" acme-api',
    ),
)
@handled
def docker_commands(
    packages: PackagesArgument = None,
    filter: FilterOption = None,
    affected: AffectedOption = False,
    since: DockerSinceOption = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Image tag; repeatable.  [default: latest]")
    ] = None,
    revision: Annotated[
        str | None,
        typer.Option(help="The REVISION label.  [default: $REVISION, else the commit checked out]"),
    ] = None,
    lock_context: Annotated[
        str | None,
        typer.Option(
            "--lock-context",
            metavar="DIR",
            help="First write each image's requirement lists under DIR (`uvmono docker "
            "requirements`), then pass them as the `lock` build context: a uv.lock change "
            "outside an image's environment leaves its build cached.",
        ),
    ] = None,
) -> None:
    """Print the `docker build` command of each image, in dependency order."""
    from uvmono.commands import docker as cmd

    workspace, names = _docker_selection(all_filters(packages, filter), affected, since)
    if not names:  # `select` said why; no revision to look for
        return
    label = cmd.revision_of(workspace, revision, os.environ)
    say(
        cmd.commands(
            workspace,
            names,
            cwd=Path.cwd(),
            tags=tag or [],
            revision=label,
            lock_context=lock_context,
        )
    )


@docker_app.command(
    "requirements",
    epilog=examples(
        "uvmono docker requirements --output /tmp/uvmono-lock acme-api && docker build "
        "-f services/api/Dockerfile --build-context lock=/tmp/uvmono-lock/acme-api .",
    ),
)
@handled
def docker_requirements(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            metavar="DIR",
            help="Where to write them: DIR/<member>/uvmono/requirements/*.txt.",
        ),
    ],
    packages: PackagesArgument = None,
    filter: FilterOption = None,
    affected: AffectedOption = False,
    since: DockerSinceOption = None,
) -> None:
    """Write each image's requirement lists, as its Dockerfile's `lock` stage cuts them from
    uv.lock, for `docker build --build-context lock=DIR/<member>`."""
    from uvmono.commands import docker as cmd

    workspace, names = _docker_selection(all_filters(packages, filter), affected, since)
    for path in cmd.requirements(workspace, names, output):
        info(f"wrote {path}")


@docker_app.command(
    "bake",
    epilog=examples(
        "uvmono docker bake && docker buildx bake",
        "uvmono docker bake --affected --since main --stdout > bake.json",
    ),
)
@handled
def docker_bake(
    packages: PackagesArgument = None,
    filter: FilterOption = None,
    affected: AffectedOption = False,
    since: DockerSinceOption = None,
    stdout: Annotated[
        bool,
        typer.Option(
            "--stdout",
            help="Print the file instead of writing it (use it with PACKAGE or --affected: "
            "the committed file lists every image).",
        ),
    ] = False,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Write docker-bake.json: a target per image and a `default` group."""
    from uvmono.commands import docker as cmd

    workspace, names = _docker_selection(all_filters(packages, filter), affected, since)
    found = cmd.bake(workspace, names)
    if found:
        _docker_write(workspace, found, stdout=stdout, force=force, dry_run=dry_run)


@docker_app.command(
    "compose",
    epilog=examples(
        "uvmono docker compose && docker compose up --watch",
        "uvmono docker compose --stdout",
    ),
)
@handled
def docker_compose(
    stdout: Annotated[
        bool, typer.Option("--stdout", help="Print the file instead of writing it.")
    ] = False,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Write compose.yaml: a service per image, built to its `dev` target, watching its source."""
    from uvmono.commands import docker as cmd

    workspace = load_workspace()
    for message in cmd.warnings(workspace):
        warn(message)
    found = cmd.compose_artifacts(workspace)
    if not found:
        info(f"uvmono: {cmd.NO_SERVICES}")
        return
    _docker_write(workspace, found, stdout=stdout, force=force, dry_run=dry_run)
