"""The Docker planning stage: what the image of one member needs, checked and ready to render.

From the workspace (and uv.lock when there is one) this stage works out, for each member that
gets an image, the members and local path dependencies its image installs (its runtime closure),
the ones its `test` stage adds (its dependency groups), the files uv reads its settings from, and
every configured value (images, entry point, ports, packages, labels). Everything that ends up in
a Dockerfile, a `.dockerignore`, a bake file or a command line is checked here, so the renderers
only format: a value that cannot be written there safely is an error that names the key and the
file, never text that could change what the Dockerfile does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from uvmono import docker_build_env, environment, images, indexes, plan, vcs_versions
from uvmono.config import MemberDockerSettings
from uvmono.docker_checks import (
    debian_packages,
    entrypoint,
    expand,
    extras,
    image_ref,
    optional_line,
    printable,
    safe_path,
    test_command,
)
from uvmono.docker_types import BakeTarget as BakeTarget
from uvmono.docker_types import DockerInputs as DockerInputs
from uvmono.docker_types import IndexSecret as IndexSecret
from uvmono.errors import UvmonoError
from uvmono.lockfile import Lock, PackageId
from uvmono.names import normalize
from uvmono.python import python_version
from uvmono.records import record
from uvmono.workspace import LOCKFILE, PYPROJECT, Member, Workspace, read_toml

UV_TOML = "uv.toml"

_PYTHON = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_INDEX = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")





# ------------------------------------------------------------------------------ selection


def image_members(workspace: Workspace, names: Sequence[str] = ()) -> list[str]:
    """The members that get an image, sorted; or `names`, checked that each gets one."""
    if not names:
        return sorted(n for n, m in workspace.members.items() if plan.wants_image(m))
    chosen: set[str] = set()
    for raw in names:
        name = normalize(raw)
        member = workspace.members.get(name)
        if member is None:
            known = ", ".join(sorted(workspace.members))
            raise UvmonoError(
                f"`{raw}` is not a member of the workspace at {workspace.root}",
                hint=f"members: {known}",
            )
        decision = images.decide(member)
        if not decision.image:
            if decision.warning:
                raise UvmonoError(decision.warning, hint=f"set {images.COMMAND_KEY}")
            raise UvmonoError(
                f"{name} gets no image: it has no [project.scripts] "
                f"({_member_file(workspace, member)})",
                hint="give it a console script, or set [tool.uvmono.docker] image = true "
                "and a command in its pyproject.toml",
            )
        chosen.add(name)
    return sorted(chosen)


# --------------------------------------------------------------------------------- inputs


def inputs(workspace: Workspace, names: Iterable[str], lock: Lock | None) -> list[DockerInputs]:
    """The Docker inputs of each named member (each must get an image), in the order given;
    `lock` is the workspace's uv.lock (`workspace.lock_of`), None when there is none."""
    wanted = list(names)
    if not wanted:
        return []
    graph = environment.build(workspace, lock)
    shared = _Shared.of(workspace)
    pyprojects: dict[str, Mapping[str, Any] | None] = {}  # local path -> read once, for all
    return [
        _inputs(workspace, workspace.members[name], graph, shared, lock, pyprojects)
        for name in wanted
    ]


@record
class _Shared:
    """What every member's inputs take from the root: images, user, settings files, secrets."""

    uv_settings: tuple[str, ...]
    defined_indexes: tuple[indexes.Index, ...]
    secrets: tuple[IndexSecret, ...]
    user_id: int
    syntax: str | None
    source_url: str | None
    members_beneath: Mapping[str, tuple[str, ...]]  # a directory -> member paths at or under it
    generated: Mapping[str, str]  # member path -> its Dockerfile, for members that get one
    levels: Mapping[str, int]  # member path -> its level in the member graph (0: depends on none)
    build_constraints: tuple[str, ...]

    @classmethod
    def of(cls, workspace: Workspace) -> _Shared:
        docker = workspace.settings.docker
        root_file = workspace.root / PYPROJECT
        uv_settings = [PYPROJECT]
        if (workspace.root / UV_TOML).is_file():
            uv_settings.append(UV_TOML)
        user_id = docker.user_id
        if user_id == 0:
            raise UvmonoError(
                f"`tool.uvmono.docker.user-id` = 0 in {root_file} would run the images as root",
                hint="pick a non-root uid, e.g. 10001 (the default)",
            )
        syntax = docker.syntax
        if syntax is not None:
            syntax = image_ref(syntax, "tool.uvmono.docker.syntax", root_file)
        source_url = docker.source_url
        if source_url is not None:
            printable(source_url, "tool.uvmono.docker.source-url", root_file)
        from uvmono import graph

        levels = {
            workspace.members[name].path: index
            for index, layer in enumerate(graph.levels(graph.build(workspace)))
            for name in layer
        }
        beneath: dict[str, list[str]] = {}
        for member in workspace.members.values():
            for directory in _self_and_parents(member.path):
                beneath.setdefault(directory, []).append(member.path)
        return cls(
            uv_settings=tuple(uv_settings),
            defined_indexes=tuple(indexes.configured(workspace.root)),
            secrets=index_secrets(workspace),
            user_id=user_id,
            syntax=syntax,
            source_url=source_url,
            members_beneath={k: tuple(v) for k, v in beneath.items()},
            generated={
                m.path: plan.dockerfile_path(m)
                for m in workspace.members.values()
                if plan.wants_image(m)
            },
            levels=levels,
            build_constraints=docker_build_env.constraints(workspace.root),
        )


