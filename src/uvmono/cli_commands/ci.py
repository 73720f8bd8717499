"""`matrix`, `ci github` and `ci gitlab`: the affected members as CI jobs."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from uvmono.cli_commands.apps import (
    CheckOption,
    FilterOption,
    ForceOption,
    OnMissingBase,
    OnMissingOption,
    SinceOption,
    UntilOption,
    app,
    ci_app,
    examples,
    run_options,
)
from uvmono.console import (
    handled,
    load_workspace,
    read_ci,
    say,
    show_check,
    show_writes,
    warn,
)
from uvmono.errors import UvmonoError


class MatrixFormat(StrEnum):
    github = "github"
    gitlab = "gitlab"
    json = "json"


@app.command(
    epilog=examples(
        "uvmono matrix --since main --format json",
        "uvmono matrix --github-output        # in a GitHub Actions step",
    )
)
@handled
def matrix(
    since: SinceOption = None,
    until: UntilOption = None,
    filter: FilterOption = None,
    on_missing_base: OnMissingOption = OnMissingBase.error,
    format: Annotated[
        MatrixFormat, typer.Option("--format", "-f", help="Output format.")
    ] = MatrixFormat.github,
    github_output: Annotated[
        bool,
        typer.Option(
            "--github-output",
            help="Also write the outputs to $GITHUB_OUTPUT and a summary to "
            "$GITHUB_STEP_SUMMARY.",
        ),
    ] = False,
) -> None:
    """The affected members as a CI matrix."""
    from uvmono import images, pipeline
    from uvmono.commands import matrix as cmd

    workspace = load_workspace()
    for message in images.warnings(workspace):
        warn(message)
    ci = read_ci(workspace)
    planned = pipeline.planned(workspace, run_options(ci, since, until, on_missing_base, filter))
    if github_output:
        cmd.write_github_output(planned, ci.variables)
    say(cmd.render(planned, format.value))


@ci_app.command(
    "github", epilog=examples("uvmono ci github", "uvmono ci github --check")
)
@handled
def ci_github(
    stdout: Annotated[
        bool, typer.Option("--stdout", help="Print the workflow instead of writing it.")
    ] = False,
    force: ForceOption = False,
    check: CheckOption = False,
) -> None:
    """Write the GitHub Actions workflow (tool.uvmono.ci.github-workflow)."""
    from uvmono.commands import ci_github as cmd

    workspace = load_workspace()
    ci = read_ci(workspace)
    for message in cmd.warnings(workspace, ci):
        warn(message)
    _print_check_or_write(cmd, workspace, ci, stdout, check, force, "the GitHub workflow")


@ci_app.command(
    "gitlab",
    epilog=examples("uvmono ci gitlab", "uvmono ci gitlab --child --since auto > child.yml"),
)
@handled
def ci_gitlab(
    child: Annotated[
        bool,
        typer.Option(
            "--child",
            help="Print the child pipeline for the affected members (the plan job runs this) "
            "instead of writing the parent pipeline.",
        ),
    ] = False,
    since: SinceOption = None,
    until: UntilOption = None,
    on_missing_base: OnMissingOption = OnMissingBase.error,
    filter: Annotated[
        list[str] | None,
        typer.Option(
            "--filter",
            "-F",
            show_default=False,
            help="With --child: only the affected members the filter selects (as in "
            "`uvmono affected --filter`); repeatable.",
        ),
    ] = None,
    stdout: Annotated[
        bool, typer.Option("--stdout", help="Print the parent instead of writing it.")
    ] = False,
    force: ForceOption = False,
    check: CheckOption = False,
) -> None:
    """Write the GitLab parent pipeline (tool.uvmono.ci.gitlab-file), or print the child."""
    from uvmono.commands import ci_gitlab as cmd

    workspace = load_workspace()
    ci = read_ci(workspace)
    if child:
        say(cmd.child(workspace, run_options(ci, since, until, on_missing_base, filter)))
        return
    if since is not None or until is not None or filter:
        raise UvmonoError("--since, --until and --filter go with --child", hint="add --child")
    for message in cmd.warnings(workspace):
        warn(message)
    _print_check_or_write(cmd, workspace, ci, stdout, check, force, "the GitLab pipeline")


def _print_check_or_write(
    cmd: Any, workspace: Any, ci: Any, stdout: bool, check: bool, force: bool, what: str
) -> None:
    """`--stdout`, `--check` or a write, for a `ci` command module (`commands/ci_*.py`)."""
    if stdout:
        say(cmd.text(workspace, ci))
    elif check:
        show_check(cmd.check(workspace, ci), what, cmd.COMMAND)
    else:
        show_writes(cmd.write(workspace, force=force, ci=ci))
