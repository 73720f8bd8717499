"""The Compose planning stage: one service per member that gets an image, checked and ready.

Each service builds its member's generated Dockerfile up to the `dev` target (its dependency
groups installed, its members editable) and runs its entry point. `develop.watch` syncs the
source directories its image installs (the member's own and those of the members it needs)
into /app, and rebuilds the image when one of their pyproject.toml files or uv.lock changes.
A service gets a health check only when its member declares one (`healthcheck`, run with
sh -c) or a port (then Python connects to the first one). `depends-on` names the services a
service starts after: healthy when that service has a health check, started otherwise.
Everything is checked here; `render/compose.py` only formats.
"""

from __future__ import annotations

from uvmono import docker_plan
from uvmono.docker_plan import DockerInputs
from uvmono.errors import UvmonoError
from uvmono.names import normalize
from uvmono.records import record
from uvmono.workspace import LOCKFILE, PYPROJECT, Workspace, lock_of

TARGET = "dev"
# Never synced into a container: environments and caches of the checkout.
WATCH_IGNORE = (".venv/", "__pycache__/", ".pytest_cache/", ".mypy_cache/", ".ruff_cache/")


@record
class Watch:
    """One `develop.watch` rule: `sync` copies `path` to `target`, `rebuild` rebuilds."""

    action: str  # "sync" or "rebuild"
    path: str  # relative to the workspace root (where compose.yaml is)
    target: str | None = None


@record
class Service:
    """One service of compose.yaml."""

    name: str
    dockerfile: str
    ports: tuple[int, ...]
    healthcheck: tuple[str, ...] | None  # the `test` of its health check, None for none
    depends_on: tuple[tuple[str, str], ...]  # (service, condition), in the order configured
    watch: tuple[Watch, ...]


def service_members(workspace: Workspace) -> list[str]:
    """The members that get a service: each that gets an image, unless it sets `compose =
    false`."""
    return [
        name
        for name in docker_plan.image_members(workspace)
        if workspace.members[name].settings.docker.compose
    ]


def services(workspace: Workspace) -> list[Service]:
    """The services of compose.yaml, sorted by name; none when no member gets one."""
    names = service_members(workspace)
    found = docker_plan.inputs(workspace, names, lock_of(workspace))
    checks = {i.name: i.health_test for i in found}
    return [
        Service(
            name=i.name,
            dockerfile=i.dockerfile,
            ports=i.ports,
            healthcheck=checks[i.name],
            depends_on=_depends_on(workspace, i.name, checks),
            watch=_watch(workspace, i),
        )
        for i in found
    ]


def _depends_on(
    workspace: Workspace, name: str, checks: dict[str, tuple[str, ...] | None]
) -> tuple[tuple[str, str], ...]:
    member = workspace.members[name]
    file = workspace.root / member.path / PYPROJECT
    out: dict[str, str] = {}
    for raw in member.settings.docker.depends_on:
        other = normalize(raw)
        if other == name:
            raise UvmonoError(
                f"`tool.uvmono.docker.depends-on` in {file} names {name} itself",
                hint="list the members whose services this one needs, not itself",
            )
        if other not in checks:
            known = ", ".join(sorted(checks)) or "none"
            raise UvmonoError(
                f"`tool.uvmono.docker.depends-on` in {file} names `{raw}`, which has no compose "
                "service (it is not a member, gets no image, or sets compose = false)",
                hint=f"the services: {known}",
            )
        out[other] = "service_healthy" if checks[other] is not None else "service_started"
    _refuse_cycle(workspace, name, set(checks))
    return tuple(out.items())


def _refuse_cycle(workspace: Workspace, start: str, services: set[str]) -> None:
    """Compose refuses a cycle of depends_on; say which members form it, and where."""
    path: list[str] = []

    def visit(name: str) -> None:
        if name in path:
            cycle = " -> ".join([*path[path.index(name) :], name])
            raise UvmonoError(
                f"`tool.uvmono.docker.depends-on` forms a cycle: {cycle}",
                hint="remove one of these entries from the members' pyproject.toml",
            )
        path.append(name)
        for raw in workspace.members[name].settings.docker.depends_on:
            other = normalize(raw)
            if other in services and other != name:
                visit(other)
        path.pop()

    visit(start)


def _watch(workspace: Workspace, inputs: DockerInputs) -> tuple[Watch, ...]:
    directories = sorted({*inputs.install, *inputs.test_install})
    members = {m.path for m in workspace.members.values()}
    rules = [Watch("sync", d, "/app" if d == "." else f"/app/{d}") for d in directories]
    rebuild = [
        PYPROJECT if d == "." else f"{d}/{PYPROJECT}" for d in directories if d in members
    ]
    rules += [Watch("rebuild", p) for p in [*rebuild, LOCKFILE]]
    return tuple(rules)
