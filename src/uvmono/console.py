"""How the command line prints: output, warnings, and errors as uv prints its own.

`handled` turns a `UvmonoError` into `error: …` and `hint: …` lines and its exit code (2 for
bad input, 1 for a failed check), any other exception into exit code 3 without a traceback
(unless `--debug`).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer

from uvmono.errors import UvmonoError

INTERNAL_ERROR = 3
BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for `git log | head -1`


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
    # One line, whatever a file name in it holds: scripts read the `error:` line.
    message = "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode() for c in exc.message
    )
    sys.stderr.write(f"error: {message}\n")
    if exc.hint:
        sys.stderr.write(f"hint: {exc.hint}\n")
    raise typer.Exit(exc.exit_code)


def handled(fn: F) -> F:
    """Turn uvmono's errors into `error:`/`hint:` lines and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = fn(*args, **kwargs)
            sys.stdout.flush()  # a closed pipe or a full disk fails here, not at exit
            return result
        except UvmonoError as exc:
            if state.debug:
                raise
            fail(exc)
        except (typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # The reader went away (`uvmono affected | head -1`): stop quietly with the status of
            # a process killed by SIGPIPE, and keep Python from failing again at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(BROKEN_PIPE) from None
        except OSError as exc:  # the machine's, not uvmono's: a full disk, a permission
            if state.debug:
                raise
            where = f": {exc.filename}" if exc.filename else ""
            fail(
                UvmonoError(
                    f"{exc.strerror or exc}{where}",
                    hint="check the free space and the permissions where uvmono reads and writes",
                )
            )
        except Exception as exc:
            if state.debug:
                raise
            sys.stderr.write(f"error: internal error in uvmono: {type(exc).__name__}: {exc}\n")
            sys.stderr.write("hint: re-run with --debug for the traceback, and report it\n")
            raise typer.Exit(INTERNAL_ERROR) from None

    return wrapper  # type: ignore[return-value]


def show_check(diffs: list[str], what: str, command: str) -> None:
    """Print the diffs of stale files; a stale file fails the check (exit 1)."""
    from uvmono.errors import CheckFailed

    say("".join(diffs))
    if diffs:
        raise CheckFailed(f"{what} is out of date", hint=f"run `{command}`")


def show_writes(write_plan: Any) -> None:
    """Say what a write did: its warnings, then one line per file."""
    for message in write_plan.warnings:
        warn(message)
    for line in write_plan.describe():
        info(line)


def load_workspace() -> Any:
    from uvmono import workspace

    root = state.root if state.root is not None else workspace.find_root(Path.cwd())
    ws = workspace.load(root)
    for message in ws.warnings:
        warn(message)
    return ws


def read_ci(workspace: Any) -> Any:
    """The CI environment, read once here at the edge (`ci_env.read`)."""
    from uvmono import ci_env

    return ci_env.read(workspace.root)
