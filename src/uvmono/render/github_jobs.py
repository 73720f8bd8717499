"""The jobs of the GitHub Actions workflow (plan, test, image, ci-ok) and the steps they share;
`render/github.py` puts them together and tells what each does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from uvmono.render import actions, matrix

if TYPE_CHECKING:
    from uvmono.render.github import WorkflowOptions

OUTPUTS = ("matrix", "images", "has-changes", "has-images", "count")
PASS_MARKER = ".uvmono-pass"  # the file the pass marker caches (relative to the repository)
_HIT = "steps.passed.outputs.cache-hit == 'true'"
_MISS = "steps.passed.outputs.cache-hit != 'true'"

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



def _in_workspace(options: WorkflowOptions, path: str) -> str:
    return path if options.workspace_dir == "." else f"{options.workspace_dir}/{path}"

