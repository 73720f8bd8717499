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
from dataclasses import dataclass
from typing import Any

import yaml

from uvmono.errors import UvmonoError
from uvmono.plan import Plan
from uvmono.render import actions, matrix, text
from uvmono.render.install import InstallSource

OUTPUTS = ("matrix", "images", "has-changes", "has-images", "count")
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
PASS_MARKER = ".uvmono-pass"  # the file the pass marker caches (relative to the repository)
_HIT = "steps.passed.outputs.cache-hit == 'true'"
_MISS = "steps.passed.outputs.cache-hit != 'true'"

_BRANCH = re.compile(r"(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+")
_RUNNER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_GROUP = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Lands in `working-directory`, a glob and action inputs: plain names only (no `${{`, no glob).
_DIRECTORY = re.compile(r"[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*")
_USES = re.compile(r"^(\s*(?:- )?uses: )(\S+)$", re.MULTILINE)
_PACKAGES_WRITE = re.compile(r"^(\s*packages: write)$", re.MULTILINE)

_TEST_SCRIPT = """\
# The members of this job and how to test each come from the matrix, through UVMONO_MEMBERS.
mapfile -d '' fields < <(
  jq --join-output '.[] | (.package, .path, ."test-command", .sync, .tests, ."test-paths",
    .runner) | . + "\\u0000"' <<< "$UVMONO_MEMBERS"
)
if (( ${#fields[@]} == 0 || ${#fields[@]} % 7 != 0 )); then
  echo "::error::could not read this job's members from the matrix"
  exit 1
fi
failed=()
printf '| Member | Result |\\n| --- | --- |\\n' >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
for ((i = 0; i < ${#fields[@]}; i += 7)); do
  package=${fields[i]} member_dir=${fields[i + 1]} test_command=${fields[i + 2]}
  read -ra sync_args <<< "${fields[i + 3]}"
  tests=${fields[i + 4]}
  read -ra test_paths <<< "${fields[i + 5]}"
  runner=${fields[i + 6]}
  status=0
  echo "::group::$package: uv sync --frozen ${sync_args[*]}"
  uv sync --frozen "${sync_args[@]}" || status=$?
  echo "::endgroup::"
  # The test command runs in this environment only: a runner missing from it is an error,
  # never one found elsewhere on PATH.
  if (( status == 0 )) && [[ -n $runner ]] &&
    ! uv run --frozen --no-sync -- python -c "$HAS_MODULE" "$runner"; then
    echo "::error::$package: $runner is not installed in its test environment" \\
      "(uv sync --frozen ${sync_args[*]}): add it to a dependency group the job installs"
    status=1
  fi
  if (( status == 0 )); then
    echo "::group::$package: test"
    case $tests in
      none) echo "$package has no tests (tests = [] in its [tool.uvmono])" ;;
      paths)
        uv run --frozen --no-sync -- bash -c "$test_command \\"\\$@\\"" "$package" \\
          "${test_paths[@]}" || status=$?
        ;;
      *)
        (cd -- "$member_dir" && uv run --frozen --no-sync -- bash -c "$test_command") ||
          status=$?
        ;;
    esac
    echo "::endgroup::"
    if (( status == 5 )) && [[ $runner == pytest ]]; then
      echo "::error::$package: pytest collected no tests; set \\`tests = [...]\\` in its" \\
        "[tool.uvmono] where they live, or \\`tests = []\\` if it has none"
    fi
  fi
  if (( status != 0 )); then
    echo "::error::$package failed with exit status $status"
    failed+=("$package")
    echo "| $package | failed |" >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
  else
    echo "| $package | passed |" >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
  fi
done
if (( ${#failed[@]} > 0 )); then
  echo "::error::failed: ${failed[*]}"
  exit 1
fi
"""

# A job whose pass marker exists: every member it tests passed before at these fingerprints.
_CACHED_SCRIPT = """\
echo "passed before at $PASS_KEY, skipped"
printf '| Member | Result |\\n| --- | --- |\\n' >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
for package in $PACKAGES; do
  echo "| $package | cached |" >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
done
"""

_CI_OK_SCRIPT = """\
echo "results of the needed jobs: $RESULTS"
case " $RESULTS " in
  *" failure "* | *" cancelled "*) exit 1 ;;
esac
"""


@dataclass(frozen=True)
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
    return text.checked_yaml(_comment(_dump(data)), data, "GitHub workflow")


