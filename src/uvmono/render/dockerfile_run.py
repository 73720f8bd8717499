"""The pieces a member's Dockerfile stages are made of: uv commands, `RUN` instructions with
their mounts and secrets, apt installs, and the quoting of exec-form arrays and labels.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Sequence

from uvmono.docker_build_env import site_packages
from uvmono.docker_checks import VENV
from uvmono.docker_requirements import REQUIREMENTS as REQUIREMENTS
from uvmono.docker_types import DockerInputs, IndexSecret

MOUNTED = "/tmp/uvmono"  # where the build stages mount the lock stage's files
BUILD_ENV = "/opt/uvmono/build-env"  # the build-env stage's venv, mounted where it was made
BUILD_CONSTRAINTS = "/tmp/uvmono-build-constraints.txt"  # written and removed in one RUN
UV_CACHE = "--mount=type=cache,target=/root/.cache/uv"
APT_CACHES = (
    "--mount=type=cache,target=/var/cache/apt,sharing=locked",
    "--mount=type=cache,target=/var/lib/apt/lists,sharing=locked",
)


def _venv(inputs: DockerInputs) -> str:
    return f"uv venv --python {shlex.quote(inputs.python)} {VENV}"


def _index_options(inputs: DockerInputs, python: str = f"{VENV}/bin/python") -> str:
    # The lists pin every package, so no requirement of a member is resolved: `--no-sources`
    # keeps uv from looking for the workspace members their `{ workspace = true }` sources
    # name, which the context of this image need not hold. `--no-config` and the indexes
    # the lock's packages come from: no other index is searched (see indexes.py).
    options = [f"--index {shlex.quote(i.option)}" for i in inputs.indexes if not i.default]
    options += [f"--default-index {shlex.quote(i.option)}" for i in inputs.indexes if i.default]
    return f"--no-sources --no-config {' '.join(options)} --python {python}"


def _sync(
    inputs: DockerInputs, requirements: str, *, builds: bool = False, shared: bool = False
) -> str:
    """`uv pip sync` of a list. `builds`: it holds local packages, built under the workspace's
    build constraints. `shared`: those of the build-env stage build against it (mounted);
    `uv pip sync` has no `--no-build-isolation-package`, so then it is `uv pip install
    --no-deps` of the same complete list, into a venv that holds a part of it and nothing else
    (the deps and build stages'): the same packages, nothing to remove."""
    constrained = _build_options(inputs) if builds else ""
    if shared and inputs.build_env is not None:
        return (
            f"uv pip install --no-deps {_index_options(inputs)}{_unisolated(inputs)}"
            f"{constrained} --requirement {MOUNTED}/{requirements}"
        )
    return f"uv pip sync {_index_options(inputs)}{constrained} {MOUNTED}/{requirements}"


def _build_options(inputs: DockerInputs) -> str:
    """The options of every install that builds local packages: the workspace's build
    constraints, and a fresh build of those versioned from git (see vcs_versions.py)."""
    refreshed = "".join(f" --refresh-package {shlex.quote(n)}" for n in inputs.vcs_packages)
    constrained = f" --build-constraints {BUILD_CONSTRAINTS}" if inputs.build_constraints else ""
    return constrained + refreshed


def _with_constraints(inputs: DockerInputs, commands: Sequence[str]) -> list[str]:
    """`commands` after writing the workspace's build constraints to a file, removed after."""
    if not inputs.build_constraints:
        return list(commands)
    words = " ".join(shlex.quote(c) for c in inputs.build_constraints)
    return [
        f"printf '%s\\n' {words} > {BUILD_CONSTRAINTS}",
        *commands,
        f"rm {BUILD_CONSTRAINTS}",
    ]


def _unisolated(inputs: DockerInputs) -> str:
    """The options that build the build-env stage's packages against it (none without one)."""
    shared = inputs.build_env.packages if inputs.build_env else ()
    return "".join(f" --no-build-isolation-package {shlex.quote(n)}" for n in shared)


def _install_local(inputs: DockerInputs) -> str:
    """The local packages alone, into a venv that holds nothing else: uv byte-compiles the whole
    site-packages of the venv it installs into, so here that is the members' files alone.

    uv's cache reuses the wheel it built of a directory while the directory's pyproject.toml
    keeps its timestamp, which uv reads from the inode's change time on Unix: a COPY that runs
    again writes new inodes, so every member copied after a change is built anew, and a member
    whose COPY stayed cached has the very files its cached wheel was built from
    (tests/test_docker_build.py runs the image after a code change)."""
    return (
        f"uv pip install --no-deps {_index_options(inputs)}{_unisolated(inputs)}"
        f"{_build_options(inputs)} --requirement {MOUNTED}/local.txt"
    )


def _build_env_install(inputs: DockerInputs) -> list[str]:
    """The build-env stage's commands: its venv and the shared `[build-system] requires`."""
    assert inputs.build_env is not None
    requires = " ".join(shlex.quote(r) for r in inputs.build_env.requires)
    python = f"{BUILD_ENV}/bin/python"
    constrained = f" --constraints {BUILD_CONSTRAINTS}" if inputs.build_constraints else ""
    return _with_constraints(
        inputs,
        [
            f"uv venv --python {shlex.quote(inputs.python)} {BUILD_ENV}",
            f"uv pip install {_index_options(inputs, python)}{constrained} {requires}",
        ],
    )


def _build_env_mounts(inputs: DockerInputs) -> list[str]:
    if inputs.build_env is None:
        return []
    return [f"--mount=type=bind,from=build-env,source={BUILD_ENV},target={BUILD_ENV}"]


def _with_build_env(inputs: DockerInputs, command: str) -> list[str]:
    """`command` with the build-env stage's packages importable by the build venv's Python (a
    `.pth` file, removed after it): the backends of `--no-build-isolation-package` run there."""
    if inputs.build_env is None:
        return [command]
    pth = f"{site_packages(VENV, inputs.python)}/_uvmono_build_env.pth"
    return [
        f"echo {site_packages(BUILD_ENV, inputs.python)} > {pth}",
        command,
        f"rm {pth}",
    ]


def _uv_run(
    inputs: DockerInputs,
    requirements: str | None,
    commands: Sequence[str],
    mounts: Sequence[str] = (),
) -> list[str]:
    """A RUN that installs from one of the lock stage's lists, with uv's cache.

    Private indexes need credentials, which arrive as secrets and are read into this shell
    alone; the indexes themselves are on the command line (`_sync`). The steps see no
    settings file: every edit of the root pyproject.toml would rebuild them.
    """
    every = [UV_CACHE]
    if requirements is not None:
        every.append(
            f"--mount=type=bind,from=lock,source={REQUIREMENTS}/{requirements},"
            f"target={MOUNTED}/{requirements}"
        )
    every += mounts
    every += [f"--mount=type=secret,id={s.id}" for s in inputs.secrets]
    prelude = [_read_secret(s) for s in inputs.secrets]
    return _run(every, [*prelude, *commands])


def _read_secret(secret: IndexSecret) -> str:
    file = f"/run/secrets/{secret.id}"
    return f'if [ -s {file} ]; then {secret.env}="$(cat {file})"; export {secret.env}; fi'


def _apt(packages: Sequence[str]) -> list[str]:
    lines = []
    if any("=" not in p for p in packages):
        lines.append("# hadolint ignore=DL3008")
    install = "apt-get install --yes --no-install-recommends " + " ".join(packages)
    return lines + _run(list(APT_CACHES), ["apt-get update", install])


def _bind(path: str) -> str:
    return f"--mount=type=bind,source={path},target={path}"


def _run(mounts: Sequence[str], commands: Sequence[str]) -> list[str]:
    """`RUN --mount=… \\` with one mount or command per line, commands joined by `&&`."""
    words = [*mounts, commands[0], *(f"&& {c}" for c in commands[1:])]
    return _continued("RUN ", words, indent="    ")


def _continued(head: str, items: Sequence[str], *, indent: str) -> list[str]:
    lines = [f"{head}{items[0]}", *(f"{indent}{item}" for item in items[1:])]
    return [f"{line} \\" for line in lines[:-1]] + [lines[-1]]


def _json(values: list[str]) -> str:
    """An exec-form array: JSON, so no value can end it early or reach a shell."""
    return json.dumps(values)


def _label(value: str) -> str:
    """The inside of a double-quoted Dockerfile string: no expansion, no early end.

    hadolint's parser cannot read an escaped backslash right before a quote (`"a\\\\"`,
    `"a\\\\\\"b"`), so such a backslash is followed by `${REVISION:+}`, which is always empty
    (the REVISION ARG is declared above every LABEL): BuildKit reads the same value.
    """
    out: list[str] = []
    for index, char in enumerate(value):
        if char == "\\":
            out.append("\\\\")
            if value[index + 1 : index + 2] in ('"', ""):
                out.append("${REVISION:+}")
        elif char in '"$':
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)
