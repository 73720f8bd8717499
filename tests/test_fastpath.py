"""`uvmono affected` and `uvmono members` without typer (`uvmono.fastpath`) print exactly what
the typer path prints: stdout, stderr and exit code, byte for byte, for a table of command
lines in a real git workspace; every other shape falls back to typer, errors and all.

Both paths run in a real process: the fast one as `python -m uvmono ARGS` (the entry point),
typer's as `python -c "from uvmono.cli import main; main()" ARGS`, whatever ARGS hold.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from tests.gitutil import GitRepo
from tests.test_cli import two_members
from uvmono import fastpath
from uvmono.cli import app

FULL = "from uvmono.cli import main; main()"  # typer's path, whatever argv holds
ROOT = "<ROOT>"  # replaced by the workspace's path

# Each runs on the fast path (fastpath.parse reads it) and prints what typer prints.
FAST: list[list[str]] = [
    ["members"],
    ["members", "--format", "json"],
    ["members", "-f", "names"],
    ["members", "--format=paths"],
    ["members", "--format", "table", "-F", "core", "--filter", "app"],
    ["members", "--filter=...core", "-f", "json"],
    ["members", "-F", "nope"],  # an unknown member: uvmono's error, exit 2
    ["--root", ROOT, "members"],
    [f"--root={ROOT}", "members", "-f", "json"],
    ["--root", "/nonexistent/uvmono", "members"],  # --root's own error
    ["-q", "members"],
    ["-qq", "--quiet", "members"],
    ["-v", "members", "-f", "names"],
    ["-qv", "--verbose", "members"],
    ["--color", "always", "members", "-F", "nope"],
    ["--color=never", "-q", "members"],
    ["affected"],
    ["affected", "--since", "main"],
    ["affected", "--since=HEAD~1", "--explain"],
    ["affected", "--since", "main", "--format", "json"],
    ["affected", "--since", "main", "-f", "table"],
    ["affected", "--since", "main", "-f", "paths", "--direct-only"],
    ["affected", "--since", "main", "--include-dependencies", "--format=names"],
    ["affected", "--since", "HEAD~1", "--until", "HEAD", "-f", "json"],
    ["affected", "--until=HEAD", "--since", "HEAD~1", "-F", "app", "--filter", "core"],
    ["affected", "--since", "no-such-ref"],  # uvmono's error, exit 2
    ["affected", "--since", "no-such-ref", "--on-missing-base", "all", "--explain"],
    ["affected", "--since", "main", "--on-missing-base=error"],
    ["--color", "always", "-v", "affected", "--since", "no-such-ref"],
    ["-q", "--root", ROOT, "affected", "--since", "main", "-f", "json"],
]

# Each falls back to typer (fastpath.parse gives None): typer's usage errors, help, version.
FALLBACK: list[list[str]] = [
    [],
    ["-q"],
    ["members", "--format", "JSON"],  # not one of typer's choices
    ["members", "--format", "json", "--format", "names"],  # repeated
    ["members", "-fjson"],
    ["members", "--bogus"],
    ["members", "extra"],
    ["members", "-h"],
    ["affected", "--help"],
    ["members", "--root", ROOT],  # a global option after the command
    ["--version", "members"],
    ["--debug", "members"],
    ["--color", "sometimes", "members"],
    ["--color"],
    ["--quiet=1", "members"],
    ["affected", "--since"],
    ["affected", "--since="],
    ["affected", "--since", "-q"],
    ["affected", "--explain", "--explain"],
    ["affected", "--direct-only=yes"],
    ["affected", "--on-missing-base", "maybe"],
    ["affected", "--since", "main", "--", "x"],
    ["-qx", "members"],
    ["hash"],
    ["graph", "--since", "members"],
]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    """Two members on `main`, a commit on a branch that changes one, an uncommitted change,
    and a stray file under packages/ (a warning on every run)."""
    repo = two_members(tmp_path_factory.mktemp("fastpath") / "ws")
    repo.checkout("feature", new=True)
    repo.commit("change app", ("packages/app/src/app/extra.py", "y = 2\n"))
    repo.write("packages/core/src/core/__init__.py", "x = 1\n")
    return repo


def run(code: list[str], args: list[str], cwd: Path, env: dict[str, str]) -> tuple[Any, ...]:
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "FORCE_COLOR")}
    proc = subprocess.run(
        [sys.executable, *code, *args],
        capture_output=True,
        env={**environ, "NO_COLOR": "", "UVMONO_NO_CACHE": "1", **env},
        cwd=cwd,
        check=False,
        timeout=120,
    )
    # -v says how long the command took: the one part that differs from run to run.
    stderr = re.sub(rb"done in [0-9.]+ s", b"done in T s", proc.stderr)
    return proc.returncode, proc.stdout, stderr


def shaped(args: list[str], repo: GitRepo) -> list[str]:
    return [arg.replace(ROOT, str(repo.path)) for arg in args]


@pytest.mark.parametrize("args", FAST, ids=" ".join)
def test_fast_path_prints_what_typer_prints(args: list[str], repo: GitRepo) -> None:
    args = shaped(args, repo)
    assert fastpath.parse(args) is not None, "not on the fast path"
    env = {"COLUMNS": "60"} if "table" in args else {}
    fast = run(["-m", "uvmono"], args, repo.path / "packages", env)
    full = run(["-c", FULL], args, repo.path / "packages", env)
    assert fast == full
    assert fast[1] or fast[2]  # it printed something: the comparison compared output


@pytest.mark.parametrize("args", FALLBACK, ids=lambda args: " ".join(args) or "(none)")
def test_other_shapes_fall_back_to_typer(args: list[str], repo: GitRepo) -> None:
    args = shaped(args, repo)
    assert fastpath.parse(args) is None
    fast = run(["-m", "uvmono"], args, repo.path, {})
    full = run(["-c", FULL], args, repo.path, {})
    assert fast == full


def test_completion_falls_back_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    assert fastpath.parse(["members"]) is not None
    monkeypatch.setenv(fastpath.COMPLETE_VAR, "complete_bash")
    assert fastpath.parse(["members"]) is None


def test_the_parse_is_typers(repo: GitRepo) -> None:
    """What the fast path reads (the values, the defaults) is what typer hands the command."""
    got = fastpath.parse(["-qqv", "--root", str(repo.path), "affected", "--since=main", "-F", "a"])
    assert got is not None
    assert got.global_options == {
        "root": repo.path,
        "color": "auto",
        "quiet": 2,
        "verbose": 1,
    }
    assert got.options == {
        "since": "main",
        "until": None,
        "filter": ["a"],
        "direct_only": False,
        "include_dependencies": False,
        "format": "names",
        "explain": False,
        "on_missing_base": "error",
    }


def test_the_options_are_typers() -> None:
    """The fast path knows every option typer defines for the global level, `members` and
    `affected` (but the ones it leaves to typer), with typer's kinds, choices and defaults."""
    group: Any = typer.main.get_command(app)
    global_spec, commands = fastpath._specs()
    typer_only = {"--help", "-h", "--version", "-V", "--debug"}
    levels = [(global_spec, group), *((commands[n], group.commands[n]) for n in commands)]
    for spec, command in levels:
        seen: dict[str, tuple[str, str]] = {}
        for param in command.params:
            names = [n for n in [*param.opts, *param.secondary_opts] if n not in typer_only]
            if not names:
                continue
            kind = (
                fastpath.COUNT
                if getattr(param, "count", False)
                else fastpath.FLAG
                if param.is_flag
                else fastpath.MANY
                if param.multiple
                else fastpath.VALUE
            )
            parameter = param.name.rstrip("_")  # cli.py's `verbose_`
            for name in names:
                seen[name] = (parameter, kind)
            choices = getattr(param.type, "choices", None)
            assert spec.choices.get(parameter) == (tuple(choices) if choices else None), param
            default = param.default
            assert spec.defaults[parameter] == (
                getattr(default, "value", default) if not param.multiple else None
            ), param
        assert seen == spec.options, command.name