def _dispatch_inputs(options: WorkflowOptions) -> dict[str, Any]:
    inputs: dict[str, Any] = {"everything": _EVERYTHING_INPUT}
    if options.skip_passed:
        inputs["ignore-cache"] = _IGNORE_CACHE_INPUT
    return inputs


def _plan_job(options: WorkflowOptions) -> dict[str, Any]:
    command = "matrix --since auto --github-output"
    source = options.uvmono
    if source.kind == "group":
        env = {"UVMONO_GROUP": source.value}
        run = f'uv run --frozen --only-group "$UVMONO_GROUP" -- uvmono {command}\n'
    elif source.kind == "index":
        env = {"UVMONO_SOURCE": source.value, "UVMONO_INDEX": source.index or ""}
        run = f'uvx --default-index "$UVMONO_INDEX" --from "$UVMONO_SOURCE" uvmono {command}\n'
    else:
        env = {"UVMONO_SOURCE": source.value}
        run = f'uvx --from "$UVMONO_SOURCE" uvmono {command}\n'
    return {
        "name": "plan",
        "runs-on": options.runner,
        "outputs": {name: f"${{{{ steps.plan.outputs.{name} }}}}" for name in OUTPUTS},
        "steps": [
            _checkout(full_history=True),
            _setup_uv(options),
            {"name": "Plan the affected members", "id": "plan", "env": env, "run": run},
        ],
    }


def _test_job(options: WorkflowOptions) -> dict[str, Any]:
    test: dict[str, Any] = {
        "name": "Test ${{ matrix.packages }}",
        "env": {
            "UVMONO_MEMBERS": "${{ toJSON(matrix.members) }}",
            "HAS_MODULE": matrix.HAS_MODULE,
        },
        "run": _TEST_SCRIPT,
    }
    steps = [_checkout(full_history=False)]
    if not options.skip_passed:
        steps += [_setup_uv(options, python="${{ matrix.python }}"), test]
    else:
        # The pass marker of (member, Python, fingerprint): a hit skips uv and the tests. A
        # pull request reads its own markers and the default branch's (Actions cache scoping).
        key = "${{ matrix.pass-key }}"
        setup = _setup_uv(options, python="${{ matrix.python }}")
        saved = f"success() && matrix.pass-key != '' && {_MISS}"
        steps += [
            {
                "name": "Look up the pass marker",
                "id": "passed",
                "if": "matrix.pass-key != '' && !inputs.ignore-cache",
                "uses": actions.CACHE_RESTORE.uses,
                "with": {"path": PASS_MARKER, "key": key, "lookup-only": True},
            },
            {
                "name": "Passed before: skip",
                "if": _HIT,
                "env": {"PASS_KEY": key, "PACKAGES": "${{ matrix.packages }}"},
                "run": _CACHED_SCRIPT,
            },
            {"name": setup["name"], "if": _MISS, **setup},
            {"name": test["name"], "if": _MISS, **test},
            # Only after every member of the job passed: `success()`, never on a failure.
            {
                "name": "Write the pass marker",
                "if": saved,
                "env": {"PASS_KEY": key},
                "run": f'printf \'%s\\n\' "$PASS_KEY" > "$GITHUB_WORKSPACE/{PASS_MARKER}"\n',
            },
            {
                "name": "Save the pass marker",
                "if": saved,
                "uses": actions.CACHE_SAVE.uses,
                "with": {"path": PASS_MARKER, "key": key},
            },
        ]
    return {
        "name": "test (${{ matrix.name }})",
        "needs": "plan",
        "if": "needs.plan.outputs.has-changes == 'true'",
        "runs-on": options.runner,
        "strategy": {
            "fail-fast": False,
            "matrix": "${{ fromJSON(needs.plan.outputs.matrix) }}",
        },
        "steps": steps,
    }


