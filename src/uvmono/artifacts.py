"""The generated files of each kind `[tool.uvmono] generate` names, built from the stages.

`uvmono generate`/`check` and the per-kind commands (`docker generate`, `docker bake`,
`ci github`, `ci gitlab`) all take their files from here. A kind's renderers are imported only
when that kind is asked for, so `uvmono check` loads no renderer it does not need.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from uvmono import ci_env, files, plan
from uvmono.ci_env import CiEnvironment
from uvmono.errors import UvmonoError
from uvmono.workspace import Workspace, lock_of

if TYPE_CHECKING:
    from uvmono.render import github, gitlab

BAKE_FILE = "docker-bake.json"
COMPOSE_FILE = "compose.yaml"
DOCKER_COMMAND = "uvmono docker generate"
BAKE_COMMAND = "uvmono docker bake"
COMPOSE_COMMAND = "uvmono docker compose"
GITHUB_COMMAND = "uvmono ci github"
GITLAB_COMMAND = "uvmono ci gitlab"


def dockerfiles(workspace: Workspace, names: Sequence[str] | None = None) -> list[files.Artifact]:
    """Dockerfile and Dockerfile.dockerignore of each member (default: each that gets one)."""
    from uvmono import docker_plan
    from uvmono.render.dockerfile import render_dockerfile, render_dockerignore

    chosen = docker_plan.image_members(workspace) if names is None else list(names)
    out: list[files.Artifact] = []
    for inputs in docker_plan.inputs(workspace, chosen, lock_of(workspace)):
        body = render_dockerfile(inputs)
        out.append(files.Artifact(inputs.dockerfile, body, DOCKER_COMMAND, "hash"))
        ignore = render_dockerignore(inputs)
        out.append(files.Artifact(inputs.dockerignore, ignore, DOCKER_COMMAND, "hash"))
    return out


def bake_file(workspace: Workspace, names: Sequence[str] | None = None) -> list[files.Artifact]:
    """docker-bake.json with a target per member (default: each that gets an image); none when
    no member gets an image."""
    from uvmono import docker_plan
    from uvmono.render.bake import render_bake

    chosen = docker_plan.image_members(workspace) if names is None else list(names)
    if not chosen:
        return []
    targets = docker_plan.bake_targets(workspace, plan.build_order(workspace, chosen))
    return [files.Artifact(BAKE_FILE, render_bake(targets), BAKE_COMMAND, "json")]


def compose_file(workspace: Workspace) -> list[files.Artifact]:
    """compose.yaml with a service per member that gets an image (unless `compose = false`);
    none when no member gets one."""
    from uvmono import compose_plan
    from uvmono.render.compose import render_compose

    services = compose_plan.services(workspace)
    if not services:
        return []
    body = render_compose(services)
    return [files.Artifact(COMPOSE_FILE, body, COMPOSE_COMMAND, "hash")]


def files_plan(workspace: Workspace, ci: CiEnvironment | None = None) -> plan.Plan:
    """The plan of the committed CI files (no affected members)."""
    ci = ci or ci_env.read(workspace.root)
    return plan.build(workspace, lock_of(workspace), None, workspace.settings, ci)


def github_options(
    workspace: Workspace, ci: CiEnvironment | None = None
) -> github.WorkflowOptions:
    from uvmono.render import github

    return github.options(files_plan(workspace, ci))


def github_workflow(workspace: Workspace, ci: CiEnvironment | None = None) -> list[files.Artifact]:
    """The GitHub Actions workflow at `[tool.uvmono.ci] github-workflow`."""
    from uvmono.render import github

    path = workspace.settings.ci.github_workflow
    body = github.workflow(github_options(workspace, ci))
    return [files.Artifact(path=path, body=body, command=GITHUB_COMMAND, syntax="hash")]


def gitlab_options(
    workspace: Workspace, path: str, ci: CiEnvironment | None = None
) -> gitlab.ParentOptions:
    from uvmono.render import gitlab

    return gitlab.parent_options(files_plan(workspace, ci), path)


def gitlab_parent(workspace: Workspace, ci: CiEnvironment | None = None) -> list[files.Artifact]:
    """The GitLab parent pipeline at `[tool.uvmono.ci] gitlab-file`."""
    from uvmono.render import gitlab

    path = workspace.settings.ci.gitlab_file
    body = gitlab.parent_pipeline(gitlab_options(workspace, path, ci))
    return [files.Artifact(path=path, body=body, command=GITLAB_COMMAND, syntax="hash")]


# ---------------------------------------------------------------- one CI file: print, check, write

CiFiles = Callable[[Workspace, CiEnvironment | None], list[files.Artifact]]
"""`github_workflow` or `gitlab_parent`: the one file a `uvmono ci` command writes."""


def text(make: CiFiles, workspace: Workspace, ci: CiEnvironment | None = None) -> str:
    """The whole file, header included, as `--stdout` prints it."""
    return files.render(make(workspace, ci)[0])


def check(make: CiFiles, workspace: Workspace, ci: CiEnvironment | None = None) -> list[str]:
    """The diffs of `--check`: [] when the file on disk is current."""
    return files.check(workspace.root, make(workspace, ci))


def write(
    make: CiFiles,
    workspace: Workspace,
    *,
    force: bool,
    ci: CiEnvironment | None = None,
    refused_hint: Callable[[files.Artifact], str | None] = lambda artifact: None,
) -> files.WritePlan:
    """Write the file, holding the workspace's write lock. When the writer refuses it,
    `refused_hint(the file)`, if not None, replaces the error's hint."""
    with files.lock(workspace.root):
        wanted = make(workspace, ci)
        try:
            write_plan = files.plan_writes(workspace.root, wanted, force=force)
        except UvmonoError as exc:
            hint = refused_hint(wanted[0])
            if hint is None:
                raise
            raise UvmonoError(exc.message, hint=hint) from None
        files.apply(write_plan)
    return write_plan


Provider = Callable[[Workspace, CiEnvironment], Sequence[files.Artifact]]

PROVIDERS: dict[str, Provider] = {
    "docker": lambda workspace, ci: dockerfiles(workspace),
    "bake": lambda workspace, ci: bake_file(workspace),
    "compose": lambda workspace, ci: compose_file(workspace),
    "github": github_workflow,
    "gitlab": gitlab_parent,
}
"""Kind (a value of `[tool.uvmono] generate`) -> the files it writes."""


def requested(workspace: Workspace, ci: CiEnvironment | None = None) -> list[files.Artifact]:
    """Every artifact the configuration asks for, sorted by path."""
    ci = ci or ci_env.read(workspace.root)
    wanted = set(workspace.settings.generate)
    found = [a for kind, make in PROVIDERS.items() if kind in wanted for a in make(workspace, ci)]
    return sorted(found, key=lambda artifact: artifact.path)
