"""`completion` and `run`: uvmono in the shell, and commands run in each member."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer
import typer.core

from uvmono.cli_commands.apps import COMPLETE_VAR, app, examples
from uvmono.console import handled, info, load_workspace, say

# ---------------------------------------------------------------------------- completion


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"
    powershell = "powershell"


@app.command(
    epilog=examples(
        """echo 'eval "$(uvmono completion bash)"' >> ~/.bashrc""",
        'uvmono completion zsh > "${fpath[1]}/_uvmono"',
        "uvmono completion fish > ~/.config/fish/completions/uvmono.fish",
    )
)
@handled
def completion(shell: Annotated[Shell, typer.Argument(help="The shell.")]) -> None:
    """Print the script that completes uvmono's commands and options in SHELL."""
    from typer._completion_shared import get_completion_script

    say(get_completion_script(prog_name="uvmono", complete_var=COMPLETE_VAR, shell=shell.value))


# --------------------------------------------------------------------------------------- run


class _CommandAfterDashes(typer.core.TyperCommand):
    """Keeps what follows `--` (the command to run) apart from the TASK and PACKAGE arguments."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if "--" in args:
            at = args.index("--")
            ctx.meta["uvmono.command"] = args[at + 1 :]
            args = args[:at]
        return super().parse_args(ctx, args)


@app.command(
    "run",
    cls=_CommandAfterDashes,
    epilog=examples(
        "uvmono run test                       # [tool.uvmono.tasks] test in every member",
        "uvmono run test --since main -j 4     # only what the change affects",
        "uvmono run --dry-run lint acme-api    # print the plan, run nothing",
        "uvmono run acme-core -- python -c 'import acme_core'",
    ),
)
@handled
def run_task(
    ctx: typer.Context,
    arguments: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[TASK] [PACKAGE]... [-- CMD [ARGS]...]",
            help="A task from [tool.uvmono.tasks] and the members to run it in (default: all); "
            "or, with a command after `--`, only the members.",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            help="Only the members a change since this ref affects (or `auto`).  "
            "[default: none: every selected member]"
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Members at a time (default: the CPU count)."),
    ] = None,
    keep_going: Annotated[
        bool,
        typer.Option(
            "--keep-going", help="After a failure, go on with the members that do not need it."
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan: order, environments, commands.")
    ] = False,
    stream: Annotated[
        bool,
        typer.Option("--stream", help="Show output as it comes, each line prefixed with [member]."),
    ] = False,
) -> None:
    """Run a task or a command in each selected member, in its own environment."""
    from uvmono.commands import run as cmd

    raise typer.Exit(
        cmd.main(
            load_workspace(),
            arguments or [],
            ctx.meta.get("uvmono.command"),
            since=since,
            parallel=jobs,
            keep_going=keep_going,
            dry_run=dry_run,
            stream=stream,
            info=info,
        )
    )
