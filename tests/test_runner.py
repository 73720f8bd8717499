"""The runner on its own: real processes (sh, python), no uv. Jobs start when what they need has
passed, a failure stops the rest, and nothing a command starts outlives it."""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

import pytest

from tests.procutil import needs_proc, processes_with
from uvmono import runner
from uvmono.progress import PlainOutput
from uvmono.runner import Job, Report, Step


def job(name: str, script: str, *needs: str, cwd: Path | None = None) -> Job:
    return Job(name, (Step("sh", ("sh", "-c", script), cwd or Path.cwd()),), needs)


def execute(*jobs: Job, parallel: int = 4, keep_going: bool = False) -> tuple[Report, str]:
    out = io.BytesIO()
    report = runner.execute(
        jobs, parallel=parallel, keep_going=keep_going, output=PlainOutput(out, stream=True)
    )
    return report, out.getvalue().decode()


def results(report: Report) -> dict[str, str]:
    return {o.name: o.result.value for o in report.outcomes}


def test_dependents_wait_and_are_skipped_after_a_failure(tmp_path: Path) -> None:
    log = tmp_path / "log"
    report, _ = execute(
        job("a", f"sleep 0.3; echo a >> {log}"),
        job("b", f"echo b >> {log}; exit 3", "a"),
        job("c", f"echo c >> {log}", "b"),
        job("d", f"echo d >> {log}", "a"),
        keep_going=True,
    )

    assert results(report) == {"a": "passed", "b": "failed", "c": "skipped", "d": "passed"}
    assert report.outcomes[2].detail == "needs b failed"
    assert log.read_text().splitlines()[0] == "a"
    assert report.exit_code == 1


def test_parallel_is_a_limit(tmp_path: Path) -> None:
    log = tmp_path / "log"
    script = f'echo "start $$" >> {log}; sleep 0.3; echo "end $$" >> {log}'

    report, _ = execute(*(job(str(i), script) for i in range(4)), parallel=2)

    assert report.exit_code == 0
    running = peak = 0
    for line in log.read_text().splitlines():
        running += 1 if line.startswith("start") else -1
        peak = max(peak, running)
    assert peak == 2


@needs_proc
def test_processes_a_command_leaves_behind_end_with_it() -> None:
    token = f"97.{os.getpid()}"

    report, out = execute(job("a", f"sleep {token} & echo started"))

    assert results(report) == {"a": "passed"}
    assert "[a] started" in out
    assert processes_with(token) == []


@needs_proc
def test_a_command_that_ignores_sigterm_is_killed_after_the_grace_period(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(runner, "GRACE_SECONDS", 0.5)
    token = f"98.{os.getpid()}"
    stubborn = f"trap '' TERM; sleep {token}; echo survived"

    started = time.monotonic()
    report, out = execute(job("stubborn", stubborn), job("fails", "sleep 0.5; exit 1"))

    assert time.monotonic() - started < 20
    assert results(report) == {"stubborn": "stopped", "fails": "failed"}
    assert report.outcomes[0].detail == "sh: fails failed"
    assert "[stubborn] survived" not in out
    assert processes_with(token) == []


def test_a_program_that_cannot_start_fails_its_job(tmp_path: Path) -> None:
    missing = Job("a", (Step("run", ("no-such-program-uvmono",), tmp_path),))

    report, out = execute(missing)

    assert results(report) == {"a": "failed"}
    assert report.outcomes[0].detail == "run: could not start"
    assert "uvmono: cannot start no-such-program-uvmono" in out


def test_steps_run_in_order_and_stop_at_the_first_failure(tmp_path: Path) -> None:
    steps = (
        Step("one", ("sh", "-c", "echo one; pwd"), tmp_path),
        Step("two", ("sh", "-c", "exit 2"), tmp_path),
        Step("three", ("sh", "-c", "echo three"), tmp_path),
    )
    env = {"UVMONO_TEST_VALUE": "set", "HOME": None}
    report, out = execute(
        Job("a", steps, env=env),
        Job("b", (Step("env", (sys.executable, "-c", ENV_CHECK), tmp_path),), env=env),
        keep_going=True,
    )

    assert results(report) == {"a": "failed", "b": "passed"}
    assert report.outcomes[0].detail == "two: exit code 2"
    assert f"[a] {tmp_path}" in out and "three" not in out
    assert "[b] set None" in out


ENV_CHECK = "import os; print(os.environ['UVMONO_TEST_VALUE'], os.environ.get('HOME'))"
