"""The command line: the global options, `main()` and how errors are printed.

The commands live in `uvmono.cli_commands`, one module per topic; they parse options, call the
pipeline stages and print, no logic there. Errors are `UvmonoError`s, printed the way uv prints
its own (`error: …` then `hint: …`), exit code 2 for bad input, 1 for a failed check, 3 for a
bug in uvmono; a traceback only with `--debug`.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from uvmono import __version__

# Importing a command module registers its commands: in this order, the order of `--help`.
# isort: off
from uvmono.cli_commands import queries, generate, ci, docker, shell  # noqa: F401
# isort: on
from uvmono.cli_commands.apps import COMPLETE_VAR, app
from uvmono.cli_commands.bodies import Color, global_options
from uvmono.console import (
    BROKEN_PIPE,
    discard_stdout,
    exit_code_after_flush,
    print_error,
    say,
    state,
    tolerant_streams,
    wants_color,
)

__all__ = ["app", "main"]

USAGE_ERROR = 2


def _version(value: bool) -> None:
    if value:
        say(f"uvmono {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    root: Annotated[
        Path | None,
        typer.Option(
            help="Workspace root.  [default: the workspace of the current directory, found "
            "as uv finds it]"
        ),
    ] = None,
    color: Annotated[
        Color,
        typer.Option(
            help="Colour the error:, warning: and hint: prefixes and the members `graph "
            "--since` marks. `auto`: on a terminal, unless NO_COLOR is set or FORCE_COLOR is."
        ),
    ] = Color.auto,
    quiet: Annotated[
        int,
        typer.Option(
            "--quiet",
            "-q",
            count=True,
            show_default=False,
            help="Hide status lines; -qq hides warnings too.",
        ),
    ] = 0,
    verbose_: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            show_default=False,
            help="Also say which workspace it read and how long the command took.",
        ),
    ] = 0,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    global_options(root, color.value, quiet, verbose_, debug)


def main() -> None:
    tolerant_streams()
    if COMPLETE_VAR in os.environ:
        from typer._completion_classes import completion_init

        completion_init()  # the scripts of `uvmono completion` speak typer's protocol
    sys.exit(exit_code_after_flush(_run()))


def _run() -> int:
    from typer._click.exceptions import NoArgsIsHelpError, UsageError

    try:
        code = app(standalone_mode=False, prog_name="uvmono")
    except NoArgsIsHelpError as exc:
        exc.show()
        return USAGE_ERROR
    except UsageError as exc:
        if state.color is None:  # the options were not read: find --color in them
            state.color = wants_color(_color_argument(sys.argv[1:]))
        print_error(*usage_error(exc.format_message(), exc.ctx))
        return USAGE_ERROR
    except typer.Abort:
        return 1
    except BrokenPipeError:
        discard_stdout()
        return BROKEN_PIPE
    except OSError as exc:  # writing the help to a full disk
        discard_stdout()
        print_error(f"{exc.strerror or exc}: standard output", None)
        return USAGE_ERROR
    return code if isinstance(code, int) else 0


def usage_error(message: str, ctx: Any) -> tuple[str, str]:
    """Click's `No such option: -x (Possible options: …)` as uvmono's `error:` and `hint:`."""
    help_command = f"{ctx.command_path if ctx else _command_path(sys.argv[1:])} --help"
    message = " ".join(message.split())  # click lists choices on lines of their own
    suggestion = re.search(r"\s*(?:Did you mean (.+?)\?|\(Possible options: (.+)\))$", message)
    hint = f"see `{help_command}`"
    if suggestion:
        message = message[: suggestion.start()]
        hint = f"did you mean {suggestion.group(1) or suggestion.group(2)}? ({hint})"
    message = message.rstrip(".")
    return message[:1].lower() + message[1:], hint


def _color_argument(args: list[str]) -> str | None:
    for arg, value in zip(args, [*args[1:], None], strict=True):
        if arg == "--":
            break
        if arg.startswith("--color="):
            return arg.removeprefix("--color=")
        if arg == "--color":
            return value
    return None


def _command_path(args: list[str]) -> str:
    """`uvmono docker bake`: the commands named in `args` (for an error click gives no context)."""
    command: Any = typer.main.get_command(app)
    path = ["uvmono"]
    for arg in args:
        sub = getattr(command, "commands", {}).get(arg)
        if sub is not None:
            path.append(arg)
            command = sub
        elif not arg.startswith("-"):
            break
    return " ".join(path)