def _self_and_parents(path: str) -> list[str]:
    """`a/b/c` -> `a/b/c`, `a/b`, `a`, `.`"""
    parts = [] if path == "." else path.split("/")
    return ["/".join(parts[:n]) for n in range(len(parts), 0, -1)] + ["."]


def index_secrets(workspace: Workspace) -> tuple[IndexSecret, ...]:
    """The secrets of `tool.uvmono.docker.indexes`; each must name an index uv knows."""
    names = workspace.settings.docker.indexes
    if not names:
        return ()
    root_file = workspace.root / PYPROJECT
    defined = _defined_indexes(workspace)
    out: list[IndexSecret] = []
    for name in names:
        if not _INDEX.fullmatch(name):
            raise UvmonoError(
                f"`tool.uvmono.docker.indexes` in {root_file} has {name!r}, which is not an "
                "index name",
                hint="index names hold only letters, digits, '-', '_' and '.'",
            )
        if name not in defined:
            raise UvmonoError(
                f"`tool.uvmono.docker.indexes` in {root_file} names the index `{name}`, which no "
                f"[[tool.uv.index]] in {root_file} (or [[index]] in {UV_TOML}) defines",
                hint=f'define it: [[tool.uv.index]] name = "{name}" url = "https://…/simple"',
            )
        out.extend((IndexSecret(name, "username"), IndexSecret(name, "password")))
    return tuple(out)


def _defined_indexes(workspace: Workspace) -> set[str]:
    """The indexes uv knows: the root pyproject's (read by discovery) and uv.toml's."""
    found = set(workspace.root_indexes)
    if (workspace.root / UV_TOML).is_file():
        node: Any = read_toml(workspace.root / UV_TOML).get("index", [])
        for entry in node if isinstance(node, list) else []:
            if isinstance(entry, Mapping) and isinstance(entry.get("name"), str):
                found.add(entry["name"])
    return found