def _image_job(options: WorkflowOptions, pushes: str) -> dict[str, Any]:
    if options.registry:
        reference = 'image="$IMAGE_NAME"\n'
    else:  # image references must be lowercase; owners need not be
        reference = 'image="ghcr.io/${OWNER,,}/$IMAGE_NAME"\n'
    tags_script = (
        reference
        + "if [[ ! $image =~ ^[a-z0-9._/:-]+$ ]]; then\n"
        + '  echo "::error::the image name of $PACKAGE is not a valid image reference"\n'
        + "  exit 1\n"
        + "fi\n"
        + 'echo "tags=$image:$SHA,$image:latest" >> "$GITHUB_OUTPUT"\n'
    )
    return {
        "name": "image (${{ matrix.name }})",
        # Images wait for the tests: an image is never pushed from a commit whose tests failed.
        "needs": ["plan", "test"],
        "if": "needs.plan.outputs.has-images == 'true'",
        "runs-on": options.runner,
        "permissions": {"contents": "read", "packages": "write"},
        "strategy": {
            "fail-fast": False,
            "matrix": "${{ fromJSON(needs.plan.outputs.images) }}",
        },
        "steps": [
            _checkout(full_history=False),
            {"name": "Set up Docker Buildx", "uses": actions.SETUP_BUILDX.uses},
            {
                "name": "Image tags",
                "id": "tags",
                "env": {
                    "OWNER": "${{ github.repository_owner }}",
                    "IMAGE_NAME": "${{ matrix.image-name }}",
                    "PACKAGE": "${{ matrix.package }}",
                    "SHA": "${{ github.sha }}",
                },
                "run": tags_script,
            },
            {
                "name": "Log in to ghcr.io",
                "id": "login",
                "if": pushes,
                "env": {"ACTOR": "${{ github.actor }}", "TOKEN": "${{ github.token }}"},
                "run": 'printf \'%s\' "$TOKEN" | docker login ghcr.io --username "$ACTOR" '
                "--password-stdin\n",
            },
            {
                "name": "Build ${{ matrix.package }}",
                "uses": actions.BUILD_PUSH.uses,
                "with": {
                    "context": options.workspace_dir,
                    "file": _in_workspace(options, "${{ matrix.dockerfile }}"),
                    "tags": "${{ steps.tags.outputs.tags }}",
                    "build-args": "REVISION=${{ github.sha }}",
                    "push": f"${{{{ {pushes} }}}}",
                    "cache-from": "type=gha,scope=${{ matrix.package }}",
                    "cache-to": "type=gha,mode=max,scope=${{ matrix.package }}",
                },
            },
            {
                "name": "Log out of ghcr.io",
                "if": "always() && steps.login.outcome == 'success'",
                "run": "docker logout ghcr.io\n",
            },
        ],
    }


def _ci_ok_job(options: WorkflowOptions, needs: list[str]) -> dict[str, Any]:
    return {
        "name": "ci-ok",
        "needs": needs,
        "if": "always()",
        "runs-on": options.runner,
        "steps": [
            {
                "name": "Fail if a needed job failed or was cancelled",
                "env": {"RESULTS": "${{ join(needs.*.result, ' ') }}"},
                "run": _CI_OK_SCRIPT,
            }
        ],
    }


def _checkout(*, full_history: bool) -> dict[str, Any]:
    with_: dict[str, Any] = {"persist-credentials": False}
    if full_history:  # the merge-base with the base commit must be in the clone
        with_ = {"fetch-depth": 0, **with_}
    return {"name": "Check out", "uses": actions.CHECKOUT.uses, "with": with_}


def _setup_uv(options: WorkflowOptions, python: str | None = None) -> dict[str, Any]:
    with_: dict[str, Any] = {
        "version": options.uv_version,
        "enable-cache": True,
        "cache-dependency-glob": _in_workspace(options, "uv.lock"),
    }
    if python is not None:
        with_["python-version"] = python
    return {"name": "Set up uv", "uses": actions.SETUP_UV.uses, "with": with_}


def _run_defaults(options: WorkflowOptions) -> dict[str, str]:
    defaults = {"shell": "bash"}
    if options.workspace_dir != ".":
        defaults["working-directory"] = options.workspace_dir
    return defaults


def _in_workspace(options: WorkflowOptions, path: str) -> str:
    return path if options.workspace_dir == "." else f"{options.workspace_dir}/{path}"


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


class _Dumper(yaml.SafeDumper):
    """SafeDumper with block-style scripts, indented lists, and never an anchor or alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=10_000,
    )


def _comment(text: str) -> str:
    """Comments PyYAML cannot write: each pinned action's version, the reason for a permission."""
    text = _USES.sub(lambda m: f"{m[1]}{m[2]} # {actions.version_of(m[2])}", text)
    return _PACKAGES_WRITE.sub(r"\1 # push images to ghcr.io (default branch pushes only)", text)
