"""`uvmono ci gitlab`: write (or check) the parent pipeline, or print the child pipeline.

The parent goes to `[tool.uvmono.ci] gitlab-file`: `.gitlab-ci.yml` (the default) is a whole
pipeline with workflow rules; any other name (say `uvmono.gitlab-ci.yml`, for a repository that
already has a `.gitlab-ci.yml`) is an includable file with the two jobs only. In CI, the parent's
plan job runs `uvmono ci gitlab --child --since auto` to print the child pipeline.
"""

from __future__ import annotations

from uvmono import artifacts as generated
from uvmono import files, images, pipeline
from uvmono.ci_env import CiEnvironment
from uvmono.plan import dockerfile_path, wants_image
from uvmono.render import gitlab
from uvmono.workspace import Workspace

COMMAND = generated.GITLAB_COMMAND
artifacts = generated.gitlab_parent
parent_options = generated.gitlab_options


def warnings(workspace: Workspace) -> list[str]:
    """Members that get an image but have no Dockerfile yet: their image job would fail."""
    return images.warnings(workspace) + [
        f"{dockerfile_path(m)} does not exist yet: the image job of {m.name} needs it "
        "(run `uvmono docker generate`)"
        for m in workspace.members.values()
        if wants_image(m) and not (workspace.root / dockerfile_path(m)).is_file()
    ]


def text(workspace: Workspace, ci: CiEnvironment | None = None) -> str:
    """The whole parent file, header included, as `--stdout` prints it."""
    return generated.text(artifacts, workspace, ci)


def check(workspace: Workspace, ci: CiEnvironment | None = None) -> list[str]:
    return generated.check(artifacts, workspace, ci)


def write(
    workspace: Workspace, *, force: bool, ci: CiEnvironment | None = None
) -> files.WritePlan:
    return generated.write(artifacts, workspace, force=force, ci=ci, refused_hint=_refused_hint)


def _refused_hint(parent: files.Artifact) -> str | None:
    """Where the parent would replace the user's own `.gitlab-ci.yml`: how to keep that."""
    if parent.path != gitlab.FULL_PIPELINE_FILE:
        return None
    return (
        "to keep your own .gitlab-ci.yml, set [tool.uvmono.ci] gitlab-file = "
        '"uvmono.gitlab-ci.yml" in pyproject.toml, run `uvmono ci gitlab` again, and add '
        "`include: [{local: uvmono.gitlab-ci.yml}]` to .gitlab-ci.yml; or pass --force"
    )


def child(workspace: Workspace, options: pipeline.RunOptions) -> str:
    """The child pipeline for the members `options` selects as affected."""
    from uvmono.render import summary

    planned = pipeline.planned(workspace, options)
    result = planned.affected
    shown, left_out = result.nearest(summary.MAX_GRAPH_MEMBERS)
    why = result.reason_lines()
    rows = [(name, why.get(name, [])) for name in shown]
    for line in summary.log_summary(len(result.affected), rows, left_out).split("\n"):
        options.info(line)  # one line each: `info` escapes a line break as repository data
    return gitlab.child_pipeline(planned.plan)