def _inputs(
    workspace: Workspace,
    member: Member,
    graph: environment.EnvironmentGraph,
    shared: _Shared,
    lock: Lock | None,
    pyprojects: dict[str, Mapping[str, Any] | None],
) -> DockerInputs:
    file = _member_file(workspace, member)
    if member.virtual:
        raise UvmonoError(
            f"{member.name} gets an image, but it is not a package ({file} has no "
            "[build-system], or sets tool.uv.package = false): uv installs none of its code",
            hint="add a [build-system] to it, or set [tool.uvmono.docker] image = false",
        )
    docker = member.settings.docker
    python = python_version(workspace, member, lock=lock)
    if not _PYTHON.fullmatch(python):
        raise UvmonoError(
            f"the Python version {python!r} of {member.name} is not a version number",
            hint="set it in .python-version or `tool.uvmono.python`, e.g. 3.12",
        )
    root_docker = workspace.settings.docker
    root_file = workspace.root / PYPROJECT

    chosen_extras = extras(member, file)
    runtime_packages = environment.packages_of_states(
        graph.closure([(member.name, None), *((member.name, e) for e in chosen_extras)])
    )
    test_packages = environment.packages_of_states(graph.closure(_test_starts(graph, member.name)))
    runtime = set(_needed_paths(workspace, lock, member, runtime_packages, "its image"))
    named = _needed_paths(workspace, lock, member, test_packages, "its test stage")
    with_groups = set(named)
    install = _in_build_order(_copied(runtime), shared.levels, member.path)
    excluded = _context_excludes(shared, runtime | with_groups)
    for path in named:
        if path not in pyprojects:
            pyprojects[path] = docker_build_env.read_local(workspace.root, path)
    local = {name: pyprojects[path] for path, name in named.items()}
    vcs = vcs_versions.versioned(local)
    test_install = tuple(p for p in _copied(with_groups) if p not in install)
    return DockerInputs(
        name=member.name,
        path=safe_path(member.path, f"the directory of {member.name}", file),
        dockerfile=plan.dockerfile_path(member),
        version=printable(member.version or "", "project.version", file),
        description=" ".join(_CONTROL.sub(" ", member.description or "").split()),
        python=python,
        base_image=image_ref(
            expand(root_docker.base_image, "base-image", root_file, python=python),
            "tool.uvmono.docker.base-image",
            root_file,
        ),
        uv_image=image_ref(
            expand(
                root_docker.uv_image, "uv-image", root_file, uv_version=root_docker.uv_version
            ),
            "tool.uvmono.docker.uv-image",
            root_file,
        ),
        syntax=shared.syntax,
        install=install,
        test_install=test_install,
        context_excludes=tuple(
            safe_path(p, "a path to leave out of the build context", file)
            for p in excluded
        ),
        context_keeps=_nested_in(runtime | with_groups, excluded),
        vcs_variables=vcs[0],
        vcs_packages=vcs[1],
        extras=chosen_extras,
        uv_settings=shared.uv_settings,
        indexes=indexes.for_image(
            shared.defined_indexes, runtime_packages | test_packages, workspace.root / LOCKFILE
        ),
        secrets=shared.secrets,
        entrypoint=entrypoint(member, docker, file),
        test_command=test_command(member, file),
        user_id=shared.user_id,
        ports=docker.ports,
        healthcheck=optional_line(docker.healthcheck, "tool.uvmono.docker.healthcheck", file),
        system_packages=debian_packages(docker.system_packages, "system-packages", file),
        build_packages=debian_packages(docker.build_packages, "build-packages", file),
        extra_files=tuple(
            safe_path(p, "an entry of tool.uvmono.docker.extra-files", file)
            for p in docker.extra_files
        ),
        source_url=shared.source_url,
        runtime=_runtime(docker, file),
        build_env=docker_build_env.shared(local) if docker.build_env == "shared" else None,
        build_constraints=shared.build_constraints,
    )


def _runtime(docker: MemberDockerSettings, file: str) -> str:
    """The runtime variant; a distroless image has no shell to run a HEALTHCHECK command."""
    if docker.runtime == "distroless" and docker.healthcheck is not None:
        raise UvmonoError(
            f"`tool.uvmono.docker.healthcheck` in {file} is a shell command, but "
            '`runtime = "distroless"` leaves the image without a shell to run it',
            hint='drop the healthcheck (compose checks a declared port with Python), or set '
            'runtime = "slim"',
        )
    return docker.runtime


def _test_starts(graph: environment.EnvironmentGraph, name: str) -> list[environment.State]:
    """The member itself and each of its dependency groups: what `--all-groups` installs."""
    return [s for s in graph.starts[name] if len(s) == 3 or s == (name, None)]


def _needed_paths(
    workspace: Workspace,
    lock: Lock | None,
    member: Member,
    packages: set[environment.Package],
    stage: str,
) -> dict[str, str]:
    """Directories of the members in `packages` and paths of the local path dependencies
    among them, each checked, with the package's name; a path dependency outside the
    workspace root is an error."""
    members = sorted(p for p in packages if isinstance(p, str) and p in workspace.members)
    local = _path_dependencies(workspace, lock, members, packages)
    where = _member_file(workspace, member)
    for name, path in local:
        if path == ".." or path.startswith("../"):
            raise UvmonoError(
                f"{stage} needs the path dependency `{name}` at {path}, which is outside the "
                f"workspace root {workspace.root}: a Docker build sees only its context, the "
                f"workspace root ({where})",
                hint=f"move `{name}` inside the workspace (or make it a workspace member), or "
                "install it from an index",
            )
    paths = {safe_path(workspace.members[n].path, "a member directory", where): n for n in members}
    paths.update((safe_path(p, f"the path dependency `{n}`", where), n) for n, p in local)
    return paths


