"""The plan as CI matrix jobs: plain JSON-ready dicts, shared by the GitHub and GitLab renderers.

A *member* object describes one affected member: `package`, `path`, `python` (its default),
`pythons` (the ones it is tested on), `image`, `image-name`, `dockerfile`, `test-command`,
`test-environments` (each one's `sync` flags, conflict `side` and what it `installs`),
`test-locations` (null: its directory) and `warnings`.

A *test job* runs one or more (member, test environment) units on one Python: `name`,
`python`, `packages` (space-separated names), `members` (one object per unit: `package`,
`path`, `test-command`; `sync`, the flags after `uv sync --frozen` as space-separated plain
words; `tests`: `member` to run in its directory, `paths` to run at the workspace root with
`test-paths` as arguments, `none`; `runner`, the module the command needs in the environment,
or ""; `side`, the conflict side; `fingerprint`, its test task's, `fingerprint.py`, or "") and
`pass-key`, the cache key of the job's pass marker ("": skipping is off), and, when it holds
one unit, that member's fields as well.
An *image job* builds one member's image and is that member's object plus `name`.

CI limits matrices (GitHub: 256 jobs, GitLab: 200), so above `max_jobs` members the test jobs
are batches; no member is ever dropped. Every value is checked before it is written: names are
PEP 503 names, paths are relative and free of control characters (image names were checked
by the planning stage). Values that reach a shell (paths, names, commands) do so only through
environment variables, so quotes, `$(…)` or spaces in a directory name stay data.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from uvmono import config
from uvmono.errors import UvmonoError
from uvmono.plan import Plan, PlanEntry, batches
from uvmono.render.text import CONTROL, printable
from uvmono.test_environment import TestEnvironment

# A Python script the test jobs run in the test environment: exits 0 when the module named by its
# first argument can be imported there.
HAS_MODULE = "import importlib.util, sys; sys.exit(importlib.util.find_spec(sys.argv[1]) is None)"
GITHUB_MAX_JOBS = config.GITHUB_MAX_JOBS
MAX_CACHE_KEY = 512  # actions/cache: "Key Validation Error: … cannot be larger than 512"

_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PYTHON = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]*")
_FLAG = re.compile(r"--?[a-z][a-z-]*|[A-Za-z0-9][A-Za-z0-9._-]*")
_LOCATION = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_.][A-Za-z0-9_.-]*)*")
_MODULE = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def member(entry: PlanEntry) -> dict[str, Any]:
    """One affected member as matrix JSON, checked first."""
    check(entry)
    return {
        "package": entry.package,
        "path": entry.path,
        "python": entry.python,
        "image": entry.image,
        "image-name": entry.image_name or "",
        "dockerfile": entry.dockerfile or "",
        "test-command": entry.test_command,
        "pythons": list(entry.test.pythons),
        "test-environments": [
            {"sync": " ".join(env.sync_args()), "side": env.side, "installs": env.describe()}
            for env in entry.test.environments
        ],
        "test-locations": None if entry.test.locations is None else list(entry.test.locations),
        "warnings": list(entry.test.warnings),
    }


Unit = tuple[PlanEntry, TestEnvironment]


def units(plan: Plan) -> dict[str, list[Unit]]:
    """Python -> the (member, test environment) pairs tested on it, in plan order."""
    by_python: dict[str, list[Unit]] = {}
    for entry in plan.entries:
        check(entry)
        for python in entry.test.pythons:
            for env in entry.test.environments:
                by_python.setdefault(python, []).append((entry, env))
    return by_python


def test_mode(entry: PlanEntry) -> str:
    """How the job runs the member's test command: `member`, `paths` or `none`."""
    locations = entry.test.locations
    return "member" if locations is None else "paths" if locations else "none"


def test_jobs(plan: Plan, max_jobs: int) -> list[dict[str, Any]]:
    """At most `max_jobs` jobs testing every member of the plan; members in plan order."""
    by_python = units(plan)
    if len(by_python) > max_jobs:
        raise UvmonoError(
            f"the plan needs {len(by_python)} Python versions ({', '.join(by_python)}) "
            f"but at most {max_jobs} jobs are allowed",
            hint="raise `tool.uvmono.ci.max-jobs` (one job per Python version at least)",
        )
    shares = _shares({python: len(group) for python, group in by_python.items()}, max_jobs)
    several = len(by_python) > 1
    jobs = []
    for python, group in by_python.items():
        by_key = {_unit_key(u): u for u in group}
        for keys in batches(list(by_key), shares[python]):
            jobs.append(
                _test_job(python, [by_key[k] for k in keys], several, plan.fingerprints)
            )
    return jobs


def pass_key(python: str, units: Sequence[tuple[str, str]]) -> str:
    """The CI cache key of the pass marker of a job testing `units` ((package, fingerprint)
    pairs) on `python`: (member, Python, fingerprint) for one unit, a digest of every unit's
    fingerprint for a batch. "" when a unit has no fingerprint (skipping is off)."""
    if not units or not all(fp for _, fp in units):
        return ""
    from uvmono.fingerprint import digest

    if len(units) == 1:
        package, fp = units[0]
        key = f"uvmono-pass-{package}-py{python}-{fp}"
    else:
        combined = digest({"units": sorted([p, fp] for p, fp in units)})
        package, fp = f"{units[0][0]}+{len(units) - 1}", combined
        key = f"uvmono-pass-{package}-py{python}-{fp}"
    if len(key) > MAX_CACHE_KEY:  # the Actions cache refuses longer keys: the name as a digest
        key = f"uvmono-pass-{digest({'package': package})}-py{python}-{fp}"
    return key


