"""The GitLab child pipeline that the plan job writes: test jobs, image jobs, or a no-op job.

One `parallel: matrix` instance per affected member (and test environment) for its tests, and
one per affected member with an image for its image build; `render/gitlab.py` tells the facts.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from typing import Any

from uvmono.config import ImageBuilder
from uvmono.errors import UvmonoError
from uvmono.plan import Plan, PlanEntry, batches
from uvmono.python import DEFAULT_PYTHON
from uvmono.records import record
from uvmono.render import matrix, text
from uvmono.render.gitlab_common import (
    BUILDAH_IMAGE,
    DIND_SERVICE,
    DOCKER_IMAGE,
    IGNORE_CACHE,
    MAX_JOB_NAME,
    MAX_PERMUTATIONS,
    PASS_MARKER,
    PUSH_IMAGES,
    SKIP_IMAGES,
    TEST_IMAGE,
    _cd,
    _check_workspace_dir,
    _comments,
    _dump,
)
from uvmono.test_environment import TestEnvironment


@record
class ChildOptions:
    uv_version: str
    max_permutations: int  # per matrix job, at most MAX_PERMUTATIONS
    image_builder: ImageBuilder
    registry: str  # "": images go to $CI_REGISTRY_IMAGE/<image-name>; else names hold it
    workspace_dir: str


def child_pipeline(plan: Plan) -> str:
    """The child pipeline for `plan`, with the options its settings give."""
    return render_child(plan, child_options(plan))


def child_options(plan: Plan) -> ChildOptions:
    settings = plan.settings
    return ChildOptions(
        uv_version=settings.docker.uv_version,
        max_permutations=settings.ci.jobs(MAX_PERMUTATIONS),
        image_builder=settings.ci.gitlab_image_builder,
        registry=settings.docker.registry.rstrip("/"),
        workspace_dir=plan.workspace_dir,
    )


def render_child(plan: Plan, options: ChildOptions) -> str:
    """The child pipeline's YAML: test jobs, image jobs, or the no-op job."""
    _check_workspace_dir(options.workspace_dir)
    text.check_uv_version(options.uv_version)
    for entry in plan.entries:
        _check_entry(entry)
    data: dict[str, Any] = {}
    tests = _test_jobs(plan, options)
    images = _image_jobs(plan, options)
    data["stages"] = ["test", "image"] if images else ["test"]
    if not plan.entries:
        data["nothing-affected"] = _noop_job(options)
    else:
        data["variables"] = {
            "UV_CACHE_DIR": "$CI_PROJECT_DIR/.uv-cache",
            "UV_LINK_MODE": "copy",
        }
    data.update(tests)
    data.update(images)
    body = _comments(_describe(plan)) + "\n" + _dump(data)
    return text.checked_yaml(body, data, "GitLab child pipeline")


def _describe(plan: Plan) -> list[str]:
    base = f"base {plan.base[:12]}" if plan.base else "no base: everything"
    head = plan.head[:12] if plan.head else "the checkout"
    lines = [f"uvmono child pipeline: {len(plan.entries)} affected member(s), {head} vs {base}"]
    for entry in plan.entries:
        why = "; ".join(entry.reasons) or "needed by an affected member"
        lines.append(f"- {entry.package}: {why}")
        if len(entry.test.environments) > 1:
            sides = "; ".join(f"{n}: {e.side}" for n, e in enumerate(entry.test.environments, 1))
            lines.append(f"  one test environment per conflict side ({sides})")
    lines.extend(f"warning: {w}" for w in plan.warnings)
    return lines


def _noop_job(options: ChildOptions) -> dict[str, Any]:
    # GitLab fails the trigger job of a child pipeline without jobs.
    return {
        "stage": "test",
        "image": TEST_IMAGE.format(uv=options.uv_version, python=DEFAULT_PYTHON),
        "variables": {"GIT_STRATEGY": "none"},
        "script": ['echo "uvmono: no workspace member is affected; nothing to test or build"'],
    }


