"""The conventions users expect of a CLI like uv's, through the real `uvmono` process: -h,
-V, -q/-v, colour, usage errors as `error:`/`hint:`, shell completion, --help with defaults and
examples, and an exit code of uvmono's own even when stdout cannot be written."""

from __future__ import annotations

import os
import pty
import re
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from tests.gitutil import GitRepo, git_env
from tests.wsutil import project, uvmono, virtual_root, write_tree
from uvmono import __version__
from uvmono.cli import app

RED_ERROR = "\x1b[1;31merror\x1b[0m\x1b[1m:\x1b[0m "
CYAN_HINT = "\x1b[1;36mhint\x1b[0m\x1b[1m:\x1b[0m "
YELLOW_WARNING = "\x1b[1;33mwarning\x1b[0m\x1b[1m:\x1b[0m "
PLAIN_ENV = {"NO_COLOR": "", "FORCE_COLOR": ""}  # this machine's settings do not leak in


def commands() -> list[list[str]]:
    """Every command's words, from the app itself: `members`, `docker bake`, …"""
    found: list[list[str]] = []

    def walk(command: Any, words: list[str]) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands is None:
            found.append(words)
        for name, sub in (subcommands or {}).items():
            walk(sub, [*words, name])

    walk(typer.main.get_command(app), [])
    return found


def workspace(tmp_path: Path) -> GitRepo:
    """Two members, committed, and an uncommitted change to core."""
    repo = two_members(tmp_path / "ws")
    (repo.path / "packages" / "core" / "src" / "core" / "__init__.py").write_text("x = 1\n")
    return repo


def two_members(path: Path) -> GitRepo:
    """core and app (which needs core), committed; a stray file under packages/ makes uvmono
    warn."""
    repo = GitRepo.init(path)
    write_tree(
        repo.path,
        {
            "pyproject.toml": virtual_root(["packages/*"]),
            "packages/core/pyproject.toml": project("core"),
            "packages/app/pyproject.toml": project("app", ["core"], sources=["core"]),
            "packages/NOTES.txt": "not a member\n",
        },
    )
    repo.commit("workspace")
    return repo


# ------------------------------------------------------------------------------ -h, -V


def test_dash_v_capital_and_version_print_the_version() -> None:
    for flag in ("-V", "--version"):
        proc = uvmono(flag, cwd=Path.cwd())
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == f"uvmono {__version__}\n"


@pytest.mark.parametrize("words", commands(), ids=" ".join)
def test_every_command_has_dash_h_with_examples_and_no_negative_flags(words: list[str]) -> None:
    short = uvmono(*words, "-h", cwd=Path.cwd())
    long = uvmono(*words, "--help", cwd=Path.cwd())

    assert short.returncode == 0 and long.returncode == 0, short.stderr + long.stderr
    assert short.stdout == long.stdout
    text = short.stdout
    assert text.startswith(f"Usage: uvmono {' '.join(words)} ")
    examples = text.split("Examples:\n", 1)[1].splitlines()
    assert examples and all(line.strip().split()[0] in ("uvmono", "echo") for line in examples)
    assert all(" ".join(words) in line for line in examples)
    assert " / --no-" not in text
    assert "[default: False]" not in text and "[default: 0]" not in text
    if "--since" in text and words not in (["graph"], ["run"]):
        assert re.search(r"--since <str> .*?\[default: auto\]", text, re.DOTALL)
    elif "--since" in text:
        # graph and run use git only when asked: their --since has no default, and says so.
        assert re.search(r"--since <str> .*?\[default: none", text, re.DOTALL)


def test_the_top_level_help_lists_the_global_options() -> None:
    text = uvmono("-h", cwd=Path.cwd()).stdout
    for option in ("--color <auto|always|never>", "-q, --quiet", "-v, --verbose", "-V, --version"):
        assert option in text
    assert "completion" in text


