"""`uvmono ci github`: write (or check) the GitHub Actions workflow.

Where the plan job installs uvmono from is `[tool.uvmono.ci] uvmono-source`, resolved and
checked by `render/install.py` (shared with GitLab): never a bare `uvmono` from an index, whose
name belongs to an unrelated project on PyPI. A group source runs as
`uv run --frozen --only-group NAME uvmono ...`; the others with `uvx --from SOURCE uvmono ...`.

GitHub runs workflows only from `.github/workflows/` at the repository's root. When the
workspace sits in a subdirectory, the workflow's scripts run there (`working-directory`), and
the file uvmono writes inside the workspace must be moved to the root to run.
"""

from __future__ import annotations

from pathlib import Path

from uvmono import files
from uvmono.plan import dockerfile_path, wants_image
from uvmono.render import github, install
from uvmono.workspace import Workspace

COMMAND = "uvmono ci github"


def artifacts(workspace: Workspace) -> list[files.Artifact]:
    """The workflow file, for `uvmono ci github` and `uvmono generate`."""
    path: str = workspace.settings["ci"]["github-workflow"]
    body = github.workflow(options(workspace))
    return [files.Artifact(path=path, body=body, command=COMMAND, syntax="hash")]


def options(workspace: Workspace) -> github.WorkflowOptions:
    ci = workspace.settings["ci"]
    docker = workspace.settings["docker"]
    return github.WorkflowOptions(
        runner=ci["runner"],
        default_branch=ci["default-branch"],
        uv_version=docker["uv-version"],
        uvmono=install.resolve_source(workspace),
        images=any(wants_image(m) for m in workspace.members.values()),
        registry=docker["registry"].rstrip("/"),
        workspace_dir=workspace_dir(workspace.root),
    )


def workspace_dir(root: Path) -> str:
    """`root` relative to the top of its git repository; "." outside any repository.

    Found by looking for `.git` (a directory, or a file in worktrees and submodules) rather
    than through git: `uvmono check` runs in pre-commit hooks and loads no git library.
    """
    root = root.resolve()
    for directory in (root, *root.parents):
        if (directory / ".git").exists():
            return root.relative_to(directory).as_posix()
    return "."


def warnings(workspace: Workspace) -> list[str]:
    """What would keep the workflow from working: a missing Dockerfile, a workflow GitHub
    would not find."""
    found = [
        f"{dockerfile_path(m)} does not exist yet: the image job of {m.name} needs it "
        "(run `uvmono docker generate`)"
        for m in workspace.members.values()
        if wants_image(m) and not (workspace.root / dockerfile_path(m)).is_file()
    ]
    directory = workspace_dir(workspace.root)
    if directory != ".":
        path = workspace.settings["ci"]["github-workflow"]
        found.append(
            f"the workspace is in {directory}/ of its repository: GitHub runs only workflows in "
            f".github/workflows/ at the repository root, so move {directory}/{path} there"
        )
    return found


def text(workspace: Workspace) -> str:
    """The whole file, header included, as `--stdout` prints it."""
    return files.render(artifacts(workspace)[0])


def check(workspace: Workspace) -> list[str]:
    return files.check(workspace.root, artifacts(workspace))


def write(workspace: Workspace, *, force: bool) -> files.WritePlan:
    plan = files.plan_writes(workspace.root, artifacts(workspace), force=force)
    files.apply(plan)
    return plan
