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

from uvmono import artifacts as generated
from uvmono import ci_env, files, images
from uvmono.ci_env import CiEnvironment
from uvmono.plan import dockerfile_path, wants_image
from uvmono.workspace import Workspace

COMMAND = generated.GITHUB_COMMAND
artifacts = generated.github_workflow
options = generated.github_options


def warnings(workspace: Workspace, ci: CiEnvironment | None = None) -> list[str]:
    """What would keep the workflow from working: a missing Dockerfile, a workflow GitHub
    would not find."""
    found = images.warnings(workspace)
    found += [
        f"{dockerfile_path(m)} does not exist yet: the image job of {m.name} needs it "
        "(run `uvmono docker generate`)"
        for m in workspace.members.values()
        if wants_image(m) and not (workspace.root / dockerfile_path(m)).is_file()
    ]
    directory = (ci or ci_env.read(workspace.root)).workspace_dir
    if directory != ".":
        path = workspace.settings.ci.github_workflow
        found.append(
            f"the workspace is in {directory}/ of its repository: GitHub runs only workflows in "
            f".github/workflows/ at the repository root, so move {directory}/{path} there"
        )
    return found


def text(workspace: Workspace, ci: CiEnvironment | None = None) -> str:
    return generated.text(artifacts, workspace, ci)


def check(workspace: Workspace, ci: CiEnvironment | None = None) -> list[str]:
    return generated.check(artifacts, workspace, ci)


def write(
    workspace: Workspace, *, force: bool, ci: CiEnvironment | None = None
) -> files.WritePlan:
    return generated.write(artifacts, workspace, force=force, ci=ci)