def test_the_fast_path_imports_no_typer(repo: GitRepo) -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "uvmono", "affected", "--since", "main"],
        capture_output=True,
        text=True,
        cwd=repo.path,
        env={**os.environ, "UVMONO_NO_CACHE": "1"},
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    assert "uvmono.fastpath" in imported
    assert not {m for m in imported if m.startswith(("typer", "click", "git."))}
    assert not {"uvmono.cli", "uvmono.cli_commands.apps", "uvmono.cli_commands.queries"} & imported
    assert "git" not in imported  # GitPython


# What a plain run of each imports at its exit is written to the file argv[1] names; the child
# `affected` forks (early.py) imports in its own process and is not counted.
MODULES_AT_EXIT = """
import atexit, sys
out = sys.argv.pop(1)
atexit.register(lambda: open(out, "w").write("\\n".join(sorted(sys.modules))))
from uvmono.entry import main
main()
"""
# Modules a plain `affected` or `members` does without (their import costs ms of start-up).
NOT_IMPORTED = ("dataclasses", "inspect", "ast", "dis", "tokenize", "pickle", "json", "signal")
# ... and these where `affected`'s git runs in a forked child (early.py: on Linux with two
# CPUs), which sends its answer pickled (read with _pickle); else git runs in a thread here.
NOT_IMPORTED_FORKED = ("subprocess", "threading")


