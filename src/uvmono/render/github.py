"""The GitHub Actions workflow: plan, test, image and ci-ok jobs, rendered from plain data.

The workflow is static; the plan job computes what to do on every run (`uvmono matrix --since
auto --github-output`) and the other jobs fan out over its matrices:

- `plan`: full-history checkout, `uvmono matrix`; outputs `matrix`, `images`, `has-changes`,
  `has-images`, `count`.
- `test`: one job per matrix entry (`fail-fast: false`), on the entry's Python. Each member of
  the entry gets `uv sync --frozen` with the flags of its test environment
  (`test_environment.py`), a check that the test runner is installed there, then its test
  command inside that environment (`uv run --frozen --no-sync`), in its own directory or at the
  workspace root with its test locations; "no tests collected" (pytest's 5) fails. With
  `skip-passed` (the default), it first looks up the entry's pass marker in the Actions cache
  (`actions/cache/restore`, `lookup-only`): a hit skips uv and the tests; after a green run,
  and only then, it saves the marker. The summary lists each member as passed, failed or cached.
- `image`: one job per member with an image, labelled with the commit (`REVISION`); buildx
  with a per-member GitHub Actions cache; pushed to ghcr.io only on pushes to the default
  branch, the only job with `packages: write`.
- `ci-ok`: the one check to require in branch protection. Matrix check names change from run to
  run, and a job skipped by `if:` reports success, so it fails when any job it needs failed or
  was cancelled, and passes otherwise.

Jobs that would get an empty matrix (a hard error on GitHub) are skipped by `if:`, which GitHub
evaluates before it expands the matrix. Security: actions are pinned by commit SHA
(`render/actions.py`), `permissions: contents: read` by default, checkouts keep no credentials,
and no `${{ }}` expression appears inside a `run:` script: values reach scripts as environment
variables, quoted.

Rendered with PyYAML's SafeDumper from dicts (no templates, no aliases, keys in insertion
order); the only text step after dumping adds comments YAML dumpers cannot write: the version
of each pinned action, and why the image job may write packages.
"""

from __future__ import annotations

import re
from typing import Any

from uvmono.errors import UvmonoError
from uvmono.plan import Plan
from uvmono.records import record
from uvmono.render import actions, text, yamldump
from uvmono.render.github_jobs import OUTPUTS as OUTPUTS
from uvmono.render.github_jobs import PASS_MARKER as PASS_MARKER
from uvmono.render.github_jobs import _ci_ok_job, _image_job, _plan_job, _test_job
from uvmono.render.install import InstallSource

# The jobs and their steps are in `render/github_jobs.py`.

# `uvmono matrix --since auto` reads it from the event payload: a manual run plans every member
# unless it is unticked (then: what differs from the default branch).
_EVERYTHING_INPUT = {
    "description": "Test and build every member, not only those a change affects",
    "type": "boolean",
    "default": True,
}
_IGNORE_CACHE_INPUT = {
    "description": "Ignore the cache: test every planned member, even one that passed before",
    "type": "boolean",
    "default": False,
}

_BRANCH = re.compile(r"(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+")
_RUNNER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_GROUP = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Lands in `working-directory`, a glob and action inputs: plain names only (no `${{`, no glob).
_DIRECTORY = re.compile(r"[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*")
_USES = re.compile(r"^(\s*(?:- )?uses: )(\S+)$", re.MULTILINE)
_PACKAGES_WRITE = re.compile(r"^(\s*packages: write)$", re.MULTILINE)


@record
class WorkflowOptions:
    runner: str
    default_branch: str
    uv_version: str
    uvmono: InstallSource
    images: bool  # whether any member gets an image; without, there is no image job
    registry: str  # "": ghcr.io/<owner>/<image-name>; else image names already hold it
    workspace_dir: str = "."  # the workspace root, relative to the repository's root
    skip_passed: bool = False  # test jobs skip what passed before (`[tool.uvmono.ci]`)


def options(plan: Plan) -> WorkflowOptions:
    """The workflow's options from the plan of the committed CI files (`plan.build` without
    affected members)."""
    if plan.uvmono is None:
        raise ValueError("the plan of the CI files holds where CI installs uvmono from")
    settings = plan.settings
    return WorkflowOptions(
        runner=settings.ci.runner,
        default_branch=settings.ci.default_branch,
        uv_version=settings.docker.uv_version,
        uvmono=plan.uvmono,
        images=bool(plan.image_members),
        registry=settings.docker.registry.rstrip("/"),
        workspace_dir=plan.workspace_dir,
        skip_passed=settings.ci.skip_passed,
    )


