"""Which local packages of an image build against one shared, byte-compiled build environment.

uv builds each local package (member or path dependency) in an isolated environment of its own:
a fresh venv, its `[build-system] requires` installed from uv's cache, nothing byte-compiled. For
a small member that is most of a code change's rebuild: hatchling's modules are compiled again
on every import (0.7 s of a 1.2 s image rebuild on this project's benchmark, against 0.25 s in a
compiled environment). So the Dockerfile's `build-env` stage installs the packages' common
`requires` once, into a venv of its own (a cached layer, compiled like every uv install there),
and the build stage builds those packages with `--no-build-isolation-package`, the environment
added to the build venv's path by a `.pth` file for that one step (nothing of it is copied on).

That is the same build only when the backend asks for nothing beyond its `requires`: PEP 517's
`get_requires_for_build_wheel` may add requirements, and without isolation uv does not install
them. So a package builds in the shared environment only when its backend is one whose extra
requirements can be read from pyproject.toml, and none are configured (`_why_isolated`); every
other package keeps its isolated build. Packages whose `requires` differ from the most common
set keep theirs too: one environment cannot hold `hatchling<1.20` and `hatchling>=1.26`.
`build-env = "isolated"` in `[tool.uvmono.docker]` turns it off.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from uvmono.errors import UvmonoError
from uvmono.indexes import UV_TOML
from uvmono.records import record
from uvmono.workspace import PYPROJECT, read_toml

# Backends whose `get_requires_for_build_wheel` adds nothing unless pyproject.toml says so (and
# `_why_isolated` reads where it would say so). setuptools is not among them: its answer depends
# on its version (`wheel` before 70.1) and on setup.py/setup.cfg, which can run any code. Nor is
# uv_build: uv builds such a package itself, with no environment at all.
BACKENDS = frozenset(
    {
        "hatchling.build",
        "flit_core.buildapi",
        "pdm.backend",
        "poetry.core.masonry.api",
    }
)
# A requirement as it may go into a shell word and a Dockerfile line: printable, no quote that
# shlex would have to escape oddly, no backslash (a Dockerfile line continuation).
_REQUIREMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._\-\[\],<>=!~;()*+@:/'\"]*")
# hatchling's keys (in a build target or a build hook) that add build requirements.
_HATCH_REQUIRING = frozenset(
    {"dependencies", "require-runtime-dependencies", "require-runtime-features"}
)


@record
class BuildEnv:
    """The shared build environment of one image: what it holds and who builds against it."""

    requires: tuple[str, ...]  # the common `[build-system] requires`, as written
    packages: tuple[str, ...]  # the local packages built with it, by name, sorted


def read_local(root: Path, path: str) -> Mapping[str, Any] | None:
    """The pyproject.toml of the local package at `path` (relative to `root`), or None when it
    has none (setup.py alone: setuptools' legacy build) or one that cannot be read (its build
    fails with uv's own words for it). The Docker plan reads each once, for every decision
    here and in vcs_versions.py."""
    file = root / path / PYPROJECT
    if not file.is_file():
        return None
    try:
        return read_toml(file)
    except UvmonoError:
        return None


def shared(pyprojects: Mapping[str, Mapping[str, Any] | None]) -> BuildEnv | None:
    """The shared build environment for the local packages the build and test stages install
    (name -> its pyproject.toml, see `read_local`), or None when none of them can use it."""
    eligible: dict[str, tuple[str, ...]] = {}
    for name, doc in pyprojects.items():
        requires = _shareable_requires(doc) if doc is not None else None
        if requires is not None:
            eligible[name] = requires
    if not eligible:
        return None
    counts = Counter(tuple(sorted(r)) for r in eligible.values())
    # The most common set; on a tie, the first in sorted order, so the output is stable.
    best = min(counts, key=lambda key: (-counts[key], key))
    chosen = sorted(name for name, r in eligible.items() if tuple(sorted(r)) == best)
    return BuildEnv(requires=best, packages=tuple(chosen))


def _shareable_requires(doc: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The package's `[build-system] requires` when it can build in a shared environment."""
    system = doc.get("build-system")
    if not isinstance(system, Mapping):
        return None
    requires = system.get("requires")
    if (
        not isinstance(requires, list)
        or not requires
        or not all(isinstance(r, str) and _REQUIREMENT.fullmatch(r) for r in requires)
    ):
        return None
    if "backend-path" in system or system.get("build-backend") not in BACKENDS:
        return None
    if _why_isolated(str(system["build-backend"]), doc) is not None:
        return None
    return tuple(requires)


def _why_isolated(backend: str, doc: Mapping[str, Any]) -> str | None:
    """Why a package of a known backend still needs its isolated build, or None."""
    tool = doc.get("tool")
    tool = tool if isinstance(tool, Mapping) else {}
    if backend == "hatchling.build":
        hatch = tool.get("hatch")
        build = hatch.get("build") if isinstance(hatch, Mapping) else None
        if isinstance(build, Mapping) and _has_key(build, _HATCH_REQUIRING):
            return "hatchling adds the build requirements of its targets or hooks"
    if backend == "pdm.backend":
        pdm = tool.get("pdm")
        build = pdm.get("build") if isinstance(pdm, Mapping) else None
        if isinstance(build, Mapping) and build.get("run-setuptools"):
            return "pdm-backend adds setuptools for `run-setuptools`"
    return None


def _has_key(table: Mapping[str, Any], keys: frozenset[str]) -> bool:
    """Whether any of `keys` is set in `table` or in a table nested in it."""
    for key, value in table.items():
        if key in keys:
            return True
        if isinstance(value, Mapping) and _has_key(value, keys):
            return True
    return False


def site_packages(prefix: str, python: str) -> str:
    """The site-packages directory of a venv at `prefix` made with Python `python` (X.Y[.Z])."""
    minor = ".".join(python.split(".")[:2])
    return f"{prefix}/lib/python{minor}/site-packages"


def constraints(root: Path) -> tuple[str, ...]:
    """The workspace's `build-constraint-dependencies`, which uv applies to every build
    environment (uv.lock records them): from uv.toml when the root has one (uv then reads no
    `[tool.uv]`), else from the root pyproject.toml's `[tool.uv]`."""
    uv_toml = root / UV_TOML
    node: Any
    if uv_toml.is_file():
        file, node = uv_toml, read_toml(uv_toml)
        key = "build-constraint-dependencies"
    else:
        file = root / PYPROJECT
        node = read_toml(file).get("tool")
        node = node.get("uv") if isinstance(node, Mapping) else None
        node = node if isinstance(node, Mapping) else {}
        key = "tool.uv.build-constraint-dependencies"
    value = node.get("build-constraint-dependencies", [])
    if not isinstance(value, list) or not all(
        isinstance(v, str) and _REQUIREMENT.fullmatch(v) for v in value
    ):
        raise UvmonoError(
            f"`{key}` in {file} is not a list of requirements that can be written into a "
            "Dockerfile (printable, no backslash)",
            hint='write each as a PEP 508 requirement, e.g. "hatchling==1.27.0"',
        )
    return tuple(value)