def _copied(paths: set[str]) -> tuple[str, ...]:
    """What the build copies: the paths sorted, or `.` alone (the root holds every other)."""
    return (".",) if "." in paths else tuple(sorted(paths))


def _in_build_order(
    paths: tuple[str, ...], levels: Mapping[str, int], own: str
) -> tuple[str, ...]:
    """Path dependencies first, then members by level (dependencies before dependents), the
    image's own member last; by path within a level. The build stage copies them in this
    order, so a change re-copies (and rebuilds) only the paths from the changed one on."""

    def key(path: str) -> tuple[int, int, str]:
        return (path == own, levels.get(path, -1), path)

    return tuple(sorted(paths, key=key))


def _path_dependencies(
    workspace: Workspace,
    lock: Lock | None,
    members: Sequence[str],
    packages: set[environment.Package],
) -> list[tuple[str, str]]:
    """(name, path) of the local packages that are not members: from uv.lock when there is one
    (it knows which of them are installed), else the path sources the members declare."""
    if lock is not None:
        found = [
            (p.name, path)
            for p in packages
            if isinstance(p, PackageId) and (path := _local_path(p)) is not None
        ]
    else:
        found = [
            (source.name, source.path)
            for name in members
            for source in workspace.members[name].path_sources
        ]
    return sorted(set(found))


def _local_path(package: PackageId) -> str | None:
    for part in package.source.split("; "):
        kind, _, value = part.partition("=")
        if kind in ("editable", "directory", "path"):
            return value.rstrip("/") or "."
    return None


def _context_excludes(shared: _Shared, included: set[str]) -> tuple[str, ...]:
    """Members inside an included directory that the image does not need, and the generated
    Dockerfiles of included members (regenerating one must not touch the layers that copy it)."""
    beneath = {path for i in included for path in shared.members_beneath.get(i, ())}
    excluded = sorted(beneath - included)
    generated = [
        f"{dockerfile}{suffix}"
        for path in sorted(beneath & included)
        if (dockerfile := shared.generated.get(path))
        for suffix in ("", ".dockerignore")
    ]
    return tuple(sorted({*excluded, *generated}))


def _nested_in(included: set[str], excluded: Sequence[str]) -> tuple[str, ...]:
    """The needed paths inside a left-out one: a member the image needs, nested in a member
    it does not (modelcontextprotocol/python-sdk's `examples` holds `examples/servers/*`).
    The .dockerignore lets them back in after the left-out directory."""
    return tuple(
        sorted(p for p in included if any(p.startswith(f"{e}/") for e in excluded if e != "."))
    )


def _member_file(workspace: Workspace, member: Member) -> str:
    return str(workspace.root / member.path / PYPROJECT)


def lock_missing(workspace: Workspace) -> str | None:
    """A warning when there is no uv.lock: every image builds from it."""
    if (workspace.root / LOCKFILE).is_file():
        return None
    return f"{workspace.root / LOCKFILE} does not exist: the images build from it (run `uv lock`)"


# ---------------------------------------------------------------------------------- bake


def image_name(workspace: Workspace, name: str) -> str:
    """The image name of member `name`, checked (by `plan.image_name`)."""
    return plan.image_name(workspace, workspace.members[name])


def dockerfile_of(workspace: Workspace, name: str) -> str:
    """The Dockerfile path of member `name`, refused where the directory is unsafe to write."""
    member = workspace.members[name]
    safe_path(member.path, f"the directory of {name}", _member_file(workspace, member))
    return plan.dockerfile_path(member)


def bake_targets(workspace: Workspace, names: Iterable[str]) -> list[BakeTarget]:
    docker = workspace.settings.docker
    root_file = workspace.root / PYPROJECT
    secrets = index_secrets(workspace)
    out = []
    for name in names:
        out.append(
            BakeTarget(
                name=name,
                dockerfile=dockerfile_of(workspace, name),
                image=image_name(workspace, name),
                platforms=docker.platforms,
                cache_from=tuple(
                    expand(c, "cache-from", root_file, name=name) for c in docker.cache_from
                ),
                cache_to=tuple(
                    expand(c, "cache-to", root_file, name=name) for c in docker.cache_to
                ),
                attestations=docker.attestations,
                secrets=secrets,
            )
        )
    return out
