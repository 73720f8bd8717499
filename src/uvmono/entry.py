"""The `uvmono` command's entry point: `--help`, `--version`, `affected` and `members` without
typer.

Importing typer (and the click layer it carries) and uvmono's commands takes most of what
`uvmono --help` costs. The top-level help is typer's own output, stored in `_help.py` when
the help changes (tests/test_entry.py compares it with what typer prints and rewrites it with
UVMONO_UPDATE_GOLDEN=1), so it is printed here only where typer would print exactly that:
a single `--help`/`-h` argument, and a terminal of at least 80 columns (click wraps help to
the terminal's width up to 80 columns; a narrower one gets typer's own wrapping). `affected`
and `members` with arguments `uvmono.fastpath` is sure of run without typer too, with the
cyclic garbage collector off (and `fastpath.leave` exits without Python's finalization where
nothing needs it). Everything else goes to `uvmono.cli.main`.
"""

from __future__ import annotations

import os
import sys

HELP_ARGS = ("--help", "-h")
VERSION_ARGS = ("--version", "-V")
HELP_COLUMNS = 80  # click's widest help: min(terminal columns, 80) - 2


def main() -> None:
    text = fast_output(sys.argv[1:])
    if text is not None:
        sys.exit(_print(text))
    import gc

    # A run of the fast path is short and leaves few cycles: collecting them, with each pass
    # walking every object the imports made, cost more than the whole parse at 50 members.
    gc.disable()
    from uvmono import fastpath

    call = fastpath.parse(sys.argv[1:])
    if call is not None:
        fastpath.leave(fastpath.run(call))
    gc.enable()  # typer's path runs as it always has
    from uvmono.cli import main as full

    full()


def fast_output(args: list[str]) -> str | None:
    """What uvmono prints for `args` when it needs no parsing, else None."""
    if len(args) != 1 or "_UVMONO_COMPLETE" in os.environ:
        return None
    if args[0] in VERSION_ARGS:
        from uvmono import __version__

        return f"uvmono {__version__}\n"
    if args[0] in HELP_ARGS and terminal_columns() >= HELP_COLUMNS:
        from uvmono._help import TOP_HELP

        return TOP_HELP
    return None


def terminal_columns() -> int:
    """`shutil.get_terminal_size().columns`, as click reads it, without importing shutil."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def _print(text: str) -> int:
    """Write and flush `text`; the exit code, as `uvmono.cli` reports a failed write."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        from uvmono.console import BROKEN_PIPE, discard_stdout

        discard_stdout()
        return BROKEN_PIPE
    except OSError as exc:
        from uvmono.console import discard_stdout, print_error

        discard_stdout()
        print_error(
            f"{exc.strerror or exc}: standard output",
            "check the free space where the output goes",
        )
        return 2
    return 0
