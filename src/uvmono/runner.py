"""The runner: executes a run plan's jobs as child processes. The only stage that starts user
processes.

A job is one member's work: a few steps (sync its environment, run the command) run one after
another in the member's directory; the job passes when every step exits 0. Jobs start once the
jobs they need have passed, at most `parallel` at a time; a job whose needs failed is skipped.

Every step runs in a new session (its own process group), so a Ctrl-C at the terminal reaches
uvmono alone and uvmono decides what stops: each running group gets SIGTERM, then SIGKILL after
GRACE_SECONDS. Processes a step leaves behind in its group are stopped the same way when the
step ends. On Linux uvmono is a child subreaper, so grandchildren whose parent died come back to
it and are reaped here rather than by an init that may not reap at all (a container's).

One thread reads every pipe (selectors) and writes every line, so output of parallel jobs never
interleaves within a line.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import selectors
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from uvmono.records import field, record

GRACE_SECONDS = 5.0
TICK_SECONDS = 0.1
_READ_SIZE = 65536
_PR_SET_CHILD_SUBREAPER = 36


@record
class Step:
    what: str  # shown while it runs and when it fails: "environment", "command"
    argv: tuple[str, ...]
    cwd: Path


@record
class Job:
    name: str
    steps: tuple[Step, ...]
    needs: tuple[str, ...] = ()  # jobs that must pass before this one starts
    env: Mapping[str, str | None] = field(default_factory=dict)  # None: removed


class Result(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"  # a job it needs did not pass
    STOPPED = "stopped"  # running when the run was interrupted or another job failed
    NOT_RUN = "not run"  # waiting when the run was interrupted or another job failed


@record
class Outcome:
    name: str
    result: Result
    detail: str
    seconds: float | None  # None: never started


@record
class Report:
    outcomes: tuple[Outcome, ...]  # in the jobs' order
    seconds: float
    signal: int | None  # the signal that interrupted the run

    @property
    def exit_code(self) -> int:
        if self.signal is not None:
            return 128 + self.signal
        return 0 if all(o.result is Result.PASSED for o in self.outcomes) else 1


class Output(Protocol):
    """Where the runner's lines go. Every call comes from the runner's one thread."""

    def line(self, name: str, text: bytes) -> None:
        """One complete line of a job's output (without its line break)."""

    def finished(self, outcome: Outcome) -> None: ...

    def notice(self, text: str) -> None:
        """A line from uvmono itself, not from a job."""

    def tick(self, running: Sequence[Running]) -> None:
        """Called at least every TICK_SECONDS while something runs."""

    def close(self) -> None: ...


@record
class Running:
    name: str
    what: str
    started: float  # time.monotonic() when the job started


def execute(jobs: Sequence[Job], *, parallel: int, keep_going: bool, output: Output) -> Report:
    """Run `jobs` (listed so that a job comes after those it needs) and say how each ended."""
    return _Run(jobs, parallel=max(1, parallel), keep_going=keep_going, output=output).run()


# ------------------------------------------------------------------------------ processes


@record(frozen=False)
class _Active:
    job: Job
    started: float
    step: int = 0
    proc: subprocess.Popen[bytes] | None = None
    partial: bytes = b""
    pipe_open: bool = False