def _test_jobs(plan: Plan, options: ChildOptions) -> dict[str, dict[str, Any]]:
    """(member, test environment) units grouped by Python and test command, at most
    `max_permutations` each. A matrix instance names its member and its environment's number;
    the script looks up the environment's flags, since GitLab puts every matrix value into the
    job's name (at most 255 characters) and a member may have many extras."""
    groups: dict[tuple[str, str], list[tuple[PlanEntry, int, TestEnvironment]]] = {}
    for entry in plan.entries:
        for python in entry.test.pythons:
            for number, env in enumerate(entry.test.environments, start=1):
                groups.setdefault((python, entry.test_command), []).append((entry, number, env))
    chunks = [
        (python, command, chunk)
        for (python, command), units in groups.items()
        for chunk in _split_units(units, options.max_permutations)
    ]
    jobs: dict[str, dict[str, Any]] = {}
    for number, (python, command, chunk) in enumerate(chunks, start=1):
        name = "test" if len(chunks) == 1 else f"test-{number}"
        prints = [plan.fingerprints.get((e.package, env.side, python), "") for e, _, env in chunk]
        skipping = all(prints)
        instances = []
        for (e, n, _), fp in zip(chunk, prints, strict=True):
            instance = {"PACKAGE": e.package, "PACKAGE_DIR": e.path, "UVMONO_ENV": str(n)}
            if skipping:
                instance["UVMONO_FINGERPRINT"] = fp
            instances.append(instance)
        caches: list[dict[str, Any]] = [
            {
                "key": {"files": [_in_workspace(options, "uv.lock")], "prefix": "uv"},
                "paths": [".uv-cache"],
            }
        ]
        if skipping:
            # Saved only when the job passed (`when: on_success`); the script also checks what
            # the marker says, so a fallback cache (CACHE_FALLBACK_KEY) never counts.
            caches.append({"key": PASS_KEY, "paths": [PASS_MARKER], "when": "on_success"})
        jobs[name] = {
            "stage": "test",
            "image": TEST_IMAGE.format(uv=options.uv_version, python=python),
            "variables": {"UV_PYTHON": python},
            "cache": caches if skipping else caches[0],
            "interruptible": True,
            "parallel": {"matrix": instances},
            "script": [
                *([_skip_passed()] if skipping else []),
                *_cd(options.workspace_dir),
                _environment_table(chunk),
                'uv sync --frozen "$@"',
                _runner_check(),
                ". .venv/bin/activate",
                _test_script(command, skipping),
            ],
        }
    return jobs


# The cache key of the pass marker: (member, Python, fingerprint), as GitHub's `pass-key`.
PASS_KEY = "uvmono-pass-$PACKAGE-py$UV_PYTHON-$UVMONO_FINGERPRINT"


def _skip_passed() -> str:
    return (
        f'pass_key="{PASS_KEY}"\n'
        # Cached paths are relative to the directory the job starts in, before any `cd`.
        f'pass_marker="$PWD/{PASS_MARKER}"\n'
        f'if [ "${IGNORE_CACHE}" != "true" ] &&\n'
        '  [ "$(cat "$pass_marker" 2>/dev/null)" = "$pass_key" ]; then\n'
        '  echo "uvmono: $PACKAGE passed before at $UVMONO_FINGERPRINT, skipped: cached"\n'
        "  exit 0\n"
        "fi\n"
    )


def _environment_table(units: Sequence[tuple[PlanEntry, int, TestEnvironment]]) -> str:
    """Sets the sync flags ("$@"), `tests`, `test_paths` and `runner` of this instance."""
    lines = ['case "$PACKAGE/$UVMONO_ENV" in']
    for entry, number, env in units:
        values = [
            f"set -- {' '.join(shlex.quote(a) for a in env.sync_args())}",
            f"tests={matrix.test_mode(entry)}",
            f"test_paths={shlex.quote(' '.join(entry.test.locations or ()))}",
            f"runner={shlex.quote(entry.test.runner)}",
        ]
        lines.append(f"  {shlex.quote(f'{entry.package}/{number}')}) {'; '.join(values)} ;;")
    lines.append('  *) echo "uvmono: no test environment for $PACKAGE/$UVMONO_ENV"; exit 1 ;;')
    lines.append("esac")
    return "\n".join(lines) + "\n"


def _runner_check() -> str:
    # The test command runs in this environment only: a runner missing from it is an error,
    # never one found elsewhere on PATH.
    return (
        'if [ -n "$runner" ] && ! uv run --frozen --no-sync -- python -c '
        f"{shlex.quote(matrix.HAS_MODULE)} \"$runner\"; then\n"
        '  echo "uvmono: $runner is not installed in the test environment of $PACKAGE'
        ' (uv sync --frozen $*): add it to a dependency group the job installs"\n'
        "  exit 1\n"
        "fi\n"
    )


def _test_script(command: str, skipping: bool = False) -> str:
    marker = (
        'if [ "$status" -eq 0 ]; then\n'
        '  printf \'%s\\n\' "$pass_key" > "$pass_marker"\n'
        "fi\n"
        if skipping
        else ""
    )
    return (
        "status=0\n"
        'case "$tests" in\n'
        '  none) echo "uvmono: $PACKAGE has no tests (tests = [] in its [tool.uvmono])" ;;\n'
        f'  paths) ( set -f; set -- $test_paths; {command} "$@"\n) || status=$? ;;\n'
        f'  *) ( cd -- "$PACKAGE_DIR" && {command}\n) || status=$? ;;\n'
        "esac\n"
        'if [ "$status" -eq 5 ] && [ "$runner" = pytest ]; then\n'
        '  echo "uvmono: pytest collected no tests for $PACKAGE; set tests = [...] in its'
        ' [tool.uvmono] where they live, or tests = [] if it has none"\n'
        "fi\n"
        + marker
        + 'exit "$status"\n'
    )