def test_help_stays_fast_and_imports_none_of_the_pipeline() -> None:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "uvmono", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()}
    heavy = {"git", "networkx", "yaml", "tomlkit", "uvmono.workspace", "uvmono.commands"}
    assert imported & heavy == set()
    # uvmono --help costs about 0.3 s of CPU, nearly all of it importing typer.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert cpu < 1.5, cpu


# ------------------------------------------------------------------------- usage errors


@pytest.mark.parametrize(
    ("args", "error", "hint"),
    [
        (["-X"], "no such option: -X", "see `uvmono --help`"),
        (["membrs"], "no such command 'membrs'", "did you mean 'members'? (see `uvmono --help`)"),
        (
            ["members", "--format", "xml"],
            "invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json', 'names', "
            "'paths'",
            "see `uvmono members --help`",
        ),
        (
            ["affected", "--since"],
            "option '--since' requires an argument",
            "see `uvmono affected --help`",
        ),
        (
            ["docker", "bake", "--stdot"],
            "no such option: --stdot",
            "did you mean --stdout? (see `uvmono docker bake --help`)",
        ),
        (
            ["completion"],
            "missing argument 'shell'. Choose from: bash, zsh, fish, powershell",
            "see `uvmono completion --help`",
        ),
    ],
)
def test_usage_errors_read_like_every_other_error(args: list[str], error: str, hint: str) -> None:
    proc = uvmono(*args, cwd=Path.cwd(), env=PLAIN_ENV)

    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == f"error: {error}\nhint: {hint}\n"


# ------------------------------------------------------------------------------- colour


def stderr_on_a_terminal(*args: str, cwd: Path, env: dict[str, str]) -> str:
    """Run uvmono with stderr on a real pseudo-terminal; what it wrote there."""
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "uvmono", *args],
            cwd=cwd,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=follower,
            check=False,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the terminal is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.returncode == 2
        return b"".join(chunks).decode().replace("\r\n", "\n")
    finally:
        os.close(leader)


@pytest.mark.parametrize(
    ("flags", "env", "coloured"),
    [
        ([], {}, False),  # a pipe
        (["--color", "always"], {}, True),
        (["--color=always"], {"NO_COLOR": "1"}, True),  # the flag wins
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),  # NO_COLOR wins, as in uv
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    ],
)
def test_colour_of_the_prefixes(
    tmp_path: Path, flags: list[str], env: dict[str, str], coloured: bool
) -> None:
    missing = str(tmp_path / "missing")
    proc = uvmono(*flags, "--root", missing, "members", cwd=tmp_path, env={**PLAIN_ENV, **env})
    usage = uvmono(*flags, "members", "--bogus", cwd=tmp_path, env={**PLAIN_ENV, **env})

    error, hint = ("error: ", "hint: ") if not coloured else (RED_ERROR, CYAN_HINT)
    expected = f"{error}--root {missing} is not a directory\n{hint}pass the workspace root\n"
    assert proc.stderr == expected
    assert usage.stderr.startswith(error) and f"\n{hint}" in usage.stderr


def test_colour_is_automatic_on_a_terminal_only(tmp_path: Path) -> None:
    on_terminal = stderr_on_a_terminal("members", "--bogus", cwd=tmp_path, env=PLAIN_ENV)
    dumb_env = {**PLAIN_ENV, "TERM": "dumb"}
    dumb = stderr_on_a_terminal("members", "--bogus", cwd=tmp_path, env=dumb_env)
    no_color = stderr_on_a_terminal("members", "--bogus", cwd=tmp_path, env={"NO_COLOR": "1"})

    assert on_terminal.startswith(RED_ERROR + "no such option: --bogus\n" + CYAN_HINT)
    assert dumb.startswith("error: no such option: --bogus\nhint: ")
    assert no_color.startswith("error: no such option: --bogus\nhint: ")


