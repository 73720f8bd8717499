"""GitLab CI: a parent pipeline that plans, and the child pipeline that the plan job writes.

GitLab cannot compute a matrix at run time, so the parent's plan job runs
`uvmono ci gitlab --child` and saves the child pipeline as an artifact, and a trigger job runs
it (`trigger: include: artifact`). The child holds one `parallel: matrix` instance per affected
member for its tests, and one per affected member with an image for its image build.

Facts it is built on (shared/docs/FACTS.md §6):
- at most 200 permutations per `parallel: matrix` job: more members are split over several
  jobs, none dropped;
- at most 50 `needs`, and every matrix instance counts: the child uses stages, never `needs`;
- an empty child pipeline fails its trigger job: with nothing affected it holds a no-op job;
- in the child, `CI_PIPELINE_SOURCE` is `parent_pipeline`: its rules test branches, not sources.

Member names and paths reach shells only as matrix variables, always quoted (`"$PACKAGE"`).
GitLab expands `$` in variable values, so a path holding `$` is refused rather than mangled.
"""

from __future__ import annotations

import shlex
from pathlib import PurePosixPath
from typing import Any

from uvmono.config import Strategy
from uvmono.plan import Plan
from uvmono.records import record
from uvmono.render import matrix, text
from uvmono.render.gitlab_child import ChildOptions as ChildOptions
from uvmono.render.gitlab_child import child_options as child_options
from uvmono.render.gitlab_child import child_pipeline as child_pipeline
from uvmono.render.gitlab_child import render_child as render_child
from uvmono.render.gitlab_common import (
    CHILD_FILE,
    PLAN_IMAGE,
    PLAN_JOB,
    TRIGGER_JOB,
    _cd,
    _check_workspace_dir,
    _comments,
    _dump,
)
from uvmono.render.gitlab_common import FULL_PIPELINE_FILE as FULL_PIPELINE_FILE
from uvmono.render.gitlab_common import MAX_NEEDS as MAX_NEEDS
from uvmono.render.gitlab_common import MAX_PERMUTATIONS as MAX_PERMUTATIONS
from uvmono.render.gitlab_common import SKIP_IMAGES as SKIP_IMAGES
from uvmono.render.install import InstallSource, install_steps

# The child pipeline is in `render/gitlab_child.py`, what both share in `render/gitlab_common.py`.


@record
class ParentOptions:
    include: bool  # an includable file: jobs only, the including pipeline's workflow decides
    uv_version: str
    python: str  # of the plan job's image
    uvmono: InstallSource
    strategy: Strategy
    workspace_dir: str  # the workspace root relative to the repository root ("." at the top)


def is_includable(path: str) -> bool:
    """Any file other than `.gitlab-ci.yml` is meant for `include: local`."""
    return PurePosixPath(path).name != FULL_PIPELINE_FILE


def parent_options(plan: Plan, path: str) -> ParentOptions:
    """The parent's options from the plan of the committed CI files (`plan.build` without
    affected members), for the parent pipeline written to `path`."""
    if plan.uvmono is None:
        raise ValueError("the plan of the CI files holds where CI installs uvmono from")
    return ParentOptions(
        include=is_includable(path),
        uv_version=plan.settings.docker.uv_version,
        python=plan.python,
        uvmono=plan.uvmono,
        strategy=plan.settings.ci.gitlab_strategy,
        workspace_dir=plan.workspace_dir,
    )


def parent_pipeline(options: ParentOptions) -> str:
    """The body of `.gitlab-ci.yml` or `uvmono.gitlab-ci.yml` (`uvmono.files` adds the header)."""
    _check_workspace_dir(options.workspace_dir)
    text.check_uv_version(options.uv_version)
    matrix.check_python(options.python)
    data: dict[str, Any] = {}
    if not options.include:
        data["workflow"] = {"rules": _workflow_rules()}
    data[PLAN_JOB] = _plan_job(options)
    data[TRIGGER_JOB] = {
        "stage": "test",
        "needs": [PLAN_JOB],
        "trigger": {
            "include": [{"artifact": CHILD_FILE, "job": PLAN_JOB}],
            "strategy": options.strategy,
        },
    }
    intro = [
        f"{PLAN_JOB} finds the workspace members this change affects and writes a child",
        f"pipeline that tests them and builds their images; {TRIGGER_JOB} runs it.",
        f"Set the CI/CD variable {SKIP_IMAGES}=true to skip the image jobs.",
    ]
    if options.include:
        intro += [
            "Add it to your .gitlab-ci.yml with `include: [{local: <this file>}]`; your workflow",
            f"rules decide when it runs, and your stages must include `test` ({TRIGGER_JOB}).",
        ]
    return text.checked_yaml(_comments(intro) + "\n" + _dump(data), data, "GitLab pipeline")


def _workflow_rules() -> list[dict[str, Any]]:
    """Merge request pipelines, and branch pipelines where no merge request is open: never
    both for one push. The default branch always gets its branch pipeline."""
    return [
        {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'},
        {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"},
        {"if": "$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS", "when": "never"},
        {"if": "$CI_COMMIT_BRANCH"},
    ]


def _plan_job(options: ParentOptions) -> dict[str, Any]:
    script = _cd(options.workspace_dir) + install_steps(options.uvmono)
    top = "../" * len(PurePosixPath(options.workspace_dir).parts)
    # A base that cannot be found (a force push, an expired ref) tests everything: CI never
    # skips a member because the comparison failed.
    # Written outside the work tree first: an untracked file at the top would be a change, and
    # would affect a member at the repository root in every pipeline.
    script += [
        'child="$(mktemp)"',
        'uvmono ci gitlab --child --since auto --on-missing-base all > "$child"',
        f'mv -- "$child" {shlex.quote(top + CHILD_FILE)}',
    ]
    return {
        "stage": ".pre",
        "image": PLAN_IMAGE.format(uv=options.uv_version, python=options.python),
        "variables": {"GIT_DEPTH": "0"},  # the merge-base may be older than the default 20
        "interruptible": True,
        "script": script,
        "artifacts": {"paths": [CHILD_FILE], "expire_in": "1 week"},
    }
