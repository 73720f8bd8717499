"""The command line. Commands parse options, call the pipeline stages and print; no logic here.

Errors are `UvmonoError`s, printed the way uv prints its own (`error: …` then `hint: …`), exit
code 2 for bad input, 1 for a failed check, 3 for a bug in uvmono; a traceback only with
`--debug`.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from uvmono import __version__
from uvmono.errors import UvmonoError

app = typer.Typer(
    name="uvmono",
    help="The build planner for uv workspaces: what a change affects, and how to build it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
docker_app = typer.Typer(
    help="Per-member Dockerfiles, build commands and a bake file.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
ci_app = typer.Typer(
    help="Generated CI: a GitHub Actions workflow or a GitLab pipeline.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(docker_app, name="docker")
app.add_typer(ci_app, name="ci")

INTERNAL_ERROR = 3


class _State:
    root: Path | None = None
    debug: bool = False


state = _State()

F = TypeVar("F", bound=Callable[..., Any])


def say(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


def warn(message: str) -> None:
    sys.stderr.write(f"warning: {message}\n")


def info(message: str) -> None:
    sys.stderr.write(f"{message}\n")


def fail(exc: UvmonoError) -> NoReturn:
    sys.stderr.write(f"error: {exc.message}\n")
    if exc.hint:
        sys.stderr.write(f"hint: {exc.hint}\n")
    raise typer.Exit(exc.exit_code)


def handled(fn: F) -> F:
    """Turn uvmono's errors into `error:`/`hint:` lines and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except UvmonoError as exc:
            if state.debug:
                raise
            fail(exc)
        except (typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except Exception as exc:
            if state.debug:
                raise
            sys.stderr.write(f"error: internal error in uvmono: {type(exc).__name__}: {exc}\n")
            sys.stderr.write("hint: re-run with --debug for the traceback, and report it\n")
            raise typer.Exit(INTERNAL_ERROR) from None

    return wrapper  # type: ignore[return-value]


def load_workspace() -> Any:
    from uvmono import workspace

    root = state.root if state.root is not None else workspace.find_root(Path.cwd())
    ws = workspace.load(root)
    for message in ws.warnings:
        warn(message)
    return ws


def _version(value: bool) -> None:
    if value:
        say(f"uvmono {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    root: Annotated[
        Path | None,
        typer.Option(
            help="Workspace root (default: found from the current directory, as uv does)."
        ),
    ] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    if root is not None and not root.is_dir():
        fail(UvmonoError(f"--root {root} is not a directory", hint="pass the workspace root"))
    state.root = root
    state.debug = debug


# ----------------------------------------------------------------------------------- members


class MembersFormat(StrEnum):
    table = "table"
    json = "json"
    names = "names"
    paths = "paths"


@app.command()
@handled
def members(
    format: Annotated[MembersFormat, typer.Option("--format", "-f")] = MembersFormat.table,
) -> None:
    """List the workspace members, found exactly as uv finds them."""
    from uvmono.commands import members as cmd

    say(cmd.render(load_workspace(), format.value))


# ------------------------------------------------------------------------------------- graph


class GraphFormat(StrEnum):
    text = "text"
    json = "json"
    dot = "dot"
    mermaid = "mermaid"


@app.command()
@handled
def graph(
    packages: Annotated[
        list[str] | None, typer.Argument(help="Show only these members' closure.")
    ] = None,
    format: Annotated[GraphFormat, typer.Option("--format", "-f")] = GraphFormat.text,
    reverse: Annotated[
        bool, typer.Option(help="Follow dependents instead of dependencies.")
    ] = False,
) -> None:
    """The member dependency graph (or the closure of the named members)."""
    from uvmono.commands import graph as cmd

    say(cmd.render(load_workspace(), packages or [], format.value, reverse))


# ---------------------------------------------------------------------------------- affected

SinceOption = Annotated[
    str | None,
    typer.Option(
        help="Base: a git ref (compared at its merge-base with the head), or `auto` in CI."
    ),
]
UntilOption = Annotated[str | None, typer.Option(help="Head commit (default: the working tree).")]


class OnMissingBase(StrEnum):
    error = "error"
    all = "all"


OnMissingOption = Annotated[
    OnMissingBase,
    typer.Option(
        help="When the base commit cannot be found: fail, or treat everything as affected."
    ),
]


class AffectedFormat(StrEnum):
    names = "names"
    paths = "paths"
    json = "json"
    table = "table"


@app.command()
@handled
def affected(
    since: SinceOption = None,
    until: UntilOption = None,
    direct_only: Annotated[
        bool, typer.Option(help="Only members whose own files changed.")
    ] = False,
    include_dependencies: Annotated[
        bool, typer.Option(help="Also list the members the affected ones need.")
    ] = False,
    format: Annotated[AffectedFormat, typer.Option("--format", "-f")] = AffectedFormat.names,
    explain: Annotated[bool, typer.Option(help="Print why each member is affected.")] = False,
    on_missing_base: OnMissingOption = OnMissingBase.error,
) -> None:
    """The members a git change affects, and why."""
    from uvmono.commands import affected as cmd

    result = cmd.compute(load_workspace(), since, until, on_missing_base.value, info=info)
    say(
        cmd.render(
            result,
            format.value,
            explain=explain,
            direct_only=direct_only,
            include_dependencies=include_dependencies,
        )
    )


def main() -> None:
    app()
