"""`uvmono affected` and `uvmono members` without typer: the commands CI runs most.

Importing typer and its click layer costs more than these commands do on a small workspace, so
`entry.main` first offers the arguments to `parse`, a parser that knows exactly the shapes
typer would read the same way: the global options before the command (`--root`, `--color`,
`-q`/`-v` and their clusters such as `-qq`), then the command's own options (`--since X`,
`--since=X`, `-f X`; `--filter`/`-F` repeatable; the enum values exactly as typer offers them).
Anything else (an unknown or repeated option, a value that starts with `-` or is empty, an
argument, `--`, `--help`, `--version`, `--debug`, shell completion) gives None, and typer parses
it: its errors, usage text and exit codes stay its own. Both paths then run the same code:
`bodies.global_options` and the command's body in `bodies`; then `leave` exits.
tests/test_fastpath.py runs both on a table of arguments and compares stdout, stderr and exit
code byte for byte.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn

COMPLETE_VAR = "_UVMONO_COMPLETE"  # what the completion scripts set: typer's protocol

# How an option is read: `value` takes one (the next argument, or after `=` for a long name),
# `many` too but may repeat (a list), `flag` and `count` take none (`count` may repeat).
VALUE, MANY, FLAG, COUNT = "value", "many", "flag", "count"


class Spec:  # plain classes: creating a dataclass costs ~1 ms at start-up, a plain one ~0
    """The options of one level: option string -> (parameter, kind); the choices and the
    defaults by parameter."""

    def __init__(
        self,
        options: dict[str, tuple[str, str]],
        choices: dict[str, tuple[str, ...]],
        defaults: dict[str, Any],
    ) -> None:
        self.options, self.choices, self.defaults = options, choices, defaults


def _specs() -> tuple[Spec, dict[str, Spec]]:
    from uvmono.cli_commands.bodies import AffectedFormat, Color, MembersFormat, OnMissingBase

    global_spec = Spec(
        {
            "--root": ("root", VALUE),
            "--color": ("color", VALUE),
            "--quiet": ("quiet", COUNT),
            "-q": ("quiet", COUNT),
            "--verbose": ("verbose", COUNT),
            "-v": ("verbose", COUNT),
        },
        {"color": tuple(Color)},
        {"root": None, "color": Color.auto.value, "quiet": 0, "verbose": 0},
    )
    filter_options = {"--filter": ("filter", MANY), "-F": ("filter", MANY)}
    format_options = {"--format": ("format", VALUE), "-f": ("format", VALUE)}
    members = Spec(
        {**format_options, **filter_options},
        {"format": tuple(MembersFormat)},
        {"format": MembersFormat.table.value, "filter": None},
    )
    affected = Spec(
        {
            "--since": ("since", VALUE),
            "--until": ("until", VALUE),
            **filter_options,
            "--direct-only": ("direct_only", FLAG),
            "--include-dependencies": ("include_dependencies", FLAG),
            **format_options,
            "--explain": ("explain", FLAG),
            "--on-missing-base": ("on_missing_base", VALUE),
        },
        {"format": tuple(AffectedFormat), "on_missing_base": tuple(OnMissingBase)},
        {
            "since": None,
            "until": None,
            "filter": None,
            "direct_only": False,
            "include_dependencies": False,
            "format": AffectedFormat.names.value,
            "explain": False,
            "on_missing_base": OnMissingBase.error.value,
        },
    )
    return global_spec, {"members": members, "affected": affected}


class Call:
    """One command line the fast path runs: the global options and the command's."""

    def __init__(self, command: str, global_options: dict[str, Any], options: dict[str, Any]):
        self.command, self.global_options, self.options = command, global_options, options