class _Run:
    def __init__(
        self, jobs: Sequence[Job], *, parallel: int, keep_going: bool, output: Output
    ) -> None:
        self.jobs = list(jobs)
        self.parallel = parallel
        self.keep_going = keep_going
        self.output = output
        self.outcomes: dict[str, Outcome] = {}
        self.active: dict[str, _Active] = {}
        self.selector = selectors.DefaultSelector()
        self.stop_reason: str | None = None  # set: start nothing more
        self.signal: int | None = None
        self.signals = 0

    def run(self) -> Report:
        begun = time.monotonic()
        _become_subreaper()
        with self._signals_caught():
            try:
                self._loop()
            finally:
                if self.active:  # an exception (a closed stdout) or a signal: stop them all
                    self._stop_all(self.stop_reason or "uvmono stopped")
                self.selector.close()
                self.output.close()
        outcomes = []
        for job in self.jobs:
            outcome = self.outcomes.get(job.name)
            if outcome is None:
                outcome = Outcome(job.name, Result.NOT_RUN, self.stop_reason or "", None)
            outcomes.append(outcome)
        return Report(tuple(outcomes), time.monotonic() - begun, self.signal)

    def _loop(self) -> None:
        while True:
            if self.signal is not None:
                self._interrupted()
                return
            self._schedule()
            if not self.active:
                return
            self._read(TICK_SECONDS)
            self._reap_finished()
            self.output.tick(self._running())

    # -------------------------------------------------------------------------- scheduling

    def _schedule(self) -> None:
        for job in self.jobs:
            if job.name in self.outcomes or job.name in self.active:
                continue
            if self.stop_reason is not None:
                continue  # stays "not run"
            blocked = [n for n in job.needs if n in self.outcomes and not self._passed(n)]
            if blocked:
                detail = ", ".join(f"{n} {self.outcomes[n].result}" for n in blocked)
                self._finish(Outcome(job.name, Result.SKIPPED, f"needs {detail}", None))
                continue
            if len(self.active) < self.parallel and all(self._passed(n) for n in job.needs):
                self._start(job)

    def _passed(self, name: str) -> bool:
        outcome = self.outcomes.get(name)
        return outcome is not None and outcome.result is Result.PASSED

    def _start(self, job: Job) -> None:
        active = _Active(job, time.monotonic())
        self.active[job.name] = active
        self._spawn(active)

    def _spawn(self, active: _Active) -> None:
        """Start the active job's current step; a step that cannot start fails the job."""
        step = active.job.steps[active.step]
        self.output.line(active.job.name, _one_line(f"$ {shlex.join(step.argv)}").encode())
        env = dict(os.environ)
        for key, value in active.job.env.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        try:
            proc = subprocess.Popen(
                step.argv,
                cwd=step.cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as exc:
            message = f"uvmono: cannot start {step.argv[0]}: {exc}"
            self.output.line(active.job.name, message.encode())
            self._job_done(active, f"{step.what}: could not start")
            return
        assert proc.stdout is not None
        os.set_blocking(proc.stdout.fileno(), False)
        self.selector.register(proc.stdout, selectors.EVENT_READ, active)
        active.proc = proc
        active.pipe_open = True

    # ------------------------------------------------------------------------------ output

    def _read(self, timeout: float) -> None:
        if not self.selector.get_map():
            time.sleep(timeout)
            return
        for key, _ in self.selector.select(timeout):
            active: _Active = key.data
            self._drain(active)

    def _drain(self, active: _Active) -> None:
        """Read what the step's pipe holds now; at its end, close it."""
        proc = active.proc
        if proc is None or not active.pipe_open or proc.stdout is None:
            return
        while True:
            try:
                data = os.read(proc.stdout.fileno(), _READ_SIZE)
            except BlockingIOError:
                return
            if not data:
                self.selector.unregister(proc.stdout)
                proc.stdout.close()
                active.pipe_open = False
                self._flush_partial(active)
                return
            self._feed(active, data)

    def _feed(self, active: _Active, data: bytes) -> None:
        *complete, active.partial = (active.partial + data).split(b"\n")
        for text in complete:
            self.output.line(active.job.name, text)

    def _flush_partial(self, active: _Active) -> None:
        if active.partial:
            self.output.line(active.job.name, active.partial)
            active.partial = b""

    def _close_pipe(self, active: _Active) -> None:
        self._drain(active)
        proc = active.proc
        if active.pipe_open and proc is not None and proc.stdout is not None:
            self.selector.unregister(proc.stdout)
            proc.stdout.close()
            active.pipe_open = False
        self._flush_partial(active)

    # ------------------------------------------------------------------------------- exits

    def _reap_finished(self) -> None:
        for active in list(self.active.values()):
            proc = active.proc
            if active.job.name not in self.active or proc is None or proc.poll() is None:
                continue  # gone: stopped when another job failed
            self._drain(active)
            if _group_alive(proc.pid):  # it left processes behind: they end with it
                _terminate([proc], self._signalled_again())
            self._close_pipe(active)
            step = active.job.steps[active.step]
            if proc.returncode == 0 and active.step + 1 < len(active.job.steps):
                active.step += 1
                self._spawn(active)
                continue
            failure = None if proc.returncode == 0 else f"{step.what}: {_status(proc.returncode)}"
            self._job_done(active, failure)

    def _job_done(self, active: _Active, failure: str | None) -> None:
        del self.active[active.job.name]
        seconds = time.monotonic() - active.started
        if failure is None:
            self._finish(Outcome(active.job.name, Result.PASSED, "", seconds))
            return
        self._finish(Outcome(active.job.name, Result.FAILED, failure, seconds))
        if not self.keep_going and self.stop_reason is None:
            self.stop_reason = f"{active.job.name} failed"
            self._stop_all(self.stop_reason)

    def _finish(self, outcome: Outcome) -> None:
        self.outcomes[outcome.name] = outcome
        self.output.finished(outcome)

    def _stop_all(self, reason: str) -> None:
        """Stop every running job (SIGTERM, then SIGKILL after the grace period)."""
        actives = list(self.active.values())
        if not actives:
            return
        procs = [a.proc for a in actives if a.proc is not None]
        _terminate(procs, self._signalled_again())
        for active in actives:
            self._close_pipe(active)
            del self.active[active.job.name]
            seconds = time.monotonic() - active.started
            step = active.job.steps[active.step].what
            self._finish(Outcome(active.job.name, Result.STOPPED, f"{step}: {reason}", seconds))

    def _running(self) -> list[Running]:
        return [
            Running(a.job.name, a.job.steps[a.step].what, a.started) for a in self.active.values()
        ]

    # ----------------------------------------------------------------------------- signals

    def _interrupted(self) -> None:
        assert self.signal is not None
        name = "Ctrl-C" if self.signal == signal.SIGINT else signal.Signals(self.signal).name
        self.stop_reason = f"interrupted ({name})"
        running = ", ".join(self.active) or "nothing"
        self.output.notice(f"uvmono: {self.stop_reason}: stopping {running}")
        self._stop_all(self.stop_reason)

    def _signalled_again(self) -> Callable[[], bool]:
        """True once a signal arrives after this call: the user insists, skip the grace."""
        seen = self.signals
        return lambda: self.signals > seen

    @contextlib.contextmanager
    def _signals_caught(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        caught = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

        def handler(signum: int, frame: Any) -> None:
            if self.signal is None:
                self.signal = signum
            self.signals += 1

        # A signal ignored from the start (`nohup`, a shell's background job) stays ignored.
        previous = {
            s: signal.signal(s, handler) for s in caught if signal.getsignal(s) != signal.SIG_IGN
        }
        try:
            yield
        finally:
            for s, old in previous.items():
                signal.signal(s, old)


def _one_line(text: str) -> str:
    """A multi-line script in a command line, as one line of output."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _status(returncode: int) -> str:
    if returncode < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-returncode).name}"
    return f"exit code {returncode}"


def _terminate(procs: Sequence[subprocess.Popen[bytes]], hurry: Callable[[], bool]) -> None:
    """Stop each process's whole group: SIGTERM, then SIGKILL after GRACE_SECONDS (at once
    when `hurry()` turns true), and reap everything."""
    for proc in procs:
        _signal_group(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline and not hurry():
        for proc in procs:
            proc.poll()
        if not any(proc.returncode is None or _group_alive(proc.pid) for proc in procs):
            return
        time.sleep(0.02)
    for proc in procs:
        _signal_group(proc.pid, signal.SIGKILL)
    for proc in procs:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=GRACE_SECONDS)
        end = time.monotonic() + 1.0
        while proc.returncode is not None and _group_alive(proc.pid) and time.monotonic() < end:
            time.sleep(0.01)


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _group_alive(pgid: int) -> bool:
    """Whether any process of the group is left, after reaping those that came back to us."""
    _reap_group(pgid)
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _reap_group(pgid: int) -> None:
    waitid = getattr(os, "waitid", None)
    if waitid is None:
        return
    while True:
        try:
            if waitid(os.P_PGID, pgid, os.WEXITED | os.WNOHANG) is None:
                return
        except ChildProcessError:
            return


def _become_subreaper() -> None:
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
