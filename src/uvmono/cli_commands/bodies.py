"""The global options and the bodies of `members` and `affected`, free of typer.

The typer commands (`uvmono.cli`, `queries`) and the fast path (`uvmono.fastpath`, which runs
these two commands without importing typer) both call them, so the two cannot drift apart.
The enums here are the choices typer offers and the fast path accepts.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from uvmono.console import fail, handled, info, load_workspace, read_ci, say, state, wants_color
from uvmono.errors import UvmonoError

if TYPE_CHECKING:
    from uvmono.ci_env import CiEnvironment
    from uvmono.pipeline import RunOptions


class Color(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


class OnMissingBase(StrEnum):
    error = "error"
    all = "all"


class MembersFormat(StrEnum):
    table = "table"
    json = "json"
    names = "names"
    paths = "paths"


class AffectedFormat(StrEnum):
    names = "names"
    paths = "paths"
    json = "json"
    table = "table"


def global_options(root: Path | None, color: str, quiet: int, verbose: int, debug: bool) -> None:
    """`--root`, `--color`, `-q`, `-v` and `--debug`, read into `console.state`."""
    state.color = wants_color(color)
    state.color_choice = color
    state.verbosity = verbose - quiet
    if root is not None and not root.is_dir():
        fail(UvmonoError(f"--root {root} is not a directory", hint="pass the workspace root"))
    state.root = root
    state.debug = debug


def terminal_width() -> int | None:
    """What a table must fit: $COLUMNS, else the terminal's width; None (no limit) when the
    output goes to a file or a pipe."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        import shutil  # only here: it imports the compression modules, ~2 ms

        return shutil.get_terminal_size().columns
    return None


def selection_context(ci: Any, until: str | None = None) -> Any:
    from uvmono.selection import Context

    return Context(Path.cwd(), ci.variables, until)


def run_options(
    ci: CiEnvironment,
    since: str | None,
    until: str | None,
    on_missing_base: str,
    filters: list[str] | None,
) -> RunOptions:
    """The options of one run as `--since`, `--until`, `--on-missing-base` and `--filter` give
    them, the filters' paths relative to the current directory."""
    from uvmono.pipeline import RunOptions

    return RunOptions(
        info=info,
        since=since,
        until=until,
        on_missing_base=str(on_missing_base),  # an OnMissingBase is a str: this, its value
        ci=ci,
        filters=tuple(filters or ()),
        cwd=Path.cwd(),
    )


@handled
def members(format: str, filter: list[str] | None) -> None:
    """`uvmono members`, `format` one of `MembersFormat`."""
    from uvmono import selection
    from uvmono.commands import members as cmd

    workspace = load_workspace()
    names = selection.select(workspace, filter or [], selection_context(read_ci(workspace)))
    say(cmd.render(workspace, format, names, terminal_width()))


@handled
def affected(
    *,
    since: str | None,
    until: str | None,
    filter: list[str] | None,
    direct_only: bool,
    include_dependencies: bool,
    format: str,
    explain: bool,
    on_missing_base: str,
) -> None:
    """`uvmono affected`, `format` one of `AffectedFormat`, `on_missing_base` of
    `OnMissingBase`."""
    from uvmono import early as early_git

    # git runs in another process (or a thread) while the workspace is read (early.py).
    early = early_git.start(state.root, since, until, on_missing_base)
    try:
        from uvmono import pipeline
        from uvmono.commands import affected as cmd

        workspace = load_workspace()
        options = run_options(read_ci(workspace), since, until, on_missing_base, filter)
        result = pipeline.affected(workspace, options, early)
    finally:
        if early is not None:
            early.close()
    say(
        cmd.render(
            result,
            format,
            explain=explain,
            direct_only=direct_only,
            include_dependencies=include_dependencies,
            width=terminal_width(),
        )
    )
