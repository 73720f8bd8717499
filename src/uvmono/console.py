"""How the command line prints: output, warnings, and errors as uv prints its own.

`handled` turns a `UvmonoError` into `error: …` and `hint: …` lines and its exit code (2 for
bad input, 1 for a failed check), any other exception into exit code 3 without a traceback
(unless `--debug`). The prefixes are coloured as uv colours them when colour is on (`--color`,
`NO_COLOR`, `FORCE_COLOR`, a terminal); `-q`/`-v` set how much goes to stderr besides errors.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from uvmono.errors import UvmonoError

USAGE_ERROR = 2
INTERNAL_ERROR = 3
BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for `git log | head -1`


class _State:
    root: Path | None = None
    debug: bool = False
    verbosity: int = 0  # -v adds one, -q takes one away
    color: bool | None = None  # None until the options are read: then decided from the env
    color_choice: str = "auto"  # --color as given: what stdout's own colour follows


state = _State()

F = TypeVar("F", bound=Callable[..., Any])

# uv's colours for its prefixes: bold red, bold yellow, bold cyan; the colon bold.
PREFIX_STYLES = {"error": "1;31", "warning": "1;33", "hint": "1;36"}


def wants_color(choice: str | None, stream: Any = None) -> bool:
    """--color, else NO_COLOR (which wins over FORCE_COLOR), else FORCE_COLOR, else whether
    `stream` (stderr unless told) is a terminal."""
    if choice in ("always", "never"):
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = sys.stderr if stream is None else stream
    return bool(stream.isatty()) and os.environ.get("TERM") != "dumb"


def stdout_color() -> bool:
    """Whether what goes to stdout is coloured: as for stderr, but on stdout's own terminal
    (`uvmono graph | less` gets no escape codes unless `--color always`)."""
    return wants_color(state.color_choice, sys.stdout)


def prefix(kind: str) -> str:
    """`error:`, `warning:` or `hint:`, coloured as uv colours them when colour is on."""
    color = state.color if state.color is not None else wants_color(None)
    if not color:
        return f"{kind}:"
    return f"\x1b[{PREFIX_STYLES[kind]}m{kind}\x1b[0m\x1b[1m:\x1b[0m"


def _one_line(message: str) -> str:
    """`message` as one line, whatever a file name in it holds: a newline (or U+0085, U+2028,
    U+2029, another non-printable character) is escaped, so repository data cannot start a line
    of its own in a CI log (GitHub reads `::error::`, `::stop-commands::` at a line's start)."""
    from uvmono.render.text import printable

    return printable(message)


def say(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


def warn(message: str) -> None:
    if state.verbosity >= -1:
        sys.stderr.write(f"{prefix('warning')} {_one_line(message)}\n")


def info(message: str) -> None:
    if state.verbosity >= 0:
        sys.stderr.write(f"{_one_line(message)}\n")


def verbose(message: str) -> None:
    if state.verbosity >= 1:
        sys.stderr.write(f"uvmono: {_one_line(message)}\n")


def print_error(message: str, hint: str | None) -> None:
    # One line, whatever a file name in it holds: scripts read the `error:` line.
    sys.stderr.write(f"{prefix('error')} {_one_line(message)}\n")
    if hint:  # a hint may be several lines (an example table), but its lines are uvmono's
        sys.stderr.write(f"{prefix('hint')} {_hint(hint)}\n")


def _hint(hint: str) -> str:
    return "\n".join(_one_line(line) for line in hint.split("\n"))


class Exit(Exception):
    """Stop the command with `exit_code`: typer.Exit where typer is not loaded (the fast path
    of `uvmono.fastpath`, which runs `affected` and `members` without typer)."""

    def __init__(self, exit_code: int = 0) -> None:
        super().__init__(exit_code)
        self.exit_code = exit_code


def exit_with(code: int) -> Exception:
    """The exception that stops a command with exit code `code`: typer's `Exit` once typer is
    loaded (click turns it into the exit code), else `Exit`. Neither imports typer."""
    typer = sys.modules.get("typer")
    return Exit(code) if typer is None else typer.Exit(code)


def exits() -> tuple[type[BaseException], ...]:
    """The exceptions that stop a command with an exit code: `Exit`, and typer's `Exit` and
    `Abort` once typer is loaded (none of typer's can exist before)."""
    typer = sys.modules.get("typer")
    return (Exit,) if typer is None else (Exit, typer.Exit, typer.Abort)


def fail(exc: UvmonoError) -> NoReturn:
    print_error(exc.message, exc.hint)
    raise exit_with(exc.exit_code)


def discard_stdout() -> None:
    """Point stdout at /dev/null, so that what Python flushes at exit cannot fail again (and
    turn uvmono's exit code into 120)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def tolerant_streams() -> None:
    """A file name that is not UTF-8 arrives as surrogate escapes: print its own bytes rather
    than fail on a strict stream (or escape it, where the stream is not UTF-8)."""
    import codecs
    import io

    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            utf8 = codecs.lookup(stream.encoding).name == "utf-8"
            stream.reconfigure(errors="surrogateescape" if utf8 else "backslashreplace")


def exit_code_after_flush(code: int) -> int:
    """Flush stdout before Python does it at exit, where a failure would replace the code."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        discard_stdout()
        return code or BROKEN_PIPE
    except OSError as exc:
        discard_stdout()
        print_error(
            f"{exc.strerror or exc}: standard output",
            "check the free space where the output goes",
        )
        return code or USAGE_ERROR
    return code


def settle_stdout() -> None:
    """Flush stdout; if it cannot take more (a full disk), drop what it holds."""
    try:
        sys.stdout.flush()
    except OSError:
        discard_stdout()


def handled(fn: F) -> F:
    """Turn uvmono's errors into `error:`/`hint:` lines and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.monotonic()
        try:
            result = fn(*args, **kwargs)
            sys.stdout.flush()  # a closed pipe or a full disk fails here, not at exit
            verbose(f"done in {time.monotonic() - started:.2f} s")
            return result
        except UvmonoError as exc:
            if state.debug:
                raise
            fail(exc)
        except exits():
            raise
        except KeyboardInterrupt:
            raise exit_with(130) from None
        except BrokenPipeError:
            # The reader went away (`uvmono affected | head -1`): stop quietly with the status of
            # a process killed by SIGPIPE, and keep Python from failing again at exit.
            discard_stdout()
            raise exit_with(BROKEN_PIPE) from None
        except OSError as exc:  # the machine's, not uvmono's: a full disk, a permission
            if state.debug:
                raise
            settle_stdout()
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
            print_error(
                f"internal error in uvmono: {type(exc).__name__}: {exc}",
                "re-run with --debug for the traceback, and report it",
            )
            raise exit_with(INTERNAL_ERROR) from None

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
    verbose(f"workspace {ws.root}: {len(ws.members)} members")
    for message in ws.warnings:
        warn(message)
    return ws


def read_ci(workspace: Any) -> Any:
    """The CI environment, read once here at the edge (`ci_env.read`)."""
    from uvmono import ci_env

    return ci_env.read(workspace.root)