def parse(args: list[str]) -> Call | None:
    """The command line `args` as typer would read it, or None where typer must read it."""
    if COMPLETE_VAR in os.environ:
        return None
    global_spec, commands = _specs()
    position = next((i for i, arg in enumerate(args) if arg in commands), None)
    if position is None:
        return None
    command = args[position]
    global_options = _read(args[:position], global_spec)
    options = _read(args[position + 1 :], commands[command])
    if global_options is None or options is None:
        return None
    from pathlib import Path

    root = global_options["root"]
    global_options["root"] = None if root is None else Path(root)
    return Call(command, global_options, options)


def _read(args: list[str], spec: Spec) -> dict[str, Any] | None:
    """The values of `spec`'s options in `args`, or None if any argument is not sure."""
    values: dict[str, Any] = {}
    i = 0
    while i < len(args):
        arg, i = args[i], i + 1
        name, attached = arg, None
        if arg.startswith("--") and "=" in arg:
            name, attached = arg.split("=", 1)
        elif arg not in spec.options and _is_cluster(arg, spec):
            for letter in arg[1:]:
                parameter = spec.options[f"-{letter}"][0]
                values[parameter] = values.get(parameter, 0) + 1
            continue
        if name not in spec.options:
            return None
        parameter, kind = spec.options[name]
        if kind in (FLAG, COUNT):
            if attached is not None or (kind == FLAG and parameter in values):
                return None
            values[parameter] = True if kind == FLAG else values.get(parameter, 0) + 1
            continue
        if attached is None:
            if i == len(args):
                return None
            attached, i = args[i], i + 1
        if not attached or attached.startswith("-"):
            return None
        if parameter in spec.choices and attached not in spec.choices[parameter]:
            return None
        if kind == MANY:
            values.setdefault(parameter, []).append(attached)
        elif parameter in values:
            return None
        else:
            values[parameter] = attached
    return {**spec.defaults, **values}


def _is_cluster(arg: str, spec: Spec) -> bool:
    """`-qq`, `-qv`: short count options run together, as click reads them."""
    return (
        len(arg) > 2
        and arg[0] == "-"
        and arg[1] != "-"
        and all(spec.options.get(f"-{letter}", ("", ""))[1] == COUNT for letter in arg[1:])
    )


def run(call: Call) -> int:
    """Run `call` as `cli.main` runs a command: the same streams, state, bodies, exit codes."""
    from uvmono import console

    console.tolerant_streams()
    return console.exit_code_after_flush(_exit_code(call))


def leave(code: int) -> NoReturn:
    """`sys.exit(code)` after `run` (which flushed stdout), without Python's finalization where
    nothing needs it: no atexit callback registered (coverage, a weakref finalizer, ...), no
    threading imported (no thread to join), no tracer or profiler, and both streams flushed
    (a flush that fails is left to the exit, which reports it as it always has). Tearing
    down the modules and freeing every object takes 5-10 ms a command's result does not need."""
    import atexit

    registered = getattr(atexit, "_ncallbacks", lambda: 1)()
    plain = sys.gettrace() is None and sys.getprofile() is None
    if registered == 0 and plain and "threading" not in sys.modules:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        else:
            os._exit(code & 0xFF)
    sys.exit(code)


def _exit_code(call: Call) -> int:
    from uvmono import console
    from uvmono.cli_commands import bodies

    body: Callable[..., None] = bodies.members if call.command == "members" else bodies.affected
    try:
        bodies.global_options(**call.global_options, debug=False)
        body(**call.options)
    except console.exits() as exc:  # what click makes of typer.Exit (and of Abort: 1)
        return int(getattr(exc, "exit_code", 1))
    except KeyboardInterrupt:  # before the command ran: click prints a newline and aborts
        sys.stderr.write("\n")
        return 1
    except BrokenPipeError:  # as cli._run
        console.discard_stdout()
        return console.BROKEN_PIPE
    except OSError as exc:  # as cli._run
        console.discard_stdout()
        console.print_error(f"{exc.strerror or exc}: standard output", None)
        return console.USAGE_ERROR
    return 0
