#!/usr/bin/env python3
"""Time the uvmono CLI on synthetic uv workspaces, next to the physical floor.

    .venv/bin/python bench/run.py [--quick] [--sizes 100,1000,5000] [--changes 10,10000]
                                  [--repeat 5] [--seed 1] [--no-lock] [--out bench/out]

Workspaces come from `../shared/bench/gen_workspace.py` (cached under `bench/out/`), the floor
from `../shared/bench/floor.py` (both paths relative to the repository root, found from this
file). Every figure is the wall time of one subprocess (median of `--repeat` runs after one
warm-up run); the floor is also reported with its own in-process `seconds.total`.

Before timing a workspace, uvmono's affected set is checked against the generator's expected
set (and the floor's, and `affected` without `--until`): any mismatch is printed loudly and the
script exits 1. See bench/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED_BENCH = (REPO / ".." / "shared" / "bench").resolve()
GEN = SHARED_BENCH / "gen_workspace.py"
FLOOR = SHARED_BENCH / "floor.py"
DEFAULT_OUT = REPO / "bench" / "out"

# Deterministic identity for the extra commit that tops the diff up (see `top_up`).
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

# Targets from the issues. Ratios are wall time over the floor's wall time, at TARGET_SIZE.
TARGET_SIZE = 1000
HELP_TARGET_S = 0.150
RATIO_TARGETS = {"members": 2.0, "graph": 2.0, "affected": 1.5}


class BenchError(Exception):
    """A failure that stops the benchmark (bad input, a failing command, a wrong answer)."""


@dataclass
class Workspace:
    path: Path
    members: int
    changed_files: list[str]
    expected_direct: list[str]
    expected_affected: list[str]
    generated_seconds: float


@dataclass
class Measurement:
    members: int | None
    changed_files: int | None
    command: str
    argv: list[str]
    samples: list[float] = field(default_factory=list)
    inner_samples: list[float] = field(default_factory=list)  # the floor's own seconds.total

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def minimum(self) -> float:
        return min(self.samples)


@dataclass
class Row:
    members: int | None
    changed_files: int | None
    command: str
    median_s: float
    min_s: float
    ratio_to_floor: float | None
    target: str
    target_met: bool | None
    samples: list[float]


# ------------------------------------------------------------------------------ subprocesses


def run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    res = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise BenchError(
            f"command failed (exit {res.returncode}): {' '.join(argv)}\n"
            f"  cwd: {cwd}\n  stderr: {res.stderr.strip()[-2000:]}"
        )
    return res.stdout


def timed(argv: list[str], cwd: Path) -> tuple[float, str]:
    """Wall time of one subprocess, its output captured (reading it is part of the cost)."""
    t0 = time.perf_counter()
    res = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t0
    if res.returncode != 0:
        raise BenchError(
            f"command failed (exit {res.returncode}): {' '.join(argv)}\n"
            f"  stderr: {res.stderr.strip()[-2000:]}"
        )
    return elapsed, res.stdout


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


def workspace(out: Path, members: int, changed: int, seed: int, lock: bool) -> Workspace:
    """Generate (or reuse from the cache) one workspace with `changed` files on `feature`."""
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
    if meta_path.is_file() and (ws / ".git").is_dir():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("params") == params:
            return Workspace(
                ws,
                members,
                meta["changed_files"],
                meta["gen"]["direct"],
                meta["gen"]["affected"],
                meta["generated_seconds"],
            )
    meta_path.unlink(missing_ok=True)
    print(f"generating {key} ...", file=sys.stderr, flush=True)
    argv = [
        sys.executable,
        str(GEN),
        str(ws),
        "--members",
        str(members),
        "--seed",
        str(seed),
        "--changes",
        str(TOUCHED_MEMBERS),
        "--force",
    ]
    env = dict(os.environ)
    if lock:
        argv.append("--lock")
        venv_bin = str(Path(sys.executable).parent)
        env["PATH"] = venv_bin + os.pathsep + env.get("PATH", "")
        if shutil.which("uv", path=env["PATH"]) is None:
            raise BenchError(
                "--lock needs uv on PATH (it is a dev dependency: `uv sync`), or pass --no-lock"
            )
    t0 = time.perf_counter()
    gen: dict[str, Any] = json.loads(run(argv, REPO, env=env))
    if lock and not gen.get("uv_lock"):
        raise BenchError(f"gen_workspace could not lock {ws}: {gen.get('lock_note')}")
    if changed < len(gen["changed_files"]):
        raise BenchError(f"--changes {changed} is below the {TOUCHED_MEMBERS} touched members")
    files = sorted(gen["changed_files"] + top_up(ws, gen["changed_files"], changed))
    seconds = round(time.perf_counter() - t0, 2)
    meta = {"params": params, "gen": gen, "changed_files": files, "generated_seconds": seconds}
    meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return Workspace(ws, members, files, gen["direct"], gen["affected"], seconds)


# ------------------------------------------------------------------------------- correctness


def affected_json(uvmono: str, ws: Path, until: bool) -> dict[str, Any]:
    argv = [uvmono, "--root", str(ws), "affected", "--since", "main", "--format", "json"]
    if until:
        argv += ["--until", "feature"]
    data: dict[str, Any] = json.loads(run(argv, ws))
    return data


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


def verify(uvmono: str, w: Workspace) -> list[str]:
    """Problems with uvmono's (and the floor's) answer on this workspace; empty when right."""
    problems: list[str] = []
    with_until = affected_json(uvmono, w.path, until=True)
    problems += diff_lines(
        "uvmono affected (--until feature) vs gen_workspace",
        with_until.get("affected", []),
        w.expected_affected,
    )
    problems += diff_lines(
        "uvmono directly_changed vs gen_workspace",
        with_until.get("directly_changed", []),
        w.expected_direct,
    )
    problems += diff_lines(
        "uvmono changed_files vs the feature branch",
        with_until.get("changed_files", []),
        w.changed_files,
    )
    worktree = affected_json(uvmono, w.path, until=False)
    problems += diff_lines(
        "uvmono affected (working tree, no --until) vs (--until feature)",
        worktree.get("affected", []),
        with_until.get("affected", []),
    )
    floor = json.loads(run([sys.executable, str(FLOOR), str(w.path)], w.path))
    problems += diff_lines(
        "floor.py affected vs gen_workspace (benchmark itself is off)",
        floor["affected"],
        w.expected_affected,
    )
    return problems


# ---------------------------------------------------------------------------------- timing


def measure(cases: list[Measurement], cwd: Path, repeat: int) -> None:
    """One warm-up round, then `repeat` rounds; each round runs every case once, so that a
    burst of load on a busy machine hits all the commands alike."""
    for rnd in range(repeat + 1):
        for case in cases:
            elapsed, stdout = timed(case.argv, cwd)
            if rnd == 0:
                continue
            case.samples.append(elapsed)
            if case.command == "floor":
                case.inner_samples.append(float(json.loads(stdout)["seconds"]["total"]))


def workspace_cases(uvmono: str, w: Workspace) -> list[Measurement]:
    root = ["--root", str(w.path)]
    n, c = w.members, len(w.changed_files)
    return [
        Measurement(
            n,
            c,
            "floor",
            [sys.executable, str(FLOOR), str(w.path), "--base", "main", "--head", "feature"],
        ),
        Measurement(n, c, "members", [uvmono, *root, "members", "--format", "json"]),
        Measurement(n, c, "graph", [uvmono, *root, "graph", "--format", "json"]),
        Measurement(
            n,
            c,
            "affected",
            [
                uvmono,
                *root,
                "affected",
                "--since",
                "main",
                "--until",
                "feature",
                "--format",
                "json",
            ],
        ),
    ]


def rows_for(cases: list[Measurement]) -> list[Row]:
    floor = next(m for m in cases if m.command == "floor")
    rows: list[Row] = []
    for m in cases:
        ratio = m.median / floor.median
        limit = RATIO_TARGETS.get(m.command)
        target, met = "", None
        if limit is not None and m.members == TARGET_SIZE:
            target, met = f"<= {limit:g}x floor", ratio <= limit
        rows.append(
            Row(
                m.members,
                m.changed_files,
                m.command,
                m.median,
                m.minimum,
                ratio,
                target,
                met,
                m.samples,
            )
        )
        if m is floor:
            inner = statistics.median(m.inner_samples)
            rows.append(
                Row(
                    m.members,
                    m.changed_files,
                    "floor (in-process seconds.total)",
                    inner,
                    min(m.inner_samples),
                    inner / floor.median,
                    "",
                    None,
                    m.inner_samples,
                )
            )
    return rows


def startup_rows(uvmono: str, repeat: int) -> list[Row]:
    cases = [
        Measurement(
            None, None, "python -c pass (interpreter start)", [sys.executable, "-c", "pass"]
        ),
        Measurement(None, None, "uvmono --help", [uvmono, "--help"]),
    ]
    measure(cases, REPO, repeat)
    rows = []
    for m in cases:
        is_help = m.command == "uvmono --help"
        rows.append(
            Row(
                None,
                None,
                m.command,
                m.median,
                m.minimum,
                None,
                f"< {HELP_TARGET_S * 1000:g} ms" if is_help else "",
                m.median < HELP_TARGET_S if is_help else None,
                m.samples,
            )
        )
    return rows


# ---------------------------------------------------------------------------------- output


def fmt_row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(
        c.rjust(w) if i in (0, 1, 3, 4, 5) else c.ljust(w)
        for i, (c, w) in enumerate(zip(cells, widths, strict=True))
    ).rstrip()


def print_table(rows: list[Row]) -> None:
    head = ["members", "changed", "command", "median s", "min s", "x floor", "target"]
    body = []
    for r in rows:
        verdict = "" if r.target_met is None else (" ok" if r.target_met else " MISSED")
        body.append(
            [
                "-" if r.members is None else str(r.members),
                "-" if r.changed_files is None else str(r.changed_files),
                r.command,
                f"{r.median_s:.3f}",
                f"{r.min_s:.3f}",
                "" if r.ratio_to_floor is None else f"{r.ratio_to_floor:.2f}",
                r.target + verdict,
            ]
        )
    widths = [max(len(x[i]) for x in [head, *body]) for i in range(len(head))]
    print(fmt_row(head, widths))
    print(fmt_row(["-" * w for w in widths], widths))
    for cells in body:
        print(fmt_row(cells, widths))


def scaling(rows: list[Row]) -> list[str]:
    """How each command's time grows with members (same changed files) and with changed files
    (same members), next to the floor's growth: linear cost means growth close to the floor's."""
    t = {(r.members, r.changed_files, r.command): r.median_s for r in rows if r.members is not None}
    sizes = sorted({k[0] for k in t if k[0] is not None})
    changes = sorted({k[1] for k in t if k[1] is not None})
    lines = []
    for cmd in ("floor", "members", "graph", "affected"):
        for c in changes:
            for a, b in itertools.pairwise(sizes):
                if (a, c, cmd) in t and (b, c, cmd) in t:
                    lines.append(
                        f"{cmd:9} {c:>6} changed: {a} -> {b} members (x{b / a:g}): "
                        f"time x{t[(b, c, cmd)] / t[(a, c, cmd)]:.2f}"
                    )
        for n in sizes:
            for a, b in itertools.pairwise(changes):
                if (n, a, cmd) in t and (n, b, cmd) in t:
                    lines.append(
                        f"{cmd:9} {n:>6} members: {a} -> {b} changed files: "
                        f"time x{t[(n, b, cmd)] / t[(n, a, cmd)]:.2f}"
                    )
    return lines


def int_list(text: str) -> list[int]:
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        msg = f"expected comma-separated integers, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"expected positive integers, got {text!r}")
    return values


def find_uvmono() -> str:
    for candidate in (Path(sys.executable).parent / "uvmono", REPO / ".venv" / "bin" / "uvmono"):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("uvmono")
    if found is None:
        raise BenchError("uvmono not found: run from the project venv (.venv/bin/python)")
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument(
        "--sizes",
        type=int_list,
        default=None,
        help="workspace sizes in members (default 100,1000,5000)",
    )
    ap.add_argument(
        "--changes",
        type=int_list,
        default=[10, 10000],
        help=f"changed files on main...feature (default 10,10000; at least {TOUCHED_MEMBERS})",
    )
    ap.add_argument("--repeat", type=int, default=None, help="timed runs per command (default 5)")
    ap.add_argument("--quick", action="store_true", help="sizes 100,1000 and 3 repeats")
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
    sizes: list[int] = a.sizes or ([100, 1000] if a.quick else [100, 1000, 5000])
    repeat: int = a.repeat or (3 if a.quick else 5)
    changes: list[int] = a.changes
    if min(changes) < TOUCHED_MEMBERS:
        ap.error(
            f"--changes must be at least {TOUCHED_MEMBERS} (the members gen_workspace touches)"
        )
    if min(sizes) < 2 * TOUCHED_MEMBERS:
        ap.error(f"--sizes must be at least {2 * TOUCHED_MEMBERS}")

    try:
        for path in (GEN, FLOOR):
            if not path.is_file():
                raise BenchError(f"{path} not found (expected next to the repository)")
        uvmono = a.uvmono or find_uvmono()
        out: Path = a.out.resolve()
        out.mkdir(parents=True, exist_ok=True)
        load_before = os.getloadavg()
        started = time.time()

        rows = startup_rows(uvmono, repeat)
        workspaces: list[dict[str, Any]] = []
        failures: list[str] = []
        for n in sizes:
            for c in changes:
                w = workspace(out, n, c, a.seed, a.lock)
                problems = verify(uvmono, w)
                workspaces.append(
                    {
                        "path": str(w.path),
                        "members": n,
                        "changed_files": len(w.changed_files),
                        "expected_affected": len(w.expected_affected),
                        "generated_seconds": w.generated_seconds,
                        "correct": not problems,
                        "problems": problems,
                    }
                )
                if problems:
                    failures.append(f"{w.path.name}:")
                    failures += [f"  {p}" for p in problems]
                    print(f"\n!!! WRONG ANSWER on {w.path.name} !!!", file=sys.stderr)
                    for p in problems:
                        print(f"!!! {p}", file=sys.stderr)
                    continue
                print(
                    f"timing {w.path.name} ({len(w.expected_affected)} affected) ...",
                    file=sys.stderr,
                    flush=True,
                )
                cases = workspace_cases(uvmono, w)
                measure(cases, w.path, repeat)
                rows += rows_for(cases)

        load_after = os.getloadavg()
        print()
        print(
            f"uvmono benchmark: median wall time of {repeat} runs (after 1 warm-up), "
            f"{os.cpu_count()} CPUs, load average {load_before[0]:.2f} -> {load_after[0]:.2f}"
        )
        print("x floor = median wall time / floor.py's median wall time on the same workspace")
        print()
        print_table(rows)
        lines = scaling(rows)
        if lines:
            print("\nscaling (medians):")
            for line in lines:
                print(f"  {line}")
        results = {
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
                "changes": changes,
                "repeat": repeat,
                "seed": a.seed,
                "lock": a.lock,
                "touched_members": TOUCHED_MEMBERS,
                "uvmono": uvmono,
            },
            "targets": {
                "size": TARGET_SIZE,
                "help_seconds": HELP_TARGET_S,
                "ratio_to_floor": RATIO_TARGETS,
            },
            "workspaces": workspaces,
            "rows": [asdict(r) for r in rows],
        }
        (out / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
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