def image_jobs(plan: Plan, max_jobs: int) -> list[dict[str, Any]]:
    """One job per member that gets an image."""
    images = plan.images
    if len(images) > max_jobs:
        raise UvmonoError(
            f"{len(images)} affected members need an image, more than the {max_jobs} image jobs "
            "one matrix may run",
            hint="set `[tool.uvmono.docker] image = false` in the members that are not deployed, "
            "or build the images in batches with `uvmono docker commands`",
        )
    return [{"name": e.package, **member(e)} for e in images]


def include(jobs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A GitHub `strategy.matrix`: with `include` only, each object is one job."""
    return {"include": list(jobs)}


def check(entry: PlanEntry) -> None:
    """Refuse a value that cannot be passed to CI as plain data."""
    where = f"member {printable(entry.package)!r} ({printable(entry.path)!r})"
    if not _NAME.fullmatch(entry.package):
        raise UvmonoError(f"{where}: {entry.package!r} is not a normalized package name")
    _check_path(entry.path, "directory", where)
    check_python(entry.python, f"{where}: ")
    for python in entry.test.pythons:
        check_python(python, f"{where}: ")
    for env in entry.test.environments:
        bad = [a for a in env.sync_args() if not _FLAG.fullmatch(a)]
        if bad:
            raise UvmonoError(f"{where}: {bad[0]!r} cannot be passed to `uv sync` as plain data")
    for location in entry.test.locations or ():
        if not _LOCATION.fullmatch(location) or ".." in location.split("/"):
            raise UvmonoError(
                f"{where}: the test location {location!r} cannot be passed to CI",
                hint="use letters, digits, `.`, `_`, `-` and `/`, relative to the workspace root",
            )
    if entry.test.runner and not _MODULE.fullmatch(entry.test.runner):
        raise UvmonoError(f"{where}: {entry.test.runner!r} is not a Python module name")
    if not entry.test_command.strip() or "\x00" in entry.test_command:
        raise UvmonoError(
            f"{where}: the test command {entry.test_command!r} is empty",
            hint="set `tool.uvmono.test-command` to a shell command, e.g. pytest",
        )
    if entry.image:  # its image name was checked where it was planned (`plan.image_name`)
        _check_path(entry.dockerfile or "", "Dockerfile path", where)


def check_python(python: str, where: str = "") -> None:
    """A Python version as CI gets it (a matrix value, an image tag)."""
    if not _PYTHON.fullmatch(python):
        raise UvmonoError(
            f"{where}Python version {printable(python)!r} is not a version uv understands",
            hint="set `tool.uvmono.python` (or .python-version) to a version such as 3.12",
        )


def _check_path(path: str, what: str, where: str) -> None:
    parts = PurePosixPath(path).parts
    if not path or path.startswith("/") or ".." in parts or CONTROL.search(path) or "${{" in path:
        raise UvmonoError(
            f"{where}: the {what} {printable(path)!r} cannot be passed to CI: it must be relative "
            "to the workspace root, inside it, and free of control characters (newlines, tabs, "
            "U+0085, U+2028, U+2029) and of `${{`",
            hint="rename the directory",
        )


def _shares(sizes: dict[str, int], max_jobs: int) -> dict[str, int]:
    """Jobs per group, at most `max_jobs` in all, making the largest batch as small as possible."""
    shares = dict.fromkeys(sizes, 1)
    spare = max_jobs - len(sizes)
    # Max-heap of (-(largest batch size), group): give the next job to the fullest group.
    heap = [(-size, group) for group, size in sizes.items()]
    heapq.heapify(heap)
    while spare > 0 and heap:
        _, group = heapq.heappop(heap)
        if shares[group] >= sizes[group]:
            continue
        shares[group] += 1
        spare -= 1
        heapq.heappush(heap, (-_ceil_div(sizes[group], shares[group]), group))
    return shares


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _unit_key(unit: Unit) -> str:
    entry, env = unit
    return f"{entry.package} [{env.side}]" if env.side else entry.package


def _test_job(
    python: str,
    group: Sequence[Unit],
    several_pythons: bool,
    fingerprints: Mapping[tuple[str, str, str], str],
) -> dict[str, Any]:
    first = group[0][0]
    name = _unit_key(group[0]) if len(group) == 1 else f"{first.package} +{len(group) - 1}"
    if several_pythons or len(first.test.pythons) > 1:
        name += f" py{python}"
    job: dict[str, Any] = {"name": name}
    if len(group) == 1:
        job.update(member(first))
    prints = [fingerprints.get((e.package, env.side, python), "") for e, env in group]
    key = pass_key(python, [(e.package, fp) for (e, _), fp in zip(group, prints, strict=True)])
    job.update(
        {
            "python": python,
            "packages": " ".join(dict.fromkeys(e.package for e, _ in group)),
            "members": [
                {
                    "package": e.package,
                    "path": e.path,
                    "test-command": e.test_command,
                    "sync": " ".join(env.sync_args()),
                    "tests": test_mode(e),
                    "test-paths": " ".join(e.test.locations or ()),
                    "runner": e.test.runner,
                    "side": env.side,
                    "fingerprint": fp,
                }
                for (e, env), fp in zip(group, prints, strict=True)
            ],
            "pass-key": key,
        }
    )
    return job