def test_warnings_are_coloured_too(tmp_path: Path) -> None:
    repo = workspace(tmp_path)
    proc = uvmono("--color", "always", "members", "-f", "names", cwd=repo.path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith(YELLOW_WARNING + "ignoring packages/NOTES.txt")


# -------------------------------------------------------------------------------- -q, -v


def test_quiet_and_verbose_change_stderr_only(tmp_path: Path) -> None:
    repo = workspace(tmp_path)
    env = {k: v for k, v in git_env().items() if not k.startswith(("GITHUB_", "GITLAB_", "CI"))}

    def run(*flags: str) -> subprocess.CompletedProcess[str]:
        proc = uvmono(*flags, "affected", "--since", "HEAD", cwd=repo.path, env=env)
        assert proc.returncode == 0, proc.stderr
        return proc

    normal, quiet, very_quiet, verbose = run(), run("-q"), run("-qq"), run("-v")

    assert normal.stdout == quiet.stdout == very_quiet.stdout == verbose.stdout == "app\ncore\n"
    assert "uvmono: comparing the working tree with base" in normal.stderr
    assert "warning: ignoring packages/NOTES.txt" in normal.stderr
    assert quiet.stderr.startswith("warning: ignoring packages/NOTES.txt")
    assert "comparing" not in quiet.stderr
    assert very_quiet.stderr == ""
    assert f"uvmono: workspace {repo.path.resolve()}: 2 members\n" in verbose.stderr
    assert re.search(r"^uvmono: done in \d+\.\d\d s$", verbose.stderr, re.MULTILINE)
    assert "comparing the working tree" in verbose.stderr


def test_errors_are_printed_even_with_dash_qq(tmp_path: Path) -> None:
    proc = uvmono("-qq", "--root", str(tmp_path / "nope"), "members", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: --root ")


# --------------------------------------------------------------------------- completion


def bash_completions(words: list[str]) -> list[str]:
    """What Tab offers after `words` in a real bash with `uvmono completion bash` loaded."""
    entry_point = Path(sys.executable).parent / "uvmono"
    if not entry_point.exists():
        pytest.skip(f"no uvmono entry point beside {sys.executable} (run `uv sync`)")
    script = (
        'eval "$(uvmono completion bash)"\n'
        f"COMP_WORDS=({' '.join(repr(w) for w in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        "_uvmono_completion uvmono\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    proc = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        env={**os.environ, "PATH": f"{entry_point.parent}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in proc.stdout.splitlines() if line]


def test_bash_completion_completes_commands_options_and_choices() -> None:
    assert bash_completions(["uvmono", "aff"]) == ["affected"]
    assert bash_completions(["uvmono", "docker", "b"]) == ["bake"]
    assert bash_completions(["uvmono", "affected", "--incl"]) == ["--include-dependencies"]
    assert bash_completions(["uvmono", "members", "--format", ""]) == [
        "table",
        "json",
        "names",
        "paths",
    ]


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("zsh", "compdef _uvmono_completion uvmono"),
        ("fish", "complete --command uvmono"),
        ("powershell", "Register-ArgumentCompleter -Native -CommandName uvmono"),
    ],
)
def test_completion_scripts_for_the_other_shells(shell: str, marker: str) -> None:
    proc = uvmono("completion", shell, cwd=Path.cwd())
    assert proc.returncode == 0, proc.stderr
    assert marker in proc.stdout and "_UVMONO_COMPLETE" in proc.stdout


# ---------------------------------------------------------------------- a full disk


def test_a_full_disk_exits_2_with_stdout_buffered(tmp_path: Path) -> None:
    """Python buffers stdout unless PYTHONUNBUFFERED is set: its flush at exit must not turn
    uvmono's exit code 2 into 120."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    repo = workspace(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    for args in (["members"], ["--help"], ["completion", "bash"]):
        with Path("/dev/full").open("wb") as full:
            proc = subprocess.run(
                [sys.executable, "-m", "uvmono", *args],
                cwd=repo.path,
                env=env,
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
            )
        assert proc.returncode == 2, (args, proc.stderr)
        assert "error: No space left on device" in proc.stderr, (args, proc.stderr)
        assert "Exception ignored" not in proc.stderr and "Traceback" not in proc.stderr