@pytest.mark.parametrize(
    "args",
    [
        ["members"],
        ["members", "--format", "json"],
        ["affected", "--since", "main"],
        ["affected", "--since", "main", "--until", "HEAD", "--format", "json"],
        ["affected", "--since", "main", "--explain", "-f", "table"],
    ],
    ids=" ".join,
)
def test_a_plain_run_imports_none_of_the_slow_modules(
    args: list[str], repo: GitRepo, tmp_path: Path
) -> None:
    out = tmp_path / "modules.txt"
    code, stdout, stderr = run(["-c", MODULES_AT_EXIT, str(out)], args, repo.path, {})
    assert code == 0, stderr
    assert stdout  # it ran
    imported = set(out.read_text().split())
    assert "uvmono.fastpath" in imported and "uvmono.records" in imported
    assert not set(NOT_IMPORTED) & imported
    # (the process run has one thread: forking.can_fork asks only the platform and CPUs of it)
    forks = sys.platform.startswith("linux") and len(os.sched_getaffinity(0)) >= 2
    if args[0] == "members" or forks:
        assert not set(NOT_IMPORTED_FORKED) & imported


# A __main__ global whose finalizer writes a line: at Python's finalization it runs.
FINALIZED = """
import atexit, os, sys
class Finalized:
    def __del__(self):
        os.write(2, b"finalized\\n")
witness = Finalized()
if sys.argv.pop(1) == "registered":
    atexit.register(lambda: None)
from uvmono.entry import main
main()
"""


@pytest.mark.parametrize(
    "args", [["members", "-f", "names"], ["affected", "--since", "main"]], ids=" ".join
)
def test_the_fast_path_skips_finalization_only_where_nothing_needs_it(
    args: list[str], repo: GitRepo
) -> None:
    plain = run(["-c", FINALIZED, "plain"], args, repo.path, {})
    registered = run(["-c", FINALIZED, "registered"], args, repo.path, {})
    assert plain[0] == registered[0] == 0
    assert plain[1] == registered[1] and plain[1]  # the same output either way
    assert b"finalized" not in plain[2]  # os._exit: no finalization
    assert registered[2] == plain[2] + b"finalized\n"  # an atexit callback: a plain exit


GC_AT_EXIT = """
import atexit, gc, sys
out = sys.argv.pop(1)
atexit.register(lambda: open(out, "w").write(str(gc.isenabled())))
from uvmono.entry import main
main()
"""


@pytest.mark.parametrize(
    ("args", "enabled"),
    [(["members"], "False"), (["affected", "--since", "main"], "False"), (["graph"], "True")],
    ids=" ".join,
)
def test_the_collector_is_off_on_the_fast_path_only(
    args: list[str], enabled: str, repo: GitRepo, tmp_path: Path
) -> None:
    out = tmp_path / "gc.txt"
    code, _, stderr = run(["-c", GC_AT_EXIT, str(out)], args, repo.path, {})
    assert code == 0, stderr
    assert out.read_text() == enabled
