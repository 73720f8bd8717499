"""The Docker plan's data: what the Dockerfile, `.dockerignore` and bake target of a member are
rendered from. `docker_plan.py` works the values out and checks them.
"""

from __future__ import annotations

import re

from uvmono import indexes
from uvmono.docker_build_env import BuildEnv
from uvmono.records import record
from uvmono.workspace import PYPROJECT


@record
class IndexSecret:
    """A credential of a private index, handed to uv by a BuildKit secret, never by ARG or ENV."""

    index: str  # its name in [[tool.uv.index]]
    field: str  # "username" or "password"

    @property
    def id(self) -> str:
        return f"uv-index-{self.index}-{self.field}"

    @property
    def env(self) -> str:
        """The variable uv reads it from: the name upper-cased, other characters as `_`."""
        name = re.sub(r"[^A-Z0-9]", "_", self.index.upper())
        return f"UV_INDEX_{name}_{self.field.upper()}"


@record
class DockerInputs:
    """Everything the Dockerfile and .dockerignore of one member are rendered from."""

    name: str
    path: str  # the member's directory, relative to the workspace root ("." for the root)
    dockerfile: str
    version: str
    description: str
    python: str
    base_image: str
    uv_image: str
    syntax: str | None
    install: tuple[str, ...]  # copied into the build stage: members it needs, local path deps
    test_install: tuple[str, ...]  # copied into the test stage too: what its groups add
    context_excludes: tuple[str, ...]  # under `install`/`test_install`, but not needed
    uv_settings: tuple[str, ...]  # the root files uv reads its settings (indexes) from
    indexes: tuple[indexes.Index, ...]  # what its locked packages come from; the default last
    secrets: tuple[IndexSecret, ...]
    entrypoint: tuple[str, ...]
    test_command: str
    user_id: int
    ports: tuple[int, ...]
    healthcheck: str | None
    system_packages: tuple[str, ...]
    build_packages: tuple[str, ...]
    extra_files: tuple[str, ...]
    source_url: str | None
    runtime: str = "slim"  # "slim": FROM the base image; "distroless": no shell, no apt
    # The build-env stage's environment and the local packages built against it; None: every
    # one is built in an isolated environment of its own (docker_build_env.py).
    build_env: BuildEnv | None = None
    # The workspace's `build-constraint-dependencies`: every build of a local package, and the
    # build-env stage's install, keep to them, as uv's own builds do.
    build_constraints: tuple[str, ...] = ()
    # Needed paths inside a `context_excludes` one, let back into the context after it.
    context_keeps: tuple[str, ...] = ()
    # The variables through which local packages versioned from git take their version in a
    # build (vcs_versions.py); empty when none is.
    vcs_variables: tuple[str, ...] = ()
    vcs_packages: tuple[str, ...] = ()  # those packages, by name: uv's cache must not answer
    extras: tuple[str, ...] = ()  # the member's extras its image installs (normalized)

    @property
    def health_test(self) -> tuple[str, ...] | None:
        """The health check, in Compose's `test` form: the configured command (`CMD-SHELL`),
        else, for a member with ports, Python connecting to the first; None for neither."""
        if self.healthcheck is not None:
            return ("CMD-SHELL", self.healthcheck)
        if self.ports:
            connect = (
                "import socket; "
                f"socket.create_connection(('127.0.0.1', {self.ports[0]}), timeout=5).close()"
            )
            return ("CMD", "python", "-c", connect)
        return None

    @property
    def dockerignore(self) -> str:
        return f"{self.dockerfile}.dockerignore"

    @property
    def pyproject(self) -> str:
        return PYPROJECT if self.path == "." else f"{self.path}/{PYPROJECT}"


@record
class BakeTarget:
    """One target of docker-bake.json."""

    name: str
    dockerfile: str
    image: str
    platforms: tuple[str, ...]
    cache_from: tuple[str, ...]
    cache_to: tuple[str, ...]
    attestations: bool
    secrets: tuple[IndexSecret, ...]
