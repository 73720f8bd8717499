"""The plan as CI matrix jobs: plain JSON-ready dicts, shared by the GitHub and GitLab renderers.

A *member* object describes one affected member: `package`, `path`, `python`, `image`,
`image-name`, `dockerfile`, `test-command`. A *test job* runs the tests of one or more members
that share a Python version: `name`, `python`, `packages` (space-separated names), `members`
(their `package`, `path` and `test-command`) and, when it holds a single member, that member's
fields as well. An *image job* builds one member's image and is that member's object plus `name`.

CI limits matrices (GitHub: 256 jobs, GitLab: 200), so above `max_jobs` members the test jobs
are batches; no member is ever dropped. Every value is checked before it is written: names are
PEP 503 names, paths are relative and free of control characters (image names were checked
by the planning stage). Values that reach a shell (paths, names, commands) do so only through
environment variables, so quotes, `$(…)` or spaces in a directory name stay data.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from uvmono import config
from uvmono.errors import UvmonoError
from uvmono.plan import Plan, PlanEntry, batches

GITHUB_MAX_JOBS = config.GITHUB_MAX_JOBS

_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PYTHON = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


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
    }


def test_jobs(plan: Plan, max_jobs: int) -> list[dict[str, Any]]:
    """At most `max_jobs` jobs testing every member of the plan; members in plan order."""
    by_python: dict[str, list[PlanEntry]] = {}
    for entry in plan.entries:
        check(entry)
        by_python.setdefault(entry.python, []).append(entry)
    if len(by_python) > max_jobs:
        raise UvmonoError(
            f"the plan needs {len(by_python)} Python versions ({', '.join(by_python)}) "
            f"but at most {max_jobs} jobs are allowed",
            hint="raise `tool.uvmono.ci.max-jobs` (one job per Python version at least)",
        )
    shares = _shares({python: len(entries) for python, entries in by_python.items()}, max_jobs)
    jobs = []
    for python, entries in by_python.items():
        by_name = {e.package: e for e in entries}
        for names in batches(list(by_name), shares[python]):
            jobs.append(_test_job(python, [by_name[n] for n in names]))
    return jobs


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
    where = f"member {entry.package!r} ({entry.path!r})"
    if not _NAME.fullmatch(entry.package):
        raise UvmonoError(f"{where}: {entry.package!r} is not a normalized package name")
    _check_path(entry.path, "directory", where)
    if not _PYTHON.fullmatch(entry.python):
        raise UvmonoError(
            f"{where}: Python version {entry.python!r} is not a version uv understands",
            hint="set `tool.uvmono.python` (or .python-version) to a version such as 3.12",
        )
    if not entry.test_command.strip() or "\x00" in entry.test_command:
        raise UvmonoError(
            f"{where}: the test command {entry.test_command!r} is empty",
            hint="set `tool.uvmono.test-command` to a shell command, e.g. pytest",
        )
    if entry.image:  # its image name was checked where it was planned (`plan.image_name`)
        _check_path(entry.dockerfile or "", "Dockerfile path", where)


def _check_path(path: str, what: str, where: str) -> None:
    parts = PurePosixPath(path).parts
    if not path or path.startswith("/") or ".." in parts or _CONTROL.search(path):
        raise UvmonoError(
            f"{where}: the {what} {path!r} cannot be passed to CI: it must be relative to the "
            "workspace root, inside it, and free of control characters (newlines, tabs)",
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


def _test_job(python: str, entries: Sequence[PlanEntry]) -> dict[str, Any]:
    names = [e.package for e in entries]
    job: dict[str, Any] = {
        "name": names[0] if len(names) == 1 else f"{names[0]} +{len(names) - 1}",
        "python": python,
        "packages": " ".join(names),
        "members": [
            {"package": e.package, "path": e.path, "test-command": e.test_command} for e in entries
        ],
    }
    if len(entries) == 1:
        job.update(member(entries[0]))
    return job
