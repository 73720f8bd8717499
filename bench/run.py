#!/usr/bin/env python3
"""Time the uvmono CLI on synthetic uv workspaces, side by side with the floor script.

    .venv/bin/python bench/run.py [--sizes 50,500,2000,5000,10000] [--chain 10000] [--runs 9]
                                  [--changes 10] [--timeout 120] [--mem-limit 4096]

Workspaces come from `../shared/bench/gen_workspace.py` (random DAGs, cached under
`bench/out/`); the dependency chain (member i depends on member i-1, the change at the bottom,
so every member is affected) is written here. The floor is `../shared/bench/floor.py`, run with
the same interpreter. Every figure is the wall time of one whole process (median of `--runs`
runs after one warm-up run, interleaved: each round runs every command once) and its peak
memory (max RSS, from `wait4`, as `/usr/bin/time -v` reports it). The last table says OK or
MISSED against the goals of issue 16.

Before timing a workspace, uvmono's affected set is checked against the generator's expected
set (and the floor's, and `affected` without `--until`): any mismatch is printed loudly and the
script exits 1. See bench/README.md.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import hashlib
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def shared_bench() -> Path:
    """`shared/bench/` next to the repository root (or next to a parent, for a git worktree
    such as `wt/<name>`); `$UVMONO_SHARED_BENCH` overrides it."""
    if os.environ.get("UVMONO_SHARED_BENCH"):
        return Path(os.environ["UVMONO_SHARED_BENCH"]).resolve()
    for parent in REPO.parents:
        if (parent / "shared" / "bench" / "floor.py").is_file():
            return parent / "shared" / "bench"
    return (REPO / ".." / "shared" / "bench").resolve()


SHARED_BENCH = shared_bench()
GEN = SHARED_BENCH / "gen_workspace.py"
FLOOR = SHARED_BENCH / "floor.py"
DEFAULT_OUT = REPO / "bench" / "out"
DEFAULT_SIZES = [50, 500, 2000, 5000, 10000]

# Deterministic identity for the commits made here (`top_up`, the chain).
GIT_ENV = {
    "GIT_AUTHOR_NAME": "uvmono-bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "uvmono-bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_AUTHOR_DATE": "2025-01-02T00:00:00+00:00",
    "GIT_COMMITTER_DATE": "2025-01-02T00:00:00+00:00",
}

# Members touched by gen_workspace's `--changes` in every scenario. gen_workspace changes
# exactly ONE file in each of `min(--changes, --members)` members (`--files-per-member` only
# sets how many mod_<j>.py files each member has; it never adds changed files). Larger diffs
# are made by `top_up`, inside these same members, so the expected affected set is unchanged.
TOUCHED_MEMBERS = 10
CHAIN_VERSION = 1  # bump when `chain_workspace` writes something different

# Goals of issue 16.
FLOOR_RATIO_GOAL = 0.8  # affected at FLOOR_RATIO_SIZES, over the floor
FLOOR_RATIO_SIZES = (2000, 5000)
SMALL_SIZE, SMALL_GOAL_S = 50, 0.120  # affected and members
HELP_GOAL_S = 0.080
MEMORY_SIZE, MEMORY_GOAL_MB = 5000, 100.0
LINEAR_FROM, LINEAR_TO, LINEAR_FACTOR = 2000, 10000, 1.25  # per-member cost, to over from

COMMANDS = ("floor", "affected", "members")


class BenchError(Exception):
    """A failure that stops the benchmark (bad input, a failing command, a wrong answer)."""


@dataclass
class Workspace:
    path: Path
    kind: str  # "dag" or "chain"
    members: int
    changed_files: list[str]
    expected_direct: list[str]
    expected_affected: list[str]
    generated_seconds: float

    @property
    def label(self) -> str:
        return f"{self.members:,}" + (" chain" if self.kind == "chain" else "")


@dataclass
class Sample:
    seconds: float
    cpu_seconds: float  # user + system, of the process and the children it waited for
    max_rss_mb: float
    returncode: int  # -1: killed at the timeout
    stdout_path: Path | None = None


@dataclass
class Measurement:
    command: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)  # over the cold environment (`timed`)
    samples: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    failure: str = ""  # set when a run failed or timed out: the command is not run again

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples and not self.failure else None

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu and not self.failure else None

    @property
    def peak_mb(self) -> float | None:
        return max(self.rss_mb) if self.rss_mb else None


@dataclass
class Result:
    workspace: str
    kind: str
    members: int
    changed_files: int
    affected: int
    command: str
    median_s: float | None
    min_s: float | None
    peak_mb: float | None
    ratio_to_floor: float | None
    cpu_median_s: float | None
    cpu_ratio_to_floor: float | None
    failure: str
    samples: list[float]


@dataclass
class Goal:
    text: str
    measured: str
    met: bool | None  # None: not measured in this run


# ------------------------------------------------------------------------------ subprocesses


def run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    res = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise BenchError(
            f"command failed (exit {res.returncode}): {' '.join(argv)}\n"
            f"  cwd: {cwd}\n  stderr: {res.stderr.strip()[-2000:]}"
        )
    return res.stdout


def limiter(mem_limit_mb: int) -> Callable[[], None]:
    def limit() -> None:  # in the child, before exec
        if mem_limit_mb > 0:
            size = mem_limit_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return limit


def timed(
    argv: list[str],
    cwd: Path,
    timeout: float,
    mem_limit_mb: int,
    keep: bool,
    extra_env: dict[str, str] | None = None,
) -> Sample:
    """Wall time and peak memory of one whole process (its stdout goes to a file: reading a
    pipe would add the reader's speed to the figure). The process group is killed at the
    timeout. With `keep`, the stdout file is kept and returned. uvmono runs cold, as in CI:
    without its parsed-workspace cache (UVMONO_NO_CACHE=1), unless `extra_env` says otherwise."""
    out = tempfile.NamedTemporaryFile(prefix="uvmono-bench-", delete=False)  # noqa: SIM115
    out_path = Path(out.name)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["UVMONO_NO_CACHE"] = "1"
    env.update(extra_env or {})
    killed = threading.Event()
    try:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=limiter(mem_limit_mb),
        )

        def kill() -> None:
            killed.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        out.close()
    code = -1 if killed.is_set() else proc.returncode
    # ru_maxrss is in KiB on Linux: the largest of the process and the children it waited for.
    cpu = usage.ru_utime + usage.ru_stime
    sample = Sample(elapsed, cpu, usage.ru_maxrss / 1024, code, out_path if keep else None)
    if not keep:
        out_path.unlink(missing_ok=True)
    return sample


def git(ws: Path, *args: str) -> str:
    return run(["git", *args], ws, env=dict(os.environ, **GIT_ENV))


# -------------------------------------------------------------------------------- workspaces


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def top_up(ws: Path, direct_files: list[str], target: int) -> list[str]:
    """Commit new source files on `feature` until `main...feature` names `target` files.

    The files go into the src package of the members gen_workspace already changed, round
    robin, so the expected affected set stays the generator's. Returns the added paths.
    """
    extra = target - len(direct_files)
    if extra <= 0:
        return []
    member_dirs = sorted({"/".join(Path(p).parts[:2]) for p in direct_files})
    pkg_dirs: list[Path] = []
    for d in member_dirs:
        subdirs = sorted(p for p in (ws / d / "src").iterdir() if p.is_dir())
        if not subdirs:
            raise BenchError(f"no source package under {ws / d / 'src'}")
        pkg_dirs.append(subdirs[0])
    added: list[str] = []
    for k in range(extra):
        pkg = pkg_dirs[k % len(pkg_dirs)]
        path = pkg / f"bench_extra_{k:05d}.py"
        path.write_text(f"EXTRA = {k}\n", encoding="utf-8")
        added.append(path.relative_to(ws).as_posix())
    git(ws, "add", "-A")
    git(ws, "commit", "-q", "-m", f"bench: {extra} more changed files")
    return added


def cached(meta_path: Path, ws: Path, params: dict[str, Any]) -> dict[str, Any] | None:
    if meta_path.is_file() and (ws / ".git").is_dir():
        meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("params") == params:
            return meta
    meta_path.unlink(missing_ok=True)
    return None


def uv_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    if shutil.which("uv", path=env["PATH"]) is None:
        raise BenchError("--lock needs uv on PATH (it is a dev dependency: `uv sync`)")
    return env


def dag_workspace(out: Path, members: int, changed: int, seed: int, lock: bool) -> Workspace:
    """Generate (or reuse from the cache) one random-DAG workspace with `changed` files on
    `feature`."""
    key = f"ws-m{members}-f{changed}-s{seed}{'-lock' if lock else ''}"
    ws, meta_path = out / key, out / f"{key}.json"
    params: dict[str, Any] = {
        "members": members,
        "seed": seed,
        "touched_members": TOUCHED_MEMBERS,
        "changed_files": changed,
        "lock": lock,
        "gen_workspace_sha": file_digest(GEN),
    }
    meta = cached(meta_path, ws, params)
    if meta is None:
        print(f"generating {key} ...", file=sys.stderr, flush=True)
        argv = [sys.executable, str(GEN), str(ws), "--members", str(members), "--seed", str(seed)]
        argv += ["--changes", str(TOUCHED_MEMBERS), "--force"] + (["--lock"] if lock else [])
        t0 = time.perf_counter()
        gen: dict[str, Any] = json.loads(run(argv, REPO, env=uv_env() if lock else None))
        if lock and not gen.get("uv_lock"):
            raise BenchError(f"gen_workspace could not lock {ws}: {gen.get('lock_note')}")
        if changed < len(gen["changed_files"]):
            raise BenchError(f"--changes {changed} is below the {TOUCHED_MEMBERS} touched members")
        files = sorted(gen["changed_files"] + top_up(ws, gen["changed_files"], changed))
        seconds = round(time.perf_counter() - t0, 2)
        meta = {"params": params, "gen": gen, "changed_files": files, "generated_seconds": seconds}
        meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return Workspace(
        ws,
        "dag",
        members,
        meta["changed_files"],
        meta["gen"]["direct"],
        meta["gen"]["affected"],
        meta["generated_seconds"],
    )


def chain_workspace(out: Path, members: int, lock: bool) -> Workspace:
    """A dependency chain: member i depends on member i-1; `feature` edits member 0, so every
    member is affected, through a chain of up to `members` links."""
    key = f"chain-m{members}{'-lock' if lock else ''}"
    ws, meta_path = out / key, out / f"{key}.json"
    params: dict[str, Any] = {"members": members, "lock": lock, "version": CHAIN_VERSION}
    names = [f"chain-{i:05d}" for i in range(members)]
    meta = cached(meta_path, ws, params)
    if meta is None:
        print(f"generating {key} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        if ws.exists():
            shutil.rmtree(ws)
        (ws / "packages").mkdir(parents=True)
        (ws / "pyproject.toml").write_text(
            '[tool.uv.workspace]\nmembers = ["packages/*"]\n', encoding="utf-8"
        )
        (ws / ".gitignore").write_text(".venv/\n__pycache__/\n", encoding="utf-8")
        for i, name in enumerate(names):
            d = ws / "packages" / name
            mod = name.replace("-", "_")
            (d / "src" / mod).mkdir(parents=True)
            lines = ["[project]", f'name = "{name}"', 'version = "0.1.0"']
            lines.append('requires-python = ">=3.11"')
            if i:
                prev = names[i - 1]
                lines += [f'dependencies = ["{prev}"]', "", "[tool.uv.sources]"]
                lines.append(f"{prev} = {{ workspace = true }}")
            else:
                lines.append("dependencies = []")
            lines += ["", "[build-system]", 'requires = ["hatchling"]']
            lines += ['build-backend = "hatchling.build"', ""]
            (d / "pyproject.toml").write_text("\n".join(lines), encoding="utf-8")
            (d / "src" / mod / "__init__.py").write_text(f"VALUE = {i}\n", encoding="utf-8")
        if lock:
            run(["uv", "lock", "--offline", "--quiet"], ws, env=uv_env())
        git(ws, "init", "-q", "-b", "main")
        git(ws, "config", "gc.auto", "0")
        git(ws, "config", "maintenance.auto", "false")
        git(ws, "add", "-A")
        git(ws, "commit", "-q", "-m", "chain workspace")
        git(ws, "checkout", "-q", "-b", "feature")
        changed = f"packages/{names[0]}/src/{names[0].replace('-', '_')}/__init__.py"
        (ws / changed).write_text("VALUE = 0\nCHANGED = True\n", encoding="utf-8")
        git(ws, "commit", "-q", "-am", "change the bottom of the chain")
        seconds = round(time.perf_counter() - t0, 2)
        meta = {"params": params, "changed_files": [changed], "generated_seconds": seconds}
        meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return Workspace(
        ws, "chain", members, meta["changed_files"], names[:1], names, meta["generated_seconds"]
    )


# ------------------------------------------------------------------------------- correctness


def diff_lines(label: str, got: list[str], want: list[str]) -> list[str]:
    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    if not missing and not extra:
        return []
    out = [f"{label}: got {len(got)}, expected {len(want)}"]
    if missing:
        out.append(f"  missing ({len(missing)}): {', '.join(missing[:20])}")
    if extra:
        out.append(f"  unexpected ({len(extra)}): {', '.join(extra[:20])}")
    return out


@dataclass
class NoAnswer:
    why: str
    peak_mb: float


def checked_json(
    label: str,
    argv: list[str],
    cwd: Path,
    timeout: float,
    mem_limit_mb: int,
    extra_env: dict[str, str] | None = None,
) -> dict[str, Any] | NoAnswer:
    """Run one command for its JSON answer, within the timeout and memory limit."""
    s = timed(argv, cwd, timeout, mem_limit_mb, keep=True, extra_env=extra_env)
    assert s.stdout_path is not None
    try:
        if s.returncode == -1:
            return NoAnswer(f"{label}: no answer within {timeout:g} s", s.max_rss_mb)
        if s.returncode != 0:
            return NoAnswer(f"{label}: exit {s.returncode} after {s.seconds:.1f} s", s.max_rss_mb)
        size = s.stdout_path.stat().st_size
        if size > 200 * 1024 * 1024:
            why = f"{label}: {size / 2**20:.0f} MB of JSON in {s.seconds:.1f} s, not parsed"
            return NoAnswer(why, s.max_rss_mb)
        data: dict[str, Any] = json.loads(s.stdout_path.read_text(encoding="utf-8"))
        return data
    finally:
        s.stdout_path.unlink(missing_ok=True)


def warm_env(w: Workspace) -> dict[str, str]:
    """uvmono with its parsed-workspace cache (wscache.py), kept next to the workspace."""
    cache = w.path.with_name(w.path.name + ".cache")
    return {"UVMONO_NO_CACHE": "", "UVMONO_CACHE_DIR": str(cache)}


def verify(
    uvmono: str, w: Workspace, timeout: float, mem_limit_mb: int
) -> tuple[list[str], NoAnswer | None]:
    """(wrong answers, why uvmono gave no answer). A command that gives no answer (a timeout,
    the memory limit) is reported, not counted as a wrong answer."""
    problems: list[str] = []
    floor_argv = [sys.executable, str(FLOOR), str(w.path), "--base", "main", "--head", "feature"]
    floor = json.loads(run(floor_argv, w.path))
    problems += diff_lines(
        "floor.py affected vs the generator (the benchmark itself is off)",
        floor["affected"],
        w.expected_affected,
    )
    base = [uvmono, "--root", str(w.path), "affected", "--since", "main", "--format", "json"]
    with_until = checked_json(
        "affected", [*base, "--until", "feature"], w.path, timeout, mem_limit_mb
    )
    if isinstance(with_until, NoAnswer):
        return problems, with_until
    problems += diff_lines(
        "uvmono affected (--until feature) vs the generator",
        with_until.get("affected", []),
        w.expected_affected,
    )
    problems += diff_lines(
        "uvmono directly_changed vs the generator",
        with_until.get("directly_changed", []),
        w.expected_direct,
    )
    problems += diff_lines(
        "uvmono changed_files vs the feature branch",
        with_until.get("changed_files", []),
        w.changed_files,
    )
    # With the parsed-workspace cache: the run that stores it, then one that reads it.
    for label in ("affected (cache stored)", "affected (from the cache)"):
        cached = checked_json(
            label, [*base, "--until", "feature"], w.path, timeout, mem_limit_mb, warm_env(w)
        )
        if isinstance(cached, NoAnswer):
            return problems, cached
        if cached != with_until:
            problems.append(f"uvmono {label}: a different answer than without the cache")
    worktree = checked_json("affected (working tree)", base, w.path, timeout, mem_limit_mb)
    if isinstance(worktree, NoAnswer):
        return problems, worktree
    problems += diff_lines(
        "uvmono affected (working tree, no --until) vs (--until feature)",
        worktree.get("affected", []),
        with_until.get("affected", []),
    )
    return problems, None


# ---------------------------------------------------------------------------------- timing


def measure(
    cases: list[Measurement], cwd: Path, runs: int, timeout: float, mem_limit_mb: int
) -> None:
    """One warm-up round, then `runs` rounds; each round runs every case once, so that a burst
    of load on a busy machine hits all the commands alike. A case that fails or times out is
    recorded once and not run again."""
    for rnd in range(runs + 1):
        for case in cases:
            if case.failure:
                continue
            s = timed(case.argv, cwd, timeout, mem_limit_mb, keep=False, extra_env=case.env)
            if s.returncode == -1:
                case.failure = f"timeout > {timeout:g} s"
            elif s.returncode != 0:
                case.failure = f"exit {s.returncode} after {s.seconds:.1f} s"
            if case.failure:
                case.rss_mb.append(s.max_rss_mb)
                continue
            if rnd > 0:
                case.samples.append(s.seconds)
                case.cpu.append(s.cpu_seconds)
                case.rss_mb.append(s.max_rss_mb)


def workspace_cases(uvmono: str, w: Workspace) -> list[Measurement]:
    root = ["--root", str(w.path)]
    since = ["--since", "main", "--until", "feature", "--format", "json"]
    floor = [sys.executable, str(FLOOR), str(w.path), "--base", "main", "--head", "feature"]
    return [
        Measurement("floor", floor),
        Measurement("affected", [uvmono, *root, "affected", *since]),
        Measurement("members", [uvmono, *root, "members", "--format", "json"]),
        # Warm, as on a developer's machine: the warm-up round stores the cache.
        Measurement("affected warm", [uvmono, *root, "affected", *since], env=warm_env(w)),
    ]


def results_for(w: Workspace, cases: list[Measurement]) -> list[Result]:
    by = {m.command: m for m in cases}
    floor, floor_cpu = by["floor"].median, by["floor"].cpu_median
    out = []
    for m in cases:
        med, cpu = m.median, m.cpu_median
        ratio = med / floor if med is not None and floor else None
        cpu_ratio = cpu / floor_cpu if cpu is not None and floor_cpu else None
        out.append(
            Result(
                w.path.name,
                w.kind,
                w.members,
                len(w.changed_files),
                len(w.expected_affected),
                m.command,
                med,
                min(m.samples) if med is not None else None,
                m.peak_mb,
                ratio,
                cpu,
                cpu_ratio,
                m.failure,
                m.samples,
            )
        )
    return out


# ---------------------------------------------------------------------------------- output


def table(head: list[str], body: list[list[str]], left: int = 1) -> list[str]:
    """Plain-text table: the first `left` columns left-aligned, the others right-aligned."""
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]

    def fmt(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i < left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [fmt(head), fmt(["-" * w for w in widths]), *(fmt(r) for r in body)]


def secs(r: Result | None) -> str:
    if r is None:
        return "-"
    if r.median_s is None:
        return r.failure or "-"
    return f"{r.median_s:.3f} s"


def ratio(r: Result | None) -> str:
    return f"{r.ratio_to_floor:.2f}x" if r and r.ratio_to_floor is not None else "-"


def mem(r: Result | None) -> str:
    return f"{r.peak_mb:.0f} MB" if r and r.peak_mb is not None else "-"


def main_table(results: list[Result]) -> list[str]:
    head = ["members", "changed", "affected", "floor", "uvmono affected", "ratio"]
    head += ["uvmono members", "ratio", "affected warm", "ratio"]
    head += ["peak MB floor/affected/members"]
    keys = sorted(
        {(r.kind, r.members, r.changed_files) for r in results}, key=lambda k: (k[0] != "dag", k)
    )
    body = []
    for kind, n, c in keys:
        got = {
            r.command: r for r in results if (r.kind, r.members, r.changed_files) == (kind, n, c)
        }
        f, a, m = got.get("floor"), got.get("affected"), got.get("members")
        warm = got.get("affected warm")
        label = f"{n:,}" + (" chain" if kind == "chain" else "")
        peaks = " / ".join(mem(x).removesuffix(" MB") for x in (f, a, m))
        body.append(
            [
                label,
                f"{c:,}",
                f"{next(x for x in (f, a, m) if x is not None).affected:,}",
                secs(f),
                secs(a),
                ratio(a),
                secs(m),
                ratio(m),
                secs(warm),
                ratio(warm),
                peaks,
            ]
        )
    return table(head, body, left=1)


def cpu_table(results: list[Result]) -> list[str]:
    head = ["members", "floor CPU", "affected CPU", "ratio", "members CPU", "ratio"]
    head += ["affected warm CPU", "ratio"]
    body = []
    for r in results:
        if r.command != "floor":
            continue
        row = [f"{r.members:,}" + (" chain" if r.kind == "chain" else "")]
        row.append(f"{r.cpu_median_s:.3f} s" if r.cpu_median_s is not None else "-")
        for cmd in ("affected", "members", "affected warm"):
            x = find(results, r.kind, r.members, cmd, r.changed_files)
            if x is None or x.cpu_median_s is None:
                row += ["-", "-"]
            else:
                row += [f"{x.cpu_median_s:.3f} s", f"{x.cpu_ratio_to_floor or 0:.2f}x"]
        body.append(row)
    return table(head, body, left=1)


def find(results: list[Result], kind: str, n: int, command: str, c: int) -> Result | None:
    for r in results:
        if (r.kind, r.members, r.command, r.changed_files) == (kind, n, command, c):
            return r
    return None


def evaluate(results: list[Result], help_s: float | None, changes: int) -> list[Goal]:
    """The goals of issue 16, each OK, MISSED or not measured in this run."""
    goals: list[Goal] = []
    for n in FLOOR_RATIO_SIZES:
        r = find(results, "dag", n, "affected", changes)
        text = f"affected at {n:,} members <= {FLOOR_RATIO_GOAL}x floor"
        if r is None or r.ratio_to_floor is None:
            goals.append(Goal(text, r.failure if r else "not run", None if r is None else False))
        else:
            goals.append(Goal(text, ratio(r), r.ratio_to_floor <= FLOOR_RATIO_GOAL))
    for cmd in ("affected", "members"):
        r = find(results, "dag", SMALL_SIZE, cmd, changes)
        text = f"{cmd} at {SMALL_SIZE} members <= {SMALL_GOAL_S:.3f} s"
        if r is None or r.median_s is None:
            goals.append(Goal(text, r.failure if r else "not run", None if r is None else False))
        else:
            goals.append(Goal(text, secs(r), r.median_s <= SMALL_GOAL_S))
    text = f"uvmono --help <= {HELP_GOAL_S:.3f} s"
    goals.append(
        Goal(text, f"{help_s:.3f} s", help_s <= HELP_GOAL_S)
        if help_s is not None
        else Goal(text, "failed", False)
    )
    for cmd in ("affected", "members"):
        r = find(results, "dag", MEMORY_SIZE, cmd, changes)
        text = f"{cmd} peak memory at {MEMORY_SIZE:,} members <= {MEMORY_GOAL_MB:g} MB"
        if r is None or r.peak_mb is None:
            goals.append(Goal(text, "not run", None))
        else:
            goals.append(Goal(text, mem(r), r.peak_mb <= MEMORY_GOAL_MB))
    for kind, cmd in (("dag", "affected"), ("dag", "members"), ("chain", "affected")):
        lo = find(results, "dag", LINEAR_FROM, cmd, changes)
        hi = find(results, kind, LINEAR_TO, cmd, changes if kind == "dag" else 1)
        where = f"{LINEAR_TO:,}" + (" chain" if kind == "chain" else "")
        text = (
            f"{cmd}: per-member cost at {where} <= {LINEAR_FACTOR}x "
            f"the one at {LINEAR_FROM:,} members"
        )
        if lo is None or hi is None or lo.median_s is None:
            goals.append(Goal(text, "not run", None))
        elif hi.median_s is None:
            goals.append(Goal(text, hi.failure, False))
        else:
            growth = (hi.median_s / LINEAR_TO) / (lo.median_s / LINEAR_FROM)
            goals.append(Goal(text, f"{growth:.2f}x", growth <= LINEAR_FACTOR))
    return goals


def goals_table(goals: list[Goal]) -> list[str]:
    body = [
        [g.text, g.measured, "not run" if g.met is None else ("OK" if g.met else "MISSED")]
        for g in goals
    ]
    return table(["goal (issue 16)", "measured", "verdict"], body, left=1)


def int_list(text: str) -> list[int]:
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        msg = f"expected comma-separated integers, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    if any(v < 0 for v in values):
        raise argparse.ArgumentTypeError(f"expected non-negative integers, got {text!r}")
    return [v for v in values if v]


def find_uvmono() -> str:
    for candidate in (Path(sys.executable).parent / "uvmono", REPO / ".venv" / "bin" / "uvmono"):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("uvmono")
    if found is None:
        raise BenchError("uvmono not found: run from the project venv (.venv/bin/python)")
    return found


def compile_bytecode(uvmono: str) -> None:
    """Compile uvmono's package and its site-packages, so that no run pays for it."""
    probe = "import uvmono, sysconfig; print(uvmono.__path__[0]); "
    probe += "print(sysconfig.get_path('purelib'))"
    python = Path(uvmono).with_name("python")
    if not python.is_file():
        python = Path(sys.executable)
    for line in run([str(python), "-c", probe], REPO).splitlines():
        compileall.compile_dir(line, quiet=1, workers=0)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument(
        "--sizes",
        type=int_list,
        default=DEFAULT_SIZES,
        help="random-DAG workspace sizes in members (default 50,500,2000,5000,10000)",
    )
    ap.add_argument(
        "--chain",
        type=int,
        default=10000,
        help="members of the dependency-chain workspace (default 10000; 0: none)",
    )
    ap.add_argument("--runs", type=int, default=9, help="timed runs per command (default 9)")
    ap.add_argument(
        "--changes",
        type=int_list,
        default=[TOUCHED_MEMBERS],
        help=f"changed files on main...feature, comma-separated (default {TOUCHED_MEMBERS})",
    )
    ap.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        help="seconds one run may take before it is killed and reported (default 120)",
    )
    ap.add_argument(
        "--mem-limit",
        type=int,
        default=4096,
        help="address-space limit of each timed process, MB (default 4096; 0: none)",
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--no-lock", dest="lock", action="store_false", help="generate workspaces without a uv.lock"
    )
    ap.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="cache of generated workspaces, and results.json (default bench/out)",
    )
    ap.add_argument("--uvmono", default=None, help="the uvmono executable (default: the venv's)")
    a = ap.parse_args(argv)
    if a.runs < 1:
        ap.error("--runs must be at least 1")
    if not a.changes or min(a.changes) < TOUCHED_MEMBERS:
        ap.error(f"--changes must be at least {TOUCHED_MEMBERS} (members gen_workspace touches)")
    if a.sizes and min(a.sizes) < 2 * TOUCHED_MEMBERS:
        ap.error(f"--sizes must be at least {2 * TOUCHED_MEMBERS}")
    if a.chain < 0 or 0 < a.chain < 2:
        ap.error("--chain must be 0 or at least 2")
    return a


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    sizes: list[int] = a.sizes
    changes: list[int] = a.changes
    runs: int = a.runs
    timeout: float = a.timeout
    mem_limit: int = a.mem_limit
    try:
        for path in (GEN, FLOOR):
            if not path.is_file():
                raise BenchError(f"{path} not found (expected next to the repository)")
        uvmono = a.uvmono or find_uvmono()
        out: Path = a.out.resolve()
        out.mkdir(parents=True, exist_ok=True)

        workspaces = [dag_workspace(out, n, c, a.seed, a.lock) for n in sizes for c in changes]
        if a.chain:
            workspaces.append(chain_workspace(out, a.chain, a.lock))
        compile_bytecode(uvmono)
        load_before = os.getloadavg()
        started = time.time()

        start_cases = [
            Measurement("python -c pass", [sys.executable, "-c", "pass"]),
            Measurement("uvmono --help", [uvmono, "--help"]),
        ]
        measure(start_cases, REPO, runs, timeout, mem_limit)
        interp_s, help_s = (m.median for m in start_cases)

        results: list[Result] = []
        checks: list[dict[str, Any]] = []
        failures: list[str] = []
        for w in workspaces:
            print(f"checking {w.path.name} ...", file=sys.stderr, flush=True)
            problems, no_answer = verify(uvmono, w, timeout, mem_limit)
            checks.append(
                {
                    "path": str(w.path),
                    "kind": w.kind,
                    "members": w.members,
                    "changed_files": len(w.changed_files),
                    "expected_affected": len(w.expected_affected),
                    "generated_seconds": w.generated_seconds,
                    "correct": not problems,
                    "problems": problems,
                    "no_answer": no_answer.why if no_answer else "",
                }
            )
            if problems:
                failures.append(f"{w.path.name}:")
                failures += [f"  {p}" for p in problems]
                print(f"\n!!! WRONG ANSWER on {w.path.name} !!!", file=sys.stderr)
                for p in problems:
                    print(f"!!! {p}", file=sys.stderr)
                continue
            if no_answer:
                print(f"  {no_answer.why}", file=sys.stderr)
            print(
                f"timing {w.path.name} ({len(w.expected_affected):,} affected) ...",
                file=sys.stderr,
                flush=True,
            )
            cases = workspace_cases(uvmono, w)
            if no_answer:  # the check already ran it once: report that, do not run it again
                cases[1].failure = no_answer.why.split(": ", 1)[1]
                cases[1].rss_mb.append(no_answer.peak_mb)
            measure(cases, w.path, runs, timeout, mem_limit)
            results += results_for(w, cases)

        load_after = os.getloadavg()
        goals = evaluate(results, help_s, changes[0])
        lines = [
            "",
            f"uvmono benchmark, {time.strftime('%Y-%m-%d %H:%M', time.localtime(started))}: "
            f"whole process, median of {runs} runs (after 1 warm-up), {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, load average "
            f"{load_before[0]:.2f} -> {load_after[0]:.2f}",
            "ratio = uvmono's median / floor.py's median on the same workspace; "
            "peak = max RSS over the runs",
            "",
            *main_table(results),
            "",
            "CPU time (user + system, with the git processes), median; less sensitive to load:",
            *cpu_table(results),
            "",
            f"uvmono --help: {help_s:.3f} s (CPU {start_cases[1].cpu_median or 0:.3f} s); "
            f"python -c pass: {interp_s:.3f} s (CPU {start_cases[0].cpu_median or 0:.3f} s)"
            if help_s is not None and interp_s is not None
            else "uvmono --help failed",
            "",
            *goals_table(goals),
        ]
        print("\n".join(lines))
        report = {
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
            "machine": {
                "python": platform.python_version(),
                "platform": platform.platform(),
                "cpus": os.cpu_count(),
                "loadavg_before": load_before,
                "loadavg_after": load_after,
            },
            "params": {
                "sizes": sizes,
                "chain": a.chain,
                "changes": changes,
                "runs": runs,
                "timeout": timeout,
                "mem_limit_mb": mem_limit,
                "seed": a.seed,
                "lock": a.lock,
                "uvmono": uvmono,
            },
            "startup": [asdict(m) for m in start_cases],
            "workspaces": checks,
            "results": [asdict(r) for r in results],
            "goals": [asdict(g) for g in goals],
        }
        (out / "results.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        print(f"\nresults: {out / 'results.json'}")
        if failures:
            print("\n!!! uvmono gave WRONG ANSWERS (not timed):", file=sys.stderr)
            for line in failures:
                print(f"!!! {line}", file=sys.stderr)
            return 1
        return 0
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