def workflow(options: WorkflowOptions) -> str:
    """The body of `.github/workflows/uvmono.yml` (`uvmono.files` adds the header)."""
    _check(options)
    pushes = f"github.event_name == 'push' && github.ref == 'refs/heads/{options.default_branch}'"
    jobs: dict[str, Any] = {
        "plan": _plan_job(options),
        "test": _test_job(options),
    }
    if options.images:
        jobs["image"] = _image_job(options, pushes)
    jobs["ci-ok"] = _ci_ok_job(options, list(jobs))
    data = {
        "name": "uvmono",
        "on": {
            "pull_request": {},
            "push": {"branches": [options.default_branch]},
            "merge_group": {},
            "workflow_dispatch": {"inputs": _dispatch_inputs(options)},
        },
        "permissions": {"contents": "read"},
        # Pull requests: a new push cancels the run in progress. Pushes to the default branch
        # are grouped by commit: a queued run that a later push replaced would be cancelled,
        # and the next run (diffing from its `before`) would never test or build its changes.
        "concurrency": {
            "group": "${{ github.workflow }}-${{ github.event_name == 'push' && github.sha "
            "|| github.ref }}",
            "cancel-in-progress": "${{ github.event_name == 'pull_request' }}",
        },
        "defaults": {"run": _run_defaults(options)},
        "jobs": jobs,
    }
    return text.checked_yaml(_comment(yamldump.dump(data)), data, "GitHub workflow")


def _dispatch_inputs(options: WorkflowOptions) -> dict[str, Any]:
    inputs: dict[str, Any] = {"everything": _EVERYTHING_INPUT}
    if options.skip_passed:
        inputs["ignore-cache"] = _IGNORE_CACHE_INPUT
    return inputs


def _run_defaults(options: WorkflowOptions) -> dict[str, str]:
    defaults = {"shell": "bash"}
    if options.workspace_dir != ".":
        defaults["working-directory"] = options.workspace_dir
    return defaults


def _check(options: WorkflowOptions) -> None:
    directory = options.workspace_dir
    if directory != "." and (
        not _DIRECTORY.fullmatch(directory) or {".", ".."} & set(directory.split("/"))
    ):
        raise UvmonoError(
            f"the workspace directory {directory!r} (relative to the repository root) cannot be "
            "used in a GitHub workflow",
            hint="keep the workspace in a directory named with letters, digits, `.`, `_`, `-`",
        )
    if not _BRANCH.fullmatch(options.default_branch):
        raise UvmonoError(
            f"`tool.uvmono.ci.default-branch` = {options.default_branch!r} is not a branch name "
            "the workflow can use",
            hint="use letters, digits, `.`, `_`, `-` and `/`, e.g. main",
        )
    if not _RUNNER.fullmatch(options.runner):
        raise UvmonoError(
            f"`tool.uvmono.ci.runner` = {options.runner!r} is not a runner label",
            hint="for example: ubuntu-24.04",
        )
    text.check_uv_version(options.uv_version)
    text.check_configured(options.registry, "`tool.uvmono.docker.registry`")
    if options.uvmono.kind == "group" and not _GROUP.fullmatch(options.uvmono.value):
        raise UvmonoError(f"{options.uvmono.value!r} is not a normalized dependency group name")
    if options.registry and not options.registry.startswith("ghcr.io/"):
        raise UvmonoError(
            f"`tool.uvmono.docker.registry` = {options.registry!r}: the GitHub workflow pushes "
            "images to the GitHub Container Registry only",
            hint="leave `registry` empty (images go to ghcr.io/<owner>), "
            'or set it to "ghcr.io/<owner>"',
        )


def _comment(text: str) -> str:
    """Comments PyYAML cannot write: each pinned action's version, the reason for a permission."""
    text = _USES.sub(lambda m: f"{m[1]}{m[2]} # {actions.version_of(m[2])}", text)
    return _PACKAGES_WRITE.sub(r"\1 # push images to ghcr.io (default branch pushes only)", text)