def _image_jobs(plan: Plan, options: ChildOptions) -> dict[str, dict[str, Any]]:
    chunks = _split(list(plan.images), options.max_permutations)
    jobs: dict[str, dict[str, Any]] = {}
    for number, chunk in enumerate(chunks, start=1):
        name = "build-image" if len(chunks) == 1 else f"build-image-{number}"
        job: dict[str, Any] = {"stage": "image"}
        job.update(_builder(options))
        job["parallel"] = {
            "matrix": [
                {"PACKAGE": e.package, "DOCKERFILE": e.dockerfile, "IMAGE_NAME": e.image_name}
                for e in chunk
            ]
        }
        job["rules"] = [
            {"if": f'${SKIP_IMAGES} == "true"', "when": "never"},
            {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", "variables": {PUSH_IMAGES: "true"}},
            {"when": "on_success"},
        ]
        job["script"] = [*_cd(options.workspace_dir), *_image_script(options)]
        jobs[name] = job
    return jobs


def _builder(options: ChildOptions) -> dict[str, Any]:
    if options.image_builder == "buildah":
        return {
            "image": BUILDAH_IMAGE,
            "variables": {
                "STORAGE_DRIVER": "vfs",
                "BUILDAH_FORMAT": "docker",
                "BUILDAH_ISOLATION": "chroot",
            },
        }
    # Docker-in-Docker needs a privileged runner; TLS between the job and the daemon.
    return {
        "image": DOCKER_IMAGE,
        "services": [DIND_SERVICE],
        "variables": {"DOCKER_TLS_CERTDIR": "/certs", "DOCKER_BUILDKIT": "1"},
    }


def _image_script(options: ChildOptions) -> list[str]:
    tool = "buildah" if options.image_builder == "buildah" else "docker"
    build = "buildah build" if tool == "buildah" else "docker build"
    if options.registry:
        where = ['image="$IMAGE_NAME"', 'registry="${image%%/*}"']
    else:
        where = ['image="$CI_REGISTRY_IMAGE/$IMAGE_NAME"', 'registry="$CI_REGISTRY"']
    push = (
        f'if [ "${PUSH_IMAGES}" = "true" ]; then\n'
        f'  echo "$CI_REGISTRY_PASSWORD" | {tool} login --username "$CI_REGISTRY_USER"'
        ' --password-stdin "$registry"\n'
        f'  {tool} tag "$image:$CI_COMMIT_SHA" "$image:latest"\n'
        f'  {tool} push "$image:$CI_COMMIT_SHA"\n'
        f'  {tool} push "$image:latest"\n'
        "fi\n"
    )
    return [
        *where,
        f'{build} --file "$DOCKERFILE" --build-arg "REVISION=$CI_COMMIT_SHA"'
        ' --tag "$image:$CI_COMMIT_SHA" .',
        push,
    ]


# ---------------------------------------------------------------------------------- checks


def _check_entry(entry: PlanEntry) -> None:
    matrix.check(entry)
    for what, value in (("directory", entry.path), ("Dockerfile path", entry.dockerfile or "")):
        if "$" in value:
            raise UvmonoError(
                f"member {entry.package!r}: the {what} {value!r} holds `$`, which GitLab would "
                "expand as a variable",
                hint="rename the directory",
            )
    name = f"test-{MAX_PERMUTATIONS}: [{entry.package}, {entry.path}, 1, {'0' * 32}]"
    if len(name) > MAX_JOB_NAME:
        raise UvmonoError(
            f"member {entry.package!r} ({entry.path!r}): its GitLab job name would be longer "
            f"than {MAX_JOB_NAME} characters",
            hint="shorten the member's name or directory",
        )



# ---------------------------------------------------------------------------------- helpers


def _split_units(
    units: Sequence[tuple[PlanEntry, int, TestEnvironment]], size: int
) -> list[list[tuple[PlanEntry, int, TestEnvironment]]]:
    """Near-equal chunks of at most `size`, in order; none dropped."""
    return batches(units, -(-len(units) // size)) if units else []


def _split(entries: Sequence[PlanEntry], size: int) -> list[list[PlanEntry]]:
    """Near-equal chunks of at most `size`, in order; none dropped."""
    if not entries:
        return []
    jobs = -(-len(entries) // size)
    by_name = {e.package: e for e in entries}
    return [[by_name[n] for n in names] for names in batches(list(by_name), jobs)]


def _in_workspace(options: ChildOptions, path: str) -> str:
    return path if options.workspace_dir == "." else f"{options.workspace_dir}/{path}"

