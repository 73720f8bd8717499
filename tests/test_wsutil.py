"""The in-process `uvmono()` of tests/wsutil.py answers as `python -m uvmono` does and leaves
nothing behind: not the working directory, the environment, sys.argv, the streams, nor the
global options of the run before."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.wsutil import uvmono


def test_in_process_and_process_answer_the_same(tmp_path: Path) -> None:
    missing = str(tmp_path / "no")
    for args in (("--version",), ("members", "--bogus"), ("--root", missing, "members")):
        inside = uvmono(*args, cwd=tmp_path)
        outside = uvmono(*args, cwd=tmp_path, process=True)
        assert (inside.returncode, inside.stdout, inside.stderr) == (
            outside.returncode,
            outside.stdout,
            outside.stderr,
        ), args


def test_nothing_leaks_into_the_next_call_or_the_test(tmp_path: Path) -> None:
    before = (Path.cwd(), dict(os.environ), list(sys.argv), sys.stdout, sys.stderr)
    args = ("--color", "always", "--root", str(tmp_path / "no"), "members")
    coloured = uvmono(*args, cwd=tmp_path, env={"UVMONO_TEST_MARKER": "1"})
    assert coloured.returncode == 2
    assert "\x1b[" in coloured.stderr
    after = (Path.cwd(), dict(os.environ), list(sys.argv), sys.stdout, sys.stderr)
    assert after == before
    # A usage error is printed before the options are read: colour is decided afresh.
    plain = uvmono("--bogus", "members", cwd=tmp_path)
    assert plain.returncode == 2
    assert plain.stderr.startswith("error: ")
