"""`uvmono --help` and `uvmono --version` answered without typer (entry.py) print exactly what
typer prints, at every terminal width, and import neither typer nor uvmono's commands.

`src/uvmono/_help.py` holds typer's top-level help at 80 columns; when a command or an option
of the top level changes, `UVMONO_UPDATE_GOLDEN=1 pytest tests/test_entry.py` rewrites it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import UPDATE_GOLDEN
from tests.wsutil import REPO
from uvmono import entry

HELP_MODULE = REPO / "src" / "uvmono" / "_help.py"
FULL = "from uvmono.cli import main; main()"  # typer's path, whatever argv holds


def run(code: list[str], args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "_UVMONO_COMPLETE")}
    return subprocess.run(
        [sys.executable, *code, *args],
        capture_output=True,
        text=True,
        env={**environ, **env},
        cwd=REPO,
        check=False,
        timeout=120,
    )


def help_module(text: str) -> str:
    lines = [f"    {line!r}" for line in text.splitlines(keepends=True)]
    return (
        '"""`uvmono --help` as typer prints it at 80 columns or more (see entry.py).\n\n'
        "Generated: `UVMONO_UPDATE_GOLDEN=1 pytest tests/test_entry.py` rewrites it.\n"
        '"""\n\nTOP_HELP = (\n' + "\n".join(lines) + "\n)\n"
    )


def test_the_stored_help_is_typers() -> None:
    typer_help = run(["-c", FULL], ["--help"], COLUMNS="80")
    assert typer_help.returncode == 0, typer_help.stderr
    expected = help_module(typer_help.stdout)
    if UPDATE_GOLDEN:
        HELP_MODULE.write_text(expected, encoding="utf-8")
    assert HELP_MODULE.read_text(encoding="utf-8") == expected, (
        "src/uvmono/_help.py is not typer's help: rerun with UVMONO_UPDATE_GOLDEN=1"
    )


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["--version"], ["-V"]])
@pytest.mark.parametrize("columns", ["", "40", "79", "80", "81", "200", "x"])
def test_fast_path_prints_what_typer_prints(args: list[str], columns: str) -> None:
    env = {"COLUMNS": columns} if columns else {}
    fast = run(["-m", "uvmono"], args, **env)
    full = run(["-c", FULL], args, **env)
    assert (fast.returncode, fast.stdout, fast.stderr) == (
        full.returncode,
        full.stdout,
        full.stderr,
    )
    assert fast.returncode == 0 and fast.stdout


@pytest.mark.parametrize("args", [["--help"], ["--version"]])
def test_fast_path_imports_no_typer(args: list[str]) -> None:
    proc = run(["-X", "importtime", "-m", "uvmono"], args, COLUMNS="100")
    assert proc.returncode == 0, proc.stderr
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    assert "uvmono.entry" in imported
    assert not {m for m in imported if m.startswith(("typer", "click", "uvmono.cli"))}


def test_anything_else_goes_to_typer() -> None:
    assert entry.fast_output(["--help", "members"]) is None
    assert entry.fast_output(["members"]) is None
    assert entry.fast_output([]) is None
    os.environ["_UVMONO_COMPLETE"] = "complete_bash"
    try:
        assert entry.fast_output(["--help"]) is None
    finally:
        del os.environ["_UVMONO_COMPLETE"]
    narrow = run(["-m", "uvmono"], ["--help"], COLUMNS="60")
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 58  # typer wrapped it


def test_the_console_script_is_the_entry_point() -> None:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'uvmono = "uvmono.entry:main"' in text
    script = Path(sys.executable).with_name("uvmono")
    if script.is_file():
        assert "uvmono.entry" in script.read_text(encoding="utf-8")
